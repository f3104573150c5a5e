// SPDX-License-Identifier: BSD-3-Clause
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Imaging;

namespace SparseModeling.Tests.Imaging;

public class SparseSuperResolutionTests
{
    private static readonly Lazy<SparseSuperResolution> Trained = new(() => Small().Fit([Shapes(64, 1), Shapes(64, 2), Shapes(64, 3)]));

    [Fact]
    public void Fit_LearnsUnitLowResolutionAtomsOfTheDocumentedShapes()
    {
        var model = Trained.Value;
        Assert.Equal(32, model.LowResolutionDictionary.RowCount);
        Assert.Equal(4 * 36, model.LowResolutionDictionary.ColumnCount);
        Assert.Equal(36, model.HighResolutionDictionary.ColumnCount);
        for (int a = 0; a < 32; a++)
        {
            Assert.Equal(1.0, model.LowResolutionDictionary.Row(a).L2Norm(), 1e-12);
        }

        Assert.InRange(model.Iterations, 1, 5);
    }

    [Fact]
    public void Upscale_ConstantImage_ReturnsTheConstant()
    {
        // No derivative features, so no detail: the bicubic interpolation of a constant, kept by back-projection.
        var large = Trained.Value.Upscale(Matrix<double>.Build.Dense(9, 11, 0.625));
        Assert.Equal(18, large.RowCount);
        Assert.Equal(22, large.ColumnCount);
        Assert.All(large.Enumerate(), v => Assert.Equal(0.625, v, 1e-12));
    }

    [Fact]
    public void Upscale_HeldOutImage_BeatsBicubicInterpolation()
    {
        var truth = Shapes(64, 4);
        var low = Resampling.Downscale(truth, 2);
        double bicubic = ImageQuality.Psnr(truth, Resampling.UpscaleBicubic(low, 2), 1.0);
        double ours = ImageQuality.Psnr(truth, Trained.Value.Upscale(low), 1.0);
        Assert.True(ours > bicubic + 0.5, $"ours {ours:F2} dB, bicubic {bicubic:F2} dB");
    }

    [Fact]
    public void Upscale_BackProjection_BringsTheDownscaleOfTheResultToTheInput()
    {
        // The global reconstruction constraint: each step reduces ‖D(X) − Y‖ (D the downscale the model inverts).
        var low = Resampling.Downscale(Shapes(64, 5), 2);
        var model = Small();
        model.Fit([Shapes(64, 1)]);
        double previous = double.PositiveInfinity;
        foreach (int steps in new[] { 0, 5, 50 })
        {
            model.BackProjectionIterations = steps;
            double mismatch = (Resampling.Downscale(model.Upscale(low), 2) - low).FrobeniusNorm();
            Assert.True(mismatch < previous, $"{steps} steps: ‖D(X) − Y‖ = {mismatch}, before {previous}");
            previous = mismatch;
        }

        Assert.True(previous < 0.05 * low.FrobeniusNorm() / 10, $"after 50 steps ‖D(X) − Y‖ = {previous}");
    }

    [Fact]
    public void Upscale_DoesNotDependOnTheDegreeOfParallelism_NorModifyItsInput()
    {
        var low = Resampling.Downscale(Shapes(96, 6), 2);
        var copy = low.Clone();
        var model = Trained.Value;
        model.MaxDegreeOfParallelism = 1;
        var serial = model.Upscale(low).ToColumnMajorArray();
        model.MaxDegreeOfParallelism = 4;
        var parallel = model.Upscale(low).ToColumnMajorArray();
        model.MaxDegreeOfParallelism = null;
        Assert.Equal(Bits(serial), Bits(parallel));
        Assert.Equal(Bits(copy.ToColumnMajorArray()), Bits(low.ToColumnMajorArray()));
    }

