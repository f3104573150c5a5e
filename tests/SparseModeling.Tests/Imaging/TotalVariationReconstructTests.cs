// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Imaging;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.Imaging;

/// <summary>
/// <see cref="TotalVariation.Reconstruct"/> (Chambolle–Pock): its objective against exact and independent solutions
/// (Condat's 1-D minimiser, a dual FISTA solve with a duality gap) and against a long run, its limits and bad input.
/// </summary>
public class TotalVariationReconstructTests
{
    /// <summary>Inpainting: A keeps the listed pixels (a subset of the rows of the identity).</summary>
    private sealed class MaskOperator(int[] kept, int pixels) : ILinearOperator
    {
        public int RowCount => kept.Length;

        public int ColumnCount => pixels;

        public void Apply(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < kept.Length; i++)
            {
                y[i] = x[kept[i]];
            }
        }

        public void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x)
        {
            x.Clear();
            for (int i = 0; i < kept.Length; i++)
            {
                x[kept[i]] = y[i];
            }
        }
    }

    /// <summary>An operator that answers NaN.</summary>
    private sealed class BrokenOperator(int rows, int columns) : ILinearOperator
    {
        public int RowCount => rows;

        public int ColumnCount => columns;

        public void Apply(ReadOnlySpan<double> x, Span<double> y) => y.Fill(double.NaN);

        public void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x) => x.Fill(double.NaN);
    }

    private static DenseLinearOperator Identity(int n) => new(Matrix<double>.Build.DenseIdentity(n));

    private static Vector<double> Flatten(Matrix<double> image) => Vector<double>.Build.DenseOfArray(image.ToColumnMajorArray());

    private static (MaskOperator A, Vector<double> Y, Matrix<double> Truth) Inpainting(int rows, int columns, double keep, ulong seed)
    {
        var truth = TotalVariationDenoiseTests.NoisyImage(rows, columns, seed);
        var rng = new SplitMix64(seed + 100);
        int[] kept = [.. Enumerable.Range(0, rows * columns).Where(_ => rng.NextDouble() < keep)];
        var a = new MaskOperator(kept, rows * columns);
        var y = Vector<double>.Build.Dense(kept.Length);
        a.Apply(truth.ToColumnMajorArray(), y.AsArray());
        return (a, y, truth);
    }

    [Fact]
    public void Reconstruct_IdentityOnOneColumn_ReachesTheExactOneDimensionalMinimiser()
    {
        var rng = new SplitMix64(11);
        var signal = Vector<double>.Build.Dense(50, i => (i < 20 ? 0.0 : i < 35 ? 1.0 : 0.3) + (0.25 * rng.NextNormal()));
        const double Weight = 0.4;
        var exact = TotalVariation.Denoise1D(signal, Weight);
        double optimum = TotalVariationTestMath.RofObjective(exact.ToColumnMatrix(), signal.ToColumnMatrix(), Weight);
        var result = TotalVariation.Reconstruct(Identity(50), signal, Weight, 50, 1, maxIterations: 100000, tolerance: 1e-8);
        Assert.True(result.Converged);
        Assert.True((result.Image.Column(0) - exact).AbsoluteMaximum() <= 1e-5);
        Assert.True(Math.Abs(result.Objective - optimum) <= 1e-7 * optimum, $"{result.Objective:R} vs {optimum:R}");
        Assert.Equal(TotalVariationTestMath.RofObjective(result.Image, signal.ToColumnMatrix(), Weight), result.Objective, 1e-12);
    }

    [Fact]
    public void Reconstruct_IdentityImage_ReachesTheOptimumOfAnIndependentDualSolve()
    {
        var image = TotalVariationDenoiseTests.NoisyImage(14, 11, 9);
        const double Weight = 0.2;
        var (upper, lower) = TotalVariationTestMath.RofOptimumBounds(image, Weight, 20000);
        Assert.True(Math.Abs(upper - lower) <= 1e-9 * upper);
        var tight = TotalVariation.Reconstruct(Identity(154), Flatten(image), Weight, 14, 11, maxIterations: 100000, tolerance: 1e-8);
        Assert.True(tight.Converged);
        Assert.True(tight.Objective >= lower * (1 - 1e-12));
        Assert.True(tight.Objective - lower <= 1e-7 * lower, $"objective {tight.Objective:R}, optimum {lower:R}");

        // The default tolerance stops early, close to the optimum.
        var standard = TotalVariation.Reconstruct(Identity(154), Flatten(image), Weight, 14, 11);
        Assert.True(standard.Converged);
        Assert.True(standard.Iterations < tight.Iterations);
        Assert.True(standard.Objective - lower <= 1e-3 * lower, $"objective {standard.Objective:R}, optimum {lower:R}");
    }

    [Fact]
    public void Reconstruct_Inpainting_DefaultToleranceIsCloseToALongRun()
    {
        var (a, y, truth) = Inpainting(24, 20, 0.4, 3);
        const double Weight = 0.05;
        var longRun = TotalVariation.Reconstruct(a, y, Weight, 24, 20, maxIterations: 200000, tolerance: 1e-8);
        Assert.True(longRun.Converged);
        var standard = TotalVariation.Reconstruct(a, y, Weight, 24, 20);
        Assert.True(standard.Converged);
        Assert.True(standard.Objective >= longRun.Objective * (1 - 1e-9));
        Assert.True(standard.Objective - longRun.Objective <= 1e-3 * longRun.Objective, $"{standard.Objective:R} vs {longRun.Objective:R}");

        // Filling 60% of the pixels from the rest by total variation beats leaving them at 0 by far.
        double filledError = (standard.Image - truth).FrobeniusNorm();
        var zeroFilled = Vector<double>.Build.Dense(24 * 20);
        a.ApplyTranspose(y.AsArray(), zeroFilled.AsArray());
        Assert.True(filledError < 0.5 * (Matrix<double>.Build.DenseOfColumnMajor(24, 20, zeroFilled.AsArray()) - truth).FrobeniusNorm());
    }

    [Fact]
    public void Reconstruct_ZeroWeight_SolvesTheLeastSquaresProblem()
    {
        // A consistent system with a non-trivial null space: the fit reaches A·x = y.
        var (a, y, _) = Inpainting(10, 9, 0.5, 4);
        var result = TotalVariation.Reconstruct(a, y, 0.0, 10, 9, maxIterations: 50000, tolerance: 1e-8);
        Assert.True(result.Converged);
        var ax = new double[y.Count];
        a.Apply(result.Image.ToColumnMajorArray(), ax);
        Assert.True((Vector<double>.Build.DenseOfArray(ax) - y).AbsoluteMaximum() <= 1e-6);
        Assert.True(result.Objective <= 1e-10);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(-100)]
    [InlineData(1000)]
    public void Reconstruct_PowerOfTwoScaledMeasurementsAndWeight_ScaleTheResultExactly(int exponent)
    {
        var (a, y, _) = Inpainting(12, 10, 0.6, 5);
        var reference = TotalVariation.Reconstruct(a, y, 0.05, 12, 10, maxIterations: 300);
        double c = Math.ScaleB(1.0, exponent);
        var scaled = TotalVariation.Reconstruct(a, y * c, 0.05 * c, 12, 10, maxIterations: 300);
        Assert.Equal(reference.Iterations, scaled.Iterations);
        Assert.Equal((reference.Image * c).ToColumnMajorArray(), scaled.Image.ToColumnMajorArray());
    }

    [Fact]
    public void Reconstruct_BadInput_ThrowsNamedExceptionsAndLeavesTheMeasurements()
    {
        var (a, y, _) = Inpainting(6, 5, 0.7, 6);
        var copy = y.Clone();
        Assert.Equal("a", Assert.Throws<ArgumentNullException>(() => TotalVariation.Reconstruct(null!, y, 0.1, 6, 5)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => TotalVariation.Reconstruct(a, null!, 0.1, 6, 5)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => TotalVariation.Reconstruct(a, Vector<double>.Build.Dense(y.Count + 1), 0.1, 6, 5)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => TotalVariation.Reconstruct(a, y, 0.1, 5, 5)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Reconstruct(a, y, -1.0, 6, 5)).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Reconstruct(a, y, 0.1, 0, 5)).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Reconstruct(a, y, 0.1, 6, -5)).ParamName);
        Assert.Equal("maxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Reconstruct(a, y, 0.1, 6, 5, 0)).ParamName);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => TotalVariation.Reconstruct(a, y, 0.1, 6, 5, 10, 0.0)).ParamName);
        var withNaN = y.Clone();
        withNaN[3] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => TotalVariation.Reconstruct(a, withNaN, 0.1, 6, 5));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("index 3", e.Message, StringComparison.Ordinal);
        Assert.Equal(copy, y);
        Assert.Throws<ArithmeticException>(() => TotalVariation.Reconstruct(new BrokenOperator(y.Count, 30), y, 0.1, 6, 5));
    }

    [Fact]
    public void Reconstruct_Cancelled_Throws()
    {
        var (a, y, _) = Inpainting(6, 5, 0.7, 6);
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => TotalVariation.Reconstruct(a, y, 0.1, 6, 5, cancellationToken: source.Token));
    }
}
