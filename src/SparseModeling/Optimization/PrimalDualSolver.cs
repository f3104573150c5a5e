// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Optimization;

/// <summary>One block of the dual of <see cref="PrimalDualSolver"/>: an operator K_b and the proximal operator of t·F_b*.</summary>
/// <param name="Operator">K_b, with <see cref="ILinearOperator.ColumnCount"/> the length of x; an identity
/// (<see cref="ConstraintOperator.Identity"/>) is used without products.</param>
/// <param name="ConjugateProx">prox_{t·F_b*}, called with t = σ_b on vectors of K_b's <see cref="ILinearOperator.RowCount"/>
/// entries; when it also implements <see cref="IFusedDualStep"/> the dual step is taken by it in one pass.</param>
/// <param name="DualStepScale">σ_b = σ·scale for this block (default 1): a diagonal preconditioner constant over the block.</param>
internal readonly record struct PrimalDualBlock(ILinearOperator Operator, IProximalOperator ConjugateProx, double DualStepScale = 1.0);

/// <summary>
/// A conjugate proximal operator that takes the whole dual step of <see cref="PrimalDualSolver"/>,
/// ξ ← prox_{σF*}(ξ + σ·image), in one pass over memory instead of an AXPY and a prox.
/// </summary>
internal interface IFusedDualStep
{
    /// <summary>dual ← prox_{σF*}(dual + σ·image), in place.</summary>
    void Step(Span<double> dual, double sigma, ReadOnlySpan<double> image);
}

/// <summary>
/// A certificate of optimality for <see cref="PrimalDualSolver"/>: the objective at the primal iterate and a duality gap
/// built from the dual iterates (an upper bound on the distance from the objective to the optimum), replacing the residual
/// stopping rule when the problem has a cheap one.
/// </summary>
internal interface IPrimalDualCertificate
{
    /// <summary>The objective at <paramref name="x"/> and the gap certified by the dual iterates (one per block).</summary>
    (double Objective, double Gap) Evaluate(ReadOnlySpan<double> x, IReadOnlyList<double[]> dual);
}

/// <summary>
/// The first-order primal–dual algorithm of Chambolle and Pock ("A first-order primal-dual algorithm for convex problems
/// with applications to imaging", J. Math. Imaging Vis. 40, 120–145, 2011; Algorithm 1 with θ = 1) for
/// min_x G(x) + Σ_b F_b(K_b·x), with the primal step first (the ordering of Goldstein, Li, Yuan, Esser and Baraniuk,
/// "Adaptive primal-dual hybrid gradient methods for saddle-point problems", 2015):
/// <list type="number">
/// <item>x⁺ = prox_{τG}(x − τ·Σ_b K_bᵀξ_b) (x − T·Kᵀξ when G = 0, T a diagonal of steps)</item>
/// <item>ξ_b⁺ = prox_{σ_b F_b*}(ξ_b + σ_b·K_b(2x⁺ − x)) for every block</item>
/// </list>
/// It needs no linear solves, only products with each K_b and K_bᵀ, and converges for τσ‖K‖² &lt; 1, or, with the
/// diagonal preconditioners of Pock and Chambolle ("Diagonal preconditioning for first order primal-dual algorithms in
/// convex optimization", ICCV 2011), for T_j = 1/Σ_i|K_ij| and σ_i = 1/Σ_j|K_ij| (per-entry primal steps
/// <see cref="Settings.PrimalStepScales"/>, a dual step per block <see cref="PrimalDualBlock.DualStepScale"/>).
/// </summary>
/// <remarks>
/// <para>
/// Two stopping rules. By default, the residuals of Goldstein et al.: the primal residual
/// p = (x − x⁺)/τ − Kᵀ(ξ − ξ⁺) ∈ ∂G(x⁺) + Kᵀξ⁺ and the dual residual d = (ξ − ξ⁺)/σ − K(x − x⁺) ∈ ∂F*(ξ⁺) − Kx⁺, both 0 exactly
/// at a saddle point; the solve stops when ‖p‖ ≤ tol·max(‖(x − x⁺)/τ − Kᵀξ‖, max_b ‖K_bᵀξ_b⁺‖) and
/// ‖d‖ ≤ tol·max_b ‖K_b x⁺‖: each residual relative to the largest of the terms it balances (or to a floor the problem gives
/// in its own units, <see cref="Settings"/>), so the rule does not depend on the units of the problem. Each iteration then
/// costs one product with each K_b (at x⁺; the extrapolated K_b(2x⁺ − x) is the same combination of the stored products)
/// and one with each K_bᵀ, and the steps may balance the residuals adaptively.
/// </para>
/// <para>
/// With a <see cref="Settings.Certificate"/> the solve instead stops when the certified duality gap is at most
/// tol·objective, evaluated at the start, every <see cref="Settings.CertificateInterval"/> iterations and after the last;
/// no residual is formed, so each iteration is the products K_b(2x⁺ − x) and K_bᵀξ_b⁺ and the fused element-wise steps
/// only (a few passes over memory when K is a short filter and an identity). This mode takes per-entry primal steps
/// (G = 0 only).
/// </para>
/// <para>A non-finite residual or gap throws <see cref="ArithmeticException"/>. The dual starts at 0 unless given.</para>
/// </remarks>
internal static class PrimalDualSolver
{
    private const double BalanceRatio = 1.5, InitialAdaptivity = 0.5, AdaptivityDecay = 0.95;

