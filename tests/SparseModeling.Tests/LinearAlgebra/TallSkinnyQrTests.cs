// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class TallSkinnyQrTests
{
    [Theory]
    [InlineData(7, 3)]
    [InlineData(64, 64)]
    [InlineData(2048, 5)]
    [InlineData(9000, 17)]
    [InlineData(300000, 8)]
    [InlineData(5, 9)]
    public void R_IsUpperTriangularWithTheGramMatrixOfA(int n, int m)
    {
        // RᵀR = AᵀA (Q has orthonormal columns), R is zero below its diagonal; checked against MathNet's product.
        var rng = new SplitMix64((ulong)(n + m));
        var a = Matrix<double>.Build.Dense(n, m, (i, j) => rng.NextNormal() + (0.1 * j));
        var r = TallSkinnyQr.R(a.ToColumnMajorArray(), n, m);
        int rows = Math.Min(n, m);
        Assert.Equal(rows * m, r.Length);
        var rm = Matrix<double>.Build.Dense(rows, m, r);
        for (int j = 0; j < m; j++)
        {
            for (int i = j + 1; i < rows; i++)
            {
                Assert.Equal(0.0, rm[i, j]);
            }
        }

        var expected = a.TransposeThisAndMultiply(a);
        var actual = rm.TransposeThisAndMultiply(rm);
        double scale = expected.Diagonal().Maximum();
        Assert.True((expected - actual).Enumerate().Max(Math.Abs) <= 1e-12 * scale, "RᵀR ≠ AᵀA");
    }

    [Fact]
    public void R_RankDeficient_KeepsTheZeroSingularValue()
    {
        // A column that is the sum of two others: the smallest singular value of R is at rounding level relative to ‖A‖
        // (squaring through AᵀA would leave it near 1e-8·‖A‖).
        var rng = new SplitMix64(3);
        var a = Matrix<double>.Build.Dense(20000, 6, (i, j) => rng.NextNormal());
        a.SetColumn(5, a.Column(1) + a.Column(3));
        var r = Matrix<double>.Build.Dense(6, 6, TallSkinnyQr.R(a.ToColumnMajorArray(), 20000, 6));
        var s = r.Svd(computeVectors: false).S;
        Assert.True(s[5] <= 1e-13 * s[0], $"smallest singular value {s[5]:E3}");
        var sa = a.Svd(computeVectors: false).S;
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(sa[k], s[k], 1e-12 * sa[0]);
        }
    }
}
