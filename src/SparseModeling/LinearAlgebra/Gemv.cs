// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Matrix–vector products on column-major storage (BLAS level 2 GEMV). Both directions work on four
/// columns per pass so that each load of the shared vector feeds four FMAs.
/// </summary>
internal static class Gemv
{
    /// <summary>Products with at least this many matrix entries are split across the cores (below it the fork costs more than it saves).</summary>
    private const long ParallelThreshold = 1L << 18;

    /// <summary>
    /// y ← α·A·x + β·y, where A is <paramref name="m"/>×<paramref name="n"/> column-major with leading
    /// dimension <paramref name="lda"/>, x has n entries and y has m. When <paramref name="beta"/> is 0
    /// the old contents of y (even NaN) are ignored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        Check(m, n, a.Length, lda, x.Length, n, y.Length, m);
        y = y[..m];
        if (beta == 0.0)
        {
            y.Clear();
        }
        else if (beta != 1.0)
        {
            Kernels.Scal(beta, y);
        }

        if (alpha == 0.0 || m == 0)
        {
            return;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            AddColumns<Kernels.Width512, Vector512<double>>(m, n, alpha, a, lda, x, y);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            AddColumns<Kernels.Width256, Vector256<double>>(m, n, alpha, a, lda, x, y);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            AddColumns<Kernels.Width128, Vector128<double>>(m, n, alpha, a, lda, x, y);
        }
        else
        {
            AddColumns<Kernels.ScalarWidth, double>(m, n, alpha, a, lda, x, y);
        }
    }

    /// <summary>y ← y + α·A·x, four columns of A at a time, in vectors of <typeparamref name="TWidth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddColumns<TWidth, TVector>(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, Span<double> y)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        int j = 0;
        for (; j <= n - 4; j += 4)
        {
            var a0 = a.Slice(j * lda, m);
            var a1 = a.Slice((j + 1) * lda, m);
            var a2 = a.Slice((j + 2) * lda, m);
            var a3 = a.Slice((j + 3) * lda, m);
            AddFourColumns<TWidth, TVector>(alpha * x[j], a0, alpha * x[j + 1], a1, alpha * x[j + 2], a2, alpha * x[j + 3], a3, y);
        }

        for (; j < n; j++)
        {
            Kernels.Axpy(alpha * x[j], a.Slice(j * lda, m), y);
        }
    }

    /// <summary>
    /// y ← α·Aᵀ·x + β·y, where A is <paramref name="m"/>×<paramref name="n"/> column-major with leading
    /// dimension <paramref name="lda"/>, x has m entries and y has n. When <paramref name="beta"/> is 0
    /// the old contents of y (even NaN) are ignored.
    /// </summary>
    public static void MultiplyTransposed(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        Check(m, n, a.Length, lda, x.Length, m, y.Length, n);
        if (alpha == 0.0 || m == 0)
        {
            var head = y[..n];
            if (beta == 0.0)
            {
                head.Clear();
            }
            else if (beta != 1.0)
            {
                Kernels.Scal(beta, head);
            }

            return;
        }

        x = x[..m];
        if ((long)m * n >= ParallelThreshold && n >= 64 && Parallelism.Degree > 1)
        {
            MultiplyTransposedParallel(m, n, alpha, a, lda, x, beta, y);
            return;
        }

        MultiplyTransposedSerial(m, n, alpha, a, lda, x, beta, y);
    }

    /// <summary>
    /// Splits the columns into one block per core (block starts are multiples of 4, so every yⱼ is
    /// computed exactly as in the serial loop: results do not depend on the number of threads).
    /// </summary>
    private static unsafe void MultiplyTransposedParallel(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        int blocks = Math.Min(Parallelism.Degree, n / 32);
        fixed (double* pa = a, px = x, py = y)
        {
            nint aAddress = (nint)pa, xAddress = (nint)px, yAddress = (nint)py;
            int aLength = a.Length;
            Parallelism.For(blocks, block =>
            {
                int j0 = (int)((long)n * block / blocks) & ~3;
                int j1 = block == blocks - 1 ? n : (int)((long)n * (block + 1) / blocks) & ~3;
                var aBlock = new ReadOnlySpan<double>((double*)aAddress, aLength).Slice(j0 * lda);
                var xSpan = new ReadOnlySpan<double>((double*)xAddress, m);
                var yBlock = new Span<double>((double*)yAddress + j0, j1 - j0);
                MultiplyTransposedSerial(m, j1 - j0, alpha, aBlock, lda, xSpan, beta, yBlock);
            });
        }
    }

    private static void MultiplyTransposedSerial(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            MultiplyTransposedSerial<Kernels.Width512, Vector512<double>>(m, n, alpha, a, lda, x, beta, y);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            MultiplyTransposedSerial<Kernels.Width256, Vector256<double>>(m, n, alpha, a, lda, x, beta, y);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            MultiplyTransposedSerial<Kernels.Width128, Vector128<double>>(m, n, alpha, a, lda, x, beta, y);
        }
        else
        {
            MultiplyTransposedSerial<Kernels.ScalarWidth, double>(m, n, alpha, a, lda, x, beta, y);
        }
    }

    /// <summary>y ← α·Aᵀ·x + β·y, four columns of A at a time, in vectors of <typeparamref name="TWidth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyTransposedSerial<TWidth, TVector>(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        int j = 0;
        for (; j <= n - 4; j += 4)
        {
            FourDots<TWidth, TVector>(x, a.Slice(j * lda, m), a.Slice((j + 1) * lda, m), a.Slice((j + 2) * lda, m), a.Slice((j + 3) * lda, m), out double d0, out double d1, out double d2, out double d3);
            y[j] = Combine(alpha, d0, beta, y[j]);
            y[j + 1] = Combine(alpha, d1, beta, y[j + 1]);
            y[j + 2] = Combine(alpha, d2, beta, y[j + 2]);
            y[j + 3] = Combine(alpha, d3, beta, y[j + 3]);
        }

        for (; j < n; j++)
        {
            y[j] = Combine(alpha, Kernels.Dot(a.Slice(j * lda, m), x), beta, y[j]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Combine(double alpha, double dot, double beta, double old) =>
        beta == 0.0 ? alpha * dot : Math.FusedMultiplyAdd(beta, old, alpha * dot);

    private static void Check(int m, int n, int aLength, int lda, int xLength, int xNeeded, int yLength, int yNeeded)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (lda < Math.Max(1, m))
        {
            throw new ArgumentOutOfRangeException(nameof(lda), $"lda is {lda} but must be at least {Math.Max(1, m)}.");
        }

        if (m > 0 && n > 0 && aLength < ((long)(n - 1) * lda) + m)
        {
            throw LengthError("a", $"a has {aLength} entries but a {m}×{n} matrix with leading dimension {lda} needs {((long)(n - 1) * lda) + m}.");
        }

        if (xLength < xNeeded)
        {
            throw LengthError("x", $"x has {xLength} entries but {xNeeded} are needed.");
        }

        if (yLength < yNeeded)
        {
            throw LengthError("y", $"y has {yLength} entries but {yNeeded} are needed.");
        }
    }

    /// <summary>
    /// y ← y + s0·a0 + s1·a1 + s2·a2 + s3·a3 (all spans of y's length): one FMA chain per entry of y in vectors of
    /// <typeparamref name="TWidth"/>, then the entries left over one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddFourColumns<TWidth, TVector>(
        double s0,
        ReadOnlySpan<double> a0,
        double s1,
        ReadOnlySpan<double> a1,
        double s2,
        ReadOnlySpan<double> a2,
        double s3,
        ReadOnlySpan<double> a3,
        Span<double> y)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        ref double r0 = ref MemoryMarshal.GetReference(a0);
        ref double r1 = ref MemoryMarshal.GetReference(a1);
        ref double r2 = ref MemoryMarshal.GetReference(a2);
        ref double r3 = ref MemoryMarshal.GetReference(a3);
        ref double ry = ref MemoryMarshal.GetReference(y);
        int m = y.Length;
        int i = 0;
        var v0 = TWidth.Broadcast(s0);
        var v1 = TWidth.Broadcast(s1);
        var v2 = TWidth.Broadcast(s2);
        var v3 = TWidth.Broadcast(s3);

        // The bound in a local: with m - TWidth.Count in the condition the JIT neither hoisted it nor inverted the loop.
        int last = m - TWidth.Count;
        for (; i <= last; i += TWidth.Count)
        {
            var acc = TWidth.Load(ref ry, (nuint)i);
            acc = TWidth.MultiplyAdd(v0, TWidth.Load(ref r0, (nuint)i), acc);
            acc = TWidth.MultiplyAdd(v1, TWidth.Load(ref r1, (nuint)i), acc);
            acc = TWidth.MultiplyAdd(v2, TWidth.Load(ref r2, (nuint)i), acc);
            acc = TWidth.MultiplyAdd(v3, TWidth.Load(ref r3, (nuint)i), acc);
            TWidth.Store(acc, ref ry, (nuint)i);
        }

        for (; i < m; i++)
        {
            double acc = y[i];
            acc = Kernels.MultiplyAdd(s0, a0[i], acc);
            acc = Kernels.MultiplyAdd(s1, a1[i], acc);
            acc = Kernels.MultiplyAdd(s2, a2[i], acc);
            acc = Kernels.MultiplyAdd(s3, a3[i], acc);
            y[i] = acc;
        }
    }

    /// <summary>
    /// Four dot products of the columns a0..a3 with x, sharing each load of x, in vectors of <typeparamref name="TWidth"/>, then
    /// the entries left over one by one. With 128-bit vectors each column has two accumulators, alternating, so that eight
    /// independent sums cover the latency of the adds; wider vectors have enough lanes in flight with one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourDots<TWidth, TVector>(
        ReadOnlySpan<double> x,
        ReadOnlySpan<double> a0,
        ReadOnlySpan<double> a1,
        ReadOnlySpan<double> a2,
        ReadOnlySpan<double> a3,
        out double d0,
        out double d1,
        out double d2,
        out double d3)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        ref double rx = ref MemoryMarshal.GetReference(x);
        ref double r0 = ref MemoryMarshal.GetReference(a0);
        ref double r1 = ref MemoryMarshal.GetReference(a1);
        ref double r2 = ref MemoryMarshal.GetReference(a2);
        ref double r3 = ref MemoryMarshal.GetReference(a3);
        int m = x.Length;
        int count = TWidth.Count;
        bool pairs = TWidth.Count == Vector128<double>.Count;
        int stride = pairs ? 2 * count : count;
        var acc0 = TWidth.Zero;
        var acc1 = TWidth.Zero;
        var acc2 = TWidth.Zero;
        var acc3 = TWidth.Zero;
        var acc4 = TWidth.Zero;
        var acc5 = TWidth.Zero;
        var acc6 = TWidth.Zero;
        var acc7 = TWidth.Zero;
        int i = 0;
        int last = m - stride;
        for (; i <= last; i += stride)
        {
            var xv = TWidth.Load(ref rx, (nuint)i);
            acc0 = TWidth.MultiplyAdd(TWidth.Load(ref r0, (nuint)i), xv, acc0);
            acc1 = TWidth.MultiplyAdd(TWidth.Load(ref r1, (nuint)i), xv, acc1);
            acc2 = TWidth.MultiplyAdd(TWidth.Load(ref r2, (nuint)i), xv, acc2);
            acc3 = TWidth.MultiplyAdd(TWidth.Load(ref r3, (nuint)i), xv, acc3);
            if (pairs)
            {
                xv = TWidth.Load(ref rx, (nuint)(i + count));
                acc4 = TWidth.MultiplyAdd(TWidth.Load(ref r0, (nuint)(i + count)), xv, acc4);
                acc5 = TWidth.MultiplyAdd(TWidth.Load(ref r1, (nuint)(i + count)), xv, acc5);
                acc6 = TWidth.MultiplyAdd(TWidth.Load(ref r2, (nuint)(i + count)), xv, acc6);
                acc7 = TWidth.MultiplyAdd(TWidth.Load(ref r3, (nuint)(i + count)), xv, acc7);
            }
        }

        if (pairs)
        {
            if (i <= m - count)
            {
                var xv = TWidth.Load(ref rx, (nuint)i);
                acc0 = TWidth.MultiplyAdd(TWidth.Load(ref r0, (nuint)i), xv, acc0);
                acc1 = TWidth.MultiplyAdd(TWidth.Load(ref r1, (nuint)i), xv, acc1);
                acc2 = TWidth.MultiplyAdd(TWidth.Load(ref r2, (nuint)i), xv, acc2);
                acc3 = TWidth.MultiplyAdd(TWidth.Load(ref r3, (nuint)i), xv, acc3);
                i += count;
            }

            acc0 = TWidth.Add(acc0, acc4);
            acc1 = TWidth.Add(acc1, acc5);
            acc2 = TWidth.Add(acc2, acc6);
            acc3 = TWidth.Add(acc3, acc7);
        }

        double s0 = TWidth.Sum(acc0);
        double s1 = TWidth.Sum(acc1);
        double s2 = TWidth.Sum(acc2);
        double s3 = TWidth.Sum(acc3);
        for (; i < m; i++)
        {
            double xi = x[i];
            s0 = Kernels.MultiplyAdd(a0[i], xi, s0);
            s1 = Kernels.MultiplyAdd(a1[i], xi, s1);
            s2 = Kernels.MultiplyAdd(a2[i], xi, s2);
            s3 = Kernels.MultiplyAdd(a3[i], xi, s3);
        }

        d0 = s0;
        d1 = s1;
        d2 = s2;
        d3 = s3;
    }

    private static ArgumentException LengthError(string name, string message) => new(message, name);
}
