// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.Optimization;

namespace SparseModeling.Imaging;

/// <summary>
/// Trend filtering of a signal (Kim, Koh, Boyd and Gorinevsky, "ℓ1 trend filtering", SIAM Rev. 2009; Tibshirani,
/// "Adaptive piecewise polynomial estimation via trend filtering", Ann. Statist. 2014): the estimate β of an evenly
/// sampled signal y that minimises ½‖y − β‖² + λ‖D⁽ᵏ⁺¹⁾β‖₁, D⁽ᵏ⁺¹⁾ the differences of order k + 1, so that β is
/// piecewise constant (k = 0, the fused Lasso or 1-D total variation), piecewise linear (k = 1) or piecewise
/// quadratic (k = 2) with adaptively chosen knots.
/// </summary>
/// <remarks>
/// <para>
/// k = 0 is solved exactly in O(n) by Condat's direct algorithm (the core of <see cref="TotalVariation.Denoise1D"/>). k ≥ 1 runs the
/// specialised ADMM of Ramdas and Tibshirani ("Fast and flexible ADMM algorithms for trend filtering", J. Comput. Graph.
/// Stat. 2016) on the split α = D⁽ᵏ⁾β: the β-step solves (I + ρD⁽ᵏ⁾ᵀD⁽ᵏ⁾)β = y + ρD⁽ᵏ⁾ᵀ(α − u), a banded system
/// factored once in O(n); the α-step is the 1-D fused Lasso of D⁽ᵏ⁾β + u with weight λ/ρ, again by Condat's
/// algorithm. Each iteration is O(n) and no n×n matrix is ever formed (a signal of 10⁶ samples needs about 20 vectors
/// of its length), and far fewer iterations are needed than by ADMM on the split z = D⁽ᵏ⁺¹⁾β with soft thresholding
/// (what <see cref="LinearModel.TrendFilteringAdmm"/> does for a general X). From λ_max on (computed in O(n)) the
/// answer is the least-squares polynomial of degree k, returned without iterating.
/// </para>
/// <para>
/// ρ = 4ᵏ·λ/s with s the root mean square of the signal's first differences about their mean (the paper's ρ = λ made
/// free of the signal's units; 4ᵏ and the over-relaxation 1.6 of Boyd et al. §3.4.3 were the fastest measured on
/// noisy sines and kinked signals of 2,000 to 100,000 samples). Stopping: on the primal residual ‖D⁽ᵏ⁾β − α‖ and dual
/// residual ρ‖D⁽ᵏ⁾ᵀ(α − α_prev)‖ (Boyd et al. §3.3) relative to ‖y‖ (the scaled rule of the library's ADMM
/// estimators). With the default tolerance 1e-5 the objective came within 1e-7 (k = 1, about 50 iterations) and 1e-7
/// (k = 2, about 160 iterations) of its optimum, relatively, on a 100,000-sample noisy sine; the result is the last β
/// whether or not the rule was met within <c>maxIterations</c>.
/// </para>
/// <code>
/// Vector&lt;double&gt; smooth = TrendFiltering.Denoise(noisy, lambda: 10.0, order: 1); // piecewise linear
/// </code>
/// </remarks>
public static class TrendFiltering
{
    /// <summary>The highest order supported.</summary>
    public const int MaxOrder = 2;

    /// <summary>ADMM's over-relaxation (Boyd et al. §3.4.3): fewer iterations at every ρ measured.</summary>
    private const double OverRelaxation = 1.6;

    /// <summary>Filters <paramref name="signal"/>: argmin_β ½‖y − β‖² + λ‖D⁽ᵏ⁺¹⁾β‖₁ with k = <paramref name="order"/>.</summary>
    /// <param name="signal">The evenly sampled signal y, at least <paramref name="order"/> + 2 samples (one difference of order k + 1); not modified.</param>
    /// <param name="lambda">The penalty λ ≥ 0, in the units of the signal (0 returns a copy of it).</param>
    /// <param name="order">k: 0 piecewise constant (the fused Lasso), 1 piecewise linear (default), 2 piecewise quadratic.</param>
    /// <param name="maxIterations">The most ADMM iterations for k ≥ 1, ≥ 1 (default 1000; k = 0 is exact in one pass).</param>
    /// <param name="tolerance">The tolerance of the residual stopping rule, ≥ 0 (default 1e-5).</param>
    /// <param name="cancellationToken">Checked once per iteration.</param>
    /// <returns>The estimate β, as many samples as <paramref name="signal"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signal"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="signal"/> has fewer than <paramref name="order"/> + 2 samples or holds NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative or not finite, <paramref name="order"/> is outside [0, 2], <paramref name="maxIterations"/> is below 1 or <paramref name="tolerance"/> negative.</exception>
    /// <exception cref="ArithmeticException">The solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Vector<double> Denoise(Vector<double> signal, double lambda, int order = 1, int maxIterations = 1000, double tolerance = 1e-5, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        Guard.AtLeast(lambda, 0.0);
        Guard.InRange(order, 0, MaxOrder);
        Guard.AtLeast(maxIterations, 1);
        Guard.AtLeast(tolerance, 0.0);
        if (signal.Count < order + 2)
        {
            throw new ArgumentException($"{nameof(signal)} has {signal.Count} samples but trend filtering of order {order} needs at least {order + 2} (one difference of order {order + 1}).", nameof(signal));
        }

