// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class ProxKernelsTests
{
    public static TheoryData<int, int> SizesAndOffsets() => KernelsTests.SizesAndOffsets();

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void NonNegativeSoftThreshold_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var x = Reference.Random(n + offset, 11).AsSpan(offset);
        var result = new double[n + offset].AsSpan(offset);
        Kernels.NonNegativeSoftThreshold(x, 0.1, result);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(Math.Max(x[i] - 0.1, 0.0), result[i]);
        }

        // In place, and t = 0 is the projection onto x ≥ 0.
        var copy = x.ToArray();
        Kernels.NonNegativeSoftThreshold(copy, 0.0, copy);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(Math.Max(x[i], 0.0), copy[i]);
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void SubtractAddMultiply_RandomUnaligned_MatchScalarLoops(int n, int offset)
    {
        var x = Reference.Random(n + offset, 12).AsSpan(offset);
        var y = Reference.Random(n + offset, 13).AsSpan(offset);
        var result = new double[n + offset].AsSpan(offset);
        Kernels.Subtract(x, y, result);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(x[i] - y[i], result[i]);
        }

        Kernels.Add(x, y, result);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(x[i] + y[i], result[i]);
        }

        Kernels.Multiply(x, y, result);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(x[i] * y[i], result[i]);
        }

        // In place on the first input.
        var copy = x.ToArray();
        Kernels.Multiply(copy, y, copy);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(x[i] * y[i], copy[i]);
        }
    }
}
