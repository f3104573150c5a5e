// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using System.Globalization;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// Measures our side of one case in a fresh child process of this program, so that its first fit is the
/// first of a process (what a user who fits once per process sees: JIT compilation included, as
/// <c>first_s</c>) and no case inherits another's compiled code, heap or pages. An <see cref="IsaMode"/>'s
/// JIT switch is set in the child's environment (instruction-set switches take effect only at start-up).
/// </summary>
internal static class FreshProcess
{
    /// <summary>Set in the child: its value is the instruction-set mode's name, or <c>default</c>.</summary>
    public const string ChildMarker = "SPARSEMODELING_COMPARE_CHILD";

    /// <summary>True in a child started by <see cref="Measure"/>: it measures in its own process.</summary>
    public static bool IsChild => Environment.GetEnvironmentVariable(ChildMarker) is not null;

    /// <summary>
    /// Runs <c>compare <paramref name="caseName"/> --repeat N</c> in a child process and returns its JSON line: this
    /// program, or <paramref name="executable"/> (a NativeAOT-published copy of it: <c>compare --aot PATH</c>).
    /// </summary>
    public static CaseResult Measure(string caseName, int repeat, IsaMode? isa, string? executable = null)
    {
        string host = executable ?? Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, typeof(FreshProcess).Assembly.GetName().Name + ".dll"));
        }

        start.ArgumentList.Add("compare");
        start.ArgumentList.Add(caseName);
        start.ArgumentList.Add("--repeat");
        start.ArgumentList.Add(repeat.ToString(CultureInfo.InvariantCulture));
        start.Environment[ChildMarker] = isa?.Name ?? "default";
        if (isa?.JitSwitch is { } jit)
        {
            start.Environment[jit.Name] = jit.Value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The measurement of {caseName} ({isa?.Name ?? "default"}) exited with {process.ExitCode}.");
        }

        return CaseResult.ParseLast(output)
            ?? throw new InvalidOperationException($"The measurement of {caseName} printed no JSON line:{Environment.NewLine}{output}");
    }
}
