// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// C ← Aᵀ·B for a tall A and a narrow B (a few columns): the Gram columns Xᵀ·X[:, J] of a handful
/// of features J, as LARS needs them. Each column of A is read from memory once and dotted with
/// every column of B, four columns of A against four of B at a time, so a batch of k columns costs
/// about one pass over A instead of k GEMV passes, and nothing is packed (the packed GEMM copies all
/// of A first, which costs as much as the product when B is this narrow).
/// </summary>
internal static class NarrowGemm
{
    /// <summary>Products with at least this many multiply-adds are split across the cores.</summary>
    private const long ParallelThreshold = 1L << 18;

    /// <summary>
    /// C ← Aᵀ·B, where A is <paramref name="m"/>×<paramref name="n"/> (leading dimension
    /// <paramref name="lda"/>), B is <paramref name="m"/>×<paramref name="k"/> (leading dimension
    /// <paramref name="ldb"/>) and C is <paramref name="n"/>×<paramref name="k"/> (leading dimension
    /// <paramref name="ldc"/>), all column-major. C's old contents are ignored. Results do not depend
    /// on the number of threads.
    /// </summary>
    public static void MultiplyTransposed(int m, int n, int k, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (lda < Math.Max(1, m) || ldb < Math.Max(1, m) || ldc < Math.Max(1, n))
        {
            throw new ArgumentOutOfRangeException(nameof(lda), $"Leading dimensions {lda}, {ldb}, {ldc} are too small for m = {m}, n = {n}.");
        }

        if (n == 0 || k == 0)
        {
            return;
        }

        if ((m > 0 && a.Length < ((long)(n - 1) * lda) + m) || (m > 0 && b.Length < ((long)(k - 1) * ldb) + m) || c.Length < ((long)(k - 1) * ldc) + n)
        {
            throw new ArgumentException($"A span is too short for A {m}×{n}, B {m}×{k}, C {n}×{k} with leading dimensions {lda}, {ldb}, {ldc}.", nameof(c));
        }

        if ((long)m * n * k >= ParallelThreshold && n >= 64 && Environment.ProcessorCount > 1)
        {
            Parallel(m, n, k, a, lda, b, ldb, c, ldc);
            return;
        }

        Serial(m, 0, n, k, a, lda, b, ldb, c, ldc);
    }

    private static unsafe void Parallel(int m, int n, int k, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc)
    {
        int blocks = Math.Min(Environment.ProcessorCount, n / 32);
        fixed (double* pa = a, pb = b, pc = c)
        {
            nint aAddress = (nint)pa, bAddress = (nint)pb, cAddress = (nint)pc;
            int aLength = a.Length, bLength = b.Length, cLength = c.Length;
            System.Threading.Tasks.Parallel.For(0, blocks, block =>
            {
                // Block starts are multiples of 4, so every entry is computed by the same kernel as in the serial loop.
                int j0 = (int)((long)n * block / blocks) & ~3;
                int j1 = block == blocks - 1 ? n : (int)((long)n * (block + 1) / blocks) & ~3;
                Serial(
                    m,
                    j0,
                    j1,
                    k,
                    new ReadOnlySpan<double>((double*)aAddress, aLength),
                    lda,
                    new ReadOnlySpan<double>((double*)bAddress, bLength),
                    ldb,
                    new Span<double>((double*)cAddress, cLength),
                    ldc);
            });
        }
    }

