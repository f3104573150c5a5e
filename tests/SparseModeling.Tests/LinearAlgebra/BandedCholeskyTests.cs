// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class BandedCholeskyTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    [InlineData(10, 2)]
    [InlineData(50, 1)]
    [InlineData(50, 5)]
    [InlineData(0, 2)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(4, 2)]
    [InlineData(101, 1)]
    [InlineData(101, 2)]
    [InlineData(101, 3)]
    public void FactorSolve_RandomBandedSpd_MatchesDenseCholesky(int n, int bandwidth)
    {
        var (dense, band) = RandomBanded(n, bandwidth, seed: n + (7 * bandwidth));
        var b = Reference.Random(n, 3);
        var expected = (double[])b.Clone();
        var factor = (double[])dense.Clone();
        Assert.True(Cholesky.Factor(factor, n, Math.Max(1, n)));
        Cholesky.Solve(factor, n, Math.Max(1, n), expected);

        Assert.True(BandedCholesky.Factor(band, n, bandwidth));
        var reciprocal = (double[])b.Clone();
        BandedCholesky.Solve(band, n, bandwidth, b);
        for (int i = 0; i < n; i++)
        {
            Reference.Close(expected[i], b[i], 1e-12 * (1 + Math.Abs(expected[i])));
        }

        // The multiplier solve (its own loops for bandwidths 1 and 2) agrees to rounding.
        var factors = new double[BandedCholesky.SolveFactorLength(n, bandwidth)];
        BandedCholesky.PrepareSolves(band, n, bandwidth, factors);
        BandedCholesky.Solve(band, factors, n, bandwidth, reciprocal);
        for (int i = 0; i < n; i++)
        {
            Reference.Close(expected[i], reciprocal[i], 1e-12 * (1 + Math.Abs(expected[i])));
        }

        // The band holds L itself: its entries equal the dense factor's within the band.
        for (int j = 0; j < n; j++)
        {
            for (int i = j; i <= Math.Min(n - 1, j + bandwidth); i++)
            {
                Reference.Close(factor[i + (j * n)], band[(i - j) + (j * (bandwidth + 1))], 1e-12);
            }
        }
    }

    [Fact]
    public void Factor_IndefiniteBandedMatrix_ReturnsFalse()
    {
        var (_, band) = RandomBanded(20, 2, seed: 5);
        band[10 * 3] = -1.0;
        Assert.False(BandedCholesky.Factor(band, 20, 2));
    }

    [Fact]
    public void Solve_ShortBand_ThrowsNamedArgument()
    {
        var ex = Assert.Throws<ArgumentException>(() => BandedCholesky.Solve(new double[5], 3, 1, new double[3]));
        Assert.Equal("band", ex.ParamName);
    }

    /// <summary>A random symmetric diagonally dominant (hence SPD) band matrix, dense (n×n) and in lower band storage.</summary>
    private static (double[] Dense, double[] Band) RandomBanded(int n, int bandwidth, int seed)
    {
        var values = Reference.Random(Math.Max(1, n * (bandwidth + 1)), seed);
        var dense = new double[n * n];
        var band = new double[n * (bandwidth + 1)];
        for (int j = 0; j < n; j++)
        {
            for (int i = j + 1; i <= Math.Min(n - 1, j + bandwidth); i++)
            {
                double v = values[(i - j) + (j * (bandwidth + 1))];
                dense[i + (j * n)] = v;
                dense[j + (i * n)] = v;
                band[(i - j) + (j * (bandwidth + 1))] = v;
            }
        }

        for (int j = 0; j < n; j++)
        {
            double d = (2.0 * bandwidth) + 1.0 + Math.Abs(values[j * (bandwidth + 1)]);
            dense[j + (j * n)] = d;
            band[j * (bandwidth + 1)] = d;
        }

        return (dense, band);
    }
}
