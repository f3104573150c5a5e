// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Imaging;
using SparseModeling.LinearModel;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// The generalized Lasso family on signals (X = I). <c>fused_lasso_admm_2000</c> and <c>trend_filter_admm_2000</c>:
/// <see cref="FusedLassoAdmm"/>/<see cref="TrendFilteringAdmm"/> (banded O(p) system) against spm-image's approach — a
/// dense inverse of the p×p matrix XᵀX/n + ρDᵀD and dense products with it and D per iteration — restated in
/// <c>Reference/sweep_bench.py</c> (spm-image does not run on scikit-learn 1.2 as installed). Both sides run the same
/// ADMM iterations from the same start, a fixed number (tolerance 0), enough for the objective to come within 1e-6 of
/// its optimum (measured: <c>rel_objective_error</c>, against a long untimed solve). <c>trend_filter_100000</c>:
/// <see cref="TrendFiltering.Denoise"/> (the interior-point method on the dual) on 100,000 samples with its defaults; no reference.
/// </summary>
internal static class SignalCases
{
    /// <summary>The iterations of <c>fused_lasso_admm_2000</c> (the objective within 1e-6 of f* from 846 on); the twin runs as many.</summary>
    public const int FusedIterations = 850;

    /// <summary>The iterations of <c>trend_filter_admm_2000</c> (within 1e-6 of f* from 22 on); the twin runs as many.</summary>
    public const int TrendIterations = 25;

    public static IEnumerable<CompareCase> All =>
    [
        Admm("fused_lasso_admm_2000", "SparseModeling.FusedLassoAdmm", fused: true, FusedIterations),
        Admm("trend_filter_admm_2000", "SparseModeling.TrendFilteringAdmm", fused: false, TrendIterations),
        new CompareCase("trend_filter_100000", "SparseModeling.TrendFiltering.Denoise", () =>
        {
            var y = SignalProblems.Trend100000();
            var optimum = SignalProblems.TrendObjective(y, TrendFiltering.Denoise(y, 10.0, 1, 1000, 0.0), 10.0, 1);
            return PreparedCase.Of(
                () => TrendFiltering.Denoise(y, 10.0, 1),
                (beta, _) => new JsonObject
                {
                    ["objective"] = SignalProblems.TrendObjective(y, beta, 10.0, 1),
                    ["rel_objective_error"] = (SignalProblems.TrendObjective(y, beta, 10.0, 1) - optimum) / optimum,
                });
        }, ReferenceSource.None),
    ];

    private static CompareCase Admm(string name, string implementation, bool fused, int iterations) => new(name, implementation, () =>
    {
        var (x, y) = fused ? SignalProblems.Fused2000() : SignalProblems.Trend2000();

        // The optimum, untimed: the same estimator run to its residual rule at 1e-13.
        var reference = SignalProblems.Estimator(fused, 1_000_000);
        reference.Tolerance = 1e-13;
        ((IRegressor)reference).Fit(x, y);
        double optimum = SignalProblems.Objective(reference, y, reference.Coefficients);
        var model = SignalProblems.Estimator(fused, iterations);
        return PreparedCase.Of(
            () => ((IRegressor)model).Fit(x, y),
            (_, _) => new JsonObject
            {
                ["n_iter"] = model.Iterations,
                ["objective"] = SignalProblems.Objective(model, y, model.Coefficients),
                ["rel_objective_error"] = (SignalProblems.Objective(model, y, model.Coefficients) - optimum) / optimum,
            });
    }, ReferenceSource.Sweep);
}
