// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using System.Text.Json.Nodes;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.LinearModel;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// The Lasso size sweep, <c>lasso_grid_NxP</c>, the twin of <c>reference_bench.py</c>'s
/// <c>case_lasso_grid</c>: <c>sparse_regression(777, n, p, k)</c> with k = max(1, min(20, p / 10)),
/// α = 0.05·α_max (α_max = max|Xᵀ(y − ȳ)|/n), tolerance 1e-4, as scikit-learn's <c>Lasso</c>. Any
/// <c>lasso_grid_NxP</c> is accepted; <see cref="Grid"/> is the sweep that <c>compare --grid</c> runs.
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
    public static IEnumerable<CompareCase> All => Grid.Select(size => Create(size.N, size.P));

    /// <summary>The case called <paramref name="name"/> when it is a <c>lasso_grid_NxP</c> name, else null.</summary>
    public static CompareCase? Parse(string name)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = name[Prefix.Length..].Split('x');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int p)
            && n > 1 && p > 0
            ? Create(n, p)
            : null;
    }

    private static CompareCase Create(int n, int p) => new(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{n}x{p}"), "SparseModeling.Lasso", () =>
    {
        int k = Math.Max(1, Math.Min(20, p / 10));
        var (x, y, _) = BenchmarkData.SparseRegression(777, n, p, k);
        double yMean = y.Average();
        double alpha = 0.05 * x.TransposeThisAndMultiply(y - yMean).AbsoluteMaximum() / n;
        return PreparedCase.Of(
            () => new Lasso { Alpha = alpha, Tolerance = 1e-4, MaxIterations = 10000 }.Fit(x, y),
            (model, _) => new JsonObject
            {
                ["nnz"] = model.Coefficients.Count(w => w != 0.0),
                ["alpha"] = alpha,
            });
    });
}
