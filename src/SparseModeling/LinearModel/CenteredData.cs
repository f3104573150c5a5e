// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// Column-major training data ready for a linear solver, and the one place where the linear models
/// centre X and y and compute intercepts (as scikit-learn's <c>_preprocess_data</c>): with an
/// intercept, X and y are centred (explicitly in a copy, or X implicitly by its column means) and
/// the intercept of coefficients w fitted on the centred data is b = ȳ − x̄ᵀw; without one, the
/// caller's storage is used as it is (never written to) and b = 0.
/// </summary>
/// <remarks>
/// Implicit centring keeps X as the caller's storage and subtracts the column means x̄ on the fly:
/// (X − 1x̄ᵀ)w = Xw − (x̄ᵀw)·1 (<see cref="Shift"/>) and (X − 1x̄ᵀ)ᵀv = Xᵀv − x̄·Σv
/// (<see cref="SubtractMeanCorrelation"/>); it saves a copy of X for wide data.
/// </remarks>
internal sealed class CenteredData
{
    /// <summary>Matrices with at least this many entries are swept by all cores.</summary>
    private const long ParallelThreshold = 1L << 18;

    private CenteredData(double[] x, int rows, int columns, double[] y, double[]? xMean, double yMean)
    {
        X = x;
        Rows = rows;
        Columns = columns;
        Y = y;
        XMean = xMean;
        YMean = yMean;
    }

    /// <summary>X (n×p column-major), centred when an intercept is fitted, unless <see cref="IsImplicitlyCentred"/>.</summary>
    public double[] X { get; }

    /// <summary>n, the number of samples.</summary>
    public int Rows { get; }

    /// <summary>p, the number of features.</summary>
    public int Columns { get; }

    /// <summary>y, centred when an intercept is fitted.</summary>
    public double[] Y { get; }

    /// <summary>The column means of X, or null when no intercept is fitted.</summary>
    public double[]? XMean { get; }

    /// <summary>True when <see cref="X"/> is the caller's uncentred storage and <see cref="XMean"/> is to be subtracted on the fly.</summary>
    public bool IsImplicitlyCentred { get; private init; }

    /// <summary>The squared norms of the (centred) columns when prepared by <see cref="Prepare"/> with implicit centring or by <see cref="PrepareSparse"/>, else null (the solver computes them).</summary>
    public double[]? ColumnNormsSquared { get; private init; }

    /// <summary>The mean of y (0 when no intercept is fitted).</summary>
    public double YMean { get; }

    /// <summary>X in CSC form when prepared from a compressed-row sparse matrix (<see cref="X"/> is then empty), else null.</summary>
    public CompressedColumns? SparseX { get; private init; }

    /// <summary>Σᵢxᵢⱼ per column when <see cref="SparseX"/> is set, else null.</summary>
    public double[]? ColumnSums { get; private init; }

    /// <summary>
    /// Prepares a compressed-row sparse <paramref name="x"/> (validated by the caller) and <paramref name="y"/> without ever
    /// forming X densely: <see cref="SparseX"/> is a CSC copy of X (12 bytes per stored entry; of the rows outside
    /// [<paramref name="skipStart"/>, <paramref name="skipStop"/>) when that range is not empty: a fold's training rows),
    /// centred implicitly by its column means when <paramref name="fitIntercept"/> (never in storage: centring
    /// would fill it), with the column sums and (centred) squared norms computed from the stored entries.
    /// <see cref="Y"/> is a copy, centred when an intercept is fitted. Neither input is modified.
    /// </summary>
    public static CenteredData PrepareSparse(MathNet.Numerics.LinearAlgebra.Storage.SparseCompressedRowMatrixStorage<double> x, ReadOnlySpan<double> y, bool fitIntercept, int skipStart = 0, int skipStop = 0)
    {
        var columns = CompressedColumns.FromRows(x, skipStart, skipStop);
        int p = columns.Columns;
        var sums = new double[p];
        var means = fitIntercept ? new double[p] : null;
        var norms = new double[p];
        columns.Statistics(sums, means, norms);
        var yc = y.ToArray();
        double yMean = fitIntercept ? CentreInPlace(yc) : 0.0;
        return new CenteredData([], columns.Rows, p, yc, means, yMean)
        {
            SparseX = columns,
            ColumnSums = sums,
            ColumnNormsSquared = norms,
            IsImplicitlyCentred = fitIntercept,
        };
    }

