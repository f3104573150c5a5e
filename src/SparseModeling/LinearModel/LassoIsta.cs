// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.Optimization;

namespace SparseModeling.LinearModel;

/// <summary>
/// The Lasso fitted by proximal gradient descent: ISTA, or by default its accelerated form FISTA
/// (Beck and Teboulle, "A fast iterative shrinkage-thresholding algorithm for linear inverse
/// problems", SIAM J. Imaging Sci. 2009) with adaptive restart (O'Donoghue and Candès, "Adaptive
/// restart for accelerated gradient schemes", Found. Comput. Math. 2015). Besides explicit matrices
/// it fits problems whose matrix is only available as an operator (<see cref="Fit(ILinearOperator, Vector{double}, CancellationToken)"/>):
/// a subsampled Fourier or cosine transform, a convolution — compressed sensing.
/// </summary>
/// <remarks>
/// Minimises (1/(2n))·‖y − Xw − b‖² + α·‖w‖₁ (scikit-learn's Lasso objective; b only when
/// <see cref="LinearRegressor.FitIntercept"/> and X is a matrix). Each iteration is one gradient
/// step of length <see cref="StepSize"/> (1/L by default, L the largest eigenvalue of XᵀX/n) followed
/// by soft-thresholding; with <see cref="Accelerated"/> the step is taken from an extrapolated point,
/// and a step that would raise the objective is discarded and the momentum reset, so the objective
/// never increases. Fitting stops when the duality gap (the dual point of coordinate descent) falls
/// below <see cref="Tolerance"/>·‖y − ȳ‖²/n; the gap is evaluated every 10 iterations, or sooner when
/// the objective changes by less than <see cref="Tolerance"/> relatively. Each iteration costs two
/// products with X (one with X, one with Xᵀ). When to choose it: matrix-free problems, and wide
/// dense problems where most coefficients stay non-zero; coordinate descent (<see cref="Lasso"/>)
/// is usually faster on sparse solutions with an explicit matrix.
/// <code>
/// var fista = new LassoIsta { Alpha = 0.1 }.Fit(x, y);
/// Vector&lt;double&gt; w = fista.Coefficients;
/// var recovered = new LassoIsta { Alpha = 1e-3 }.Fit(samplingOperator, measurements).Coefficients;
/// </code>
/// </remarks>
public sealed class LassoIsta : LinearRegressor, IRegularized
{
    /// <summary>Creates the estimator with α = 1, FISTA, step 1/L, 1000 iterations, tolerance 1e-4.</summary>
    public LassoIsta()
    {
    }

    /// <summary>
    /// The regularisation strength α ≥ 0 (default 1). α = 0 minimises least squares; the duality gap
    /// then equals the objective itself, so the fit runs to <see cref="MaxIterations"/> and reports
    /// <see cref="IterativeEstimator.Converged"/> false unless the residual vanishes.
    /// </summary>
    public double Alpha { get; set; } = 1.0;

    /// <summary>Whether to use FISTA's momentum with restart (default true); false gives plain ISTA, which converges as O(1/k) instead of O(1/k²).</summary>
    public bool Accelerated { get; set; } = true;

    /// <summary>
    /// The gradient step, &gt; 0, or null (default) for 1/L with L the largest eigenvalue of XᵀX/n from a
    /// power iteration (with a 1% margin). A step above 1/L may diverge: the fit then throws
    /// <see cref="ArithmeticException"/> naming the step and 1/L.
    /// </summary>
    public double? StepSize { get; set; }

    /// <summary>The most iterations (default 1000, at least 1).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The duality-gap tolerance relative to ‖y − ȳ‖²/n, ≥ 0 (default 1e-4, as <see cref="Lasso"/>).</summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>Called after every iteration with the objective (scaled as above) and, when evaluated in that iteration, the duality gap (scaled as <see cref="DualGap"/>).</summary>
    public Action<ProximalGradientIterationInfo>? OnIteration { get; set; }

    /// <summary>The duality gap at the end of the last fit, in the scaling of the objective above.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double DualGap => FittedGap(nameof(DualGap));

