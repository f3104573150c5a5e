// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The data of a LARS fit prepared for <see cref="LarsSolver"/>: centred (for an intercept) as
/// scikit-learn's <c>_preprocess_data</c>, the correlations Xᵀy, and the source of Gram columns —
/// the whole Gram matrix when there are more samples than features and the path is expected to
/// visit a good share of them (scikit-learn precomputes it whenever there are more samples), X
/// itself otherwise. In the second case X is neither copied nor centred: the centring is applied
/// implicitly, and the column means and Xᵀy come from one pass over X.
/// </summary>
internal sealed class LarsProblem
{
    /// <summary>Matrices with at least this many entries are swept by all cores.</summary>
    private const long ParallelThreshold = 1L << 18;

    private LarsProblem(double[] x, double[] y, double[]? xMean, double yMean, bool implicitlyCentred, int rows, int features, double[] xy, LarsGram gram)
    {
        X = x;
        Y = y;
        XMean = xMean;
        YMean = yMean;
        IsImplicitlyCentred = implicitlyCentred;
        Rows = rows;
        Features = features;
        Xy = xy;
        Gram = gram;
        YNormSquared = Kernels.SquaredNorm(y);
    }

    /// <summary>X (n×p column-major): a centred copy, or the caller's storage (never written).</summary>
    public double[] X { get; }

    /// <summary>y, centred when an intercept is fitted (always a copy).</summary>
    public double[] Y { get; }

    /// <summary>The column means of X when an intercept is fitted, else null.</summary>
    public double[]? XMean { get; }

    /// <summary>The mean of y (0 without intercept).</summary>
    public double YMean { get; }

    /// <summary>True when <see cref="X"/> is the caller's uncentred storage and <see cref="XMean"/> is subtracted implicitly.</summary>
    public bool IsImplicitlyCentred { get; }

    /// <summary>n.</summary>
    public int Rows { get; }

    /// <summary>p.</summary>
    public int Features { get; }

    /// <summary>Xᵀy on the prepared data.</summary>
    public double[] Xy { get; }

    /// <summary>‖y‖² on the prepared data.</summary>
    public double YNormSquared { get; }

    /// <summary>Where the solver reads Gram columns.</summary>
    public LarsGram Gram { get; }

    /// <summary>
    /// Whether to precompute the Gram matrix up front: more samples than features (as scikit-learn)
    /// and at least a quarter of the features expected to join. Otherwise the columns the path needs
    /// are computed from X, and the solver still forms the whole matrix if the path turns out long
    /// (<see cref="LarsGram.PrecomputeAfter"/>).
    /// </summary>
    public static bool ShouldPrecompute(int rows, int features, int expectedSteps) =>
        rows > features && 4L * Math.Min(expectedSteps, features) >= features;

    /// <summary>Validates nothing (the callers do); prepares the data without modifying <paramref name="x"/> or <paramref name="y"/>.</summary>
    public static LarsProblem Create(Matrix<double> x, Vector<double> y, bool fitIntercept, bool precompute)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var xy = new double[p];
        if (precompute)
        {
            // A centred copy (as scikit-learn), its Gram matrix and Xᵀy.
            var data = CenteredData.Prepare(x, y, fitIntercept);
            Gemv.MultiplyTransposed(n, p, 1.0, data.X, n, data.Y, 0.0, xy);
            var g = new double[p * p];
            LinearAlgebra.Gram.Compute(n, p, data.X, n, g);
            return new LarsProblem(data.X, data.Y, data.XMean, data.YMean, false, n, p, xy, new PrecomputedLarsGram(g, p));
        }

        var yc = y.ToArray();
        double yMean = 0.0;
        if (fitIntercept)
        {
            yMean = Kernels.Sum(yc) / n;
            Kernels.AddScalar(-yMean, yc);
        }

        var storage = MatrixStorage.ColumnMajor(x);
        double[]? xMean = null;
        if (fitIntercept)
        {
            // (X − 1x̄ᵀ)ᵀy = Xᵀy − x̄·Σy, with Σy zero up to rounding since y is centred.
            xMean = new double[p];
            MeansAndCorrelations(storage, n, p, yc, xMean, xy);
            double sum = Kernels.Sum(yc);
            if (sum != 0.0)
            {
                Kernels.Axpy(-sum, xMean, xy);
            }
        }
        else
        {
            Gemv.MultiplyTransposed(n, p, 1.0, storage, n, yc, 0.0, xy);
        }

        return new LarsProblem(storage, yc, xMean, yMean, fitIntercept, n, p, xy, new DataLarsGram(storage, n, p, xMean));
    }

    /// <summary>The intercept b = ȳ − x̄ᵀw (0 without intercept).</summary>
    public double Intercept(ReadOnlySpan<double> w) => XMean is null ? 0.0 : YMean - Kernels.Dot(XMean, w);

    /// <summary>Runs the solver on this problem.</summary>
    public LarsSolver.Output Solve(LarsMethod method, double alphaMin, int maxIterations, bool positive, Action<LarsIterationInfo>? onIteration, CancellationToken cancellationToken) =>
        LarsSolver.Solve(
            Gram,
            Xy,
            YNormSquared,
            new LarsSolver.Settings(method, alphaMin, maxIterations, positive, Rows, onIteration, cancellationToken));

    /// <summary>
    /// ‖y − Xw‖² on the prepared data for every column w of <paramref name="path"/> (p × knots,
    /// column-major), with one GEMM.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double[] ResidualSumsOfSquares(double[] path, int knots)
    {
        int n = Rows, p = Features;
        var fitted = new double[n * knots];
        Gemm.Multiply(false, false, n, knots, p, 1.0, X, n, path, p, 0.0, fitted, n);
        var rss = new double[knots];
        var residual = new double[n];
        for (int k = 0; k < knots; k++)
        {
            // Implicit centring: (X − 1x̄ᵀ)w = Xw − (x̄ᵀw)·1.
            double shift = IsImplicitlyCentred ? Kernels.Dot(XMean!, path.AsSpan(k * p, p)) : 0.0;
            var column = fitted.AsSpan(k * n, n);
            for (int i = 0; i < n; i++)
            {
                residual[i] = Y[i] - (column[i] - shift);
            }

            rss[k] = Kernels.SquaredNorm(residual);
        }

        return rss;
    }

    /// <summary>
    /// The column means of X and Xᵀy in one sweep over memory (each column is read twice while it
    /// sits in cache), split across the cores for large matrices.
    /// </summary>
    private static void MeansAndCorrelations(double[] x, int n, int p, double[] y, double[] means, double[] xy)
    {
        if ((long)n * p >= ParallelThreshold && p >= 2 && Environment.ProcessorCount > 1)
        {
            int blocks = Math.Min(Environment.ProcessorCount, p);
            Parallel.For(0, blocks, block => Range(x, n, (int)((long)p * block / blocks), (int)((long)p * (block + 1) / blocks), y, means, xy));
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
