// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Optimization;

/// <summary>
/// The diagonally preconditioned primal–dual method of Pock and Chambolle ("Diagonal preconditioning for first order
/// primal-dual algorithms in convex optimization", ICCV 2011) for the L1 signal problem of spm-image's <c>LassoPPD</c>:
/// min_u ‖Du‖₁ + α‖u − y‖₁, D the correlation with a short filter f (row r of D holds f at columns r … r + k − 1, so
/// f = [1, −1] gives first differences and [1, −2, 1] second differences). With K = [D; αI] and G = 0 the iteration is
/// <list type="number">
/// <item>u ← u − T·Kᵀp = u − T·(Dᵀp₁ + αp₂), ū = 2u_new − u_old;</item>
/// <item>p₁ ← clamp(p₁ + σ₁·Dū, −1, 1), p₂ ← clamp(p₂ + σ₂·α(ū − y), −1, 1),</item>
/// </list>
/// with the preconditioners of the paper's Lemma 2 (exponent 1): T_j = 1/Σ_i|K_ij| (column sums: Σ|f| + α inside, the
/// partial sums of |f| + α in the first and last k − 1 columns) and σ = 1/Σ_j|K_ij| (1/Σ|f| for the rows of D, 1/α
/// for the data rows). No linear system is solved: each iteration is a few passes over the signal (products with D and
/// Dᵀ as k shifted AXPYs, and fused kernels for the steps), so memory and time grow linearly with the signal's length.
/// </summary>
/// <remarks>
/// The iterate is kept as e = u − y (so that σ₂·α(ū − y) = ē, and D(y + ē) = Dy + Dē with Dy computed once); it starts,
/// as spm-image's, from u = y, p₁ = clamp(σ₁·Dy), p₂ = 0. Stopping, every <see cref="GapInterval"/> iterations and after
/// the last: the duality gap P(u) − D(p) ≤ tol·P(u), with P(u) = ‖Du‖₁ + α‖u − y‖₁ and the dual bound
/// D(p) = c·(Dy)ᵀp₁ of the scaled iterate c·p₁ (c = min(1, α/‖Dᵀp₁‖∞), which makes p₂ = −Dᵀ(c·p₁)/α feasible), clamped
/// at 0 — a certificate, since the dual of the problem is max (Dy)ᵀp₁ subject to ‖p₁‖∞ ≤ 1 and ‖Dᵀp₁‖∞ ≤ α. A non-finite
/// gap throws <see cref="ArithmeticException"/>. Workspaces: four vectors of the signal's length and three of D's rows.
/// </remarks>
internal static class PreconditionedPrimalDualSolver
{
    /// <summary>The duality gap is evaluated every this many iterations (it costs about half an iteration).</summary>
    public const int GapInterval = 10;

    /// <summary>Settings of one solve.</summary>
    /// <param name="MaxIterations">The most iterations, ≥ 1.</param>
    /// <param name="Tolerance">The relative duality gap to reach, ≥ 0.</param>
    /// <param name="OnIteration">Called at every gap evaluation with the objective and the gap (in the solver's units).</param>
    /// <param name="CancellationToken">Checked once per iteration.</param>
    public readonly record struct Settings(int MaxIterations, double Tolerance, Action<PrimalDualIterationInfo>? OnIteration, CancellationToken CancellationToken);

    /// <summary>The outcome: the objective P(u) and the duality gap at the returned u, the iterations run, and convergence.</summary>
    public readonly record struct Result(double Objective, double DualGap, int Iterations, bool Converged);

