// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class CholeskyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200)]
    public void Factor_SpdMatrix_ReconstructsAndLeavesUpperUntouched(int n)
    {
        int ld = n + 2;
        var a = Reference.Spd(n, ld, n);
        var l = (double[])a.Clone();
        // Mark the strict upper triangle: Factor must neither read nor write it.
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < j; i++)
            {
                l[i + (j * ld)] = 12345.0;
            }
        }

        Assert.True(Cholesky.Factor(l, n, ld));
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < n; i++)
            {
                if (i < j)
                {
                    Assert.Equal(12345.0, l[i + (j * ld)]);
                    continue;
                }

                double sum = 0.0;
                for (int p = 0; p <= j; p++)
                {
                    sum += l[i + (p * ld)] * l[j + (p * ld)];
                }

                Reference.Close(a[i + (j * ld)], sum, 1e-13 * (n + 1) * n);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(100)]
    public void Factor_IndefiniteMatrix_ReturnsFalse(int n)
    {
        var a = Reference.Spd(n, n, 3);
        a[(n - 1) + ((n - 1) * n)] = -1e6;
        Assert.False(Cholesky.Factor(a, n, n));
    }

    [Fact]
    public void Factor_NaNOnDiagonal_ReturnsFalse()
    {
        var a = new[] { double.NaN, 0.0, 0.0, 1.0 };
        Assert.False(Cholesky.Factor(a, 2, 2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(130)]
    public void Solve_OneRightHandSide_SolvesSystem(int n)
    {
        var a = Reference.Spd(n, n, 5);
        var l = (double[])a.Clone();
        Assert.True(Cholesky.Factor(l, n, n));
        var b = Reference.Random(n, 6);
        var x = (double[])b.Clone();
        Cholesky.Solve(l, n, n, x);
        AssertSolves(a, n, b, x);
    }

    [Fact]
    public void Solve_SeveralRightHandSides_SolvesEachColumn()
    {
        const int N = 40;
        const int Nrhs = 3;
        const int Ldb = N + 4;
        var a = Reference.Spd(N, N, 7);
        var l = (double[])a.Clone();
        Assert.True(Cholesky.Factor(l, N, N));
        var b = Reference.Random(Ldb * Nrhs, 8);
        var x = (double[])b.Clone();
        Cholesky.Solve(l, N, N, x, Nrhs, Ldb);
        for (int c = 0; c < Nrhs; c++)
        {
            AssertSolves(a, N, b.AsSpan(c * Ldb, N).ToArray(), x.AsSpan(c * Ldb, N).ToArray());
            Assert.Equal(b.AsSpan((c * Ldb) + N, Ldb - N).ToArray(), x.AsSpan((c * Ldb) + N, Ldb - N).ToArray());
        }
    }

    internal static void AssertSolves(double[] a, int n, double[] b, double[] x)
    {
        for (int i = 0; i < n; i++)
        {
            double sum = 0.0;
            for (int p = 0; p < n; p++)
            {
                sum += a[i + (p * n)] * x[p];
            }

            Reference.Close(b[i], sum, 1e-11 * (n + 1));
        }
    }
}
