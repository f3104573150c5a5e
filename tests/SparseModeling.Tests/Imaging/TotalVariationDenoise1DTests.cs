// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Imaging;

namespace SparseModeling.Tests.Imaging;

/// <summary>
/// <see cref="TotalVariation.Denoise1D"/> (Condat's direct algorithm) checked against the optimality conditions of
/// ½‖x − y‖² + λ·Σ|xᵢ₊₁ − xᵢ| (a dual certificate built from x alone) and against an independent solve of the dual by FISTA.
/// </summary>
public class TotalVariationDenoise1DTests
{
    /// <summary>
    /// Checks that x minimises the objective for y and λ, by the certificate z_k = −Σ_{i≤k}(yᵢ − xᵢ) of y − x = Dᵀz with z
    /// in λ·∂‖Dx‖₁: |z_k| ≤ λ everywhere, z_k = λ·sign(x_{k+1} − x_k) at every jump, and Σ(yᵢ − xᵢ) = 0.
    /// </summary>
    private static void AssertOptimal(double[] y, double lambda, double[] x)
    {
        int n = y.Length;
        double scale = Math.Max(lambda, y.Max(Math.Abs)) * n;
        double tolerance = 1e-12 * scale;
        double running = 0.0;
        for (int k = 0; k < n - 1; k++)
        {
            running += y[k] - x[k];
            double z = -running;
            Assert.True(Math.Abs(z) <= lambda + tolerance, $"|z_{k}| = {Math.Abs(z):R} > λ = {lambda:R}");
            double jump = x[k + 1] - x[k];
            if (jump != 0.0)
            {
                Assert.True(Math.Abs(z - (lambda * Math.Sign(jump))) <= tolerance, $"at the jump after {k} ({jump:R}) z = {z:R}, not {lambda * Math.Sign(jump):R}");
            }
        }

        running += y[n - 1] - x[n - 1];
        Assert.True(Math.Abs(running) <= tolerance, $"Σ(y − x) = {running:R}");
    }

    /// <summary>The minimiser by FISTA on the dual min_{|z| ≤ λ} ½‖y − Dᵀz‖² (step 1/4 ≥ 1/‖D‖²), x = y − Dᵀz.</summary>
    private static double[] DualFista(double[] y, double lambda, int iterations)
    {
        int n = y.Length, m = n - 1;
        var z = new double[m];
        var v = new double[m];
        var x = new double[n];
        double t = 1.0;
        for (int k = 0; k < iterations; k++)
        {
            // x = y − Dᵀv, (Dᵀv)_i = v_{i−1} − v_i
            for (int i = 0; i < n; i++)
            {
                x[i] = y[i] - ((i > 0 ? v[i - 1] : 0.0) - (i < m ? v[i] : 0.0));
            }

            double tNext = 0.5 * (1.0 + Math.Sqrt(1.0 + (4.0 * t * t)));
            for (int i = 0; i < m; i++)
            {
                double next = Math.Clamp(v[i] + (0.25 * (x[i + 1] - x[i])), -lambda, lambda);
                v[i] = next + ((t - 1.0) / tNext * (next - z[i]));
                z[i] = next;
            }

            t = tNext;
        }

        for (int i = 0; i < n; i++)
        {
            x[i] = y[i] - ((i > 0 ? z[i - 1] : 0.0) - (i < m ? z[i] : 0.0));
        }

        return x;
    }

    private static double Objective(double[] y, double lambda, double[] x)
    {
        double sum = 0.0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += 0.5 * (x[i] - y[i]) * (x[i] - y[i]);
            if (i + 1 < y.Length)
            {
                sum += lambda * Math.Abs(x[i + 1] - x[i]);
            }
        }

