// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.LinearModel;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// The Lasso size sweep, <c>lasso_grid_NxP</c>, the twin of <c>reference_bench.py</c>'s
/// <c>case_lasso_grid</c>: <c>sparse_regression(777, n, p, k)</c> with k = max(1, min(20, p / 10)),
/// α = 0.05·α_max (α_max = max|Xᵀ(y − ȳ)|/n), tolerance 1e-4, as scikit-learn's <c>Lasso</c>. Any
/// <c>lasso_grid_NxP</c> is accepted; <c>lasso_grid_NxPkK</c> sets k (the shared script has no such
/// names, so their reference is this project's <c>sweep_bench.py</c>). <see cref="Grid"/> is the
/// shared sweep.
/// </summary>
internal static class LassoGridCases
{
    private const string Prefix = "lasso_grid_";

    /// <summary>The sweep's sizes (n × p): small, tall, wide and large, as the shared script lists them.</summary>
    public static IReadOnlyList<(int N, int P)> Grid { get; } =
    [
        (100, 150), (100, 500), (200, 1000), (400, 1000), (400, 2000), (1000, 150), (1000, 1000), (2000, 2000), (5000, 200), (400, 32000),
    ];

    /// <summary>The cases of <see cref="Grid"/>, in its order.</summary>
    public static IEnumerable<CompareCase> All => Grid.Select(size => Create(size.N, size.P, null));

    /// <summary>The case called <paramref name="name"/> when it is a <c>lasso_grid_NxP[kK]</c> name, else null.</summary>
    public static CompareCase? Parse(string name) =>
        SweepCases.TryParse(name, Prefix, out int n, out int p, out int? k) ? Create(n, p, k) : null;

    private static CompareCase Create(int n, int p, int? relevant) => new(SweepCases.Name(Prefix, n, p, relevant), "SparseModeling.Lasso", () =>
    {
        int k = relevant ?? SweepCases.DefaultRelevant(p);
        var (x, y, _) = BenchmarkData.SparseRegression(777, n, p, Math.Min(k, p));
        double alpha = 0.05 * SweepCases.AlphaMax(x, y);
        return PreparedCase.Of(
            () => new Lasso { Alpha = alpha, Tolerance = 1e-4, MaxIterations = 10000 }.Fit(x, y),
            (model, _) => new JsonObject
            {
                ["nnz"] = model.Coefficients.Count(w => w != 0.0),
                ["alpha"] = alpha,
            });
    }, relevant is null ? ReferenceSource.Shared : ReferenceSource.Sweep);
}
