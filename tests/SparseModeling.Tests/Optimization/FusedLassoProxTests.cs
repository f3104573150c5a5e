// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.Optimization;

namespace SparseModeling.Tests.Optimization;

/// <summary>The fused-Lasso prox (Condat's direct algorithm) as trend filtering of order 0 calls it: raw λ, no rescaling.</summary>
public class FusedLassoProxTests
{
    /// <summary>
    /// The optimality certificate of the 1-D fused Lasso: θ − y + D1ᵀs = 0 fixes s by cumulative sums,
    /// sⱼ = Σ_{i≤j}(θᵢ − yᵢ), with Σ(θ − y) = 0, |sⱼ| ≤ λ, and sⱼ = λ·sign(θⱼ₊₁ − θⱼ) wherever θ jumps.
    /// </summary>
    internal static void AssertOptimal(double[] y, double lambda, double[] theta, double tolerance)
    {
        int n = y.Length;
        double s = 0.0;
        for (int j = 0; j < n - 1; j++)
        {
            s += theta[j] - y[j];
            Assert.True(Math.Abs(s) <= lambda + tolerance, $"|s[{j}]| = {Math.Abs(s)} exceeds λ = {lambda}");
            double jump = theta[j + 1] - theta[j];
            if (Math.Abs(jump) > tolerance)
            {
                Assert.True(Math.Abs(s - (lambda * Math.Sign(jump))) <= tolerance, $"s[{j}] = {s} but θ jumps by {jump} (λ = {lambda})");
            }
        }

        s += theta[n - 1] - y[n - 1];
        Assert.True(Math.Abs(s) <= tolerance, $"Σ(θ − y) = {s}");
    }

    public static TheoryData<int, double, int> Signals() => new()
    {
        { 2, 0.1, 1 },
        { 2, 10.0, 2 },
        { 3, 0.3, 3 },
        { 10, 0.05, 4 },
        { 10, 0.5, 5 },
        { 50, 0.2, 6 },
        { 200, 0.01, 7 },
        { 200, 1.0, 8 },
        { 1000, 0.3, 9 },
        { 1000, 100.0, 10 },
    };

    [Theory]
    [MemberData(nameof(Signals))]
    public void Solve_RandomSignals_SatisfiesOptimalityConditions(int n, double lambda, int seed)
    {
        // A piecewise-constant signal plus noise: the solution has both flat runs and jumps.
        var rng = new Random(seed);
        var y = new double[n];
        double level = 0.0;
        for (int i = 0; i < n; i++)
        {
            if (rng.NextDouble() < 0.05)
            {
                level = (rng.NextDouble() * 4.0) - 2.0;
            }

            y[i] = level + (0.5 * (rng.NextDouble() - 0.5));
        }

        var theta = new double[n];
        FusedLassoProx.Solve(y, lambda, theta);
        AssertOptimal(y, lambda, theta, 1e-9 * Math.Max(1.0, lambda));
    }

    [Fact]
    public void Solve_LargeLambda_GivesTheMean()
    {
        var y = new[] { 3.0, -1.0, 4.0, 1.0, -5.0, 9.0 };
        var theta = new double[y.Length];
        FusedLassoProx.Solve(y, 1e6, theta);
        Assert.All(theta, t => Assert.Equal(y.Average(), t, 1e-12));
    }

    [Fact]
    public void Solve_ZeroLambdaOrOneSample_CopiesTheSignal()
    {
        var y = new[] { 3.0, -1.0, 4.0 };
        var theta = new double[3];
        FusedLassoProx.Solve(y, 0.0, theta);
        Assert.Equal(y, theta);
        var one = new double[1];
        FusedLassoProx.Solve([2.5], 7.0, one);
        Assert.Equal(2.5, one[0]);
    }

    [Fact]
    public void Solve_TwoSamples_MatchesClosedForm()
    {
        // n = 2: the two values move towards each other by λ, or meet at the mean.
        var theta = new double[2];
        FusedLassoProx.Solve([0.0, 3.0], 1.0, theta);
        Assert.Equal(1.0, theta[0], 1e-15);
        Assert.Equal(2.0, theta[1], 1e-15);
        FusedLassoProx.Solve([0.0, 3.0], 2.0, theta);
        Assert.Equal(1.5, theta[0], 1e-15);
        Assert.Equal(1.5, theta[1], 1e-15);
    }

    [Fact]
    public void Solve_InPlaceAndReused_SameResult()
    {
        var y = Tests.LinearAlgebra.Reference.Random(300, 21);
        var expected = new double[300];
        FusedLassoProx.Solve(y, 0.05, expected);
        var again = new double[300];
        FusedLassoProx.Solve(y, 0.05, again);
        Assert.Equal(expected, again);
        var inPlace = (double[])y.Clone();
        FusedLassoProx.Solve(inPlace, 0.05, inPlace);
        Assert.Equal(expected, inPlace);
    }
}
