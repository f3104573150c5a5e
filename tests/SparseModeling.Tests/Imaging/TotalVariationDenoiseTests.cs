// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Imaging;

namespace SparseModeling.Tests.Imaging;

/// <summary>
/// <see cref="TotalVariation.Denoise"/> (Chambolle's projection algorithm) against scikit-image 0.19.3's
/// <c>denoise_tv_chambolle</c> (the shared fixture tv_camera_crop.json and the cases of total_variation.json), its
/// limits, and the properties of the minimiser it approaches.
/// </summary>
public class TotalVariationDenoiseTests
{
    private static Matrix<double> Load(JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(TestData.Doubles).ToArray();
        return Matrix<double>.Build.Dense(data.Length, data[0].Length, (i, j) => data[i][j]);
    }

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in TestData.Fixture("total_variation.json").GetProperty("cases").EnumerateArray())
        {
            names.Add(c.GetProperty("name").GetString()!);
        }

        return names;
    }

    internal static Matrix<double> NoisyImage(int rows, int columns, ulong seed)
    {
        var rng = new SplitMix64(seed);
        return Matrix<double>.Build.Dense(rows, columns, (i, j) => (i < rows / 2 ? 0.2 : 0.7) + ((j * 3) > columns ? 0.1 : 0.0) + (0.1 * rng.NextNormal()));
    }

    private static double MaxDifference(Matrix<double> a, Matrix<double> b) => (a - b).Enumerate().Max(Math.Abs);

    [Fact]
    public void Denoise_CameraCrop_MatchesScikitImageFixture()
    {
        // tv_camera_crop.json: denoise_tv_chambolle(noisy, weight=0.1, eps=2e-4, max_num_iter=200) on a 128×128 crop.
        var fixture = TestData.Fixture("tv_camera_crop.json");
        var noisy = Load(fixture.GetProperty("noisy"));
        var expected = Load(fixture.GetProperty("denoised"));
        var denoised = TotalVariation.Denoise(noisy, weight: 0.1, eps: 2e-4, maxIterations: 200);
        double difference = MaxDifference(expected, denoised);
        Assert.True(difference <= 1e-12, $"max |ours − scikit-image| = {difference:R}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Denoise_Cases_MatchScikitImage(string name)
    {
        var c = TestData.Fixture("total_variation.json").GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var image = Load(c.GetProperty("image"));
        var expected = Load(c.GetProperty("denoised"));
        double weight = c.GetProperty("weight").GetDouble(), eps = c.GetProperty("eps").GetDouble();
        int maxIterations = c.GetProperty("max_num_iter").GetInt32();
        var denoised = TotalVariation.Denoise(image, weight, eps, maxIterations);
        double scale = Math.Max(1.0, image.Enumerate().Max(Math.Abs));
        double difference = MaxDifference(expected, denoised);
        Assert.True(difference <= 1e-12 * scale, $"{name}: max |ours − scikit-image| = {difference:R}");

        // The same stopping iteration as scikit-image's loop.
        var (_, iterations) = ChambolleSolver.Solve(image.ToColumnMajorArray(), image.RowCount, image.ColumnCount, weight, eps, maxIterations);
        Assert.Equal(c.GetProperty("iterations").GetInt32(), iterations);
    }

    [Fact]
    public void Denoise_ParallelColumnBlocks_BitIdenticalToOneThread()
    {
        // 1025×1024 pixels: above the parallel threshold (2^20), so the columns split into blocks at two or more threads.
        var image = NoisyImage(1025, 1024, 5);
        Matrix<double> serial, parallel;
        using (Parallelism.Enter(1, CancellationToken.None))
        {
            serial = TotalVariation.Denoise(image, 0.15, 1e-5, 3);
        }

        using (Parallelism.Enter(4, CancellationToken.None))
        {
            parallel = TotalVariation.Denoise(image, 0.15, 1e-5, 3);
        }

        Assert.Equal(serial.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits), parallel.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Denoise_ManyIterations_ReachesTheMinimiserOfTheRofObjective()
    {
        // Chambolle's iteration approaches argmin ½‖u − f‖² + weight·TV(u); an independent dual solve (FISTA on the dual of
        // the ROF problem, written out in the test) brackets the optimum between its primal and dual objectives.
        var image = NoisyImage(14, 11, 9);
        const double Weight = 0.2;
        var (upper, lower) = TotalVariationTestMath.RofOptimumBounds(image, Weight, 20000);
        Assert.True(Math.Abs(upper - lower) <= 1e-9 * upper, $"the reference solve has a gap of {upper - lower:R}");
        var denoised = TotalVariation.Denoise(image, Weight, eps: 1e-300, maxIterations: 20000);
        double objective = TotalVariationTestMath.RofObjective(denoised, image, Weight);
        Assert.True(objective >= lower * (1 - 1e-12), $"objective {objective:R} below the dual bound {lower:R} (upper {upper:R})");
        Assert.True(objective - lower <= 1e-6 * lower, $"objective {objective:R}, optimum {lower:R}");
    }

    [Fact]
    public void Denoise_OneColumn_ApproachesTheExactOneDimensionalMinimiser()
    {
        // On a single column the isotropic TV is the 1-D total variation, whose minimiser Denoise1D computes exactly.
        var rng = new SplitMix64(4);
        var signal = Vector<double>.Build.Dense(40, i => (i < 15 ? 0.0 : i < 30 ? 1.0 : 0.4) + (0.2 * rng.NextNormal()));
        var exact = TotalVariation.Denoise1D(signal, 0.3);
        var chambolle = TotalVariation.Denoise(signal.ToColumnMatrix(), 0.3, eps: 1e-300, maxIterations: 50000);
        Assert.True((chambolle.Column(0) - exact).AbsoluteMaximum() <= 1e-6);
    }

    [Fact]
    public void Denoise_ZeroWeight_ReturnsACopy()
    {
        var image = NoisyImage(5, 7, 1);
        var denoised = TotalVariation.Denoise(image, weight: 0.0);
        Assert.Equal(image, denoised);
        Assert.NotSame(image.AsColumnMajorArray(), denoised.AsColumnMajorArray());
    }

    [Fact]
    public void Denoise_ConstantImage_ReturnsIt()
    {
        var image = Matrix<double>.Build.Dense(6, 4, 0.375);
        Assert.Equal(image, TotalVariation.Denoise(image));
    }

    [Theory]
    [InlineData(-70)]
    [InlineData(200)]
    [InlineData(-1000)]
    public void Denoise_PowerOfTwoScaledImageAndWeight_ScalesTheResultExactly(int exponent)
    {
        var image = NoisyImage(20, 18, 3);
        var reference = TotalVariation.Denoise(image, 0.1);
        double c = Math.ScaleB(1.0, exponent);
        var scaled = TotalVariation.Denoise(image * c, 0.1 * c);
        Assert.Equal((reference * c).ToColumnMajorArray(), scaled.ToColumnMajorArray());
    }

    [Fact]
    public void Denoise_ExtremeWeights_StayFiniteAndAreTheLimits()
    {
        var image = NoisyImage(12, 10, 8);
        var tiny = TotalVariation.Denoise(image, 1e-300);
        Assert.Equal(image, tiny);
        var huge = TotalVariation.Denoise(image, 1e300, maxIterations: 30);
        var large = TotalVariation.Denoise(image, Math.ScaleB(1.0, 600), maxIterations: 30);
        Assert.True(huge.Enumerate().All(double.IsFinite));
        Assert.Equal(large, huge);
    }

    [Fact]
    public void Denoise_BadInput_ThrowsNamedExceptionsAndLeavesTheImage()
    {
        var image = NoisyImage(6, 5, 2);
        var copy = image.Clone();
        Assert.Equal("image", Assert.Throws<ArgumentNullException>(() => TotalVariation.Denoise(null!)).ParamName);
        Assert.Equal("image", Assert.Throws<ArgumentException>(() => TotalVariation.Denoise(Matrix<double>.Build.Dense(0, 3))).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Denoise(image, -0.1)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Denoise(image, double.NaN)).ParamName);
        Assert.Equal("eps", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Denoise(image, 0.1, 0.0)).ParamName);
        Assert.Equal("eps", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Denoise(image, 0.1, -1e-3)).ParamName);
        Assert.Equal("maxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Denoise(image, 0.1, 2e-4, 0)).ParamName);
        var withNaN = image.Clone();
        withNaN[4, 2] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => TotalVariation.Denoise(withNaN));
        Assert.Equal("image", e.ParamName);
        Assert.Contains("row 4, column 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("(was -0.1)", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Denoise(image, -0.1)).Message, StringComparison.Ordinal);
        Assert.Equal(copy, image);
    }

    [Fact]
    public void Denoise_InputIsNotModified()
    {
        var image = NoisyImage(40, 33, 6);
        var bits = image.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits).ToArray();
        _ = TotalVariation.Denoise(image, 0.2);
        Assert.Equal(bits, image.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Denoise_Cancelled_Throws()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => TotalVariation.Denoise(NoisyImage(10, 10, 1), 0.1, cancellationToken: source.Token));
    }
}

