// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Decomposition;

/// <summary>What <see cref="Ksvd"/> reports after each iteration (one sparse coding of every signal and one update of every atom).</summary>
/// <param name="Iteration">One-based number of the iteration just completed.</param>
/// <param name="Objective">The representation error ‖X − W·D‖_F after the atom updates (over the observed entries when some are missing): the value appended to <see cref="Ksvd.Errors"/>.</param>
/// <param name="UnusedAtoms">The atoms no signal used in this iteration's coding (replaced when <see cref="Ksvd.ReplaceUnusedAtoms"/> is set, left as they were otherwise).</param>
public sealed record KsvdIterationInfo(int Iteration, double Objective, int UnusedAtoms)
    : IterationInfo(Iteration, Objective);
