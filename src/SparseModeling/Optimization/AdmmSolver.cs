// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Optimization;

/// <summary>
/// The one ADMM core of the library (Boyd, Parikh, Chu, Peleato and Eckstein, "Distributed
/// optimization and statistical learning via the alternating direction method of multipliers",
/// Found. Trends Mach. Learn. 2011): minimise f(w) + g(z) subject to Dw − z = 0, with f a quadratic
/// ½wᵀHw − qᵀw + const — (1/(2n))‖y − Xw‖² has H = XᵀX/n, q = Xᵀy/n — in scaled form
/// <list type="number">
/// <item>w ← (H + ρDᵀD)⁻¹·(q + ρDᵀ(z − u)) (an <see cref="IAdmmSystem"/>)</item>
/// <item>ŵ = α·Dw + (1 − α)·z (over-relaxation, §3.4.3; α = 1 by default)</item>
/// <item>z ← prox_{g/ρ}(ŵ + u) (an <see cref="IProximalOperator"/>)</item>
/// <item>u ← u + ŵ − z</item>
/// </list>
/// Plug-ins: the constraint D (<see cref="ConstraintOperator"/>: identity for the Lasso; first and
/// second differences for the fused Lasso and trend filtering — the generalized Lasso of Tibshirani
/// and Taylor, "The solution path of the generalized lasso", Ann. Statist. 2011; a dense matrix; any
/// operator), the x-update system (dense Cholesky, Woodbury for D = I with n &lt; p, banded Cholesky,
/// conjugate gradients) and the prox (soft threshold, non-negative, group L2,1, singular-value
/// thresholding).
/// </summary>
/// <remarks>
/// Stopping (§3.3) on the primal residual r = ‖Dw − z‖ and dual residual s = ρ‖Dᵀ(z − z_prev)‖, by
/// one of two rules (<see cref="AdmmStopping"/>): Boyd's ε_pri = √m·ε_abs + ε_rel·max(‖Dw‖, ‖z‖),
/// ε_dual = √p·ε_abs + ε_rel·ρ‖Dᵀu‖; or the scaled rule of the Lasso estimators, r ≤ tol·(‖q‖/ρ +
/// max(‖Dw‖, ‖z‖)) and s ≤ tol·(‖q‖ + ρ‖Dᵀu‖), which does not depend on the units of X and y.
/// Adaptive ρ by residual balancing (§3.4.1, μ = 10, τ = 2) rescales u and refactors the system when ρ
/// changes; off by default. With D = I the products with D are skipped, so the Lasso configuration
/// runs the same operations as a dedicated loop. Workspaces are allocated once per solve.
/// </remarks>
internal sealed class AdmmSolver
{
    /// <summary>Residual balancing: ρ changes when one residual exceeds the other by this factor.</summary>
    public const double BalanceRatio = 10.0;

    /// <summary>Residual balancing: the factor by which ρ is raised or lowered.</summary>
    public const double RhoFactor = 2.0;

    private readonly ConstraintOperator _d;
    private readonly IAdmmSystem _system;
    private readonly string _rhoName;
    private readonly double _rhoUnit;

    /// <summary>Prepares the system for penalty <paramref name="rho"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">H + ρDᵀD is not numerically positive definite; the exception names <paramref name="rhoName"/> and ρ·<paramref name="rhoUnit"/> (ρ in the caller's units).</exception>
    public AdmmSolver(ConstraintOperator d, IAdmmSystem system, double rho, string rhoName, double rhoUnit = 1.0)
    {
        if (system.Order != d.ColumnCount)
        {
            throw new ArgumentException($"The system has order {system.Order} but D has {d.ColumnCount} columns.", nameof(system));
        }

        _d = d;
        _system = system;
        _rhoName = rhoName;
        _rhoUnit = rhoUnit;
        Refactor(rho);
    }

    /// <summary>The penalty ρ now in use (changed by adaptive ρ, and kept for the next solve).</summary>
    public double Rho { get; private set; }

    /// <summary>The constraint operator D.</summary>
    public ConstraintOperator Constraint => _d;

    /// <summary>f + g at an iterate, for <see cref="Settings.OnIteration"/>; w has p entries, z has m.</summary>
    public delegate double Objective(ReadOnlySpan<double> w, ReadOnlySpan<double> z);

    /// <summary>Settings of one solve.</summary>
    /// <param name="Prox">The z-step: the prox of g.</param>
    /// <param name="MaxIterations">The most iterations, ≥ 1.</param>
    /// <param name="Tolerance">The tolerance of the scaled rule, or ε_abs of Boyd's rule.</param>
    public sealed record Settings(IProximalOperator Prox, int MaxIterations, double Tolerance)
    {
        /// <summary>The stopping rule (default the scaled rule of the Lasso estimators).</summary>
        public AdmmStopping Stopping { get; init; } = AdmmStopping.Scaled;

