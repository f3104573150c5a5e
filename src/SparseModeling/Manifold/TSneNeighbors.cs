// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Manifold;

/// <summary>How <see cref="TSne"/> finds the 3·perplexity nearest neighbours of every sample for P (not used by <see cref="TSneMethod.Exact"/>, whose P covers all pairs).</summary>
public enum TSneNeighbors
{
    /// <summary><see cref="Exact"/> below 10,000 samples, <see cref="Approximate"/> from there.</summary>
    Auto,

    /// <summary>Exact search by blocked matrix products: O(n²·features) time, O(n) memory per thread.</summary>
    Exact,

    /// <summary>
    /// A forest of random-projection trees refined by neighbour-of-neighbour exploration (as pynndescent, which openTSNE uses):
    /// about n^1.25 distances instead of n²; its recall of the exact neighbours is measured at 0.95 or more by the tests.
    /// </summary>
    Approximate,
}
