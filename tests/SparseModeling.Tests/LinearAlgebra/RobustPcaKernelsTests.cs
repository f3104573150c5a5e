// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

/// <summary>The element-wise steps of robust PCA against scalar loops, at every width's lengths and unaligned offsets.</summary>
public class RobustPcaKernelsTests
{
    public static TheoryData<int, int> SizesAndOffsets() => KernelsTests.SizesAndOffsets();

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void SparseStep_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var m = Reference.Random(n + offset, 21).AsSpan(offset);
        var l = Reference.Random(n + offset, 22).AsSpan(offset);
        var y = Reference.Random(n + offset, 23).AsSpan(offset);
        var s = new double[n + offset].AsSpan(offset);
        const double c = 0.75, t = 0.2;
        double sum = Kernels.SparseStep(m, l, y, c, t, s);
        double expectedSum = 0.0;
        for (int i = 0; i < n; i++)
        {
            double v = m[i] - l[i] + (c * y[i]);
            double expected = v > t ? v - t : v < -t ? v + t : 0.0;

            // c·y + (m − l) is fused where the hardware has FMA: agreement to the last bits of v.
            Assert.True(Math.Abs(expected - s[i]) <= 1e-15 * (1.0 + Math.Abs(v)), $"entry {i}: {s[i]} against {expected}");
            expectedSum += Math.Abs(s[i]);
        }

        Assert.Equal(expectedSum, sum, 1e-13 * (1.0 + expectedSum));
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void ShiftedDifferenceAndResidual_RandomUnaligned_MatchScalarLoops(int n, int offset)
    {
        var m = Reference.Random(n + offset, 31).AsSpan(offset);
        var s = Reference.Random(n + offset, 32).AsSpan(offset);
        var y = Reference.Random(n + offset, 33).AsSpan(offset);
        var a = new double[n + offset].AsSpan(offset);
        Kernels.ShiftedDifference(m, s, y, -1.5, a);
        for (int i = 0; i < n; i++)
        {
            double expected = m[i] - s[i] - (1.5 * y[i]);
            Assert.True(Math.Abs(expected - a[i]) <= 1e-15 * (1.0 + Math.Abs(expected)), $"entry {i}: {a[i]} against {expected}");
        }

        var z = new double[n + offset].AsSpan(offset);
        Kernels.Residual(m, s, y, z);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(m[i] - s[i] - y[i], z[i]);
        }
    }
}
