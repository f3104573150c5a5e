// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Tests.LinearAlgebra;

/// <summary>Naive scalar reference implementations and random test data for the kernel tests.</summary>
internal static class Reference
{
    public static readonly int[] Sizes = [0, 1, 7, 33, 1000];

    public static double[] Random(int length, int seed, double offset = -0.5)
    {
        var rng = new Random(seed);
        var data = new double[length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = rng.NextDouble() + offset;
        }

        return data;
    }

    /// <summary>op(X)(i, j) for a column-major X with leading dimension ld.</summary>
    public static double Op(double[] x, int ld, bool transpose, int i, int j) =>
        transpose ? x[j + (i * ld)] : x[i + (j * ld)];

    /// <summary>C ← α·op(A)·op(B) + β·C naively; also returns Σ|a||b| per element for error bounds.</summary>
    public static double[] Gemm(bool ta, bool tb, int m, int n, int k, double alpha, double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc, out double[] magnitude)
    {
        var result = (double[])c.Clone();
        magnitude = new double[c.Length];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                double sum = 0.0;
                double mag = 0.0;
                for (int p = 0; p < k; p++)
                {
                    double term = Op(a, lda, ta, i, p) * Op(b, ldb, tb, p, j);
                    sum += term;
                    mag += Math.Abs(term);
                }

                double old = c[i + (j * ldc)];
                result[i + (j * ldc)] = (alpha * sum) + (beta == 0.0 ? 0.0 : beta * old);
                magnitude[i + (j * ldc)] = (Math.Abs(alpha) * mag) + (beta == 0.0 ? 0.0 : Math.Abs(beta * old));
            }
        }

        return result;
    }

    /// <summary>A random symmetric positive definite n×n matrix (column-major, leading dimension ld).</summary>
    public static double[] Spd(int n, int ld, int seed)
    {
        var x = Random(n * n, seed);
        var a = new double[Math.Max(1, ld * n)];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < n; i++)
            {
                double sum = i == j ? n : 0.0;
                for (int p = 0; p < n; p++)
                {
                    sum += x[i + (p * n)] * x[j + (p * n)];
                }

                a[i + (j * ld)] = sum;
            }
        }

        return a;
    }

    public static void Close(double expected, double actual, double tolerance)
    {
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R} (tolerance {tolerance:E2})");
    }
}
