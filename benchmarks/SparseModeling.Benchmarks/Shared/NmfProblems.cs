// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Benchmarks.Shared;

/// <summary>The NMF problems of <c>reference_bench.py</c>.</summary>
internal static class NmfProblems
{
    /// <summary><c>nonneg(seed, rows, cols, k)</c>: |N(seed)|(rows×k) · |N(seed+1)|(k×cols) + 0.01.</summary>
    public static Matrix<double> NonNegative(ulong seed, int rows, int cols, int k)
    {
        var w = BenchmarkData.NormalMatrix(seed, rows, k).PointwiseAbs();
        var h = BenchmarkData.NormalMatrix(seed + 1, k, cols).PointwiseAbs();
        var x = Gemm.Multiply(w, h);
        var data = x.AsColumnMajorArray();
        for (int i = 0; i < data.Length; i++)
        {
            data[i] += 0.01;
        }

        return x;
    }
}
