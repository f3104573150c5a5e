// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class LassoAdmmTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void Fit_SpmImageToyLine_ReachesExactOptimum(double alpha)
    {
        // spm-image's toy case (scikit-learn's): X = [[-1], [0], [1]], y = [-1, 0, 1]. With one centred
        // feature the Lasso optimum is S(xᵀy/n, α)/(xᵀx/n): 0.85 at α = 0.1, 0.25 at 0.5, 0 at 1.
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { -1 }, { 0 }, { 1 } });
        var y = Vector<double>.Build.DenseOfArray([-1, 0, 1]);
        double xty = 2.0 / 3.0, xtx = 2.0 / 3.0;
        double expected = Math.Max(xty - alpha, 0.0) / xtx;
        var model = new LassoAdmm { Alpha = alpha, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x, y);
        Assert.True(model.Converged);
        Assert.Equal(expected, model.Coefficients[0], 1e-9);
        Assert.Equal(0.0, model.Intercept, 1e-12);
        if (expected == 0.0)
        {
            Assert.Equal(0.0, model.Coefficients[0]);
        }
    }

    [Fact]
    public void Fit_SpmImageToyLineDefaults_CloseToOptimum()
    {
        // With the default tolerance spm-image stops at 0.254 for α = 0.5; the residual rule lands nearer 0.25.
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { -1 }, { 0 }, { 1 } });
        var y = Vector<double>.Build.DenseOfArray([-1, 0, 1]);
        var model = new LassoAdmm { Alpha = 0.5 }.Fit(x, y);
        Assert.True(model.Converged);
        Assert.Equal(0.25, model.Coefficients[0], 1e-3);
    }

    [Fact]
    public void Fit_IdentityMultiTarget_ReachesOptimalObjective()
    {
        // spm-image's issue-39 case: X = I₄, three targets, α = 0.05, with intercept. Since the centred X
        // is the centring projector P, (w*, b*) = (S(y − ȳ, nα), ȳ) satisfies the optimality conditions
        // whenever Σw* = 0 (checked below): the residual y − w* − b* = (y − ȳ) − w* sums to zero (b
        // optimal) and (1/n)·(y − ȳ − w*)ⱼ ∈ α·∂|w*ⱼ| (w optimal). The optimum is not unique (w* + c·1 for
        // |c| ≤ 0.3 is optimal too), so compare objectives.
        var x = Matrix<double>.Build.DenseIdentity(4);
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 1, 0 }, { 1, 0, 1 }, { 0, 1, 0 }, { 0, 0, 1 } });
        const double alpha = 0.05;
        int n = 4;
        var model = new LassoAdmm { Alpha = alpha, Tolerance = 1e-10, MaxIterations = 100_000 }.Fit(x, y);
        Assert.True(model.Converged);
        var coefficients = model.CoefficientMatrix;
        Assert.Equal(3, coefficients.RowCount);
        Assert.Equal(4, coefficients.ColumnCount);
        for (int k = 0; k < 3; k++)
        {
            var yk = y.Column(k);
            double mean = yk.Average();
            var candidate = (yk - mean).Map(v => Math.Sign(v) * Math.Max(Math.Abs(v) - (n * alpha), 0.0));
            Assert.Equal(0.0, candidate.Sum(), 1e-15);
            var residual = yk - mean - candidate;
            for (int j = 0; j < n; j++)
            {
                double g = residual[j] / n;
                Assert.True(candidate[j] == 0.0 ? Math.Abs(g) <= alpha + 1e-15 : Math.Abs(g - (alpha * Math.Sign(candidate[j]))) < 1e-15);
            }

            double optimum = LassoIstaTests.Objective(x, yk, candidate, mean, alpha);
            double reached = LassoIstaTests.Objective(x, yk, coefficients.Row(k), model.Intercepts[k], alpha);
            Assert.True(Math.Abs(reached - optimum) < 1e-9, $"target {k}: objective {reached}, optimum {optimum}");
        }
    }

    [Theory]
    [InlineData(60, 200, 0.05)]
    [InlineData(200, 30, 0.02)]
    [InlineData(200, 30, 0.0)]
    public void Fit_RandomData_ReachesCoordinateDescentOptimum(int n, int p, double alpha)
    {
        // Wide data takes the Woodbury path (n×n factor), tall data the direct p×p factor.
        var (x, y) = LassoIstaTests.WideProblem((ulong)(n + p), n, p);
        var cd = new Lasso { Alpha = alpha, Tolerance = 1e-14, MaxIterations = 1_000_000 }.Fit(x, y);
        var admm = new LassoAdmm { Alpha = alpha, Tolerance = 1e-12, MaxIterations = 1_000_000 }.Fit(x, y);
        Assert.True(admm.Converged);
        double optimum = LassoIstaTests.Objective(x, y, cd.Coefficients, cd.Intercept, alpha);
        double reached = LassoIstaTests.Objective(x, y, admm.Coefficients, admm.Intercept, alpha);
        Assert.True(Math.Abs(reached - optimum) < 1e-6, $"objective {reached}, CD optimum {optimum}");
        LassoIstaTests.AssertClose(cd.Coefficients, admm.Coefficients, 1e-5);
    }

    [Fact]
    public void Fit_Diabetes_ReachesCoordinateDescentOptimum()
    {
        var (x, y) = TestData.Diabetes;
        var cd = new Lasso { Alpha = 0.1, Tolerance = 1e-14, MaxIterations = 1_000_000 }.Fit(x, y);
        var admm = new LassoAdmm { Alpha = 0.1, Rho = 0.01, Tolerance = 1e-12, MaxIterations = 1_000_000 }.Fit(x, y);
        Assert.True(admm.Converged);
        double optimum = LassoIstaTests.Objective(x, y, cd.Coefficients, cd.Intercept, 0.1);
        double reached = LassoIstaTests.Objective(x, y, admm.Coefficients, admm.Intercept, 0.1);
        Assert.True(Math.Abs(reached - optimum) < 1e-6, $"objective {reached}, CD optimum {optimum}");
    }

    [Fact]
    public void Fit_MultiTarget_EqualsSingleTargetFits()
    {
        var (x, y0) = LassoIstaTests.WideProblem(21, 50, 120);
        var y1 = y0.Map(v => (0.5 * v) - 1.0) + x.Column(3);
        var y = Matrix<double>.Build.DenseOfColumnVectors(y0, y1);
        var multi = new LassoAdmm { Alpha = 0.05, Tolerance = 1e-8 }.Fit(x, y);
        var prediction = multi.PredictTargets(x);
        for (int k = 0; k < 2; k++)
        {
            var single = new LassoAdmm { Alpha = 0.05, Tolerance = 1e-8 }.Fit(x, y.Column(k));
            Assert.Equal(single.Coefficients.ToArray(), multi.CoefficientMatrix.Row(k).ToArray());
            Assert.Equal(single.Intercept, multi.Intercepts[k]);
            Assert.Equal(single.Predict(x).ToArray(), prediction.Column(k).ToArray(), (a, b) => Math.Abs(a - b) <= 1e-12 * (1 + Math.Abs(a)));
        }

        Assert.Throws<InvalidOperationException>(() => multi.Coefficients);
        Assert.Throws<InvalidOperationException>(() => multi.Intercept);
        Assert.Throws<InvalidOperationException>(() => multi.Predict(x));
    }

    [Fact]
    public void SaveLoad_MultiTarget_RoundTripsBitIdentically()
    {
        var (x, y0) = LassoIstaTests.WideProblem(22, 30, 40);
        var y = Matrix<double>.Build.DenseOfColumnVectors(y0, y0.Map(v => -v), y0 + 1.0);
        var model = new LassoAdmm { Alpha = 0.1, Rho = 2.5 }.Fit(x, y);
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<LassoAdmm>(stream);
        Assert.Equal(2.5, loaded.Rho);
        Assert.Equal(model.CoefficientMatrix.ToColumnMajorArray(), loaded.CoefficientMatrix.ToColumnMajorArray());
        Assert.Equal(model.Intercepts.ToArray(), loaded.Intercepts.ToArray());
        Assert.Equal(model.PredictTargets(x).ToColumnMajorArray(), loaded.PredictTargets(x).ToColumnMajorArray());
        Assert.Throws<InvalidOperationException>(() => loaded.Coefficients);
    }

    [Fact]
    public void OnIteration_ReportsObjectiveAndPrimalResidual()
    {
        var (x, y) = LassoIstaTests.WideProblem(23, 40, 80);
        var infos = new List<AdmmIterationInfo>();
        var model = new LassoAdmm { Alpha = 0.05, OnIteration = infos.Add }.Fit(x, y);
        Assert.Equal(model.Iterations, infos.Count);
        Assert.Equal(LassoIstaTests.Objective(x, y, model.Coefficients, model.Intercept, 0.05), infos[^1].Objective, 1e-9);
        Assert.True(infos[^1].PrimalResidual < infos[0].PrimalResidual);
    }

    [Fact]
    public void Fit_BadParameters_ThrowNamedOutOfRange()
    {
        var (x, y) = LassoIstaTests.WideProblem(24, 20, 10);
        Assert.Equal("Rho", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoAdmm { Rho = 0 }.Fit(x, y)).ParamName);
        Assert.Equal("Rho", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoAdmm { Rho = -1 }.Fit(x, y)).ParamName);
        Assert.Equal("Alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoAdmm { Alpha = -0.1 }.Fit(x, y)).ParamName);
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoAdmm { MaxIterations = 0 }.Fit(x, y)).ParamName);
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoAdmm { Tolerance = double.NaN }.Fit(x, y)).ParamName);
    }

    [Fact]
    public void Fit_MultiTargetBadInput_ThrowsNamedExceptionAndKeepsModel()
    {
        var (x, y0) = LassoIstaTests.WideProblem(25, 20, 10);
        var y = Matrix<double>.Build.DenseOfColumnVectors(y0, y0 * 2.0);
        var model = new LassoAdmm { Alpha = 0.1 }.Fit(x, y);
        var before = model.CoefficientMatrix;

        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => model.Fit(x, (Matrix<double>)null!)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => model.Fit(null!, y)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => model.Fit(x, y.SubMatrix(0, 19, 0, 2))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => model.Fit(x, Matrix<double>.Build.Dense(20, 0))).ParamName);
        var bad = y.Clone();
        bad[7, 1] = double.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => model.Fit(x, bad));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("row 7, column 1", e.Message, StringComparison.Ordinal);
        Assert.True(double.IsPositiveInfinity(bad[7, 1]));
        Assert.Equal(before.ToColumnMajorArray(), model.CoefficientMatrix.ToColumnMajorArray());
    }

    [Fact]
    public void Path_SpmImageToyLine_SortsDescendingAndMatchesClosedForm()
    {
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { -1 }, { 0 }, { 1 } });
        var y = Vector<double>.Build.DenseOfArray([-1, 0, 1]);
        var path = AdmmPath.Compute(x, y, alphas: [1e-8, 0.1, 0.5, 1], tolerance: 1e-12, maxIterations: 100_000);
        Assert.Equal([1, 0.5, 0.1, 1e-8], path.Alphas.ToArray());
        for (int k = 0; k < 4; k++)
        {
            double expected = Math.Max((2.0 / 3.0) - path.Alphas[k], 0.0) / (2.0 / 3.0);
            Assert.Equal(expected, path.Coefficients[0, k], 1e-9);
            Assert.True(path.Converged[k]);
        }
    }

    [Fact]
    public void Path_DefaultGrid_MatchesSingleFitsAndStartsAtZero()
    {
        var (x, y) = LassoIstaTests.WideProblem(26, 40, 90);
        var path = AdmmPath.Compute(x, y, alphaCount: 8, epsilon: 1e-2, tolerance: 1e-10, maxIterations: 100_000);
        Assert.Equal(8, path.Alphas.Count);
        Assert.All(path.Coefficients.Column(0), c => Assert.Equal(0.0, c));
        for (int k = 1; k < 8; k++)
        {
            Assert.True(path.Alphas[k] < path.Alphas[k - 1]);
            double alpha = path.Alphas[k];
            var cd = new Lasso { Alpha = alpha, Tolerance = 1e-14, MaxIterations = 1_000_000 }.Fit(x, y);
            double reached = LassoIstaTests.Objective(x, y, path.Coefficients.Column(k), path.Intercepts[k], alpha);
            double optimum = LassoIstaTests.Objective(x, y, cd.Coefficients, cd.Intercept, alpha);
            Assert.True(Math.Abs(reached - optimum) < 1e-7, $"α = {alpha}: objective {reached}, optimum {optimum}");
        }
    }

    [Fact]
    public void Path_BadInput_Throws()
    {
        var (x, y) = LassoIstaTests.WideProblem(27, 10, 5);
        Assert.Equal("alphas", Assert.Throws<ArgumentOutOfRangeException>(() => AdmmPath.Compute(x, y, alphas: [0.1, -0.1])).ParamName);
        Assert.Equal("alphas", Assert.Throws<ArgumentException>(() => AdmmPath.Compute(x, y, alphas: [])).ParamName);
        Assert.Equal("rho", Assert.Throws<ArgumentOutOfRangeException>(() => AdmmPath.Compute(x, y, rho: 0)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => AdmmPath.Compute(x, y.SubVector(0, 9))).ParamName);
    }
}
