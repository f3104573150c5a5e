// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Decomposition;

/// <summary>What <see cref="OnlineRobustPca"/>'s <c>Fit</c> reports after each pass over the samples.</summary>
/// <param name="Iteration">One-based number of the pass just completed.</param>
/// <param name="Objective">
/// The mean cost of the pass's samples, ½‖z − L·r − e‖² + λ₁/2‖r‖² + λ₂‖e‖₁, each under the basis it was projected on
/// (the basis before its own update), in the units of the data squared.
/// </param>
/// <param name="BasisChange">‖L − L_before‖_F / ‖L_before‖_F over the pass (∞ when the basis was zero before it).</param>
public sealed record OnlineRobustPcaIterationInfo(int Iteration, double Objective, double BasisChange)
    : IterationInfo(Iteration, Objective);
