// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.Intrinsics;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

/// <summary>The sparse × factor kernels against scalar loops, at every vector width and at K with and without a tail.</summary>
public class SparseProductsTests
{
    public static TheoryData<int, int> Shapes() => new()
    {
        { 1, 1 },
        { 7, 3 },
        { 30, 4 },
        { 41, 9 },
        { 50, 20 },
        { 23, 33 },
        { 600, 16 },  // large enough to run across the cores
    };

    /// <summary>A random compressed structure: rows × columns with about a third stored (some rows empty), unsorted within rows.</summary>
    private static (int[] Pointers, int[] Indices, double[] Values) Structure(int rows, int columns, int seed)
    {
        var rng = new SplitMix64((ulong)seed);
        var pointers = new int[rows + 1];
        var indices = new List<int>();
        var values = new List<double>();
        for (int r = 0; r < rows; r++)
        {
            var picked = Enumerable.Range(0, columns).Where(_ => rng.NextDouble() < 0.35).Reverse().ToList();
            indices.AddRange(picked);
            values.AddRange(picked.Select(_ => rng.NextNormal()));
            pointers[r + 1] = indices.Count;
        }

        return (pointers, [.. indices], [.. values]);
    }

    private static void AssertClose(double[] expected, double[] actual, double[] magnitude)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-14 * (magnitude[i] + 1.0), $"[{i}]: {actual[i]:R} vs {expected[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TimesFactor_EveryWidth_MatchesScalarLoop(int rows, int k)
    {
        int columns = 37;
        var (pointers, indices, values) = Structure(rows, columns, rows + k);
        var factor = Reference.Random(k * columns, 5);
        var expected = new double[k * rows];
        var magnitude = new double[k * rows];
        for (int r = 0; r < rows; r++)
        {
            for (int e = pointers[r]; e < pointers[r + 1]; e++)
            {
                for (int c = 0; c < k; c++)
                {
                    expected[c + (r * k)] += values[e] * factor[c + (indices[e] * k)];
                    magnitude[c + (r * k)] += Math.Abs(values[e] * factor[c + (indices[e] * k)]);
                }
            }
        }

        foreach (var run in new Action<double[]>[]
        {
            result => SparseProducts.TimesFactor(rows, pointers, indices, values, k, factor, result),
            result => SparseProducts.TimesFactorRows<Kernels.Width512, Vector512<double>>(0, rows, pointers, indices, values, k, factor, result),
            result => SparseProducts.TimesFactorRows<Kernels.Width256, Vector256<double>>(0, rows, pointers, indices, values, k, factor, result),
            result => SparseProducts.TimesFactorRows<Kernels.Width128, Vector128<double>>(0, rows, pointers, indices, values, k, factor, result),
            result => SparseProducts.TimesFactorRows<Kernels.ScalarWidth, double>(0, rows, pointers, indices, values, k, factor, result),
        })
        {
            var result = Enumerable.Repeat(double.NaN, k * rows).ToArray(); // every entry must be written
            run(result);
            AssertClose(expected, result, magnitude);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void StoredProducts_EveryWidth_MatchesScalarLoop(int rows, int k)
    {
        int columns = 37;
        var (pointers, indices, _) = Structure(rows, columns, (3 * rows) + k);
        var a = Reference.Random(k * rows, 6);
        var b = Reference.Random(k * columns, 7);
        int count = pointers[rows];
        var expected = new double[count];
        var magnitude = new double[count];
        for (int r = 0; r < rows; r++)
        {
            for (int e = pointers[r]; e < pointers[r + 1]; e++)
            {
                for (int c = 0; c < k; c++)
                {
                    expected[e] += a[c + (r * k)] * b[c + (indices[e] * k)];
                    magnitude[e] += Math.Abs(a[c + (r * k)] * b[c + (indices[e] * k)]);
                }
            }
        }

        foreach (var run in new Action<double[]>[]
        {
            result => SparseProducts.StoredProducts(rows, pointers, indices, k, a, b, result),
            result => SparseProducts.StoredProductRows<Kernels.Width512, Vector512<double>>(0, rows, pointers, indices, k, a, b, result),
            result => SparseProducts.StoredProductRows<Kernels.Width256, Vector256<double>>(0, rows, pointers, indices, k, a, b, result),
            result => SparseProducts.StoredProductRows<Kernels.Width128, Vector128<double>>(0, rows, pointers, indices, k, a, b, result),
            result => SparseProducts.StoredProductRows<Kernels.ScalarWidth, double>(0, rows, pointers, indices, k, a, b, result),
        })
        {
            var result = Enumerable.Repeat(double.NaN, count).ToArray();
            run(result);
            AssertClose(expected, result, magnitude);
        }
    }
}
