// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling;

/// <summary>
/// An unsupervised estimator that places the training samples in a new (usually low-dimensional) space
/// without a general map for other samples — t-SNE and other neighbour embeddings, as scikit-learn's
/// manifold learners without <c>transform</c>. Unlike <see cref="ITransformer"/> there is no
/// <c>Transform</c> in the contract: an embedding that can place new points offers its own method.
/// </summary>
public interface IEmbedding
{
    /// <summary>Computes the embedding of <paramref name="x"/>.</summary>
    /// <param name="x">Training samples, one per row.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; a cancelled fit leaves a previous embedding as it was.</param>
    /// <returns>The estimator itself, fitted.</returns>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    IEmbedding Fit(Matrix<double> x, CancellationToken cancellationToken = default);

    /// <summary>Computes the embedding of <paramref name="x"/> and returns it (a copy of <see cref="Embedding"/>).</summary>
    /// <param name="x">Training samples, one per row.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations.</param>
    /// <returns>The embedded training samples, one row per row of <paramref name="x"/>.</returns>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default);

    /// <summary>The embedding of the training samples, one row per sample (a copy).</summary>
    /// <exception cref="InvalidOperationException">The estimator has not been fitted.</exception>
    Matrix<double> Embedding { get; }
}
