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

        int j = 0;
        for (; j <= n - 4; j += 4)
        {
            var a0 = a.Slice(j * lda, m);
            var a1 = a.Slice((j + 1) * lda, m);
            var a2 = a.Slice((j + 2) * lda, m);
            var a3 = a.Slice((j + 3) * lda, m);
            AddFourColumns(alpha * x[j], a0, alpha * x[j + 1], a1, alpha * x[j + 2], a2, alpha * x[j + 3], a3, y);
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
        if ((long)m * n >= ParallelThreshold && n >= 64 && Environment.ProcessorCount > 1)
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
        int blocks = Math.Min(Environment.ProcessorCount, n / 32);
        fixed (double* pa = a, px = x, py = y)
        {
            nint aAddress = (nint)pa, xAddress = (nint)px, yAddress = (nint)py;
            int aLength = a.Length;
            Parallel.For(0, blocks, block =>
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyTransposedSerial(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        int j = 0;
        for (; j <= n - 4; j += 4)
        {
            FourDots(x, a.Slice(j * lda, m), a.Slice((j + 1) * lda, m), a.Slice((j + 2) * lda, m), a.Slice((j + 3) * lda, m), out double d0, out double d1, out double d2, out double d3);
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

    /// <summary>y ← y + s0·a0 + s1·a1 + s2·a2 + s3·a3 (all spans of y's length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddFourColumns(
        double s0,
        ReadOnlySpan<double> a0,
        double s1,
        ReadOnlySpan<double> a1,
        double s2,
        ReadOnlySpan<double> a2,
        double s3,
        ReadOnlySpan<double> a3,
        Span<double> y)
    {
        ref double r0 = ref MemoryMarshal.GetReference(a0);
        ref double r1 = ref MemoryMarshal.GetReference(a1);
        ref double r2 = ref MemoryMarshal.GetReference(a2);
        ref double r3 = ref MemoryMarshal.GetReference(a3);
        ref double ry = ref MemoryMarshal.GetReference(y);
        int m = y.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var v0 = Vector512.Create(s0);
            var v1 = Vector512.Create(s1);
            var v2 = Vector512.Create(s2);
            var v3 = Vector512.Create(s3);
            for (; i <= m - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var acc = Vector512.LoadUnsafe(ref ry, (nuint)i);
                acc = Vector512.FusedMultiplyAdd(v0, Vector512.LoadUnsafe(ref r0, (nuint)i), acc);
                acc = Vector512.FusedMultiplyAdd(v1, Vector512.LoadUnsafe(ref r1, (nuint)i), acc);
                acc = Vector512.FusedMultiplyAdd(v2, Vector512.LoadUnsafe(ref r2, (nuint)i), acc);
                acc = Vector512.FusedMultiplyAdd(v3, Vector512.LoadUnsafe(ref r3, (nuint)i), acc);
                acc.StoreUnsafe(ref ry, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var v0 = Vector256.Create(s0);
            var v1 = Vector256.Create(s1);
            var v2 = Vector256.Create(s2);
            var v3 = Vector256.Create(s3);
            for (; i <= m - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var acc = Vector256.LoadUnsafe(ref ry, (nuint)i);
                acc = Vector256.FusedMultiplyAdd(v0, Vector256.LoadUnsafe(ref r0, (nuint)i), acc);
                acc = Vector256.FusedMultiplyAdd(v1, Vector256.LoadUnsafe(ref r1, (nuint)i), acc);
                acc = Vector256.FusedMultiplyAdd(v2, Vector256.LoadUnsafe(ref r2, (nuint)i), acc);
                acc = Vector256.FusedMultiplyAdd(v3, Vector256.LoadUnsafe(ref r3, (nuint)i), acc);
                acc.StoreUnsafe(ref ry, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var v0 = Vector128.Create(s0);
            var v1 = Vector128.Create(s1);
            var v2 = Vector128.Create(s2);
            var v3 = Vector128.Create(s3);
            for (; i <= m - Vector128<double>.Count; i += Vector128<double>.Count)
            {
                var acc = Vector128.LoadUnsafe(ref ry, (nuint)i);
                acc = Kernels.MultiplyAdd(v0, Vector128.LoadUnsafe(ref r0, (nuint)i), acc);
                acc = Kernels.MultiplyAdd(v1, Vector128.LoadUnsafe(ref r1, (nuint)i), acc);
                acc = Kernels.MultiplyAdd(v2, Vector128.LoadUnsafe(ref r2, (nuint)i), acc);
                acc = Kernels.MultiplyAdd(v3, Vector128.LoadUnsafe(ref r3, (nuint)i), acc);
                acc.StoreUnsafe(ref ry, (nuint)i);
            }
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

    /// <summary>Four dot products of the columns a0..a3 with x, sharing each load of x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourDots(
        ReadOnlySpan<double> x,
        ReadOnlySpan<double> a0,
        ReadOnlySpan<double> a1,
        ReadOnlySpan<double> a2,
        ReadOnlySpan<double> a3,
        out double d0,
        out double d1,
        out double d2,
        out double d3)
    {
        ref double rx = ref MemoryMarshal.GetReference(x);
        ref double r0 = ref MemoryMarshal.GetReference(a0);
        ref double r1 = ref MemoryMarshal.GetReference(a1);
        ref double r2 = ref MemoryMarshal.GetReference(a2);
        ref double r3 = ref MemoryMarshal.GetReference(a3);
        int m = x.Length;
        int i = 0;
        d0 = 0.0;
        d1 = 0.0;
        d2 = 0.0;
        d3 = 0.0;
        if (Vector512.IsHardwareAccelerated)
        {
            var acc0 = Vector512<double>.Zero;
            var acc1 = Vector512<double>.Zero;
            var acc2 = Vector512<double>.Zero;
            var acc3 = Vector512<double>.Zero;
            for (; i <= m - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var xv = Vector512.LoadUnsafe(ref rx, (nuint)i);
                acc0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, (nuint)i), xv, acc0);
                acc1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r1, (nuint)i), xv, acc1);
                acc2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r2, (nuint)i), xv, acc2);
                acc3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r3, (nuint)i), xv, acc3);
            }

            d0 = Vector512.Sum(acc0);
            d1 = Vector512.Sum(acc1);
            d2 = Vector512.Sum(acc2);
            d3 = Vector512.Sum(acc3);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            var acc2 = Vector256<double>.Zero;
            var acc3 = Vector256<double>.Zero;
            for (; i <= m - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var xv = Vector256.LoadUnsafe(ref rx, (nuint)i);
                acc0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r0, (nuint)i), xv, acc0);
                acc1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r1, (nuint)i), xv, acc1);
                acc2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r2, (nuint)i), xv, acc2);
                acc3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r3, (nuint)i), xv, acc3);
            }

            d0 = Vector256.Sum(acc0);
            d1 = Vector256.Sum(acc1);
            d2 = Vector256.Sum(acc2);
            d3 = Vector256.Sum(acc3);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            // Two accumulators per column, so eight independent sums cover the latency of the 128-bit adds.
            Vector128<double> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
            Vector128<double> acc4 = default, acc5 = default, acc6 = default, acc7 = default;
            const int Count = 2;
            for (; i <= m - (2 * Count); i += 2 * Count)
            {
                var xv = Vector128.LoadUnsafe(ref rx, (nuint)i);
                acc0 = Kernels.MultiplyAdd(Vector128.LoadUnsafe(ref r0, (nuint)i), xv, acc0);
                acc1 = Kernels.MultiplyAdd(Vector128.LoadUnsafe(ref r1, (nuint)i), xv, acc1);
                acc2 = Kernels.MultiplyAdd(Vector128.LoadUnsafe(ref r2, (nuint)i), xv, acc2);
                acc3 = Kernels.MultiplyAdd(Vector128.LoadUnsafe(ref r3, (nuint)i), xv, acc3);
                xv = Vector128.LoadUnsafe(ref rx, (nuint)(i + Count));
                acc4 = Kernels.MultiplyAdd(Vector128.LoadUnsafe(ref r0, (nuint)(i + Count)), xv, acc4);
                acc5 = Kernels.MultiplyAdd(Vector128.LoadUnsafe(ref r1, (nuint)(i + Count)), xv, acc5);
                acc6 = Kernels.MultiplyAdd(Vector128.LoadUnsafe(ref r2, (nuint)(i + Count)), xv, acc6);
                acc7 = Kernels.MultiplyAdd(Vector128.LoadUnsafe(ref r3, (nuint)(i + Count)), xv, acc7);
            }

            if (i <= m - Count)
            {
                var xv = Vector128.LoadUnsafe(ref rx, (nuint)i);
                acc0 = Kernels.MultiplyAdd(Vector128.LoadUnsafe(ref r0, (nuint)i), xv, acc0);
                acc1 = Kernels.MultiplyAdd(Vector128.LoadUnsafe(ref r1, (nuint)i), xv, acc1);
                acc2 = Kernels.MultiplyAdd(Vector128.LoadUnsafe(ref r2, (nuint)i), xv, acc2);
                acc3 = Kernels.MultiplyAdd(Vector128.LoadUnsafe(ref r3, (nuint)i), xv, acc3);
                i += Count;
            }

            d0 = Vector128.Sum(acc0 + acc4);
            d1 = Vector128.Sum(acc1 + acc5);
            d2 = Vector128.Sum(acc2 + acc6);
            d3 = Vector128.Sum(acc3 + acc7);
        }

        for (; i < m; i++)
        {
            double xi = x[i];
            d0 = Kernels.MultiplyAdd(a0[i], xi, d0);
            d1 = Kernels.MultiplyAdd(a1[i], xi, d1);
            d2 = Kernels.MultiplyAdd(a2[i], xi, d2);
            d3 = Kernels.MultiplyAdd(a3[i], xi, d3);
        }
    }

    private static ArgumentException LengthError(string name, string message) => new(message, name);
}
