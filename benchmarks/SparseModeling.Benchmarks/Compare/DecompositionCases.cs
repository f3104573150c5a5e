// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Decomposition;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>Compare cases of the decomposition family, each the twin of a <c>reference_bench.py</c> case.</summary>
internal static class DecompositionCases
{
    public static IEnumerable<CompareCase> All =>
    [
        Nmf("nmf_mu_frobenius_2000x1000", NmfSolver.MultiplicativeUpdate, NmfLoss.Frobenius),
        Nmf("nmf_mu_kl_2000x1000", NmfSolver.MultiplicativeUpdate, NmfLoss.KullbackLeibler),
        Nmf("nmf_mu_is_2000x1000", NmfSolver.MultiplicativeUpdate, NmfLoss.ItakuraSaito),
        Nmf("nmf_cd_2000x1000", NmfSolver.CoordinateDescent, NmfLoss.Frobenius),
        Nmf("nmf_hals_2000x1000", NmfSolver.Hals, NmfLoss.Frobenius, ReferenceSource.None),
        SparseNmf("nmf_sparse_mu_kl_10000x5000", NmfSolver.MultiplicativeUpdate, NmfLoss.KullbackLeibler),
        SparseNmf("nmf_sparse_cd_10000x5000", NmfSolver.CoordinateDescent, NmfLoss.Frobenius),
        DictionaryMiniBatch(),
    ];

    /// <summary>
    /// <c>dict_minibatch_10000x64</c>: normal_matrix(51, 10000, 64), 100 atoms, α = 1, batches of 256, 2 epochs, seed 0, the
    /// other parameters at their defaults (LARS-Lasso coding, shuffled, tolerance 1e-3, patience 10), as the shared script.
    /// Its Python twin is this project's <c>Reference/sweep_bench.py</c> (the shared case reports no quality): both report the
    /// final objective — the mean over all samples of ½‖x − cD‖² + α‖c‖₁ with the Lasso codes c of the learned D (LARS, α) —
    /// and the steps taken, so that speed is compared at equal objective.
    /// </summary>
    private static CompareCase DictionaryMiniBatch() =>
        new("dict_minibatch_10000x64", "SparseModeling.MiniBatchDictionaryLearning", () =>
        {
            var x = BenchmarkData.NormalMatrix(51, 10000, 64);
            return PreparedCase.Of(
                () => new MiniBatchDictionaryLearning { ComponentCount = 100, Alpha = 1.0, BatchSize = 256, MaxIterations = 2, RandomSeed = 0 }.Fit(x),
                (model, _) =>
                {
                    var d = model.Components;
                    var codes = SparseEncoder.Encode(x, d, SparseCodingAlgorithm.LassoLars, alpha: 1.0);
                    double residual = (x - (codes * d)).FrobeniusNorm();
                    double objective = ((0.5 * residual * residual) + codes.Enumerate().Sum(Math.Abs)) / x.RowCount;
                    return new JsonObject { ["objective"] = objective, ["n_steps"] = model.StepCount };
                });
        }, ReferenceSource.Sweep);

    /// <summary>
    /// nonneg(61, 2000, 1000, 20), K = 20, nndsvda, 200 iterations, tol 0, as the Python side (HALS has no scikit-learn
    /// twin: its case is timed on our side only, for comparisons between versions).
    /// </summary>
    private static CompareCase Nmf(string name, NmfSolver solver, NmfLoss loss, ReferenceSource reference = ReferenceSource.Shared) =>
        new(name, $"SparseModeling.Nmf({solver},{loss})", () =>
        {
            var x = NmfProblems.NonNegative(61, 2000, 1000, 20);
            var nmf = new Nmf { ComponentCount = 20, Init = NmfInit.NndsvdA, Solver = solver, Loss = loss, MaxIterations = 200, Tolerance = 0.0 };
            return PreparedCase.Of(
                () => nmf.FitTransform(x),
                (_, _) => new JsonObject { ["reconstruction_err"] = nmf.ReconstructionError });
        }, reference);

    /// <summary>
    /// sparse_counts(91, 10000, 5000, 40, 20) as a CSR <c>SparseMatrix</c> (380,154 stored entries), K = 20, nndsvda,
    /// 100 iterations, tol 0, as the Python side's scikit-learn NMF on CSR; also reports what the fit allocates.
    /// </summary>
    private static CompareCase SparseNmf(string name, NmfSolver solver, NmfLoss loss) =>
        new(name, $"SparseModeling.Nmf({solver},{loss},SparseMatrix)", () =>
        {
            var x = BenchmarkData.SparseCounts(91, 10000, 5000, 40, 20);
            var nmf = new Nmf { ComponentCount = 20, Init = NmfInit.NndsvdA, Solver = solver, Loss = loss, MaxIterations = 100, Tolerance = 0.0 };
            long allocated = 0;
            return PreparedCase.Of(
                () =>
                {
                    long before = GC.GetTotalAllocatedBytes(precise: true);
                    var w = nmf.FitTransform(x);
                    allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                    return w;
                },
                (_, _) => new JsonObject
                {
                    ["reconstruction_err"] = nmf.ReconstructionError,
                    ["nnz"] = ((MathNet.Numerics.LinearAlgebra.Storage.SparseCompressedRowMatrixStorage<double>)x.Storage).ValueCount,
                    ["allocated_mb"] = Math.Round(allocated / 1e6, 1),
                });
        });
}
