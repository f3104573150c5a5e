// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class LarsPathTests
{
    [Theory]
    [InlineData("lar", LarsMethod.Lar)]
    [InlineData("lasso", LarsMethod.Lasso)]
    public void Compute_Diabetes_MatchesScikitLearnFixture(string key, LarsMethod method)
    {
        var expected = TestData.Fixture("lars_diabetes.json").GetProperty("paths").GetProperty(key);
        var (x, y) = TestData.Diabetes;
        var path = LarsPath.Compute(x, y, method);
        LarsAssert.PathEqual(expected.GetProperty("alphas"), expected.GetProperty("active"), expected.GetProperty("coefs"), path.Alphas, path.Active, path.Coefficients, 1e-8);
        Assert.Equal(path.Alphas.Count - 1, path.Iterations[^1]);
    }

    [Theory]
    [InlineData(LarsMethod.Lar)]
    [InlineData(LarsMethod.Lasso)]
    public void Compute_FromDataAndFromGram_AgreeAlongThePath(LarsMethod method)
    {
        // More samples than features: the Gram matrix is precomputed; the batched Gram columns from X must give the same path.
        var (x, y) = LarsAssert.Correlated(60, 25, 3);
        var fromGram = LarsProblem.Create(x, y, fitIntercept: true, precompute: true).Solve(method, 0.0, 500, false, null, default);
        var fromData = LarsProblem.Create(x, y, fitIntercept: true, precompute: false).Solve(method, 0.0, 500, false, null, default);
        Assert.Equal(fromGram.Active, fromData.Active);
        Assert.Equal(fromGram.Knots, fromData.Knots);
        for (int k = 0; k < fromGram.Knots; k++)
        {
            Assert.Equal(fromGram.Alphas[k], fromData.Alphas[k], 1e-10 * fromGram.Alphas[0]);
        }

        for (int i = 0; i < fromGram.Path.Length; i++)
        {
            Assert.True(Math.Abs(fromGram.Path[i] - fromData.Path[i]) <= 1e-8 * (1 + Math.Abs(fromGram.Path[i])), $"path entry {i}: {fromGram.Path[i]} vs {fromData.Path[i]}");
        }
    }

    [Theory]
    [InlineData(30, 12, 1)]
    [InlineData(40, 120, 2)]
    [InlineData(200, 50, 3)]
    public void Compute_Lar_KnotsHaveEqualActiveCorrelations(int n, int p, ulong seed)
    {
        // LAR (Efron et al. 2004, eq. 2.13–2.15): at every knot each active feature's |xⱼᵀr|/n equals α_k and no inactive one exceeds it.
        var (x, y) = LarsAssert.Correlated(n, p, seed);
        var path = LarsPath.Compute(x, y, LarsMethod.Lar);
        var active = new HashSet<int>();
        for (int k = 0; k < path.Alphas.Count; k++)
        {
            var w = path.Coefficients.Column(k);
            var correlation = x.TransposeThisAndMultiply(y - (x * w)) / n;
            double alpha = path.Alphas[k];
            double scale = 1e-9 * path.Alphas[0];
            if (k > 0)
            {
                active.Add(path.Active[k - 1]);
            }

            for (int j = 0; j < p; j++)
            {
                if (active.Contains(j))
                {
                    Assert.True(Math.Abs(Math.Abs(correlation[j]) - alpha) <= scale, $"knot {k}, active {j}: |c| {Math.Abs(correlation[j])} vs α {alpha}");
                }
                else
                {
                    Assert.True(Math.Abs(correlation[j]) <= alpha + scale, $"knot {k}, inactive {j}: |c| {Math.Abs(correlation[j])} > α {alpha}");
                }
            }
        }

        if (n > p)
        {
            // The path ends at least squares.
            var ols = x.Solve(y);
            var last = path.Coefficients.Column(path.Alphas.Count - 1);
            Assert.True((ols - last).InfinityNorm() <= 1e-8 * (1 + ols.InfinityNorm()));
        }
    }

    [Fact]
    public void Compute_Lar_CoefficientCrossingZero_StaysActiveAndOneFeatureJoinsPerStep()
    {
        // On these data LAR coefficients cross zero (scikit-learn 1.2.1 flips signs there and skips
        // additions, so its path leaves LAR); as in the paper, each step adds exactly one feature.
        var (x, y) = LarsAssert.Correlated(40, 120, 2);
        var path = LarsPath.Compute(x, y, LarsMethod.Lar);
        int crossings = 0;
        for (int k = 1; k < path.Alphas.Count; k++)
        {
            for (int j = 0; j < 120; j++)
            {
                crossings += path.Coefficients[j, k - 1] * path.Coefficients[j, k] < 0 ? 1 : 0;
            }
        }

        Assert.True(crossings > 0);
        Assert.Equal(path.Alphas.Count - 1, path.Active.Count);

        // Nothing is centred, so the path ends when n = 40 features interpolate y.
        Assert.Equal(40, path.Active.Count);
        Assert.Equal(0.0, path.Alphas[^1]);
        Assert.True((y - (x * path.Coefficients.Column(path.Alphas.Count - 1))).InfinityNorm() < 1e-9 * y.InfinityNorm());
    }

    [Theory]
    [InlineData(30, 12, 4)]
    [InlineData(40, 120, 5)]
    [InlineData(200, 50, 6)]
    [InlineData(25, 400, 7)]
    public void Compute_Lasso_EveryKnotSatisfiesKkt(int n, int p, ulong seed)
    {
        // At every knot the coefficients solve the Lasso at that knot's α: |xⱼᵀr|/n ≤ α, with equality and the sign of wⱼ on the support.
        var (x, y) = LarsAssert.Correlated(n, p, seed);
        var path = LarsPath.Compute(x, y, LarsMethod.Lasso);
        for (int k = 0; k < path.Alphas.Count; k++)
        {
            LarsAssert.LassoKkt(x, y, path.Coefficients.Column(k), 0.0, path.Alphas[k], 1e-9 * path.Alphas[0]);
        }
    }

    [Fact]
    public void Compute_AlphaMin_InterpolatesTheLastKnot()
    {
        var (x, y) = TestData.Diabetes;
        var full = LarsPath.Compute(x, y, LarsMethod.Lasso);
        var cut = LarsPath.Compute(x, y, LarsMethod.Lasso, alphaMin: 0.5);
        Assert.Equal(0.5, cut.Alphas[^1]);
        int k = cut.Alphas.Count - 1;
        double a0 = full.Alphas[k - 1], a1 = full.Alphas[k];
        Assert.True(a0 > 0.5 && a1 < 0.5);
        var expected = full.Coefficients.Column(k - 1) + (((a0 - 0.5) / (a0 - a1)) * (full.Coefficients.Column(k) - full.Coefficients.Column(k - 1)));
        Assert.True((expected - cut.Coefficients.Column(k)).InfinityNorm() < 1e-9);
        LarsAssert.LassoKkt(x, y, cut.Coefficients.Column(k), 0.0, 0.5, 1e-9);
    }

    [Fact]
    public void Compute_MaxIterations_LimitsSteps()
    {
        var (x, y) = TestData.Diabetes;
        var path = LarsPath.Compute(x, y, LarsMethod.Lar, maxIterations: 3);
        Assert.Equal(4, path.Alphas.Count);
        Assert.Equal(3, path.Active.Count);
        Assert.Equal(3, path.Iterations[^1]);
    }

    [Fact]
    public void Compute_AlphaMinAboveAlphaMax_ReturnsZeroAtAlphaMin()
    {
        var (x, y) = TestData.Diabetes;
        var path = LarsPath.Compute(x, y, LarsMethod.Lasso, alphaMin: 10.0);
        Assert.Equal([10.0], path.Alphas.ToArray());
        Assert.Empty(path.Active);
        Assert.All(path.Coefficients.Column(0).ToArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Compute_DuplicateColumn_IsSetAsideAndThePathEndsAtLeastSquares()
    {
        var (x0, y) = LarsAssert.Correlated(50, 6, 8);
        var x = x0.Append(x0.Column(2).ToColumnMatrix());   // column 6 repeats column 2
        var path = LarsPath.Compute(x, y, LarsMethod.Lar);
        Assert.False(path.Active.Contains(2) && path.Active.Contains(6));
        var fitted = x * path.Coefficients.Column(path.Alphas.Count - 1);
        var ols = x0 * x0.Solve(y);
        Assert.True((fitted - ols).InfinityNorm() < 1e-8 * (1 + ols.InfinityNorm()));
    }

    [Fact]
    public void Compute_BadArguments_Throw()
    {
        var (x, y) = TestData.Diabetes;
        Assert.Throws<ArgumentNullException>(() => LarsPath.Compute(null!, y));
        Assert.Throws<ArgumentNullException>(() => LarsPath.Compute(x, null!));
        Assert.Equal("alphaMin", Assert.Throws<ArgumentOutOfRangeException>(() => LarsPath.Compute(x, y, alphaMin: -1)).ParamName);
        Assert.Equal("alphaMin", Assert.Throws<ArgumentOutOfRangeException>(() => LarsPath.Compute(x, y, alphaMin: double.NaN)).ParamName);
        Assert.Equal("maxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => LarsPath.Compute(x, y, maxIterations: 0)).ParamName);
        Assert.Equal("method", Assert.Throws<ArgumentOutOfRangeException>(() => LarsPath.Compute(x, y, (LarsMethod)7)).ParamName);
        Assert.Equal("positive", Assert.Throws<ArgumentException>(() => LarsPath.Compute(x, y, LarsMethod.Lar, positive: true)).ParamName);
        var xb = x.Clone();
        xb[3, 4] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => LarsPath.Compute(xb, y));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("row 3, column 4", e.Message, StringComparison.Ordinal);
        var yb = y.Clone();
        yb[2] = double.PositiveInfinity;
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => LarsPath.Compute(x, yb)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => LarsPath.Compute(x, y.SubVector(0, 10))).ParamName);
    }

    [Fact]
    public void Compute_Cancelled_Throws()
    {
        var (x, y) = TestData.Diabetes;
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.Throws<OperationCanceledException>(() => LarsPath.Compute(x, y, cancellationToken: source.Token));
    }
}

