// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>A coordinate-descent regularisation path (<see cref="LassoPath.Compute"/>): the common <see cref="RegularizationPath"/> plus the duality gap at each α.</summary>
/// <param name="Alphas">The α values, in decreasing order.</param>
/// <param name="Coefficients">The coefficients, features × alphas: column k is the solution at <c>Alphas[k]</c>.</param>
/// <param name="Intercepts">The intercept at each α (0 when no intercept was fitted).</param>
/// <param name="Iterations">The coordinate-descent passes run at each α.</param>
/// <param name="Converged">Whether the duality-gap stopping rule was met at each α within the pass limit.</param>
/// <param name="DualGaps">The duality gap reached at each α (scaled as scikit-learn's).</param>
public sealed record LassoPathResult(
    Vector<double> Alphas,
    Matrix<double> Coefficients,
    Vector<double> Intercepts,
    IReadOnlyList<int> Iterations,
    IReadOnlyList<bool> Converged,
    Vector<double> DualGaps)
    : RegularizationPath(Alphas, Coefficients, Intercepts, Iterations, Converged);
