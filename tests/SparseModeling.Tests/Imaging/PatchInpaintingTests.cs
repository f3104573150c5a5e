// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using SparseModeling.Imaging;

namespace SparseModeling.Tests.Imaging;

public class PatchInpaintingTests
{
    private static readonly Matrix<double> Dct8 = DctDictionary.Generate(64, 8);

    // A smooth image with an edge: what patches over the DCT dictionary represent well.
    private static Matrix<double> TestImage(int rows, int cols) => Matrix<double>.Build.Dense(rows, cols, (i, j) =>
        0.4 + (0.2 * Math.Sin(i / 5.0)) + (0.15 * Math.Cos(j / 7.0)) + (j > cols / 2 ? 0.2 : 0.0));

    private static Matrix<double> RandomMask(int rows, int cols, double missing, ulong seed)
    {
        var rng = new SplitMix64(seed);
        return Matrix<double>.Build.Dense(rows, cols, (i, j) => rng.NextDouble() < missing ? 0.0 : 1.0);
    }

    [Fact]
    public void Inpaint_ObservedPixels_KeepTheirValuesExactly()
    {
        var image = TestImage(24, 30);
        var mask = RandomMask(24, 30, 0.5, 1);
        var restored = PatchInpainting.Inpaint(image, mask, Dct8, 8, 8, iterations: 3);
        for (int i = 0; i < 24; i++)
        {
            for (int j = 0; j < 30; j++)
            {
                if (mask[i, j] == 1.0)
                {
                    Assert.Equal(image[i, j], restored[i, j]);
                }
            }
        }
    }

    [Fact]
    public void Inpaint_PatchThatIsOneAtomPlusAConstant_IsRecoveredExactly()
    {
        // The image is a single 8×8 patch, 0.3 + 0.2·(DCT atom (1, 2)): with half its pixels missing, the observed part minus
        // its mean lies in the span of that atom and the constant atom restricted to them, so two atoms recover it exactly,
        // and a later pass on the whole patch (one atom after the mean) keeps it.
        var atom = Dct8.Row((1 * 8) + 2);
        var image = Matrix<double>.Build.Dense(8, 8, (i, j) => 0.3 + (0.2 * atom[(i * 8) + j]));
        var mask = RandomMask(8, 8, 0.5, 7);
        foreach (int passes in new[] { 0, 3 })
        {
            var restored = PatchInpainting.Inpaint(image, mask, Dct8, 8, 8, tolerance: 0.0, nonzeroCoefficients: 2, iterations: passes);
            for (int k = 0; k < 64; k++)
            {
                Assert.True(Math.Abs(restored[k / 8, k % 8] - image[k / 8, k % 8]) < 1e-12, $"{passes} passes, pixel {k / 8}, {k % 8}: {restored[k / 8, k % 8]:R} vs {image[k / 8, k % 8]:R}");
            }
        }
    }

    [Fact]
    public void Inpaint_SmoothImageHalfMissing_IsFarCloserThanTheDamagedImage()
    {
        var image = TestImage(40, 40);
        var mask = RandomMask(40, 40, 0.5, 3);
        var damaged = image.PointwiseMultiply(mask);
        var masked = PatchInpainting.Inpaint(damaged, mask, Dct8, 8, 8, iterations: 0);
        var refined = PatchInpainting.Inpaint(damaged, mask, Dct8, 8, 8);
        double before = ImageQuality.Psnr(image, damaged, 1.0), once = ImageQuality.Psnr(image, masked, 1.0), after = ImageQuality.Psnr(image, refined, 1.0);
        Assert.True(once > before + 15.0, $"masked pass {once:F2} dB vs damaged {before:F2} dB");
        Assert.True(after > before + 15.0, $"refined {after:F2} dB vs damaged {before:F2} dB");
    }

