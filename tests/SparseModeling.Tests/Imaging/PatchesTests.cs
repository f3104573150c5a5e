// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Imaging;

namespace SparseModeling.Tests.Imaging;

public class PatchesTests
{
    private static Matrix<double> Load(JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(TestData.Doubles).ToArray();
        return Matrix<double>.Build.Dense(data.Length, data[0].Length, (i, j) => data[i][j]);
    }

    private static IEnumerable<JsonElement> Cases(string kind) =>
        TestData.Fixture("patches.json").GetProperty("cases").EnumerateArray().Where(c => c.GetProperty("kind").GetString() == kind);

    private static (int H, int W) Patch(JsonElement c)
    {
        var p = c.GetProperty("patch").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        return (p[0], p[1]);
    }

    private static Matrix<double> RandomImage(ulong seed, int rows, int cols)
    {
        var rng = new SplitMix64(seed);
        return Matrix<double>.Build.Dense(rows, cols, (i, j) => rng.NextDouble());
    }

    private static void AssertBitIdentical(Matrix<double> expected, Matrix<double> actual, string what)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        var a = expected.ToColumnMajorArray();
        var b = actual.ToColumnMajorArray();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(a[i]) == BitConverter.DoubleToInt64Bits(b[i]), $"{what}: entry {i % expected.RowCount}, {i / expected.RowCount}: {b[i]:R} vs {a[i]:R}");
        }
    }

    [Fact]
    public void Extract2D_MatchesScikitLearn()
    {
        foreach (var c in Cases("extract"))
        {
            var image = Load(c.GetProperty("image"));
            var (h, w) = Patch(c);
            AssertBitIdentical(Load(c.GetProperty("patches")), Patches.Extract2D(image, h, w), c.GetProperty("call").GetString()!);
        }
    }

    [Fact]
    public void ReconstructFrom2D_MatchesScikitLearnBitForBit()
    {
        // The fixture's patches disagree where they overlap (each scaled by a random factor), so the averaging is exercised.
        foreach (var c in Cases("reconstruct"))
        {
            var (h, w) = Patch(c);
            var size = c.GetProperty("image_size").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var patches = Load(c.GetProperty("patches_in"));
            var copy = patches.Clone();
            var image = Patches.ReconstructFrom2D(patches, h, w, size[0], size[1]);
            AssertBitIdentical(Load(c.GetProperty("image")), image, c.GetProperty("call").GetString()!);
            AssertBitIdentical(copy, patches, "input");
        }
    }

    [Fact]
    public void SimplePatches_MatchSpmImage()
    {
        // 22×27 images with patch sizes that do not divide them: the remainder is dropped, and zero after reconstruction.
        foreach (var c in Cases("simple"))
        {
            var image = Load(c.GetProperty("image"));
            var (h, w) = Patch(c);
            var patches = Patches.ExtractSimple2D(image, h, w);
            AssertBitIdentical(Load(c.GetProperty("patches")), patches, c.GetProperty("call").GetString()!);
            AssertBitIdentical(Load(c.GetProperty("reconstructed")), Patches.ReconstructSimple2D(patches, h, w, image.RowCount, image.ColumnCount), "reconstruction");
        }
    }

    [Fact]
    public void ExtractSimple2D_SpmImageTests()
    {
        // spm-image's test_extract_simple_patches_2d_gray and _gray_float, and the reconstruction tests.
        var image = Matrix<double>.Build.Dense(4, 4, (i, j) => (4 * i) + j);
        var patches = Patches.ExtractSimple2D(image, 2, 2);
        Assert.Equal(4, patches.RowCount);
        Assert.Equal(new double[] { 0, 1, 4, 5 }, patches.Row(0).ToArray());
        Assert.Equal(new double[] { 2, 3, 6, 7 }, patches.Row(1).ToArray());
        Assert.Equal(new double[] { 8, 9, 12, 13 }, patches.Row(2).ToArray());
        Assert.Equal(new double[] { 10, 11, 14, 15 }, patches.Row(3).ToArray());
        Assert.Equal(image, Patches.ReconstructSimple2D(patches, 2, 2, 4, 4));

        var floats = Matrix<double>.Build.Dense(4, 4, (i, j) => 0.1 * ((4 * i) + j));
        var fp = Patches.ExtractSimple2D(floats, 2, 2);
        Assert.Equal(new[] { 0.0, 0.1, 0.4, 0.5 }, fp.Row(0).ToArray(), new ToleranceComparer(1e-12));
        Assert.Equal(new[] { 1.0, 1.1, 1.4, 1.5 }, fp.Row(3).ToArray(), new ToleranceComparer(1e-12));
        Assert.Equal(floats, Patches.ReconstructSimple2D(fp, 2, 2, 4, 4));
    }

    [Fact]
    public void Extract2D_LargeImage_EveryPatchIsItsWindow()
    {
        // 512×512 with 8×8 patches: 255,025 × 64 (the parallel path); every entry checked against the image.
        var image = RandomImage(1, 512, 512);
        var patches = Patches.Extract2D(image, 8, 8);
        Assert.Equal(505 * 505, patches.RowCount);
        Assert.Equal(64, patches.ColumnCount);
        var data = patches.AsColumnMajorArray();
        var pixels = image.AsColumnMajorArray();
        int n = patches.RowCount;
        for (int i = 0; i < 505; i++)
        {
            for (int j = 0; j < 505; j++)
            {
                for (int r = 0; r < 8; r++)
                {
                    for (int s = 0; s < 8; s++)
                    {
                        if (data[(((r * 8) + s) * n) + (i * 505) + j] != pixels[i + r + ((j + s) * 512)])
                        {
                            Assert.Fail($"patch ({i}, {j}) pixel ({r}, {s})");
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(512, 512, 8, 8)]
    [InlineData(61, 37, 5, 9)]
    [InlineData(10, 10, 10, 10)]
    [InlineData(7, 9, 1, 1)]
    public void ReconstructFrom2D_OfExtractedPatches_GivesTheImageBack(int rows, int cols, int h, int w)
    {
        var image = RandomImage(2, rows, cols);
        var back = Patches.ReconstructFrom2D(Patches.Extract2D(image, h, w), h, w, rows, cols);
        for (int j = 0; j < cols; j++)
        {
            for (int i = 0; i < rows; i++)
            {
                Assert.Equal(image[i, j], back[i, j], 1e-14);
            }
        }
    }

    [Theory]
    [InlineData(9, 11, 3, 4)]
    [InlineData(9, 11, 7, 8)]
    [InlineData(6, 12, 6, 5)]
    [InlineData(5, 5, 5, 5)]
    public void ReconstructFrom2D_AveragesOverlaps(int height, int width, int ph, int pw)
    {
        // Patch k filled with k: pixel (y, x) is the mean of the indices of the patches covering it (independent formula).
        // Patches larger than half the image are included: scikit-learn 1.2 miscounts those (its issue #10910).
        int nw = width - pw + 1, nh = height - ph + 1;
        var patches = Matrix<double>.Build.Dense(nh * nw, ph * pw, (k, _) => k);
        var image = Patches.ReconstructFrom2D(patches, ph, pw, height, width);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double sum = 0.0;
                int count = 0;
                for (int i = Math.Max(0, y - ph + 1); i <= Math.Min(y, nh - 1); i++)
                {
                    for (int j = Math.Max(0, x - pw + 1); j <= Math.Min(x, nw - 1); j++)
                    {
                        sum += (i * nw) + j;
                        count++;
                    }
                }

                Assert.Equal(sum / count, image[y, x], 1e-12);
            }
        }
    }

    [Fact]
    public void SimplePatches_LargeImage_RoundTrip()
    {
        var image = RandomImage(3, 512, 512);
        var patches = Patches.ExtractSimple2D(image, 8, 8);
        Assert.Equal(4096, patches.RowCount);
        Assert.Equal(image[8 * 3 + 5, 8 * 7 + 2], patches[(3 * 64) + 7, (5 * 8) + 2]);
        AssertBitIdentical(image, Patches.ReconstructSimple2D(patches, 8, 8, 512, 512), "round trip");
    }

    [Fact]
    public void Extract2D_MaxPatches_DrawsReproducibleRandomPatches()
    {
        // Distinct pixel values, so a patch's first pixel tells its position.
        const int H = 30, W = 40, Ph = 4, Pw = 6;
        var image = Matrix<double>.Build.Dense(H, W, (i, j) => (i * W) + j);
        var all = Patches.Extract2D(image, Ph, Pw);
        var some = Patches.Extract2D(image, Ph, Pw, maxPatches: 200, randomSeed: 5);
        Assert.Equal(200, some.RowCount);
        for (int t = 0; t < some.RowCount; t++)
        {
            int i = (int)some[t, 0] / W, j = (int)some[t, 0] % W;
            Assert.InRange(i, 0, H - Ph);
            Assert.InRange(j, 0, W - Pw);
            Assert.Equal(all.Row((i * (W - Pw + 1)) + j).ToArray(), some.Row(t).ToArray());
        }

        Assert.Equal(some, Patches.Extract2D(image, Ph, Pw, maxPatches: 200, randomSeed: 5));
        Assert.NotEqual(some, Patches.Extract2D(image, Ph, Pw, maxPatches: 200, randomSeed: 6));

        // More than there are: as scikit-learn, all-patches many, still drawn at random.
        var capped = Patches.Extract2D(image, Ph, Pw, maxPatches: 100000, randomSeed: 1);
        Assert.Equal(all.RowCount, capped.RowCount);
        Assert.NotEqual(all, capped);
    }

    [Fact]
    public void BadInput_ThrowsNamedExceptionsAndLeavesInputsUnchanged()
    {
        var image = RandomImage(4, 6, 5);
        var copy = image.Clone();
        Assert.Equal("patchHeight", Assert.Throws<ArgumentOutOfRangeException>(() => Patches.Extract2D(image, 7, 2)).ParamName);
        Assert.Equal("patchWidth", Assert.Throws<ArgumentOutOfRangeException>(() => Patches.Extract2D(image, 2, 6)).ParamName);
        Assert.Equal("patchWidth", Assert.Throws<ArgumentOutOfRangeException>(() => Patches.ExtractSimple2D(image, 2, 0)).ParamName);
        Assert.Equal("patchHeight", Assert.Throws<ArgumentOutOfRangeException>(() => Patches.ExtractSimple2D(image, 9, 1)).ParamName);
        Assert.Equal("maxPatches", Assert.Throws<ArgumentOutOfRangeException>(() => Patches.Extract2D(image, 2, 2, maxPatches: 0)).ParamName);
        Assert.Contains("was 7", Assert.Throws<ArgumentOutOfRangeException>(() => Patches.Extract2D(image, 7, 2)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => Patches.Extract2D(null!, 2, 2));
        Assert.Throws<ArgumentNullException>(() => Patches.ReconstructFrom2D(null!, 2, 2, 4, 4));
        Assert.Equal("image", Assert.ThrowsAny<ArgumentException>(() => Patches.Extract2D(Matrix<double>.Build.Dense(0, 3), 1, 1)).ParamName);
        AssertBitIdentical(copy, image, "image");

        var bad = image.Clone();
        bad[3, 4] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => Patches.Extract2D(bad, 2, 2));
        Assert.Equal("image", e.ParamName);
        Assert.Contains("row 3, column 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("row 3, column 4", Assert.Throws<ArgumentException>(() => Patches.ExtractSimple2D(bad, 2, 2)).Message, StringComparison.Ordinal);

        var patches = Patches.Extract2D(image, 2, 3);
        var patchesCopy = patches.Clone();
        Assert.Equal("patches", Assert.Throws<ArgumentException>(() => Patches.ReconstructFrom2D(patches, 2, 3, 6, 6)).ParamName);
        Assert.Equal("patches", Assert.Throws<ArgumentException>(() => Patches.ReconstructFrom2D(patches, 3, 2, 6, 5)).ParamName);
        Assert.Equal("patches", Assert.Throws<ArgumentException>(() => Patches.ReconstructSimple2D(patches, 2, 3, 6, 5)).ParamName);
        Assert.Equal("patchHeight", Assert.Throws<ArgumentOutOfRangeException>(() => Patches.ReconstructFrom2D(patches, 7, 3, 6, 5)).ParamName);
        Assert.Equal("imageWidth", Assert.Throws<ArgumentOutOfRangeException>(() => Patches.ReconstructFrom2D(patches, 2, 3, 6, 0)).ParamName);
        var nonFinite = patches.Clone();
        nonFinite[5, 1] = double.PositiveInfinity;
        var ep = Assert.Throws<ArgumentException>(() => Patches.ReconstructFrom2D(nonFinite, 2, 3, 6, 5));
        Assert.Equal("patches", ep.ParamName);
        Assert.Contains("row 5, column 1", ep.Message, StringComparison.Ordinal);
        AssertBitIdentical(patchesCopy, patches, "patches");
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