        Guard.Finite(signal);
        var y = signal.ToArray();
        var beta = new double[y.Length];
        using var scope = Parallelism.Enter(null, cancellationToken);
        Solve(y, lambda, order, maxIterations, tolerance, beta, cancellationToken);
        return Vector<double>.Build.Dense(beta);
    }

    /// <summary>
    /// The solver behind <see cref="Denoise"/> on validated arrays: β (<paramref name="beta"/>) for y, λ, k. Returns the
    /// ADMM result (iterations 0 and converged for k = 0). <paramref name="rhoFactor"/> multiplies the default ρ (tests).
    /// </summary>
    internal static AdmmSolver.Result Solve(double[] y, double lambda, int order, int maxIterations, double tolerance, double[] beta, CancellationToken cancellationToken, double rhoFactor = 1.0)
    {
        int n = y.Length;
        if (order == 0 || lambda == 0.0)
        {
            FusedLassoProx.Solve(y, order == 0 ? lambda : 0.0, beta);
            return new AdmmSolver.Result(0.0, 0.0, 0, true);
        }

        // From λ_max on, D⁽ᵏ⁺¹⁾β = 0 at the optimum: the least-squares polynomial of degree k, exactly (no iterations).
        var residual = new double[n];
        double lambdaMax = PolynomialResidual(y, order, residual);
        if (lambda >= lambdaMax)
        {
            Kernels.Subtract(y, residual, beta);
            return new AdmmSolver.Result(0.0, 0.0, 0, true);
        }

        // ρ = λ (Ramdas and Tibshirani) in units of the signal — the β-step's I + ρDᵀD is dimensionless, λ is not — times
        // 4ᵏ, which the measurements in the remarks found fastest for both orders.
        double spread = Spread(y);
        double rho = rhoFactor * Math.ScaleB(spread > 0.0 ? lambda / spread : lambda, 2 * order);
        var d = ConstraintOperator.Difference(n, order);
        var ones = new double[n];
        Array.Fill(ones, 1.0);
        var solver = new AdmmSolver(d, new BandedCholeskySystem(ones, d), rho, "rho");
        var z = new double[d.RowCount];
        d.Apply(y, z);
        var state = new AdmmSolver.State(y, z);
        var settings = new AdmmSolver.Settings(new FusedLassoProx(lambda), maxIterations, tolerance)
        {
            CancellationToken = cancellationToken,
            OverRelaxation = OverRelaxation,
        };
        var result = solver.Solve(state, settings);
        state.W.CopyTo(beta, 0);
        return result;
    }

    /// <summary>
    /// The residual r = y − P(y) of the least-squares polynomial of degree k (Gram–Schmidt, twice, on 1, t, t² over
    /// t ∈ [−1, 1]), and λ_max = ‖u‖∞ for the u with D⁽ᵏ⁺¹⁾ᵀu = r — the multiplier of the penalty when the fit is that
    /// polynomial, found by k + 1 running sums since Dᵀ of a difference is a backward difference. For λ ≥ λ_max the
    /// polynomial is optimal (its optimality conditions hold with |u| ≤ λ).
    /// </summary>
    private static double PolynomialResidual(double[] y, int order, double[] residual)
    {
        int n = y.Length;
        y.CopyTo(residual, 0);
        var basis = new double[order + 1][];
        for (int j = 0; j <= order; j++)
        {
            var q = new double[n];
            for (int i = 0; i < n; i++)
            {
                q[i] = Math.Pow(((2.0 * i) - (n - 1)) / (n - 1), j);
            }

            for (int pass = 0; pass < 2; pass++)
            {
                for (int l = 0; l < j; l++)
                {
                    Kernels.Axpy(-Kernels.Dot(basis[l], q), basis[l], q);
                }
            }

            Kernels.Scal(1.0 / Kernels.Nrm2(q), q);
            basis[j] = q;
            for (int pass = 0; pass < 2; pass++)
            {
                Kernels.Axpy(-Kernels.Dot(q, residual), q, residual);
            }
        }

        // D1ᵀv = r: v₀ = −r₀, vⱼ = vⱼ₋₁ − rⱼ; k + 1 times, each one entry shorter.
        var u = (double[])residual.Clone();
        int length = n;
        for (int pass = 0; pass <= order; pass++)
        {
            double running = 0.0;
            for (int i = 0; i < length - 1; i++)
            {
                running -= u[i];
                u[i] = running;
            }

            length--;
        }

        return Kernels.MaxAbs(u.AsSpan(0, length));
    }

    /// <summary>The root mean square of the first differences of y about their mean (0 for a line): the scale λ is compared with.</summary>
    private static double Spread(ReadOnlySpan<double> y)
    {
        double mean = (y[^1] - y[0]) / (y.Length - 1), sum = 0.0;
        for (int i = 1; i < y.Length; i++)
        {
            double v = y[i] - y[i - 1] - mean;
            sum += v * v;
        }

        return Math.Sqrt(sum / (y.Length - 1));
    }
}
