// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class KernelsTests
{
    public static TheoryData<int, int> SizesAndOffsets()
    {
        var data = new TheoryData<int, int>();
        foreach (int n in Reference.Sizes)
        {
            for (int offset = 0; offset <= 3; offset++)
            {
                data.Add(n, offset);
            }
        }

        return data;
    }

    private static double[] Vector(int n, int offset, int seed) => Reference.Random(n + offset, seed);

    private static double Tolerance(int n, double magnitude) => 1e-14 * (n + 1) * Math.Max(magnitude, 1e-300);

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void Dot_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var x = Vector(n, offset, 1);
        var y = Vector(n, offset, 2);
        double expected = 0.0;
        double magnitude = 0.0;
        for (int i = offset; i < n + offset; i++)
        {
            expected += x[i] * y[i];
            magnitude += Math.Abs(x[i] * y[i]);
        }

        Reference.Close(expected, Kernels.Dot(x.AsSpan(offset), y.AsSpan(offset)), Tolerance(n, magnitude));
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void Axpy_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var x = Vector(n, offset, 3);
        var y = Vector(n, offset, 4);
        var expected = (double[])y.Clone();
        for (int i = offset; i < n + offset; i++)
        {
            expected[i] += -1.75 * x[i];
        }

        Kernels.Axpy(-1.75, x.AsSpan(offset), y.AsSpan(offset));
        for (int i = 0; i < y.Length; i++)
        {
            Reference.Close(expected[i], y[i], 1e-15);
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void Scal_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var x = Vector(n, offset, 5);
        var expected = (double[])x.Clone();
        for (int i = offset; i < n + offset; i++)
        {
            expected[i] *= 0.3;
        }

        Kernels.Scal(0.3, x.AsSpan(offset));
        Assert.Equal(expected, x);
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void Norms_RandomUnaligned_MatchScalarLoops(int n, int offset)
    {
        var x = Vector(n, offset, 6);
        double squares = 0.0;
        double absolute = 0.0;
        double max = 0.0;
        double sum = 0.0;
        for (int i = offset; i < n + offset; i++)
        {
            squares += x[i] * x[i];
            absolute += Math.Abs(x[i]);
            max = Math.Max(max, Math.Abs(x[i]));
            sum += x[i];
        }

        var span = x.AsSpan(offset);
        Reference.Close(Math.Sqrt(squares), Kernels.Nrm2(span), Tolerance(n, Math.Sqrt(squares)));
        Reference.Close(squares, Kernels.SquaredNorm(span), Tolerance(n, squares));
        Reference.Close(absolute, Kernels.Asum(span), Tolerance(n, absolute));
        Assert.Equal(max, Kernels.MaxAbs(span));
        Reference.Close(sum, Kernels.Sum(span), Tolerance(n, absolute));
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void SoftThreshold_RandomUnaligned_MatchesScalarDefinition(int n, int offset)
    {
        var x = Vector(n, offset, 7);
        var result = new double[x.Length];
        Kernels.SoftThreshold(x.AsSpan(offset), 0.2, result.AsSpan(offset));
        for (int i = offset; i < n + offset; i++)
        {
            double expected = Math.Sign(x[i]) * Math.Max(Math.Abs(x[i]) - 0.2, 0.0);
            Reference.Close(expected, result[i], 1e-16);
        }
    }

    [Fact]
    public void SoftThreshold_Scalar_ShrinksTowardsZero()
    {
        Assert.Equal(0.5, Kernels.SoftThreshold(1.5, 1.0));
        Assert.Equal(-0.5, Kernels.SoftThreshold(-1.5, 1.0));
        Assert.Equal(0.0, Kernels.SoftThreshold(0.7, 1.0));
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void AxpyDot_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var x = Vector(n, offset, 8);
        var y = Vector(n, offset, 9);
        var z = Vector(n, offset, 10);
        var expectedY = (double[])y.Clone();
        double expectedDot = 0.0;
        double magnitude = 0.0;
        for (int i = offset; i < n + offset; i++)
        {
            expectedY[i] -= 0.6 * x[i];
            expectedDot += expectedY[i] * z[i];
            magnitude += Math.Abs(expectedY[i] * z[i]);
        }

        double dot = Kernels.AxpyDot(0.6, x.AsSpan(offset, n), y.AsSpan(offset, n), z.AsSpan(offset, n));
        Reference.Close(expectedDot, dot, Tolerance(n, magnitude));
        for (int i = 0; i < y.Length; i++)
        {
            Reference.Close(expectedY[i], y[i], 1e-15);
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void AxpyShiftDot_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var x = Vector(n, offset, 12);
        var y = Vector(n, offset, 13);
        var z = Vector(n, offset, 14);
        var y2 = (double[])y.Clone();
        var expectedY = (double[])y.Clone();
        double expectedDot = 0.0;
        double magnitude = 0.0;
        for (int i = offset; i < n + offset; i++)
        {
            expectedY[i] += (-0.7 * x[i]) + 0.25;
            expectedDot += expectedY[i] * z[i];
            magnitude += Math.Abs(expectedY[i] * z[i]);
        }

        double dot = Kernels.AxpyShiftDot(-0.7, x.AsSpan(offset, n), 0.25, y.AsSpan(offset, n), z.AsSpan(offset, n));
        Kernels.AxpyShift(-0.7, x.AsSpan(offset, n), 0.25, y2.AsSpan(offset, n));
        Reference.Close(expectedDot, dot, Tolerance(n, magnitude));
        for (int i = 0; i < y.Length; i++)
        {
            Reference.Close(expectedY[i], y[i], 1e-15);
            Reference.Close(expectedY[i], y2[i], 1e-15);
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void SquaredDistanceFrom_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var x = Vector(n, offset, 15);
        double expected = 0.0;
        for (int i = offset; i < n + offset; i++)
        {
            expected += (x[i] - 0.3) * (x[i] - 0.3);
        }

        Reference.Close(expected, Kernels.SquaredDistanceFrom(x.AsSpan(offset, n), 0.3), Tolerance(n, expected));
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void LarsStepLengths_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var c = Vector(n, offset, 16);
        var a = Vector(n, offset, 17);
        var blocked = new double[n + offset];
        for (int i = offset; i < n + offset; i += 5)
        {
            blocked[i] = double.PositiveInfinity;
        }

        foreach (bool positive in new[] { false, true })
        {
            const double CMax = 1.5, Aa = 0.8, Tiny = 1e-30;
            var lengths = new double[n];
            double min = Kernels.LarsStepLengths(CMax, Aa, Tiny, c.AsSpan(offset, n), a.AsSpan(offset, n), blocked.AsSpan(offset, n), positive, lengths);
            double expectedMin = double.PositiveInfinity;
            for (int i = 0; i < n; i++)
            {
                double g = (CMax - c[offset + i]) / (Aa - a[offset + i] + Tiny);
                g = g > 0.0 ? g : double.PositiveInfinity;
                if (!positive)
                {
                    double g2 = (CMax + c[offset + i]) / (Aa + a[offset + i] + Tiny);
                    g = Math.Min(g, g2 > 0.0 ? g2 : double.PositiveInfinity);
                }

                g += blocked[offset + i];
                Assert.Equal(g, lengths[i]);
                expectedMin = Math.Min(expectedMin, g);
            }

            Assert.Equal(expectedMin, min);
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void IndexOfNonFinite_EachPosition_FindsFirst(int n, int offset)
    {
        var x = Vector(n, offset, 11);
        Assert.Equal(-1, Kernels.IndexOfNonFinite(x.AsSpan(offset)));
        var positions = new HashSet<int> { 0, n / 2, n - 1 };
        foreach (int position in positions.Where(p => p >= 0 && p < n))
        {
            foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            {
                var copy = (double[])x.Clone();
                copy[offset + position] = bad;
                if (position + 1 < n)
                {
                    copy[offset + n - 1] = double.NaN;
                }

                Assert.Equal(position, Kernels.IndexOfNonFinite(copy.AsSpan(offset)));
            }
        }
    }
}
