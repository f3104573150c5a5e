// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Manifold;

/// <summary>Where <see cref="TSne"/> starts the embedding.</summary>
public enum TSneInit
{
    /// <summary>
    /// The first principal components of the data, scaled so that the first has standard deviation 10⁻⁴ (scikit-learn 1.2's
    /// <c>init='pca'</c>); a component without spread is replaced by seeded Gaussian noise of that deviation.
    /// </summary>
    Pca,

    /// <summary>Gaussian noise of standard deviation 10⁻⁴ from <see cref="TSne.RandomSeed"/> (scikit-learn's <c>init='random'</c>).</summary>
    Random,

    /// <summary><see cref="TSne.InitialEmbedding"/> as given (samples × components).</summary>
    Custom,
}
