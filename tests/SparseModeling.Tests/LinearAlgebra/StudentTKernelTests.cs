// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.Intrinsics;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

/// <summary>The t-SNE kernels against scalar loops, at every length through two 512-bit vectors and a tail, and a long one.</summary>
public class StudentTKernelTests
{
    public static TheoryData<int, int> Lengths()
    {
        var data = new TheoryData<int, int>();
        foreach (int dims in new[] { 1, 2, 3 })
        {
            for (int n = 0; n <= 19; n++)
            {
                data.Add(n, dims);
            }

            data.Add(1001, dims);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void StudentTRow_MatchesScalarLoop(int n, int dims)
    {
        var coordinates = Reference.Random(n * dims, 1, offset: -0.5).Select(v => 20.0 * v).ToArray();
        var point = Reference.Random(dims, 2).Select(v => 10.0 * v).ToArray();
        foreach (double nu in new[] { 1.0, 2.5 })
        {
            var u = new double[n + 1];
            u[n] = 42.0;
            Kernels.StudentTRow(coordinates, n, point, 1.0 / nu, u);
            for (int j = 0; j < n; j++)
            {
                double d2 = 0.0;
                for (int a = 0; a < dims; a++)
                {
                    d2 += (point[a] - coordinates[(a * n) + j]) * (point[a] - coordinates[(a * n) + j]);
                }

                Reference.Close(1.0 / (1.0 + (d2 / nu)), u[j], 1e-15);
            }

            Assert.Equal(42.0, u[n]);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void TSneForceCoefficients_MatchScalarLoop(int n, int dims)
    {
        _ = dims;
        var p = Reference.Random(n, 3, offset: 0.0);
        var w = Reference.Random(n, 4, offset: 0.0);
        var u = Reference.Random(n, 5, offset: 0.0);
        var c = new double[n];
        double sum = Kernels.TSneForceCoefficients(p, w, u, 12.0, 1.0 / 37.0, c);
        double expected = 0.0;
        for (int j = 0; j < n; j++)
        {
            double value = ((12.0 * p[j]) - (w[j] / 37.0)) * u[j];
            Reference.Close(value, c[j], 1e-14);
            expected += value;
        }

        Reference.Close(expected, sum, 1e-13 * Math.Max(1, n));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SquaredDistance_MatchesScalarLoop(int n, int dims)
    {
        var x = Reference.Random(n + dims, 6);
        var y = Reference.Random(n + dims, 7);
        double expected = 0.0;
        for (int i = 0; i < n + dims; i++)
        {
            expected += (x[i] - y[i]) * (x[i] - y[i]);
        }

        Reference.Close(expected, Kernels.SquaredDistance(x, y), 1e-14 * (n + dims + 1));
    }

    [Fact]
    public void CauchyAttraction2D_EveryWidth_MatchesScalarLoop()
    {
        // Rows with 0 to 40 neighbours (every remainder of every width), coordinates spread so that u spans (0, 1].
        const int n = 120;
        var rng = new Random(17);
        var y = Enumerable.Range(0, 2 * n).Select(_ => 20.0 * (rng.NextDouble() - 0.5)).ToArray();
        var rowStart = new int[n + 1];
        var columns = new List<int>();
        var values = new List<double>();
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < i % 41; k++)
            {
                columns.Add(rng.Next(n));
                values.Add(rng.NextDouble());
            }

            rowStart[i + 1] = columns.Count;
        }

        var expected = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++)
            {
                int j = columns[e];
                double d0 = y[2 * i] - y[2 * j], d1 = y[(2 * i) + 1] - y[(2 * j) + 1];
                double pu = values[e] / (1.0 + (d0 * d0) + (d1 * d1));
                expected[2 * i] += pu * d0;
                expected[(2 * i) + 1] += pu * d1;
            }
        }

        int[] cols = [.. columns];
        double[] vals = [.. values];
        foreach (var run in new Action<double[]>[]
        {
            f => Kernels.CauchyAttraction2D(rowStart, cols, vals, y, 0, n, f),
            f => Kernels.CauchyAttraction2D<Kernels.Width512, Vector512<double>>(rowStart, cols, vals, y, 0, n, f),
            f => Kernels.CauchyAttraction2D<Kernels.Width256, Vector256<double>>(rowStart, cols, vals, y, 0, n, f),
            f => Kernels.CauchyAttraction2D<Kernels.Width128, Vector128<double>>(rowStart, cols, vals, y, 0, n, f),
            f => Kernels.CauchyAttraction2D<Kernels.ScalarWidth, double>(rowStart, cols, vals, y, 0, n, f),
        })
        {
            var force = Enumerable.Repeat(double.NaN, 2 * n).ToArray(); // every entry must be written
            run(force);
            for (int k = 0; k < 2 * n; k++)
            {
                Reference.Close(expected[k], force[k], 1e-13 * (1 + (k / 2 % 41)));
            }

            // A sub-range writes its rows only.
            var part = Enumerable.Repeat(double.NaN, 2 * n).ToArray();
            Kernels.CauchyAttraction2D(rowStart, cols, vals, y, 50, 90, part);
            Assert.True(double.IsNaN(part[99]) && double.IsNaN(part[180]));
            Reference.Close(expected[100], part[100], 1e-13 * 20);
        }

        Assert.Throws<ArgumentException>(() => Kernels.CauchyAttraction2D(rowStart, cols, vals, y, 0, n + 1, new double[2 * n]));
    }
}
