// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// Column-major training data ready for a linear solver: centred copies of X and y when an
/// intercept is fitted (as scikit-learn's <c>_preprocess_data</c>), the caller's own storage
/// otherwise (never written to).
/// </summary>
internal sealed class CenteredData
{
    private CenteredData(double[] x, double[] y, double[]? xMean, double yMean)
    {
        X = x;
        Y = y;
        XMean = xMean;
        YMean = yMean;
    }

    /// <summary>X (n×p column-major), centred when an intercept is fitted.</summary>
    public double[] X { get; }

    /// <summary>y, centred when an intercept is fitted.</summary>
    public double[] Y { get; }

    /// <summary>The column means of X, or null when no intercept is fitted.</summary>
    public double[]? XMean { get; }

    /// <summary>True when <see cref="X"/> is the caller's uncentred storage and <see cref="XMean"/> is to be subtracted on the fly.</summary>
    public bool IsImplicitlyCentred { get; private init; }

    /// <summary>The squared norms of the centred columns when <see cref="IsImplicitlyCentred"/>, else null (the solver computes them).</summary>
    public double[]? ColumnNormsSquared { get; private init; }

    /// <summary>The mean of y (0 when no intercept is fitted).</summary>
    public double YMean { get; }

    /// <summary>
    /// Prepares <paramref name="x"/> and <paramref name="y"/>; neither is modified. With
    /// <paramref name="copyCentred"/> false, X keeps the caller's storage and only its column means
    /// are computed (<see cref="IsImplicitlyCentred"/>): solvers subtract them on the fly, which
    /// saves a copy of X for wide data.
    /// </summary>
    public static CenteredData Prepare(Matrix<double> x, Vector<double> y, bool fitIntercept, bool copyCentred = true)
    {
        int n = x.RowCount, p = x.ColumnCount;
        if (!fitIntercept)
        {
            return new CenteredData(MatrixStorage.ColumnMajor(x), y.AsArray() ?? y.ToArray(), null, 0.0);
        }

        if (!copyCentred)
        {
            var storage = MatrixStorage.ColumnMajor(x);
            var columnMeans = new double[p];
            var norms = new double[p];
            ColumnStatistics.Compute(storage, n, p, columnMeans, norms);
            var centredY = y.ToArray();
            double meanY = Kernels.Sum(centredY) / n;
            Kernels.AddScalar(-meanY, centredY);
            return new CenteredData(storage, centredY, columnMeans, meanY) { IsImplicitlyCentred = true, ColumnNormsSquared = norms };
        }

        var xc = x.ToColumnMajorArray();
        var means = new double[p];
        for (int j = 0; j < p; j++)
        {
            var column = xc.AsSpan(j * n, n);
            means[j] = Kernels.Sum(column) / n;
            Kernels.AddScalar(-means[j], column);
        }

        var yc = y.ToArray();
        double yMean = Kernels.Sum(yc) / n;
        Kernels.AddScalar(-yMean, yc);
        return new CenteredData(xc, yc, means, yMean);
    }

    /// <summary>The intercept b = ȳ − x̄ᵀw for coefficients fitted on the centred data (0 without intercept).</summary>
    public double Intercept(ReadOnlySpan<double> w) => XMean is null ? 0.0 : YMean - Kernels.Dot(XMean, w);
}
