// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using System.Text.Json.Nodes;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.LinearModel;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// <c>admm_200x2000</c>: <see cref="LassoAdmm"/> against spm-image's approach (a dense inverse of the
/// 2000×2000 system per fit, <see cref="SpmImageAdmmBaseline"/>). The reference script has no ADMM,
/// so the baseline runs here: its median of three fits (timed while the case is prepared) and the
/// ratio go into the quality figures.
/// </summary>
internal static class AdmmCases
{
    private const int BaselineRuns = 3;

    public static IEnumerable<CompareCase> All =>
    [
        new CompareCase("admm_200x2000", "SparseModeling.LassoAdmm", () =>
        {
            var (x, y, alpha) = AdmmProblems.Admm200x2000();
            var seconds = new double[BaselineRuns];
            var baseline = SpmImageAdmmBaseline.Fit(x, y, alpha, 1.0, 1e-4, 1000);
            for (int r = 0; r < BaselineRuns; r++)
            {
                long start = Stopwatch.GetTimestamp();
                baseline = SpmImageAdmmBaseline.Fit(x, y, alpha, 1.0, 1e-4, 1000);
                seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            Array.Sort(seconds);
            double baselineMedian = seconds[BaselineRuns / 2];
            return PreparedCase.Of(
                () => new LassoAdmm { Alpha = alpha, Rho = 1.0, Tolerance = 1e-4, MaxIterations = 1000 }.Fit(x, y),
                (model, timing) => new JsonObject
                {
                    ["nnz"] = model.Coefficients.Count(w => w != 0.0),
                    ["n_iter"] = model.Iterations,
                    ["objective"] = AdmmProblems.Objective(x, y, model.Coefficients, model.Intercept, alpha),
                    ["baseline_median_s"] = baselineMedian,
                    ["baseline_n_iter"] = baseline.Iterations,
                    ["baseline_objective"] = AdmmProblems.Objective(x, y, baseline.Coefficients, baseline.Intercept, alpha),
                    ["speedup_vs_baseline"] = baselineMedian / timing.MedianSeconds,
                });
        }, ReferenceSource.None),
    ];
}