    [Fact]
    public void Inpaint_MissingPixelsMayHoldNaN_AndTheIntensityScaleDoesNotMatter()
    {
        var image = TestImage(20, 20);
        var mask = RandomMask(20, 20, 0.4, 5);
        var withNaN = Matrix<double>.Build.Dense(20, 20, (i, j) => mask[i, j] == 1.0 ? image[i, j] : double.NaN);
        var restored = PatchInpainting.Inpaint(withNaN, mask, Dct8, 8, 8, iterations: 2);
        Assert.True(restored.Enumerate().All(double.IsFinite));

        // Tolerances are relative to the observed range, so 255·image restores to 255·(the restored image), to rounding.
        var scaled = PatchInpainting.Inpaint(withNaN * 255.0, mask, Dct8, 8, 8, iterations: 2);
        for (int i = 0; i < 20; i++)
        {
            for (int j = 0; j < 20; j++)
            {
                Assert.True(Math.Abs((scaled[i, j] / 255.0) - restored[i, j]) < 1e-9, $"pixel {i}, {j}: {scaled[i, j] / 255.0:R} vs {restored[i, j]:R}");
            }
        }
    }

    [Fact]
    public void Inpaint_HoleWiderThanAPatch_FillsTheUncoveredPixelsWithTheObservedMean()
    {
        var image = Matrix<double>.Build.Dense(20, 20, (i, j) => j < 10 ? 0.2 : 0.9);
        var mask = Matrix<double>.Build.Dense(20, 20, (i, j) => i >= 4 && i < 16 && j >= 4 && j < 16 ? 0.0 : 1.0);
        double observedMean = image.Enumerate().Zip(mask.Enumerate()).Where(p => p.Second == 1.0).Average(p => p.First);
        var restored = PatchInpainting.Inpaint(image, mask, DctDictionary.Generate(16, 4), 4, 4, iterations: 0);

        // Pixel (9, 9) is 5 pixels from every observed pixel: no 4×4 patch covers it and an observed pixel.
        Assert.Equal(observedMean, restored[9, 9], 12);
        Assert.True(restored.Enumerate().All(double.IsFinite));
    }

