// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearModel;

/// <summary>Which path <see cref="LarsPath.Compute"/> follows.</summary>
public enum LarsMethod
{
    /// <summary>
    /// Least angle regression (Efron et al. 2004, section 2): one feature joins at every step and
    /// none leaves; a coefficient may pass through zero.
    /// </summary>
    Lar,

    /// <summary>
    /// The LARS–Lasso modification (Efron et al. 2004, section 3.1): a feature whose coefficient
    /// reaches zero leaves the active set, so every knot is a Lasso solution.
    /// </summary>
    Lasso,
}
