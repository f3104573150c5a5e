// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling;

/// <summary>
/// A supervised estimator fitted to several targets at once (one column of <c>y</c> per target), in the
/// manner of scikit-learn's regressors given a two-dimensional <c>y</c>. Every member of this contract works
/// for any number of targets, one included; it is a contract of its own rather than an extension of
/// <see cref="IRegressor"/>, whose members speak of a single target.
/// </summary>
public interface IMultiTargetRegressor
{
    /// <summary>Fits the model to <paramref name="x"/> and every column of <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row.</param>
    /// <param name="y">Targets: one row per row of <paramref name="x"/>, one column per target.</param>
    /// <param name="cancellationToken">Cancels the fit; a cancelled fit leaves a previous model as it was.</param>
    /// <returns>The estimator itself, fitted.</returns>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    IMultiTargetRegressor Fit(Matrix<double> x, Matrix<double> y, CancellationToken cancellationToken = default);

    /// <summary>Predicts every target of every row of <paramref name="x"/>.</summary>
    /// <param name="x">Samples, one per row, with as many columns as the training data.</param>
    /// <returns>The predictions: one row per sample, one column per target.</returns>
    /// <exception cref="InvalidOperationException">The estimator has not been fitted.</exception>
    Matrix<double> PredictTargets(Matrix<double> x);

    /// <summary>The R² of each target's predictions on <paramref name="x"/>, averaged uniformly over the targets (scikit-learn's <c>score</c> with <c>multioutput='uniform_average'</c>).</summary>
    /// <param name="x">Samples, one per row.</param>
    /// <param name="y">True targets, one column per target.</param>
    /// <returns>The mean R²; 1 is a perfect fit.</returns>
    /// <exception cref="InvalidOperationException">The estimator has not been fitted.</exception>
    double Score(Matrix<double> x, Matrix<double> y);
}
