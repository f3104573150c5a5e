// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Imaging;
using SparseModeling.LinearModel;
using SparseModeling.Tests.Optimization;

namespace SparseModeling.Tests.Imaging;

public class TrendFilteringTests
{
    /// <summary>A noisy sine with a kink and a jump: every order has knots to place.</summary>
    private static Vector<double> Signal(int n, int seed = 1)
    {
        var rng = new Random(seed);
        return Vector<double>.Build.Dense(n, i => Math.Sin(6.0 * i / n) + (i > n / 2 ? 0.5 : 0.0) + (Math.Abs(i - (n / 3)) / (double)n) + (0.2 * (rng.NextDouble() - 0.5)));
    }

    /// <summary>½‖y − β‖² + λ‖D⁽ᵏ⁺¹⁾β‖₁, the differences taken in plain loops.</summary>
    private static double Objective(Vector<double> y, Vector<double> beta, double lambda, int order)
    {
        var d = beta.ToArray();
        int length = d.Length;
        for (int k = 0; k <= order; k++)
        {
            for (int i = 0; i < length - 1; i++)
            {
                d[i] = d[i + 1] - d[i];
            }

            length--;
        }

        return (0.5 * (y - beta).DotProduct(y - beta)) + (lambda * d.Take(length).Sum(Math.Abs));
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(1.0)]
    public void Denoise_OrderZero_IsTheExactFusedLasso(double lambda)
    {
        var y = Signal(500);
        var beta = TrendFiltering.Denoise(y, lambda, order: 0);
        FusedLassoProxTests.AssertOptimal(y.ToArray(), lambda, beta.ToArray(), 1e-9);
    }

