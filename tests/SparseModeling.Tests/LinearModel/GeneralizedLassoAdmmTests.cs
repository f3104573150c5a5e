// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;
using Xunit.Abstractions;

namespace SparseModeling.Tests.LinearModel;

public class GeneralizedLassoAdmmTests(ITestOutputHelper output)
{
    private static readonly JsonElement Fixture = TestData.Fixture("generalized_lasso_spmimage.json");

    public static TheoryData<int> SpmImageCases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Fixture.GetProperty("cases").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    internal static (Matrix<double> X, Vector<double> Y) Problem(string name)
    {
        var problem = Fixture.GetProperty("problems").GetProperty(name);
        int rows = problem.GetProperty("rows").GetInt32(), columns = problem.GetProperty("columns").GetInt32();
        var x = Matrix<double>.Build.DenseOfRowMajor(rows, columns, TestData.Doubles(problem.GetProperty("x")));
        return (x, Vector<double>.Build.Dense(TestData.Doubles(problem.GetProperty("y"))));
    }

    internal static DifferenceLassoBase Create(JsonElement testCase)
    {
        DifferenceLassoBase model = testCase.GetProperty("estimator").GetString() switch
        {
            "FusedLassoAdmm" => new FusedLassoAdmm(),
            "TrendFilteringAdmm" => new TrendFilteringAdmm(),
            _ => new QuadraticTrendFilteringAdmm(),
        };
        foreach (var parameter in testCase.GetProperty("parameters").EnumerateObject())
        {
            var property = model.GetType().GetProperty(parameter.Name)!;
            property.SetValue(model, parameter.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? parameter.Value.GetBoolean() : parameter.Value.GetDouble());
        }

        return model;
    }

    /// <summary>
    /// spm-image's own test data and parameters: the fit reaches the optimum of the stated objective (an independent dual
    /// solve) to 1e-6 relative, reports convergence, and is never worse than where spm-image's cost-change rule stopped.
    /// </summary>
    [Theory]
    [MemberData(nameof(SpmImageCases))]
    public void Fit_SpmImageTestData_ReachesTheOptimum(int index)
    {
        var testCase = Fixture.GetProperty("cases")[index];
        var (x, y) = Problem(testCase.GetProperty("problem").GetString()!);
        var model = Create(testCase);
        model.Tolerance = 1e-12;
        model.MaxIterations = 1_000_000;
        ((IRegressor)model).Fit(x, y);
        var d = model.GenerateTransformMatrix(x.ColumnCount);
        var (wStar, bStar, _) = GeneralizedLassoReference.Solve(x, y, d, model.Alpha, model.FitIntercept);
        double optimum = GeneralizedLassoReference.Objective(x, y, d, model.Alpha, wStar, bStar);
        double ours = GeneralizedLassoReference.Objective(x, y, d, model.Alpha, model.Coefficients, model.Intercept);
        double spm = GeneralizedLassoReference.Objective(x, y, d, model.Alpha, Vector<double>.Build.Dense(TestData.Doubles(testCase.GetProperty("coef"))), testCase.GetProperty("intercept").GetDouble());
        output.WriteLine($"{testCase.GetProperty("call").GetString()}: optimum {optimum:R} , ours {ours:R} in {model.Iterations}, spm-image {spm:R} in {testCase.GetProperty("n_iter").GetInt32()}; |w − w*|∞ = {(model.Coefficients - wStar).InfinityNorm():E2}");
        Assert.True(model.Converged);
        Assert.True(Math.Abs(ours - optimum) <= 1e-6 * Math.Max(optimum, 1e-3), $"objective {ours:R} against the optimum {optimum:R}");
        Assert.True(ours <= spm + (1e-9 * Math.Max(1.0, spm)), $"objective {ours:R} worse than spm-image's {spm:R}");
    }

