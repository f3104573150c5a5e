// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.ModelSelection;

/// <summary>The random choices of the splitters: a seeded generator and the Fisher–Yates shuffle.</summary>
internal static class Shuffling
{
    /// <summary>The generator of a seed, or of a fresh seed when it is null.</summary>
    public static SplitMix64 Generator(int? seed) => new((ulong)(seed ?? Random.Shared.Next()));

    /// <summary>Shuffles <paramref name="values"/> in place, every permutation equally likely.</summary>
    public static void Permute(Span<int> values, SplitMix64 rng)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
