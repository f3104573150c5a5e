// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class TriangularSolveTests
{
    /// <summary>A well-conditioned lower-triangular matrix with garbage (NaN) in the upper triangle.</summary>
    internal static double[] Lower(int n, int ld, int seed)
    {
        var l = Reference.Random(Math.Max(1, ld * n), seed);
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < j; i++)
            {
                l[i + (j * ld)] = double.NaN;
            }

            l[j + (j * ld)] = 2.0 + (j % 3);
            for (int i = j + 1; i < n; i++)
            {
                l[i + (j * ld)] /= Math.Sqrt(n);
            }
        }

        return l;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(300)]
    public void SolveLower_Random_ReproducesRightHandSide(int n)
    {
        int ld = n + 3;
        var l = Lower(n, ld, n);
        var b = Reference.Random(n, 100 + n);
        var x = (double[])b.Clone();
        TriangularSolve.SolveLower(l, n, ld, x);
        for (int i = 0; i < n; i++)
        {
            double sum = 0.0;
            for (int p = 0; p <= i; p++)
            {
                sum += l[i + (p * ld)] * x[p];
            }

            Reference.Close(b[i], sum, 1e-13 * (n + 1));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(300)]
    public void SolveLowerTransposed_Random_ReproducesRightHandSide(int n)
    {
        int ld = n + 1;
        var l = Lower(n, ld, 2 * n);
        var b = Reference.Random(n, 200 + n);
        var x = (double[])b.Clone();
        TriangularSolve.SolveLowerTransposed(l, n, ld, x);
        for (int i = 0; i < n; i++)
        {
            double sum = 0.0;
            for (int p = i; p < n; p++)
            {
                sum += l[p + (i * ld)] * x[p];
            }

            Reference.Close(b[i], sum, 1e-13 * (n + 1));
        }
    }

    [Fact]
    public void SolveLower_ShortRightHandSide_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => TriangularSolve.SolveLower(new double[9], 3, 3, new double[2]));
        Assert.Equal("b", error.ParamName);
    }
}
