// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Manifold;

/// <summary>How <see cref="TSne"/> computes the gradient of its objective.</summary>
public enum TSneMethod
{
    /// <summary>
    /// <see cref="BarnesHut"/> below 10,000 samples and <see cref="FftInterpolation"/> from there in one or two dimensions;
    /// Barnes–Hut in three, <see cref="Exact"/> in more.
    /// </summary>
    Auto,

    /// <summary>Every pair, O(n²) time and memory per iteration, with P over all pairs (scikit-learn's <c>method='exact'</c>).</summary>
    Exact,

    /// <summary>
    /// The Barnes–Hut approximation of the repulsion over a quadtree (octree in three dimensions), O(n log n) per iteration,
    /// P over 3·perplexity neighbours (scikit-learn's <c>method='barnes_hut'</c>); one to three dimensions.
    /// </summary>
    BarnesHut,

    /// <summary>
    /// FFT-accelerated interpolation of the repulsion on a grid (Linderman et al. 2019, FIt-SNE; openTSNE's <c>negative_gradient_method='fft'</c>),
    /// O(n) per iteration plus the grid's FFT, P over 3·perplexity neighbours; one or two dimensions.
    /// </summary>
    FftInterpolation,
}
