// SPDX-License-Identifier: BSD-3-Clause

using System.Runtime.CompilerServices;

namespace SparseModeling.Optimization;

/// <summary>
/// The primal–dual interior-point method for a box-constrained quadratic program with a symmetric positive definite
/// Toeplitz band matrix, min_ν ½νᵀAν − bᵀν subject to −λ ≤ νᵢ ≤ λ — the dual of ℓ1 trend filtering (A = DDᵀ, b = Dy)
/// as Kim, Koh, Boyd and Gorinevsky solve it ("ℓ1 trend filtering", SIAM Rev. 51(2), 2009, §5), here with Mehrotra's
/// predictor–corrector ("On the implementation of a primal–dual interior point method", SIAM J. Optim. 2(4), 1992;
/// Nocedal and Wright, Numerical Optimization, §16.6) in place of their barrier-parameter rule and line search. Each
/// step factors A + diag(μ₁/s₁ + μ₂/s₂) (s₁ = λ − ν, s₂ = λ + ν the slacks, μ the multipliers of the bounds) by LDLᵀ in
/// O(m·w²) for half-bandwidth w and solves with it twice, so a step is O(m) and about 20 steps reach a relative duality gap
/// of 1e-8 whatever the length.
/// </summary>
/// <remarks>
/// Stopping is certified: for any feasible ν and g = b − Aν, convexity gives q(ν) − q* ≤ −gᵀ(ν − ν*) ≤ λ‖g‖₁ − νᵀg
/// (|ν*| ≤ λ), the duality gap; for trend filtering it is exactly the primal objective at β = y − Dᵀν minus the dual,
/// so the primal estimate is within the gap of the optimum. The start is ν = 0 with μ₁ − μ₂ = b (stationarity holds) and
/// both offset by the mean |bᵢ|; every step takes 0.99 of the longest step that keeps the slacks and multipliers positive.
/// </remarks>
internal static class BoxQpInteriorPoint
{
    /// <summary>The fraction of the longest step to the boundary taken (the iterate stays strictly inside).</summary>
    private const double StepFraction = 0.99;

    /// <summary>The steps without a new smallest duality gap after which rounding is taken to have stopped progress.</summary>
    private const int Patience = 3;

    /// <summary>The outcome: Newton steps taken, the relative duality gap of the returned iterate, and whether it met the tolerance.</summary>
    public readonly record struct Result(int Iterations, double RelativeGap, bool Converged);

