// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Decomposition;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>Compare cases of orthogonal matching pursuit, each the twin of a <c>reference_bench.py</c> case.</summary>
internal static class OmpCases
{
    public static IEnumerable<CompareCase> All =>
    [
        new CompareCase("omp_encode_10000x64_k8", "SparseModeling.SparseEncoder(Omp)", () =>
        {
            var (signals, dictionary) = OmpProblems.Encode10000x64();
            return PreparedCase.Of(
                () => SparseEncoder.Encode(signals, dictionary, SparseCodingAlgorithm.Omp, 8),
                (codes, _) => new JsonObject { ["residual_fro"] = (signals - (codes * dictionary)).FrobeniusNorm() });
        }),
    ];
}
