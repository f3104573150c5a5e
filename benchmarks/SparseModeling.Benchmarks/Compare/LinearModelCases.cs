// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.LinearModel;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>Compare cases of the linear models, each the twin of a <c>reference_bench.py</c> case.</summary>
internal static class LinearModelCases
{
    public static IEnumerable<CompareCase> All =>
    [
        new CompareCase("lasso_cd_500x5000", "SparseModeling.Lasso", () =>
        {
            var (x, y, alpha) = Problems.LassoCd500x5000();
            return PreparedCase.Of(
                () => new Lasso { Alpha = alpha, Tolerance = 1e-4, MaxIterations = 10000 }.Fit(x, y),
                (model, _) => new JsonObject
                {
                    ["nnz"] = model.Coefficients.Count(w => w != 0.0),
                    ["n_iter"] = model.Iterations,
                    ["alpha"] = alpha,
                });
        }),
        new CompareCase("lasso_path_500x5000", "SparseModeling.LassoPath", () =>
        {
            var (xc, yc) = Problems.LassoPath500x5000();
            return PreparedCase.Of(
                () => LassoPath.Compute(xc, yc, alphaCount: 100, epsilon: 1e-2, tolerance: 1e-4),
                (path, _) => new JsonObject { ["n_alphas"] = path.Alphas.Count });
        }),
        new CompareCase("lasso_sparse_20000x50000", "SparseModeling.Lasso(SparseMatrix)", () =>
        {
            var (x, y, alpha) = Problems.LassoSparse20000x50000();
            long allocated = 0;
            return PreparedCase.Of(
                () =>
                {
                    // The fit's allocations (the CSC copy, O(n + p) work arrays), reported with the quality figures.
                    long before = GC.GetTotalAllocatedBytes(precise: true);
                    var model = new Lasso { Alpha = alpha, Tolerance = 1e-4, MaxIterations = 10000 }.Fit(x, y);
                    allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                    return model;
                },
                (model, _) => new JsonObject
                {
                    ["nnz"] = model.Coefficients.Count(w => w != 0.0),
                    ["n_iter"] = model.Iterations,
                    ["alpha"] = alpha,
                    ["allocated_mb"] = Math.Round(allocated / 1e6, 1),
                });
        }),
        new CompareCase("lasso_lars_500x2000", "SparseModeling.LassoLars", () =>
        {
            var (x, y, alpha) = Problems.LassoLars500x2000();
            return PreparedCase.Of(
                () => new LassoLars { Alpha = alpha }.Fit(x, y),
                (model, _) => new JsonObject { ["nnz"] = model.Coefficients.Count(w => w != 0.0) });
        }),
    ];
}
