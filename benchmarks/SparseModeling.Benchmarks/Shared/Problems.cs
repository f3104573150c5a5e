// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Benchmarks.Shared;

/// <summary>
/// The problems of the shared benchmark cases (BENCHMARKS.md), built once here so that the compare
/// mode and the BenchmarkDotNet classes time the same data.
/// </summary>
internal static class Problems
{
    /// <summary><c>gemm_1000</c> (and its smaller sizes): A = normal_matrix(11, n, n), B = normal_matrix(12, n, n).</summary>
    public static (Matrix<double> A, Matrix<double> B) Gemm(int n) =>
        (BenchmarkData.NormalMatrix(11, n, n), BenchmarkData.NormalMatrix(12, n, n));

    /// <summary>
    /// <c>lasso_cd_500x5000</c>: sparse_regression(21, 500, 5000, 50) and α = 0.05·α_max with
    /// α_max = max|Xᵀ(y − ȳ)|/500.
    /// </summary>
    public static (Matrix<double> X, Vector<double> Y, double Alpha) LassoCd500x5000()
    {
        var (x, y, _) = BenchmarkData.SparseRegression(21, 500, 5000, 50);
        double alphaMax = x.TransposeThisAndMultiply(y - y.Average()).InfinityNorm() / 500;
        return (x, y, 0.05 * alphaMax);
    }

    /// <summary>
    /// <c>lasso_sparse_20000x50000</c>: X = sparse_counts(81, 20000, 50000, 30, 1) (CSR), w[::500] = normal(100) from
    /// generator(82), y = X·w + 0.01·normal(20000) from generator(83), α = 0.01·max|Xᵀ(y − ȳ)|/n.
    /// </summary>
    public static (Matrix<double> X, Vector<double> Y, double Alpha) LassoSparse20000x50000()
    {
        const int n = 20000, p = 50000;
        var x = BenchmarkData.SparseCounts(81, n, p, 30, 1);
        var w = Vector<double>.Build.Dense(p);
        var relevant = BenchmarkData.Normal(82, 100);
        for (int k = 0; k < 100; k++)
        {
            w[k * 500] = relevant[k];
        }

        var y = (x * w) + (0.01 * Vector<double>.Build.Dense(BenchmarkData.Normal(83, n)));
        double alphaMax = x.TransposeThisAndMultiply(y - y.Average()).InfinityNorm() / n;
        return (x, y, 0.01 * alphaMax);
    }

    /// <summary><c>lasso_lars_500x2000</c>: sparse_regression(31, 500, 2000, 40) and α = 0.01.</summary>
    public static (Matrix<double> X, Vector<double> Y, double Alpha) LassoLars500x2000()
    {
        var (x, y, _) = BenchmarkData.SparseRegression(31, 500, 2000, 40);
        return (x, y, 0.01);
    }

    /// <summary><c>lasso_path_500x5000</c>: the same data, X and y centred by their column means.</summary>
    public static (Matrix<double> X, Vector<double> Y) LassoPath500x5000()
    {
        var (x, y, _) = BenchmarkData.SparseRegression(21, 500, 5000, 50);
        return BenchmarkData.Centered(x, y);
    }
}
