// SPDX-License-Identifier: BSD-3-Clause
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Products of a thin factor (K rows, K up to a few dozen) with a big data matrix X (n×m,
/// column-major), as the NMF solvers need them every iteration: C = Wᵀ·X (K×m) and C = H·Xᵀ (K×n).
/// Both are C[:, c] = Σ_s F[:, s]·Y[s, c] for a factor F (K×S, K-major) and Y a strided view of X;
/// four columns of C are kept in registers (a group of up to 24 components as up to three 512-bit vectors and one 256-bit
/// vector each) while the sum runs over a block of steps s. Every group, and with 256-bit or 128-bit vectors every slice of a
/// group (up to 12 or 4 components), runs over the same block of X while it is in L1, so X is read from memory once
/// whatever K is, and never packed or copied.
/// </summary>
/// <remarks>
/// The kernel is one generic body over <see cref="Kernels.IHalvableVectorWidth{TVector}"/> (the width picked once per call,
/// the slice shape and the number of columns as type arguments), compiled once per width and shape.
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

    /// <summary>The components one <c>Quad</c> call keeps in registers per column.</summary>
    private interface IShape
    {
        /// <summary>Full vectors of components, of the kernel's width.</summary>
        static abstract int Vectors { get; }

        /// <summary>Whether half a vector (4 more components, at 512 bits) follows.</summary>
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
                if ((long)k * s * columns >= ParallelThreshold && quads >= 2 && Parallelism.Degree > 1)
                {
                    int blocks = Math.Min(Parallelism.Degree, quads);
                    nint address = (nint)(&job);
                    Parallelism.For(blocks, block =>
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
                Columns<Kernels.Width512, Vector512<double>>(c0, c1);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                Columns<Kernels.Width256, Vector256<double>>(c0, c1);
            }
            else if (Vector128.IsHardwareAccelerated)
            {
                Columns<Kernels.Width128, Vector128<double>>(c0, c1);
            }
            else
            {
                Scalar(c0, c1 - c0, 0, k);
            }
        }

        /// <summary>
        /// Columns c0..c1 in vectors of <typeparamref name="TWidth"/>, four at a time, then one at a time for the last 1 to 3.
        /// The components are cut into groups of up to 24, and a group into balanced slices of at most three vectors per column
        /// (twelve accumulators for four columns: with 256-bit vectors these and their operands fill the sixteen registers) or
        /// two with 128-bit vectors (eight accumulators); with 512-bit vectors a group is one slice, up to three vectors and half
        /// of one. Every group and slice runs over the same block of four columns and steps while that block of X is in L1, so X
        /// is read from memory once whatever K is; the steps per block shrink as K grows so that the block of the factor stays in L1.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Columns<TWidth, TVector>(int c0, int c1)
            where TWidth : struct, Kernels.IHalvableVectorWidth<TVector>
            where TVector : struct
        {
            int blockSteps = strideS == 1
                ? Math.Max(StridedBlockSteps, BlockSteps * GroupComponents / Math.Max(kp, GroupComponents))
                : Math.Clamp(StridedSpan / strideS, StridedBlockSteps, BlockSteps);
            for (int s0 = 0; s0 < s; s0 += blockSteps)
            {
                int s1 = Math.Min(s, s0 + blockSteps);
                int col = c0;
                for (; col + 4 <= c1; col += 4)
                {
                    for (int g = 0; g < kp; g += GroupComponents)
                    {
                        Group<TWidth, TVector, Four>(col, g, s0, s1);
                    }
                }

                for (; col < c1; col++)
                {
                    for (int g = 0; g < kp; g += GroupComponents)
                    {
                        Group<TWidth, TVector, OneColumn>(col, g, s0, s1);
                    }
                }
            }
        }

        /// <summary>Components g..g+23 (or to the end) of the columns from col (<typeparamref name="TColumns"/>), steps s0..s1, slice by slice.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Group<TWidth, TVector, TColumns>(int col, int g, int s0, int s1)
            where TWidth : struct, Kernels.IHalvableVectorWidth<TVector>
            where TVector : struct
            where TColumns : struct, IColumns
        {
            int width = Math.Min(GroupComponents, kp - g);
            int vectors = width / TWidth.Count;
            bool half = width % TWidth.Count != 0;
            int maxVectors = TWidth.Count == Vector128<double>.Count ? 2 : 3;
            if (vectors <= maxVectors)
            {
                // One slice (always so with 512-bit vectors).
                switch (vectors, half)
                {
                    case (3, false):
                        Quad<TWidth, TVector, Three, TColumns>(col, g, s0, s1);
                        break;
                    case (2, true):
                        Quad<TWidth, TVector, TwoAndHalf, TColumns>(col, g, s0, s1);
                        break;
                    case (2, false):
                        Quad<TWidth, TVector, Two, TColumns>(col, g, s0, s1);
                        break;
                    case (1, true):
                        Quad<TWidth, TVector, OneAndHalf, TColumns>(col, g, s0, s1);
                        break;
                    case (1, false):
                        Quad<TWidth, TVector, One, TColumns>(col, g, s0, s1);
                        break;
                    default:
                        Quad<TWidth, TVector, HalfOnly, TColumns>(col, g, s0, s1);
                        break;
                }

                return;
            }

            // The first vectors % slices slices get one vector more. No half vector here: a group ends in half a vector only
            // with 512-bit vectors, three of which take a whole group in one slice.
            int slices = (vectors + maxVectors - 1) / maxVectors;
            Slices<TWidth, TVector, TColumns>(vectors / slices, vectors % slices, slices, col, g, s0, s1);
        }

        /// <summary>Components g.. of the columns from col (<typeparamref name="TColumns"/>) slice by slice, steps s0..s1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Slices<TWidth, TVector, TColumns>(int narrow, int wide, int slices, int col, int g, int s0, int s1)
            where TWidth : struct, Kernels.IHalvableVectorWidth<TVector>
            where TVector : struct
            where TColumns : struct, IColumns
        {
            int t = g;
            for (int slice = 0; slice < slices; slice++)
            {
                int w = slice < wide ? narrow + 1 : narrow;
                switch (w)
                {
                    case 3:
                        Quad<TWidth, TVector, Three, TColumns>(col, t, s0, s1);
                        break;
                    case 2:
                        Quad<TWidth, TVector, Two, TColumns>(col, t, s0, s1);
                        break;
                    default:
                        Quad<TWidth, TVector, One, TColumns>(col, t, s0, s1);
                        break;
                }

                t += w * TWidth.Count;
            }
        }

        /// <summary>
        /// Components g.. of columns col..col+3 (or col alone, by <typeparamref name="TColumns"/>) in the slice shape
        /// <typeparamref name="TShape"/> (up to three vectors of <typeparamref name="TWidth"/> and half of one), steps s0..s1
        /// of the sum added to the partial sums held in the padded product.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Quad<TWidth, TVector, TShape, TColumns>(int col, int g, int s0, int s1)
            where TWidth : struct, Kernels.IHalvableVectorWidth<TVector>
            where TVector : struct
            where TShape : struct, IShape
            where TColumns : struct, IColumns
        {
            bool four = TColumns.IsFour;
            int w = TShape.Vectors;
            bool half = TShape.Half;
            int lanes = TWidth.Count;
            TVector a00 = TWidth.Zero, a01 = TWidth.Zero, a02 = TWidth.Zero;
            TVector a10 = TWidth.Zero, a11 = TWidth.Zero, a12 = TWidth.Zero;
            TVector a20 = TWidth.Zero, a21 = TWidth.Zero, a22 = TWidth.Zero;
            TVector a30 = TWidth.Zero, a31 = TWidth.Zero, a32 = TWidth.Zero;
            TVector b0 = TWidth.Zero, b1 = TWidth.Zero, b2 = TWidth.Zero, b3 = TWidth.Zero;
            double* acc = c + ((nint)col * kp) + g;
            int tail = w * lanes;
            if (s0 > 0)
            {
                Load<TWidth, TVector>(acc, w, ref a00, ref a01, ref a02);
                b0 = half ? TWidth.LoadLower(acc + tail) : TWidth.Zero;
                if (four)
                {
                    Load<TWidth, TVector>(acc + kp, w, ref a10, ref a11, ref a12);
                    Load<TWidth, TVector>(acc + (2 * kp), w, ref a20, ref a21, ref a22);
                    Load<TWidth, TVector>(acc + (3 * kp), w, ref a30, ref a31, ref a32);
                    if (half)
                    {
                        b1 = TWidth.LoadLower(acc + kp + tail);
                        b2 = TWidth.LoadLower(acc + (2 * kp) + tail);
                        b3 = TWidth.LoadLower(acc + (3 * kp) + tail);
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
                var f0 = w >= 1 ? TWidth.Load(fp) : TWidth.Zero;
                var f1 = w >= 2 ? TWidth.Load(fp + lanes) : TWidth.Zero;
                var f2 = w >= 3 ? TWidth.Load(fp + (2 * lanes)) : TWidth.Zero;
                var f3 = half ? TWidth.LoadLower(fp + tail) : TWidth.Zero;
                fp += kp;
                Step<TWidth, TVector>(TWidth.Broadcast(*y0), w, half, f0, f1, f2, f3, ref a00, ref a01, ref a02, ref b0);
                if (four)
                {
                    Step<TWidth, TVector>(TWidth.Broadcast(*y1), w, half, f0, f1, f2, f3, ref a10, ref a11, ref a12, ref b1);
                    Step<TWidth, TVector>(TWidth.Broadcast(*y2), w, half, f0, f1, f2, f3, ref a20, ref a21, ref a22, ref b2);
                    Step<TWidth, TVector>(TWidth.Broadcast(*y3), w, half, f0, f1, f2, f3, ref a30, ref a31, ref a32, ref b3);
                }

                y0 += step;
                y1 += step;
                y2 += step;
                y3 += step;
            }

            Store<TWidth, TVector>(acc, w, a00, a01, a02);
            if (half)
            {
                TWidth.StoreLower(b0, acc + tail);
            }

            if (four)
            {
                Store<TWidth, TVector>(acc + kp, w, a10, a11, a12);
                Store<TWidth, TVector>(acc + (2 * kp), w, a20, a21, a22);
                Store<TWidth, TVector>(acc + (3 * kp), w, a30, a31, a32);
                if (half)
                {
                    TWidth.StoreLower(b1, acc + kp + tail);
                    TWidth.StoreLower(b2, acc + (2 * kp) + tail);
                    TWidth.StoreLower(b3, acc + (3 * kp) + tail);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Step<TWidth, TVector>(
            TVector x,
            int w,
            bool half,
            TVector f0,
            TVector f1,
            TVector f2,
            TVector f3,
            ref TVector a0,
            ref TVector a1,
            ref TVector a2,
            ref TVector b)
            where TWidth : struct, Kernels.IHalvableVectorWidth<TVector>
            where TVector : struct
        {
            if (w >= 1)
            {
                a0 = TWidth.MultiplyAdd(f0, x, a0);
            }

            if (w >= 2)
            {
                a1 = TWidth.MultiplyAdd(f1, x, a1);
            }

            if (w >= 3)
            {
                a2 = TWidth.MultiplyAdd(f2, x, a2);
            }

            if (half)
            {
                b = TWidth.MultiplyAddLower(f3, x, b);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Load<TWidth, TVector>(double* at, int w, ref TVector v0, ref TVector v1, ref TVector v2)
            where TWidth : struct, Kernels.IHalvableVectorWidth<TVector>
            where TVector : struct
        {
            if (w >= 1)
            {
                v0 = TWidth.Load(at);
            }

            if (w >= 2)
            {
                v1 = TWidth.Load(at + TWidth.Count);
            }

            if (w >= 3)
            {
                v2 = TWidth.Load(at + (2 * TWidth.Count));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store<TWidth, TVector>(double* at, int w, TVector v0, TVector v1, TVector v2)
            where TWidth : struct, Kernels.IHalvableVectorWidth<TVector>
            where TVector : struct
        {
            if (w >= 1)
            {
                TWidth.Store(v0, at);
            }

            if (w >= 2)
            {
                TWidth.Store(v1, at + TWidth.Count);
            }

            if (w >= 3)
            {
                TWidth.Store(v2, at + (2 * TWidth.Count));
            }
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

    private readonly struct HalfOnly : IShape
    {
        public static int Vectors => 0;

        public static bool Half => true;
    }

    private readonly struct One : IShape
    {
        public static int Vectors => 1;

        public static bool Half => false;
    }

    private readonly struct OneAndHalf : IShape
    {
        public static int Vectors => 1;

        public static bool Half => true;
    }

    private readonly struct Two : IShape
    {
        public static int Vectors => 2;

        public static bool Half => false;
    }

    private readonly struct TwoAndHalf : IShape
    {
        public static int Vectors => 2;

        public static bool Half => true;
    }

    private readonly struct Three : IShape
    {
        public static int Vectors => 3;

        public static bool Half => false;
    }
}
