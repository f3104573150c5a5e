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
    ];

    /// <summary>nonneg(61, 2000, 1000, 20), K = 20, nndsvda, 200 iterations, tol 0, as the Python side.</summary>
    private static CompareCase Nmf(string name, NmfSolver solver, NmfLoss loss) =>
        new(name, $"SparseModeling.Nmf({solver},{loss})", () =>
        {
            var x = NmfProblems.NonNegative(61, 2000, 1000, 20);
            var nmf = new Nmf { ComponentCount = 20, Init = NmfInit.NndsvdA, Solver = solver, Loss = loss, MaxIterations = 200, Tolerance = 0.0 };
            return PreparedCase.Of(
                () => nmf.FitTransform(x),
                (_, _) => new JsonObject { ["reconstruction_err"] = nmf.ReconstructionError });
        });
}
