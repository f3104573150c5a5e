// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;
using SparseModeling.Metrics;

namespace SparseModeling.Tests.Metrics;

public class RegressionMetricsTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, TestData.Fixture("model_selection.json").GetProperty("metrics").GetArrayLength()));

    /// <summary>model_selection.json: scikit-learn 1.2.1's four metrics, including constant targets (R² and explained variance 1 or 0).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Metrics_MatchScikitLearn(int index)
    {
        var c = TestData.Fixture("model_selection.json").GetProperty("metrics")[index];
        var y = Vector<double>.Build.DenseOfArray(TestData.Doubles(c.GetProperty("y_true")));
        var p = Vector<double>.Build.DenseOfArray(TestData.Doubles(c.GetProperty("y_pred")));
        AssertClose(c.GetProperty("r2").GetDouble(), RegressionMetrics.R2Score(y, p));
        AssertClose(c.GetProperty("mse").GetDouble(), RegressionMetrics.MeanSquaredError(y, p));
        AssertClose(c.GetProperty("mae").GetDouble(), RegressionMetrics.MeanAbsoluteError(y, p));
        AssertClose(c.GetProperty("explained_variance").GetDouble(), RegressionMetrics.ExplainedVarianceScore(y, p));
        Assert.Equal(-RegressionMetrics.MeanSquaredError(y, p), RegressionMetrics.NegativeMeanSquaredError(y, p));
        Assert.Equal(-RegressionMetrics.MeanAbsoluteError(y, p), RegressionMetrics.NegativeMeanAbsoluteError(y, p));
    }

    [Fact]
    public void R2Score_OneSample_IsNaNAsScikitLearn()
    {
        var one = Vector<double>.Build.Dense(1, 2.0);
        Assert.True(double.IsNaN(RegressionMetrics.R2Score(one, one)));
    }

    [Fact]
    public void Metrics_BadInput_NameTheArgument()
    {
        var y = Vector<double>.Build.DenseOfArray([1.0, 2.0, 3.0]);
        Assert.Throws<ArgumentNullException>(() => RegressionMetrics.R2Score(null!, y));
        Assert.Equal("yPredicted", Assert.Throws<ArgumentException>(() => RegressionMetrics.MeanSquaredError(y, Vector<double>.Build.Dense(2))).ParamName);
        Assert.Equal("yTrue", Assert.Throws<ArgumentException>(() => RegressionMetrics.MeanAbsoluteError(Vector<double>.Build.Dense(0), Vector<double>.Build.Dense(0))).ParamName);
        var bad = y.Clone();
        bad[1] = double.NaN;
        Assert.Equal("yPredicted", Assert.Throws<ArgumentException>(() => RegressionMetrics.ExplainedVarianceScore(y, bad)).ParamName);
    }

    [Fact]
    public void EstimatorScore_IsR2Score()
    {
        var (x, y) = TestData.Diabetes;
        var lasso = new Lasso { Alpha = 0.5 }.Fit(x, y);
        Assert.Equal(RegressionMetrics.R2Score(y, lasso.Predict(x)), lasso.Score(x, y));
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1.0, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");
}