    /// <summary>
    /// Minimises over the box, writing ν to <paramref name="nu"/> (its input is ignored; the start is ν = 0). Stops when
    /// gap ≤ <paramref name="tolerance"/>·(½νᵀAν + λ‖g‖₁) — the primal objective of trend filtering at β = y − Dᵀν — after
    /// <paramref name="maxIterations"/> steps, or when rounding stops the gap from shrinking (no new smallest gap in
    /// <see cref="Patience"/> steps, or no room left between ν and the bounds): the best iterate is then kept, reported
    /// not converged.
    /// </summary>
    /// <param name="toeplitz">A's first row within the band, a₀ … a_w (w ≥ 1).</param>
    /// <param name="b">The linear term; its length is the number of variables m.</param>
    /// <param name="lambda">The bound λ &gt; 0.</param>
    /// <param name="tolerance">The relative duality gap to reach.</param>
    /// <param name="maxIterations">The most Newton steps.</param>
    /// <param name="nu">Receives the solution.</param>
    /// <param name="cancellationToken">Checked once per step.</param>
    public static Result Solve(ReadOnlySpan<double> toeplitz, ReadOnlySpan<double> b, double lambda, double tolerance, int maxIterations, Span<double> nu, CancellationToken cancellationToken)
    {
        int m = b.Length, w = toeplitz.Length - 1;
        double diagonal = toeplitz[0];
        var offDiagonal = toeplitz[1..].ToArray();

        var mu1 = new double[m];
        var mu2 = new double[m];
        var an = new double[m]; // Aν
        var g = new double[m]; // b − Aν
        var r1 = new double[m]; // 1/s₁ = 1/(λ − ν)
        var r2 = new double[m]; // 1/s₂ = 1/(λ + ν)
        var affine = new double[m];
        var direction = new double[m];
        var second = new double[m];
        var factor = new LdlFactor(m, w);
        nu.Clear();

        // μ₁ − μ₂ = b makes the start's stationarity residual zero; the common offset keeps both well inside.
        double offset = 0.0;
        for (int i = 0; i < m; i++)
        {
            offset += Math.Abs(b[i]);
        }

        offset = Math.Max(offset / m, double.Epsilon);
        for (int i = 0; i < m; i++)
        {
            mu1[i] = offset + Math.Max(b[i], 0.0);
            mu2[i] = offset + Math.Max(-b[i], 0.0);
        }

        double relativeGap = double.PositiveInfinity, bestGap = double.PositiveInfinity;
        int sinceBest = 0;
        var best = new double[m];
        for (int iteration = 1; ; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // g = b − Aν; the gap λ‖g‖₁ − νᵀg and the primal objective ½νᵀAν + λ‖g‖₁; the complementarity τ.
            SymmetricToeplitzMultiply(diagonal, offDiagonal, m, nu, an);
            double gap = 0.0, quadratic = 0.0, l1 = 0.0, complementarity = 0.0;
            for (int i = 0; i < m; i++)
            {
                double gi = b[i] - an[i];
                g[i] = gi;
                affine[i] = gi;
                double a = Math.Abs(gi);
                l1 += a;
                gap += (lambda * a) - (nu[i] * gi);
                quadratic += nu[i] * an[i];
                double s1 = lambda - nu[i], s2 = lambda + nu[i];
                r1[i] = 1.0 / s1;
                r2[i] = 1.0 / s2;
                complementarity += (mu1[i] * s1) + (mu2[i] * s2);
            }

            double primal = (0.5 * quadratic) + (lambda * l1);
            relativeGap = primal > 0.0 ? gap / primal : gap;
            if (!double.IsFinite(relativeGap) || !double.IsFinite(complementarity))
            {
                if (iteration == 1)
                {
                    throw new ArithmeticException("The interior-point method's duality gap at the start is not finite: the data overflowed the double range.");
                }

                // Slacks rounded to zero at the end of a long run: the best iterate is as far as this arithmetic goes.
                best.CopyTo(nu);
                return new Result(iteration - 1, bestGap, false);
            }

            if (relativeGap <= tolerance)
            {
                return new Result(iteration - 1, relativeGap, true);
            }

            if (relativeGap < bestGap)
            {
                bestGap = relativeGap;
                sinceBest = 0;
                nu.CopyTo(best);
            }
            else if (++sinceBest >= Patience || !(complementarity > 0.0))
            {
                best.CopyTo(nu);
                return new Result(iteration - 1, bestGap, false);
            }

            if (iteration > maxIterations)
            {
                best.CopyTo(nu);
                return new Result(maxIterations, bestGap, false);
            }

            double tau = complementarity / (2.0 * m);

            // Predictor (Mehrotra): (A + diag(μ₁/s₁ + μ₂/s₂))·dν = g, with dμ₁ = −μ₁ + μ₁·dν/s₁, dμ₂ = −μ₂ − μ₂·dν/s₂
            // (the factorisation makes the forward sweep of this first right side as it goes).
            if (!factor.Factor(diagonal, offDiagonal, mu1, r1, mu2, r2, affine))
            {
                // A + a positive diagonal is positive definite: only a diagonal overflowed by slacks rounded to zero fails.
                if (iteration == 1)
                {
                    throw new ArithmeticException("The interior-point method's Newton matrix is not positive definite at the start: the data overflowed the double range.");
                }

                best.CopyTo(nu);
                return new Result(iteration - 1, bestGap, false);
            }

            factor.Backward(affine);
            // The affine step's longest step, and the complementarity it would reach: along the affine direction
            // (μ₁ + α·dμ₁)(s₁ − α·dν) + (μ₂ + α·dμ₂)(s₂ + α·dν) sums to (1 − α)·Σ(μ₁s₁ + μ₂s₂) + α²·Σ dν·(dμ₂ − dμ₁), since
            // dμ₁·s₁ − μ₁·dν = −μ₁s₁ and dμ₂·s₂ + μ₂·dν = −μ₂s₂ — one pass for both.
            double alphaAffine = 1.0, quadraticTerm = 0.0;
            for (int i = 0; i < m; i++)
            {
                double dv = affine[i];
                double d1 = -mu1[i] + (mu1[i] * dv * r1[i]), d2 = -mu2[i] - (mu2[i] * dv * r2[i]);
                alphaAffine = Longest(alphaAffine, lambda - nu[i], lambda + nu[i], dv, mu1[i], d1, mu2[i], d2);
                quadraticTerm += dv * (d2 - d1);
            }

            double complementarityAffine = ((1.0 - alphaAffine) * complementarity) + (alphaAffine * alphaAffine * quadraticTerm);
            double ratio = Math.Max(complementarityAffine, 0.0) / complementarity;
            double target = ratio * ratio * ratio * tau; // σ·τ with σ = (τ_aff/τ)³

            // Corrector: the right side gains the centring σ·τ and the second-order terms; with p₁ = σ·τ + dμ₁ᵃ·dνᵃ and
            // p₂ = σ·τ − dμ₂ᵃ·dνᵃ it is g − p₁/s₁ + p₂/s₂, and dμ₁ = −μ₁ + (p₁ + μ₁·dν)/s₁, dμ₂ = −μ₂ + (p₂ − μ₂·dν)/s₂.
            for (int i = 0; i < m; i++)
            {
                double dv = affine[i];
                double d1 = -mu1[i] + (mu1[i] * dv * r1[i]), d2 = -mu2[i] - (mu2[i] * dv * r2[i]);
                double p1 = target + (d1 * dv), p2 = target - (d2 * dv);
                affine[i] = p1;
                second[i] = p2;
                direction[i] = g[i] - (p1 * r1[i]) + (p2 * r2[i]);
            }

            factor.Solve(direction);
            double alpha = 1.0;
            for (int i = 0; i < m; i++)
            {
                double dv = direction[i];
                alpha = Longest(alpha, lambda - nu[i], lambda + nu[i], dv, mu1[i], -mu1[i] + ((affine[i] + (mu1[i] * dv)) * r1[i]), mu2[i], -mu2[i] + ((second[i] - (mu2[i] * dv)) * r2[i]));
            }

            alpha = Math.Min(1.0, StepFraction * alpha);
            for (int i = 0; i < m; i++)
            {
                double dv = direction[i];
                double d1 = -mu1[i] + ((affine[i] + (mu1[i] * dv)) * r1[i]), d2 = -mu2[i] + ((second[i] - (mu2[i] * dv)) * r2[i]);
                nu[i] += alpha * dv;
                mu1[i] += alpha * d1;
                mu2[i] += alpha * d2;
            }
        }
    }