/// <summary>Shared checks and data of the LARS tests.</summary>
internal static class LarsAssert
{
    /// <summary>A regression problem with correlated features (pairs share a common factor), 4 relevant features, noise.</summary>
    public static (Matrix<double> X, Vector<double> Y) Correlated(int n, int p, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var common = Vector<double>.Build.Dense(n, _ => rng.NextNormal());
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => rng.NextNormal() + (0.7 * common[i]) + 0.3);
        var w = Vector<double>.Build.Dense(p);
        for (int j = 0; j < Math.Min(4, p); j++)
        {
            w[j * p / 4] = (j % 2 == 0 ? 1.0 : -1.0) * (1.0 + j);
        }

        var noise = Vector<double>.Build.Dense(n, _ => rng.NextNormal());
        return (x, (x * w) + (0.5 * noise) + 2.0);
    }

    /// <summary>Centred copies of X and y (column means and mean removed).</summary>
    public static (Matrix<double> X, Vector<double> Y) Centred(Matrix<double> x, Vector<double> y)
    {
        var xc = x.Clone();
        for (int j = 0; j < x.ColumnCount; j++)
        {
            xc.SetColumn(j, x.Column(j) - x.Column(j).Average());
        }

        return (xc, y - y.Average());
    }

    /// <summary>The Lasso optimality conditions at α for (w, b) on the raw data, to <paramref name="tolerance"/> on the correlations.</summary>
    public static void LassoKkt(Matrix<double> x, Vector<double> y, Vector<double> w, double intercept, double alpha, double tolerance)
    {
        var correlation = x.TransposeThisAndMultiply(y - (x * w) - intercept) / x.RowCount;
        for (int j = 0; j < w.Count; j++)
        {
            if (w[j] != 0.0)
            {
                Assert.True(Math.Abs(correlation[j] - (alpha * Math.Sign(w[j]))) <= tolerance, $"feature {j}: correlation {correlation[j]} vs α·sign = {alpha * Math.Sign(w[j])}");
            }
            else
            {
                Assert.True(Math.Abs(correlation[j]) <= alpha + tolerance, $"feature {j}: |correlation| {Math.Abs(correlation[j])} > α {alpha}");
            }
        }
    }

    /// <summary>A fixture path (alphas, active, coefs as features × knots) against ours, relative tolerance on each value.</summary>
    public static void PathEqual(JsonElement alphas, JsonElement active, JsonElement coefs, Vector<double> actualAlphas, IReadOnlyList<int> actualActive, Matrix<double> actualCoefs, double tolerance)
    {
        var expectedAlphas = TestData.Doubles(alphas);
        Assert.Equal(expectedAlphas.Length, actualAlphas.Count);
        for (int k = 0; k < expectedAlphas.Length; k++)
        {
            Close(expectedAlphas[k], actualAlphas[k], tolerance, $"alphas[{k}]");
        }

        Assert.Equal(active.EnumerateArray().Select(e => e.GetInt32()).ToArray(), actualActive.ToArray());
        var rows = coefs.EnumerateArray().Select(TestData.Doubles).ToArray();
        Assert.Equal(rows.Length, actualCoefs.RowCount);
        Assert.Equal(expectedAlphas.Length, actualCoefs.ColumnCount);
        for (int j = 0; j < rows.Length; j++)
        {
            for (int k = 0; k < rows[j].Length; k++)
            {
                Close(rows[j][k], actualCoefs[j, k], tolerance, $"coefs[{j}, {k}]");
            }
        }
    }

    /// <summary>|expected − actual| ≤ tolerance·max(1, |expected|).</summary>
    public static void Close(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1.0, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");
}