    /// <summary>Fits the Lasso to <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="ArithmeticException">The iterates diverged (a <see cref="StepSize"/> above 1/L: the message names both), or the coefficients are not representable in double precision.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public LassoIsta Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitCore(x, y, cancellationToken);
        return this;
    }

    /// <summary>
    /// Fits the Lasso with the design matrix given as an operator: w minimises
    /// (1/(2n))·‖y − Aw‖² + α·‖w‖₁ with n = <see cref="ILinearOperator.RowCount"/>. No intercept is
    /// fitted here whatever <see cref="LinearRegressor.FitIntercept"/> says (centring would need the
    /// column means of A); <see cref="LinearRegressor.Intercept"/> is 0, and <see cref="LinearRegressor.Predict"/>
    /// takes matrices with <see cref="ILinearOperator.ColumnCount"/> columns.
    /// </summary>
    /// <param name="a">The operator A (m×p); only its products are used.</param>
    /// <param name="y">The measurements, <see cref="ILinearOperator.RowCount"/> entries; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The operator has no rows or columns, <paramref name="y"/> is empty, holds NaN or ±∞, or its length differs from the operator's row count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="ArithmeticException">The operator returned NaN for a finite input (the message names the iteration), or the iterates diverged (a <see cref="StepSize"/> above 1/L), or the coefficients are not representable in double precision.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public LassoIsta Fit(ILinearOperator a, Vector<double> y, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(y);
        ValidateParameters();
        if (a.RowCount < 1 || a.ColumnCount < 1)
        {
            throw new ArgumentException($"a is empty ({a.RowCount}×{a.ColumnCount}); the operator needs at least one row and one column.", nameof(a));
        }

        if (y.Count != a.RowCount)
        {
            throw new ArgumentException($"y has {y.Count} entries but the operator a has {a.RowCount} rows; they must agree.", nameof(y));
        }

        Guard.Finite(y);

        // Only y can be rescaled here (the operator is known only through its products); see LinearScale.
        var scale = new LinearScale(0, Rescaling.Exponent(Rescaling.MaxAbs(y.AsArray() ?? y.ToArray()), -LinearScale.Band, LinearScale.Band));
        var w = new double[a.ColumnCount];
        var result = Run(a, scale.Apply(y).ToArray(), w, scale, cancellationToken);
        scale.UnscaleCoefficients(w);
        SetFitted(w, 0.0, result.Iterations, result.Converged, scale.UnscaleSquared(result.Gap, "duality gap"));
        return this;
    }

    private protected override void FitCore(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        Guard.Targets(y, x.RowCount);

        // Data far from unit scale is fitted rescaled by powers of two (see LinearScale); nothing changes otherwise.
        var scale = LinearScale.Of(x, y);
        var data = CenteredData.Prepare(scale.Apply(x), scale.Apply(y), FitIntercept);
        var a = new DenseLinearOperator(MatrixStorage.FromColumnMajor(x.RowCount, x.ColumnCount, data.X));
        var w = new double[x.ColumnCount];
        var result = Run(a, data.Y, w, scale, cancellationToken);
        double intercept = scale.UnscaleIntercept(data.Intercept(w));
        scale.UnscaleCoefficients(w);
        SetFitted(w, intercept, result.Iterations, result.Converged, scale.UnscaleSquared(result.Gap, "duality gap"));
    }

    private ProximalGradientSolver.Result Run(ILinearOperator a, double[] y, double[] w, LinearScale scale, CancellationToken cancellationToken)
    {
        // On rescaled data α is s·t times larger and the step s² times smaller (1/L scales as 1/s²).
        double step = StepSize is double given ? Rescaling.Saturating(given, -2 * scale.X) : DefaultStep(a, cancellationToken);
        double alpha = scale.Penalty(Alpha);
        var stopping = new LassoDualGapStopping(a, y, alpha, Tolerance);
        var onIteration = scale.IsIdentity || OnIteration is not { } report
            ? OnIteration
            : info => report(info with { Objective = scale.ReportSquared(info.Objective), DualGap = scale.ReportSquared(info.DualGap) });
        var settings = new ProximalGradientSolver.Settings(
            new SoftThresholdProx(alpha),
            step,
            Accelerated,
            MaxIterations,
            stopping,
            onIteration,
            cancellationToken,
            StepName: StepSize is null ? null : nameof(StepSize),
            StepUnit: Rescaling.Saturating(1.0, 2 * scale.X));
        return ProximalGradientSolver.Solve(a, y, w, settings);
    }

    private static double DefaultStep(ILinearOperator a, CancellationToken cancellationToken)
    {
        double lipschitz = ProximalGradientSolver.LargestEigenvalue(a, cancellationToken: cancellationToken) * ProximalGradientSolver.LipschitzMargin;
        // A zero operator has a zero gradient: any step gives the same (zero) solution.
        return lipschitz > 0.0 ? 1.0 / lipschitz : 1.0;
    }

    private protected override void ValidateParameters()
    {
        Guard.AtLeast(Alpha, 0.0, nameof(Alpha));
        if (StepSize is double step)
        {
            Guard.GreaterThan(step, 0.0, nameof(StepSize));
        }

        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
    }
}