    [Fact]
    public void GenerateTransformMatrix_MatchesSpmImage()
    {
        foreach (var entry in Fixture.GetProperty("transform_matrices").EnumerateArray())
        {
            DifferenceLassoBase model = entry.GetProperty("estimator").GetString() switch
            {
                "FusedLassoAdmm" => new FusedLassoAdmm(),
                "TrendFilteringAdmm" => new TrendFilteringAdmm(),
                _ => new QuadraticTrendFilteringAdmm(),
            };
            model.SparseCoefficient = entry.GetProperty("sparse_coef").GetDouble();
            model.TrendCoefficient = entry.GetProperty("trend_coef").GetDouble();
            int n = entry.GetProperty("n").GetInt32();
            if (entry.TryGetProperty("error", out _))
            {
                var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.GenerateTransformMatrix(n));
                Assert.Equal("featureCount", e.ParamName);
                continue;
            }

            var d = model.GenerateTransformMatrix(n);
            int rows = entry.GetProperty("rows").GetInt32();
            Assert.Equal(rows, d.RowCount);
            Assert.Equal(n, d.ColumnCount);
            Assert.Equal(Matrix<double>.Build.DenseOfRowMajor(rows, n, TestData.Doubles(entry.GetProperty("d"))), d);
        }
    }

    /// <summary>
    /// A signal (X = I, X = 2I): the banded system (with the Sherman–Morrison centring when an intercept is fitted) gives the
    /// fit of the dense Cholesky path, reached here through <see cref="GeneralizedLassoAdmm"/> with the same D written out.
    /// </summary>
    [Theory]
    [InlineData(1, false, 1.0)]
    [InlineData(1, true, 1.0)]
    [InlineData(2, false, 2.0)]
    [InlineData(2, true, 1.0)]
    [InlineData(3, true, 2.0)]
    public void Fit_DiagonalX_BandedPathMatchesDensePath(int order, bool fitIntercept, double scale)
    {
        const int p = 120;
        var rng = new Random(order);
        var y = Vector<double>.Build.Dense(p, i => Math.Sin(i / 9.0) + (i > 60 ? 1.0 : 0.0) + (0.3 * (rng.NextDouble() - 0.5)));
        var x = scale * Matrix<double>.Build.DenseIdentity(p);
        DifferenceLassoBase structured = order switch
        {
            1 => new FusedLassoAdmm(),
            2 => new TrendFilteringAdmm(),
            _ => new QuadraticTrendFilteringAdmm(),
        };
        structured.Alpha = 0.002;
        structured.SparseCoefficient = 0.2;
        structured.TrendCoefficient = 1.0;
        structured.FitIntercept = fitIntercept;
        structured.Rho = 0.05;
        structured.Tolerance = 1e-10;
        structured.MaxIterations = 100_000;
        ((IRegressor)structured).Fit(x, y);
        var dense = new GeneralizedLassoAdmm { TransformMatrix = structured.GenerateTransformMatrix(p), Alpha = 0.002, FitIntercept = fitIntercept, Rho = 0.05, Tolerance = 1e-10, MaxIterations = 100_000 }.Fit(x, y);
        Assert.True(structured.Converged);
        Assert.True(dense.Converged);
        Assert.Equal(dense.Iterations, structured.Iterations, 2.0);
        for (int j = 0; j < p; j++)
        {
            Assert.Equal(dense.Coefficients[j], structured.Coefficients[j], 1e-7);
        }

        Assert.Equal(dense.Intercept, structured.Intercept, 1e-7);
    }

    [Fact]
    public void Fit_SparseTransformMatrix_MatchesDense()
    {
        var (x, y) = Problem("trend_8x5");
        var d = new TrendFilteringAdmm { SparseCoefficient = 0.5 }.GenerateTransformMatrix(5);
        var dense = new GeneralizedLassoAdmm { TransformMatrix = d, Alpha = 0.3 }.Fit(x, y);
        var sparse = new GeneralizedLassoAdmm { TransformMatrix = Matrix<double>.Build.SparseOfMatrix(d), Alpha = 0.3 }.Fit(x, y);
        Assert.Equal(dense.Iterations, sparse.Iterations);
        for (int j = 0; j < 5; j++)
        {
            Assert.Equal(dense.Coefficients[j], sparse.Coefficients[j], 1e-10);
        }
    }

    /// <summary>With TrendCoefficient = 0 the fused Lasso is the Lasso with α·SparseCoefficient: the coordinate-descent optimum.</summary>
    [Fact]
    public void Fit_TrendCoefficientZero_IsTheLasso()
    {
        var (x, y) = TestData.Diabetes;
        var fused = new FusedLassoAdmm { Alpha = 0.5, SparseCoefficient = 0.2, TrendCoefficient = 0.0, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x, y);
        var lasso = new Lasso { Alpha = 0.1, Tolerance = 1e-14, MaxIterations = 100_000 }.Fit(x, y);
        for (int j = 0; j < x.ColumnCount; j++)
        {
            Assert.Equal(lasso.Coefficients[j], fused.Coefficients[j], 1e-6 * lasso.Coefficients.InfinityNorm());
        }
    }

    [Fact]
    public void Fit_BadInput_ThrowsNamingTheCauseAndKeepsTheModel()
    {
        var (x, y) = Problem("fused_8x4");
        var model = new GeneralizedLassoAdmm();
        Assert.Throws<InvalidOperationException>(() => model.Fit(x, y));
        model.TransformMatrix = Matrix<double>.Build.DenseIdentity(5);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(x, y));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("TransformMatrix has 5 columns", e.Message, StringComparison.Ordinal);
        var d = Matrix<double>.Build.DenseIdentity(4);
        d[2, 1] = double.NaN;
        model.TransformMatrix = d;
        e = Assert.Throws<ArgumentException>(() => model.Fit(x, y));
        Assert.Equal("TransformMatrix", e.ParamName);
        Assert.Contains("row 2, column 1", e.Message, StringComparison.Ordinal);
        model.TransformMatrix = Matrix<double>.Build.SparseOfMatrix(d);
        e = Assert.Throws<ArgumentException>(() => model.Fit(x, y));
        Assert.Equal("TransformMatrix", e.ParamName);
        Assert.Contains("row 2, column 1", e.Message, StringComparison.Ordinal);

        model.TransformMatrix = Matrix<double>.Build.DenseIdentity(4);
        model.Fit(x, y);
        var fitted = model.Coefficients;
        model.Rho = 0.0;
        Assert.Equal("Rho", Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y)).ParamName);
        model.Rho = 1.0;
        model.Alpha = -1.0;
        Assert.Equal("Alpha", Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y)).ParamName);
        Assert.Equal(fitted, model.Coefficients);

        var fused = new FusedLassoAdmm { SparseCoefficient = -0.5 };
        Assert.Equal("SparseCoefficient", Assert.Throws<ArgumentOutOfRangeException>(() => fused.Fit(x, y)).ParamName);
        fused = new FusedLassoAdmm { TrendCoefficient = double.NaN };
        Assert.Equal("TrendCoefficient", Assert.Throws<ArgumentOutOfRangeException>(() => fused.Fit(x, y)).ParamName);
        Assert.Equal("TrendCoefficient", Assert.Throws<ArgumentOutOfRangeException>(() => fused.GenerateTransformMatrix(4)).ParamName);
        e = Assert.Throws<ArgumentException>(() => new TrendFilteringAdmm().Fit(x.SubMatrix(0, 8, 0, 1), y));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("at least 2 features", e.Message, StringComparison.Ordinal);

        // One feature is enough for the fused Lasso and quadratic trend filtering (T has no rows: D = I).
        Assert.True(new QuadraticTrendFilteringAdmm().Fit(x.SubMatrix(0, 8, 0, 1), y).Converged);
        Assert.True(new FusedLassoAdmm().Fit(x.SubMatrix(0, 8, 0, 1), y).Converged);
    }
}
