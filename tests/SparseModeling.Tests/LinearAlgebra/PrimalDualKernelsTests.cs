// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

/// <summary>The element-wise steps of the primal–dual method (box-clipped dual steps, plain and diagonal primal steps), against scalar loops, at every length class and unaligned offsets.</summary>
public class PrimalDualKernelsTests
{
    public static TheoryData<int, int> SizesAndOffsets() => KernelsTests.SizesAndOffsets();

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void ClippedAxpy_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        // Entries of y + a·x in (−4, 4): many are clipped at each end, many are kept.
        var x = Reference.Random(n + offset, 21);
        var y = Reference.Random(n + offset, 22);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] *= 3.0;
        }

        var expected = (double[])y.Clone();
        for (int i = offset; i < n + offset; i++)
        {
            expected[i] = Math.Clamp(y[i] + (5.0 * x[i]), -1.5, 1.5);
        }

        Kernels.ClippedAxpy(5.0, x.AsSpan(offset), y.AsSpan(offset), 1.5);
        for (int i = offset; i < n + offset; i++)
        {
            Assert.True(Math.Abs(expected[i] - y[i]) <= 1e-15, $"entry {i}: {y[i]} against {expected[i]}");
            Assert.InRange(y[i], -1.5, 1.5);
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void ClippedAxpyWithShift_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        // clamp(y + a·(x + c)) with entries of both signs beyond the bound and inside it.
        var x = Reference.Random(n + offset, 31);
        var shift = Reference.Random(n + offset, 32);
        var y = Reference.Random(n + offset, 33);
        var expected = (double[])y.Clone();
        for (int i = offset; i < n + offset; i++)
        {
            expected[i] = Math.Clamp(y[i] + (3.0 * (x[i] + shift[i])), -0.75, 0.75);
        }

        Kernels.ClippedAxpy(3.0, x.AsSpan(offset), shift.AsSpan(offset), y.AsSpan(offset), 0.75);
        for (int i = offset; i < n + offset; i++)
        {
            Assert.True(Math.Abs(expected[i] - y[i]) <= 1e-15, $"entry {i}: {y[i]} against {expected[i]}");
        }

        Assert.Equal(expected[..offset], y[..offset]);
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void DiagonalPrimalStep_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var steps = Reference.Random(n + offset, 34);
        var t = Reference.Random(n + offset, 35);
        var u = Reference.Random(n + offset, 36);
        var extrapolated = new double[n + offset];
        var old = (double[])u.Clone();
        Kernels.PrimalStep(steps.AsSpan(offset), t.AsSpan(offset), u.AsSpan(offset), extrapolated.AsSpan(offset));
        for (int i = offset; i < n + offset; i++)
        {
            double updated = old[i] - (steps[i] * t[i]);
            Assert.True(Math.Abs(updated - u[i]) <= 1e-15, $"u at {i}");
            Assert.True(Math.Abs(((2.0 * updated) - old[i]) - extrapolated[i]) <= 1e-15, $"ū at {i}");
        }

        Assert.Equal(old[..offset], u[..offset]);
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void PrimalStep_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var t = Reference.Random(n + offset, 23);
        var u = Reference.Random(n + offset, 24);
        var extrapolated = new double[n + offset];
        var old = (double[])u.Clone();
        Kernels.PrimalStep(0.3, t.AsSpan(offset), u.AsSpan(offset), extrapolated.AsSpan(offset));
        for (int i = offset; i < n + offset; i++)
        {
            double updated = old[i] - (0.3 * t[i]);
            Assert.True(Math.Abs(updated - u[i]) <= 1e-15, $"u at {i}");
            Assert.True(Math.Abs(((2.0 * updated) - old[i]) - extrapolated[i]) <= 1e-15, $"ū at {i}");
        }
    }
}
