// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling;

/// <summary>
/// An unsupervised estimator that learns from a sample matrix (samples in rows) and maps samples
/// to a new representation, in the manner of scikit-learn's transformers.
/// </summary>
public interface ITransformer
{
    /// <summary>Fits the transformer to <paramref name="x"/>.</summary>
    /// <param name="x">Training samples, one per row.</param>
    /// <param name="cancellationToken">Cancels the fit (between iterations for iterative transformers); a cancelled fit leaves a previous model as it was.</param>
    /// <returns>The transformer itself, fitted.</returns>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    ITransformer Fit(Matrix<double> x, CancellationToken cancellationToken = default);

    /// <summary>Maps every row of <paramref name="x"/> to the learned representation.</summary>
    /// <param name="x">Samples, one per row.</param>
    /// <returns>The transformed samples, one per row.</returns>
    /// <exception cref="InvalidOperationException">The transformer has not been fitted.</exception>
    Matrix<double> Transform(Matrix<double> x);

    /// <summary>Fits to <paramref name="x"/> and returns its transform (possibly computed more cheaply than the two calls).</summary>
    /// <param name="x">Training samples, one per row.</param>
    /// <param name="cancellationToken">Cancels the fit; a cancelled fit leaves a previous model as it was.</param>
    /// <returns>The transformed training samples.</returns>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default);
}
