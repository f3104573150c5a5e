// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.Optimization;

namespace SparseModeling.Tests.Optimization;

public class PsdProjectionProxTests
{
    private static Matrix<double> RandomSymmetric(int p, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var a = Matrix<double>.Build.Dense(p, p, (i, j) => rng.NextNormal());
        return 0.5 * (a + a.Transpose());
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(5, 0.1)]
    [InlineData(40, 1e-3)]
    public void Apply_IndefiniteMatrix_EqualsEigenvalueClipping(int p, double floor)
    {
        // Π(V + S) − S against the textbook projection Q·max(Λ, ε)·Qᵀ − S computed here with MathNet.
        var v = RandomSymmetric(p, 1);
        var s = RandomSymmetric(p, 2);
        var prox = new PsdProjectionProx(MatrixStorage.ColumnMajor(s), p, floor);
        var result = new double[p * p];
        prox.Apply(MatrixStorage.ColumnMajor(v), 1.0, result);

        var evd = (v + s).Evd(Symmetricity.Symmetric);
        var clipped = evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(evd.EigenValues.Real().Map(l => Math.Max(l, floor))) * evd.EigenVectors.Transpose();
        var expected = clipped - s;
        var actual = Matrix<double>.Build.Dense(p, p, result);
        Assert.True((expected - actual).FrobeniusNorm() <= 1e-12 * (1.0 + expected.FrobeniusNorm()), $"difference {(expected - actual).FrobeniusNorm():E2}");
        Assert.Equal(0.0, (actual - actual.Transpose()).FrobeniusNorm());
        Assert.True((actual + s).Evd(Symmetricity.Symmetric).EigenValues.Real().Min() >= floor - 1e-12);
        Assert.Equal(evd.EigenValues.Real().Count(l => l < floor), prox.LastCorrectionRank);
    }

    [Fact]
    public void Apply_AlreadyAboveFloor_ReturnsInputUnchangedInPlace()
    {
        // V + S = 5I + small symmetric noise: every eigenvalue far above the floor, so no correction at all.
        int p = 12;
        var s = RandomSymmetric(p, 3) * 0.1;
        var v = (5.0 * Matrix<double>.Build.DenseIdentity(p)) - (s * 0.5);
        var data = MatrixStorage.ColumnMajor(v).ToArray();
        var copy = (double[])data.Clone();
        new PsdProjectionProx(MatrixStorage.ColumnMajor(s), p, 1e-8).Apply(data, 1.0, data);
        Assert.Equal(copy, data);
    }
}
