// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class LassoLarsCVTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, TestData.Fixture("lasso_lars_cv.json").GetProperty("cases").GetArrayLength()));

    /// <summary>
    /// lasso_lars_cv.json: scikit-learn 1.2.1's LassoLarsCV on diabetes.csv (5, 3 and 10 folds, without intercept, and a grid
    /// thinned by max_n_alphas); its cv_alphas_ and mse_path_ rows are increasing in α, ours decreasing. No positive case: the
    /// positive paths part at their last knot (LarsSolver's documented difference), and with them the last segment's errors.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_Diabetes_MatchesScikitLearn(int index)
    {
        var c = TestData.Fixture("lasso_lars_cv.json").GetProperty("cases")[index];
        var (x, y) = TestData.Diabetes;
        var model = new LassoLarsCV
        {
            Folds = c.GetProperty("cv").GetInt32(),
            FitIntercept = c.GetProperty("fit_intercept").GetBoolean(),
            Positive = c.GetProperty("positive").GetBoolean(),
            MaxAlphaCount = c.GetProperty("max_n_alphas").GetInt32(),
        }.Fit(x, y);
        var alphas = TestData.Doubles(c.GetProperty("cv_alphas")).Reverse().ToArray();
        var mse = c.GetProperty("mse_path").EnumerateArray().Select(TestData.Doubles).Reverse().ToArray();
        AssertClose(alphas, model.Alphas.ToArray(), 1e-10);
        Assert.Equal(mse.Length, model.MsePath.RowCount);
        for (int k = 0; k < mse.Length; k++)
        {
            AssertClose(mse[k], model.MsePath.Row(k).ToArray(), 1e-9);
        }

        Assert.Equal(c.GetProperty("alpha").GetDouble(), model.BestAlpha, 1e-10);
        Assert.Equal(model.BestAlpha, model.Alpha);
        AssertClose(TestData.Doubles(c.GetProperty("coef")), model.Coefficients.ToArray(), 1e-8);
        Assert.Equal(c.GetProperty("intercept").GetDouble(), model.Intercept, 1e-8);
    }

    /// <summary>At a knot of a fold's path the held-out error is that of LassoLars fitted on the other folds at that α; between knots, of the interpolated path.</summary>
    [Fact]
    public void MsePath_AtAnyAlpha_IsTheHeldOutErrorOfTheFoldsLassoLars()
    {
        var (x, y) = TestData.Diabetes;
        var model = new LassoLarsCV { Folds = 3 }.Fit(x, y);
        int n = x.RowCount;
        var alphas = model.Alphas;
        foreach (int k in new[] { 1, alphas.Count / 3, alphas.Count / 2, alphas.Count - 2 })
        {
            for (int f = 0; f < 3; f++)
            {
                // scikit-learn's KFold: the first n mod 3 folds one sample larger.
                int start = (f * (n / 3)) + Math.Min(f, n % 3), stop = start + (n / 3) + (f < n % 3 ? 1 : 0);
                var train = Enumerable.Range(0, n).Where(i => i < start || i >= stop).ToArray();
                var xTrain = Matrix<double>.Build.Dense(train.Length, x.ColumnCount, (i, j) => x[train[i], j]);
                var yTrain = Vector<double>.Build.Dense(train.Length, i => y[train[i]]);
                var lars = new LassoLars { Alpha = alphas[k] }.Fit(xTrain, yTrain);
                double sum = 0.0;
                for (int i = start; i < stop; i++)
                {
                    double r = y[i] - lars.Predict(x.SubMatrix(i, 1, 0, x.ColumnCount))[0];
                    sum += r * r;
                }

                Assert.Equal(sum / (stop - start), model.MsePath[k, f], 1e-8 * Math.Max(1.0, sum / (stop - start)));
            }
        }
    }

    /// <summary>Positive: every fold's path and the refit keep w ≥ 0, and the refit is LassoLars's at the chosen α.</summary>
    [Fact]
    public void Fit_Positive_GivesTheNonNegativeLassoLarsAtBestAlpha()
    {
        var (x, y) = TestData.Diabetes;
        var model = new LassoLarsCV { Folds = 4, Positive = true }.Fit(x, y);
        Assert.All(model.Coefficients, w => Assert.True(w >= 0.0));
        var lars = new LassoLars { Alpha = model.BestAlpha, Positive = true }.Fit(x, y);
        AssertClose(lars.Coefficients.ToArray(), model.Coefficients.ToArray(), 0.0);
        Assert.Contains(model.BestAlpha, model.Alphas);
        Assert.Equal(model.MseMeans.Minimum(), model.MseMeans[model.Alphas.ToList().LastIndexOf(model.BestAlpha)]);
    }

    [Fact]
    public void Fit_BadParameters_AreNamed()
    {
        var (x, y) = EstimatorChecks.RegressionData(1);
        Assert.Equal("Folds", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoLarsCV { Folds = 1 }.Fit(x, y)).ParamName);
        Assert.Equal("Folds", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoLarsCV { Folds = x.RowCount + 1 }.Fit(x, y)).ParamName);
        Assert.Equal("MaxAlphaCount", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoLarsCV { MaxAlphaCount = 0 }.Fit(x, y)).ParamName);
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoLarsCV { MaxIterations = 0 }.Fit(x, y)).ParamName);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1.0, Math.Abs(expected[i])), $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
