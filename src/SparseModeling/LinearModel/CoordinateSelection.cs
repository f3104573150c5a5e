// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearModel;

/// <summary>The order in which coordinate descent visits the features.</summary>
public enum CoordinateSelection
{
    /// <summary>Every feature in turn, in column order, each pass (scikit-learn's <c>selection='cyclic'</c>).</summary>
    Cyclic,

    /// <summary>A feature drawn uniformly at random at each step (scikit-learn's <c>selection='random'</c>); often faster for large tolerances.</summary>
    Random,
}
