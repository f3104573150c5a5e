// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>A regularisation path computed by ADMM: the α grid, the coefficients and intercepts at each α, and how each solve ended.</summary>
/// <param name="Alphas">The α values, in decreasing order.</param>
/// <param name="Coefficients">The coefficients, features × alphas: column k is the solution at <c>Alphas[k]</c>.</param>
/// <param name="Intercepts">The intercept at each α (0 when no intercept was fitted).</param>
/// <param name="Iterations">The ADMM iterations run at each α.</param>
/// <param name="Converged">Whether the residual stopping rule was met at each α within the iteration limit.</param>
public sealed record AdmmPathResult(Vector<double> Alphas, Matrix<double> Coefficients, Vector<double> Intercepts, IReadOnlyList<int> Iterations, IReadOnlyList<bool> Converged);
