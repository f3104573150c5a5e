// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class ElasticNetCVTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, TestData.Fixture("elastic_net_cv.json").GetProperty("cases").GetArrayLength()));

    /// <summary>elastic_net_cv.json: scikit-learn 1.2.1's ElasticNetCV on diabetes.csv (one and three ρ), run to tol 1e-12.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_Diabetes_MatchesScikitLearn(int index)
    {
        var c = TestData.Fixture("elastic_net_cv.json").GetProperty("cases")[index];
        var (x, y) = TestData.Diabetes;
        var ratios = TestData.Doubles(c.GetProperty("l1_ratios"));
        var model = new ElasticNetCV { L1Ratios = ratios, AlphaCount = c.GetProperty("n_alphas").GetInt32(), Tolerance = 1e-12, MaxIterations = 100000 }.Fit(x, y);
        var alphas = c.GetProperty("alphas").EnumerateArray().Select(TestData.Doubles).ToArray();
        var means = c.GetProperty("mse_mean").EnumerateArray().Select(TestData.Doubles).ToArray();
        for (int r = 0; r < ratios.Length; r++)
        {
            AssertClose(alphas[r], model.Alphas.Row(r).ToArray(), 1e-12);
            AssertClose(means[r], model.MseMeans.Row(r).ToArray(), 1e-9);
        }

        Assert.Equal(c.GetProperty("alpha").GetDouble(), model.BestAlpha, 1e-12);
        Assert.Equal(c.GetProperty("l1_ratio").GetDouble(), model.BestL1Ratio);
        AssertClose(TestData.Doubles(c.GetProperty("coef")), model.Coefficients.ToArray(), 1e-8);
        Assert.Equal(c.GetProperty("intercept").GetDouble(), model.Intercept, 1e-8);
    }

    [Fact]
    public void Fit_OneRatioOfOne_IsLassoCV()
    {
        var (x, y) = TestData.Diabetes;
        var lasso = new LassoCV { AlphaCount = 20 }.Fit(x, y);
        var net = new ElasticNetCV { L1Ratios = [1.0], AlphaCount = 20 }.Fit(x, y);
        Assert.Equal(lasso.Alphas.ToArray(), net.Alphas.Row(0).ToArray());
        AssertClose(lasso.MseMeans.ToArray(), net.MseMeans.Row(0).ToArray(), 1e-12);
        Assert.Equal(lasso.BestAlpha, net.BestAlpha);
        AssertClose(lasso.Coefficients.ToArray(), net.Coefficients.ToArray(), 1e-12);
    }

    [Fact]
    public void Fit_BadRatios_AreNamed()
    {
        var (x, y) = EstimatorChecks.RegressionData(1);
        Assert.Equal("L1Ratios", Assert.Throws<ArgumentOutOfRangeException>(() => new ElasticNetCV { L1Ratios = [0.5, 0.0] }.Fit(x, y)).ParamName);
        Assert.Equal("L1Ratios", Assert.Throws<ArgumentException>(() => new ElasticNetCV { L1Ratios = [] }.Fit(x, y)).ParamName);
        Assert.Throws<ArgumentNullException>(() => new ElasticNetCV { L1Ratios = null! }.Fit(x, y));
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
