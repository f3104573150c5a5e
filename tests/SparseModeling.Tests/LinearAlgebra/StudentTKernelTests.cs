// SPDX-License-Identifier: BSD-3-Clause
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
}
