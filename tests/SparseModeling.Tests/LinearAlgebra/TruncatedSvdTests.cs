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
}
