// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Imaging;

namespace SparseModeling.Tests.Imaging;

public class ImageQualityTests
{
    private static Matrix<double> Load(JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(TestData.Doubles).ToArray();
        return Matrix<double>.Build.Dense(data.Length, data[0].Length, (i, j) => data[i][j]);
    }

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in TestData.Fixture("image_quality.json").GetProperty("cases").EnumerateArray())
        {
            names.Add(c.GetProperty("name").GetString()!);
        }

        return names;
    }

    private static Matrix<double> RandomImage(ulong seed, int rows, int cols, double scale)
    {
        var rng = new SplitMix64(seed);
        return Matrix<double>.Build.Dense(rows, cols, (i, j) => scale * rng.NextDouble());
    }

    /// <summary>SSIM written out window by window with two-pass moments: independent of the library's window sums.</summary>
    private static double NaiveSsim(Matrix<double> a, Matrix<double> b, double range, int w)
    {
        double c1 = Math.Pow(0.01 * range, 2), c2 = Math.Pow(0.03 * range, 2);
        double total = 0.0;
        int count = 0;
        for (int i = 0; i + w <= a.RowCount; i++)
        {
            for (int j = 0; j + w <= a.ColumnCount; j++)
            {
                var wa = a.SubMatrix(i, w, j, w).ToColumnMajorArray();
                var wb = b.SubMatrix(i, w, j, w).ToColumnMajorArray();
                double ma = wa.Average(), mb = wb.Average();
                double va = wa.Sum(v => (v - ma) * (v - ma)) / ((w * w) - 1);
                double vb = wb.Sum(v => (v - mb) * (v - mb)) / ((w * w) - 1);
                double cab = wa.Zip(wb, (u, v) => (u - ma) * (v - mb)).Sum() / ((w * w) - 1);
                total += ((2 * ma * mb) + c1) * ((2 * cab) + c2) / (((ma * ma) + (mb * mb) + c1) * (va + vb + c2));
                count++;
            }
        }

        return total / count;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void PsnrAndSsim_MatchScikitImage(string name)
    {
        var fixture = TestData.Fixture("image_quality.json");
        var c = fixture.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var images = fixture.GetProperty("images");
        var a = Load(images.GetProperty(c.GetProperty("a").GetString()!));
        var b = Load(images.GetProperty(c.GetProperty("b").GetString()!));
        double range = c.GetProperty("data_range").GetDouble();
        int window = c.GetProperty("win_size").GetInt32();
        var psnr = c.GetProperty("psnr");
        if (psnr.ValueKind == JsonValueKind.String)
        {
            Assert.Equal(double.PositiveInfinity, ImageQuality.Psnr(a, b, range));
        }
        else
        {
            Assert.Equal(psnr.GetDouble(), ImageQuality.Psnr(a, b, range), 1e-9);
        }

        double ssim = ImageQuality.Ssim(a, b, range, window);
        Assert.True(Math.Abs(c.GetProperty("ssim").GetDouble() - ssim) <= 1e-9, $"{name}: SSIM {ssim:R} vs scikit-image {c.GetProperty("ssim").GetDouble():R}");
    }

    [Theory]
    [InlineData(200, 170, 7, 255.0)]
    [InlineData(23, 41, 3, 1.0)]
    [InlineData(9, 9, 9, 2.0)]
    public void Ssim_AgreesWithWindowByWindowComputation(int rows, int cols, int window, double range)
    {
        var a = RandomImage(1, rows, cols, range);
        var b = (0.7 * a) + RandomImage(2, rows, cols, 0.3 * range);
        Assert.Equal(NaiveSsim(a, b, range, window), ImageQuality.Ssim(a, b, range, window), 1e-12);
        Assert.Equal(ImageQuality.Ssim(a, b, range, window), ImageQuality.Ssim(b, a, range, window), 1e-15);
    }

    [Fact]
    public void Psnr_IsTenLogOfRangeSquaredOverMse()
    {
        var a = RandomImage(3, 20, 30, 1.0);
        var b = a.Clone();
        b[4, 7] += 0.5;                     // one pixel off by 0.5: MSE = 0.25 / 600
        Assert.Equal(10.0 * Math.Log10(4.0 * 600 / 0.25), ImageQuality.Psnr(a, b, 2.0), 1e-12);
        Assert.Equal(ImageQuality.Psnr(a, b, 2.0), ImageQuality.Psnr(b, a, 2.0));
    }

    [Fact]
    public void IdenticalImages_PsnrInfiniteAndSsimOne()
    {
        var a = RandomImage(4, 16, 12, 255.0);
        Assert.Equal(double.PositiveInfinity, ImageQuality.Psnr(a, a.Clone(), 255.0));
        Assert.Equal(1.0, ImageQuality.Ssim(a, a.Clone(), 255.0), 1e-15);
    }

    [Fact]
    public void BadInput_ThrowsNamedExceptionsAndLeavesInputsUnchanged()
    {
        var a = RandomImage(5, 10, 12, 1.0);
        var b = RandomImage(6, 10, 12, 1.0);
        var (ca, cb) = (a.Clone(), b.Clone());
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => ImageQuality.Psnr(a, RandomImage(7, 10, 11, 1.0), 1.0)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => ImageQuality.Ssim(a, RandomImage(7, 11, 12, 1.0), 1.0)).ParamName);
        foreach (double range in new[] { 0.0, -1.0, double.NaN, double.PositiveInfinity })
        {
            Assert.Equal("dataRange", Assert.Throws<ArgumentOutOfRangeException>(() => ImageQuality.Psnr(a, b, range)).ParamName);
            Assert.Equal("dataRange", Assert.Throws<ArgumentOutOfRangeException>(() => ImageQuality.Ssim(a, b, range)).ParamName);
        }

        foreach (int window in new[] { 1, 4, 11, -3 })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => ImageQuality.Ssim(a, b, 1.0, window));
            Assert.Equal("windowSize", e.ParamName);
            Assert.Contains($"was {window}", e.Message, StringComparison.Ordinal);
        }

        Assert.Throws<ArgumentNullException>(() => ImageQuality.Psnr(null!, b, 1.0));
        Assert.Throws<ArgumentNullException>(() => ImageQuality.Ssim(a, null!, 1.0));
        var bad = a.Clone();
        bad[2, 9] = double.NegativeInfinity;
        var nf = Assert.Throws<ArgumentException>(() => ImageQuality.Ssim(bad, b, 1.0));
        Assert.Equal("a", nf.ParamName);
        Assert.Contains("row 2, column 9", nf.Message, StringComparison.Ordinal);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => ImageQuality.Psnr(a, bad, 1.0)).ParamName);
        Assert.Equal(ca, a);
        Assert.Equal(cb, b);
    }
}
