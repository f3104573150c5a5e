// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearModel;

/// <summary>What the ADMM estimators (<see cref="LassoAdmm"/>) report after each iteration: the objective and Boyd's two residuals.</summary>
/// <param name="Iteration">One-based number of the iteration just completed (per target for a multi-target fit).</param>
/// <param name="Objective">The estimator's objective at the sparse iterate z, as it documents it.</param>
/// <param name="PrimalResidual">‖Dw − z‖: how far the split constraint is from holding (D = I for the Lasso).</param>
/// <param name="DualResidual">ρ·‖Dᵀ(z − z_previous)‖: how far the iterate is from dual feasibility.</param>
/// <param name="Rho">The penalty ρ used in this iteration (it changes only with adaptive ρ).</param>
public sealed record AdmmIterationInfo(int Iteration, double Objective, double PrimalResidual, double DualResidual, double Rho)
    : IterationInfo(Iteration, Objective);
