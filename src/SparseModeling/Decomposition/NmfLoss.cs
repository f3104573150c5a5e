// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Decomposition;

/// <summary>The divergence <see cref="Nmf"/> minimises between X and W·H (special cases of the β-divergence).</summary>
public enum NmfLoss
{
    /// <summary>Half the squared Frobenius norm ½‖X − WH‖² (β = 2): Gaussian noise.</summary>
    Frobenius,

    /// <summary>The generalised Kullback–Leibler divergence (β = 1): Poisson noise, counts.</summary>
    KullbackLeibler,

    /// <summary>The Itakura–Saito divergence (β = 0): multiplicative (gamma) noise, power spectrograms; X must be positive.</summary>
    ItakuraSaito,
}
