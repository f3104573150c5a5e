// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Decomposition;

/// <summary>How <see cref="Ksvd"/> updates each atom from the residual of the signals that use it.</summary>
public enum KsvdMethod
{
    /// <summary>
    /// The K-SVD update of Aharon, Elad and Bruckstein (2006): the atom and its coefficients become the leading singular pair
    /// of the residual E restricted to the signals using the atom (computed by power iteration on the smaller Gram matrix of
    /// E, warm-started from the current atom, not by a full SVD).
    /// </summary>
    Normal,

    /// <summary>
    /// The approximate K-SVD of Rubinstein, Zibulevsky and Elad (2008): one alternating step, d = Eᵀg / ‖Eᵀg‖ then g = E·d,
    /// from the current coefficients g. spm-image's default.
    /// </summary>
    Approximate,
}
