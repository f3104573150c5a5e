// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

/// <summary>The convention shared by the path functions (<see cref="RegularizationPath"/>) and the centring behind it (<see cref="CenteredData"/>).</summary>
public class RegularizationPathTests
{
    [Theory]
    [InlineData(60, 20, 1, 1e-2)]
    [InlineData(40, 300, 2, 0.1)] // wide: Lasso and the path centre X implicitly
    public void LassoPath_FitIntercept_PredictsAsLassoAtEachAlpha(int n, int p, ulong seed, double epsilon)
    {
        var (x, y) = OffsetProblem(n, p, seed);
        var path = LassoPath.Compute(x, y, alphaCount: 8, epsilon: epsilon, tolerance: 1e-12, maxIterations: 100_000, fitIntercept: true);
        Assert.Equal(y.Average(), path.Intercepts[0], 1e-10); // w = 0 at α_max: b = ȳ
        for (int k = 0; k < path.Alphas.Count; k++)
        {
            var lasso = new Lasso { Alpha = path.Alphas[k], Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x, y);
            AssertSamePredictions(lasso.Predict(x), PathPrediction(x, path, k), 1e-6, $"α #{k}");
            Assert.True(path.Converged[k], $"α #{k}");
        }
    }

    [Fact]
    public void AdmmPath_FitIntercept_PredictsAsLassoAdmmAtEachAlpha()
    {
        var (x, y) = OffsetProblem(50, 12, 3);
        var path = AdmmPath.Compute(x, y, alphaCount: 6, epsilon: 1e-2, tolerance: 1e-10, maxIterations: 100_000, fitIntercept: true);
        for (int k = 0; k < path.Alphas.Count; k++)
        {
            var admm = new LassoAdmm { Alpha = path.Alphas[k], Tolerance = 1e-10, MaxIterations = 100_000 }.Fit(x, y);
            AssertSamePredictions(admm.Predict(x), PathPrediction(x, path, k), 1e-5, $"α #{k}");
            Assert.True(path.Converged[k], $"α #{k}");
        }
    }

    [Theory]
    [InlineData(60, 15, 4)] // Gram matrix precomputed, X centred in a copy
    [InlineData(30, 80, 5)] // Gram columns from X, centred implicitly
    public void LarsPath_FitIntercept_PredictsAsLassoLarsAtEachKnot(int n, int p, ulong seed)
    {
        var (x, y) = OffsetProblem(n, p, seed);
        var path = LarsPath.Compute(x, y, LarsMethod.Lasso, fitIntercept: true);
        Assert.True(path.Alphas.Count > 3);
        for (int k = 0; k < path.Alphas.Count; k++)
        {
            var lars = new LassoLars { Alpha = path.Alphas[k] }.Fit(x, y);
            AssertSamePredictions(lars.Predict(x), PathPrediction(x, path, k), 1e-8, $"knot #{k}");
        }
    }

    [Fact]
    public void LarsPath_PerKnot_IterationsCountStepsAndKnotsAreConverged()
    {
        var (x, y) = OffsetProblem(40, 10, 6);
        var path = LarsPath.Compute(x, y, LarsMethod.Lar, fitIntercept: true);
        Assert.Equal(Enumerable.Range(0, path.Alphas.Count), path.Iterations);
        Assert.All(path.Converged, c => Assert.True(c));
        var lars = new Lars { NonzeroCoefficients = x.ColumnCount }.Fit(x, y);
        Assert.Equal(lars.Iterations, path.Iterations[^1]);
    }

    [Fact]
    public void AllPaths_PerAlphaLists_HaveOneEntryPerAlpha()
    {
        var (x, y) = OffsetProblem(30, 8, 7);
        RegularizationPath[] paths =
        [
            LassoPath.Compute(x, y, alphaCount: 7),
            LassoPath.Compute(x, y, alphas: [0.5, 0.1], fitIntercept: true),
            AdmmPath.Compute(x, y, alphaCount: 5),
            AdmmPath.Compute(x, y, alphaCount: 5, fitIntercept: false),
            LarsPath.Compute(x, y, LarsMethod.Lar),
            LarsPath.Compute(x, y, LarsMethod.Lasso, fitIntercept: true),
        ];
        foreach (var path in paths)
        {
            int count = path.Alphas.Count;
            Assert.Equal(count, path.Coefficients.ColumnCount);
            Assert.Equal(count, path.Intercepts.Count);
            Assert.Equal(count, path.Iterations.Count);
            Assert.Equal(count, path.Converged.Count);
        }

        Assert.Equal(7, ((LassoPathResult)paths[0]).DualGaps.Count);
    }

