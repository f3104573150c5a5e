// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Products of a compressed sparse matrix with dense factors, for the solvers that factorise sparse data (NMF):
/// the compressed structure is given as pointers, indices and values, so the same kernel serves a CSR matrix
/// (rows, column indices) and its transpose held as CSC (<see cref="CompressedColumns"/>: columns, row indices).
/// Dense factors are K-major (K×count, the K entries of one row or column contiguous), as the NMF solvers hold W and H.
/// </summary>
/// <remarks>
/// The K-vector work — a dot product of two factor columns, an update of one by another — is vectorised along K: each
/// kernel is one generic body over <see cref="Kernels.IVectorWidth{TVector}"/> (Vector512 when K is a multiple of 8,
/// else Vector256, Vector128, or scalars without hardware vectors), with a scalar tail for the entries of K past the
/// last whole vector; the index-driven part is an ordinary loop over the stored entries. Blocks of rows (or columns) are split across the cores
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
        if (Vector512.IsHardwareAccelerated && k % Vector512<double>.Count == 0)
        {
            For(rows, pointers, k, (r0, r1) => TimesFactorRows<Kernels.Width512, Vector512<double>>(r0, r1, pointers, indices, values, k, factor, result));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            For(rows, pointers, k, (r0, r1) => TimesFactorRows<Kernels.Width256, Vector256<double>>(r0, r1, pointers, indices, values, k, factor, result));
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            For(rows, pointers, k, (r0, r1) => TimesFactorRows<Kernels.Width128, Vector128<double>>(r0, r1, pointers, indices, values, k, factor, result));
        }
        else
        {
            For(rows, pointers, k, (r0, r1) => TimesFactorRows<Kernels.ScalarWidth, double>(r0, r1, pointers, indices, values, k, factor, result));
        }
    }

    /// <summary>
    /// products[e] ← a[:, r]·b[:, indices[e]] for every stored entry e of every compressed row r (a K×rows, b K×columns,
    /// K-major): the entries of Aᵀ·B (for NMF, of W·H) at the stored positions only.
    /// </summary>
    public static void StoredProducts(int rows, int[] pointers, int[] indices, int k, double[] a, double[] b, double[] products)
    {
        if (Vector512.IsHardwareAccelerated && k % Vector512<double>.Count == 0)
        {
            For(rows, pointers, k, (r0, r1) => StoredProductRows<Kernels.Width512, Vector512<double>>(r0, r1, pointers, indices, k, a, b, products));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            For(rows, pointers, k, (r0, r1) => StoredProductRows<Kernels.Width256, Vector256<double>>(r0, r1, pointers, indices, k, a, b, products));
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            For(rows, pointers, k, (r0, r1) => StoredProductRows<Kernels.Width128, Vector128<double>>(r0, r1, pointers, indices, k, a, b, products));
        }
        else
        {
            For(rows, pointers, k, (r0, r1) => StoredProductRows<Kernels.ScalarWidth, double>(r0, r1, pointers, indices, k, a, b, products));
        }
    }

    /// <summary>
    /// <see cref="TimesFactor"/> for rows [<paramref name="r0"/>, <paramref name="r1"/>) in vectors of <typeparamref name="TWidth"/>:
    /// the K entries of a result column in chunks of up to four vectors held in registers while the row's stored entries
    /// stream past (one broadcast and up to four multiply-adds each), the entries left over by the vectors in scalars.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TimesFactorRows<TWidth, TVector>(int r0, int r1, int[] pointers, int[] indices, double[] values, int k, double[] factor, double[] result)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        int w = TWidth.Count;
        ref double f = ref MemoryMarshal.GetArrayDataReference(factor);
        ref double res = ref MemoryMarshal.GetArrayDataReference(result);
        for (int r = r0; r < r1; r++)
        {
            int start = pointers[r], end = pointers[r + 1];
            nuint target = (nuint)r * (nuint)k;
            int c = 0;
            for (; c + (4 * w) <= k; c += 4 * w)
            {
                TVector a0 = TWidth.Zero, a1 = TWidth.Zero, a2 = TWidth.Zero, a3 = TWidth.Zero;
                for (int e = start; e < end; e++)
                {
                    var v = TWidth.Broadcast(values[e]);
                    nuint at = ((nuint)indices[e] * (nuint)k) + (nuint)c;
                    a0 = TWidth.MultiplyAdd(v, TWidth.Load(ref f, at), a0);
                    a1 = TWidth.MultiplyAdd(v, TWidth.Load(ref f, at + (nuint)w), a1);
                    a2 = TWidth.MultiplyAdd(v, TWidth.Load(ref f, at + (nuint)(2 * w)), a2);
                    a3 = TWidth.MultiplyAdd(v, TWidth.Load(ref f, at + (nuint)(3 * w)), a3);
                }

                TWidth.Store(a0, ref res, target + (nuint)c);
                TWidth.Store(a1, ref res, target + (nuint)(c + w));
                TWidth.Store(a2, ref res, target + (nuint)(c + (2 * w)));
                TWidth.Store(a3, ref res, target + (nuint)(c + (3 * w)));
            }

            for (; c + w <= k; c += w)
            {
                TVector a0 = TWidth.Zero;
                for (int e = start; e < end; e++)
                {
                    a0 = TWidth.MultiplyAdd(TWidth.Broadcast(values[e]), TWidth.Load(ref f, ((nuint)indices[e] * (nuint)k) + (nuint)c), a0);
                }

                TWidth.Store(a0, ref res, target + (nuint)c);
            }

            for (; c < k; c++)
            {
                double s = 0.0;
                for (int e = start; e < end; e++)
                {
                    s = Kernels.ScalarWidth.MultiplyAdd(values[e], Unsafe.Add(ref f, ((nuint)indices[e] * (nuint)k) + (nuint)c), s);
                }

                Unsafe.Add(ref res, target + (nuint)c) = s;
            }
        }
    }

    /// <summary>
    /// <see cref="StoredProducts"/> for rows [<paramref name="r0"/>, <paramref name="r1"/>) in vectors of <typeparamref name="TWidth"/>:
    /// each stored entry's K-long dot product in up to four vector accumulators, summed across lanes, then the entries left
    /// over by the vectors in scalars.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void StoredProductRows<TWidth, TVector>(int r0, int r1, int[] pointers, int[] indices, int k, double[] a, double[] b, double[] products)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        int w = TWidth.Count;
        ref double ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref double rb = ref MemoryMarshal.GetArrayDataReference(b);
        for (int r = r0; r < r1; r++)
        {
            nuint row = (nuint)r * (nuint)k;
            for (int e = pointers[r]; e < pointers[r + 1]; e++)
            {
                nuint column = (nuint)indices[e] * (nuint)k;
                TVector s0 = TWidth.Zero, s1 = TWidth.Zero;
                int c = 0;
                for (; c + (2 * w) <= k; c += 2 * w)
                {
                    s0 = TWidth.MultiplyAdd(TWidth.Load(ref ra, row + (nuint)c), TWidth.Load(ref rb, column + (nuint)c), s0);
                    s1 = TWidth.MultiplyAdd(TWidth.Load(ref ra, row + (nuint)(c + w)), TWidth.Load(ref rb, column + (nuint)(c + w)), s1);
                }

                for (; c + w <= k; c += w)
                {
                    s0 = TWidth.MultiplyAdd(TWidth.Load(ref ra, row + (nuint)c), TWidth.Load(ref rb, column + (nuint)c), s0);
                }

                double sum = TWidth.Sum(TWidth.Add(s0, s1));
                for (; c < k; c++)
                {
                    sum = Kernels.ScalarWidth.MultiplyAdd(Unsafe.Add(ref ra, row + (nuint)c), Unsafe.Add(ref rb, column + (nuint)c), sum);
                }

                products[e] = sum;
            }
        }
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
