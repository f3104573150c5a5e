// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class SparseKernelsTests
{
    public static TheoryData<int> Lengths() => [0, 1, 3, 4, 5, 7, 8, 33, 257];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void GatherDot_AnyLength_MatchesScalarLoop(int length)
    {
        var (values, indices, dense) = Case(length, 101);
        double expected = 0.0, magnitude = 0.0;
        for (int k = 0; k < length; k++)
        {
            expected += values[k] * dense[indices[k]];
            magnitude += Math.Abs(values[k] * dense[indices[k]]);
        }

        // Unaligned: the same entries one element into larger arrays.
        double actual = Kernels.GatherDot(values, indices, dense);
        double shifted = Kernels.GatherDot(Pad(values).AsSpan(1, length), PadIndex(indices).AsSpan(1, length), dense);
        Assert.True(Math.Abs(actual - expected) <= 1e-14 * (magnitude + 1.0), $"{actual} vs {expected}");
        Assert.Equal(actual, shifted);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ScatterAxpy_AnyLength_MatchesScalarLoop(int length)
    {
        var (values, indices, dense) = Case(length, 202);
        var expected = (double[])dense.Clone();
        for (int k = 0; k < length; k++)
        {
            expected[indices[k]] += -0.75 * values[k];
        }

        var actual = (double[])dense.Clone();
        Kernels.ScatterAxpy(-0.75, values, indices, actual);
        Assert.Equal(expected, actual);

        // a = 0 leaves the vector alone.
        var untouched = (double[])dense.Clone();
        Kernels.ScatterAxpy(0.0, values, indices, untouched);
        Assert.Equal(dense, untouched);
    }

    /// <summary>Distinct random indices into a dense vector three times longer, as in a compressed row.</summary>
    private static (double[] Values, int[] Indices, double[] Dense) Case(int length, int seed)
    {
        var rng = new Random(seed);
        int size = (3 * length) + 1;
        var indices = Enumerable.Range(0, size).OrderBy(_ => rng.Next()).Take(length).ToArray();
        return (Reference.Random(length, seed + 1), indices, Reference.Random(size, seed + 2));
    }

    private static double[] Pad(double[] x) => [0.0, .. x, 0.0];

    private static int[] PadIndex(int[] x) => [0, .. x, 0];
}
