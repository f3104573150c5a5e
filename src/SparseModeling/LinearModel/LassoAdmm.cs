// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The Lasso fitted by the alternating direction method of multipliers (Boyd, Parikh, Chu, Peleato
/// and Eckstein, "Distributed optimization and statistical learning via the alternating direction
/// method of multipliers", Found. Trends Mach. Learn. 2011), with the parameters and semantics of
/// spm-image's <c>LassoADMM</c>: one or several targets, an intercept per target.
/// </summary>
/// <remarks>
/// Minimises (1/(2n))·‖y − Xw − b‖² + α·‖w‖₁ for each target, split as w = z:
/// w ← (XᵀX/n + ρI)⁻¹(Xᵀy/n + ρ(z − u)), z ← S(w + u, α/ρ), u ← u + w − z, starting as spm-image from
/// z = Xᵀy/n, u = 0. The returned coefficients are z, so they have exact zeros.
/// <para>
/// Unlike spm-image, which stops when the cost changes by less than the tolerance and inverts the
/// p×p matrix, this implementation stops on the primal and dual residuals of Boyd et al. (§3.3):
/// ‖w − z‖ ≤ tol·(‖Xᵀy‖/(nρ) + max(‖w‖, ‖z‖)) and ρ‖z − z_prev‖ ≤ tol·(‖Xᵀy‖/n + ρ‖u‖) (absolute plus
/// relative, scaled so that the rule does not depend on the units of X and y), and factors
/// XᵀX/n + ρI once by Cholesky — through the Woodbury identity on the n×n matrix XXᵀ + nρI when there
/// are fewer samples than features — shared by all targets. Each iteration then costs two products
/// with X (wide data) or two triangular solves of order p (tall data).
/// </para>
/// When to choose it: many targets or many fits on the same X (the factorisation is paid once),
/// and moderately sized dense problems; coordinate descent (<see cref="Lasso"/>) is usually faster
/// for one sparse solution.
/// <code>
/// var admm = new LassoAdmm { Alpha = 0.1 }.Fit(x, y);
/// Vector&lt;double&gt; w = admm.Coefficients;
/// Matrix&lt;double&gt; all = new LassoAdmm { Alpha = 0.1 }.Fit(x, targets).CoefficientMatrix; // targets × features
/// </code>
/// </remarks>
public sealed class LassoAdmm : MultiTargetLinearRegressor, IRegularized
{
    /// <summary>Creates the estimator with spm-image's defaults (α = 1, ρ = 1, 1000 iterations, tolerance 1e-4).</summary>
    public LassoAdmm()
    {
    }

    /// <summary>The regularisation strength α ≥ 0 (default 1). α = 0 gives least squares (ridge-stabilised iterations converge to it).</summary>
    public double Alpha { get; set; } = 1.0;

    /// <summary>The augmented-Lagrangian penalty ρ &gt; 0 (default 1). It changes the speed, not the solution; values near the scale of XᵀX/n are usually fastest, and a fit rejects ρ more than 2^64 away from that scale (there the residual rule would accept any iterate).</summary>
    public double Rho { get; set; } = 1.0;

    /// <summary>The most iterations per target (default 1000, at least 1).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The absolute and relative tolerance of the residual stopping rule, ≥ 0 (default 1e-4, as spm-image).</summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>Called after every iteration with the objective at z (scaled as above; an extra product with X per iteration), the primal residual ‖w − z‖ and the dual residual; with several targets, target after target.</summary>
    public Action<AdmmIterationInfo>? OnIteration { get; set; }

    /// <summary>Fits the Lasso to <paramref name="x"/> and the single target <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or <see cref="Rho"/> is too small for the data to factor the system, or more than 2^64 away from the scale of XᵀX/n (where the residual rule would accept any iterate).</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision (coefficients scale as y over X, squared measures as y²: inputs whose scales are too far apart), or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public LassoAdmm Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitSingle(x, y, cancellationToken);
        return this;
    }

    /// <summary>
    /// Fits one Lasso per column of <paramref name="y"/> (spm-image's multi-target fit), sharing the
    /// factorisation; read the result from <see cref="MultiTargetLinearRegressor.CoefficientMatrix"/> and
    /// <see cref="MultiTargetLinearRegressor.Intercepts"/>, predict with <see cref="MultiTargetLinearRegressor.PredictTargets"/>.
    /// <see cref="IterativeEstimator.Iterations"/> is the largest count over the targets and
    /// <see cref="IterativeEstimator.Converged"/> whether all converged.
    /// </summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, samples × targets; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or <see cref="Rho"/> is too small for the data to factor the system, or more than 2^64 away from the scale of XᵀX/n (where the residual rule would accept any iterate).</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision (coefficients scale as y over X, squared measures as y²: inputs whose scales are too far apart), or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public LassoAdmm Fit(Matrix<double> x, Matrix<double> y, CancellationToken cancellationToken = default)
    {
        FitMany(x, y, cancellationToken);
        return this;
    }

    private protected override void FitTargets(Matrix<double> x, double[][] targets, CancellationToken cancellationToken)
    {
        int n = x.RowCount, p = x.ColumnCount;

        // Data far from unit scale is fitted rescaled by powers of two (see LinearScale): α scales as s·t and ρ
        // (a curvature, as XᵀX/n) as s²; nothing changes otherwise. The targets are the caller's copies.
        var scale = LinearScale.Of(x, targets);
        x = scale.Apply(x);
        foreach (var target in targets)
        {
            scale.ApplyInPlace(target);
        }

        var data = CenteredData.Prepare(x, Vector<double>.Build.Dense(targets[0]), FitIntercept);
        var solver = LassoAdmmConfiguration.CreateSolver(data.X, n, p, scale.CheckedCurvature(Rho, nameof(Rho)), nameof(Rho), rhoUnit: Rescaling.Saturating(1.0, -2 * scale.X));
        double alpha = scale.Penalty(Alpha);
        var onIteration = scale.IsIdentity || OnIteration is not { } report
            ? OnIteration
            : info => report(info with
            {
                Objective = scale.ReportSquared(info.Objective),
                PrimalResidual = Rescaling.Saturating(info.PrimalResidual, scale.X - scale.Y),
                DualResidual = scale.UnscalePenalty(info.DualResidual),
                Rho = Rescaling.Saturating(info.Rho, -2 * scale.X),
            });
        var rows = new double[targets.Length * p];
        var intercepts = new double[targets.Length];
        int iterations = 0;
        bool converged = true;
        double residual = 0.0;
        for (int k = 0; k < targets.Length; k++)
        {
            var y = targets[k];
            double yMean = data.CentreTarget(y);

            var target = LassoAdmmConfiguration.Start(data.X, n, p, y);
            var result = solver.Solve(target, LassoAdmmConfiguration.Settings(data.X, n, p, y, alpha, MaxIterations, Tolerance, onIteration, cancellationToken));
            var row = rows.AsSpan(k * p, p);
            target.Z.CopyTo(row);
            scale.UnscaleCoefficients(row);
            intercepts[k] = scale.UnscaleIntercept(data.Intercept(yMean, target.Z));
            iterations = Math.Max(iterations, result.Iterations);
            converged &= result.Converged;
            residual = Math.Max(residual, Rescaling.Checked(result.PrimalResidual, scale.X - scale.Y, "primal residual"));
        }

        Commit(new MultiTargetLinearState(rows, intercepts, targets.Length, p, iterations, converged, residual));
    }

    private protected override void ValidateParameters()
    {
        Guard.AtLeast(Alpha, 0.0, nameof(Alpha));
        Guard.GreaterThan(Rho, 0.0, nameof(Rho));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
    }
}