/// <summary>Objectives written out pixel by pixel, independent of the library's kernels.</summary>
internal static class TotalVariationTestMath
{
    /// <summary>The isotropic total variation with forward differences and Neumann boundaries.</summary>
    public static double Tv(Matrix<double> u)
    {
        double sum = 0.0;
        for (int i = 0; i < u.RowCount; i++)
        {
            for (int j = 0; j < u.ColumnCount; j++)
            {
                double down = i + 1 < u.RowCount ? u[i + 1, j] - u[i, j] : 0.0;
                double across = j + 1 < u.ColumnCount ? u[i, j + 1] - u[i, j] : 0.0;
                sum += Math.Sqrt((down * down) + (across * across));
            }
        }

        return sum;
    }

    /// <summary>∇u: the differences down the rows (0 in the last row) and across the columns (0 in the last column).</summary>
    public static (double[,] Down, double[,] Across) Gradient(double[,] u)
    {
        int rows = u.GetLength(0), columns = u.GetLength(1);
        var down = new double[rows, columns];
        var across = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                down[i, j] = i + 1 < rows ? u[i + 1, j] - u[i, j] : 0.0;
                across[i, j] = j + 1 < columns ? u[i, j + 1] - u[i, j] : 0.0;
            }
        }

        return (down, across);
    }

    /// <summary>∇ᵀq = −div q, the adjoint of <see cref="Gradient"/>.</summary>
    public static double[,] GradientTranspose(double[,] down, double[,] across)
    {
        int rows = down.GetLength(0), columns = down.GetLength(1);
        var result = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                double v = 0.0;
                if (i + 1 < rows)
                {
                    v -= down[i, j];
                }

                if (i > 0)
                {
                    v += down[i - 1, j];
                }

                if (j + 1 < columns)
                {
                    v -= across[i, j];
                }

                if (j > 0)
                {
                    v += across[i, j - 1];
                }

                result[i, j] = v;
            }
        }

        return result;
    }

    /// <summary>
    /// Bounds on min ½‖u − f‖² + weight·TV(u) from FISTA on its dual, max over |qᵢ| ≤ weight of ½‖f‖² − ½‖f − ∇ᵀq‖²
    /// (smooth, gradient Lipschitz constant ‖∇‖² ≤ 8): the primal objective at u = f − ∇ᵀq (an upper bound) and the dual
    /// objective (a lower bound).
    /// </summary>
    public static (double Upper, double Lower) RofOptimumBounds(Matrix<double> image, double weight, int iterations)
    {
        int rows = image.RowCount, columns = image.ColumnCount;
        var f = image.ToArray();
        var q0 = new double[rows, columns];
        var q1 = new double[rows, columns];
        var v0 = new double[rows, columns];
        var v1 = new double[rows, columns];
        double t = 1.0;
        for (int k = 0; k < iterations; k++)
        {
            var div = GradientTranspose(v0, v1);
            var u = new double[rows, columns];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    u[i, j] = f[i, j] - div[i, j];
                }
            }

            var (g0, g1) = Gradient(u);
            double tNext = 0.5 * (1.0 + Math.Sqrt(1.0 + (4.0 * t * t)));
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    double a = v0[i, j] + (g0[i, j] / 8.0), b = v1[i, j] + (g1[i, j] / 8.0);
                    double norm = Math.Sqrt((a * a) + (b * b));
                    double scale = norm > weight ? weight / norm : 1.0;
                    double n0 = a * scale, n1 = b * scale;
                    v0[i, j] = n0 + ((t - 1.0) / tNext * (n0 - q0[i, j]));
                    v1[i, j] = n1 + ((t - 1.0) / tNext * (n1 - q1[i, j]));
                    q0[i, j] = n0;
                    q1[i, j] = n1;
                }
            }

            t = tNext;
        }

        var final = GradientTranspose(q0, q1);
        var best = Matrix<double>.Build.Dense(rows, columns, (i, j) => f[i, j] - final[i, j]);
        double fSquared = image.Enumerate().Sum(v => v * v);
        double bestSquared = best.Enumerate().Sum(v => v * v);
        return (RofObjective(best, image, weight), (0.5 * fSquared) - (0.5 * bestSquared));
    }

    /// <summary>½‖u − f‖² + weight·TV(u).</summary>
    public static double RofObjective(Matrix<double> u, Matrix<double> f, double weight) =>
        (0.5 * (u - f).Enumerate().Sum(v => v * v)) + (weight * Tv(u));
}
