// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearAlgebra;

/// <summary>
/// The Gram matrix G = XᵀX (a symmetric rank-k update, SYRK) through the packed GEMM: only the tiles
/// on or below the diagonal are computed, then the lower triangle is mirrored into the upper one, so
/// the result is exactly symmetric.
/// </summary>
internal static class Gram
{
    /// <summary>
    /// G ← XᵀX, where X is <paramref name="rows"/>×<paramref name="cols"/> column-major with leading
    /// dimension <paramref name="ldx"/> and G is <paramref name="cols"/>×<paramref name="cols"/>
    /// column-major with leading dimension <paramref name="cols"/>, both triangles filled. G's old
    /// contents are ignored. Large inputs use all cores; the result does not depend on their number.
    /// </summary>
    public static void Compute(int rows, int cols, ReadOnlySpan<double> x, int ldx, Span<double> g)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if ((long)g.Length < (long)cols * cols)
        {
            throw new ArgumentException($"{nameof(g)} has {g.Length} entries but a {cols}×{cols} Gram matrix needs {(long)cols * cols}.", nameof(g));
        }

        if (cols == 0)
        {
            return;
        }

        Gemm.Run(true, false, cols, cols, rows, 1.0, x, ldx, x, ldx, 0.0, g, cols, lowerOnly: true);
        MirrorLower(g, cols, cols);
    }

    /// <summary>Copies the strict lower triangle of the n×n matrix <paramref name="a"/> into its upper triangle.</summary>
    internal static void MirrorLower(Span<double> a, int n, int lda)
    {
        // Blocked so that the strided reads stay within a few cache lines at a time.
        const int Block = 32;
        for (int jb = 0; jb < n; jb += Block)
        {
            // The fit's cancellation, once per block column (a large matrix takes tens of milliseconds to mirror).
            Parallelism.ThrowIfCancellationRequested();
            int jEnd = Math.Min(n, jb + Block);
            for (int ib = 0; ib <= jb; ib += Block)
            {
                int iEnd = Math.Min(n, ib + Block);
                for (int j = jb; j < jEnd; j++)
                {
                    int upper = Math.Min(j, iEnd);
                    for (int i = ib; i < upper; i++)
                    {
                        a[i + (j * lda)] = a[j + (i * lda)];
                    }
                }
            }
        }
    }
}