    [Fact]
    public void Fit_SameSeed_SameModel_AndSavedModelUpscalesIdentically()
    {
        var images = new[] { Shapes(48, 7) };
        var a = Small().Fit(images);
        var b = Small().Fit(images);
        Assert.Equal(Bits(a.HighResolutionDictionary.ToColumnMajorArray()), Bits(b.HighResolutionDictionary.ToColumnMajorArray()));
        using var stream = new MemoryStream();
        ModelSerializer.Save(a, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<SparseSuperResolution>(stream);
        var low = Resampling.Downscale(Shapes(32, 8), 2);
        Assert.Equal(Bits(a.Upscale(low).ToColumnMajorArray()), Bits(loaded.Upscale(low).ToColumnMajorArray()));
        Assert.Contains("\"LowResolution\"", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-3)]
    public void Fit_FactorBelowTwo_ThrowsOutOfRangeNamingFactor(int factor)
    {
        var model = Small();
        model.Factor = factor;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit([Shapes(32, 1)]));
        Assert.Equal(nameof(SparseSuperResolution.Factor), e.ParamName);
        Assert.Contains($"(was {factor})", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_PatchOrFactorLargerThanTheImages_ThrowsOutOfRangeAndKeepsTheModel()
    {
        var model = Small().Fit([Shapes(32, 1)]);
        var low = Resampling.Downscale(Shapes(32, 2), 2);
        var before = Bits(model.Upscale(low).ToColumnMajorArray());
        model.PatchSize = 20;
        var patch = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit([Shapes(32, 1), Shapes(19, 3)]));
        Assert.Equal(nameof(SparseSuperResolution.PatchSize), patch.ParamName);
        Assert.Contains("[2, 18]", patch.Message, StringComparison.Ordinal);
        model.PatchSize = 6;
        model.Factor = 40;
        var factor = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit([Shapes(32, 1)]));
        Assert.Equal(nameof(SparseSuperResolution.Factor), factor.ParamName);
        model.Factor = 2;
        Assert.Equal(before, Bits(model.Upscale(low).ToColumnMajorArray()));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Fit_NonFinitePixel_ThrowsNamingImageRowAndColumn_NothingModified(double bad)
    {
        var model = Small().Fit([Shapes(32, 1)]);
        var low = Resampling.Downscale(Shapes(32, 2), 2);
        var before = Bits(model.Upscale(low).ToColumnMajorArray());
        var image = Shapes(32, 3);
        image[3, 4] = bad;
        var copy = Bits(image.ToColumnMajorArray());
        var e = Assert.Throws<ArgumentException>(() => model.Fit([Shapes(32, 1), image]));
        Assert.Equal("images", e.ParamName);
        Assert.Contains("images[1]", e.Message, StringComparison.Ordinal);
        Assert.Contains("row 3, column 4", e.Message, StringComparison.Ordinal);
        Assert.Equal(copy, Bits(image.ToColumnMajorArray()));
        Assert.Equal(before, Bits(model.Upscale(low).ToColumnMajorArray()));

        var lowBad = low.Clone();
        lowBad[1, 2] = bad;
        var u = Assert.Throws<ArgumentException>(() => model.Upscale(lowBad));
        Assert.Equal("image", u.ParamName);
        Assert.Contains("row 1, column 2", u.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadArguments_ThrowTheDocumentedExceptions()
    {
        Assert.Throws<InvalidOperationException>(() => new SparseSuperResolution().Upscale(Matrix<double>.Build.Dense(8, 8, 1.0)));
        Assert.Throws<InvalidOperationException>(() => new SparseSuperResolution().LowResolutionDictionary);
        var model = Small();
        Assert.Throws<ArgumentNullException>(() => model.Fit(null!));
        Assert.Throws<ArgumentNullException>(() => model.Fit([null!]));
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => model.Fit([])).ParamName);
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => model.Fit([Matrix<double>.Build.Dense(32, 32, 0.5)])).ParamName); // flat: nothing to learn
        model.Fit([Shapes(32, 1)]);
        Assert.Throws<ArgumentNullException>(() => model.Upscale(null!));
        var small = Assert.Throws<ArgumentException>(() => model.Upscale(Matrix<double>.Build.Dense(2, 8, 1.0)));
        Assert.Equal("image", small.ParamName);
        model.BackProjectionIterations = -1;
        Assert.Equal(nameof(SparseSuperResolution.BackProjectionIterations), Assert.Throws<ArgumentOutOfRangeException>(() => model.Upscale(Matrix<double>.Build.Dense(8, 8, 1.0))).ParamName);
    }

    private static SparseSuperResolution Small() => new() { ComponentCount = 32, TrainingPatches = 3000, RandomSeed = 11 };

    private static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

    /// <summary>Anti-aliased random rectangles and ellipses of random grey levels: edges of every orientation.</summary>
    internal static Matrix<double> Shapes(int size, ulong seed)
    {
        var rng = new SplitMix64(seed);
        const int Super = 4;
        int n = size * Super;
        var canvas = new double[n, n];
        double background = rng.NextDouble();
        var shapes = Enumerable.Range(0, 12).Select(_ => (Cy: rng.NextDouble() * n, Cx: rng.NextDouble() * n, A: (0.05 + (0.2 * rng.NextDouble())) * n, B: (0.05 + (0.2 * rng.NextDouble())) * n, Angle: rng.NextDouble() * Math.PI, Value: rng.NextDouble(), Ellipse: rng.NextDouble() < 0.5)).ToArray();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double v = background;
                foreach (var s in shapes)
                {
                    double u = (((j - s.Cx) * Math.Cos(s.Angle)) + ((i - s.Cy) * Math.Sin(s.Angle))) / s.A, w = ((-(j - s.Cx) * Math.Sin(s.Angle)) + ((i - s.Cy) * Math.Cos(s.Angle))) / s.B;
                    if (s.Ellipse ? (u * u) + (w * w) <= 1.0 : Math.Abs(u) <= 1.0 && Math.Abs(w) <= 1.0)
                    {
                        v = s.Value;
                    }
                }

                canvas[i, j] = v;
            }
        }

        return Matrix<double>.Build.Dense(size, size, (i, j) =>
        {
            double sum = 0.0;
            for (int a = 0; a < Super; a++)
            {
                for (int b = 0; b < Super; b++)
                {
                    sum += canvas[(i * Super) + a, (j * Super) + b];
                }
            }

            return sum / (Super * Super);
        });
    }
}