        /// <summary>ε_rel of Boyd's rule (default: <see cref="Tolerance"/>).</summary>
        public double? RelativeTolerance { get; init; }

        /// <summary>The over-relaxation α ∈ [1, 1.8] (default 1: none).</summary>
        public double OverRelaxation { get; init; } = 1.0;

        /// <summary>Whether ρ adapts by residual balancing (default false).</summary>
        public bool AdaptiveRho { get; init; }

        /// <summary>f + g for the callback; evaluated only when <see cref="OnIteration"/> is set (NaN when null).</summary>
        public Objective? Objective { get; init; }

        /// <summary>Called after every iteration.</summary>
        public Action<AdmmIterationInfo>? OnIteration { get; init; }

        /// <summary>Checked once per iteration.</summary>
        public CancellationToken CancellationToken { get; init; }
    }

    /// <summary>The outcome: the final residuals, the iterations run, and convergence.</summary>
    public readonly record struct Result(double PrimalResidual, double DualResidual, int Iterations, bool Converged);

    /// <summary>The iterate of one problem, carried between solves for warm starts (a regularisation path).</summary>
    public sealed class State
    {
        /// <summary>Starts from w = 0, u = 0 and the given z (m entries) for the linear term q (p entries); both kept, not copied.</summary>
        public State(double[] q, double[] z)
        {
            Q = q;
            Z = z;
            W = new double[q.Length];
            U = new double[z.Length];
        }

        /// <summary>The linear term q of f (Xᵀy/n for least squares).</summary>
        public double[] Q { get; }

        /// <summary>The split iterate z (m entries): for D = I the sparse coefficients once converged.</summary>
        public double[] Z { get; }

        /// <summary>The smooth iterate w (p entries); also the warm start of iterative systems.</summary>
        public double[] W { get; }

        /// <summary>The scaled dual u (m entries).</summary>
        public double[] U { get; }
    }

