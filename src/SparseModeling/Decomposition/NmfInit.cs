// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Decomposition;

/// <summary>How <see cref="Nmf"/> initialises W and H.</summary>
public enum NmfInit
{
    /// <summary>|N(0, 1)| entries scaled by √(mean(X)/K), from <see cref="ComponentsTransformer.RandomSeed"/>.</summary>
    Random,

    /// <summary>Non-negative double SVD (Boutsidis and Gallopoulos 2008): sparse start, zeros stay zero under multiplicative updates.</summary>
    Nndsvd,

    /// <summary>NNDSVD with its zeros replaced by mean(X) (better when sparsity is not wanted).</summary>
    NndsvdA,

    /// <summary>NNDSVD with its zeros replaced by small random values mean(X)·|N(0, 1)|/100.</summary>
    NndsvdAr,

    /// <summary>The user's <see cref="NmfBase.InitialW"/> and <see cref="NmfBase.InitialH"/>.</summary>
    Custom,
}
