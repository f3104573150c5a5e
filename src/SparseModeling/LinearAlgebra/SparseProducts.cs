// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Products of a compressed sparse matrix with dense factors, for the solvers that factorise sparse data (NMF):
/// the compressed structure is given as pointers, indices and values, so the same kernel serves a CSR matrix
/// (rows, column indices) and its transpose held as CSC (<see cref="CompressedColumns"/>: columns, row indices).
/// Dense factors are K-major (K×count, the K entries of one row or column contiguous), as the NMF solvers hold W and H.
/// </summary>
/// <remarks>
/// The K-vector work — a dot product of two factor columns, an update of one by another — is done by the vectorised
/// <see cref="Kernels.Dot"/> and <see cref="Kernels.Axpy"/> (Vector512, Vector256, Vector128 and a scalar tail); the
/// index-driven part is an ordinary loop over the stored entries. Blocks of rows (or columns) are split across the cores
/// above <see cref="ParallelThreshold"/> multiply-adds; every output column belongs to one block, so the results do not
/// depend on the number of cores.
/// </remarks>
internal static class SparseProducts
{
    /// <summary>Products of at least this many multiply-adds are split across the cores.</summary>
    private const long ParallelThreshold = 1L << 17;

    /// <summary>
    /// result[:, r] ← Σₑ values[e]·factor[:, indices[e]] over the stored entries e of row r, for the <paramref name="rows"/>
    /// compressed rows (result K×rows, factor K×(columns), both K-major): X·Fᵀ for a CSR X, or Xᵀ·Fᵀ for X held as CSC.
    /// </summary>
    public static void TimesFactor(int rows, int[] pointers, int[] indices, double[] values, int k, double[] factor, double[] result)
    {
        For(rows, pointers, k, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                var target = result.AsSpan(r * k, k);
                target.Clear();
                for (int e = pointers[r]; e < pointers[r + 1]; e++)
                {
                    Kernels.Axpy(values[e], factor.AsSpan(indices[e] * k, k), target);
                }
            }
        });
    }

    /// <summary>
    /// products[e] ← a[:, r]·b[:, indices[e]] for every stored entry e of every compressed row r (a K×rows, b K×columns,
    /// K-major): the entries of Aᵀ·B (for NMF, of W·H) at the stored positions only.
    /// </summary>
    public static void StoredProducts(int rows, int[] pointers, int[] indices, int k, double[] a, double[] b, double[] products)
    {
        For(rows, pointers, k, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                var ar = a.AsSpan(r * k, k);
                for (int e = pointers[r]; e < pointers[r + 1]; e++)
                {
                    products[e] = Kernels.Dot(ar, b.AsSpan(indices[e] * k, k));
                }
            }
        });
    }

    /// <summary>
    /// result ← X·Z for the compressed rows of X (rows × columns) and Z (columns × l, column-major, leading dimension
    /// columns) into result (rows × l, column-major): one gather per stored entry and column of Z. With X held as CSC
    /// (<see cref="CompressedColumns"/>) this is Xᵀ·Z.
    /// </summary>
    public static void Multiply(int rows, int columns, int[] pointers, int[] indices, double[] values, double[] z, int l, double[] result)
    {
        For(rows, pointers, l, (r0, r1) =>
        {
            for (int c = 0; c < l; c++)
            {
                var zc = z.AsSpan(c * columns, columns);
                for (int r = r0; r < r1; r++)
                {
                    int start = pointers[r], length = pointers[r + 1] - start;
                    result[r + (c * rows)] = Kernels.GatherDot(values.AsSpan(start, length), indices.AsSpan(start, length), zc);
                }
            }
        });
    }

    /// <summary>Runs <paramref name="body"/> on row blocks, across the cores when the work (stored entries × width) is large.</summary>
    private static void For(int rows, int[] pointers, int width, Action<int, int> body)
    {
        long work = (long)(pointers[rows] - pointers[0]) * width;
        int degree = Parallelism.Degree;
        if (work < ParallelThreshold || degree <= 1 || rows < 2)
        {
            body(0, rows);
            return;
        }

        // More blocks than cores so that rows of unequal length balance.
        int blocks = Math.Min(rows, 4 * degree);
        Parallelism.For(blocks, block => body((int)((long)rows * block / blocks), (int)((long)rows * (block + 1) / blocks)));
    }
}
