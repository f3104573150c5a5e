// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class LassoLarsICTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in TestData.Fixture("lars_cases.json").GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("estimator").GetString() == "LassoLarsIC")
            {
                data.Add(c.GetProperty("name").GetString()!);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_FixtureCase_MatchesScikitLearn(string name)
    {
        var c = LarsFixture.Case(name);
        var (x, y) = LarsFixture.Data(c);
        var p = c.GetProperty("params");
        var model = new LassoLarsIC
        {
            Criterion = p.GetProperty("criterion").GetString() == "bic" ? InformationCriterion.Bic : InformationCriterion.Aic,
            FitIntercept = !p.TryGetProperty("fit_intercept", out var fi) || fi.GetBoolean(),
            NoiseVariance = p.TryGetProperty("noise_variance", out var nv) ? nv.GetDouble() : null,
        }.Fit(x, y);

        var alphas = TestData.Doubles(c.GetProperty("alphas"));
        var criterion = TestData.Doubles(c.GetProperty("criterion"));
        Assert.Equal(alphas.Length, model.Alphas.Count);
        for (int k = 0; k < alphas.Length; k++)
        {
            LarsAssert.Close(alphas[k], model.Alphas[k], 1e-8, $"alphas[{k}]");
            LarsAssert.Close(criterion[k], model.CriterionValues[k], 1e-8, $"criterion[{k}]");
        }

        LarsAssert.Close(c.GetProperty("alpha").GetDouble(), model.BestAlpha, 1e-8, "alpha");
        Assert.Equal(model.BestAlpha, model.Alpha);
        LarsAssert.Close(c.GetProperty("noise_variance").GetDouble(), model.FittedNoiseVariance, 1e-8, "noise_variance");
        var coef = TestData.Doubles(c.GetProperty("coef"));
        for (int j = 0; j < coef.Length; j++)
        {
            LarsAssert.Close(coef[j], model.Coefficients[j], 1e-8, $"coef[{j}]");
        }

        LarsAssert.Close(c.GetProperty("intercept").GetDouble(), model.Intercept, 1e-8, "intercept");
    }

    [Theory]
    [InlineData(InformationCriterion.Aic, 60, 8, 1)]
    [InlineData(InformationCriterion.Bic, 60, 8, 2)]
    [InlineData(InformationCriterion.Bic, 200, 30, 3)]
    public void Fit_Criterion_EqualsIndependentComputationFromThePath(InformationCriterion criterion, int n, int p, ulong seed)
    {
        var (x, y) = LarsAssert.Correlated(n, p, seed);
        var model = new LassoLarsIC { Criterion = criterion }.Fit(x, y);

        // σ² from ordinary least squares with an intercept (QR), then the criterion at every knot of the fitted path.
        var design = x.InsertColumn(0, Vector<double>.Build.Dense(n, 1.0));
        var olsResidual = y - (design * design.QR().Solve(y));
        double sigma2 = olsResidual.DotProduct(olsResidual) / (n - p - 1);
        Assert.Equal(sigma2, model.FittedNoiseVariance, 1e-9 * sigma2);

        var (xc, yc) = LarsAssert.Centred(x, y);
        var path = model.CoefficientPath;
        double factor = criterion == InformationCriterion.Aic ? 2.0 : Math.Log(n);
        int best = 0;
        var expected = new double[path.ColumnCount];
        for (int k = 0; k < path.ColumnCount; k++)
        {
            var w = path.Column(k);
            var r = yc - (xc * w);
            int df = w.Count(v => Math.Abs(v) > 2.220446049250313e-16);
            expected[k] = (n * Math.Log(2 * Math.PI * sigma2)) + (r.DotProduct(r) / sigma2) + (factor * df);
            Assert.Equal(expected[k], model.CriterionValues[k], 1e-8 * Math.Abs(expected[k]));
            if (expected[k] < expected[best])
            {
                best = k;
            }
        }

        Assert.Equal(model.Alphas[best], model.BestAlpha);
        Assert.Equal(path.Column(best), model.Coefficients);
        Assert.Equal(y.Average() - (x.ColumnSums() / n).DotProduct(model.Coefficients), model.Intercept, 1e-9 * Math.Abs(y.Average()) + 1e-12);
    }

    [Fact]
    public void Fit_TooFewSamplesWithoutNoiseVariance_Throws()
    {
        var (x, y) = LarsAssert.Correlated(20, 19, 4);
        var e = Assert.Throws<ArgumentException>(() => new LassoLarsIC().Fit(x, y));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("NoiseVariance", e.Message, StringComparison.Ordinal);

        // Without an intercept 20 samples suffice for 19 features; with a given σ² any shape works.
        new LassoLarsIC { FitIntercept = false }.Fit(x, y);
        var (xw, yw) = LarsAssert.Correlated(20, 60, 5);
        var wide = new LassoLarsIC { NoiseVariance = 0.25 }.Fit(xw, yw);
        Assert.Equal(0.25, wide.FittedNoiseVariance);
    }

    [Fact]
    public void BadParameters_Throw()
    {
        var (x, y) = TestData.Diabetes;
        foreach (double bad in new[] { 0.0, -1.0, double.NaN, double.PositiveInfinity })
        {
            Assert.Equal("NoiseVariance", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoLarsIC { NoiseVariance = bad }.Fit(x, y)).ParamName);
        }

        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoLarsIC { MaxIterations = 0 }.Fit(x, y)).ParamName);
        Assert.Equal("Criterion", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoLarsIC { Criterion = (InformationCriterion)5 }.Fit(x, y)).ParamName);
    }

    [Fact]
    public void Fit_NoiseFreeData_PicksTheExactFit()
    {
        var (x, y) = EstimatorChecks.RegressionData(3);
        var model = new LassoLarsIC().Fit(x, y);
        Assert.True(model.Score(x, y) > 1 - 1e-9);
        Assert.DoesNotContain(model.CriterionValues, double.IsNaN);
    }
}
