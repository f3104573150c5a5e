// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The Lasso solved by least angle regression with the Lasso modification (Efron, Hastie,
/// Johnstone and Tibshirani, "Least angle regression", Ann. Statist. 32(2), 2004, section 3.1), as
/// scikit-learn's <c>LassoLars</c>.
/// </summary>
/// <remarks>
/// <para>
/// Minimises (1/(2n))·‖y − Xw − b‖² + α·‖w‖₁ exactly (up to rounding, no tolerance): the LARS–Lasso
/// path is followed from w = 0 at α_max = max|Xᵀ(y − ȳ)|/n down through its knots, a feature
/// leaving the active set where its coefficient reaches zero, and the solution at
/// <see cref="Alpha"/> is interpolated linearly between the two knots around it. The cost is
/// one Cholesky row per join plus one pass over the Gram columns per step, so it wins over
/// coordinate descent when the solution has few non-zeros or when the whole path is wanted; it loses
/// when α is small and many features are active.
/// </para>
/// <para>
/// α = 0 is allowed: the path is then followed to its end, which is the least-squares fit when
/// there are more samples than features (with fewer, the path ends when the residual vanishes, at
/// one of the many interpolating solutions). The fit also stops after <see cref="MaxIterations"/>
/// steps, leaving <see cref="IterativeEstimator.Converged"/> false.
/// </para>
/// <code>
/// var model = new LassoLars { Alpha = 0.01 }.Fit(x, y);
/// Vector&lt;double&gt; w = model.Coefficients;
/// </code>
/// </remarks>
public sealed class LassoLars : LarsRegressor, IRegularized
{
    /// <summary>Creates a LARS-Lasso with scikit-learn's defaults (α = 1, 500 steps at most, intercept fitted).</summary>
    public LassoLars()
    {
    }

    /// <summary>The regularisation strength α ≥ 0 (default 1).</summary>
    public double Alpha { get; set; } = 1.0;

    /// <summary>The most LARS steps, ≥ 1 (default 500, as scikit-learn); each join or drop is a step.</summary>
    public int MaxIterations { get; set; } = 500;

    /// <summary>When true, coefficients are constrained to be ≥ 0 (default false).</summary>
    public bool Positive { get; set; }

    /// <summary>Fits the model to <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between steps; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Alpha"/> is negative or not finite, or <see cref="MaxIterations"/> is below 1.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision (coefficients scale as y over X, squared measures as y²: inputs whose scales are too far apart), or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public LassoLars Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitCore(x, y, cancellationToken);
        return this;
    }

    private protected override void ValidateParameters()
    {
        Guard.AtLeast(Alpha, 0.0, nameof(Alpha));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
    }

    private protected override void FitCore(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        // Unless α = 0 the length of the path is unknown: start from X, and let the solver form the
        // Gram matrix if the path turns out long.
        var problem = Prepare(x, y, Alpha == 0.0 ? MaxIterations : 0);
        var output = problem.ToCallerUnits(problem.Solve(LarsMethod.Lasso, Alpha, MaxIterations, Positive, OnIteration, cancellationToken));
        Commit(StateOf(problem, output, output.Knots - 1, output.Stop == LarsSolver.StopReason.AlphaReached));
    }
}
