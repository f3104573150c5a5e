// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class TruncatedSvdTests
{
    [Theory]
    [InlineData(60, 25, 5)]
    [InlineData(25, 60, 5)]
    [InlineData(30, 8, 8)]
    [InlineData(40, 40, 12)]
    public void Compute_RandomMatrix_MatchesFullSvd(int rows, int cols, int k)
    {
        var rng = new SplitMix64(7);
        var x = Matrix<double>.Build.Dense(rows, cols, (i, j) => rng.NextNormal());
        var svd = x.Svd();
        var (u, s, v) = TruncatedSvd.Compute(x.ToColumnMajorArray(), rows, cols, k);
        double s1 = svd.S[0];
        for (int j = 0; j < k; j++)
        {
            Assert.True(Math.Abs(s[j] - svd.S[j]) <= 1e-12 * s1, $"σ{j}: {s[j]} vs {svd.S[j]}");
            var uj = Vector<double>.Build.Dense(u.AsSpan(j * rows, rows).ToArray());
            var vj = Vector<double>.Build.Dense(v.AsSpan(j * cols, cols).ToArray());

            // Singular vectors up to sign; x·v = σu.
            double sign = Math.Sign(uj.DotProduct(svd.U.Column(j)));
            Assert.True((uj - (sign * svd.U.Column(j))).L2Norm() < 1e-9, $"u{j}");
            Assert.True((vj - (sign * svd.VT.Row(j))).L2Norm() < 1e-9, $"v{j}");
            Assert.True(((x * vj) - (s[j] * uj)).L2Norm() <= 1e-12 * s1);
        }
    }

    [Fact]
    public void Compute_RankDeficient_TrailingSingularValuesAtRoundingLevel()
    {
        // Rank 2: the trailing σ must come out near 1e-16·σ1, not √ε·σ1 as a Gram eigenvalue would give.
        var x = Matrix<double>.Build.Dense(100, 200, (i, j) => (Math.Sin(0.02 * Math.PI * i) * Math.Cos(0.04 * Math.PI * j)) + 1.01);
        var (_, s, _) = TruncatedSvd.Compute(x.ToColumnMajorArray(), 100, 200, 5);
        Assert.True(s[1] > 1.0);
        for (int j = 2; j < 5; j++)
        {
            Assert.True(s[j] < 1e-12 * s[0], $"σ{j} = {s[j]}");
        }
    }

    [Theory]
    [InlineData(300, 120, 8)]
    [InlineData(120, 300, 8)]
    public void ComputeRandomized_DecayingSpectrum_MatchesFullSvd(int rows, int cols, int k)
    {
        // Singular values 2^-j: past the k-th the spectrum falls fast, where the range finder is accurate.
        int d = Math.Min(rows, cols);
        var rng = new SplitMix64(8);
        var u = Matrix<double>.Build.Dense(rows, d, (i, j) => rng.NextNormal()).QR().Q.SubMatrix(0, rows, 0, d);
        var v = Matrix<double>.Build.Dense(cols, d, (i, j) => rng.NextNormal()).QR().Q.SubMatrix(0, cols, 0, d);
        var x = u * Matrix<double>.Build.DenseOfDiagonalArray([.. Enumerable.Range(0, d).Select(j => Math.Pow(2.0, -j))]) * v.Transpose();
        var (ur, sr, vr) = TruncatedSvd.ComputeRandomized(x.ToColumnMajorArray(), rows, cols, k, powerIterations: 4, seed: 5);
        for (int j = 0; j < k; j++)
        {
            Assert.True(Math.Abs(sr[j] - Math.Pow(2.0, -j)) <= 1e-12, $"σ{j}: {sr[j]}");
            var uj = Vector<double>.Build.Dense(ur.AsSpan(j * rows, rows).ToArray());
            var vj = Vector<double>.Build.Dense(vr.AsSpan(j * cols, cols).ToArray());
            double sign = Math.Sign(uj.DotProduct(u.Column(j)));
            Assert.True((uj - (sign * u.Column(j))).L2Norm() < 1e-9, $"u{j}");
            Assert.True((vj - (sign * v.Column(j))).L2Norm() < 1e-9, $"v{j}");
        }
    }

    [Theory]
    [InlineData(400, 150, 10)]
    [InlineData(150, 400, 10)]
    public void ComputeRandomized_FlatSpectrum_GivesAnExactSvdOfTheProjection(int rows, int cols, int k)
    {
        // On a flat spectrum the triplets are approximate, but what the method guarantees holds to rounding:
        // orthonormal factors, descending σ, and Aᵀu = σv for the side the range was found on (A = X, or Xᵀ when wide).
        var rng = new SplitMix64(9);
        var x = Matrix<double>.Build.Dense(rows, cols, (i, j) => Math.Abs(rng.NextNormal()));
        var (u, s, v) = TruncatedSvd.ComputeRandomized(x.ToColumnMajorArray(), rows, cols, k, powerIterations: 7, seed: 5);
        var um = Matrix<double>.Build.Dense(rows, k, u);
        var vm = Matrix<double>.Build.Dense(cols, k, v);
        Assert.True((um.TransposeThisAndMultiply(um) - Matrix<double>.Build.DenseIdentity(k)).InfinityNorm() < 1e-12);
        Assert.True((vm.TransposeThisAndMultiply(vm) - Matrix<double>.Build.DenseIdentity(k)).InfinityNorm() < 1e-12);
        for (int j = 0; j < k; j++)
        {
            if (j > 0)
            {
                Assert.True(s[j] <= s[j - 1]);
            }

            var exact = rows >= cols ? (x.TransposeThisAndMultiply(um.Column(j)) - (s[j] * vm.Column(j))) : ((x * vm.Column(j)) - (s[j] * um.Column(j)));
            Assert.True(exact.L2Norm() <= 1e-12 * s[0], $"triplet {j}: {exact.L2Norm():E2}");
        }

        // The leading σ of a matrix with a dominant mean is well separated: accurate to 1e-6 even here.
        Assert.True(Math.Abs(s[0] - x.Svd(computeVectors: false).S[0]) <= 1e-6 * s[0]);
    }

    [Fact]
    public void Compute_LargeFlatSpectrum_IsTheRandomizedSvdAndDeterministic()
    {
        // 600×500 (≥ 2^18 entries) of |N(0, 1)|: too flat for the subspace iteration within the randomized SVD's cost,
        // so the randomized SVD it is, with a fixed seed: two runs give the same bits.
        var rng = new SplitMix64(10);
        var x = Matrix<double>.Build.Dense(600, 500, (i, j) => Math.Abs(rng.NextNormal())).ToColumnMajorArray();
        var first = TruncatedSvd.Compute(x, 600, 500, 20);
        var second = TruncatedSvd.Compute(x, 600, 500, 20);
        var randomized = TruncatedSvd.ComputeRandomized(x, 600, 500, 20, powerIterations: 7, seed: 0x5EED_5EEDUL);
        Assert.Equal(first.S, second.S);
        Assert.Equal(first.U, second.U);
        Assert.Equal(randomized.S, first.S);
        Assert.Equal(randomized.V, first.V);
    }

    [Fact]
    public void Compute_LargeLowRankPlusNoise_StaysExact()
    {
        // Rank 15 plus 1e-6 noise, 700×400: the spectrum falls after the 15th value, the subspace iteration converges
        // within its budget, and the result is the exact one, bit for bit.
        var rng = new SplitMix64(11);
        var w = Matrix<double>.Build.Dense(700, 15, (i, j) => Math.Abs(rng.NextNormal()));
        var h = Matrix<double>.Build.Dense(15, 400, (i, j) => Math.Abs(rng.NextNormal()));
        var x = ((w * h) + Matrix<double>.Build.Dense(700, 400, (i, j) => 1e-6 * Math.Abs(rng.NextNormal()))).ToColumnMajorArray();
        var result = TruncatedSvd.Compute(x, 700, 400, 15);
        var exact = TruncatedSvd.ComputeExact(x, 700, 400, 15);
        Assert.Equal(exact.S, result.S);
        Assert.Equal(exact.U, result.U);
        Assert.Equal(exact.V, result.V);
    }
}