    /// <summary>Columns <paramref name="j0"/>..<paramref name="j1"/> of A against all of B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Serial(int m, int j0, int j1, int k, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc)
    {
        int j = j0;
        for (; j <= j1 - 4; j += 4)
        {
            var a0 = a.Slice(j * lda, m);
            var a1 = a.Slice((j + 1) * lda, m);
            var a2 = a.Slice((j + 2) * lda, m);
            var a3 = a.Slice((j + 3) * lda, m);
            int q = 0;
            for (; q <= k - 4; q += 4)
            {
                Block4x4(a0, a1, a2, a3, b.Slice(q * ldb, m), b.Slice((q + 1) * ldb, m), b.Slice((q + 2) * ldb, m), b.Slice((q + 3) * ldb, m), c, j + (q * ldc), ldc);
            }

            for (; q < k; q++)
            {
                var bq = b.Slice(q * ldb, m);
                int at = j + (q * ldc);
                c[at] = Kernels.Dot(a0, bq);
                c[at + 1] = Kernels.Dot(a1, bq);
                c[at + 2] = Kernels.Dot(a2, bq);
                c[at + 3] = Kernels.Dot(a3, bq);
            }
        }

        for (; j < j1; j++)
        {
            var aj = a.Slice(j * lda, m);
            for (int q = 0; q < k; q++)
            {
                c[j + (q * ldc)] = Kernels.Dot(aj, b.Slice(q * ldb, m));
            }
        }
    }

