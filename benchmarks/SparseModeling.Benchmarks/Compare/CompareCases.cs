// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// The registry of compare cases, in the order of <c>reference_bench.py</c>. A new family adds its
/// cases in a <c>*Cases</c> class next to this one and lists them here.
/// </summary>
internal static class CompareCases
{
    public static IReadOnlyList<CompareCase> All { get; } =
    [
        .. LinearAlgebraCases.All,
        .. LinearModelCases.All,
        .. OmpCases.All,
        .. AdmmCases.All,
        .. SignalCases.All,
        .. DecompositionCases.All,
        .. KsvdCases.All,
        .. RobustPcaCases.All,
        .. LassoGridCases.All,
        .. TSneCases.All,
        .. TotalVariationCases.All,
        .. InpaintingCases.All,
        .. CallbackCases.All,
    ];

    /// <summary>The case called <paramref name="name"/>: a registered one, or any size of a sweep (<c>lasso_grid_NxP</c>, <c>nmf_mu_grid_NxMkK</c>, ...).</summary>
    public static CompareCase? Find(string name) =>
        All.FirstOrDefault(c => c.Name == name) ?? LassoGridCases.Parse(name) ?? SweepCases.Parse(name);
}
