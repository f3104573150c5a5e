// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Decomposition;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// K-SVD against spm-image's algorithm (its <c>_ksvd</c> with the normal update: a full SVD per atom, restated in
/// <c>Reference/sweep_bench.py</c>, since spm-image is not installed), on the same data and start, the same number of
/// iterations; the quality is the final error ‖X − W·D‖_F, which both sides report.
/// </summary>
internal static class KsvdCases
{
    public static IEnumerable<CompareCase> All =>
    [
        new CompareCase("ksvd_10000x64_k256", "SparseModeling.Ksvd(Normal)", () =>
        {
            var (x, start) = Problem();
            var ksvd = new Ksvd { ComponentCount = 256, NonzeroCoefficients = 5, MaxIterations = 10, Tolerance = 0.0, Method = KsvdMethod.Normal, InitialDictionary = start };
            return PreparedCase.Of(
                () => ksvd.Fit(x),
                (_, _) => new JsonObject { ["error"] = ksvd.Errors[^1] });
        }, ReferenceSource.Sweep),
    ];

    /// <summary>
    /// 10,000 patch-like signals of 64 features: normal_matrix(73, 10000, 8)·normal_matrix(74, 8, 64) + 0.1·normal_matrix(75,
    /// 10000, 64) (low-dimensional plus noise, as image patches are); the start is the first 256 signals, normalised.
    /// </summary>
    private static (Matrix<double> X, Matrix<double> Start) Problem()
    {
        var x = (BenchmarkData.NormalMatrix(73, 10000, 8) * BenchmarkData.NormalMatrix(74, 8, 64)) + (0.1 * BenchmarkData.NormalMatrix(75, 10000, 64));
        return (x, x.SubMatrix(0, 256, 0, 64).NormalizeRows(2.0));
    }
}
