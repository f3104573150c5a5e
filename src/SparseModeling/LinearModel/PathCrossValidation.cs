// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra.Storage;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The cross-validation core of <see cref="LassoCV"/> and <see cref="ElasticNetCV"/>: one fold of scikit-learn's unshuffled
/// <c>KFold</c>, the warm-started coordinate-descent path (<see cref="LassoPath"/>) fitted on the other folds, and the held-out
/// mean squared error of every α of the grid (one GEMM for all predictions).
/// </summary>
internal static class PathCrossValidation
{
    /// <summary>
    /// Fits the path on every fold but <paramref name="fold"/> of the training data (<paramref name="x"/>, <paramref name="y"/>,
    /// possibly rescaled by <see cref="Settings.Scale"/>) and writes the mean squared error per α on the held-out rows of
    /// <paramref name="testX"/>, <paramref name="testY"/> (in the units of the path's coefficients: the caller's when a scale is
    /// given, else those of <paramref name="x"/>). Column-major n × p data.
    /// </summary>
    public static void FoldErrors(double[] x, double[] y, double[] testX, double[] testY, int n, int p, int fold, int folds, double[] grid, Settings settings, Span<double> errors, CancellationToken cancellationToken)
    {
        var (start, stop) = FoldRange(n, fold, folds);
        int nTest = stop - start, nTrain = n - nTest;

        // Every entry is written by the copy below, column by column between cancellation checks.
        var xTrain = GC.AllocateUninitializedArray<double>(nTrain * p);
        var xTest = GC.AllocateUninitializedArray<double>(nTest * p);
        var yTrain = new double[nTrain];
        for (int j = 0; j < p; j++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var column = x.AsSpan(j * n, n);
            var train = xTrain.AsSpan(j * nTrain, nTrain);
            column[..start].CopyTo(train);
            column[stop..].CopyTo(train[start..]);
            testX.AsSpan((j * n) + start, nTest).CopyTo(xTest.AsSpan(j * nTest, nTest));
        }

        y.AsSpan(0, start).CopyTo(yTrain);
        y.AsSpan(stop).CopyTo(yTrain.AsSpan(start));

        // The training rows centred with their own means (in place: they are this fold's copy).
        var data = CenteredData.Adopt(xTrain, nTrain, p, yTrain, settings.FitIntercept);
        var path = LassoPath.Solve(data, grid, alphaCount: 0, epsilon: 0.0, settings.L1Ratio, settings.Tolerance, settings.MaxIterations, settings.Positive, cancellationToken, settings.Scale);
        var coefficients = MatrixStorage.ColumnMajor(path.Coefficients);

        // Held-out predictions for every α at once: X_test·W (nTest × alphas), plus the path's intercepts.
        var predictions = new double[nTest * grid.Length];
        Gemm.Multiply(false, false, nTest, grid.Length, p, 1.0, xTest, nTest, coefficients, p, 0.0, predictions, nTest);
        HeldOutErrors(predictions, path.Intercepts, testY.AsSpan(start, nTest), errors);
    }

    /// <summary>
    /// <see cref="FoldErrors"/> on compressed-row sparse X: the training rows as a CSC copy (centred implicitly), the
    /// held-out rows read in place for the predictions; nothing of size n×p is formed.
    /// </summary>
    public static void SparseFoldErrors(SparseCompressedRowMatrixStorage<double> x, double[] y, int fold, int folds, double[] grid, Settings settings, Span<double> errors, CancellationToken cancellationToken)
    {
        int n = x.RowCount;
        var (start, stop) = FoldRange(n, fold, folds);
        int nTest = stop - start;
        var yTrain = new double[n - nTest];
        y.AsSpan(0, start).CopyTo(yTrain);
        y.AsSpan(stop).CopyTo(yTrain.AsSpan(start));
        cancellationToken.ThrowIfCancellationRequested();
        var data = CenteredData.PrepareSparse(x, yTrain, settings.FitIntercept, start, stop);
        var path = LassoPath.Solve(data, grid, alphaCount: 0, epsilon: 0.0, settings.L1Ratio, settings.Tolerance, settings.MaxIterations, settings.Positive, cancellationToken, settings.Scale);
        var predictions = new double[nTest * grid.Length];
        SparseStorage.Multiply(x, start, stop, MatrixStorage.ColumnMajor(path.Coefficients), grid.Length, predictions);
        HeldOutErrors(predictions, path.Intercepts, y.AsSpan(start, nTest), errors);
    }

    /// <summary>scikit-learn's <c>KFold</c> without shuffling: the rows [start, stop) of fold <paramref name="fold"/>, the first n mod k folds one row longer.</summary>
    private static (int Start, int Stop) FoldRange(int n, int fold, int folds)
    {
        int size = n / folds, extra = n % folds;
        int start = (fold * size) + Math.Min(fold, extra);
        return (start, start + size + (fold < extra ? 1 : 0));
    }

    /// <summary>The mean squared error per α of held-out predictions X_test·W (nTest × alphas, column-major) plus the path's intercepts.</summary>
    private static void HeldOutErrors(double[] predictions, MathNet.Numerics.LinearAlgebra.Vector<double> intercepts, ReadOnlySpan<double> yTest, Span<double> errors)
    {
        int nTest = yTest.Length;
        for (int k = 0; k < errors.Length; k++)
        {
            var prediction = predictions.AsSpan(k * nTest, nTest);
            Kernels.AddScalar(intercepts[k], prediction);
            Kernels.Axpy(-1.0, yTest, prediction);
            errors[k] = Kernels.SquaredNorm(prediction) / nTest;
        }
    }

    /// <summary>The path's settings.</summary>
    /// <param name="FitIntercept">Whether each fold is centred with its own means.</param>
    /// <param name="L1Ratio">The elastic-net mixing ρ in (0, 1] (1: the Lasso).</param>
    /// <param name="Tolerance">The duality-gap tolerance of every solve.</param>
    /// <param name="MaxIterations">The most passes per α.</param>
    /// <param name="Positive">Whether coefficients are constrained to be ≥ 0.</param>
    /// <param name="Scale">The powers of two the training data were rescaled by (the grid is in the caller's units), or identity.</param>
    public readonly record struct Settings(bool FitIntercept, double L1Ratio, double Tolerance, int MaxIterations, bool Positive, LinearScale Scale);
}
