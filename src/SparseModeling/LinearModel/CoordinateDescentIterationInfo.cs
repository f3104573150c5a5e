// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearModel;

/// <summary>What <see cref="Lasso"/> and <see cref="ElasticNet"/> report after each coordinate-descent pass.</summary>
/// <param name="Iteration">One-based number of the pass just completed.</param>
/// <param name="Objective">(1/(2n))·‖y − Xw‖² + α·ρ·‖w‖₁ + (α·(1 − ρ)/2)·‖w‖² on the (centred) data after this pass.</param>
/// <param name="DualGap">The duality gap after this pass, scaled as <see cref="CoordinateDescentRegressor.DualGap"/>, or <see cref="double.NaN"/> when it was not computed in this pass.</param>
public sealed record CoordinateDescentIterationInfo(int Iteration, double Objective, double DualGap)
    : IterationInfo(Iteration, Objective);
