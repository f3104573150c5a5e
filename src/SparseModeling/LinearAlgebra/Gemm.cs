// SPDX-License-Identifier: BSD-3-Clause
using System.Buffers;
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// General matrix–matrix multiply C ← α·op(A)·op(B) + β·C on column-major storage, blocked and
/// packed in the manner of Goto and van de Geijn, "Anatomy of high-performance matrix
/// multiplication" (ACM TOMS 34(3), 2008) and the BLIS framework (Van Zee and van de Geijn, ACM TOMS
/// 41(3), 2015): op(B) is packed into KC×NC panels of NR-column slivers, op(A) into MC×KC blocks of
/// MR-row slivers (edges zero-padded), and a register-blocked micro-kernel multiplies one sliver
/// pair at a time.
/// </summary>
/// <remarks>
/// Results do not depend on the number of threads: work is split only along tile boundaries and
/// every element of C receives its KC-block contributions in the same order, through the same
/// micro-kernel arithmetic, however the problem is partitioned.
/// </remarks>
internal static unsafe partial class Gemm
{
    /// <summary>Products with m·n·k above this are split over the cores.</summary>
    private const long ParallelThreshold = 64L * 64 * 64;

    /// <summary>
    /// C ← α·op(A)·op(B) + β·C where op(A) is m×k, op(B) is k×n and C is m×n, all column-major with
    /// leading dimensions <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/>.
    /// When <paramref name="beta"/> is 0 the old contents of C (even NaN) are ignored.
    /// </summary>
    public static void Multiply(
        bool transposeA,
        bool transposeB,
        int m,
        int n,
        int k,
        double alpha,
        ReadOnlySpan<double> a,
        int lda,
        ReadOnlySpan<double> b,
        int ldb,
        double beta,
        Span<double> c,
        int ldc)
    {
        Run(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, lowerOnly: false);
    }

    /// <summary>
    /// C ← A·B for MathNet matrices, through the packed kernel (dense storage is used in place; other
    /// storages are copied first).
    /// </summary>
    public static Matrix<double> Multiply(Matrix<double> a, Matrix<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.ColumnCount != b.RowCount)
        {
            throw new ArgumentException($"{nameof(a)} has {a.ColumnCount} columns but {nameof(b)} has {b.RowCount} rows; they must agree.", nameof(b));
        }