    /// <summary>
    /// The longest step s ≤ <paramref name="longest"/> keeping the slacks s₁ − s·dν, s₂ + s·dν and the multipliers
    /// μ + s·dμ positive.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Longest(double longest, double s1, double s2, double dv, double mu1, double dmu1, double mu2, double dmu2)
    {
        // Each bound binds only when the step would cross it; the comparison is a multiplication, the division is
        // made for the (few) bounds that bind.
        if (dv * longest > s1)
        {
            longest = s1 / dv;
        }
        else if (-dv * longest > s2)
        {
            longest = -s2 / dv;
        }

        if (-dmu1 * longest > mu1)
        {
            longest = -mu1 / dmu1;
        }

        if (-dmu2 * longest > mu2)
        {
            longest = -mu2 / dmu2;
        }

        return longest;
    }

    /// <summary>y = A·x for A symmetric Toeplitz band: <paramref name="diagonal"/> and the off-diagonals a₁ … a_w.</summary>
    private static void SymmetricToeplitzMultiply(double diagonal, double[] offDiagonal, int m, ReadOnlySpan<double> x, Span<double> y)
    {
        int w = offDiagonal.Length;
        x = x[..m];
        y = y[..m];
        if (w == 2 && m >= 4)
        {
            // The pentadiagonal case without bounds tests inside: the two ends, then the interior.
            double a1 = offDiagonal[0], a2 = offDiagonal[1];
            y[0] = (diagonal * x[0]) + (a1 * x[1]) + (a2 * x[2]);
            y[1] = (diagonal * x[1]) + (a1 * (x[0] + x[2])) + (a2 * x[3]);
            for (int i = 2; i < m - 2; i++)
            {
                y[i] = (diagonal * x[i]) + (a1 * (x[i - 1] + x[i + 1])) + (a2 * (x[i - 2] + x[i + 2]));
            }

            y[m - 2] = (diagonal * x[m - 2]) + (a1 * (x[m - 3] + x[m - 1])) + (a2 * x[m - 4]);
            y[m - 1] = (diagonal * x[m - 1]) + (a1 * x[m - 2]) + (a2 * x[m - 3]);
            return;
        }

        for (int i = 0; i < m; i++)
        {
            double sum = diagonal * x[i];
            for (int k = 1; k <= w; k++)
            {
                double a = offDiagonal[k - 1];
                if (i - k >= 0)
                {
                    sum += a * x[i - k];
                }

                if (i + k < m)
                {
                    sum += a * x[i + k];
                }
            }

            y[i] = sum;
        }
    }