    [Fact]
    public void AllPaths_WithoutIntercept_ReportZeroInterceptsAndFitUncentredData()
    {
        var (x, y) = OffsetProblem(30, 8, 8);
        RegularizationPath[] paths =
        [
            LassoPath.Compute(x, y, alphaCount: 4, tolerance: 1e-12, maxIterations: 100_000),
            AdmmPath.Compute(x, y, alphaCount: 4, tolerance: 1e-10, maxIterations: 100_000, fitIntercept: false),
            LarsPath.Compute(x, y, LarsMethod.Lasso),
        ];
        foreach (var path in paths)
        {
            Assert.All(path.Intercepts, b => Assert.Equal(0.0, b));
        }

        // The defaults do not centre (LassoPath, LarsPath) as scikit-learn: the last LassoPath column is Lasso without intercept.
        var lassoPath = paths[0];
        int last = lassoPath.Alphas.Count - 1;
        var lasso = new Lasso { Alpha = lassoPath.Alphas[last], FitIntercept = false, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x, y);
        Assert.True((lasso.Coefficients - lassoPath.Coefficients.Column(last)).InfinityNorm() < 1e-6);
    }

    [Fact]
    public void CenteredData_ImplicitAndExplicitCentring_Agree()
    {
        var (x, y) = OffsetProblem(25, 7, 9);
        var xBefore = x.Clone();
        var yBefore = y.Clone();
        var explicitData = CenteredData.Prepare(x, y, fitIntercept: true);
        var correlations = new double[x.ColumnCount];
        var implicitData = CenteredData.PrepareImplicit(x, y, fitIntercept: true, correlations);
        Assert.Equal(xBefore.ToColumnMajorArray(), x.ToColumnMajorArray());
        Assert.Equal(yBefore.ToArray(), y.ToArray());

        var xc = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, explicitData.X);
        var yc = Vector<double>.Build.Dense(explicitData.Y);
        Assert.True(implicitData.IsImplicitlyCentred);
        Assert.Same(x.AsColumnMajorArray(), implicitData.X);
        Assert.Equal(y.Average(), implicitData.YMean, 1e-12);
        for (int j = 0; j < x.ColumnCount; j++)
        {
            Assert.Equal(0.0, xc.Column(j).Sum(), 1e-10);
            Assert.Equal(x.Column(j).Average(), implicitData.XMean![j], 1e-12);
        }

        var expected = xc.TransposeThisAndMultiply(yc);
        Assert.True((expected - Vector<double>.Build.Dense(correlations)).InfinityNorm() < 1e-9 * expected.InfinityNorm());

        // b = ȳ − x̄ᵀw, and (X − 1x̄ᵀ)w = Xw − Shift(w).
        var w = Vector<double>.Build.Dense(x.ColumnCount, j => j - 3.0);
        Assert.Equal(explicitData.Intercept(w.AsArray()), implicitData.Intercept(w.AsArray()), 1e-10);
        Assert.Equal(y.Average() - (x.ColumnSums() / x.RowCount * w), explicitData.Intercept(w.AsArray()), 1e-10);
        var centredProduct = (x * w) - implicitData.Shift(w.AsArray());
        Assert.True((centredProduct - (xc * w)).InfinityNorm() < 1e-10);
        Assert.Equal(0.0, explicitData.Shift(w.AsArray()));

        // A further target on the same X: centred in place, its own intercept.
        var target = y.Select(v => (2 * v) + 1).ToArray();
        double mean = explicitData.CentreTarget(target);
        Assert.Equal((2 * y.Average()) + 1, mean, 1e-10);
        Assert.Equal(0.0, target.Sum(), 1e-9);

        var plain = CenteredData.Prepare(x, y, fitIntercept: false);
        var untouched = (double[])target.Clone();
        Assert.Equal(0.0, plain.CentreTarget(untouched));
        Assert.Equal(target, untouched);
        Assert.Equal(0.0, plain.Intercept(mean, w.AsArray()));
    }

    /// <summary>Features and target far from zero mean, so that a missing or wrong intercept shows.</summary>
    private static (Matrix<double> X, Vector<double> Y) OffsetProblem(int n, int p, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => rng.NextNormal() + (0.5 * j) - 2.0);
        var y = Vector<double>.Build.Dense(n, i => (2.0 * x[i, 0]) - x[i, 1] + (0.5 * x[i, p - 1]) + 7.0 + (0.3 * rng.NextNormal()));
        return (x, y);
    }

    private static Vector<double> PathPrediction(Matrix<double> x, RegularizationPath path, int k) =>
        (x * path.Coefficients.Column(k)) + path.Intercepts[k];

    private static void AssertSamePredictions(Vector<double> expected, Vector<double> actual, double tolerance, string where)
    {
        double error = (expected - actual).InfinityNorm();
        Assert.True(error <= tolerance * (1.0 + expected.InfinityNorm()), $"{where}: predictions differ by {error}");
    }
}
