// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Benchmarks.Shared;

/// <summary>The problems of the ADMM benchmark and of the solver comparison, built from the shared generator.</summary>
internal static class AdmmProblems
{
    /// <summary><c>admm_200x2000</c>: sparse_regression(91, 200, 2000, 20), α = 0.05·α_max (α_max = max|Xᵀ(y − ȳ)|/n), ρ = 1.</summary>
    public static (Matrix<double> X, Vector<double> Y, double Alpha) Admm200x2000() => WithAlpha(91, 200, 2000, 20, 0.05);

    /// <summary>The solver comparison: sparse_regression(101, 100, 1000, 10), α = 0.05·α_max.</summary>
    public static (Matrix<double> X, Vector<double> Y, double Alpha) Solvers100x1000() => WithAlpha(101, 100, 1000, 10, 0.05);

    /// <summary>The objective (1/(2n))‖y − Xw − b‖² + α‖w‖₁, for the quality figures.</summary>
    public static double Objective(Matrix<double> x, Vector<double> y, Vector<double> w, double b, double alpha)
    {
        var r = y - (x * w) - b;
        return (r.DotProduct(r) / (2.0 * y.Count)) + (alpha * w.L1Norm());
    }

    private static (Matrix<double> X, Vector<double> Y, double Alpha) WithAlpha(ulong seed, int n, int p, int k, double fraction)
    {
        var (x, y, _) = BenchmarkData.SparseRegression(seed, n, p, k);
        var (xc, yc) = BenchmarkData.Centered(x, y);
        double alphaMax = xc.TransposeThisAndMultiply(yc).InfinityNorm() / n;
        return (x, y, fraction * alphaMax);
    }
}
