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

        if ((long)m * n * k >= ParallelThreshold && n >= 64 && Parallelism.Degree > 1)
        {
            Parallel(m, n, k, a, lda, b, ldb, c, ldc);
            return;
        }

        Serial(m, 0, n, k, a, lda, b, ldb, c, ldc);
    }

    private static unsafe void Parallel(int m, int n, int k, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc)
    {
        int blocks = Math.Min(Parallelism.Degree, n / 32);
        fixed (double* pa = a, pb = b, pc = c)
        {
            nint aAddress = (nint)pa, bAddress = (nint)pb, cAddress = (nint)pc;
            int aLength = a.Length, bLength = b.Length, cLength = c.Length;
            Parallelism.For(blocks, block =>
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

    /// <summary>Columns <paramref name="j0"/>..<paramref name="j1"/> of A against all of B, at the widest width the JIT accelerates.</summary>
    private static void Serial(int m, int j0, int j1, int k, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Serial<Kernels.Width512, Vector512<double>>(m, j0, j1, k, a, lda, b, ldb, c, ldc);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Serial<Kernels.Width256, Vector256<double>>(m, j0, j1, k, a, lda, b, ldb, c, ldc);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Serial<Kernels.Width128, Vector128<double>>(m, j0, j1, k, a, lda, b, ldb, c, ldc);
        }
        else
        {
            Serial<Kernels.ScalarWidth, double>(m, j0, j1, k, a, lda, b, ldb, c, ldc);
        }
    }

    /// <summary>Columns <paramref name="j0"/>..<paramref name="j1"/> of A against all of B, in vectors of <typeparamref name="TWidth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Serial<TWidth, TVector>(int m, int j0, int j1, int k, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
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
                Block4x4<TWidth, TVector>(a0, a1, a2, a3, b.Slice(q * ldb, m), b.Slice((q + 1) * ldb, m), b.Slice((q + 2) * ldb, m), b.Slice((q + 3) * ldb, m), c, j + (q * ldc), ldc);
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

    /// <summary>
    /// The sixteen dot products of a0..a3 with b0..b3, written to C at rows j..j+3 of four consecutive columns
    /// (<paramref name="at"/> = j + q·ldc): in vectors of <typeparamref name="TWidth"/>, then the entries left over one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x4<TWidth, TVector>(
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
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
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
        Span<double> s = stackalloc double[16];
        int i;
        if (TWidth.Count == Vector128<double>.Count)
        {
            // Sixteen 128-bit accumulators and their operands do not fit in sixteen x86 registers: B two columns at a time.
            i = Block<TWidth, TVector>(ref ra0, ref ra1, ref ra2, ref ra3, ref rb0, ref rb1, ref rb0, ref rb1, m, s[..8]);
            Block<TWidth, TVector>(ref ra0, ref ra1, ref ra2, ref ra3, ref rb2, ref rb3, ref rb2, ref rb3, m, s[8..]);
        }
        else
        {
            i = Block<TWidth, TVector>(ref ra0, ref ra1, ref ra2, ref ra3, ref rb0, ref rb1, ref rb2, ref rb3, m, s);
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
    /// The dot products of a0..a3 with the columns of B over the leading entries, in vectors of <typeparamref name="TWidth"/>:
    /// s[4·q + r] = a_r·b_q for q = 0..3, or with 128-bit vectors for q = 0, 1 only (b2 and b3 are then not read). Returns how
    /// many entries that is (a multiple of the vector width; the rest is the caller's scalar tail).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Block<TWidth, TVector>(ref double ra0, ref double ra1, ref double ra2, ref double ra3, ref double rb0, ref double rb1, ref double rb2, ref double rb3, int m, Span<double> s)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        bool four = TWidth.Count != Vector128<double>.Count;
        TVector c00 = TWidth.Zero, c01 = TWidth.Zero, c02 = TWidth.Zero, c03 = TWidth.Zero;
        TVector c10 = TWidth.Zero, c11 = TWidth.Zero, c12 = TWidth.Zero, c13 = TWidth.Zero;
        TVector c20 = TWidth.Zero, c21 = TWidth.Zero, c22 = TWidth.Zero, c23 = TWidth.Zero;
        TVector c30 = TWidth.Zero, c31 = TWidth.Zero, c32 = TWidth.Zero, c33 = TWidth.Zero;
        int i = 0;
        int last = m - TWidth.Count;
        for (; i <= last; i += TWidth.Count)
        {
            var x0 = TWidth.Load(ref ra0, (nuint)i);
            var x1 = TWidth.Load(ref ra1, (nuint)i);
            var x2 = TWidth.Load(ref ra2, (nuint)i);
            var x3 = TWidth.Load(ref ra3, (nuint)i);
            var y = TWidth.Load(ref rb0, (nuint)i);
            c00 = TWidth.MultiplyAdd(x0, y, c00);
            c10 = TWidth.MultiplyAdd(x1, y, c10);
            c20 = TWidth.MultiplyAdd(x2, y, c20);
            c30 = TWidth.MultiplyAdd(x3, y, c30);
            y = TWidth.Load(ref rb1, (nuint)i);
            c01 = TWidth.MultiplyAdd(x0, y, c01);
            c11 = TWidth.MultiplyAdd(x1, y, c11);
            c21 = TWidth.MultiplyAdd(x2, y, c21);
            c31 = TWidth.MultiplyAdd(x3, y, c31);
            if (four)
            {
                y = TWidth.Load(ref rb2, (nuint)i);
                c02 = TWidth.MultiplyAdd(x0, y, c02);
                c12 = TWidth.MultiplyAdd(x1, y, c12);
                c22 = TWidth.MultiplyAdd(x2, y, c22);
                c32 = TWidth.MultiplyAdd(x3, y, c32);
                y = TWidth.Load(ref rb3, (nuint)i);
                c03 = TWidth.MultiplyAdd(x0, y, c03);
                c13 = TWidth.MultiplyAdd(x1, y, c13);
                c23 = TWidth.MultiplyAdd(x2, y, c23);
                c33 = TWidth.MultiplyAdd(x3, y, c33);
            }
        }

        s[0] = TWidth.Sum(c00);
        s[1] = TWidth.Sum(c10);
        s[2] = TWidth.Sum(c20);
        s[3] = TWidth.Sum(c30);
        s[4] = TWidth.Sum(c01);
        s[5] = TWidth.Sum(c11);
        s[6] = TWidth.Sum(c21);
        s[7] = TWidth.Sum(c31);
        if (four)
        {
            s[8] = TWidth.Sum(c02);
            s[9] = TWidth.Sum(c12);
            s[10] = TWidth.Sum(c22);
            s[11] = TWidth.Sum(c32);
            s[12] = TWidth.Sum(c03);
            s[13] = TWidth.Sum(c13);
            s[14] = TWidth.Sum(c23);
            s[15] = TWidth.Sum(c33);
        }

        return i;
    }
}