        return sum;
    }

    private static double[] Noisy(int n, ulong seed, double noise)
    {
        var rng = new SplitMix64(seed);
        return [.. Enumerable.Range(0, n).Select(i => (i % 50 < 20 ? 1.0 : i % 50 < 35 ? -0.5 : 2.0) + (noise * rng.NextNormal()))];
    }

    private static double[] Denoise(double[] y, double lambda) => TotalVariation.Denoise1D(Vector<double>.Build.DenseOfArray(y), lambda).ToArray();

    public static TheoryData<int, double> RandomCases()
    {
        var data = new TheoryData<int, double>();
        foreach (int n in new[] { 2, 3, 4, 7, 20, 101, 1000 })
        {
            foreach (double lambda in new[] { 1e-6, 0.05, 0.3, 1.0, 5.0, 100.0 })
            {
                data.Add(n, lambda);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void Denoise1D_RandomSignals_MeetTheOptimalityConditions(int n, double lambda)
    {
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var y = Noisy(n, seed, 0.4);
            AssertOptimal(y, lambda, Denoise(y, lambda));
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(2.0)]
    public void Denoise1D_IntegerSignalsWithTies_MeetTheOptimalityConditions(double lambda)
    {
        // Small integers and half-integer weights make the running sums hit ±λ exactly: the comparisons tie.
        for (ulong seed = 1; seed <= 200; seed++)
        {
            var rng = new SplitMix64(seed);
            int n = 2 + (int)(rng.NextUInt64() % 30);
            var y = Enumerable.Range(0, n).Select(_ => (double)(rng.NextUInt64() % 4)).ToArray();
            AssertOptimal(y, lambda, Denoise(y, lambda));
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.7)]
    [InlineData(3.0)]
    public void Denoise1D_MatchesAnIndependentDualSolve(double lambda)
    {
        var y = Noisy(60, 7, 0.5);
        var x = Denoise(y, lambda);
        var reference = DualFista(y, lambda, 200000);
        Assert.True(x.Zip(reference, (a, b) => Math.Abs(a - b)).Max() <= 1e-7);
        Assert.True(Objective(y, lambda, x) <= Objective(y, lambda, reference) + 1e-12);
    }

    [Fact]
    public void Denoise1D_ZeroWeight_ReturnsTheSignal()
    {
        var y = Noisy(30, 2, 0.3);
        Assert.Equal(y, Denoise(y, 0.0));
    }

    [Theory]
    [InlineData(1e6)]
    [InlineData(1e300)]
    [InlineData(double.MaxValue)]
    public void Denoise1D_HugeWeight_ReturnsTheMean(double lambda)
    {
        var y = Noisy(77, 3, 0.3);
        double mean = y.Average();
        Assert.All(Denoise(y, lambda), v => Assert.Equal(mean, v, 1e-14));
    }

    [Fact]
    public void Denoise1D_WeightAtTheConstantThreshold_IsConstantAndJustBelowIsNot()
    {
        var y = Noisy(40, 4, 0.5);
        double mean = y.Average(), running = 0.0, threshold = 0.0;
        for (int k = 0; k < y.Length - 1; k++)
        {
            running += y[k] - mean;
            threshold = Math.Max(threshold, Math.Abs(running));
        }

        Assert.True(Denoise(y, threshold).Max() - Denoise(y, threshold).Min() <= 1e-12);
        var below = Denoise(y, threshold * 0.99);
        Assert.True(below.Max() - below.Min() > 1e-6);
        AssertOptimal(y, threshold * 0.99, below);
    }

    [Fact]
    public void Denoise1D_SingleSample_IsItself()
    {
        Assert.Equal([3.5], Denoise([3.5], 10.0));
    }

    [Fact]
    public void Denoise1D_TwoSamples_MeetInTheMiddleOrMoveByTheWeight()
    {
        Assert.Equal([0.5, 0.5], Denoise([0.0, 1.0], 0.6));
        var x = Denoise([0.0, 1.0], 0.2);
        Assert.Equal(0.2, x[0], 1e-15);
        Assert.Equal(0.8, x[1], 1e-15);
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(-80)]
    [InlineData(90)]
    [InlineData(700)]
    public void Denoise1D_PowerOfTwoScaledSignalAndWeight_ScalesTheResult(int exponent)
    {
        var y = Noisy(200, 5, 0.4);
        var reference = Denoise(y, 0.3);
        double c = Math.ScaleB(1.0, exponent);
        var scaled = Denoise([.. y.Select(v => v * c)], 0.3 * c);
        Assert.Equal(reference.Select(v => v * c), scaled);
    }

    [Fact]
    public void Denoise1D_LongSignal_IsOptimal()
    {
        var y = Noisy(100_000, 6, 0.5);
        AssertOptimal(y, 2.0, Denoise(y, 2.0));
    }

    [Fact]
    public void Denoise1D_BadInput_ThrowsNamedExceptionsAndLeavesTheSignal()
    {
        var signal = Vector<double>.Build.DenseOfArray(Noisy(10, 1, 0.1));
        var copy = signal.Clone();
        Assert.Equal("signal", Assert.Throws<ArgumentNullException>(() => TotalVariation.Denoise1D(null!, 1.0)).ParamName);
        Assert.Equal("signal", Assert.Throws<ArgumentException>(() => TotalVariation.Denoise1D(Vector<double>.Build.Dense(0), 1.0)).ParamName);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Denoise1D(signal, -2.0));
        Assert.Equal("weight", negative.ParamName);
        Assert.Contains("(was -2)", negative.Message, StringComparison.Ordinal);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Denoise1D(signal, double.PositiveInfinity)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Denoise1D(signal, double.NaN)).ParamName);
        var withNaN = signal.Clone();
        withNaN[7] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => TotalVariation.Denoise1D(withNaN, 1.0));
        Assert.Equal("signal", e.ParamName);
        Assert.Contains("index 7", e.Message, StringComparison.Ordinal);
        Assert.Equal(copy, signal);
    }
}
