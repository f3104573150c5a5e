// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

/// <summary>The element-wise steps of the preconditioned primal–dual method, against scalar loops, at every length class and unaligned offsets.</summary>
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
            expected[i] = Math.Clamp(y[i] + (5.0 * x[i]), -1.0, 1.0);
        }

        Kernels.ClippedAxpy(5.0, x.AsSpan(offset), y.AsSpan(offset));
        for (int i = offset; i < n + offset; i++)
        {
            Assert.True(Math.Abs(expected[i] - y[i]) <= 1e-15, $"entry {i}: {y[i]} against {expected[i]}");
            Assert.InRange(y[i], -1.0, 1.0);
        }
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
