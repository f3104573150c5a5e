// SPDX-License-Identifier: BSD-3-Clause
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Products of a thin factor (K rows, K up to a few dozen) with a big data matrix X (n×m,
/// column-major), as the NMF solvers need them every iteration: C = Wᵀ·X (K×m) and C = H·Xᵀ (K×n).
/// Both are C[:, c] = Σ_s F[:, s]·Y[s, c] for a factor F (K×S, K-major) and Y a strided view of X;
/// four columns of C are kept in registers (K components as up to three 512-bit vectors each, so up
/// to 24 components in one pass over X) while the sum runs over s, so X is read once per group of 24
/// components and never packed or copied.
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

    private const int GroupComponents = 3 * Lanes;

    /// <summary>Steps of the sum done per pass over a block of columns when X is read down its columns: a block of the factor (at most 96 × 24 doubles) stays in L1.</summary>
    private const int BlockSteps = 96;

    /// <summary>Steps per pass when X is read across its rows: each step is a separate stream through memory, so few at a time.</summary>
    private const int StridedBlockSteps = 8;

    private interface IWidth
    {
        static abstract int Vectors { get; }
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

        // The factor padded to a multiple of 8 components, zeros in the padding, so every load is a full vector.
        int kp = (k + Lanes - 1) / Lanes * Lanes;
        double[] padded = ArrayPool<double>.Shared.Rent(kp * s);
        double[] product = ArrayPool<double>.Shared.Rent(kp * columns);
        try
        {
            if (kp == k)
            {
                f.Slice(0, k * s).CopyTo(padded);
            }
            else
            {
                for (int j = 0; j < s; j++)
                {
                    f.Slice(j * k, k).CopyTo(padded.AsSpan(j * kp, k));
                    padded.AsSpan((j * kp) + k, kp - k).Clear();
                }
            }

            fixed (double* pf = padded)
            fixed (double* py = y)
            fixed (double* pc = product)
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

            if (accumulate)
            {
                for (int j = 0; j < columns; j++)
                {
                    var target = c.Slice(j * k, k);
                    System.Numerics.Tensors.TensorPrimitives.Add(target, product.AsSpan(j * kp, k), target);
                }
            }
            else if (kp == k)
            {
                product.AsSpan(0, k * columns).CopyTo(c);
            }
            else
            {
                for (int j = 0; j < columns; j++)
                {
                    product.AsSpan(j * kp, k).CopyTo(c.Slice(j * k, k));
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(product);
            ArrayPool<double>.Shared.Return(padded);
        }
    }

    private readonly unsafe struct Job(double* f, int kp, int k, int s, double* y, int strideS, int strideColumn, double* c)
    {
        /// <summary>Columns c0..c1 of C; c0 is a multiple of 4, so every column goes through the same kernel as in a serial run.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Columns(int c0, int c1)
        {
            int quadEnd = c0 + ((c1 - c0) & ~3);
            if (!Vector512.IsHardwareAccelerated)
            {
                quadEnd = c0;
            }

            for (int g = 0; g < kp; g += GroupComponents)
            {
                int vectors = Math.Min(3, (kp - g) / Lanes);
                int blockSteps = strideS == 1 ? BlockSteps : StridedBlockSteps;
                for (int s0 = 0; s0 < s; s0 += blockSteps)
                {
                    int s1 = Math.Min(s, s0 + blockSteps);
                    for (int col = c0; col < quadEnd; col += 4)
                    {
                        if (vectors == 3)
                        {
                            Quad<Three>(col, g, s0, s1);
                        }
                        else if (vectors == 2)
                        {
                            Quad<Two>(col, g, s0, s1);
                        }
                        else
                        {
                            Quad<One>(col, g, s0, s1);
                        }
                    }
                }
            }

            if (quadEnd < c1)
            {
                Scalar(quadEnd, c1 - quadEnd, 0, k);
            }
        }

        /// <summary>Components g..g+8·W of columns col..col+3, steps s0..s1 of the sum added to the partial sums held in the padded product.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Quad<TWidth>(int col, int g, int s0, int s1)
            where TWidth : struct, IWidth
        {
            int w = TWidth.Vectors;
            Vector512<double> a00 = default, a01 = default, a02 = default;
            Vector512<double> a10 = default, a11 = default, a12 = default;
            Vector512<double> a20 = default, a21 = default, a22 = default;
            Vector512<double> a30 = default, a31 = default, a32 = default;
            double* acc = c + ((nint)col * kp) + g;
            if (s0 > 0)
            {
                a00 = Vector512.Load(acc);
                a10 = Vector512.Load(acc + kp);
                a20 = Vector512.Load(acc + (2 * kp));
                a30 = Vector512.Load(acc + (3 * kp));
                if (w >= 2)
                {
                    a01 = Vector512.Load(acc + Lanes);
                    a11 = Vector512.Load(acc + kp + Lanes);
                    a21 = Vector512.Load(acc + (2 * kp) + Lanes);
                    a31 = Vector512.Load(acc + (3 * kp) + Lanes);
                }

                if (w >= 3)
                {
                    a02 = Vector512.Load(acc + (2 * Lanes));
                    a12 = Vector512.Load(acc + kp + (2 * Lanes));
                    a22 = Vector512.Load(acc + (2 * kp) + (2 * Lanes));
                    a32 = Vector512.Load(acc + (3 * kp) + (2 * Lanes));
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
                var f0 = Vector512.Load(fp);
                var f1 = w >= 2 ? Vector512.Load(fp + Lanes) : default;
                var f2 = w >= 3 ? Vector512.Load(fp + (2 * Lanes)) : default;
                fp += kp;
                var x = Vector512.Create(*y0);
                a00 = Vector512.FusedMultiplyAdd(f0, x, a00);
                if (w >= 2)
                {
                    a01 = Vector512.FusedMultiplyAdd(f1, x, a01);
                }

                if (w >= 3)
                {
                    a02 = Vector512.FusedMultiplyAdd(f2, x, a02);
                }

                x = Vector512.Create(*y1);
                a10 = Vector512.FusedMultiplyAdd(f0, x, a10);
                if (w >= 2)
                {
                    a11 = Vector512.FusedMultiplyAdd(f1, x, a11);
                }

                if (w >= 3)
                {
                    a12 = Vector512.FusedMultiplyAdd(f2, x, a12);
                }

                x = Vector512.Create(*y2);
                a20 = Vector512.FusedMultiplyAdd(f0, x, a20);
                if (w >= 2)
                {
                    a21 = Vector512.FusedMultiplyAdd(f1, x, a21);
                }

                if (w >= 3)
                {
                    a22 = Vector512.FusedMultiplyAdd(f2, x, a22);
                }

                x = Vector512.Create(*y3);
                a30 = Vector512.FusedMultiplyAdd(f0, x, a30);
                if (w >= 2)
                {
                    a31 = Vector512.FusedMultiplyAdd(f1, x, a31);
                }

                if (w >= 3)
                {
                    a32 = Vector512.FusedMultiplyAdd(f2, x, a32);
                }

                y0 += step;
                y1 += step;
                y2 += step;
                y3 += step;
            }

            Store(acc, w, a00, a01, a02);
            Store(acc + kp, w, a10, a11, a12);
            Store(acc + (2 * kp), w, a20, a21, a22);
            Store(acc + (3 * kp), w, a30, a31, a32);
        }

        private static void Store(double* at, int w, Vector512<double> v0, Vector512<double> v1, Vector512<double> v2)
        {
            v0.Store(at);
            if (w >= 2)
            {
                v1.Store(at + Lanes);
            }

            if (w >= 3)
            {
                v2.Store(at + (2 * Lanes));
            }
        }

        /// <summary>Components t0..t1 of <paramref name="count"/> columns from col, one scalar sum each (edges, and hardware without 512-bit vectors).</summary>
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
                        sum = Math.FusedMultiplyAdd(f[((nint)j * kp) + t], yq[(nint)j * strideS], sum);
                    }

                    c[((nint)q * kp) + t] = sum;
                }
            }
        }
    }

    private readonly struct One : IWidth
    {
        public static int Vectors => 1;
    }

    private readonly struct Two : IWidth
    {
        public static int Vectors => 2;
    }

    private readonly struct Three : IWidth
    {
        public static int Vectors => 3;
    }
}
