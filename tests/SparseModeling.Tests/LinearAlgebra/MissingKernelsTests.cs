// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

/// <summary>The kernels over data with NaN-marked missing entries, against scalar loops, at every length class and unaligned offsets.</summary>
public class MissingKernelsTests
{
    public static TheoryData<int, int> SizesAndOffsets() => KernelsTests.SizesAndOffsets();

    /// <summary>Random data with about a third of the entries NaN (and one −0.0), from <paramref name="offset"/> on.</summary>
    private static double[] WithMissing(int n, int offset, int seed)
    {
        var x = Reference.Random(n + offset, seed);
        var rng = new Random(seed + 100);
        for (int i = offset; i < x.Length; i++)
        {
            if (rng.NextDouble() < 0.33)
            {
                x[i] = double.NaN;
            }
        }

        if (n > 2)
        {
            x[offset + 1] = -0.0;
        }

        return x;
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void ObservedIndicator_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var x = WithMissing(n, offset, 1);
        var result = new double[n + offset];
        Kernels.ObservedIndicator(x.AsSpan(offset), result.AsSpan(offset));
        for (int i = offset; i < n + offset; i++)
        {
            Assert.Equal(double.IsNaN(x[i]) ? 0.0 : 1.0, result[i]);
        }

        // In place.
        Kernels.ObservedIndicator(x.AsSpan(offset), x.AsSpan(offset));
        Assert.Equal(result.AsSpan(offset).ToArray(), x.AsSpan(offset).ToArray());
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void ShiftObserved_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var x = WithMissing(n, offset, 2);
        foreach (double shift in new[] { 0.0, -0.3, 2.5 })
        {
            var result = new double[n + offset];
            Kernels.ShiftObserved(x.AsSpan(offset), shift, result.AsSpan(offset));
            for (int i = offset; i < n + offset; i++)
            {
                double expected = double.IsNaN(x[i]) ? 0.0 : x[i] + shift;
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(result[i]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void IndexOfInfinity_EachPosition_FindsFirstAndSkipsNaN(int n, int offset)
    {
        var x = WithMissing(n, offset, 3);
        Assert.Equal(-1, Kernels.IndexOfInfinity(x.AsSpan(offset)));
        var positions = new HashSet<int> { 0, n / 2, n - 1 };
        foreach (int position in positions.Where(p => p >= 0 && p < n))
        {
            foreach (double bad in new[] { double.PositiveInfinity, double.NegativeInfinity })
            {
                var copy = (double[])x.Clone();
                copy[offset + position] = bad;
                if (position + 1 < n)
                {
                    copy[offset + n - 1] = double.PositiveInfinity;
                }

                Assert.Equal(position, Kernels.IndexOfInfinity(copy.AsSpan(offset)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void WeightedSquaredNorm_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var w = Reference.Random(n + offset, 4, 0.0);
        var x = Reference.Random(n + offset, 5);
        double expected = 0.0;
        for (int i = offset; i < n + offset; i++)
        {
            expected += w[i] * x[i] * x[i];
        }

        Reference.Close(expected, Kernels.WeightedSquaredNorm(w.AsSpan(offset, n), x.AsSpan(offset, n)), 1e-14 * (n + 1) * Math.Max(expected, 1e-300));
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void Power_RandomUnaligned_MatchesMathPow(int n, int offset)
    {
        var x = Reference.Random(n + offset, 6, 0.0);
        if (n > 1)
        {
            x[offset] = 0.0;
            x[offset + 1] = 1.0;
        }

        foreach (double exponent in new[] { 0.0, 0.5, 2.0, 3.7 })
        {
            var result = new double[n + offset];
            Kernels.Power(x.AsSpan(offset, n), exponent, result.AsSpan(offset));
            for (int i = offset; i < n + offset; i++)
            {
                double expected = Math.Pow(x[i], exponent);
                Assert.True(Math.Abs(expected - result[i]) <= 2e-16 * Math.Abs(expected), $"{x[i]}^{exponent}: {result[i]} against {expected}");
            }
        }
    }
}
