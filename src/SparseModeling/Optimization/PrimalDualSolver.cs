// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Optimization;

/// <summary>One block of the dual of <see cref="PrimalDualSolver"/>: an operator K_b and the proximal operator of t·F_b*.</summary>
/// <param name="Operator">K_b, with <see cref="ILinearOperator.ColumnCount"/> the length of x.</param>
/// <param name="ConjugateProx">prox_{t·F_b*}, called with t = σ on vectors of K_b's <see cref="ILinearOperator.RowCount"/> entries.</param>
internal readonly record struct PrimalDualBlock(ILinearOperator Operator, IProximalOperator ConjugateProx);

/// <summary>
/// The first-order primal–dual algorithm of Chambolle and Pock ("A first-order primal-dual algorithm for convex problems
/// with applications to imaging", J. Math. Imaging Vis. 40, 120–145, 2011; Algorithm 1 with θ = 1) for
/// min_x G(x) + Σ_b F_b(K_b·x), with the primal step first (the ordering of Goldstein, Li, Yuan, Esser and Baraniuk,
/// "Adaptive primal-dual hybrid gradient methods for saddle-point problems", 2015):
/// <list type="number">
/// <item>x⁺ = prox_{τG}(x − τ·Σ_b K_bᵀξ_b) (x − τ·Kᵀξ when G = 0)</item>
/// <item>ξ_b⁺ = prox_{σF_b*}(ξ_b + σ·K_b(2x⁺ − x)) for every block</item>
/// </list>
/// It needs no linear solves, only products with each K_b and K_bᵀ, and converges for τσ‖K‖² &lt; 1.
/// </summary>
/// <remarks>
/// Each iteration costs one product with each K_b (at x⁺; the extrapolated K_b(2x⁺ − x) is the same combination of the
/// stored products) and one with each K_bᵀ. Stopping on the residuals of Goldstein et al.: the primal residual
/// p = (x − x⁺)/τ − Kᵀ(ξ − ξ⁺) ∈ ∂G(x⁺) + Kᵀξ⁺ and the dual residual d = (ξ − ξ⁺)/σ − K(x − x⁺) ∈ ∂F*(ξ⁺) − Kx⁺, both 0 exactly
/// at a saddle point; the solve stops when ‖p‖ ≤ tol·max(‖(x − x⁺)/τ − Kᵀξ‖, max_b ‖K_bᵀξ_b⁺‖) and
/// ‖d‖ ≤ tol·max_b ‖K_b x⁺‖: each residual relative to the largest of the terms it balances (or to a floor the problem gives
/// in its own units, <see cref="Settings"/>), so the rule does not depend on the units of the problem. The dual starts at 0. A non-finite residual throws <see cref="ArithmeticException"/>.
/// </remarks>
internal static class PrimalDualSolver
{
    private const double BalanceRatio = 1.5, InitialAdaptivity = 0.5, AdaptivityDecay = 0.95;

    /// <summary>
    /// Settings of one solve: the steps τ (primal) and σ (dual), with τσ‖K‖² &lt; 1, and floors under the two residual scales
    /// in the problem's units (a problem whose terms can all vanish at the solution, such as a consistent least-squares
    /// fit, gives the size of its data here, so that the relative test still ends).
    /// </summary>
    public readonly record struct Settings(int MaxIterations, double Tolerance, double PrimalStep, double DualStep, CancellationToken CancellationToken, double PrimalScaleFloor = 0.0, double DualScaleFloor = 0.0, bool Adaptive = false);

    /// <summary>The outcome: iterations run, convergence, and the last relative residuals (residual / its scale).</summary>
    public readonly record struct Result(int Iterations, bool Converged, double PrimalResidual, double DualResidual);

