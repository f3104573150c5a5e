// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearModel;

/// <summary>What the LARS estimators (<see cref="Lars"/>, <see cref="LassoLars"/>, <see cref="LassoLarsIC"/>) report after each step along the path.</summary>
/// <param name="Iteration">One-based number of the step just taken (a join or a drop).</param>
/// <param name="Objective">The Lasso objective (1/(2n))·‖y − Xw‖² + α·‖w‖₁ at the new knot, with α = <paramref name="Alpha"/>.</param>
/// <param name="Alpha">α at the new knot: the largest absolute correlation of the residual with the features, divided by n.</param>
/// <param name="ActiveCount">The number of active features after this step.</param>
public sealed record LarsIterationInfo(int Iteration, double Objective, double Alpha, int ActiveCount)
    : IterationInfo(Iteration, Objective);
