// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling;

/// <summary>
/// A supervised estimator that learns a map from a sample matrix (samples in rows, features in
/// columns) to one real target per sample, in the manner of scikit-learn's regressors.
/// </summary>
public interface IRegressor
{
    /// <summary>Fits the model to <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>.</param>
    /// <param name="cancellationToken">Cancels the fit (between iterations for iterative estimators); a cancelled fit leaves a previous model as it was.</param>
    /// <returns>The estimator itself, fitted.</returns>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    IRegressor Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default);

    /// <summary>Predicts the target of every row of <paramref name="x"/>.</summary>
    /// <param name="x">Samples, one per row, with as many columns as the training data.</param>
    /// <returns>One prediction per row.</returns>
    /// <exception cref="InvalidOperationException">The estimator has not been fitted.</exception>
    Vector<double> Predict(Matrix<double> x);

    /// <summary>
    /// The coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² of the predictions on
    /// <paramref name="x"/>, as scikit-learn's <c>score</c>.
    /// </summary>
    /// <param name="x">Samples, one per row.</param>
    /// <param name="y">True targets.</param>
    /// <returns>R²; 1 is a perfect fit. A constant <paramref name="y"/> gives 1 for a perfect prediction and 0 otherwise.</returns>
    double Score(Matrix<double> x, Vector<double> y);
}