    [Fact]
    public void Inpaint_DoesNotDependOnTheDegreeOfParallelism()
    {
        var image = TestImage(48, 44);
        var mask = RandomMask(48, 44, 0.6, 9);
        Matrix<double> Run(int degree)
        {
            using var scope = Parallelism.Enter(degree, CancellationToken.None);
            return PatchInpainting.Inpaint(image, mask, Dct8, 8, 8, iterations: 2);
        }

        var one = Run(1).ToColumnMajorArray();
        var four = Run(4).ToColumnMajorArray();
        for (int k = 0; k < one.Length; k++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(one[k]), BitConverter.DoubleToInt64Bits(four[k]));
        }
    }

    [Fact]
    public void Inpaint_DoesNotModifyItsInputs()
    {
        var image = TestImage(16, 16);
        var mask = RandomMask(16, 16, 0.5, 2);
        var dictionary = Dct8.Clone();
        var (imageCopy, maskCopy, dictionaryCopy) = (image.Clone(), mask.Clone(), dictionary.Clone());
        _ = PatchInpainting.Inpaint(image, mask, dictionary, 8, 8, iterations: 2);
        Assert.Equal(imageCopy, image);
        Assert.Equal(maskCopy, mask);
        Assert.Equal(dictionaryCopy, dictionary);
    }

    [Fact]
    public void Inpaint_CancelledToken_Throws()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => PatchInpainting.Inpaint(TestImage(16, 16), RandomMask(16, 16, 0.5, 1), Dct8, 8, 8, cancellationToken: source.Token));
    }

    [Fact]
    public void Inpaint_BadInput_ThrowsNamedExceptions()
    {
        var image = TestImage(16, 16);
        var mask = RandomMask(16, 16, 0.5, 1);
        Assert.Equal("image", Assert.Throws<ArgumentNullException>(() => PatchInpainting.Inpaint(null!, mask, Dct8, 8, 8)).ParamName);
        Assert.Equal("mask", Assert.Throws<ArgumentNullException>(() => PatchInpainting.Inpaint(image, null!, Dct8, 8, 8)).ParamName);
        Assert.Equal("dictionary", Assert.Throws<ArgumentNullException>(() => PatchInpainting.Inpaint(image, mask, null!, 8, 8)).ParamName);

        var shape = Assert.Throws<ArgumentException>(() => PatchInpainting.Inpaint(image, RandomMask(16, 15, 0.5, 1), Dct8, 8, 8));
        Assert.Equal("mask", shape.ParamName);
        Assert.Contains("16×15", shape.Message, StringComparison.Ordinal);

        var allMissing = Assert.Throws<ArgumentException>(() => PatchInpainting.Inpaint(image, Matrix<double>.Build.Dense(16, 16), Dct8, 8, 8));
        Assert.Equal("mask", allMissing.ParamName);
        Assert.Contains("no pixel", allMissing.Message, StringComparison.Ordinal);

        var notBinary = mask.Clone();
        notBinary[3, 4] = 0.5;
        var binary = Assert.Throws<ArgumentException>(() => PatchInpainting.Inpaint(image, notBinary, Dct8, 8, 8));
        Assert.Contains("row 3, column 4", binary.Message, StringComparison.Ordinal);

        var nonFinite = image.Clone();
        var full = Matrix<double>.Build.Dense(16, 16, 1.0);
        nonFinite[5, 6] = double.PositiveInfinity;
        var pixel = Assert.Throws<ArgumentException>(() => PatchInpainting.Inpaint(nonFinite, full, Dct8, 8, 8));
        Assert.Equal("image", pixel.ParamName);
        Assert.Contains("row 5, column 6", pixel.Message, StringComparison.Ordinal);

        Assert.Equal("patchHeight", Assert.Throws<ArgumentOutOfRangeException>(() => PatchInpainting.Inpaint(TestImage(6, 16), RandomMask(6, 16, 0.5, 1), Dct8, 8, 8)).ParamName);
        Assert.Equal("patchWidth", Assert.Throws<ArgumentOutOfRangeException>(() => PatchInpainting.Inpaint(TestImage(16, 7), RandomMask(16, 7, 0.5, 1), Dct8, 8, 8)).ParamName);
        Assert.Equal("patchHeight", Assert.Throws<ArgumentOutOfRangeException>(() => PatchInpainting.Inpaint(image, mask, Dct8, 0, 8)).ParamName);
        Assert.Equal("dictionary", Assert.Throws<ArgumentException>(() => PatchInpainting.Inpaint(image, mask, DctDictionary.Generate(36, 6), 8, 8)).ParamName);
        var badDictionary = Dct8.Clone();
        badDictionary[2, 3] = double.NaN;
        Assert.Equal("dictionary", Assert.Throws<ArgumentException>(() => PatchInpainting.Inpaint(image, mask, badDictionary, 8, 8)).ParamName);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => PatchInpainting.Inpaint(image, mask, Dct8, 8, 8, tolerance: -0.1)).ParamName);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => PatchInpainting.Inpaint(image, mask, Dct8, 8, 8, tolerance: double.NaN)).ParamName);
        Assert.Equal("nonzeroCoefficients", Assert.Throws<ArgumentOutOfRangeException>(() => PatchInpainting.Inpaint(image, mask, Dct8, 8, 8, nonzeroCoefficients: 0)).ParamName);
        Assert.Equal("iterations", Assert.Throws<ArgumentOutOfRangeException>(() => PatchInpainting.Inpaint(image, mask, Dct8, 8, 8, iterations: -1)).ParamName);
        Assert.Equal("image", Assert.Throws<ArgumentException>(() => PatchInpainting.Inpaint(Matrix<double>.Build.Dense(0, 0), Matrix<double>.Build.Dense(0, 0), Dct8, 8, 8)).ParamName);
    }
}