        int m = a.RowCount;
        int n = b.ColumnCount;
        int k = a.ColumnCount;
        double[] result = new double[m * n];
        Multiply(false, false, m, n, k, 1.0, MatrixStorage.ColumnMajor(a), m, MatrixStorage.ColumnMajor(b), k, 0.0, result, m);
        return MatrixStorage.FromColumnMajor(m, n, result);
    }

    /// <summary>
    /// The shared driver. With <paramref name="lowerOnly"/> (m = n) only the entries on or below the
    /// diagonal of C are computed and written; tiles wholly above it are skipped (the SYRK case).
    /// </summary>
    internal static void Run(
        bool transposeA,
        bool transposeB,
        int m,
        int n,
        int k,
        double alpha,
        ReadOnlySpan<double> a,
        int lda,
        ReadOnlySpan<double> b,
        int ldb,
        double beta,
        Span<double> c,
        int ldc,
        bool lowerOnly)
    {
        Run(MicroKernel.Current, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, lowerOnly);
    }

    /// <summary>
    /// The shared driver with an explicit micro-kernel (one of <see cref="MicroKernel.Supported"/>), so
    /// that tests can exercise every kernel the hardware runs, not only the one chosen for it.
    /// </summary>
    internal static void Run(
        MicroKernel kernel,
        bool transposeA,
        bool transposeB,
        int m,
        int n,
        int k,
        double alpha,
        ReadOnlySpan<double> a,
        int lda,
        ReadOnlySpan<double> b,
        int ldb,
        double beta,
        Span<double> c,
        int ldc,
        bool lowerOnly)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckOperand(transposeA ? k : m, transposeA ? m : k, a.Length, lda, nameof(a));
        CheckOperand(transposeB ? n : k, transposeB ? k : n, b.Length, ldb, nameof(b));
        CheckOperand(m, n, c.Length, ldc, nameof(c));
        if (m == 0 || n == 0)
        {
            return;
        }

        ScaleC(m, n, beta, c, ldc, lowerOnly);
        if (k == 0 || alpha == 0.0)
        {
            return;
        }

        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
        {
            var job = new Job(kernel, transposeA, transposeB, alpha, (nint)pa, lda, (nint)pb, ldb, (nint)pc, ldc, k, lowerOnly);
            long work = (long)m * n * k;
            int threads = Parallelism.Degree;
            if (threads <= 1 || work <= ParallelThreshold)
            {
                job.RunPart(0, m, 0, n);
                return;
            }

            RunParallel(job, m, n, threads);
        }
    }

    private static void RunParallel(Job job, int m, int n, int threads)
    {
        var blocks = job.Kernel;
        // Split the larger of the two output dimensions on tile boundaries, so that every tile (and
        // hence every element's arithmetic) is the same as in a serial run.
        bool splitColumns = n >= m || job.LowerOnly;
        int extent = splitColumns ? n : m;
        int unit = splitColumns ? blocks.Nr : blocks.Mr;
        int units = (extent + unit - 1) / unit;
        int parts = Math.Min(threads, units);
        if (parts <= 1)
        {
            job.RunPart(0, m, 0, n);
            return;
        }

        Span<int> bounds = stackalloc int[parts + 1];
        for (int t = 0; t <= parts; t++)
        {
            double fraction = (double)t / parts;
            if (job.LowerOnly)
            {
                // Column j of the lower triangle holds n − j entries: balance the areas.
                fraction = 1.0 - Math.Sqrt(1.0 - fraction);
            }

            bounds[t] = Math.Min(extent, (int)Math.Round(fraction * units) * unit);
        }

        bounds[parts] = extent;
        int[] cuts = bounds.ToArray();
        Parallelism.For(parts, t =>
        {
            int lo = cuts[t];
            int hi = cuts[t + 1];
            if (hi <= lo)
            {
                return;
            }

            if (splitColumns)
            {
                job.RunPart(0, m, lo, hi);
            }
            else
            {
                job.RunPart(lo, hi, 0, n);
            }
        });
    }

    private static void CheckOperand(int rows, int cols, int length, int ld, string name)
    {
        if (ld < Math.Max(1, rows))
        {
            throw new ArgumentOutOfRangeException(name, $"The leading dimension of {name} is {ld} but must be at least {Math.Max(1, rows)}.");
        }

        if (rows > 0 && cols > 0 && length < ((long)(cols - 1) * ld) + rows)
        {
            throw new ArgumentException($"{name} has {length} entries but a {rows}×{cols} operand with leading dimension {ld} needs {((long)(cols - 1) * ld) + rows}.", name);
        }
    }

    private static void ScaleC(int m, int n, double beta, Span<double> c, int ldc, bool lowerOnly)
    {
        if (beta == 1.0)
        {
            return;
        }

        for (int j = 0; j < n; j++)
        {
            int start = lowerOnly ? j : 0;
            var column = c.Slice((j * ldc) + start, m - start);
            if (beta == 0.0)
            {
                // The first write to a fresh (uninitialised) product: its page faults are spread over these checks.
                Parallelism.ThrowIfCancellationRequested();
                column.Clear();
            }
            else
            {
                Kernels.Scal(beta, column);
            }
        }
    }

    /// <summary>The operands of one multiply, as raw addresses so that worker lambdas can share them.</summary>
    private readonly struct Job(
        MicroKernel kernel,
        bool transposeA,
        bool transposeB,
        double alpha,
        nint a,
        int lda,
        nint b,
        int ldb,
        nint c,
        int ldc,
        int k,
        bool lowerOnly)
    {
        public bool LowerOnly => lowerOnly;

        public MicroKernel Kernel => kernel;

        /// <summary>Computes rows [i0, i1) × columns [j0, j1) of C with the serial blocked algorithm.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunPart(int i0, int i1, int j0, int j1)
        {
            var blocks = kernel;
            int mr = blocks.Mr;
            int nr = blocks.Nr;
            int m = i1 - i0;
            int n = j1 - j0;
            int kcMax = Math.Min(blocks.Kc, k);
            int mcMax = Math.Min(blocks.Mc, RoundUp(m, mr));
            int ncMax = Math.Min(blocks.Nc, RoundUp(n, nr));
            // Eight spare entries let the packed buffers start on a 64-byte boundary.
            double[] aBuffer = ArrayPool<double>.Shared.Rent((mcMax * kcMax) + 8);
            double[] bBuffer = ArrayPool<double>.Shared.Rent((ncMax * kcMax) + 8);
            try
            {
                fixed (double* aRaw = aBuffer)
                fixed (double* bRaw = bBuffer)
                {
                    double* aPack = Align64(aRaw);
                    double* bPack = Align64(bRaw);
                    double* pa = (double*)a;
                    double* pb = (double*)b;
                    double* pc = (double*)c;
                    for (int jc = j0; jc < j1; jc += blocks.Nc)
                    {
                        int nc = Math.Min(blocks.Nc, j1 - jc);
                        for (int pcol = 0; pcol < k; pcol += blocks.Kc)
                        {
                            int kc = Math.Min(blocks.Kc, k - pcol);
                            Packing.PackB(transposeB, pb, ldb, pcol, jc, kc, nc, nr, bPack);
                            for (int ic = i0; ic < i1; ic += blocks.Mc)
                            {
                                int mc = Math.Min(blocks.Mc, i1 - ic);
                                if (lowerOnly && ic + mc - 1 < jc)
                                {
                                    // The whole block lies above the diagonal.
                                    continue;
                                }

                                // One MC×KC×NC block is a few milliseconds of work: the fit's cancellation is observed here.
                                Parallelism.ThrowIfCancellationRequested();
                                Packing.PackA(transposeA, pa, lda, ic, pcol, mc, kc, mr, aPack);
                                MacroKernel(blocks, kc, mc, nc, ic, jc, aPack, bPack, pc, ldc);
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(aBuffer);
                ArrayPool<double>.Shared.Return(bBuffer);
            }
        }

        /// <summary>Multiplies a packed MC×KC block of op(A) by a packed KC×NC panel of op(B) into C.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void MacroKernel(MicroKernel blocks, int kc, int mc, int nc, int ic, int jc, double* aPack, double* bPack, double* pc, int ldcValue)
        {
            int mr = blocks.Mr;
            int nr = blocks.Nr;
            double* tile = stackalloc double[MicroKernel.MaxTile];
            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = Math.Min(nr, nc - jr);
                int col = jc + jr;
                double* bSliver = bPack + ((long)jr * kc);
                for (int ir = 0; ir < mc; ir += mr)
                {
                    int rows = Math.Min(mr, mc - ir);
                    int row = ic + ir;
                    if (lowerOnly && row + rows - 1 < col)
                    {
                        continue;
                    }

                    double* aSliver = aPack + ((long)ir * kc);
                    double* cTile = pc + row + ((long)col * ldcValue);
                    bool whole = rows == mr && cols == nr && (!lowerOnly || row >= col + cols - 1);
                    if (whole)
                    {
                        blocks.Run(kc, aSliver, bSliver, cTile, ldcValue, alpha);
                        continue;
                    }

                    // Edge or diagonal tile: copy the part of C it covers into a zero-padded full tile,
                    // let the kernel update that, and copy back only the entries that belong to C, so
                    // every entry sees exactly the arithmetic of a whole tile.
                    new Span<double>(tile, mr * nr).Clear();
                    for (int j = 0; j < cols; j++)
                    {
                        new ReadOnlySpan<double>(cTile + ((long)j * ldcValue), rows).CopyTo(new Span<double>(tile + (j * mr), rows));
                    }

                    blocks.Run(kc, aSliver, bSliver, tile, mr, alpha);
                    for (int j = 0; j < cols; j++)
                    {
                        int first = lowerOnly ? Math.Max(0, col + j - row) : 0;
                        if (first < rows)
                        {
                            new ReadOnlySpan<double>(tile + (j * mr) + first, rows - first).CopyTo(new Span<double>(cTile + ((long)j * ldcValue) + first, rows - first));
                        }
                    }
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static double* Align64(double* p) => (double*)(((nint)p + 63) & ~(nint)63);

    /// <summary>Copies of op(A) and op(B) blocks into the sliver layouts the micro-kernels read.</summary>
    private static class Packing
    {
        /// <summary>
        /// Packs rows [i0, i0+mc) × columns [p0, p0+kc) of op(A) as ⌈mc/mr⌉ slivers, each kc columns
        /// of mr consecutive rows (zero-padded past mc).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void PackA(bool transpose, double* a, int lda, int i0, int p0, int mc, int kc, int mr, double* dst)
        {
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                if (!transpose)
                {
                    double* src = a + i0 + ir + ((long)p0 * lda);
                    for (int p = 0; p < kc; p++)
                    {
                        new ReadOnlySpan<double>(src, rows).CopyTo(new Span<double>(dst, rows));
                        if (rows < mr)
                        {
                            new Span<double>(dst + rows, mr - rows).Clear();
                        }

                        src += lda;
                        dst += mr;
                    }
                }
                else
                {
                    for (int i = 0; i < rows; i++)
                    {
                        double* src = a + p0 + ((long)(i0 + ir + i) * lda);
                        double* d = dst + i;
                        for (int p = 0; p < kc; p++)
                        {
                            d[(long)p * mr] = src[p];
                        }
                    }

                    if (rows < mr)
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            new Span<double>(dst + ((long)p * mr) + rows, mr - rows).Clear();
                        }
                    }

                    dst += (long)kc * mr;
                }
            }
        }

        /// <summary>
        /// Packs rows [p0, p0+kc) × columns [j0, j0+nc) of op(B) as ⌈nc/nr⌉ slivers, each kc rows of
        /// nr consecutive columns (zero-padded past nc).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void PackB(bool transpose, double* b, int ldb, int p0, int j0, int kc, int nc, int nr, double* dst)
        {
            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = Math.Min(nr, nc - jr);
                if (transpose)
                {
                    double* src = b + j0 + jr + ((long)p0 * ldb);
                    for (int p = 0; p < kc; p++)
                    {
                        new ReadOnlySpan<double>(src, cols).CopyTo(new Span<double>(dst, cols));
                        if (cols < nr)
                        {
                            new Span<double>(dst + cols, nr - cols).Clear();
                        }

                        src += ldb;
                        dst += nr;
                    }
                }
                else
                {
                    for (int j = 0; j < cols; j++)
                    {
                        double* src = b + p0 + ((long)(j0 + jr + j) * ldb);
                        double* d = dst + j;
                        for (int p = 0; p < kc; p++)
                        {
                            d[(long)p * nr] = src[p];
                        }
                    }

                    if (cols < nr)
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            new Span<double>(dst + ((long)p * nr) + cols, nr - cols).Clear();
                        }
                    }

                    dst += (long)kc * nr;
                }
            }
        }
    }
}