    /// <summary>
    /// Settings of one solve: the steps τ (primal) and σ (dual), with τσ‖K‖² &lt; 1, and floors under the two residual scales
    /// in the problem's units (a problem whose terms can all vanish at the solution, such as a consistent least-squares
    /// fit, gives the size of its data here, so that the relative test still ends).
    /// </summary>
    /// <param name="MaxIterations">The most iterations, ≥ 1.</param>
    /// <param name="Tolerance">The relative residuals (or the relative gap, with a certificate) to reach, ≥ 0.</param>
    /// <param name="PrimalStep">τ &gt; 0 (multiplied by <paramref name="PrimalStepScales"/> when given).</param>
    /// <param name="DualStep">σ &gt; 0 (multiplied by each block's scale).</param>
    /// <param name="CancellationToken">Checked once per iteration.</param>
    /// <param name="PrimalScaleFloor">A floor under the primal residual's scale.</param>
    /// <param name="DualScaleFloor">A floor under the dual residual's scale.</param>
    /// <param name="Adaptive">Balance the residuals by adapting τ and σ (Goldstein et al.; residual stopping only).</param>
    /// <param name="PrimalStepScales">Per-entry primal steps τ·scale_j (the length of x; G = 0 and a certificate only).</param>
    /// <param name="Certificate">Stop on this certified duality gap instead of the residuals.</param>
    /// <param name="CertificateInterval">Iterations between evaluations of the certificate, ≥ 1.</param>
    /// <param name="OnCertificate">Called at every evaluation of the certificate with the iterations run, the objective and the gap.</param>
    public readonly record struct Settings(
        int MaxIterations,
        double Tolerance,
        double PrimalStep,
        double DualStep,
        CancellationToken CancellationToken,
        double PrimalScaleFloor = 0.0,
        double DualScaleFloor = 0.0,
        bool Adaptive = false,
        double[]? PrimalStepScales = null,
        IPrimalDualCertificate? Certificate = null,
        int CertificateInterval = 10,
        Action<int, double, double>? OnCertificate = null);

    /// <summary>
    /// The outcome: iterations run, convergence, the last relative residuals (residual / its scale; NaN with a
    /// certificate), and the last objective and gap of the certificate (NaN without one).
    /// </summary>
    public readonly record struct Result(int Iterations, bool Converged, double PrimalResidual, double DualResidual, double Objective = double.NaN, double DualGap = double.NaN);

    /// <summary>
    /// Minimises from the start <paramref name="x"/> (overwritten with the result). <paramref name="primalProx"/> null means
    /// G = 0. <paramref name="dualStart"/>, one array per block of its operator's row count, is the dual start, and its arrays
    /// are the dual iterates of the solve (overwritten; the residual mode keeps them only until its first swap); null starts
    /// from 0.
    /// </summary>
    public static Result Solve(IReadOnlyList<PrimalDualBlock> blocks, IProximalOperator? primalProx, Span<double> x, in Settings s, IReadOnlyList<double[]>? dualStart = null)
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

