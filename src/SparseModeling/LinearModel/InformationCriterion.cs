// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearModel;

/// <summary>The information criterion by which <see cref="LassoLarsIC"/> chooses α.</summary>
public enum InformationCriterion
{
    /// <summary>Akaike's: n·ln(2πσ²) + RSS/σ² + 2·df.</summary>
    Aic,

    /// <summary>Schwarz's Bayesian: n·ln(2πσ²) + RSS/σ² + ln(n)·df.</summary>
    Bic,
}
