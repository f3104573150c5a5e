// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class LassoLarsTests
{
    public static TheoryData<string> EstimatorCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in TestData.Fixture("lars_cases.json").GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("estimator").GetString() != "LassoLarsIC")
            {
                data.Add(c.GetProperty("name").GetString()!);
            }
        }

        return data;
    }

    [Fact]
    public void Fit_DiabetesAlpha01_MatchesScikitLearnFixture()
    {
        var expected = TestData.Fixture("lars_diabetes.json").GetProperty("lasso_lars_alpha_0.1");
        var (x, y) = TestData.Diabetes;
        var model = new LassoLars { Alpha = 0.1 }.Fit(x, y);
        var coef = TestData.Doubles(expected.GetProperty("coef"));
        for (int j = 0; j < coef.Length; j++)
        {
            LarsAssert.Close(coef[j], model.Coefficients[j], 1e-8, $"coef[{j}]");
        }

        LarsAssert.Close(expected.GetProperty("intercept").GetDouble(), model.Intercept, 1e-8, "intercept");
        Assert.True(model.Converged);
        Assert.Equal(0.1, model.Alphas[^1]);
    }

    [Theory]
    [MemberData(nameof(EstimatorCases))]
    public void Fit_FixtureCase_MatchesScikitLearn(string name)
    {
        var c = LarsFixture.Case(name);
        var (x, y) = LarsFixture.Data(c);
        var p = c.GetProperty("params");
        bool intercept = !p.TryGetProperty("fit_intercept", out var fi) || fi.GetBoolean();
        LarsRegressor model = c.GetProperty("estimator").GetString() == "Lars"
            ? new Lars { NonzeroCoefficients = p.GetProperty("n_nonzero_coefs").GetInt32(), FitIntercept = intercept }.Fit(x, y)
            : new LassoLars { Alpha = p.GetProperty("alpha").GetDouble(), FitIntercept = intercept }.Fit(x, y);

        LarsAssert.PathEqual(c.GetProperty("alphas"), c.GetProperty("active"), c.GetProperty("coef_path"), model.Alphas, model.Active, model.CoefficientPath, 1e-8);
        var coef = TestData.Doubles(c.GetProperty("coef"));
        for (int j = 0; j < coef.Length; j++)
        {
            LarsAssert.Close(coef[j], model.Coefficients[j], 1e-8, $"coef[{j}]");
        }

        LarsAssert.Close(c.GetProperty("intercept").GetDouble(), model.Intercept, 1e-8, "intercept");
    }

    [Theory]
    [InlineData(50, 20, 0.05, 1)]
    [InlineData(50, 20, 0.5, 2)]
    [InlineData(40, 300, 0.1, 3)]
    [InlineData(40, 300, 0.02, 4)]
    [InlineData(300, 40, 0.01, 5)]
    public void Fit_RandomData_EqualsCoordinateDescentOptimum(int n, int p, double alphaFraction, ulong seed)
    {
        var (x, y) = LarsAssert.Correlated(n, p, seed);
        var (xc, yc) = LarsAssert.Centred(x, y);
        double alpha = alphaFraction * xc.TransposeThisAndMultiply(yc).InfinityNorm() / n;
        var lars = new LassoLars { Alpha = alpha }.Fit(x, y);
        var cd = new Lasso { Alpha = alpha, Tolerance = 1e-14, MaxIterations = 1_000_000 }.Fit(x, y);
        Assert.True(lars.Converged);
        for (int j = 0; j < p; j++)
        {
            Assert.True(Math.Abs(lars.Coefficients[j] - cd.Coefficients[j]) <= 1e-6, $"coef[{j}]: LARS {lars.Coefficients[j]} vs CD {cd.Coefficients[j]}");
        }

        Assert.Equal(cd.Intercept, lars.Intercept, 1e-6);
        LarsAssert.LassoKkt(x, y, lars.Coefficients, lars.Intercept, alpha, 1e-9 * alpha);
    }

    [Theory]
    [InlineData(50, 20, 6)]
    [InlineData(40, 300, 7)]
    public void Fit_Positive_EqualsCoordinateDescentOptimum(int n, int p, ulong seed)
    {
        var (x, y) = LarsAssert.Correlated(n, p, seed);
        const double alpha = 0.05;
        var lars = new LassoLars { Alpha = alpha, Positive = true }.Fit(x, y);
        var cd = new Lasso { Alpha = alpha, Positive = true, Tolerance = 1e-14, MaxIterations = 1_000_000 }.Fit(x, y);
        Assert.All(lars.Coefficients.ToArray(), w => Assert.True(w >= 0.0));
        for (int j = 0; j < p; j++)
        {
            Assert.True(Math.Abs(lars.Coefficients[j] - cd.Coefficients[j]) <= 1e-6, $"coef[{j}]: LARS {lars.Coefficients[j]} vs CD {cd.Coefficients[j]}");
        }
    }

    [Theory]
    [InlineData(1e-9)]
    [InlineData(1e6)]
    public void Fit_ScaledTargets_ScaleTheSolution(double scale)
    {
        // The Lasso is equivariant: (X, s·y, s·α) has the solution s·w. scikit-learn's absolute
        // α tolerance returns 0 for s = 1e-9; ours shrinks with the scale of the problem.
        var (x, y) = LarsAssert.Correlated(60, 30, 10);
        var reference = new LassoLars { Alpha = 0.05 }.Fit(x, y);
        var scaled = new LassoLars { Alpha = 0.05 * scale }.Fit(x, y * scale);
        Assert.Equal(reference.Active, scaled.Active);
        for (int j = 0; j < 30; j++)
        {
            Assert.Equal(reference.Coefficients[j], scaled.Coefficients[j] / scale, 1e-9 * (1 + Math.Abs(reference.Coefficients[j])));
        }
    }

    [Fact]
    public void Fit_AlphaAboveAlphaMax_GivesZeroAndTheMean()
    {
        var (x, y) = TestData.Diabetes;
        var model = new LassoLars { Alpha = 5.0 }.Fit(x, y);
        Assert.All(model.Coefficients.ToArray(), w => Assert.Equal(0.0, w));
        Assert.Equal(y.Average(), model.Intercept, 1e-12);
        Assert.Equal(0, model.Iterations);
    }

    [Fact]
    public void Fit_AlphaZero_GivesLeastSquares()
    {
        var (x, y) = TestData.Diabetes;
        var model = new LassoLars { Alpha = 0.0 }.Fit(x, y);
        var design = x.InsertColumn(0, Vector<double>.Build.Dense(x.RowCount, 1.0));
        var ols = design.Solve(y);
        for (int j = 0; j < 10; j++)
        {
            Assert.Equal(ols[j + 1], model.Coefficients[j], 1e-8 * (1 + Math.Abs(ols[j + 1])));
        }

        Assert.Equal(ols[0], model.Intercept, 1e-8 * Math.Abs(ols[0]));
    }

    [Fact]
    public void Fit_MaxIterationsReached_IsNotConverged()
    {
        var (x, y) = TestData.Diabetes;
        var model = new LassoLars { Alpha = 0.01, MaxIterations = 3 }.Fit(x, y);
        Assert.False(model.Converged);
        Assert.Equal(3, model.Iterations);
        Assert.Equal(3, model.Coefficients.Count(w => w != 0.0));
    }

    [Fact]
    public void Fit_OnIteration_ReportsEveryStepWithItsAlpha()
    {
        var (x, y) = TestData.Diabetes;
        var seen = new List<LarsIterationInfo>();
        var model = new LassoLars { Alpha = 0.01, OnIteration = seen.Add }.Fit(x, y);
        Assert.Equal(model.Iterations, seen.Count);
        Assert.Equal(Enumerable.Range(1, seen.Count), seen.Select(i => i.Iteration));
        var alphas = model.Alphas;
        for (int k = 0; k < seen.Count - 1; k++)
        {
            Assert.Equal(alphas[k + 1], seen[k].Alpha, 1e-9);
            var w = model.CoefficientPath.Column(k + 1);
            var (xc, yc) = LarsAssert.Centred(x, y);
            double objective = ((yc - (xc * w)).L2Norm() * (yc - (xc * w)).L2Norm() / (2 * x.RowCount)) + (alphas[k + 1] * w.L1Norm());
            Assert.Equal(objective, seen[k].Objective, 1e-6 * objective);
        }
    }

    [Fact]
    public void Lars_NonzeroCoefficients_IsRespected()
    {
        var (x, y) = LarsAssert.Correlated(40, 100, 9);
        foreach (int k in new[] { 1, 5, 17 })
        {
            var model = new Lars { NonzeroCoefficients = k }.Fit(x, y);
            Assert.Equal(k, model.Active.Count);
            Assert.Equal(k, model.Coefficients.Count(w => w != 0.0));
            Assert.Equal(k, model.Iterations);
            Assert.True(model.Converged);
        }
    }

    [Fact]
    public void Lars_Default_RunsTheWholePathToLeastSquares()
    {
        var (x, y) = TestData.Diabetes;
        var model = new Lars().Fit(x, y);
        Assert.Equal(10, model.Active.Count);
        var design = x.InsertColumn(0, Vector<double>.Build.Dense(x.RowCount, 1.0));
        var ols = design.Solve(y);
        for (int j = 0; j < 10; j++)
        {
            Assert.Equal(ols[j + 1], model.Coefficients[j], 1e-8 * (1 + Math.Abs(ols[j + 1])));
        }
    }

    [Fact]
    public void BadParameters_Throw_AndLeaveTheModelUnchanged()
    {
        var (x, y) = TestData.Diabetes;
        var lars = new Lars { NonzeroCoefficients = 3 }.Fit(x, y);
        var before = lars.Coefficients;
        lars.NonzeroCoefficients = 0;
        Assert.Equal("NonzeroCoefficients", Assert.Throws<ArgumentOutOfRangeException>(() => lars.Fit(x, y)).ParamName);
        lars.NonzeroCoefficients = -4;
        Assert.Throws<ArgumentOutOfRangeException>(() => lars.Fit(x, y));
        lars.NonzeroCoefficients = x.ColumnCount + 1;
        Assert.Contains("11", Assert.Throws<ArgumentOutOfRangeException>(() => lars.Fit(x, y)).Message, StringComparison.Ordinal);
        Assert.Equal(before, lars.Coefficients);

        var lassoLars = new LassoLars { Alpha = 0.1 }.Fit(x, y);
        before = lassoLars.Coefficients;
        foreach (double bad in new[] { -1.0, double.NaN, double.PositiveInfinity })
        {
            lassoLars.Alpha = bad;
            Assert.Equal("Alpha", Assert.Throws<ArgumentOutOfRangeException>(() => lassoLars.Fit(x, y)).ParamName);
        }

        lassoLars.Alpha = 0.1;
        lassoLars.MaxIterations = 0;
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => lassoLars.Fit(x, y)).ParamName);
        Assert.Equal(before, lassoLars.Coefficients);
    }

    [Fact]
    public void Fit_Cancelled_KeepsThePreviousModel()
    {
        var (x, y) = TestData.Diabetes;
        var model = new LassoLars { Alpha = 0.1 }.Fit(x, y);
        var before = model.Coefficients;
        using var source = new CancellationTokenSource();
        source.Cancel();
        model.Alpha = 0.01;
        Assert.Throws<OperationCanceledException>(() => model.Fit(x, y, source.Token));
        Assert.Equal(before, model.Coefficients);
    }

    [Fact]
    public void SaveLoad_KeepsThePath()
    {
        var (x, y) = TestData.Diabetes;
        var model = new LassoLars { Alpha = 0.05 }.Fit(x, y);
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<LassoLars>(stream);
        Assert.Equal(model.Alphas, loaded.Alphas);
        Assert.Equal(model.Active, loaded.Active);
        Assert.Equal(model.CoefficientPath, loaded.CoefficientPath);
        Assert.Equal(0.05, loaded.Alpha);
    }
}

/// <summary>Access to <c>lars_cases.json</c> (scikit-learn 1.2.1 fits; see TestData/generators/lars_cases.py).</summary>
internal static class LarsFixture
{
    public static JsonElement Case(string name) =>
        TestData.Fixture("lars_cases.json").GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static (Matrix<double> X, Vector<double> Y) Data(JsonElement c)
    {
        if (c.GetProperty("data").GetString() == "diabetes")
        {
            return TestData.Diabetes;
        }

        var root = TestData.Fixture("lars_cases.json");
        var rows = root.GetProperty("wide_x").EnumerateArray().Select(TestData.Doubles).ToArray();
        return (Matrix<double>.Build.DenseOfRowArrays(rows), Vector<double>.Build.Dense(TestData.Doubles(root.GetProperty("wide_y"))));
    }
}
