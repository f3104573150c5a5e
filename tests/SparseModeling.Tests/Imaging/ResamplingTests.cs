// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Imaging;

namespace SparseModeling.Tests.Imaging;

public class ResamplingTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Downscale_ConstantImage_StaysConstant(int factor)
    {
        var image = Matrix<double>.Build.Dense(13, 17, 0.375);
        var low = Resampling.Downscale(image, factor);
        Assert.Equal(13 / factor, low.RowCount);
        Assert.Equal(17 / factor, low.ColumnCount);
        Assert.All(low.Enumerate(), v => Assert.Equal(0.375, v, 1e-15));
    }

    [Fact]
    public void Downscale_Factor2_IsGaussianBlurThenTwoByTwoMean()
    {
        // An independent computation: the 5×5 Gaussian of σ = ½ (radius 2 = ⌊4σ + ½⌋), normalised, on the mirrored image,
        // then the mean of each 2×2 block (bilinear sampling at the block centre).
        var rng = new SplitMix64(5);
        var image = Matrix<double>.Build.Dense(10, 12, (_, _) => rng.NextDouble());
        var g = Enumerable.Range(-2, 5).Select(t => Math.Exp(-(t * t) / 0.5)).ToArray();
        double total = g.Sum();
        int Mirror(int i, int n) => i < 0 ? -i - 1 : i >= n ? (2 * n) - i - 1 : i;
        var blurred = Matrix<double>.Build.Dense(10, 12, (i, j) =>
        {
            double sum = 0.0;
            for (int a = -2; a <= 2; a++)
            {
                for (int b = -2; b <= 2; b++)
                {
                    sum += g[a + 2] * g[b + 2] * image[Mirror(i + a, 10), Mirror(j + b, 12)];
                }
            }

            return sum / (total * total);
        });
        var expected = Matrix<double>.Build.Dense(5, 6, (i, j) => (blurred[2 * i, 2 * j] + blurred[(2 * i) + 1, 2 * j] + blurred[2 * i, (2 * j) + 1] + blurred[(2 * i) + 1, (2 * j) + 1]) / 4.0);
        var actual = Resampling.Downscale(image, 2);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                Assert.Equal(expected[i, j], actual[i, j], 1e-14);
            }
        }
    }

    [Fact]
    public void UpscaleBicubic_Factor1_IsTheImage()
    {
        var rng = new SplitMix64(6);
        var image = Matrix<double>.Build.Dense(7, 9, (_, _) => rng.NextNormal());
        var same = Resampling.UpscaleBicubic(image, 1);
        Assert.Equal(image.ToColumnMajorArray(), same.ToColumnMajorArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void UpscaleBicubic_Quadratic_IsReproducedAwayFromTheEdges(int factor)
    {
        // Keys' kernel with a = −½ interpolates polynomials of degree ≤ 2 exactly; output pixel r sits at input (r + ½)/f − ½.
        static double F(double i, double j) => 0.3 + (0.2 * i) - (0.1 * j) + (0.05 * i * i) + (0.02 * i * j) - (0.03 * j * j);
        var image = Matrix<double>.Build.Dense(12, 14, (i, j) => F(i, j));
        var large = Resampling.UpscaleBicubic(image, factor);
        Assert.Equal(12 * factor, large.RowCount);
        Assert.Equal(14 * factor, large.ColumnCount);
        for (int r = 0; r < large.RowCount; r++)
        {
            for (int c = 0; c < large.ColumnCount; c++)
            {
                double x = ((r + 0.5) / factor) - 0.5, y = ((c + 0.5) / factor) - 0.5;
                if (x >= 1.0 && x <= 12 - 3 && y >= 1.0 && y <= 14 - 3)
                {
                    Assert.Equal(F(x, y), large[r, c], 1e-12);
                }
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Resampling_FactorBelowOne_ThrowsOutOfRangeNamingTheFactor(int factor)
    {
        var image = Matrix<double>.Build.Dense(8, 8, 1.0);
        var up = Assert.Throws<ArgumentOutOfRangeException>(() => Resampling.UpscaleBicubic(image, factor));
        Assert.Equal("factor", up.ParamName);
        Assert.Contains($"(was {factor})", up.Message, StringComparison.Ordinal);
        var down = Assert.Throws<ArgumentOutOfRangeException>(() => Resampling.Downscale(image, factor));
        Assert.Equal("factor", down.ParamName);
    }

    [Fact]
    public void Downscale_FactorLargerThanTheImage_ThrowsOutOfRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Resampling.Downscale(Matrix<double>.Build.Dense(5, 9, 1.0), 6));
        Assert.Equal("factor", e.ParamName);
        Assert.Contains("[1, 5]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resampling_NonFinitePixel_ThrowsNamingThePositionAndLeavesTheImage()
    {
        var image = Matrix<double>.Build.Dense(6, 6, 0.5);
        image[2, 3] = double.NaN;
        var copy = image.Clone();
        var up = Assert.Throws<ArgumentException>(() => Resampling.UpscaleBicubic(image, 2));
        Assert.Equal("image", up.ParamName);
        Assert.Contains("row 2, column 3", up.Message, StringComparison.Ordinal);
        var down = Assert.Throws<ArgumentException>(() => Resampling.Downscale(image, 2));
        Assert.Contains("row 2, column 3", down.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => Resampling.Downscale(null!, 2));
        Assert.Equal(copy.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits), image.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits));
    }
}
