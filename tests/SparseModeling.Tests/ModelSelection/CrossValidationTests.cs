// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;
using SparseModeling.Metrics;
using SparseModeling.ModelSelection;
using SparseModeling.Preprocessing;

namespace SparseModeling.Tests.ModelSelection;

public class CrossValidationTests
{
    /// <summary>model_selection.json: scikit-learn 1.2.1's cross_val_score of a tightly converged Lasso on diabetes.csv, R² and −MSE.</summary>
    [Fact]
    public void Score_Lasso_MatchesScikitLearn()
    {
        var fixture = TestData.Fixture("model_selection.json").GetProperty("cross_val_score");
        var (x, y) = TestData.Diabetes;
        var lasso = new Lasso { Alpha = 0.1, Tolerance = 1e-12, MaxIterations = 100000 };
        var r2 = CrossValidation.Score(lasso, x, y, new KFold(5));
        var mse = CrossValidation.Score(lasso, x, y, new KFold(5), RegressionMetrics.NegativeMeanSquaredError);
        AssertClose(TestData.Doubles(fixture.GetProperty("r2")), r2, 1e-9);
        AssertClose(TestData.Doubles(fixture.GetProperty("neg_mse")), mse, 1e-9);
        Assert.Throws<InvalidOperationException>(() => lasso.Coefficients);
    }

    [Fact]
    public void Score_Pipeline_FitsThePreprocessingInsideEachFold()
    {
        var (x, y) = TestData.Diabetes;
        var pipeline = new Pipeline(("scale", new StandardScaler()), ("lasso", new Lasso { Alpha = 0.5 }));
        var splits = new KFold { FoldCount = 4, Shuffle = true, RandomSeed = 1 }.Split(x.RowCount);
        var scores = CrossValidation.Score(pipeline, x, y, splits);
        for (int f = 0; f < splits.Count; f++)
        {
            var xTrain = Rows(x, splits[f].Train);
            var scaler = new StandardScaler().Fit(xTrain);
            var lasso = new Lasso { Alpha = 0.5 }.Fit(scaler.Transform(xTrain), Entries(y, splits[f].Train));
            Assert.Equal(lasso.Score(scaler.Transform(Rows(x, splits[f].Test)), Entries(y, splits[f].Test)), scores[f]);
        }
    }

    [Fact]
    public void Score_DegreeOfParallelism_DoesNotChangeTheScores()
    {
        var (x, y) = TestData.Diabetes;
        var serial = CrossValidation.Score(new Lasso { Alpha = 0.05, MaxDegreeOfParallelism = 1 }, x, y, new KFold(6));
        var parallel = CrossValidation.Score(new Lasso { Alpha = 0.05, MaxDegreeOfParallelism = 4 }, x, y, new KFold(6));
        Assert.Equal(serial.Select(BitConverter.DoubleToInt64Bits), parallel.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Score_Cancelled_Throws()
    {
        var (x, y) = TestData.Diabetes;
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => CrossValidation.Score(new Lasso(), x, y, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Score_BadInput_IsNamed()
    {
        var (x, y) = EstimatorChecks.RegressionData(2);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => CrossValidation.Score(new Lasso(), x, y.SubVector(0, 5))).ParamName);
        var e = Assert.Throws<ArgumentException>(() => CrossValidation.Score(new Lasso(), x, y, [new DataSplit([0, 1], [40])]));
        Assert.Equal("splits", e.ParamName);
        Assert.Contains("splits[0].Test[0] is 40", e.Message, StringComparison.Ordinal);
        var bad = x.Clone();
        bad[3, 1] = double.NaN;
        Assert.Contains("row", Assert.Throws<ArgumentException>(() => CrossValidation.Score(new Lasso(), bad, y)).Message, StringComparison.Ordinal);
        Assert.Equal("MaxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => CrossValidation.Score(new Lasso { MaxDegreeOfParallelism = 0 }, x, y)).ParamName);
    }

    internal static Matrix<double> Rows(Matrix<double> x, IReadOnlyList<int> rows) => Matrix<double>.Build.DenseOfRowVectors(rows.Select(x.Row));

    internal static Vector<double> Entries(Vector<double> y, IReadOnlyList<int> rows) => Vector<double>.Build.DenseOfEnumerable(rows.Select(i => y[i]));

    internal static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1.0, Math.Abs(expected[i])), $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
