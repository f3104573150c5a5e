// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Decomposition;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// Compare cases of batch sparse coding through <see cref="SparseEncoder"/>: orthogonal matching pursuit (the twin of a
/// <c>reference_bench.py</c> case) and coordinate descent (the twin of this project's <c>Reference/sweep_bench.py</c>).
/// </summary>
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

        // The problem of omp_encode_10000x64_k8 coded by the Lasso (α = 1, sparse_encode's default; about 27 of the 256
        // atoms per code), as scikit-learn's sparse_encode(algorithm="lasso_cd"); and the same signals over a complete
        // dictionary of 64 atoms (the first 64 rows of the same draw), where SparseEncoder codes several signals per vector.
        LassoCdEncode("lassocd_encode_10000x64", 256),
        LassoCdEncode("lassocd_encode_10000x64_a64", 64),
    ];

    private static CompareCase LassoCdEncode(string name, int atoms) =>
        new(name, "SparseModeling.SparseEncoder(LassoCd)", () =>
        {
            var (signals, dictionary) = OmpProblems.Encode10000x64();
            if (atoms < dictionary.RowCount)
            {
                dictionary = dictionary.SubMatrix(0, atoms, 0, dictionary.ColumnCount);
            }

            return PreparedCase.Of(
                () => SparseEncoder.Encode(signals, dictionary, SparseCodingAlgorithm.LassoCd, alpha: 1.0),
                (codes, _) => new JsonObject
                {
                    ["residual_fro"] = (signals - (codes * dictionary)).FrobeniusNorm(),
                    ["nnz"] = codes.Enumerate().Count(c => c != 0.0),
                });
        }, ReferenceSource.Sweep);
}
