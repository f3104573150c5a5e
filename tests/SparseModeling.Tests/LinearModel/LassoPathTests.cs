// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class LassoPathTests
{
    [Fact]
    public void Compute_DefaultGrid_StartsAtAlphaMaxAndDecreasesLogarithmically()
    {
        var (x, y) = Centered();
        var path = LassoPath.Compute(x, y, alphaCount: 20, epsilon: 1e-2);
        double alphaMax = x.TransposeThisAndMultiply(y).AbsoluteMaximum() / x.RowCount;
        Assert.Equal(20, path.Alphas.Count);
        Assert.Equal(alphaMax, path.Alphas[0], 1e-12 * alphaMax);
        Assert.Equal(alphaMax * 1e-2, path.Alphas[^1], 1e-12 * alphaMax);
        for (int k = 1; k < 20; k++)
        {
            Assert.Equal(Math.Pow(1e-2, 1.0 / 19), path.Alphas[k] / path.Alphas[k - 1], 1e-12);
        }

        Assert.All(path.Coefficients.Column(0), c => Assert.Equal(0.0, c));
        Assert.Equal(x.ColumnCount, path.Coefficients.RowCount);
    }

    [Fact]
    public void Compute_EachColumn_MatchesLassoAtThatAlpha()
    {
        var (x, y) = Centered();
        var path = LassoPath.Compute(x, y, alphaCount: 10, tolerance: 1e-12, maxIterations: 100000);
        for (int k = 0; k < path.Alphas.Count; k++)
        {
            var lasso = new Lasso { Alpha = path.Alphas[k], FitIntercept = false, Tolerance = 1e-12, MaxIterations = 100000 }.Fit(x, y);
            Assert.True((lasso.Coefficients - path.Coefficients.Column(k)).InfinityNorm() < 1e-6, $"alpha #{k}");
            Assert.True(path.DualGaps[k] < 1e-12 * y.DotProduct(y) / x.RowCount);
        }
    }

    [Fact]
    public void Compute_WideLowNoise_EveryAlphaRunsAPassFromItsWarmStart()
    {
        // The working-set solver (≥ 256 features) used to return the previous α's solution with no pass when its
        // duality gap was already below tol·‖y‖² (a tiny residual), so the path stopped moving; scikit-learn's
        // coordinate descent always runs at least one pass.
        var (x, y) = TestData.SparseRegression(777, 320, 1000, 20);
        var path = LassoPath.Compute(x, y, fitIntercept: true);
        Assert.Equal(100, path.Alphas.Count);
        for (int k = 1; k < path.Alphas.Count; k++)
        {
            if (path.Coefficients.Column(k - 1).AbsoluteMaximum() > 0.0)
            {
                Assert.True((path.Coefficients.Column(k) - path.Coefficients.Column(k - 1)).AbsoluteMaximum() > 0.0, $"alpha #{k}: unchanged");
            }
        }

        Assert.All(path.Iterations, passes => Assert.True(passes >= 1));
    }

    [Fact]
    public void Compute_ExplicitAlphas_SortedDescending()
    {
        var (x, y) = Centered();
        var path = LassoPath.Compute(x, y, alphas: [0.1, 1.0, 0.5]);
        Assert.Equal(new[] { 1.0, 0.5, 0.1 }, path.Alphas.ToArray());
        Assert.Equal(3, path.Iterations.Count);
    }

    [Fact]
    public void Compute_WidePositive_SatisfiesOptimalityConditions()
    {
        var rng = new SplitMix64(17);
        int n = 50, p = 400;
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => rng.NextNormal());
        var y = Vector<double>.Build.Dense(n, i => x[i, 0] - (2 * x[i, 1]) + x[i, 5] + (0.1 * rng.NextNormal()));
        var path = LassoPath.Compute(x, y, alphaCount: 8, epsilon: 0.05, tolerance: 1e-12, maxIterations: 100000, positive: true);
        for (int k = 0; k < path.Alphas.Count; k++)
        {
            var w = path.Coefficients.Column(k);
            var g = x.TransposeThisAndMultiply(y - (x * w)) / n;
            for (int j = 0; j < p; j++)
            {
                Assert.True(w[j] >= 0.0);
                if (w[j] > 0)
                {
                    Assert.Equal(path.Alphas[k], g[j], 1e-6);
                }
                else
                {
                    Assert.True(g[j] <= path.Alphas[k] + 1e-6, $"alpha #{k}, feature {j}: {g[j]} > {path.Alphas[k]}");
                }
            }
        }
    }

    [Fact]
    public void Compute_BadArguments_Throw()
    {
        var (x, y) = Centered();
        Assert.Equal("alphaCount", Assert.Throws<ArgumentOutOfRangeException>(() => LassoPath.Compute(x, y, alphaCount: 0)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => LassoPath.Compute(x, y, epsilon: 0)).ParamName);
        Assert.Equal("alphas", Assert.Throws<ArgumentOutOfRangeException>(() => LassoPath.Compute(x, y, alphas: [0.1, -1])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => LassoPath.Compute(x, y.SubVector(0, 5))).ParamName);
    }

    private static (Matrix<double> X, Vector<double> Y) Centered()
    {
        var (x, y) = TestData.Diabetes;
        for (int j = 0; j < x.ColumnCount; j++)
        {
            x.SetColumn(j, x.Column(j) - x.Column(j).Average());
        }

        return (x, y - y.Average());
    }
}