        if (dualStart is not null && (dualStart.Count != count || Enumerable.Range(0, count).Any(b => dualStart[b].Length != blocks[b].Operator.RowCount)))
        {
            throw new ArgumentException("The dual start needs one array per block, of its operator's row count.", nameof(dualStart));
        }

        if (s.PrimalStepScales is { } scales && (scales.Length != n || primalProx is not null || s.Certificate is null))
        {
            throw new ArgumentException($"Per-entry primal steps need {n} entries, G = 0 and a certificate.", nameof(s));
        }

        if (s.Certificate is not null && s.Adaptive)
        {
            throw new ArgumentException("Adaptive steps balance the residuals, which a certificate does not form.", nameof(s));
        }

        var dual = new double[count][];
        for (int b = 0; b < count; b++)
        {
            dual[b] = dualStart is null ? new double[blocks[b].Operator.RowCount] : dualStart[b];
        }

        return s.Certificate is null ? SolveByResiduals(blocks, primalProx, x, s, dual) : SolveByCertificate(blocks, primalProx, x, s, dual);
    }

    /// <summary>The iteration with stored products K_b·x and the residual stopping rule (see the remarks).</summary>
    private static Result SolveByResiduals(IReadOnlyList<PrimalDualBlock> blocks, IProximalOperator? primalProx, Span<double> x, in Settings s, double[][] dual)
    {
        int n = x.Length;
        int count = blocks.Count;
        double tau = s.PrimalStep, sigma = s.DualStep, adaptivity = InitialAdaptivity;
        var current = x.ToArray();
        var next = new double[n];
        var step = new double[n];
        var adjoint = new double[n];
        var adjointNext = new double[n];
        var blockAdjoint = new double[n];
        var image = new double[count][];
        var imageNext = new double[count][];
        var dualNext = new double[count][];
        var work = new double[count][];
        for (int b = 0; b < count; b++)
        {
            int m = blocks[b].Operator.RowCount;
            image[b] = new double[m];
            imageNext[b] = new double[m];
            dualNext[b] = new double[m];
            work[b] = new double[m];
            blocks[b].Operator.Apply(current, image[b]);
        }

        Adjoint(blocks, dual, adjoint, blockAdjoint);
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

            // ξ_b⁺ = prox_{σ_b F_b*}(ξ_b + σ_b·(2K_b x⁺ − K_b x)), the dual residual, and Kᵀξ⁺.
            double dualSquared = 0.0, dualScale = 0.0;
            Array.Clear(adjointNext);
            for (int b = 0; b < count; b++)
            {
                var k = blocks[b].Operator;
                double blockSigma = sigma * blocks[b].DualStepScale;
                k.Apply(next, imageNext[b]);
                dualScale = Math.Max(dualScale, Kernels.Nrm2(imageNext[b]));
                var v = work[b];
                dual[b].CopyTo(v, 0);
                Kernels.Axpy(2.0 * blockSigma, imageNext[b], v);
                Kernels.Axpy(-blockSigma, image[b], v);
                blocks[b].ConjugateProx.Apply(v, blockSigma, dualNext[b]);

                // d_b = (ξ_b − ξ_b⁺)/σ_b − (K_b x − K_b x⁺)
                Kernels.Subtract(dual[b], dualNext[b], v);
                Kernels.Scal(1.0 / blockSigma, v);
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

    /// <summary>
    /// The iteration on the extrapolated point, K_b(2x⁺ − x), stopping on the certificate (see the remarks); x is updated
    /// in place.
    /// </summary>
    private static Result SolveByCertificate(IReadOnlyList<PrimalDualBlock> blocks, IProximalOperator? primalProx, Span<double> x, in Settings s, double[][] dual)
    {
        int n = x.Length;
        int count = blocks.Count;
        var certificate = s.Certificate!;
        double tau = s.PrimalStep, sigma = s.DualStep;
        double[]? steps = s.PrimalStepScales;
        if (steps is not null && tau != 1.0)
        {
            steps = new double[n];
            for (int j = 0; j < n; j++)
            {
                steps[j] = tau * s.PrimalStepScales![j];
            }
        }

        var adjoint = new double[n];
        var blockAdjoint = blocks.Skip(1).Any(block => !IsIdentity(block.Operator)) ? new double[n] : [];
        var extrapolated = new double[n];
        var previous = primalProx is null ? null : new double[n];
        var work = new double[count][];
        for (int b = 0; b < count; b++)
        {
            work[b] = IsIdentity(blocks[b].Operator) ? [] : new double[blocks[b].Operator.RowCount];
        }

        Adjoint(blocks, dual, adjoint, blockAdjoint);
        for (int iteration = 0; ; iteration++)
        {
            s.CancellationToken.ThrowIfCancellationRequested();
            if (iteration % s.CertificateInterval == 0 || iteration >= s.MaxIterations)
            {
                var (objective, gap) = certificate.Evaluate(x, dual);
                if (!double.IsFinite(objective) || !double.IsFinite(gap))
                {
                    throw new ArithmeticException($"The primal–dual iteration produced a non-finite duality gap at iteration {iteration} (objective {objective}, gap {gap}): the iterates overflowed the double range.");
                }

                s.OnCertificate?.Invoke(iteration, objective, gap);
                bool converged = gap <= s.Tolerance * objective;
                if (converged || iteration >= s.MaxIterations)
                {
                    return new Result(iteration, converged, double.NaN, double.NaN, objective, gap);
                }
            }

            // x⁺ = x − T·Kᵀξ (or prox_{τG}(x − τ·Kᵀξ)) and x̄ = 2x⁺ − x.
            if (steps is not null)
            {
                Kernels.PrimalStep(steps, adjoint, x, extrapolated);
            }
            else if (previous is null)
            {
                Kernels.PrimalStep(tau, adjoint, x, extrapolated);
            }
            else
            {
                x.CopyTo(previous);
                Kernels.Axpy(-tau, adjoint, x);
                primalProx!.Apply(x, tau, x);
                x.CopyTo(extrapolated);
                Kernels.Scal(2.0, extrapolated);
                Kernels.Axpy(-1.0, previous, extrapolated);
            }

            // ξ_b ← prox_{σ_b F_b*}(ξ_b + σ_b·K_b x̄), then Kᵀξ.
            for (int b = 0; b < count; b++)
            {
                var block = blocks[b];
                double blockSigma = sigma * block.DualStepScale;
                ReadOnlySpan<double> image = extrapolated;
                if (!IsIdentity(block.Operator))
                {
                    block.Operator.Apply(extrapolated, work[b]);
                    image = work[b];
                }

                if (block.ConjugateProx is IFusedDualStep fused)
                {
                    fused.Step(dual[b], blockSigma, image);
                }
                else
                {
                    Kernels.Axpy(blockSigma, image, dual[b]);
                    block.ConjugateProx.Apply(dual[b], blockSigma, dual[b]);
                }
            }

            Adjoint(blocks, dual, adjoint, blockAdjoint);
        }
    }

    /// <summary>adjoint ← Σ_b K_bᵀξ_b (the first block written directly, an identity block added without a product).</summary>
    private static void Adjoint(IReadOnlyList<PrimalDualBlock> blocks, double[][] dual, double[] adjoint, double[] blockAdjoint)
    {
        if (blocks.Count == 0)
        {
            Array.Clear(adjoint);
            return;
        }

        for (int b = 0; b < blocks.Count; b++)
        {
            var k = blocks[b].Operator;
            if (IsIdentity(k))
            {
                if (b == 0)
                {
                    dual[b].CopyTo(adjoint, 0);
                }
                else
                {
                    Kernels.Axpy(1.0, dual[b], adjoint);
                }
            }
            else if (b == 0)
            {
                k.ApplyTranspose(dual[b], adjoint);
            }
            else
            {
                k.ApplyTranspose(dual[b], blockAdjoint);
                Kernels.Axpy(1.0, blockAdjoint, adjoint);
            }
        }
    }

    private static bool IsIdentity(ILinearOperator k) => k is ConstraintOperator { IsIdentity: true };
}
