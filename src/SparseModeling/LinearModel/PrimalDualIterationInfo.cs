// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearModel;

/// <summary>What <see cref="LassoPrimalDual"/> reports at each evaluation of its stopping rule (every ten iterations and after the last).</summary>
/// <param name="Iteration">The number of iterations completed (0 for the start).</param>
/// <param name="Objective">‖Du‖₁ + α‖u − y‖₁ at the current u.</param>
/// <param name="DualGap">The objective minus the dual bound of the current dual iterate: an upper bound on the distance to the optimal objective.</param>
public sealed record PrimalDualIterationInfo(int Iteration, double Objective, double DualGap)
    : IterationInfo(Iteration, Objective);
