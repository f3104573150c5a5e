// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// Least angle regression (Efron, Hastie, Johnstone and Tibshirani, "Least angle regression", Ann.
/// Statist. 32(2), 2004) stopped after a given number of non-zero coefficients, as scikit-learn's
/// <c>Lars</c>.
/// </summary>
/// <remarks>
/// Features join one per step, each when its correlation with the residual catches up with those
/// of the active ones; the coefficients move along the equiangular direction in between. The fit
/// stops after <see cref="NonzeroCoefficients"/> steps, when every feature is active (the result is
/// then the least-squares fit) or when the residual vanishes (fewer samples than features),
/// whichever comes first; the fitted model is the last knot.
/// X and y are centred first when <see cref="LinearRegressor.FitIntercept"/> (the default), and
/// b = ȳ − x̄ᵀw. The whole path stays available in <see cref="LarsRegressor.CoefficientPath"/>.
/// <code>
/// var lars = new Lars { NonzeroCoefficients = 10 }.Fit(x, y);
/// Vector&lt;double&gt; w = lars.Coefficients;   // at most 10 non-zeros
/// </code>
/// </remarks>
public sealed class Lars : LarsRegressor, ISparsityConstrained
{
    /// <summary>Creates a LARS estimator that runs the whole path (every feature active), intercept fitted.</summary>
    public Lars()
    {
    }

    /// <summary>
    /// The number of LARS steps, hence of non-zero coefficients, from 1 to the feature count; default
    /// null: every feature (the fit then ends at least squares, as scikit-learn's default of 500 does
    /// for up to 500 features).
    /// </summary>
    public int? NonzeroCoefficients { get; set; }

    /// <summary>Fits the model to <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between steps; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="NonzeroCoefficients"/> is below 1 or above the feature count.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision (coefficients scale as y over X, squared measures as y²: inputs whose scales are too far apart), or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Lars Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitCore(x, y, cancellationToken);
        return this;
    }

    private protected override void ValidateParameters()
    {
        if (NonzeroCoefficients is { } requested)
        {
            Guard.AtLeast(requested, 1, nameof(NonzeroCoefficients));
        }
    }

    private protected override void FitCore(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        ArgumentNullException.ThrowIfNull(x);
        int steps = NonzeroCoefficients ?? x.ColumnCount;
        if (NonzeroCoefficients is { } requested)
        {
            Guard.InRange(requested, 1, x.ColumnCount, nameof(NonzeroCoefficients));
        }

        var problem = Prepare(x, y, steps);
        var output = problem.ToCallerUnits(problem.Solve(LarsMethod.Lar, 0.0, steps, positive: false, OnIteration, cancellationToken));
        Commit(StateOf(problem, output, output.Knots - 1, output.Stop != LarsSolver.StopReason.NumericalLimit));
    }
}
