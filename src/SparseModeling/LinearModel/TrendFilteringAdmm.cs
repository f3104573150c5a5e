// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The generalized Lasso with spm-image's D = [SparseCoefficient·I; TrendCoefficient·T] for linear trend filtering (Kim, Koh, Boyd and Gorinevsky, "ℓ1 trend filtering", SIAM Rev. 2009): neighbouring coefficients tend to lie on a line. T is the second difference, rows (−1, 2, −1), so the penalty is α·SparseCoefficient·Σ|wⱼ| + α·TrendCoefficient·Σ|2wⱼ₊₁ − wⱼ − wⱼ₊₂| (spm-image's <c>TrendFilteringADMM</c>),
/// fitted by ADMM: (1/(2n))·‖y − Xw − b‖² + α·‖Dw‖₁. See <see cref="GeneralizedLassoBase"/> for the algorithm and the
/// stopping rule, and <see cref="DifferenceLassoBase.GenerateTransformMatrix"/> for D.
/// </summary>
/// <remarks>
/// With X the identity (a signal y to smooth, FitIntercept = false) the linear system is banded and each iteration
/// costs O(p); <see cref="Imaging.TrendFiltering.Denoise"/> is the faster dedicated path for signals without the sparse term.
/// <code>
/// var model = new TrendFilteringAdmm { Alpha = 0.1, SparseCoefficient = 0.1, TrendCoefficient = 1 }.Fit(x, y);
/// </code>
/// </remarks>
public sealed class TrendFilteringAdmm : DifferenceLassoBase
{
    /// <summary>Creates the estimator with spm-image's defaults (α = 1, SparseCoefficient = 1, TrendCoefficient = 1, ρ = 1, 1000 iterations, tolerance 1e-4).</summary>
    public TrendFilteringAdmm()
    {
    }

    private protected override int DifferenceOrder => 2;

    /// <summary>Fits the model to <paramref name="x"/> and the single target <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞, or x has too few features for the difference operator.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or <see cref="GeneralizedLassoBase.Rho"/> is too small for the data to factor the system, or more than 2^64 away from the scale of XᵀX/n.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision, or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public TrendFilteringAdmm Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitSingle(x, y, cancellationToken);
        return this;
    }

    /// <summary>Fits one model per column of <paramref name="y"/>, sharing the factorisation (see <see cref="MultiTargetLinearRegressor.CoefficientMatrix"/>).</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, samples × targets; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit(Matrix{double}, Vector{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Fit(Matrix{double}, Vector{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArithmeticException">As <see cref="Fit(Matrix{double}, Vector{double}, CancellationToken)"/>.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public TrendFilteringAdmm Fit(Matrix<double> x, Matrix<double> y, CancellationToken cancellationToken = default)
    {
        FitMany(x, y, cancellationToken);
        return this;
    }
}
