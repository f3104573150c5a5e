// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

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
public sealed class LassoAdmm : LinearRegressor
{
    /// <summary>Creates the estimator with spm-image's defaults (α = 1, ρ = 1, 1000 iterations, tolerance 1e-4).</summary>
    public LassoAdmm()
    {
    }

    /// <summary>The regularisation strength α ≥ 0 (default 1). α = 0 gives least squares (ridge-stabilised iterations converge to it).</summary>
    public double Alpha { get; set; } = 1.0;

    /// <summary>The augmented-Lagrangian penalty ρ &gt; 0 (default 1). It changes the speed, not the solution; values near the scale of XᵀX/n are usually fastest.</summary>
    public double Rho { get; set; } = 1.0;

    /// <summary>The most iterations per target (default 1000, at least 1).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The absolute and relative tolerance of the residual stopping rule, ≥ 0 (default 1e-4, as spm-image).</summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>Called after every iteration with the objective at z (scaled as above; an extra product with X per iteration) and the primal residual ‖w − z‖ as the gap; with several targets, target after target.</summary>
    public Action<AdmmIterationInfo>? OnIteration { get; set; }

    /// <summary>The coefficients of every target, targets × features (one row for a single-target fit; a copy).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> CoefficientMatrix
    {
        get
        {
            var state = AdmmState(nameof(CoefficientMatrix));
            int p = state.Coefficients.Length;
            return Matrix<double>.Build.Dense(state.TargetCount, p, (i, j) => state.CoefficientRows[(i * p) + j]);
        }
    }

    /// <summary>The intercept of every target (one entry for a single-target fit; a copy).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Vector<double> Intercepts => Vector<double>.Build.Dense((double[])AdmmState(nameof(Intercepts)).Intercepts.Clone());

    private protected override Type StateType => typeof(LassoAdmmState);

    /// <summary>Fits the Lasso to <paramref name="x"/> and the single target <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or <see cref="Rho"/> is too small for the data to factor the system.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public LassoAdmm Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitCore(x, y, cancellationToken);
        return this;
    }

    /// <summary>
    /// Fits one Lasso per column of <paramref name="y"/> (spm-image's multi-target fit), sharing the
    /// factorisation; read the result from <see cref="CoefficientMatrix"/> and <see cref="Intercepts"/>,
    /// predict with <see cref="PredictTargets"/>. After a fit on more than one target the single-target
    /// members (<see cref="LinearRegressor.Coefficients"/>, <see cref="LinearRegressor.Intercept"/>,
    /// <see cref="LinearRegressor.Predict"/>, <see cref="LinearRegressor.Score"/>) throw
    /// <see cref="InvalidOperationException"/>; <see cref="LinearRegressor.Iterations"/> is the largest
    /// count over the targets and <see cref="LinearRegressor.Converged"/> whether all converged.
    /// </summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, samples × targets; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or <see cref="Rho"/> is too small for the data to factor the system.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public LassoAdmm Fit(Matrix<double> x, Matrix<double> y, CancellationToken cancellationToken = default)
    {
        ValidateParameters();
        Guard.Samples(x);
        ArgumentNullException.ThrowIfNull(y);
        if (y.RowCount != x.RowCount || y.ColumnCount == 0)
        {
            throw new ArgumentException($"y is {y.RowCount}×{y.ColumnCount} but must have one row per sample ({x.RowCount}) and at least one column.", nameof(y));
        }

        Guard.Finite(y);
        var targets = new double[y.ColumnCount][];
        for (int k = 0; k < targets.Length; k++)
        {
            targets[k] = y.Column(k).ToArray();
        }

        FitTargets(x, targets, cancellationToken);
        return this;
    }

    /// <summary>Predicts every target: samples × targets, entry (i, k) = xᵢᵀw_k + b_k.</summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <returns>The predictions, one row per sample and one column per target.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN or ±∞, or has the wrong number of columns.</exception>
    public Matrix<double> PredictTargets(Matrix<double> x)
    {
        var state = AdmmState(nameof(PredictTargets));
        Guard.Samples(x);
        int p = state.Coefficients.Length, targets = state.TargetCount, n = x.RowCount;
        Guard.ColumnCount(x, p);
        var data = MatrixStorage.ColumnMajor(x);
        var result = new double[n * targets];
        for (int k = 0; k < targets; k++)
        {
            var column = result.AsSpan(k * n, n);
            column.Fill(state.Intercepts[k]);
            Gemv.Multiply(n, p, 1.0, data, n, state.CoefficientRows.AsSpan(k * p, p), 1.0, column);
        }

        return MatrixStorage.FromColumnMajor(n, targets, result);
    }

    private protected override void FitCore(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        ValidateParameters();
        Guard.Samples(x);
        Guard.Targets(y, x.RowCount);
        FitTargets(x, [y.ToArray()], cancellationToken);
    }

    private protected override void CheckAvailable(LinearModelState state, string member)
    {
        if (state is LassoAdmmState { TargetCount: > 1 } admm && member is nameof(Coefficients) or nameof(Intercept) or nameof(Predict))
        {
            throw new InvalidOperationException($"LassoAdmm was fitted on {admm.TargetCount} targets, so {member} has no single value: read CoefficientMatrix and Intercepts, or call PredictTargets.");
        }
    }

    private void FitTargets(Matrix<double> x, double[][] targets, CancellationToken cancellationToken)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var data = CenteredData.Prepare(x, Vector<double>.Build.Dense(targets[0]), FitIntercept);
        var solver = LassoAdmmConfiguration.CreateSolver(data.X, n, p, Rho, nameof(Rho));
        var rows = new double[targets.Length * p];
        var intercepts = new double[targets.Length];
        int iterations = 0;
        bool converged = true;
        double residual = 0.0;
        for (int k = 0; k < targets.Length; k++)
        {
            var y = targets[k];
            double yMean = 0.0;
            if (FitIntercept)
            {
                yMean = Kernels.Sum(y) / n;
                Kernels.AddScalar(-yMean, y);
            }

            var target = LassoAdmmConfiguration.Start(data.X, n, p, y);
            var result = solver.Solve(target, LassoAdmmConfiguration.Settings(data.X, n, p, y, Alpha, MaxIterations, Tolerance, OnIteration, cancellationToken));
            target.Z.CopyTo(rows, k * p);
            intercepts[k] = data.XMean is null ? 0.0 : yMean - Kernels.Dot(data.XMean, target.Z);
            iterations = Math.Max(iterations, result.Iterations);
            converged &= result.Converged;
            residual = Math.Max(residual, result.PrimalResidual);
        }

        SetFitted(new LassoAdmmState(rows[..p], intercepts[0], iterations, converged, residual, targets.Length, rows, intercepts));
    }

    private LassoAdmmState AdmmState(string member) =>
        FittedState<LassoAdmmState>(member);

    private void ValidateParameters()
    {
        Guard.AtLeast(Alpha, 0.0, nameof(Alpha));
        Guard.GreaterThan(Rho, 0.0, nameof(Rho));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
    }
}

/// <summary>The fitted state of <see cref="LassoAdmm"/>: the base state (first target) plus every target's coefficients (row-major, targets × features) and intercepts.</summary>
internal sealed record LassoAdmmState(
    double[] Coefficients,
    double Intercept,
    int Iterations,
    bool Converged,
    double Gap,
    int TargetCount,
    double[] CoefficientRows,
    double[] Intercepts)
    : LinearModelState(Coefficients, Intercept, Iterations, Converged, Gap);