    /// <summary>
    /// Prepares <paramref name="x"/> and <paramref name="y"/>; neither is modified. With
    /// <paramref name="copyCentred"/> false, X keeps the caller's storage and only its column means
    /// and centred squared column norms are computed (<see cref="IsImplicitlyCentred"/>): solvers
    /// subtract the means on the fly, which saves a copy of X for wide data. Without intercept
    /// <see cref="Y"/> may be the caller's storage.
    /// </summary>
    public static CenteredData Prepare(Matrix<double> x, Vector<double> y, bool fitIntercept, bool copyCentred = true)
    {
        int n = x.RowCount, p = x.ColumnCount;
        if (!fitIntercept)
        {
            return new CenteredData(MatrixStorage.ColumnMajor(x), n, p, y.AsArray() ?? y.ToArray(), null, 0.0);
        }

        if (!copyCentred)
        {
            var storage = MatrixStorage.ColumnMajor(x);
            var columnMeans = new double[p];
            var norms = new double[p];
            ColumnStatistics.Compute(storage, n, p, columnMeans, norms);
            var centredY = y.ToArray();
            double meanY = CentreInPlace(centredY);
            return new CenteredData(storage, n, p, centredY, columnMeans, meanY) { IsImplicitlyCentred = true, ColumnNormsSquared = norms };
        }

        // The centred copy as CentredCopy writes it, with each column's mean taken just before, while the
        // column is in cache: one sweep over X.
        var source = MatrixStorage.ColumnMajor(x);
        // Uninitialised: every entry is written below, column by column between cancellation checks, so the first touch
        // of a large copy's memory (page faults: half a second for 120 MB on some virtual machines) is spread over them
        // instead of falling in one zeroing pass of the allocation.
        var xc = GC.AllocateUninitializedArray<double>(source.Length);
        var means = new double[p];
        for (int j = 0; j < p; j++)
        {
            // The fit's cancellation, once per column (a large X takes tens of milliseconds to copy).
            Parallelism.ThrowIfCancellationRequested();
            var column = source.AsSpan(j * n, n);
            means[j] = Kernels.Sum(column) / n;
            Kernels.AddScalar(column, -means[j], xc.AsSpan(j * n, n));
        }

        var yc = y.ToArray();
        double yMean = CentreInPlace(yc);
        return new CenteredData(xc, n, p, yc, means, yMean);
    }

    /// <summary>
    /// Prepares <paramref name="x"/> and <paramref name="y"/> with implicit centring when an intercept is
    /// fitted, and writes the correlations X̃ᵀỹ of the prepared data into <paramref name="correlations"/>
    /// (length p), the column means and correlations coming from one sweep over X (each column read
    /// twice while it sits in cache). X keeps the caller's storage; <see cref="Y"/> is always a copy.
    /// Neither input is modified.
    /// </summary>
    public static CenteredData PrepareImplicit(Matrix<double> x, Vector<double> y, bool fitIntercept, double[] correlations)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var storage = MatrixStorage.ColumnMajor(x);
        var yc = y.ToArray();
        if (!fitIntercept)
        {
            Gemv.MultiplyTransposed(n, p, 1.0, storage, n, yc, 0.0, correlations);
            return new CenteredData(storage, n, p, yc, null, 0.0);
        }

        double yMean = CentreInPlace(yc);
        var means = new double[p];
        MeansAndCorrelations(storage, n, p, yc, means, correlations);

