// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>A regularisation path: the α grid and the coefficients at each α.</summary>
/// <param name="Alphas">The α values, in decreasing order.</param>
/// <param name="Coefficients">The coefficients, features × alphas: column k is the solution at <c>Alphas[k]</c>.</param>
/// <param name="DualGaps">The duality gap reached at each α (scaled as scikit-learn's).</param>
/// <param name="Iterations">The coordinate-descent passes run at each α.</param>
public sealed record LassoPathResult(Vector<double> Alphas, Matrix<double> Coefficients, Vector<double> DualGaps, IReadOnlyList<int> Iterations);
