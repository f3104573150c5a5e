// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>The timing of one case: the median and the minimum of the timed runs, in seconds.</summary>
internal readonly record struct CaseTiming(double MedianSeconds, double MinSeconds);

/// <summary>
/// A prepared case: <see cref="Run"/> is the timed work (the problem is already built) and
/// <see cref="Quality"/> turns the result of the last run into the quality figures of the JSON line.
/// </summary>
internal sealed record PreparedCase(Func<object?> Run, Func<object?, CaseTiming, JsonObject> Quality)
{
    /// <summary>Timed work returning a <typeparamref name="T"/> from which the quality figures are read.</summary>
    public static PreparedCase Of<T>(Func<T> run, Func<T, CaseTiming, JsonObject> quality) =>
        new(() => run(), (result, timing) => quality((T)result!, timing));
}

/// <summary>
/// One case of the compare mode, named as in <c>reference_bench.py</c>. <see cref="Prepare"/> builds
/// the problem (untimed) and returns the work to time.
/// </summary>
/// <param name="Name">The case name, as in <c>reference_bench.py</c>.</param>
/// <param name="Implementation">What is timed (the JSON <c>impl</c>).</param>
/// <param name="Prepare">Builds the problem; returns the timed work and the quality of its result.</param>
/// <param name="Reference">Which script times the reference side: the shared <c>reference_bench.py</c>, this project's
/// <c>Reference/sweep_bench.py</c> (the sweeps the shared script lacks), or none (the baseline is measured inside the case;
/// <c>--reference</c> then skips it).</param>
internal sealed record CompareCase(string Name, string Implementation, Func<PreparedCase> Prepare, ReferenceSource Reference = ReferenceSource.Shared);

/// <summary>Where the reference side of a compare case is timed.</summary>
internal enum ReferenceSource
{
    /// <summary><c>../shared/tools/reference_bench.py</c>.</summary>
    Shared,

    /// <summary>This project's <c>Reference/sweep_bench.py</c>, the twin of the sweeps the shared script lacks.</summary>
    Sweep,

    /// <summary>No reference script: the case measures its baseline itself.</summary>
    None,
}
