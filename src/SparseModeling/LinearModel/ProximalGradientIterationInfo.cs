// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearModel;

/// <summary>What <see cref="LassoIsta"/> reports after each proximal-gradient iteration.</summary>
/// <param name="Iteration">One-based number of the iteration just completed.</param>
/// <param name="Objective">(1/(2n))·‖y − Xw‖² + α·‖w‖₁ at the new iterate.</param>
/// <param name="DualGap">The duality gap at the new iterate, scaled as <see cref="LassoIsta.DualGap"/>, or <see cref="double.NaN"/> when it was not evaluated in this iteration.</param>
/// <param name="Restarted">Whether this iteration discarded a step that raised the objective and reset FISTA's momentum.</param>
public sealed record ProximalGradientIterationInfo(int Iteration, double Objective, double DualGap, bool Restarted)
    : IterationInfo(Iteration, Objective);