    /// <summary>
    /// Orders 1 and 2 against an independent solve of the same problem: the generalized-Lasso ADMM of
    /// <see cref="TrendFilteringAdmm"/>/<see cref="QuadraticTrendFilteringAdmm"/> (split z = D⁽ᵏ⁺¹⁾β, soft thresholding) on
    /// X = I with α = λ/n and no sparse term, run to a tight tolerance.
    /// </summary>
    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(1, 5.0)]
    [InlineData(2, 0.5)]
    [InlineData(2, 5.0)]
    public void Denoise_MatchesTheGeneralizedLassoSolve(int order, double lambda)
    {
        const int n = 150;
        var y = Signal(n, order);
        DifferenceLassoBase reference = order == 1 ? new TrendFilteringAdmm() : new QuadraticTrendFilteringAdmm();
        reference.Alpha = lambda / n;
        reference.SparseCoefficient = 0.0;
        reference.FitIntercept = false;
        reference.Rho = (order == 1 ? 0.5 : 100.0) / n;
        reference.Tolerance = 1e-13;
        reference.MaxIterations = 1_000_000;
        ((IRegressor)reference).Fit(Matrix<double>.Build.DenseIdentity(n), y);
        Assert.True(reference.Converged);
        double optimum = Objective(y, reference.Coefficients, lambda, order);

        var tight = TrendFiltering.Denoise(y, lambda, order, maxIterations: 100_000, tolerance: 1e-11);
        Assert.True(Math.Abs(Objective(y, tight, lambda, order) - optimum) <= 1e-9 * optimum, $"objective {Objective(y, tight, lambda, order):R}, optimum {optimum:R}");
        Assert.True((tight - reference.Coefficients).InfinityNorm() <= 1e-5, $"|β − β*|∞ = {(tight - reference.Coefficients).InfinityNorm()}");

        // The default tolerance: close to the optimum in objective.
        var standard = TrendFiltering.Denoise(y, lambda, order);
        Assert.True(Objective(y, standard, lambda, order) - optimum <= 1e-5 * optimum, $"default: objective {Objective(y, standard, lambda, order):R}, optimum {optimum:R}");
    }

    /// <summary>With λ large enough D⁽ᵏ⁺¹⁾β = 0: the estimate is the least-squares polynomial of degree k.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Denoise_HugeLambda_GivesTheLeastSquaresPolynomial(int order)
    {
        const int n = 60;
        var y = Signal(n, 3);
        var basis = Matrix<double>.Build.Dense(n, order + 1, (i, j) => Math.Pow((i - 30.0) / 30.0, j));
        var fit = basis * basis.QR().Solve(y);
        var beta = new double[n];
        var result = TrendFiltering.Solve(y.ToArray(), 1e6, order, 100_000, 1e-12, beta, default);
        Assert.True((Vector<double>.Build.Dense(beta) - fit).InfinityNorm() <= 1e-6, $"|β − fit|∞ = {(Vector<double>.Build.Dense(beta) - fit).InfinityNorm()} after {result}");
    }

    [Fact]
    public void Denoise_ScaledSignal_ScalesTheEstimate()
    {
        var y = Signal(400);
        var beta = TrendFiltering.Denoise(y, 2.0, 1, tolerance: 1e-10, maxIterations: 100_000);
        foreach (double c in new[] { 1e-6, 1e5 })
        {
            var scaled = TrendFiltering.Denoise(c * y, c * 2.0, 1, tolerance: 1e-10, maxIterations: 100_000);
            Assert.True(((scaled / c) - beta).InfinityNorm() <= 1e-7, $"c = {c}: {((scaled / c) - beta).InfinityNorm()}");
        }

        // A line is its own linear trend filter, and λ = 0 returns the signal.
        var line = Vector<double>.Build.Dense(50, i => 3.0 - (0.25 * i));
        Assert.True((TrendFiltering.Denoise(line, 10.0, 1) - line).InfinityNorm() <= 1e-9);
        Assert.Equal(y, TrendFiltering.Denoise(y, 0.0, 2));
    }

    /// <summary>A signal of 10⁶ samples runs in O(n) memory: no n×n matrix (8 TB) anywhere, a few hundred MB at most.</summary>
    [Fact]
    public void Denoise_MillionSamples_AllocatesLinearMemory()
    {
        const int n = 1_000_000;
        var y = Signal(n);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var beta = TrendFiltering.Denoise(y, 50.0, 1, maxIterations: 5);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 300L * 1024 * 1024, $"allocated {allocated / (1024 * 1024)} MB");
        Assert.True(beta.All(double.IsFinite));
        Assert.True((beta - y).L2Norm() < y.L2Norm());
    }

    [Fact]
    public void Denoise_BadInput_ThrowsNamingTheArgument()
    {
        var y = Signal(10);
        Assert.Throws<ArgumentNullException>(() => TrendFiltering.Denoise(null!, 1.0));
        for (int length = 0; length <= 2; length++)
        {
            var e = Assert.Throws<ArgumentException>(() => TrendFiltering.Denoise(Vector<double>.Build.Dense(length), 1.0, 1));
            Assert.Equal("signal", e.ParamName);
            Assert.Contains($"has {length} samples", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(2, TrendFiltering.Denoise(Vector<double>.Build.Dense(2, 1.0), 1.0, 0).Count);
        var nan = y.Clone();
        nan[4] = double.NaN;
        Assert.Contains("index 4", Assert.Throws<ArgumentException>(() => TrendFiltering.Denoise(nan, 1.0)).Message, StringComparison.Ordinal);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => TrendFiltering.Denoise(y, -1.0)).ParamName);
        Assert.Equal("order", Assert.Throws<ArgumentOutOfRangeException>(() => TrendFiltering.Denoise(y, 1.0, 3)).ParamName);
        Assert.Equal("maxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => TrendFiltering.Denoise(y, 1.0, 1, 0)).ParamName);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => TrendFiltering.Denoise(y, 1.0, 1, 10, -1.0)).ParamName);
        var copy = y.Clone();
        TrendFiltering.Denoise(y, 1.0);
        Assert.Equal(copy, y);
    }
}
