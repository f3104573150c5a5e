// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Decomposition;

/// <summary>The algorithm <see cref="Nmf"/> fits with.</summary>
public enum NmfSolver
{
    /// <summary>Multiplicative updates (Lee and Seung 2001; Févotte and Idier 2011 for general β): every β-divergence.</summary>
    MultiplicativeUpdate,

    /// <summary>Cyclic coordinate descent on the Gram matrices (Hsieh and Dhillon 2011), as scikit-learn's <c>'cd'</c>: Frobenius only.</summary>
    CoordinateDescent,

    /// <summary>Hierarchical alternating least squares (Cichocki and Phan 2009): Frobenius only.</summary>
    Hals,
}
