// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

/// <summary>The partial SVD of the singular value threshold against MathNet's full SVD (the independent computation here).</summary>
public class ThresholdSvdTests
{
    [Theory]
    [InlineData(80, 30, 4, 0.5)]
    [InlineData(300, 120, 7, 2.0)]
    [InlineData(50, 50, 3, 0.1)]
    public void Compute_LowRankPlusNoise_GivesExactlyTheTripletsAboveTheThreshold(int m, int n, int rank, double tau)
    {
        var a = LowRankPlusNoise(m, n, rank, 0.05, seed: (ulong)(m + n));
        var svd = a.Svd();
        var (u, s, v) = new ThresholdSvd(m, n).Compute(a.AsColumnMajorArray(), tau);
        AssertMatches(svd, u, s, v, m, n, tau);
    }

    [Fact]
    public void Compute_MoreValuesAboveThanPredicted_GrowsTheBlockWithinTheCall()
    {
        // 40 singular values of about 1 and more above τ = 0.1, against a first prediction of 10: the block must grow
        // (5% of n = 4 at a time) until some computed value falls below τ.
        const int m = 200, n = 80;
        var rng = new SplitMix64(9);
        var a = Matrix<double>.Build.Dense(m, n, (_, _) => rng.NextNormal() / Math.Sqrt(m));
        var svd = a.Svd();
        double tau = 0.5 * (svd.S[39] + svd.S[40]);
        var threshold = new ThresholdSvd(m, n);
        var (u, s, v) = threshold.Compute(a.AsColumnMajorArray(), tau);
        AssertMatches(svd, u, s, v, m, n, tau);
        Assert.Equal(40, s.Length);
        Assert.True(threshold.Sizes.Count > 1, "the block grew");
        Assert.Equal(10, threshold.Sizes[0]);
        Assert.True(threshold.Sizes.Zip(threshold.Sizes.Skip(1)).All(pair => pair.Second > pair.First));
    }

    [Fact]
    public void Compute_SequenceOfRelatedMatrices_WarmStartsAndStaysExact()
    {
        // The iterates of robust PCA: one low-rank matrix perturbed a little more at each call, a threshold that falls.
        const int m = 150, n = 60;
        var threshold = new ThresholdSvd(m, n);
        var a = LowRankPlusNoise(m, n, 3, 0.0, seed: 4);
        var rng = new SplitMix64(5);
        int coldSteps = 0;
        for (int call = 0; call < 6; call++)
        {
            var b = a + Matrix<double>.Build.Dense(m, n, (_, _) => 1e-3 * (call + 1) * rng.NextNormal());
            double tau = 1.0 / (call + 1);
            var (u, s, v) = threshold.Compute(b.AsColumnMajorArray(), tau);
            AssertMatches(b.Svd(), u, s, v, m, n, tau);
            Assert.Equal(3, s.Length);
            var cold = new ThresholdSvd(m, n);
            cold.Compute(b.AsColumnMajorArray(), tau);
            coldSteps += cold.Steps;
        }

        Assert.Equal(0, threshold.FullDecompositions);
        Assert.Equal(Enumerable.Repeat(4, 5), threshold.Sizes.Skip(1)); // one more than the rank found
        Assert.True(threshold.Steps <= coldSteps, $"warm starts: {threshold.Steps} steps, cold starts {coldSteps}");
    }

    [Fact]
    public void Compute_NothingAboveTheThreshold_ReturnsNoTriplet()
    {
        var a = LowRankPlusNoise(40, 20, 2, 0.01, seed: 6);
        double top = a.Svd(computeVectors: false).S[0];
        var (u, s, v) = new ThresholdSvd(40, 20).Compute(a.AsColumnMajorArray(), 1.01 * top);
        Assert.Empty(s);
        Assert.Empty(u);
        Assert.Empty(v);
    }

    [Fact]
    public void Constructor_WideMatrix_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ThresholdSvd(3, 5));
    }

    private static void AssertMatches(MathNet.Numerics.LinearAlgebra.Factorization.Svd<double> svd, double[] u, double[] s, double[] v, int m, int n, double tau)
    {
        int count = svd.S.Count(value => value > tau);
        Assert.Equal(count, s.Length);
        Assert.Equal(m * count, u.Length);
        Assert.Equal(n * count, v.Length);
        var um = Matrix<double>.Build.Dense(m, count, u);
        var vm = Matrix<double>.Build.Dense(n, count, v);
        for (int j = 0; j < count; j++)
        {
            Assert.True(Math.Abs(s[j] - svd.S[j]) <= 1e-12 * svd.S[0], $"σ{j} = {s[j]}, expected {svd.S[j]}");
        }

        // The triplets reproduce the thresholded part, whatever the rotation within clusters of equal values.
        var expected = svd.U.SubMatrix(0, m, 0, count) * Matrix<double>.Build.DiagonalOfDiagonalArray([.. svd.S.Take(count)]) * svd.VT.SubMatrix(0, count, 0, n);
        var actual = um * Matrix<double>.Build.DiagonalOfDiagonalArray(s) * vm.Transpose();
        Assert.True((expected - actual).FrobeniusNorm() <= 1e-10 * svd.S[0], $"‖ΔL‖ = {(expected - actual).FrobeniusNorm():E2}");
        Assert.True((um.TransposeThisAndMultiply(um) - Matrix<double>.Build.DenseIdentity(count)).InfinityNorm() < 1e-12);
        Assert.True((vm.TransposeThisAndMultiply(vm) - Matrix<double>.Build.DenseIdentity(count)).InfinityNorm() < 1e-12);
    }

    private static Matrix<double> LowRankPlusNoise(int m, int n, int rank, double noise, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var a = Matrix<double>.Build.Dense(m, rank, (_, _) => rng.NextNormal());
        var b = Matrix<double>.Build.Dense(rank, n, (_, _) => rng.NextNormal());
        return (a * b) + Matrix<double>.Build.Dense(m, n, (_, _) => noise * rng.NextNormal());
    }
}
