// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics.CodeAnalysis;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// The two-dimensional discrete cosine transform (DCT-II) dictionary for square image patches, as spm-image's
/// <c>generate_dct_dictionary</c>: the usual starting dictionary of K-SVD and dictionary learning on 8×8 patches.
/// </summary>
/// <remarks>
/// Atom (u, v) of a p×p patch is the separable cosine a[i, j] = cos((i + ½)·u·π/p)·cos((j + ½)·v·π/p), flattened row
/// by row into one row of the dictionary (patch row i, column j at index i·p + j, as scikit-learn and spm-image flatten
/// patches). The atoms are not normalised (atom (0, 0) is all ones, as spm-image leaves it). A complete dictionary
/// (p² atoms) lists (u, v) in row-major order, atom u·p + v; a smaller one takes the first atoms of the JPEG zig-zag
/// scan, so the low frequencies come first.
/// <code>
/// Matrix&lt;double&gt; dictionary = DctDictionary.Generate(64, 8);   // 64 atoms × 64 pixels
/// var ksvd = new Ksvd { InitialDictionary = dictionary };
/// </code>
/// </remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "The name is fixed by the design contract: a dictionary of atoms in the sparse-coding sense, not a collection.")]
public static class DctDictionary
{
    /// <summary>Generates a DCT dictionary of <paramref name="componentCount"/> atoms for <paramref name="patchSize"/>×<paramref name="patchSize"/> patches.</summary>
    /// <param name="componentCount">The number of atoms, 1 ≤ K ≤ patchSize².</param>
    /// <param name="patchSize">The side p ≥ 1 of a square patch.</param>
    /// <returns>The dictionary: K atoms × p² pixels (one flattened atom per row).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="patchSize"/> &lt; 1, or <paramref name="componentCount"/> is not in [1, patchSize²].</exception>
    public static Matrix<double> Generate(int componentCount, int patchSize)
    {
        Guard.AtLeast(patchSize, 1);
        if ((long)patchSize * patchSize > Array.MaxLength)
        {
            throw Guard.OutOfRange(nameof(patchSize), $"{nameof(patchSize)}² must fit in an array (was {patchSize}).");
        }

        Guard.InRange(componentCount, 1, patchSize * patchSize);
        int p = patchSize, features = p * p, k = componentCount;

        // cos((i + ½)·u·π/p) for every u and i, computed as spm-image does: ((i + 0.5)·u·π)/p.
        var cosines = new double[p * p];
        for (int u = 0; u < p; u++)
        {
            for (int i = 0; i < p; i++)
            {
                cosines[(u * p) + i] = Math.Cos((i + 0.5) * u * Math.PI / p);
            }
        }

        var data = new double[k * features];
        for (int atom = 0; atom < k; atom++)
        {
            var (u, v) = k == features ? (atom / p, atom % p) : ZigZagIndex(atom, p);
            for (int i = 0; i < p; i++)
            {
                double cu = cosines[(u * p) + i];
                for (int j = 0; j < p; j++)
                {
                    data[atom + (((i * p) + j) * k)] = cu * cosines[(v * p) + j];
                }
            }
        }

        return MatrixStorage.FromColumnMajor(k, features, data);
    }

    /// <summary>
    /// The (row, column) of the <paramref name="index"/>-th entry of an n×n matrix in the JPEG zig-zag scan (0, 0), (0, 1),
    /// (1, 0), (2, 0), (1, 1), (0, 2), … — spm-image's <c>zig_zag_index</c>.
    /// </summary>
    internal static (int Row, int Column) ZigZagIndex(int index, int n)
    {
        if (index >= n * (n + 1) / 2)
        {
            // The lower-right triangle mirrors the upper-left one.
            var (r, c) = ZigZagIndex((n * n) - 1 - index, n);
            return (n - 1 - r, n - 1 - c);
        }

        // Anti-diagonal d holds the entries d(d + 1)/2 … d(d + 1)/2 + d of the scan.
        int d = 0;
        while ((d + 1) * (d + 2) / 2 <= index)
        {
            d++;
        }

        int offset = index - (d * (d + 1) / 2);
        return (d & 1) == 1 ? (offset, d - offset) : (d - offset, offset);
    }
}
