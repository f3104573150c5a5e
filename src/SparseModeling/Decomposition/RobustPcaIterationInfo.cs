// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Decomposition;

/// <summary>What <see cref="RobustPca"/> reports after each iteration of the inexact augmented Lagrangian method (one sparse step, one singular value threshold, one multiplier update).</summary>
/// <param name="Iteration">One-based number of the iteration just completed.</param>
/// <param name="Objective">The principal component pursuit objective ‖L‖_* + λ‖S‖₁ of this iteration's L and S, in the units of the data.</param>
/// <param name="RelativeResidual">The stopping measure ‖X − L − S‖_F / ‖X‖_F after this iteration (the fit stops when it is at most <see cref="RobustPca.Tolerance"/>).</param>
/// <param name="Rank">The rank of this iteration's L: the number of singular values above the threshold 1/μ.</param>
/// <param name="Mu">The penalty μ of this iteration (in the units of 1/data); the next iteration uses min(μ·<see cref="RobustPca.MuGrowth"/>, μ̄).</param>
public sealed record RobustPcaIterationInfo(int Iteration, double Objective, double RelativeResidual, int Rank, double Mu)
    : IterationInfo(Iteration, Objective);
