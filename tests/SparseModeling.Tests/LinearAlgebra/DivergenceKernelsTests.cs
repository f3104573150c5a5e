// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class DivergenceKernelsTests
{
    private const double Floor = 1.1920928955078125e-07;

    public static TheoryData<int, int> SizesAndOffsets() => KernelsTests.SizesAndOffsets();

    /// <summary>Non-negative values with some exact zeros, so that the floor is exercised.</summary>
    private static double[] NonNegative(int n, int seed)
    {
        var v = Reference.Random(n, seed);
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = i % 5 == 3 ? 0.0 : Math.Abs(v[i]);
        }

        return v;
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void DivideFloored_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var x = NonNegative(n + offset, 1);
        var p = NonNegative(n + offset, 2);
        var expected = (double[])p.Clone();
        for (int i = offset; i < n + offset; i++)
        {
            expected[i] = x[i] / (p[i] == 0.0 ? Floor : p[i]);
        }

        Kernels.DivideFloored(x.AsSpan(offset, n), p.AsSpan(offset, n), Floor);
        Assert.Equal(expected, p);
    }

    [Theory]
    [MemberData(nameof(SizesAndOffsets))]
    public void ItakuraSaitoTerms_RandomUnaligned_MatchesScalarLoop(int n, int offset)
    {
        var x = NonNegative(n + offset, 3);
        var p = NonNegative(n + offset, 4);
        var q = Reference.Random(n + offset, 5);
        var expectedP = (double[])p.Clone();
        var expectedQ = (double[])q.Clone();
        for (int i = offset; i < n + offset; i++)
        {
            double r = 1.0 / (p[i] == 0.0 ? Floor : p[i]);
            expectedQ[i] = r;
            expectedP[i] = r * r * x[i];
        }

        Kernels.ItakuraSaitoTerms(x.AsSpan(offset, n), p.AsSpan(offset, n), q.AsSpan(offset, n), Floor);
        Assert.Equal(expectedQ, q);
        Assert.Equal(expectedP, p);
    }
}
