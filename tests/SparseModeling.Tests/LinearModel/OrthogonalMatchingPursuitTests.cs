// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class OrthogonalMatchingPursuitTests
{
    public static TheoryData<int> DiabetesCases() => Indices(TestData.Fixture("omp_diabetes.json").GetProperty("cases").GetArrayLength());

    public static TheoryData<int, int> RandomCases()
    {
        var data = new TheoryData<int, int>();
        var problems = TestData.Fixture("omp_random.json").GetProperty("problems");
        for (int p = 0; p < problems.GetArrayLength(); p++)
        {
            for (int c = 0; c < problems[p].GetProperty("cases").GetArrayLength(); c++)
            {
                data.Add(p, c);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DiabetesCases))]
    public void Fit_Diabetes_MatchesScikitLearnFixture(int index)
    {
        var c = TestData.Fixture("omp_diabetes.json").GetProperty("cases")[index];
        var (x, y) = TestData.Diabetes;
        AssertMatchesCase(c, x, y);
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void Fit_RandomProblem_MatchesScikitLearnFixture(int problem, int index)
    {
        var p = TestData.Fixture("omp_random.json").GetProperty("problems")[problem];
        var x = Matrix<double>.Build.DenseOfRowArrays(p.GetProperty("X").EnumerateArray().Select(TestData.Doubles));
        var y = Vector<double>.Build.DenseOfArray(TestData.Doubles(p.GetProperty("y")));
        AssertMatchesCase(p.GetProperty("cases")[index], x, y);
    }

    [Fact]
    public void Fit_Default_ChoosesTenPercentOfFeaturesAsScikitLearn()
    {
        var (x, y) = TestData.Diabetes;
        var model = new OrthogonalMatchingPursuit().Fit(x, y);
        Assert.Equal(1, model.Coefficients.Count(v => v != 0.0));

        var rng = new SplitMix64(3);
        var wide = Matrix<double>.Build.Dense(60, 35, (i, j) => rng.NextNormal());
        var target = Vector<double>.Build.Dense(60, i => wide[i, 0] - (2 * wide[i, 7]) + wide[i, 20] + (0.5 * wide[i, 30]));
        var fitted = new OrthogonalMatchingPursuit().Fit(wide, target);
        var explicitCount = new OrthogonalMatchingPursuit { NonzeroCoefficients = 3 }.Fit(wide, target);
        Assert.Equal(3, fitted.Coefficients.Count(v => v != 0.0));
        Assert.Equal(explicitCount.Coefficients.ToArray(), fitted.Coefficients.ToArray());
    }

    [Fact]
    public void Fit_AllFeatures_EqualsLeastSquares()
    {
        var (x, y) = TestData.Diabetes;
        var model = new OrthogonalMatchingPursuit { NonzeroCoefficients = x.ColumnCount, FitIntercept = false }.Fit(x, y);
        var expected = x.Solve(y); // QR least squares, an independent computation
        for (int j = 0; j < expected.Count; j++)
        {
            Assert.Equal(expected[j], model.Coefficients[j], 1e-8 * Math.Max(1.0, Math.Abs(expected[j])));
        }

        var residual = y - (x * model.Coefficients);
        Assert.Equal(residual * residual, model.ResidualSquaredNorm, 1e-6 * (residual * residual));
    }

    [Fact]
    public void Fit_WideDataWithLargeColumnOffsets_EqualsTheFitOnCentredData()
    {
        // Wide data is centred implicitly (no copy of X): with columns far from zero the result must still
        // be the pursuit on X − 1x̄ᵀ, computed here on an explicitly centred copy without intercept.
        var (x, y) = RandomProblem(40, 120, 5);
        var shifted = x.Clone();
        for (int j = 0; j < shifted.ColumnCount; j++)
        {
            double offset = 1e4 * (1 + (j % 7));
            shifted.SetColumn(j, shifted.Column(j) + offset);
        }

        var model = new OrthogonalMatchingPursuit { NonzeroCoefficients = 8 }.Fit(shifted, y);
        var centred = shifted.Clone();
        for (int j = 0; j < centred.ColumnCount; j++)
        {
            var column = centred.Column(j);
            centred.SetColumn(j, column - column.Average());
        }

        var expected = new OrthogonalMatchingPursuit { NonzeroCoefficients = 8, FitIntercept = false }.Fit(centred, y - y.Average());
        for (int j = 0; j < expected.Coefficients.Count; j++)
        {
            Assert.Equal(expected.Coefficients[j] != 0.0, model.Coefficients[j] != 0.0);
            Assert.Equal(expected.Coefficients[j], model.Coefficients[j], 1e-7 * Math.Max(1.0, Math.Abs(expected.Coefficients[j])));
        }

        var residual = y - (shifted * model.Coefficients) - model.Intercept;
        Assert.Equal(expected.ResidualSquaredNorm, residual * residual, 1e-7 * expected.ResidualSquaredNorm);
        Assert.Equal(expected.ResidualSquaredNorm, model.ResidualSquaredNorm, 1e-7 * expected.ResidualSquaredNorm);
    }

    [Fact]
    public void Fit_ResidualOrthogonalToChosenFeatures()
    {
        // The least-squares refit makes the residual orthogonal to every chosen column (on centred data).
        var (x, y) = RandomProblem(30, 60, 3);
        var model = new OrthogonalMatchingPursuit { NonzeroCoefficients = 7 }.Fit(x, y);
        var residual = y - (x * model.Coefficients) - model.Intercept;
        Assert.True(Math.Abs(residual.Sum()) < 1e-9 * y.L2Norm());
        var w = model.Coefficients;
        for (int j = 0; j < w.Count; j++)
        {
            if (w[j] != 0.0)
            {
                Assert.True(Math.Abs(x.Column(j) * residual) < 1e-9 * x.Column(j).L2Norm() * y.L2Norm(), $"feature {j}");
            }
        }
    }

    [Fact]
    public void Fit_ToleranceSet_OverridesNonzeroCoefficientsAndMeetsIt()
    {
        var (x, y) = RandomProblem(40, 25, 4);
        double tolerance = 0.5;
        var model = new OrthogonalMatchingPursuit { NonzeroCoefficients = 1, Tolerance = tolerance }.Fit(x, y);
        var residual = y - (x * model.Coefficients) - model.Intercept;
        Assert.True(residual * residual <= tolerance * (1 + 1e-9));
        Assert.True(model.Iterations > 1);
        Assert.True(model.Converged);

        // One feature fewer does not meet the tolerance: the pursuit stopped at the first count that does.
        var shorter = new OrthogonalMatchingPursuit { NonzeroCoefficients = model.Iterations - 1 }.Fit(x, y);
        Assert.True(shorter.ResidualSquaredNorm > tolerance);
    }

    [Fact]
    public void Fit_NoiseFreeSparseSignal_RecoversSupport()
    {
        var (x, y) = RandomProblem(50, 100, 5, noise: 0.0);
        var model = new OrthogonalMatchingPursuit { NonzeroCoefficients = 5 }.Fit(x, y);
        var w = model.Coefficients;
        for (int j = 0; j < 5; j++)
        {
            Assert.Equal(j + 1.0, w[j], 1e-10);
        }

        Assert.Equal(5, w.Count(v => v != 0.0));
        Assert.Equal(2.0, model.Intercept, 1e-10);
    }

    [Fact]
    public void Fit_NearlyCollinearFeature_StopsEarlyNotConverged()
    {
        var rng = new SplitMix64(5);
        var x = Matrix<double>.Build.Dense(20, 2);
        for (int i = 0; i < 20; i++)
        {
            x[i, 0] = rng.NextNormal();
            x[i, 1] = x[i, 0] + (1e-7 * rng.NextNormal());
        }

        var y = Vector<double>.Build.Dense(20, _ => rng.NextNormal());
        var model = new OrthogonalMatchingPursuit { NonzeroCoefficients = 2, FitIntercept = false }.Fit(x, y);
        Assert.Equal(1, model.Iterations);
        Assert.False(model.Converged);
        Assert.Equal(1, model.Coefficients.Count(v => v != 0.0));
    }

    [Fact]
    public void Fit_TargetOrthogonalToFeatures_ReturnsZero()
    {
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 0, 1 }, { 0, 0 } });
        var y = Vector<double>.Build.DenseOfArray([0, 0, 1]);
        var model = new OrthogonalMatchingPursuit { NonzeroCoefficients = 2, FitIntercept = false }.Fit(x, y);
        Assert.Equal(0, model.Iterations);
        Assert.All(model.Coefficients, v => Assert.Equal(0.0, v));
        Assert.Equal(1.0, model.ResidualSquaredNorm);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(11)]
    public void Fit_NonzeroCoefficientsOutOfRange_ThrowsAndKeepsModel(int count)
    {
        var (x, y) = TestData.Diabetes;
        var model = new OrthogonalMatchingPursuit { NonzeroCoefficients = 2 }.Fit(x, y);
        var before = model.Coefficients;
        model.NonzeroCoefficients = count;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y));
        Assert.Equal(nameof(OrthogonalMatchingPursuit.NonzeroCoefficients), e.ParamName);
        Assert.Contains(count.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Coefficients);
    }

    [Fact]
    public void Fit_NegativeTolerance_Throws()
    {
        var (x, y) = TestData.Diabetes;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new OrthogonalMatchingPursuit { Tolerance = -1 }.Fit(x, y));
        Assert.Equal(nameof(OrthogonalMatchingPursuit.Tolerance), e.ParamName);
    }

    [Fact]
    public void Fit_Cancelled_Throws()
    {
        var (x, y) = RandomProblem(20, 50, 3);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => new OrthogonalMatchingPursuit().Fit(x, y, cts.Token));
    }

    /// <summary>X = N(0,1) (seeded), w = (1, 2, …, k, 0, …), y = Xw + 2 + noise·N(0,1).</summary>
    internal static (Matrix<double> X, Vector<double> Y) RandomProblem(int n, int p, int k, double noise = 0.1, ulong seed = 3)
    {
        var rng = new SplitMix64(seed);
        var x = Matrix<double>.Build.Dense(n, p, (_, _) => rng.NextNormal());
        var w = Vector<double>.Build.Dense(p, j => j < k ? j + 1.0 : 0.0);
        var y = (x * w) + 2.0 + Vector<double>.Build.Dense(n, _ => noise * rng.NextNormal());
        return (x, y);
    }

    private static void AssertMatchesCase(JsonElement c, Matrix<double> x, Vector<double> y)
    {
        var parameters = c.GetProperty("params");
        var model = new OrthogonalMatchingPursuit
        {
            // Our default differs from scikit-learn's (see NonzeroCoefficients), so pass the count it resolved.
            NonzeroCoefficients = c.GetProperty("n_nonzero_coefs_").ValueKind == JsonValueKind.Number ? c.GetProperty("n_nonzero_coefs_").GetInt32() : null,
            Tolerance = parameters.TryGetProperty("tol", out var tol) ? tol.GetDouble() : null,
            FitIntercept = !parameters.TryGetProperty("fit_intercept", out var fi) || fi.GetBoolean(),
        }.Fit(x, y);
        var expected = TestData.Doubles(c.GetProperty("coef"));
        var actual = model.Coefficients;
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.True(
                Math.Abs(expected[j] - actual[j]) <= 1e-8 * Math.Max(1.0, Math.Abs(expected[j])),
                $"{c.GetProperty("call").GetString()}: coef[{j}] expected {expected[j]}, got {actual[j]}");
        }

        double intercept = c.GetProperty("intercept").GetDouble();
        Assert.True(Math.Abs(intercept - model.Intercept) <= 1e-8 * Math.Max(1.0, Math.Abs(intercept)), $"intercept expected {intercept}, got {model.Intercept}");
        Assert.Equal(c.GetProperty("n_iter").GetInt32(), model.Iterations);
    }

    private static TheoryData<int> Indices(int count)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }
}
