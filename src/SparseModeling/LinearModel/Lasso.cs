// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The Lasso (Tibshirani, "Regression shrinkage and selection via the lasso", JRSS B 1996) fitted
/// by coordinate descent (Friedman, Hastie and Tibshirani, "Regularization paths for generalized
/// linear models via coordinate descent", J. Stat. Softw. 2010), as scikit-learn's <c>Lasso</c>.
/// </summary>
/// <remarks>
/// Minimises (1/(2n))·‖y − Xw − b‖² + α·‖w‖₁ over w (and b when <see cref="LinearRegressor.FitIntercept"/>),
/// stopping on the duality gap; see <see cref="CoordinateDescentRegressor"/> for the stopping rule
/// and the working-set strategy used for many features.
/// <code>
/// var lasso = new Lasso { Alpha = 0.1 }.Fit(x, y);
/// Vector&lt;double&gt; w = lasso.Coefficients;
/// </code>
/// </remarks>
public sealed class Lasso : CoordinateDescentRegressor
{
    /// <summary>Creates a Lasso with scikit-learn's defaults (α = 1, tolerance 1e-4, 1000 passes).</summary>
    public Lasso()
    {
    }

    private protected override double EffectiveL1Ratio => 1.0;

    /// <summary>Fits the Lasso to <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between passes; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision (coefficients scale as y over X, squared measures as y²: inputs whose scales are too far apart), or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Lasso Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitCore(x, y, cancellationToken);
        return this;
    }
}
