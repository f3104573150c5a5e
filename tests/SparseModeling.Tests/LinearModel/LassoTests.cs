// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class LassoTests
{
    public static TheoryData<int> FixtureCases()
    {
        var data = new TheoryData<int>();
        int count = TestData.Fixture("lasso_diabetes.json").GetProperty("cases").GetArrayLength();
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
        var c = TestData.Fixture("lasso_diabetes.json").GetProperty("cases")[index];
        var (x, y) = TestData.Diabetes;
        double alpha = c.GetProperty("alpha").GetDouble();
        bool intercept = !c.TryGetProperty("fit_intercept", out var fi) || fi.GetBoolean();
        bool positive = c.TryGetProperty("positive", out var pos) && pos.GetBoolean();
        CoordinateDescentRegressor model = c.GetProperty("estimator").GetString() == "ElasticNet"
            ? new ElasticNet { L1Ratio = c.GetProperty("l1_ratio").GetDouble() }
            : new Lasso();

        // The fixture holds the optimum (scikit-learn run to tol = 1e-12), so solve to the same tolerance.
        model.Alpha = alpha;
        model.FitIntercept = intercept;
        model.Positive = positive;
        model.Tolerance = 1e-12;
        model.MaxIterations = 1_000_000;
        ((IRegressor)model).Fit(x, y);

        var expected = TestData.Doubles(c.GetProperty("coef"));
        var actual = model.Coefficients;
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.True(Math.Abs(expected[j] - actual[j]) <= 1e-6, $"coef[{j}]: expected {expected[j]}, got {actual[j]}");
        }

        Assert.Equal(c.GetProperty("intercept").GetDouble(), model.Intercept, 1e-6);
        Assert.True(model.Converged);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.3)]
    public void Fit_TightTolerance_SatisfiesOptimalityConditions(double alpha)
    {
        var (x, y) = TestData.Diabetes;
        var model = new Lasso { Alpha = alpha, Tolerance = 1e-12, MaxIterations = 100000 }.Fit(x, y);
        var w = model.Coefficients;
        var residual = y - (x * w) - model.Intercept;
        Assert.True(Math.Abs(residual.Sum()) < 1e-6 * y.Count, "the intercept must make the residual sum zero");

        // KKT: (1/n)·xⱼᵀr = α·sign(wⱼ) on the support and |(1/n)·xⱼᵀr| ≤ α off it (on centred X).
        var xc = x.Clone();
        for (int j = 0; j < x.ColumnCount; j++)
        {
            double mean = x.Column(j).Average();
            xc.SetColumn(j, x.Column(j) - mean);
        }

        var correlation = xc.TransposeThisAndMultiply(residual) / x.RowCount;
        for (int j = 0; j < w.Count; j++)
        {
            if (w[j] != 0)
            {
                Assert.Equal(alpha * Math.Sign(w[j]), correlation[j], 1e-6);
            }
            else
            {
                Assert.True(Math.Abs(correlation[j]) <= alpha + 1e-6);
            }
        }
    }

    [Fact]
    public void Fit_AlphaAboveAlphaMax_AllCoefficientsZero()
    {
        var (x, y) = TestData.Diabetes;
        var xc = x - Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => x.Column(j).Average());
        double alphaMax = xc.TransposeThisAndMultiply(y - y.Average()).AbsoluteMaximum() / x.RowCount;
        var model = new Lasso { Alpha = alphaMax * 1.0001 }.Fit(x, y);
        Assert.All(model.Coefficients, c => Assert.Equal(0.0, c));
        Assert.Equal(y.Average(), model.Intercept, 1e-9);
        var below = new Lasso { Alpha = alphaMax * 0.99 }.Fit(x, y);
        Assert.Contains(below.Coefficients, c => c != 0.0);
    }

    [Fact]
    public void Fit_WideProblemWithWorkingSets_MatchesCyclicSolverToTolerance()
    {
        // p ≥ 256 takes the working-set path; both solvers must reach the same optimum.
        var rng = new SplitMix64(5);
        int n = 60, p = 300;
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => rng.NextNormal());
        var wTrue = Vector<double>.Build.Dense(p, j => j < 8 ? (j % 2 == 0 ? 2.0 : -1.5) : 0.0);
        var y = (x * wTrue) + Vector<double>.Build.Dense(n, i => 0.05 * rng.NextNormal());
        var fast = new Lasso { Alpha = 0.05, Tolerance = 1e-10, MaxIterations = 100000 }.Fit(x, y);
        var slow = new Lasso { Alpha = 0.05, Tolerance = 1e-10, MaxIterations = 100000, Selection = CoordinateSelection.Random, RandomSeed = 3 }.Fit(x, y);
        Assert.True(fast.Converged && slow.Converged);
        Assert.True((fast.Coefficients - slow.Coefficients).InfinityNorm() < 1e-4);
        Assert.Equal(slow.Intercept, fast.Intercept, 1e-4);
        Assert.True(fast.DualGap < 1e-10 * (y - y.Average()).DotProduct(y - y.Average()) / n);
    }

    [Fact]
    public void Fit_WideDataWithLargeOffsets_ImplicitCentringMatchesExplicitCentring()
    {
        // Wide data is centred on the fly; it must agree with fitting explicitly centred data without intercept.
        var rng = new SplitMix64(9);
        int n = 40, p = 280;
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => 1000.0 + j + rng.NextNormal());
        var y = Vector<double>.Build.Dense(n, i => (2.0 * (x[i, 3] - 1003.0)) - (x[i, 100] - 1100.0) + 50.0 + (0.01 * rng.NextNormal()));
        var xc = x.Clone();
        for (int j = 0; j < p; j++)
        {
            xc.SetColumn(j, x.Column(j) - x.Column(j).Average());
        }

        var implicitFit = new Lasso { Alpha = 0.05, Tolerance = 1e-12, MaxIterations = 100000 }.Fit(x, y);
        var explicitFit = new Lasso { Alpha = 0.05, Tolerance = 1e-12, MaxIterations = 100000, FitIntercept = false }.Fit(xc, y - y.Average());
        Assert.True((implicitFit.Coefficients - explicitFit.Coefficients).InfinityNorm() < 1e-6);
        Assert.Equal(y.Average() - x.ColumnSums().DotProduct(implicitFit.Coefficients) / n, implicitFit.Intercept, 1e-6);
    }

    [Fact]
    public void OnIteration_ReportsDecreasingObjectiveAndFinalGap()
    {
        var (x, y) = TestData.Diabetes;
        var infos = new List<CoordinateDescentIterationInfo>();
        var model = new Lasso { Alpha = 0.1, OnIteration = infos.Add }.Fit(x, y);
        Assert.Equal(model.Iterations, infos.Count);
        for (int k = 1; k < infos.Count; k++)
        {
            Assert.True(infos[k].Objective <= infos[k - 1].Objective + 1e-9, $"objective rose at iteration {k + 1}");
        }

        Assert.Equal(model.DualGap, infos[^1].DualGap, 1e-9);
    }

    [Fact]
    public void Fit_Cancelled_ThrowsAndKeepsPreviousModel()
    {
        var (x, y) = TestData.Diabetes;
        var model = new Lasso { Alpha = 0.1 }.Fit(x, y);
        var before = model.Coefficients;
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        model.Alpha = 0.01;
        Assert.ThrowsAny<OperationCanceledException>(() => model.Fit(x, y, cts.Token));
        Assert.Equal(before, model.Coefficients);
    }

    [Fact]
    public void Fit_WarmStart_StartsFromPreviousSolution()
    {
        var (x, y) = TestData.Diabetes;
        var model = new Lasso { Alpha = 0.01, WarmStart = true, Tolerance = 1e-8, MaxIterations = 100000 }.Fit(x, y);
        int cold = model.Iterations;
        model.Fit(x, y);
        Assert.True(model.Iterations < cold, $"warm restart took {model.Iterations} passes, cold {cold}");
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Fit_InvalidAlpha_ThrowsNamingAlpha(double alpha)
    {
        var (x, y) = TestData.Diabetes;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Lasso { Alpha = alpha }.Fit(x, y));
        Assert.Equal("Alpha", e.ParamName);
    }

    [Fact]
    public void Fit_NaNInX_MessageNamesRowAndColumn()
    {
        var (x, y) = TestData.Diabetes;
        x[7, 3] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => new Lasso().Fit(x, y));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("row 7, column 3", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Fit_TallDataNeedingManyPasses_MovesToTheGramMatrixAndMatchesLars(bool fitIntercept)
    {
        // Strongly correlated columns make coordinate descent take many passes, so the tall strategy runs its plain
        // passes and then continues on the Gram matrix; the passes must number on, the objective never rise, and the
        // optimum be the exact one of LARS.
        var rng = new SplitMix64(41);
        int n = 600, p = 40;
        var common = Vector<double>.Build.Dense(n, _ => rng.NextNormal());
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => common[i] + (0.3 * rng.NextNormal()) + 2.0);
        var y = Vector<double>.Build.Dense(n, i => x[i, 0] - x[i, 1] + (0.5 * x[i, 2]) + rng.NextNormal() + 5.0);
        var infos = new List<CoordinateDescentIterationInfo>();
        const double Alpha = 0.002;
        var lasso = new Lasso { Alpha = Alpha, FitIntercept = fitIntercept, Tolerance = 1e-12, MaxIterations = 100_000, OnIteration = infos.Add }.Fit(x, y);
        Assert.True(lasso.Converged);
        Assert.True(lasso.Iterations > CoordinateDescentSolver.GramSwitchPasses, $"only {lasso.Iterations} passes: the test no longer reaches the Gram phase");
        Assert.Equal(Enumerable.Range(1, lasso.Iterations), infos.Select(i => i.Iteration));
        for (int k = 1; k < infos.Count; k++)
        {
            Assert.True(infos[k].Objective <= infos[k - 1].Objective + 1e-12, $"objective rose at pass {k + 1}");
        }

        var lars = new LassoLars { Alpha = Alpha, FitIntercept = fitIntercept }.Fit(x, y);
        for (int j = 0; j < p; j++)
        {
            Assert.Equal(lars.Coefficients[j], lasso.Coefficients[j], 1e-6);
        }

        Assert.Equal(lars.Intercept, lasso.Intercept, 1e-5);
    }
}