        // Σỹ is zero up to rounding since ỹ is centred; the correction keeps X̃ᵀỹ exact all the same.
        SubtractMeanCorrelation(means, yc, correlations);
        return new CenteredData(storage, n, p, yc, means, yMean) { IsImplicitlyCentred = true };
    }

    /// <summary>
    /// Prepares a square <paramref name="x"/> whose only non-zero entries lie on its diagonal
    /// (<paramref name="diagonal"/>, as the caller found them: a signal, X = I): nothing of size n×p is read or
    /// copied. X keeps the caller's storage, centred implicitly when an intercept is fitted, with the column means
    /// x̄ⱼ = dⱼ/n. <see cref="Y"/> is always a copy. Neither input is modified.
    /// </summary>
    public static CenteredData PrepareDiagonal(Matrix<double> x, ReadOnlySpan<double> diagonal, Vector<double> y, bool fitIntercept)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var storage = MatrixStorage.ColumnMajor(x);
        var yc = y.ToArray();
        if (!fitIntercept)
        {
            return new CenteredData(storage, n, p, yc, null, 0.0);
        }

        double yMean = CentreInPlace(yc);
        var means = diagonal.ToArray();
        Kernels.Scal(1.0 / n, means);
        return new CenteredData(storage, n, p, yc, means, yMean) { IsImplicitlyCentred = true };
    }

    /// <summary>
    /// Takes ownership of <paramref name="x"/> (n×p column-major) and <paramref name="y"/>, freshly
    /// allocated by the caller, and centres them in place when <paramref name="fitIntercept"/> (a
    /// cross-validation fold's training rows, for instance).
    /// </summary>
    public static CenteredData Adopt(double[] x, int rows, int columns, double[] y, bool fitIntercept)
    {
        if (!fitIntercept)
        {
            return new CenteredData(x, rows, columns, y, null, 0.0);
        }

        var means = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            Parallelism.ThrowIfCancellationRequested();
            means[j] = CentreInPlace(x.AsSpan(j * rows, rows));
        }

        double yMean = CentreInPlace(y);
        return new CenteredData(x, rows, columns, y, means, yMean);
    }

    /// <summary>
    /// A copy of <paramref name="x"/> (n×p column-major) with <paramref name="means"/> subtracted from
    /// its columns: the explicit form of an implicitly centred matrix, where forming XᵀX − n·x̄x̄ᵀ
    /// would cancel digits.
    /// </summary>
    public static double[] CentredCopy(double[] x, int rows, int columns, ReadOnlySpan<double> means)
    {
        // One pass per column (x − mean written to the copy), not a clone followed by a second sweep.
        var copy = GC.AllocateUninitializedArray<double>(x.Length);
        for (int j = 0; j < columns; j++)
        {
            Parallelism.ThrowIfCancellationRequested();
            Kernels.AddScalar(x.AsSpan(j * rows, rows), -means[j], copy.AsSpan(j * rows, rows));
        }

        return copy;
    }

    /// <summary>
    /// (X − 1x̄ᵀ)ᵀv into <paramref name="xtv"/> for X (rows×columns column-major, leading dimension rows) centred
    /// implicitly by <paramref name="means"/>, or Xᵀv when <paramref name="means"/> is empty.
    /// </summary>
    public static void CorrelateCentred(ReadOnlySpan<double> x, int rows, int columns, ReadOnlySpan<double> means, ReadOnlySpan<double> v, Span<double> xtv)
    {
        Gemv.MultiplyTransposed(rows, columns, 1.0, x, rows, v, 0.0, xtv);
        if (!means.IsEmpty)
        {
            SubtractMeanCorrelation(means, v, xtv);
        }
    }

    /// <summary>
    /// The implicit-centring correction of a product with Xᵀ: turns <paramref name="xtv"/> = Xᵀv into
    /// (X − 1x̄ᵀ)ᵀv = Xᵀv − x̄·Σv. Σv is often zero up to rounding (a centred vector); it is kept for exactness.
    /// </summary>
    public static void SubtractMeanCorrelation(ReadOnlySpan<double> means, ReadOnlySpan<double> v, Span<double> xtv)
    {
        double sum = Kernels.Sum(v);
        if (sum != 0.0)
        {
            Kernels.Axpy(-sum, means, xtv);
        }
    }

    /// <summary>
    /// Centres one more target column of a multi-target fit on this X, in place, when an intercept is
    /// fitted, and returns its mean (to pass to <see cref="Intercept(double, ReadOnlySpan{double})"/>);
    /// leaves it alone and returns 0 otherwise.
    /// </summary>
    public double CentreTarget(Span<double> y) => XMean is null ? 0.0 : CentreInPlace(y);

    /// <summary>The intercept b = ȳ − x̄ᵀw for coefficients fitted on the centred data (0 without intercept).</summary>
    public double Intercept(ReadOnlySpan<double> w) => Intercept(YMean, w);

    /// <summary>The intercept b = <paramref name="yMean"/> − x̄ᵀw of a target centred by <see cref="CentreTarget"/> (0 without intercept).</summary>
    public double Intercept(double yMean, ReadOnlySpan<double> w) => XMean is null ? 0.0 : yMean - Kernels.Dot(XMean, w);

    /// <summary>
    /// x̄ᵀw when <see cref="IsImplicitlyCentred"/>, else 0: the centred product is
    /// (X − 1x̄ᵀ)w = Xw − (x̄ᵀw)·1 with Xw computed on <see cref="X"/>.
    /// </summary>
    public double Shift(ReadOnlySpan<double> w) => IsImplicitlyCentred ? Kernels.Dot(XMean!, w) : 0.0;

    /// <summary>
    /// Prepares <paramref name="x"/> whose NaN entries mark missing values (HMLasso): <see cref="X"/> is a copy in which
    /// each observed entry is centred by the mean of its column's observed entries when <paramref name="fitIntercept"/>
    /// (as is, otherwise) and each missing entry is 0 — the mean imputation of the centred data — and
    /// <paramref name="observed"/> receives the observation indicator (1 observed, 0 missing; n×p column-major).
    /// <see cref="XMean"/> holds those column means, so the intercept is b = ȳ − x̄ᵀw as for complete data. Neither
    /// input is modified.
    /// </summary>
    /// <exception cref="ArgumentException">A column of <paramref name="x"/> is entirely missing; the message names it.</exception>
    public static CenteredData PrepareMissing(Matrix<double> x, Vector<double> y, bool fitIntercept, out double[] observed)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var source = MatrixStorage.ColumnMajor(x);
        var filled = GC.AllocateUninitializedArray<double>(source.Length); // every entry written below
        observed = GC.AllocateUninitializedArray<double>(source.Length);
        var means = fitIntercept ? new double[p] : null;
        for (int j = 0; j < p; j++)
        {
            Parallelism.ThrowIfCancellationRequested();
            var column = source.AsSpan(j * n, n);
            var mask = observed.AsSpan(j * n, n);
            var destination = filled.AsSpan(j * n, n);
            Kernels.ObservedIndicator(column, mask);
            double count = Kernels.Sum(mask);
            if (count == 0.0)
            {
                throw new ArgumentException($"x has column {j} entirely missing (NaN in all {n} rows): every feature needs at least one observed value.", nameof(x));
            }

            Kernels.ShiftObserved(column, 0.0, destination);
            if (means is not null)
            {
                means[j] = Kernels.Sum(destination) / count;
                Kernels.ShiftObserved(column, -means[j], destination);
            }
        }

        var yc = y.ToArray();
        double yMean = fitIntercept ? CentreInPlace(yc) : 0.0;
        return new CenteredData(filled, n, p, yc, means, yMean);
    }

    /// <summary>Subtracts the mean of <paramref name="v"/> from it and returns the mean.</summary>
    private static double CentreInPlace(Span<double> v)
    {
        double mean = Kernels.Sum(v) / v.Length;
        Kernels.AddScalar(-mean, v);
        return mean;
    }

    /// <summary>The column means of X and Xᵀy in one sweep over memory, split across the cores for large matrices.</summary>
    private static void MeansAndCorrelations(double[] x, int n, int p, double[] y, double[] means, double[] xy)
    {
        if ((long)n * p >= ParallelThreshold && p >= 2 && Parallelism.Degree > 1)
        {
            int blocks = Math.Min(Parallelism.Degree, p);
            Parallelism.For(blocks, block => Range(x, n, (int)((long)p * block / blocks), (int)((long)p * (block + 1) / blocks), y, means, xy));
            return;
        }

        Range(x, n, 0, p, y, means, xy);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static void Range(double[] x, int n, int j0, int j1, double[] y, double[] means, double[] xy)
        {
            for (int j = j0; j < j1; j++)
            {
                var column = x.AsSpan(j * n, n);
                means[j] = Kernels.Sum(column) / n;
                xy[j] = Kernels.Dot(column, y);
            }
        }
    }
}
