// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Decomposition;
using SparseModeling.LinearModel;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// The size sweeps of the other families, twins of <c>Reference/sweep_bench.py</c> in this project
/// (the shared script has only the Lasso sweep): <c>lars_grid_NxP</c> (<see cref="LassoLars"/>),
/// <c>omp_grid_NxP</c> (<see cref="OrthogonalMatchingPursuit"/>), <c>lassocv_grid_NxP</c>
/// (<see cref="LassoCV"/>), and <c>nmf_mu_grid_NxMkK</c> / <c>nmf_cd_grid_NxMkK</c> (<see cref="Nmf"/>).
/// The regressions use the Lasso sweep's data, <c>sparse_regression(777, n, p, k)</c> with
/// k = max(1, min(20, p / 10)); the NMF data is <c>nonneg(61, n, m, K)</c> as the shared NMF cases.
/// Any size is accepted by name; <see cref="Sweeps"/> lists each family's grid.
/// </summary>
internal static class SweepCases
{
    /// <summary>Iterations of each NMF sweep fit (tolerance 0, so both sides do the same work).</summary>
    private const int NmfIterations = 100;

    private static readonly IReadOnlyList<(int N, int P)> RegressionGrid =
        [(100, 150), (100, 500), (200, 1000), (400, 1000), (1000, 150), (1000, 1000), (5000, 200), (2000, 2000)];

    private static readonly IReadOnlyList<(int N, int P, int K)> NmfGrid =
        [(50, 20, 2), (200, 100, 5), (1000, 100, 10), (100, 1000, 10), (500, 500, 20), (2000, 1000, 20), (5000, 2000, 50)];

    /// <summary>The sweeps by family name (the <c>--sweep</c> values), each a list of case names.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sweeps { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["lasso"] = [.. LassoGridCases.Grid.Select(s => Name("lasso_grid_", s.N, s.P)), "lasso_grid_400x1000k40"],
        ["lars"] = [.. RegressionGrid.Select(s => Name("lars_grid_", s.N, s.P))],
        ["omp"] = [.. RegressionGrid.Select(s => Name("omp_grid_", s.N, s.P))],
        ["lassocv"] = [.. RegressionGrid.Where(s => s.N * s.P <= 1_000_000).Select(s => Name("lassocv_grid_", s.N, s.P))],
        ["nmf_mu"] = [.. NmfGrid.Select(s => Name("nmf_mu_grid_", s.N, s.P, s.K))],
        ["nmf_cd"] = [.. NmfGrid.Select(s => Name("nmf_cd_grid_", s.N, s.P, s.K))],
    };

    /// <summary>The case called <paramref name="name"/> when it is a sweep name of one of these families, else null.</summary>
    public static CompareCase? Parse(string name) =>
        TryParse(name, "lars_grid_", out int n, out int p, out int? k) && k is null ? Lars(name, n, p)
        : TryParse(name, "omp_grid_", out n, out p, out k) && k is null ? Omp(name, n, p)
        : TryParse(name, "lassocv_grid_", out n, out p, out k) && k is null && n >= 10 ? LassoCv(name, n, p)
        : TryParse(name, "nmf_mu_grid_", out n, out p, out k) && k is { } km ? Nmf(name, n, p, km, NmfSolver.MultiplicativeUpdate)
        : TryParse(name, "nmf_cd_grid_", out n, out p, out k) && k is { } kc ? Nmf(name, n, p, kc, NmfSolver.CoordinateDescent)
        : null;

    /// <summary>
    /// Reads <c>PREFIX{n}x{p}</c> or <c>PREFIX{n}x{p}k{k}</c> (positive sizes, n ≥ 2); false for anything else.
    /// </summary>
    public static bool TryParse(string name, string prefix, out int n, out int p, out int? k)
    {
        n = p = 0;
        k = null;
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        string rest = name[prefix.Length..];
        int kAt = rest.IndexOf('k', StringComparison.Ordinal);
        if (kAt >= 0)
        {
            if (!int.TryParse(rest[(kAt + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int kv) || kv < 1)
            {
                return false;
            }

            k = kv;
            rest = rest[..kAt];
        }

        var parts = rest.Split('x');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out n)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out p)
            && n > 1 && p > 0;
    }

    /// <summary>The case name <c>PREFIX{n}x{p}</c>, with <c>k{k}</c> when given.</summary>
    public static string Name(string prefix, int n, int p, int? k = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{n}x{p}{(k is { } kv ? $"k{kv}" : string.Empty)}");

    /// <summary>The sweep's relevant-feature count: max(1, min(20, p / 10)).</summary>
    public static int DefaultRelevant(int p) => Math.Max(1, Math.Min(20, p / 10));

    /// <summary>α_max = max|Xᵀ(y − ȳ)|/n, the smallest α with an all-zero Lasso solution.</summary>
    public static double AlphaMax(Matrix<double> x, Vector<double> y) =>
        x.TransposeThisAndMultiply(y - y.Average()).AbsoluteMaximum() / x.RowCount;

    private static CompareCase Lars(string name, int n, int p) => new(name, "SparseModeling.LassoLars", () =>
    {
        var (x, y, _) = BenchmarkData.SparseRegression(777, n, p, DefaultRelevant(p));
        double alpha = 0.05 * AlphaMax(x, y);
        return PreparedCase.Of(
            () => new LassoLars { Alpha = alpha }.Fit(x, y),
            (model, _) => new JsonObject { ["nnz"] = model.Coefficients.Count(w => w != 0.0), ["alpha"] = alpha });
    }, ReferenceSource.Sweep);

    private static CompareCase Omp(string name, int n, int p) => new(name, "SparseModeling.OrthogonalMatchingPursuit", () =>
    {
        int k = DefaultRelevant(p);
        var (x, y, _) = BenchmarkData.SparseRegression(777, n, p, k);
        int nonzeros = Math.Min(k, n);
        return PreparedCase.Of(
            () => new OrthogonalMatchingPursuit { NonzeroCoefficients = nonzeros }.Fit(x, y),
            (model, _) => new JsonObject
            {
                ["nnz"] = model.Coefficients.Count(w => w != 0.0),
                ["residual"] = (y - model.Predict(x)).L2Norm(),
            });
    }, ReferenceSource.Sweep);

    private static CompareCase LassoCv(string name, int n, int p) => new(name, "SparseModeling.LassoCV", () =>
    {
        var (x, y, _) = BenchmarkData.SparseRegression(777, n, p, DefaultRelevant(p));
        return PreparedCase.Of(
            () => new LassoCV { Folds = 5, AlphaCount = 100, Epsilon = 1e-3, Tolerance = 1e-4, MaxIterations = 1000 }.Fit(x, y),
            (model, _) => new JsonObject { ["alpha"] = model.BestAlpha, ["nnz"] = model.Coefficients.Count(w => w != 0.0) });
    }, ReferenceSource.Sweep);

    private static CompareCase Nmf(string name, int n, int m, int k, NmfSolver solver) => new(name, $"SparseModeling.Nmf({solver})", () =>
    {
        var x = NmfProblems.NonNegative(61, n, m, k);
        var nmf = new Nmf { ComponentCount = k, Init = NmfInit.NndsvdA, Solver = solver, Loss = NmfLoss.Frobenius, MaxIterations = NmfIterations, Tolerance = 0.0 };
        return PreparedCase.Of(
            () => nmf.FitTransform(x),
            (_, _) => new JsonObject { ["reconstruction_err"] = nmf.ReconstructionError });
    }, ReferenceSource.Sweep);
}
