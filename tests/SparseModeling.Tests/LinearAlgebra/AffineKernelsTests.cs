// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class AffineKernelsTests
{
    public static TheoryData<int, int> SizesAndOffsets() => KernelsTests.SizesAndOffsets();

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void ShiftDivide_RandomUnaligned_MatchesScalarLoopBitForBit(int n, int offset)
    {
        var x = Reference.Random(n + offset, 21).AsSpan(offset);
        var result = new double[n + offset].AsSpan(offset);
        Kernels.ShiftDivide(x, 0.3, 0.7, result);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal((x[i] - 0.3) / 0.7, result[i]);
        }

        var copy = x.ToArray();
        Kernels.ShiftDivide(copy, -1.5, 3.0, copy);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal((x[i] + 1.5) / 3.0, copy[i]);
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void ScaleShift_RandomUnaligned_MatchesUnfusedScalarLoopBitForBit(int n, int offset)
    {
        var x = Reference.Random(n + offset, 22).AsSpan(offset);
        var result = new double[n + offset].AsSpan(offset);
        Kernels.ScaleShift(x, 0.1, 1e8, result);
        for (int i = 0; i < n; i++)
        {
            double product = x[i] * 0.1;
            Assert.Equal(product + 1e8, result[i]);
        }

        var copy = x.ToArray();
        Kernels.ScaleShift(copy, 3.0, -0.25, copy);
        for (int i = 0; i < n; i++)
        {
            double product = x[i] * 3.0;
            Assert.Equal(product - 0.25, copy[i]);
        }
    }
}
