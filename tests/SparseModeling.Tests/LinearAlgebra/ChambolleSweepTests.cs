// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

/// <summary>
/// The column passes of Chambolle's iteration and the total-variation kernels against scalar loops, at lengths 0..1000
/// and unaligned offsets (the CI reruns them at every vector width: AVX-512, AVX2, 128-bit and scalar).
/// </summary>
public class ChambolleSweepTests
{
    public static TheoryData<int, int> SizesAndOffsets()
    {
        var data = new TheoryData<int, int>();
        foreach (int n in new[] { 0, 1, 2, 3, 5, 8, 9, 16, 17, 33, 64, 255, 256, 1000 })
        {
            for (int offset = 0; offset <= 3; offset++)
            {
                data.Add(n, offset);
            }
        }

        return data;
    }

    private static double SumTolerance(int n, double scale) => 1e-15 * (n + 1) * scale;

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void Divergence_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var image = Reference.Random(n + offset, 1);
        var p0 = Reference.Random(n + offset, 2);
        var p1 = Reference.Random(n + offset, 3);
        var left = Reference.Random(n + offset, 4);
        var output = Reference.Random(n + offset, 5);
        var expected = (double[])output.Clone();
        double expectedSum = 0.0;
        for (int i = 0; i < n; i++)
        {
            int k = offset + i;

            // numpy's order: d = −(p₀ + p₁); d[1:] += p₀[:−1]; d += p₁ of the previous column.
            double d = -(p0[k] + p1[k]);
            if (i > 0)
            {
                d += p0[k - 1];
            }

            d += left[k];
            expected[k] = image[k] + d;
            expectedSum += d * d;
        }

        double sum = ChambolleSweep.Divergence(image.AsSpan(offset, n), p0.AsSpan(offset, n), p1.AsSpan(offset, n), left.AsSpan(offset, n), output.AsSpan(offset, n));
        Assert.Equal(expected, output);
        Assert.Equal(expectedSum, sum, SumTolerance(n, 1.0));
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void Projection_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        const double Tau = 0.25, Weight = 0.3;
        var output = Reference.Random(n + offset, 6);
        var right = Reference.Random(n + offset, 7);
        var p0 = Reference.Random(n + offset, 8);
        var p1 = Reference.Random(n + offset, 9);
        var e0 = (double[])p0.Clone();
        var e1 = (double[])p1.Clone();
        double expectedSum = 0.0;
        for (int i = 0; i < n; i++)
        {
            int k = offset + i;
            double g0 = i + 1 < n ? output[k + 1] - output[k] : 0.0;
            double g1 = right[k] - output[k];
            double norm = Math.Sqrt((g0 * g0) + (g1 * g1));
            expectedSum += norm;
            double denominator = (norm * (Tau / Weight)) + 1.0;
            e0[k] = (p0[k] - (Tau * g0)) / denominator;
            e1[k] = (p1[k] - (Tau * g1)) / denominator;
        }

        double sum = ChambolleSweep.Projection(output.AsSpan(offset, n), right.AsSpan(offset, n), p0.AsSpan(offset, n), p1.AsSpan(offset, n), Tau, Tau / Weight);
        Assert.Equal(e0, p0);
        Assert.Equal(e1, p1);
        Assert.Equal(expectedSum, sum, SumTolerance(n, 2.0));
    }

    [Fact]
    public void Projection_ColumnAsItsOwnRight_HasNoDifferenceAcross()
    {
        // The last image column passes itself as the right neighbour: g₁ is then exactly 0, so p₁ is only divided.
        var output = Reference.Random(37, 10);
        var p0 = Reference.Random(37, 11);
        var p1 = Reference.Random(37, 12);
        var expected = (double[])p1.Clone();
        var pass = (double[])p0.Clone();
        ChambolleSweep.Projection(output, output, pass, p1, 0.25, 2.5);
        for (int i = 0; i < 37; i++)
        {
            double g0 = i + 1 < 37 ? output[i + 1] - output[i] : 0.0;
            expected[i] /= (Math.Abs(g0) * 2.5) + 1.0;
        }

        Assert.Equal(expected, p1);
    }

    [Fact]
    public void Kernels_MismatchedLengths_Throw()
    {
        var a = new double[5];
        var b = new double[4];
        Assert.Throws<ArgumentException>(() => ChambolleSweep.Divergence(a, a, a, b, a));
        Assert.Throws<ArgumentException>(() => ChambolleSweep.Projection(a, b, a, a, 0.25, 1.0));
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void SumOfNorms_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var x = Reference.Random(n + offset, 13);
        var y = Reference.Random(n + offset, 14);
        double expected = 0.0;
        for (int i = offset; i < n + offset; i++)
        {
            expected += Math.Sqrt((x[i] * x[i]) + (y[i] * y[i]));
        }

        Assert.Equal(expected, Kernels.SumOfNorms(x.AsSpan(offset, n), y.AsSpan(offset, n)), SumTolerance(n, 1.0));
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void ProjectOntoDisks_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        const double Radius = 0.3;
        var x = Reference.Random(n + offset, 15);
        var y = Reference.Random(n + offset, 16);
        if (n > 2)
        {
            x[offset + 1] = 0.0;
            y[offset + 1] = 0.0;
        }

        var ex = (double[])x.Clone();
        var ey = (double[])y.Clone();
        for (int i = offset; i < n + offset; i++)
        {
            double norm = Math.Sqrt((x[i] * x[i]) + (y[i] * y[i]));
            double scale = norm <= Radius ? 1.0 : Radius / norm;
            ex[i] = x[i] * scale;
            ey[i] = y[i] * scale;
        }

        Kernels.ProjectOntoDisks(x.AsSpan(offset, n), y.AsSpan(offset, n), Radius);
        Assert.Equal(ex, x);
        Assert.Equal(ey, y);
        for (int i = offset; i < n + offset; i++)
        {
            Assert.True(Math.Sqrt((x[i] * x[i]) + (y[i] * y[i])) <= Radius * (1 + 1e-15));
        }
    }

    [Fact]
    public void ProjectOntoDisks_ZeroRadius_GivesZerosWithoutNaN()
    {
        var x = new[] { 0.0, 1.0, -2.0, 0.0, 3.0 };
        var y = new[] { 0.0, 0.0, 1.0, -4.0, 3.0 };
        Kernels.ProjectOntoDisks(x, y, 0.0);
        Assert.All(x.Concat(y), v => Assert.Equal(0.0, v));
    }
}
