// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The elastic net (Zou and Hastie, "Regularization and variable selection via the elastic net",
/// JRSS B 2005) fitted by coordinate descent, as scikit-learn's <c>ElasticNet</c>.
/// </summary>
/// <remarks>
/// Minimises (1/(2n))·‖y − Xw − b‖² + α·ρ·‖w‖₁ + (α·(1 − ρ)/2)·‖w‖² with ρ = <see cref="L1Ratio"/>;
/// see <see cref="CoordinateDescentRegressor"/> for the stopping rule.
/// <code>
/// var net = new ElasticNet { Alpha = 0.05, L1Ratio = 0.5 }.Fit(x, y);
/// </code>
/// </remarks>
public sealed class ElasticNet : CoordinateDescentRegressor
{
    /// <summary>Creates an elastic net with scikit-learn's defaults (α = 1, ρ = 0.5).</summary>
    public ElasticNet()
    {
    }

    /// <summary>The mix ρ ∈ [0, 1] of L1 and L2 penalties (default 0.5): 1 is the Lasso, 0 ridge regression.</summary>
    public double L1Ratio { get; set; } = 0.5;

    private protected override double EffectiveL1Ratio => L1Ratio;

    /// <summary>Fits the elastic net to <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between passes; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision (coefficients scale as y over X, squared measures as y²: inputs whose scales are too far apart), or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public ElasticNet Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitCore(x, y, cancellationToken);
        return this;
    }

    private protected override void ValidateParameters()
    {
        base.ValidateParameters();
        Guard.InRange(L1Ratio, 0.0, 1.0, nameof(L1Ratio));
    }
}
