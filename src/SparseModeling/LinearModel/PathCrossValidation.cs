// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra.Storage;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The cross-validation core of <see cref="LassoCV"/>, <see cref="ElasticNetCV"/> and <see cref="LassoLarsCV"/>: one fold of
/// scikit-learn's unshuffled <c>KFold</c> (<see cref="Split"/>), the held-out residuals of a set of coefficient vectors (one GEMM),
/// and for the first two the warm-started coordinate-descent path (<see cref="LassoPath"/>) fitted on the other folds with the
/// held-out mean squared error of every α of the grid.
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
        var part = Split(x, y, testX, n, p, fold, folds, cancellationToken);

        // The training rows centred with their own means (in place: they are this fold's copy).
        var data = CenteredData.Adopt(part.TrainX, part.TrainRows, p, part.TrainY, settings.FitIntercept);
        var path = LassoPath.Solve(data, grid, alphaCount: 0, epsilon: 0.0, settings.L1Ratio, settings.Tolerance, settings.MaxIterations, settings.Positive, cancellationToken, settings.Scale);
        var residuals = part.Residuals(testY, MatrixStorage.ColumnMajor(path.Coefficients), path.Intercepts.AsArray() ?? path.Intercepts.ToArray(), grid.Length, p);
        for (int k = 0; k < grid.Length; k++)
        {
            errors[k] = Kernels.SquaredNorm(residuals.AsSpan(k * part.TestRows, part.TestRows)) / part.TestRows;
        }
    }

    /// <summary>
    /// Fold <paramref name="fold"/> of <paramref name="folds"/> as scikit-learn's unshuffled <c>KFold</c> (contiguous blocks, the
    /// first n mod k one sample larger): copies of the other rows of <paramref name="x"/> and <paramref name="y"/> (column-major
    /// n × p) to train on, and this block's rows of <paramref name="testX"/> (the same rows, possibly in other units).
    /// </summary>
    public static FoldData Split(double[] x, double[] y, double[] testX, int n, int p, int fold, int folds, CancellationToken cancellationToken)
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
        return new FoldData(xTrain, yTrain, xTest, start, nTest);
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

    /// <summary>One fold's data (<see cref="Split"/>).</summary>
    /// <param name="TrainX">The training rows, column-major (<see cref="TrainRows"/> × p); the caller's to centre in place.</param>
    /// <param name="TrainY">The training targets.</param>
    /// <param name="TestX">The held-out rows, column-major (<see cref="TestRows"/> × p).</param>
    /// <param name="Start">The first held-out row.</param>
    /// <param name="TestRows">The number of held-out rows.</param>
    public readonly record struct FoldData(double[] TrainX, double[] TrainY, double[] TestX, int Start, int TestRows)
    {
        /// <summary>The number of training rows.</summary>
        public int TrainRows => TrainY.Length;

        /// <summary>
        /// The held-out residuals X_test·w + b − y_test for each of the <paramref name="count"/> columns w of
        /// <paramref name="coefficients"/> (p × count, column-major) and intercepts b, by one GEMM: <see cref="TestRows"/> × count,
        /// column-major. <paramref name="testY"/> holds all n targets.
        /// </summary>
        public double[] Residuals(double[] testY, double[] coefficients, double[] intercepts, int count, int p)
        {
            int nTest = TestRows;
            var residuals = new double[nTest * count];
            Gemm.Multiply(false, false, nTest, count, p, 1.0, TestX, nTest, coefficients, p, 0.0, residuals, nTest);
            var yTest = testY.AsSpan(Start, nTest);
            for (int k = 0; k < count; k++)
            {
                var column = residuals.AsSpan(k * nTest, nTest);
                Kernels.AddScalar(intercepts[k], column);
                Kernels.Axpy(-1.0, yTest, column);
            }

            return residuals;
        }
    }
}