    /// <summary>
    /// The LDLᵀ factor of a symmetric Toeplitz band matrix plus a positive diagonal, A + diag(δ), δᵢ = μ₁ᵢ/s₁ᵢ + μ₂ᵢ/s₂ᵢ.
    /// Row j of L holds l_{j,j−k} (k = 1..w); with vₖ = l_{j,j−k}·d_{j−k} the recurrences are v_w = a_w,
    /// vₖ = aₖ − Σ_{p&gt;k} v_p·l_{j−k,j−p}, l_{j,j−k} = vₖ/d_{j−k} and d_j = a₀ + δ_j − Σₖ vₖ·l_{j,j−k}: one division on the
    /// row-to-row dependency chain (the solves and the factor are recurrences, latency-bound; no square roots).
    /// </summary>
    private sealed class LdlFactor(int m, int w)
    {
        private readonly double[] _l = new double[m * w];
        private readonly double[] _inverse = new double[m];

        /// <summary>
        /// Factors, and makes the forward sweep L·y = <paramref name="rhs"/> in place in the same pass; false when a pivot
        /// is not positive (not positive definite in this arithmetic).
        /// </summary>
        public bool Factor(double diagonal, double[] offDiagonal, double[] mu1, double[] r1, double[] mu2, double[] r2, Span<double> rhs)
        {
            if (mu1.Length < m || r1.Length < m || mu2.Length < m || r2.Length < m || rhs.Length < m)
            {
                throw new ArgumentException("The factor's arrays are shorter than its order.");
            }

            if (w == 2)
            {
                return FactorPentadiagonal(diagonal, offDiagonal[0], offDiagonal[1], mu1, r1, mu2, r2, rhs);
            }

            Span<double> v = stackalloc double[w + 1];
            var l = _l;
            var inverse = _inverse;
            for (int j = 0; j < m; j++)
            {
                int reach = Math.Min(j, w);
                double d = diagonal + (mu1[j] * r1[j]) + (mu2[j] * r2[j]);
                for (int k = reach; k >= 1; k--)
                {
                    double vk = offDiagonal[k - 1];
                    for (int q = k + 1; q <= reach; q++)
                    {
                        vk -= v[q] * l[((j - k) * w) + (q - k - 1)];
                    }

                    v[k] = vk;
                    double lk = vk * inverse[j - k];
                    l[(j * w) + (k - 1)] = lk;
                    d -= vk * lk;
                }

                if (!(d > 0.0) || double.IsPositiveInfinity(d))
                {
                    return false;
                }

                inverse[j] = 1.0 / d;
            }

            Forward(rhs);
            return true;
        }

