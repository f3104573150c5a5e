// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Preprocessing;

/// <summary>What <see cref="WhiteningScaler"/> does with small singular values of the centred data (spm-image's <c>thresholding</c>).</summary>
public enum WhiteningThresholding
{
    /// <summary>Nothing: a singular value ≤ 1e-10 (degenerate data, always so with at least as many features as samples) is an error (spm-image's <c>None</c>).</summary>
    None,

    /// <summary>Adds <see cref="WhiteningScaler.Epsilon"/> to every singular value before dividing by it (spm-image's <c>'normalize'</c>).</summary>
    Normalize,

    /// <summary>Keeps only the components whose singular value exceeds <see cref="WhiteningScaler.Epsilon"/> (spm-image's <c>'drop_minute'</c>).</summary>
    DropMinute,
}
