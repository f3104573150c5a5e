// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Intrinsics;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// An instruction-set class for <c>compare --isa</c>: the JIT switch that limits our side to it and the
/// OpenBLAS kernel that limits the reference to the same class, so that a ratio compares like with like
/// (BENCHMARKS.md, "Like with like").
/// </summary>
/// <param name="Name">The name given on the command line.</param>
/// <param name="JitSwitch">The environment variable (name, value) that limits the .NET JIT, or null for the default.</param>
/// <param name="OpenBlasCoreType">The <c>OPENBLAS_CORETYPE</c> the reference runs with.</param>
internal sealed record IsaMode(string Name, (string Name, string Value)? JitSwitch, string OpenBlasCoreType)
{
    /// <summary>Set in the child process that measures our side, so that it reports its vector widths.</summary>
    public const string ChildMarker = "SPARSEMODELING_COMPARE_ISA";

    /// <summary>The three classes: AVX-512, AVX2 and 128-bit vectors (SSE; what ARM64 NEON offers).</summary>
    public static IReadOnlyList<IsaMode> All { get; } =
    [
        new("avx512", null, "Cooperlake"),
        new("avx2", ("DOTNET_EnableAVX512", "0"), "Haswell"),
        new("sse", ("DOTNET_EnableAVX", "0"), "Nehalem"),
    ];

    /// <summary>The mode called <paramref name="name"/>, or null.</summary>
    public static IsaMode? Find(string name) => All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>What this process's JIT accelerates, for the log and the table.</summary>
    public static string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, Vector128 {Vector128.IsHardwareAccelerated}, FMA {System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported}");

    /// <summary>A one-line description of the two sides' settings.</summary>
    public string Settings => $"ours {(JitSwitch is { } s ? $"{s.Name}={s.Value}" : "default JIT")}, reference OPENBLAS_CORETYPE={OpenBlasCoreType}";

    /// <summary>
    /// Measures our side of <paramref name="cases"/> in a child process of this program started with the JIT switch
    /// (instruction-set switches take effect only at start-up), and returns its results by case name.
    /// </summary>
    public Dictionary<string, CaseResult> MeasureInChild(IEnumerable<string> cases, int repeat)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add("compare");
        foreach (string name in cases)
        {
            start.ArgumentList.Add(name);
        }

        start.ArgumentList.Add("--repeat");
        start.ArgumentList.Add(repeat.ToString(CultureInfo.InvariantCulture));
        start.Environment[ChildMarker] = Name;
        if (JitSwitch is { } jit)
        {
            start.Environment[jit.Name] = jit.Value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The {Name} measurement exited with {process.ExitCode}.");
        }

        return output.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith('{'))
            .Select(CaseResult.Parse)
            .ToDictionary(r => r.Case, StringComparer.Ordinal);
    }
}