        /// <summary>Solves (LDLᵀ)·x = b in place.</summary>
        public void Solve(Span<double> b)
        {
            Forward(b);
            Backward(b);
        }

        /// <summary>L·y = b in place (L unit lower triangular).</summary>
        public void Forward(Span<double> b)
        {
            b = b[..m];
            var l = _l.AsSpan(0, m * w);
            if (w == 2)
            {
                double y1 = 0.0, y2 = 0.0;
                for (int j = 0; j < b.Length; j++)
                {
                    double y = b[j] - (l[2 * j] * y1) - (l[(2 * j) + 1] * y2);
                    b[j] = y;
                    y2 = y1;
                    y1 = y;
                }

                return;
            }

            for (int j = 0; j < b.Length; j++)
            {
                int reach = Math.Min(j, w);
                double s = b[j];
                for (int k = 1; k <= reach; k++)
                {
                    s -= l[(j * w) + (k - 1)] * b[j - k];
                }

                b[j] = s;
            }
        }

        /// <summary>D·z = y, then Lᵀ·x = z, in place.</summary>
        public void Backward(Span<double> b)
        {
            b = b[..m];
            var l = _l.AsSpan(0, m * w);
            var inverse = _inverse.AsSpan(0, m);
            if (w == 2)
            {
                // x_j = y_j/d_j − l_{j+1,j}·x_{j+1} − l_{j+2,j}·x_{j+2}.
                double x1 = 0.0, x2 = 0.0;
                int last = b.Length - 1;
                if (last >= 0)
                {
                    x1 = b[last] * inverse[last];
                    b[last] = x1;
                }

                if (last >= 1)
                {
                    double x = (b[last - 1] * inverse[last - 1]) - (l[2 * last] * x1);
                    b[last - 1] = x;
                    x2 = x1;
                    x1 = x;
                }

                for (int j = last - 2; j >= 0; j--)
                {
                    double x = (b[j] * inverse[j]) - (l[2 * (j + 1)] * x1) - (l[(2 * (j + 2)) + 1] * x2);
                    b[j] = x;
                    x2 = x1;
                    x1 = x;
                }

                return;
            }

            for (int j = b.Length - 1; j >= 0; j--)
            {
                double s = b[j] * inverse[j];
                int reach = Math.Min(b.Length - 1 - j, w);
                for (int k = 1; k <= reach; k++)
                {
                    s -= l[((j + k) * w) + (k - 1)] * b[j + k];
                }

                b[j] = s;
            }
        }

        /// <summary>
        /// <see cref="Factor"/> for w = 2 (first-order trend filtering), with the row-to-row values in registers
        /// (v₂ = a₂, v₁ = a₁ − a₂·l_{j−1,j−2}; one division per row) and the forward sweep of <paramref name="rhs"/> fused.
        /// </summary>
        private bool FactorPentadiagonal(double a0, double a1, double a2, double[] mu1, double[] r1, double[] mu2, double[] r2, Span<double> rhs)
        {
            var l = _l.AsSpan(0, 2 * m);
            var inverse = _inverse.AsSpan(0, m);
            double previousL1 = 0.0, inverse1 = 0.0, inverse2 = 0.0, y1 = 0.0, y2 = 0.0;
            for (int j = 0; j < inverse.Length; j++)
            {
                double l2 = a2 * inverse2;
                double v1 = a1 - (a2 * previousL1);
                double l1 = v1 * inverse1;
                double d = a0 + (mu1[j] * r1[j]) + (mu2[j] * r2[j]) - (a2 * l2) - (v1 * l1);
                if (!(d > 0.0) || double.IsPositiveInfinity(d))
                {
                    return false;
                }

                l[2 * j] = l1;
                l[(2 * j) + 1] = l2;
                double inv = 1.0 / d;
                inverse[j] = inv;
                double y = rhs[j] - (l1 * y1) - (l2 * y2);
                rhs[j] = y;
                y2 = y1;
                y1 = y;
                previousL1 = l1;
                inverse2 = inverse1;
                inverse1 = inv;
            }

            return true;
        }
    }
}
