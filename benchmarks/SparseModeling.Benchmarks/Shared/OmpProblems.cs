// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Benchmarks.Shared;

/// <summary>The problems of the orthogonal-matching-pursuit benchmark cases (BENCHMARKS.md).</summary>
internal static class OmpProblems
{
    /// <summary>
    /// <c>omp_encode_10000x64_k8</c>: 256 atoms = rows of normal_matrix(41, 256, 64) scaled to unit
    /// norm, and 10000 signals = normal_matrix(42, 10000, 64).
    /// </summary>
    public static (Matrix<double> Signals, Matrix<double> Dictionary) Encode10000x64()
    {
        var dictionary = BenchmarkData.NormalMatrix(41, 256, 64);
        dictionary = dictionary.NormalizeRows(2.0);
        return (BenchmarkData.NormalMatrix(42, 10000, 64), dictionary);
    }
}
