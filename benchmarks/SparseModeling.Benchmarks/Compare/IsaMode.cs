// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
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
}
