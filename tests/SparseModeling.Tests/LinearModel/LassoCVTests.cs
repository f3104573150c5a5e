// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class LassoCVTests
{
    public static TheoryData<int> FixtureCases()
    {
        var data = new TheoryData<int>();
        int count = TestData.Fixture("lasso_cv_diabetes.json").GetProperty("cases").GetArrayLength();
        for (int i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Fit_Diabetes_MatchesScikitLearnFixture(int index)
    {
        var c = TestData.Fixture("lasso_cv_diabetes.json").GetProperty("cases")[index];
        var parameters = c.GetProperty("params");
        var (x, y) = TestData.Diabetes;

        // The fixture was run to tol = 1e-12 so that both sides sit at the optimum of every solve.
        var model = new LassoCV
        {
            Tolerance = parameters.GetProperty("tol").GetDouble(),
            MaxIterations = parameters.GetProperty("max_iter").GetInt32(),
            FitIntercept = !parameters.TryGetProperty("fit_intercept", out var fi) || fi.GetBoolean(),
            Positive = parameters.TryGetProperty("positive", out var pos) && pos.GetBoolean(),
            AlphaCount = parameters.TryGetProperty("n_alphas", out var na) ? na.GetInt32() : 100,
            Epsilon = parameters.TryGetProperty("eps", out var eps) ? eps.GetDouble() : 1e-3,
            AlphaGrid = parameters.TryGetProperty("alphas", out var alphas) ? TestData.Doubles(alphas) : null,
        }.Fit(x, y);

        AssertClose(TestData.Doubles(c.GetProperty("alphas_")), model.Alphas.ToArray(), 1e-12, "alphas_");
        AssertClose(TestData.Doubles(c.GetProperty("mse_mean")), model.MseMeans.ToArray(), 1e-8, "mse mean");
        var msePath = c.GetProperty("mse_path_").EnumerateArray().Select(TestData.Doubles).ToArray();
        for (int k = 0; k < msePath.Length; k++)
        {
            AssertClose(msePath[k], model.MsePath.Row(k).ToArray(), 1e-8, $"mse_path_[{k}]");
        }

        Assert.Equal(c.GetProperty("alpha_").GetDouble(), model.BestAlpha, 1e-12 * model.BestAlpha);
        AssertClose(TestData.Doubles(c.GetProperty("coef")), model.Coefficients.ToArray(), 1e-8, "coef");
        AssertClose([c.GetProperty("intercept").GetDouble()], [model.Intercept], 1e-8, "intercept");
    }

    [Fact]
    public void Fit_WideLowNoise_DefaultTolerance_MatchesScikitLearnFixture()
    {
        // Near the end of the path the residual is tiny, so the previous α's solution is already within
        // tol·‖y‖² of the next optimum; scikit-learn still runs a pass per α. Accepting the warm start unchanged
        // froze half of every fold's path: mean errors up to 4.9× scikit-learn's and α = 0.00327 chosen, not 0.00215.
        var f = TestData.Fixture("lasso_cv_wide.json");
        var parameters = f.GetProperty("params");
        var (x, y) = TestData.SparseRegression(777, 400, 1000, 20);
        var model = new LassoCV
        {
            Folds = parameters.GetProperty("cv").GetInt32(),
            AlphaCount = parameters.GetProperty("n_alphas").GetInt32(),
            Epsilon = parameters.GetProperty("eps").GetDouble(),
            Tolerance = parameters.GetProperty("tol").GetDouble(),
            MaxIterations = parameters.GetProperty("max_iter").GetInt32(),
        }.Fit(x, y);

        AssertClose(TestData.Doubles(f.GetProperty("alphas_")), model.Alphas.ToArray(), 1e-12, "alphas_");

        // Both sides stop at tol = 1e-4, so the errors agree to that level, not to the last digit; each entry relatively.
        var expected = TestData.Doubles(f.GetProperty("mse_mean"));
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(model.MseMeans[k] - expected[k]) <= 0.02 * expected[k], $"mse mean[{k}]: expected {expected[k]}, got {model.MseMeans[k]}");
        }

        Assert.Equal(f.GetProperty("alpha_").GetDouble(), model.BestAlpha, 1e-12 * model.BestAlpha);
    }

    [Fact]
    public void Fit_ChoosesTheLeastMeanErrorAndRefitsLasso()
    {
        var (x, y) = TestData.Diabetes;
        var model = new LassoCV { AlphaCount = 20 }.Fit(x, y);
        var means = model.MseMeans;
        int best = means.MinimumIndex();
        Assert.Equal(model.Alphas[best], model.BestAlpha);
        for (int k = 0; k < means.Count; k++)
        {
            Assert.Equal(model.MsePath.Row(k).Average(), means[k], 1e-12 * means[k]);
        }

        for (int k = 1; k < model.Alphas.Count; k++)
        {
            Assert.True(model.Alphas[k] < model.Alphas[k - 1]);
        }

        var lasso = new Lasso { Alpha = model.BestAlpha }.Fit(x, y);
        Assert.Equal(lasso.Coefficients.ToArray(), model.Coefficients.ToArray());
        Assert.Equal(lasso.Intercept, model.Intercept);
        Assert.Equal(lasso.DualGap, model.DualGap);
    }

    [Fact]
    public void Fit_FoldErrors_EqualAnIndependentSequentialComputation()
    {
        var (x, y) = TestData.Diabetes;
        double[] grid = [2.0, 0.5, 0.1, 0.02];
        var model = new LassoCV { AlphaGrid = grid, Folds = 3, Tolerance = 1e-10 }.Fit(x, y);

        // 442 samples in 3 contiguous folds of 148, 147, 147 (scikit-learn's KFold); fold 1 by hand.
        int start = 148, stop = 295;
        var trainRows = Enumerable.Range(0, x.RowCount).Where(i => i < start || i >= stop).ToArray();
        var xTrain = Matrix<double>.Build.DenseOfRowVectors(trainRows.Select(x.Row));
        var yTrain = Vector<double>.Build.DenseOfEnumerable(trainRows.Select(i => y[i]));
        var xMean = xTrain.ColumnSums() / trainRows.Length;
        double yMean = yTrain.Average();
        var xCentred = xTrain - Matrix<double>.Build.Dense(trainRows.Length, x.ColumnCount, (_, j) => xMean[j]);
        var path = LassoPath.Compute(xCentred, yTrain - yMean, alphas: grid, tolerance: 1e-10);
        var xTest = x.SubMatrix(start, stop - start, 0, x.ColumnCount);
        var yTest = y.SubVector(start, stop - start);
        for (int k = 0; k < grid.Length; k++)
        {
            var w = path.Coefficients.Column(k);
            var residual = (xTest * w) + (yMean - (xMean * w)) - yTest;
            double expected = (residual * residual) / residual.Count;
            Assert.Equal(expected, model.MsePath[k, 1], 1e-10 * expected);
        }
    }

    [Fact]
    public void Fit_RepeatedAndConcurrent_GivesBitIdenticalResults()
    {
        var (x, y) = OrthogonalMatchingPursuitTests.RandomProblem(120, 40, 6, noise: 0.5);
        var reference = new LassoCV { AlphaCount = 30 }.Fit(x, y);
        var results = new LassoCV[6];
        Parallel.For(0, results.Length, i => results[i] = new LassoCV { AlphaCount = 30 }.Fit(x, y));
        foreach (var other in results)
        {
            Assert.Equal(reference.MsePath.ToColumnMajorArray(), other.MsePath.ToColumnMajorArray());
            Assert.Equal(reference.Coefficients.ToArray(), other.Coefficients.ToArray());
            Assert.Equal(reference.BestAlpha, other.BestAlpha);
        }
    }

    [Fact]
    public void SaveLoad_RoundTrip_KeepsCrossValidationResults()
    {
        var (x, y) = TestData.Diabetes;
        var model = new LassoCV { AlphaCount = 10, AlphaGrid = null }.Fit(x, y);
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<LassoCV>(stream);
        Assert.Equal(model.MsePath.ToColumnMajorArray(), loaded.MsePath.ToColumnMajorArray());
        Assert.Equal(model.Alphas.ToArray(), loaded.Alphas.ToArray());
        Assert.Equal(model.BestAlpha, loaded.BestAlpha);
        Assert.Equal(model.AlphaCount, loaded.AlphaCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(443)]
    public void Fit_FoldsOutOfRange_ThrowsNamingFoldsAndKeepsModel(int folds)
    {
        var (x, y) = TestData.Diabetes;
        var model = new LassoCV { AlphaCount = 5 }.Fit(x, y);
        double before = model.BestAlpha;
        model.Folds = folds;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y));
        Assert.Equal(nameof(LassoCV.Folds), e.ParamName);
        Assert.Equal(before, model.BestAlpha);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Fit_BadAlphaGridEntry_ThrowsNamingAlphaGrid(double bad)
    {
        var (x, y) = TestData.Diabetes;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LassoCV { AlphaGrid = [1.0, bad] }.Fit(x, y));
        Assert.Equal(nameof(LassoCV.AlphaGrid), e.ParamName);
        Assert.Contains("index 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new LassoCV { AlphaGrid = [] }.Fit(x, y));
    }

    [Fact]
    public void Fit_Cancelled_ThrowsAndKeepsModelUnfitted()
    {
        var (x, y) = TestData.Diabetes;
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var model = new LassoCV();
        Assert.ThrowsAny<OperationCanceledException>(() => model.Fit(x, y, cts.Token));
        Assert.Throws<InvalidOperationException>(() => model.BestAlpha);
    }

    private static void AssertClose(double[] expected, double[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs); // entries far below the largest are compared against 1e-3 of it
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(Math.Abs(expected[i]), 1e-3 * scale),
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }
}
