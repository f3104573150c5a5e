// SPDX-License-Identifier: BSD-3-Clause
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Products of a thin factor (K rows, K up to a few dozen) with a big data matrix X (n×m,
/// column-major), as the NMF solvers need them every iteration: C = Wᵀ·X (K×m) and C = H·Xᵀ (K×n).
/// Both are C[:, c] = Σ_s F[:, s]·Y[s, c] for a factor F (K×S, K-major) and Y a strided view of X;
/// four columns of C are kept in registers (K components as up to three 512-bit vectors and one 256-bit vector each, so up
/// to 24 components in one pass over X) while the sum runs over s, so X is read once per group of 24
/// components and never packed or copied. With 256-bit or 128-bit vectors the registers hold fewer components, so a group
/// is cut into slices (up to 12 or 4 components) that each run over the same block of X while it is in L1.
/// </summary>
/// <remarks>
/// Results do not depend on the number of threads: columns of C are split across cores in groups of
/// four and every entry is summed in the same order by the same kernel however the work is divided.
/// </remarks>
internal static class FactorGemm
{
    /// <summary>Products with at least this many multiply-adds are split across the cores.</summary>
    private const long ParallelThreshold = 1L << 18;

    private const int Lanes = 8;

    private const int HalfLanes = 4;

    private const int GroupComponents = 3 * Lanes;

    /// <summary>Steps of the sum done per pass over a block of columns when X is read down its columns: a block of the factor (at most 96 × 24 doubles) stays in L1.</summary>
    private const int BlockSteps = 96;

    /// <summary>Steps per pass when X is read across long rows: each step is a separate stream through memory (and page), so few at a time.</summary>
    private const int StridedBlockSteps = 8;

    /// <summary>Doubles spanned by the steps of one strided pass (16 pages of 4 KiB): narrower rows of X take more steps per pass, up to <see cref="BlockSteps"/>.</summary>
    private const int StridedSpan = 16 * 512;

    private interface IWidth
    {
        /// <summary>Full vectors of components: 512-bit ones in the 512-bit kernel, 256-bit ones in the 256-bit kernel.</summary>
        static abstract int Vectors { get; }

        /// <summary>Whether one 256-bit vector of 4 more components follows.</summary>
        static abstract bool Half { get; }
    }

    /// <summary>
    /// C ← Fᵀ·X for F = Wᵀ stored K×n (leading dimension K) and X n×m (leading dimension
    /// <paramref name="ldx"/>): C is K×m with leading dimension K. Old contents of C are ignored, or with <paramref name="accumulate"/> the product is added to them.
    /// </summary>
    public static void FactorTransposedTimes(int k, int n, int m, ReadOnlySpan<double> f, ReadOnlySpan<double> x, int ldx, Span<double> c, bool accumulate = false)
    {
        Check(k, n, m, f, n, x, ldx, c, m);
        Run(k, n, m, f, x, 1, ldx, c, accumulate);
    }

    /// <summary>
    /// C ← F·Xᵀ for F = H stored K×m (leading dimension K) and X n×m (leading dimension
    /// <paramref name="ldx"/>): C is K×n with leading dimension K. Old contents of C are ignored, or with <paramref name="accumulate"/> the product is added to them.
    /// </summary>
    public static void FactorTimesTransposed(int k, int n, int m, ReadOnlySpan<double> f, ReadOnlySpan<double> x, int ldx, Span<double> c, bool accumulate = false)
    {
        Check(k, n, m, f, m, x, ldx, c, n);
        Run(k, m, n, f, x, ldx, 1, c, accumulate);
    }

    /// <summary>
    /// G ← F·Fᵀ (K×K, leading dimension K) for a factor F stored K×S (leading dimension K), through the same kernel as
    /// the products with X, whose broadcasts make G exactly symmetric (G[t, c] and G[c, t] sum the same products in the
    /// same order). For the small Gram matrices of NMF this beats the packed GEMM, whose packing costs as much as the product.
    /// </summary>
    public static void Gram(int k, int s, ReadOnlySpan<double> f, Span<double> g) => FactorTimesTransposed(k, k, s, f, f, k, g);

    /// <summary>
    /// C ← G·F (K×S, leading dimension K) for a symmetric G (K×K) and a factor F stored K×S (leading dimension K), as
    /// Gᵀ·F through <see cref="FactorTransposedTimes"/>.
    /// </summary>
    public static void SymmetricTimes(int k, int s, ReadOnlySpan<double> g, ReadOnlySpan<double> f, Span<double> c) => FactorTransposedTimes(k, k, s, g, f, k, c);

    private static void Check(int k, int n, int m, ReadOnlySpan<double> f, int factorColumns, ReadOnlySpan<double> x, int ldx, Span<double> c, int productColumns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        if (f.Length < (long)k * factorColumns || c.Length < (long)k * productColumns)
        {
            throw new ArgumentException($"A span is too short for F {k}×{factorColumns} and C {k}×{productColumns}.", nameof(c));
        }

        if (ldx < Math.Max(1, n) || (n > 0 && m > 0 && x.Length < ((long)(m - 1) * ldx) + n))
        {
            throw new ArgumentException($"X {n}×{m} does not fit a span of {x.Length} with leading dimension {ldx}.", nameof(x));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Run(int k, int s, int columns, ReadOnlySpan<double> f, ReadOnlySpan<double> y, int strideS, int strideColumn, Span<double> c, bool accumulate)
    {
        if (k == 0 || columns == 0 || (s == 0 && accumulate))
        {
            return;
        }

        if (s == 0)
        {
            c.Slice(0, k * columns).Clear();
            return;
        }

        // The factor padded to a multiple of 4 components, zeros in the padding, so every load is a full vector;
        // when K is a multiple of 4 the factor and C are used in place.
        int kp = (k + HalfLanes - 1) / HalfLanes * HalfLanes;
        bool inPlace = kp == k;
        double[]? padded = inPlace ? null : ArrayPool<double>.Shared.Rent(kp * s);
        double[]? product = inPlace && !accumulate ? null : ArrayPool<double>.Shared.Rent(kp * columns);
        try
        {
            if (padded is not null)
            {
                // Element by element: K is a few dozen at most, where a copy call per column costs more than the copy.
                var to = padded.AsSpan(0, kp * s);
                var from = f.Slice(0, k * s);
                for (int j = 0; j < s; j++)
                {
                    int src = j * k, dst = j * kp;
                    for (int t = 0; t < k; t++)
                    {
                        to[dst + t] = from[src + t];
                    }

                    for (int t = k; t < kp; t++)
                    {
                        to[dst + t] = 0.0;
                    }
                }
            }

            ReadOnlySpan<double> factor = padded is null ? f : padded;
            Span<double> target = product is null ? c : product;
            fixed (double* pf = factor)
            fixed (double* py = y)
            fixed (double* pc = target)
            {
                var job = new Job(pf, kp, k, s, py, strideS, strideColumn, pc);
                int quads = columns / 4;
                if ((long)k * s * columns >= ParallelThreshold && quads >= 2 && Environment.ProcessorCount > 1)
                {
                    int blocks = Math.Min(Environment.ProcessorCount, quads);
                    nint address = (nint)(&job);
                    System.Threading.Tasks.Parallel.For(0, blocks, block =>
                    {
                        ref readonly Job shared = ref *(Job*)address;
                        int c0 = (int)((long)quads * block / blocks) * 4;
                        int c1 = block == blocks - 1 ? columns : (int)((long)quads * (block + 1) / blocks) * 4;
                        shared.Columns(c0, c1);
                    });
                }
                else
                {
                    job.Columns(0, columns);
                }
            }

            if (product is null)
            {
                return;
            }

            // Element by element, as the padding: a call per column of K entries costs more than its work.
            var result = c.Slice(0, k * columns);
            var partial = product.AsSpan(0, kp * columns);
            for (int j = 0; j < columns; j++)
            {
                int src = j * kp, dst = j * k;
                if (accumulate)
                {
                    for (int t = 0; t < k; t++)
                    {
                        result[dst + t] += partial[src + t];
                    }
                }
                else
                {
                    for (int t = 0; t < k; t++)
                    {
                        result[dst + t] = partial[src + t];
                    }
                }
            }
        }
        finally
        {
            if (product is not null)
            {
                ArrayPool<double>.Shared.Return(product);
            }

            if (padded is not null)
            {
                ArrayPool<double>.Shared.Return(padded);
            }
        }
    }

    private readonly unsafe struct Job(double* f, int kp, int k, int s, double* y, int strideS, int strideColumn, double* c)
    {
        /// <summary>Columns c0..c1 of C; c0 is a multiple of 4 and only the last block ends past one, so every column goes through the same kernel as in a serial run.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Columns(int c0, int c1)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                Columns512(c0, c1);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                Columns256(c0, c1);
            }
            else if (Vector128.IsHardwareAccelerated)
            {
                Columns128(c0, c1);
            }
            else
            {
                Scalar(c0, c1 - c0, 0, k);
            }
        }

        /// <summary>Columns c0..c1 in 512-bit registers: up to 24 components of four columns per pass, then one column at a time for the last 1 to 3.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Columns512(int c0, int c1)
        {
            for (int g = 0; g < kp; g += GroupComponents)
            {
                int width = Math.Min(GroupComponents, kp - g);
                int blockSteps = strideS == 1 ? BlockSteps : Math.Clamp(StridedSpan / strideS, StridedBlockSteps, BlockSteps);
                for (int s0 = 0; s0 < s; s0 += blockSteps)
                {
                    int s1 = Math.Min(s, s0 + blockSteps);
                    int col = c0;
                    for (; col + 4 <= c1; col += 4)
                    {
                        Group512<Four>(width, col, g, s0, s1);
                    }

                    for (; col < c1; col++)
                    {
                        Group512<OneColumn>(width, col, g, s0, s1);
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Group512<TColumns>(int width, int col, int g, int s0, int s1)
            where TColumns : struct, IColumns
        {
            switch (width)
            {
                case 24:
                    Quad<Three, TColumns>(col, g, s0, s1);
                    break;
                case 20:
                    Quad<TwoAndHalf, TColumns>(col, g, s0, s1);
                    break;
                case 16:
                    Quad<Two, TColumns>(col, g, s0, s1);
                    break;
                case 12:
                    Quad<OneAndHalf, TColumns>(col, g, s0, s1);
                    break;
                case 8:
                    Quad<One, TColumns>(col, g, s0, s1);
                    break;
                default:
                    Quad<HalfOnly, TColumns>(col, g, s0, s1);
                    break;
            }
        }

        /// <summary>
        /// Columns c0..c1 in 256-bit registers (four at a time, then one at a time for the last 1 to 3). Sixteen registers hold at most 12 components of four
        /// columns, so a group of up to 24 components is split into at most two balanced slices of 1 to 3 vectors, each run over
        /// the same block of four columns and steps while that block of X is still in L1: X is read from memory once per group.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Columns256(int c0, int c1)
        {
            int blockSteps = strideS == 1 ? BlockSteps : Math.Clamp(StridedSpan / strideS, StridedBlockSteps, BlockSteps);
            for (int g = 0; g < kp; g += GroupComponents)
            {
                int vectors = Math.Min(GroupComponents, kp - g) / HalfLanes;
                int slices = (vectors + 2) / 3;
                for (int s0 = 0; s0 < s; s0 += blockSteps)
                {
                    int s1 = Math.Min(s, s0 + blockSteps);
                    int col = c0;
                    for (; col + 4 <= c1; col += 4)
                    {
                        Slices256<Four>(vectors, slices, col, g, s0, s1);
                    }

                    for (; col < c1; col++)
                    {
                        Slices256<OneColumn>(vectors, slices, col, g, s0, s1);
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Slices256<TColumns>(int vectors, int slices, int col, int g, int s0, int s1)
            where TColumns : struct, IColumns
        {
            int t = g;
            for (int slice = 0; slice < slices; slice++)
            {
                int w = (vectors / slices) + (slice < vectors % slices ? 1 : 0);
                switch (w)
                {
                    case 3:
                        Quad256<Three, TColumns>(col, t, s0, s1);
                        break;
                    case 2:
                        Quad256<Two, TColumns>(col, t, s0, s1);
                        break;
                    default:
                        Quad256<One, TColumns>(col, t, s0, s1);
                        break;
                }

                t += w * HalfLanes;
            }
        }

        /// <summary>
        /// Columns c0..c1 in 128-bit registers (four at a time, then one at a time for the last 1 to 3): slices of 4 components (two vectors) of four columns,
        /// eight accumulators, each slice run over the same block of four columns and steps while that block of X is in L1.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Columns128(int c0, int c1)
        {
            int blockSteps = strideS == 1 ? BlockSteps : Math.Clamp(StridedSpan / strideS, StridedBlockSteps, BlockSteps);
            for (int g = 0; g < kp; g += GroupComponents)
            {
                int end = Math.Min(kp, g + GroupComponents);
                for (int s0 = 0; s0 < s; s0 += blockSteps)
                {
                    int s1 = Math.Min(s, s0 + blockSteps);
                    int col = c0;
                    for (; col + 4 <= c1; col += 4)
                    {
                        for (int t = g; t < end; t += HalfLanes)
                        {
                            Quad128<Four>(col, t, s0, s1);
                        }
                    }

                    for (; col < c1; col++)
                    {
                        for (int t = g; t < end; t += HalfLanes)
                        {
                            Quad128<OneColumn>(col, t, s0, s1);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Components g..g+8·W(+4 with a half vector) of columns col..col+3, steps s0..s1 of the sum added to the partial sums
        /// held in the padded product.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Quad<TWidth, TColumns>(int col, int g, int s0, int s1)
            where TWidth : struct, IWidth
            where TColumns : struct, IColumns
        {
            bool four = TColumns.IsFour;
            int w = TWidth.Vectors;
            bool half = TWidth.Half;
            Vector512<double> a00 = default, a01 = default, a02 = default;
            Vector512<double> a10 = default, a11 = default, a12 = default;
            Vector512<double> a20 = default, a21 = default, a22 = default;
            Vector512<double> a30 = default, a31 = default, a32 = default;
            Vector256<double> b0 = default, b1 = default, b2 = default, b3 = default;
            double* acc = c + ((nint)col * kp) + g;
            int tail = w * Lanes;
            if (s0 > 0)
            {
                Load(acc, w, ref a00, ref a01, ref a02);
                b0 = half ? Vector256.Load(acc + tail) : default;
                if (four)
                {
                    Load(acc + kp, w, ref a10, ref a11, ref a12);
                    Load(acc + (2 * kp), w, ref a20, ref a21, ref a22);
                    Load(acc + (3 * kp), w, ref a30, ref a31, ref a32);
                    if (half)
                    {
                        b1 = Vector256.Load(acc + kp + tail);
                        b2 = Vector256.Load(acc + (2 * kp) + tail);
                        b3 = Vector256.Load(acc + (3 * kp) + tail);
                    }
                }
            }

            double* y0 = y + ((nint)col * strideColumn) + ((nint)s0 * strideS);
            double* y1 = y0 + strideColumn;
            double* y2 = y1 + strideColumn;
            double* y3 = y2 + strideColumn;
            double* fp = f + ((nint)s0 * kp) + g;
            nint step = strideS;
            for (int j = s0; j < s1; j++)
            {
                var f0 = w >= 1 ? Vector512.Load(fp) : default;
                var f1 = w >= 2 ? Vector512.Load(fp + Lanes) : default;
                var f2 = w >= 3 ? Vector512.Load(fp + (2 * Lanes)) : default;
                var f3 = half ? Vector256.Load(fp + tail) : default;
                fp += kp;
                Step(Vector512.Create(*y0), w, half, f0, f1, f2, f3, ref a00, ref a01, ref a02, ref b0);
                if (four)
                {
                    Step(Vector512.Create(*y1), w, half, f0, f1, f2, f3, ref a10, ref a11, ref a12, ref b1);
                    Step(Vector512.Create(*y2), w, half, f0, f1, f2, f3, ref a20, ref a21, ref a22, ref b2);
                    Step(Vector512.Create(*y3), w, half, f0, f1, f2, f3, ref a30, ref a31, ref a32, ref b3);
                }

                y0 += step;
                y1 += step;
                y2 += step;
                y3 += step;
            }

            Store(acc, w, a00, a01, a02);
            if (half)
            {
                b0.Store(acc + tail);
            }

            if (four)
            {
                Store(acc + kp, w, a10, a11, a12);
                Store(acc + (2 * kp), w, a20, a21, a22);
                Store(acc + (3 * kp), w, a30, a31, a32);
                if (half)
                {
                    b1.Store(acc + kp + tail);
                    b2.Store(acc + (2 * kp) + tail);
                    b3.Store(acc + (3 * kp) + tail);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Step(
            Vector512<double> x,
            int w,
            bool half,
            Vector512<double> f0,
            Vector512<double> f1,
            Vector512<double> f2,
            Vector256<double> f3,
            ref Vector512<double> a0,
            ref Vector512<double> a1,
            ref Vector512<double> a2,
            ref Vector256<double> b)
        {
            if (w >= 1)
            {
                a0 = Vector512.FusedMultiplyAdd(f0, x, a0);
            }

            if (w >= 2)
            {
                a1 = Vector512.FusedMultiplyAdd(f1, x, a1);
            }

            if (w >= 3)
            {
                a2 = Vector512.FusedMultiplyAdd(f2, x, a2);
            }

            if (half)
            {
                b = Vector256.FusedMultiplyAdd(f3, x.GetLower(), b);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Load(double* at, int w, ref Vector512<double> v0, ref Vector512<double> v1, ref Vector512<double> v2)
        {
            if (w >= 1)
            {
                v0 = Vector512.Load(at);
            }

            if (w >= 2)
            {
                v1 = Vector512.Load(at + Lanes);
            }

            if (w >= 3)
            {
                v2 = Vector512.Load(at + (2 * Lanes));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(double* at, int w, Vector512<double> v0, Vector512<double> v1, Vector512<double> v2)
        {
            if (w >= 1)
            {
                v0.Store(at);
            }

            if (w >= 2)
            {
                v1.Store(at + Lanes);
            }

            if (w >= 3)
            {
                v2.Store(at + (2 * Lanes));
            }
        }

        /// <summary>
        /// Components g..g+4·W of columns col..col+3 in 256-bit vectors, steps s0..s1 of the sum added to the partial sums held
        /// in the padded product.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Quad256<TWidth, TColumns>(int col, int g, int s0, int s1)
            where TWidth : struct, IWidth
            where TColumns : struct, IColumns
        {
            bool four = TColumns.IsFour;
            int w = TWidth.Vectors;
            Vector256<double> a00 = default, a01 = default, a02 = default;
            Vector256<double> a10 = default, a11 = default, a12 = default;
            Vector256<double> a20 = default, a21 = default, a22 = default;
            Vector256<double> a30 = default, a31 = default, a32 = default;
            double* acc = c + ((nint)col * kp) + g;
            if (s0 > 0)
            {
                Load256(acc, w, ref a00, ref a01, ref a02);
                if (four)
                {
                    Load256(acc + kp, w, ref a10, ref a11, ref a12);
                    Load256(acc + (2 * kp), w, ref a20, ref a21, ref a22);
                    Load256(acc + (3 * kp), w, ref a30, ref a31, ref a32);
                }
            }

            double* y0 = y + ((nint)col * strideColumn) + ((nint)s0 * strideS);
            double* y1 = y0 + strideColumn;
            double* y2 = y1 + strideColumn;
            double* y3 = y2 + strideColumn;
            double* fp = f + ((nint)s0 * kp) + g;
            nint step = strideS;
            for (int j = s0; j < s1; j++)
            {
                var f0 = Vector256.Load(fp);
                var f1 = w >= 2 ? Vector256.Load(fp + HalfLanes) : default;
                var f2 = w >= 3 ? Vector256.Load(fp + (2 * HalfLanes)) : default;
                fp += kp;
                Step256(Vector256.Create(*y0), w, f0, f1, f2, ref a00, ref a01, ref a02);
                if (four)
                {
                    Step256(Vector256.Create(*y1), w, f0, f1, f2, ref a10, ref a11, ref a12);
                    Step256(Vector256.Create(*y2), w, f0, f1, f2, ref a20, ref a21, ref a22);
                    Step256(Vector256.Create(*y3), w, f0, f1, f2, ref a30, ref a31, ref a32);
                }

                y0 += step;
                y1 += step;
                y2 += step;
                y3 += step;
            }

            Store256(acc, w, a00, a01, a02);
            if (four)
            {
                Store256(acc + kp, w, a10, a11, a12);
                Store256(acc + (2 * kp), w, a20, a21, a22);
                Store256(acc + (3 * kp), w, a30, a31, a32);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Step256(
            Vector256<double> x,
            int w,
            Vector256<double> f0,
            Vector256<double> f1,
            Vector256<double> f2,
            ref Vector256<double> a0,
            ref Vector256<double> a1,
            ref Vector256<double> a2)
        {
            a0 = Kernels.MultiplyAdd(f0, x, a0);
            if (w >= 2)
            {
                a1 = Kernels.MultiplyAdd(f1, x, a1);
            }

            if (w >= 3)
            {
                a2 = Kernels.MultiplyAdd(f2, x, a2);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Load256(double* at, int w, ref Vector256<double> v0, ref Vector256<double> v1, ref Vector256<double> v2)
        {
            v0 = Vector256.Load(at);
            if (w >= 2)
            {
                v1 = Vector256.Load(at + HalfLanes);
            }

            if (w >= 3)
            {
                v2 = Vector256.Load(at + (2 * HalfLanes));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store256(double* at, int w, Vector256<double> v0, Vector256<double> v1, Vector256<double> v2)
        {
            v0.Store(at);
            if (w >= 2)
            {
                v1.Store(at + HalfLanes);
            }

            if (w >= 3)
            {
                v2.Store(at + (2 * HalfLanes));
            }
        }

        /// <summary>
        /// Components g..g+3 of columns col..col+3 in 128-bit vectors (two per column, eight accumulators), steps s0..s1 of the
        /// sum added to the partial sums held in the padded product.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Quad128<TColumns>(int col, int g, int s0, int s1)
            where TColumns : struct, IColumns
        {
            bool four = TColumns.IsFour;
            Vector128<double> a00 = default, a01 = default, a10 = default, a11 = default;
            Vector128<double> a20 = default, a21 = default, a30 = default, a31 = default;
            double* acc = c + ((nint)col * kp) + g;
            const int Pair = 2;
            if (s0 > 0)
            {
                a00 = Vector128.Load(acc);
                a01 = Vector128.Load(acc + Pair);
            }

            if (s0 > 0 && four)
            {
                a10 = Vector128.Load(acc + kp);
                a11 = Vector128.Load(acc + kp + Pair);
                a20 = Vector128.Load(acc + (2 * kp));
                a21 = Vector128.Load(acc + (2 * kp) + Pair);
                a30 = Vector128.Load(acc + (3 * kp));
                a31 = Vector128.Load(acc + (3 * kp) + Pair);
            }

            double* y0 = y + ((nint)col * strideColumn) + ((nint)s0 * strideS);
            double* y1 = y0 + strideColumn;
            double* y2 = y1 + strideColumn;
            double* y3 = y2 + strideColumn;
            double* fp = f + ((nint)s0 * kp) + g;
            nint step = strideS;
            for (int j = s0; j < s1; j++)
            {
                var f0 = Vector128.Load(fp);
                var f1 = Vector128.Load(fp + Pair);
                fp += kp;
                var x = Vector128.Create(*y0);
                a00 = Kernels.MultiplyAdd(f0, x, a00);
                a01 = Kernels.MultiplyAdd(f1, x, a01);
                if (four)
                {
                    x = Vector128.Create(*y1);
                    a10 = Kernels.MultiplyAdd(f0, x, a10);
                    a11 = Kernels.MultiplyAdd(f1, x, a11);
                    x = Vector128.Create(*y2);
                    a20 = Kernels.MultiplyAdd(f0, x, a20);
                    a21 = Kernels.MultiplyAdd(f1, x, a21);
                    x = Vector128.Create(*y3);
                    a30 = Kernels.MultiplyAdd(f0, x, a30);
                    a31 = Kernels.MultiplyAdd(f1, x, a31);
                }

                y0 += step;
                y1 += step;
                y2 += step;
                y3 += step;
            }

            a00.Store(acc);
            a01.Store(acc + Pair);
            if (!four)
            {
                return;
            }

            a10.Store(acc + kp);
            a11.Store(acc + kp + Pair);
            a20.Store(acc + (2 * kp));
            a21.Store(acc + (2 * kp) + Pair);
            a30.Store(acc + (3 * kp));
            a31.Store(acc + (3 * kp) + Pair);
        }

        /// <summary>Components t0..t1 of <paramref name="count"/> columns from col, one scalar sum each (edges, and runtimes without hardware vectors).</summary>
        private void Scalar(int col, int count, int t0, int t1)
        {
            for (int q = col; q < col + count; q++)
            {
                double* yq = y + ((nint)q * strideColumn);
                for (int t = t0; t < t1; t++)
                {
                    double sum = 0.0;
                    for (int j = 0; j < s; j++)
                    {
                        sum = Kernels.MultiplyAdd(f[((nint)j * kp) + t], yq[(nint)j * strideS], sum);
                    }

                    c[((nint)q * kp) + t] = sum;
                }
            }
        }
    }

    /// <summary>How many columns a kernel call handles: four, or one (the last 1 to 3 columns of C, one at a time).</summary>
    private interface IColumns
    {
        static abstract bool IsFour { get; }
    }

    private readonly struct Four : IColumns
    {
        public static bool IsFour => true;
    }

    private readonly struct OneColumn : IColumns
    {
        public static bool IsFour => false;
    }

    private readonly struct HalfOnly : IWidth
    {
        public static int Vectors => 0;

        public static bool Half => true;
    }

    private readonly struct One : IWidth
    {
        public static int Vectors => 1;

        public static bool Half => false;
    }

    private readonly struct OneAndHalf : IWidth
    {
        public static int Vectors => 1;

        public static bool Half => true;
    }

    private readonly struct Two : IWidth
    {
        public static int Vectors => 2;

        public static bool Half => false;
    }

    private readonly struct TwoAndHalf : IWidth
    {
        public static int Vectors => 2;

        public static bool Half => true;
    }

    private readonly struct Three : IWidth
    {
        public static int Vectors => 3;

        public static bool Half => false;
    }
}