    /// <summary>Runs ADMM from the state's z and u (and w, for iterative systems).</summary>
    public Result Solve(State state, Settings s)
    {
        int p = _d.ColumnCount, m = _d.RowCount;
        bool identity = _d.IsIdentity;
        double relaxation = s.OverRelaxation;
        if (!(relaxation >= 1.0 && relaxation <= 1.8))
        {
            throw Guard.OutOfRange(nameof(s), $"OverRelaxation must be in [1, 1.8] (was {relaxation}).");
        }

        var q = state.Q;
        var z = state.Z;
        var u = state.U;
        var w = state.W;
        var rhs = new double[p];
        var zPrevious = new double[m];
        var dw = identity ? w : new double[m];
        var rowScratch = identity ? [] : new double[m];
        var columnScratch = identity ? [] : new double[p];
        double relative = s.RelativeTolerance ?? s.Tolerance;
        double qNorm = Kernels.Nrm2(q);
        double primal = double.PositiveInfinity, dual = double.PositiveInfinity;
        for (int iteration = 1; iteration <= s.MaxIterations; iteration++)
        {
            s.CancellationToken.ThrowIfCancellationRequested();
            double rho = Rho;

            // w = (H + ρDᵀD)⁻¹(q + ρDᵀ(z − u)); an iterative solve is as tight as the last residuals ask.
            if (identity)
            {
                z.CopyTo(rhs, 0);
                Kernels.Axpy(-1.0, u, rhs);
                Kernels.Scal(rho, rhs);
            }
            else
            {
                z.CopyTo(rowScratch, 0);
                Kernels.Axpy(-1.0, u, rowScratch);
                Kernels.Scal(rho, rowScratch);
                _d.ApplyTranspose(rowScratch, rhs);
            }

            Kernels.Axpy(1.0, q, rhs);
            _system.Solve(rhs, w, 0.01 * Math.Min(dual, rho * primal));
            if (!identity)
            {
                _d.Apply(w, dw);
            }

            // z = prox_{g/ρ}(ŵ + u); u += ŵ − z, with ŵ = α·Dw + (1 − α)·z_prev.
            (z, zPrevious) = (zPrevious, z); // z_prev is the old z; the prox overwrites the other buffer.
            Kernels.Axpy(relaxation, dw, u);
            if (relaxation != 1.0)
            {
                Kernels.Axpy(1.0 - relaxation, zPrevious, u);
            }

            s.Prox.Apply(u, 1.0 / rho, z);
            Kernels.Axpy(-1.0, z, u);

            // Residuals (Boyd et al. §3.3): r = Dw − z, s = ρDᵀ(z − z_prev); and ‖Dᵀu‖ for the dual limit. The dual side
            // (two products with Dᵀ for a general D) is computed only when the primal test passes, at the last iteration, or
            // when the callback, residual balancing or an iterative system's tolerance reads it.
            primal = Kernels.Distance(dw, z);
            double primalScale = Math.Max(Kernels.Nrm2(dw), Kernels.Nrm2(z));
            double primalLimit = s.Stopping == AdmmStopping.Scaled
                ? s.Tolerance * ((qNorm / rho) + primalScale)
                : (Math.Sqrt(m) * s.Tolerance) + (relative * primalScale);
            double dualLimit = double.NaN;
            bool needDual = primal <= primalLimit || iteration == s.MaxIterations || s.OnIteration is not null || s.AdaptiveRho || _system.IsIterative
                || !double.IsFinite(primal) || !double.IsFinite(primalLimit);
            if (needDual)
            {
                double dualScale;
                if (identity)
                {
                    dual = rho * Kernels.Distance(z, zPrevious);
                    dualScale = Kernels.Nrm2(u);
                }
                else
                {
                    Kernels.Subtract(z, zPrevious, rowScratch);
                    _d.ApplyTranspose(rowScratch, columnScratch);
                    dual = rho * Kernels.Nrm2(columnScratch);
                    _d.ApplyTranspose(u, columnScratch);
                    dualScale = Kernels.Nrm2(columnScratch);
                }

                dualLimit = s.Stopping == AdmmStopping.Scaled
                    ? s.Tolerance * (qNorm + (rho * dualScale))
                    : (Math.Sqrt(p) * s.Tolerance) + (relative * rho * dualScale);
            }

            if (s.OnIteration is not null)
            {
                double objective = s.Objective is null ? double.NaN : s.Objective(w, z);
                s.OnIteration(new AdmmIterationInfo(iteration, objective, primal, dual, rho));
            }

            if (needDual && (!double.IsFinite(primal) || !double.IsFinite(dual) || !double.IsFinite(primalLimit) || !double.IsFinite(dualLimit)))
            {
                // NaN compares false and ∞ limits accept anything: neither may decide convergence.
                throw new ArithmeticException($"ADMM produced non-finite residuals at iteration {iteration} (primal {primal} against {primalLimit}, dual {dual} against {dualLimit}): the iterates or the products of the data overflowed the double range.");
            }

            if (needDual && primal <= primalLimit && dual <= dualLimit)
            {
                Keep(z, state.Z);
                return new Result(primal, dual, iteration, true);
            }

            if (s.AdaptiveRho)
            {
                // Residual balancing (§3.4.1): u = y/ρ is rescaled so that the unscaled dual y is kept.
                if (primal > BalanceRatio * dual)
                {
                    Kernels.Scal(1.0 / RhoFactor, u);
                    Refactor(rho * RhoFactor);
                }
                else if (dual > BalanceRatio * primal)
                {
                    Kernels.Scal(RhoFactor, u);
                    Refactor(rho / RhoFactor);
                }
            }
        }

        Keep(z, state.Z);
        return new Result(primal, dual, s.MaxIterations, false);
    }

    /// <summary>Leaves the final z in the state's array (the loop alternates two buffers).</summary>
    private static void Keep(double[] z, double[] stateZ)
    {
        if (!ReferenceEquals(z, stateZ))
        {
            z.CopyTo(stateZ, 0);
        }
    }

    private void Refactor(double rho)
    {
        if (!_system.Factor(rho))
        {
            throw Guard.OutOfRange(_rhoName, $"{_rhoName} = {rho * _rhoUnit} is too small for this data: the ADMM system H + ρDᵀD is not numerically positive definite. Increase Rho.");
        }

        Rho = rho;
    }
}

/// <summary>The stopping rule of <see cref="AdmmSolver"/>.</summary>
internal enum AdmmStopping
{
    /// <summary>r ≤ tol·(‖q‖/ρ + max(‖Dw‖, ‖z‖)) and s ≤ tol·(‖q‖ + ρ‖Dᵀu‖): the Lasso estimators' rule, free of the units of X and y.</summary>
    Scaled,

    /// <summary>Boyd et al. (3.12): r ≤ √m·ε_abs + ε_rel·max(‖Dw‖, ‖z‖) and s ≤ √p·ε_abs + ε_rel·ρ‖Dᵀu‖.</summary>
    Boyd,
}