    /// <summary>
    /// Minimises ‖Du‖₁ + α‖u − y‖₁ for the filter <paramref name="filter"/> (k taps, not all zero), α &gt; 0 and a signal
    /// <paramref name="y"/> of n ≥ k samples; writes u into <paramref name="u"/> (n entries).
    /// </summary>
    public static Result Solve(ReadOnlySpan<double> filter, double alpha, ReadOnlySpan<double> y, Span<double> u, in Settings s)
    {
        int n = y.Length, k = filter.Length, m = n - k + 1;
        if (k < 1 || m < 1 || u.Length != n)
        {
            throw new ArgumentException($"A signal of {n} samples, a filter of {k} taps and an output of {u.Length} entries do not fit (n ≥ k ≥ 1).", nameof(filter));
        }

        double filterSum = Kernels.Asum(filter);
        double sigma = 1.0 / filterSum;

        // The column sums of |D|: Σ|f| inside, partial sums at the ends (column j meets taps i with 0 ≤ j − i < m).
        int interiorStart = Math.Min(k - 1, n), interiorEnd = Math.Max(m, interiorStart); // [interiorStart, interiorEnd): full sums
        double interiorTau = 1.0 / (filterSum + alpha);
        var edges = new List<(int Column, double Tau)>();
        for (int j = 0; j < n; j++)
        {
            if (j < interiorStart || j >= interiorEnd)
            {
                double sum = 0.0;
                for (int i = Math.Max(0, j - m + 1); i <= Math.Min(k - 1, j); i++)
                {
                    sum += Math.Abs(filter[i]);
                }

                edges.Add((j, 1.0 / (sum + alpha)));
            }
        }

        var dy = new double[m];
        Correlate(filter, y, dy, m);
        var p1 = new double[m];
        Kernels.ClippedAxpy(sigma, dy, p1);
        var p2 = new double[n];
        var t = new double[n];
        var extrapolated = new double[n];
        var w = new double[m];
        var e = u;
        e.Clear();

        for (int iteration = 0; ; iteration++)
        {
            s.CancellationToken.ThrowIfCancellationRequested();

            // t = Dᵀp₁.
            CorrelateTransposed(filter, p1, t, m);
            if (iteration % GapInterval == 0 || iteration == s.MaxIterations)
            {
                // P(u) = ‖D(y + e)‖₁ + α‖e‖₁ and the dual bound of the scaled p₁ (see the remarks).
                dy.CopyTo(w, 0);
                AddCorrelation(filter, e, w, m);
                double objective = Kernels.Asum(w) + (alpha * Kernels.Asum(e));
                double dualNorm = Kernels.MaxAbs(t);
                double scale = dualNorm > alpha ? alpha / dualNorm : 1.0;
                double dual = Math.Max(0.0, scale * Kernels.Dot(dy, p1));
                double gap = objective - dual;
                if (!double.IsFinite(gap))
                {
                    throw new ArithmeticException($"The primal–dual iteration produced a non-finite duality gap at iteration {iteration} (objective {objective}, dual bound {dual}): the iterates overflowed the double range.");
                }

                s.OnIteration?.Invoke(new PrimalDualIterationInfo(iteration, objective, gap));
                bool converged = gap <= s.Tolerance * objective;
                if (converged || iteration == s.MaxIterations)
                {
                    Kernels.Axpy(1.0, y, u);
                    return new Result(objective, gap, iteration, converged);
                }
            }

            // u ← u − T(Dᵀp₁ + αp₂), ū = 2u_new − u_old (in e = u − y).
            Kernels.Axpy(alpha, p2, t);
            int interior = interiorEnd - interiorStart;
            if (interior > 0)
            {
                Kernels.PrimalStep(interiorTau, t.AsSpan(interiorStart, interior), e.Slice(interiorStart, interior), extrapolated.AsSpan(interiorStart, interior));
            }

            foreach (var (column, tau) in edges)
            {
                Kernels.PrimalStep(tau, t.AsSpan(column, 1), e.Slice(column, 1), extrapolated.AsSpan(column, 1));
            }

            // p₁ ← clamp(p₁ + σ₁·D(y + ē)), p₂ ← clamp(p₂ + ē).
            dy.CopyTo(w, 0);
            AddCorrelation(filter, extrapolated, w, m);
            Kernels.ClippedAxpy(sigma, w, p1);
            Kernels.ClippedAxpy(1.0, extrapolated, p2);
        }
    }

    /// <summary>result (m entries) ← D·x: result_r = Σ_i f_i·x_(r+i).</summary>
    private static void Correlate(ReadOnlySpan<double> filter, ReadOnlySpan<double> x, Span<double> result, int m)
    {
        result[..m].Clear();
        AddCorrelation(filter, x, result, m);
    }

    /// <summary>result (m entries) ← result + D·x.</summary>
    private static void AddCorrelation(ReadOnlySpan<double> filter, ReadOnlySpan<double> x, Span<double> result, int m)
    {
        for (int i = 0; i < filter.Length; i++)
        {
            if (filter[i] != 0.0)
            {
                Kernels.Axpy(filter[i], x.Slice(i, m), result[..m]);
            }
        }
    }

    /// <summary>result (n = m + k − 1 entries) ← Dᵀ·v: result_(r+i) += f_i·v_r.</summary>
    private static void CorrelateTransposed(ReadOnlySpan<double> filter, ReadOnlySpan<double> v, Span<double> result, int m)
    {
        result.Clear();
        for (int i = 0; i < filter.Length; i++)
        {
            if (filter[i] != 0.0)
            {
                Kernels.Axpy(filter[i], v[..m], result.Slice(i, m));
            }
        }
    }
}