    /// <summary>
    /// Minimises from the start <paramref name="x"/> (overwritten with the result). <paramref name="primalProx"/> null means
    /// G = 0.
    /// </summary>
    public static Result Solve(IReadOnlyList<PrimalDualBlock> blocks, IProximalOperator? primalProx, Span<double> x, in Settings s)
    {
        int n = x.Length;
        int count = blocks.Count;
        foreach (var block in blocks)
        {
            if (block.Operator.ColumnCount != n)
            {
                throw new ArgumentException($"An operator has {block.Operator.ColumnCount} columns but x has {n} entries.", nameof(blocks));
            }
        }

        double tau = s.PrimalStep, sigma = s.DualStep, adaptivity = InitialAdaptivity;
        var current = x.ToArray();
        var next = new double[n];
        var step = new double[n];
        var adjoint = new double[n];
        var adjointNext = new double[n];
        var blockAdjoint = new double[n];
        var image = new double[count][];
        var imageNext = new double[count][];
        var dual = new double[count][];
        var dualNext = new double[count][];
        var work = new double[count][];
        for (int b = 0; b < count; b++)
        {
            int m = blocks[b].Operator.RowCount;
            image[b] = new double[m];
            imageNext[b] = new double[m];
            dual[b] = new double[m];
            dualNext[b] = new double[m];
            work[b] = new double[m];
            blocks[b].Operator.Apply(current, image[b]);
        }

        double primalRatio = double.NaN, dualRatio = double.NaN;
        for (int iteration = 1; iteration <= s.MaxIterations; iteration++)
        {
            s.CancellationToken.ThrowIfCancellationRequested();

            // x⁺ = prox_{τG}(x − τ·Kᵀξ), and the ∂G term (x − x⁺)/τ − Kᵀξ of the primal residual.
            current.CopyTo(next, 0);
            Kernels.Axpy(-tau, adjoint, next);
            primalProx?.Apply(next, tau, next);
            Kernels.Subtract(current, next, step);
            Kernels.Scal(1.0 / tau, step);
            Kernels.Axpy(-1.0, adjoint, step);
            double primalScale = Kernels.Nrm2(step);

            // ξ_b⁺ = prox_{σF_b*}(ξ_b + σ·(2K_b x⁺ − K_b x)), the dual residual, and Kᵀξ⁺.
            double dualSquared = 0.0, dualScale = 0.0;
            Array.Clear(adjointNext);
            for (int b = 0; b < count; b++)
            {
                var k = blocks[b].Operator;
                k.Apply(next, imageNext[b]);
                dualScale = Math.Max(dualScale, Kernels.Nrm2(imageNext[b]));
                var v = work[b];
                dual[b].CopyTo(v, 0);
                Kernels.Axpy(2.0 * sigma, imageNext[b], v);
                Kernels.Axpy(-sigma, image[b], v);
                blocks[b].ConjugateProx.Apply(v, sigma, dualNext[b]);

                // d_b = (ξ_b − ξ_b⁺)/σ − (K_b x − K_b x⁺)
                Kernels.Subtract(dual[b], dualNext[b], v);
                Kernels.Scal(1.0 / sigma, v);
                Kernels.Axpy(-1.0, image[b], v);
                Kernels.Axpy(1.0, imageNext[b], v);
                dualSquared += Kernels.SquaredNorm(v);

                k.ApplyTranspose(dualNext[b], blockAdjoint);
                primalScale = Math.Max(primalScale, Kernels.Nrm2(blockAdjoint));
                Kernels.Axpy(1.0, blockAdjoint, adjointNext);
            }

            // p = (x − x⁺)/τ − Kᵀξ + Kᵀξ⁺
            Kernels.Axpy(1.0, adjointNext, step);
            double primalResidual = Kernels.Nrm2(step);
            double dualResidual = Math.Sqrt(dualSquared);
            primalScale = Math.Max(primalScale, s.PrimalScaleFloor);
            dualScale = Math.Max(dualScale, s.DualScaleFloor);
            if (!double.IsFinite(primalResidual) || !double.IsFinite(dualResidual) || !double.IsFinite(primalScale) || !double.IsFinite(dualScale))
            {
                throw new ArithmeticException($"The primal-dual iteration diverged at iteration {iteration} (primal residual {primalResidual}, dual residual {dualResidual}): the operator returned non-finite values or the steps exceed 1/‖K‖.");
            }

            (current, next) = (next, current);
            (adjoint, adjointNext) = (adjointNext, adjoint);
            (image, imageNext) = (imageNext, image);
            (dual, dualNext) = (dualNext, dual);
            if (s.Adaptive)
            {
                if (primalResidual > BalanceRatio * dualResidual)
                {
                    tau /= 1.0 - adaptivity;
                    sigma *= 1.0 - adaptivity;
                    adaptivity *= AdaptivityDecay;
                }
                else if (dualResidual > BalanceRatio * primalResidual)
                {
                    tau *= 1.0 - adaptivity;
                    sigma /= 1.0 - adaptivity;
                    adaptivity *= AdaptivityDecay;
                }
            }

            primalRatio = primalScale > 0.0 ? primalResidual / primalScale : primalResidual == 0.0 ? 0.0 : double.PositiveInfinity;
            dualRatio = dualScale > 0.0 ? dualResidual / dualScale : dualResidual == 0.0 ? 0.0 : double.PositiveInfinity;
            if (primalResidual <= s.Tolerance * primalScale && dualResidual <= s.Tolerance * dualScale)
            {
                current.CopyTo(x);
                return new Result(iteration, true, primalRatio, dualRatio);
            }
        }

        current.CopyTo(x);
        return new Result(s.MaxIterations, false, primalRatio, dualRatio);
    }
}