    /// <summary>The sixteen dot products of a0..a3 with b0..b3, written to C at rows j..j+3 of four consecutive columns (<paramref name="at"/> = j + q·ldc).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x4(
        ReadOnlySpan<double> a0,
        ReadOnlySpan<double> a1,
        ReadOnlySpan<double> a2,
        ReadOnlySpan<double> a3,
        ReadOnlySpan<double> b0,
        ReadOnlySpan<double> b1,
        ReadOnlySpan<double> b2,
        ReadOnlySpan<double> b3,
        Span<double> c,
        int at,
        int ldc)
    {
        ref double ra0 = ref MemoryMarshal.GetReference(a0);
        ref double ra1 = ref MemoryMarshal.GetReference(a1);
        ref double ra2 = ref MemoryMarshal.GetReference(a2);
        ref double ra3 = ref MemoryMarshal.GetReference(a3);
        ref double rb0 = ref MemoryMarshal.GetReference(b0);
        ref double rb1 = ref MemoryMarshal.GetReference(b1);
        ref double rb2 = ref MemoryMarshal.GetReference(b2);
        ref double rb3 = ref MemoryMarshal.GetReference(b3);
        int m = a0.Length;
        int i = 0;
        Span<double> s = stackalloc double[16];
        s.Clear();
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> c00 = default, c01 = default, c02 = default, c03 = default;
            Vector512<double> c10 = default, c11 = default, c12 = default, c13 = default;
            Vector512<double> c20 = default, c21 = default, c22 = default, c23 = default;
            Vector512<double> c30 = default, c31 = default, c32 = default, c33 = default;
            for (; i <= m - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var x0 = Vector512.LoadUnsafe(ref ra0, (nuint)i);
                var x1 = Vector512.LoadUnsafe(ref ra1, (nuint)i);
                var x2 = Vector512.LoadUnsafe(ref ra2, (nuint)i);
                var x3 = Vector512.LoadUnsafe(ref ra3, (nuint)i);
                var y = Vector512.LoadUnsafe(ref rb0, (nuint)i);
                c00 = Vector512.FusedMultiplyAdd(x0, y, c00);
                c10 = Vector512.FusedMultiplyAdd(x1, y, c10);
                c20 = Vector512.FusedMultiplyAdd(x2, y, c20);
                c30 = Vector512.FusedMultiplyAdd(x3, y, c30);
                y = Vector512.LoadUnsafe(ref rb1, (nuint)i);
                c01 = Vector512.FusedMultiplyAdd(x0, y, c01);
                c11 = Vector512.FusedMultiplyAdd(x1, y, c11);
                c21 = Vector512.FusedMultiplyAdd(x2, y, c21);
                c31 = Vector512.FusedMultiplyAdd(x3, y, c31);
                y = Vector512.LoadUnsafe(ref rb2, (nuint)i);
                c02 = Vector512.FusedMultiplyAdd(x0, y, c02);
                c12 = Vector512.FusedMultiplyAdd(x1, y, c12);
                c22 = Vector512.FusedMultiplyAdd(x2, y, c22);
                c32 = Vector512.FusedMultiplyAdd(x3, y, c32);
                y = Vector512.LoadUnsafe(ref rb3, (nuint)i);
                c03 = Vector512.FusedMultiplyAdd(x0, y, c03);
                c13 = Vector512.FusedMultiplyAdd(x1, y, c13);
                c23 = Vector512.FusedMultiplyAdd(x2, y, c23);
                c33 = Vector512.FusedMultiplyAdd(x3, y, c33);
            }

            s[0] = Vector512.Sum(c00);
            s[1] = Vector512.Sum(c10);
            s[2] = Vector512.Sum(c20);
            s[3] = Vector512.Sum(c30);
            s[4] = Vector512.Sum(c01);
            s[5] = Vector512.Sum(c11);
            s[6] = Vector512.Sum(c21);
            s[7] = Vector512.Sum(c31);
            s[8] = Vector512.Sum(c02);
            s[9] = Vector512.Sum(c12);
            s[10] = Vector512.Sum(c22);
            s[11] = Vector512.Sum(c32);
            s[12] = Vector512.Sum(c03);
            s[13] = Vector512.Sum(c13);
            s[14] = Vector512.Sum(c23);
            s[15] = Vector512.Sum(c33);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> c00 = default, c01 = default, c02 = default, c03 = default;
            Vector256<double> c10 = default, c11 = default, c12 = default, c13 = default;
            Vector256<double> c20 = default, c21 = default, c22 = default, c23 = default;
            Vector256<double> c30 = default, c31 = default, c32 = default, c33 = default;
            for (; i <= m - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var x0 = Vector256.LoadUnsafe(ref ra0, (nuint)i);
                var x1 = Vector256.LoadUnsafe(ref ra1, (nuint)i);
                var x2 = Vector256.LoadUnsafe(ref ra2, (nuint)i);
                var x3 = Vector256.LoadUnsafe(ref ra3, (nuint)i);
                var y = Vector256.LoadUnsafe(ref rb0, (nuint)i);
                c00 = Vector256.FusedMultiplyAdd(x0, y, c00);
                c10 = Vector256.FusedMultiplyAdd(x1, y, c10);
                c20 = Vector256.FusedMultiplyAdd(x2, y, c20);
                c30 = Vector256.FusedMultiplyAdd(x3, y, c30);
                y = Vector256.LoadUnsafe(ref rb1, (nuint)i);
                c01 = Vector256.FusedMultiplyAdd(x0, y, c01);
                c11 = Vector256.FusedMultiplyAdd(x1, y, c11);
                c21 = Vector256.FusedMultiplyAdd(x2, y, c21);
                c31 = Vector256.FusedMultiplyAdd(x3, y, c31);
                y = Vector256.LoadUnsafe(ref rb2, (nuint)i);
                c02 = Vector256.FusedMultiplyAdd(x0, y, c02);
                c12 = Vector256.FusedMultiplyAdd(x1, y, c12);
                c22 = Vector256.FusedMultiplyAdd(x2, y, c22);
                c32 = Vector256.FusedMultiplyAdd(x3, y, c32);
                y = Vector256.LoadUnsafe(ref rb3, (nuint)i);
                c03 = Vector256.FusedMultiplyAdd(x0, y, c03);
                c13 = Vector256.FusedMultiplyAdd(x1, y, c13);
                c23 = Vector256.FusedMultiplyAdd(x2, y, c23);
                c33 = Vector256.FusedMultiplyAdd(x3, y, c33);
            }

            s[0] = Vector256.Sum(c00);
            s[1] = Vector256.Sum(c10);
            s[2] = Vector256.Sum(c20);
            s[3] = Vector256.Sum(c30);
            s[4] = Vector256.Sum(c01);
            s[5] = Vector256.Sum(c11);
            s[6] = Vector256.Sum(c21);
            s[7] = Vector256.Sum(c31);
            s[8] = Vector256.Sum(c02);
            s[9] = Vector256.Sum(c12);
            s[10] = Vector256.Sum(c22);
            s[11] = Vector256.Sum(c32);
            s[12] = Vector256.Sum(c03);
            s[13] = Vector256.Sum(c13);
            s[14] = Vector256.Sum(c23);
            s[15] = Vector256.Sum(c33);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            // Sixteen 128-bit accumulators and their operands do not fit in sixteen x86 registers: B two columns at a time.
            int end = m & ~1;
            Block4x2(ref ra0, ref ra1, ref ra2, ref ra3, ref rb0, ref rb1, end, s[..8]);
            Block4x2(ref ra0, ref ra1, ref ra2, ref ra3, ref rb2, ref rb3, end, s[8..]);
            i = end;
        }

        for (; i < m; i++)
        {
            double x0 = a0[i], x1 = a1[i], x2 = a2[i], x3 = a3[i];
            double y0 = b0[i], y1 = b1[i], y2 = b2[i], y3 = b3[i];
            s[0] = Kernels.MultiplyAdd(x0, y0, s[0]);
            s[1] = Kernels.MultiplyAdd(x1, y0, s[1]);
            s[2] = Kernels.MultiplyAdd(x2, y0, s[2]);
            s[3] = Kernels.MultiplyAdd(x3, y0, s[3]);
            s[4] = Kernels.MultiplyAdd(x0, y1, s[4]);
            s[5] = Kernels.MultiplyAdd(x1, y1, s[5]);
            s[6] = Kernels.MultiplyAdd(x2, y1, s[6]);
            s[7] = Kernels.MultiplyAdd(x3, y1, s[7]);
            s[8] = Kernels.MultiplyAdd(x0, y2, s[8]);
            s[9] = Kernels.MultiplyAdd(x1, y2, s[9]);
            s[10] = Kernels.MultiplyAdd(x2, y2, s[10]);
            s[11] = Kernels.MultiplyAdd(x3, y2, s[11]);
            s[12] = Kernels.MultiplyAdd(x0, y3, s[12]);
            s[13] = Kernels.MultiplyAdd(x1, y3, s[13]);
            s[14] = Kernels.MultiplyAdd(x2, y3, s[14]);
            s[15] = Kernels.MultiplyAdd(x3, y3, s[15]);
        }

        for (int q = 0; q < 4; q++)
        {
            s.Slice(4 * q, 4).CopyTo(c.Slice(at + (q * ldc), 4));
        }
    }

    /// <summary>
    /// The eight dot products of a0..a3 with b0 and b1 over the first <paramref name="m"/> (even) entries in 128-bit vectors:
    /// s[r] = a_r·b0 and s[4 + r] = a_r·b1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x2(ref double ra0, ref double ra1, ref double ra2, ref double ra3, ref double rb0, ref double rb1, int m, Span<double> s)
    {
        Vector128<double> c00 = default, c10 = default, c20 = default, c30 = default;
        Vector128<double> c01 = default, c11 = default, c21 = default, c31 = default;
        for (int i = 0; i < m; i += Vector128<double>.Count)
        {
            var x0 = Vector128.LoadUnsafe(ref ra0, (nuint)i);
            var x1 = Vector128.LoadUnsafe(ref ra1, (nuint)i);
            var x2 = Vector128.LoadUnsafe(ref ra2, (nuint)i);
            var x3 = Vector128.LoadUnsafe(ref ra3, (nuint)i);
            var y = Vector128.LoadUnsafe(ref rb0, (nuint)i);
            c00 = Kernels.MultiplyAdd(x0, y, c00);
            c10 = Kernels.MultiplyAdd(x1, y, c10);
            c20 = Kernels.MultiplyAdd(x2, y, c20);
            c30 = Kernels.MultiplyAdd(x3, y, c30);
            y = Vector128.LoadUnsafe(ref rb1, (nuint)i);
            c01 = Kernels.MultiplyAdd(x0, y, c01);
            c11 = Kernels.MultiplyAdd(x1, y, c11);
            c21 = Kernels.MultiplyAdd(x2, y, c21);
            c31 = Kernels.MultiplyAdd(x3, y, c31);
        }

        s[0] = Vector128.Sum(c00);
        s[1] = Vector128.Sum(c10);
        s[2] = Vector128.Sum(c20);
        s[3] = Vector128.Sum(c30);
        s[4] = Vector128.Sum(c01);
        s[5] = Vector128.Sum(c11);
        s[6] = Vector128.Sum(c21);
        s[7] = Vector128.Sum(c31);
    }

}
