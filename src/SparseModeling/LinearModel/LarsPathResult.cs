// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>A LARS path: its knots, the active set at the end, and the coefficients at every knot (as scikit-learn's <c>lars_path</c>).</summary>
/// <param name="Alphas">
/// α at each knot, max|Xᵀr|/n over the features not yet active (r the residual at that knot):
/// non-increasing along the path, except that the last knot is <c>alphaMin</c> itself when the path
/// stopped there.
/// </param>
/// <param name="Active">The indices of the active features at the end of the path, in the order they (last) joined.</param>
/// <param name="Coefficients">The coefficients, features × knots: column k is the solution at <c>Alphas[k]</c> (column 0 is all zero).</param>
/// <param name="Iterations">The number of LARS steps taken (each step moves to the next knot).</param>
public sealed record LarsPathResult(Vector<double> Alphas, IReadOnlyList<int> Active, Matrix<double> Coefficients, int Iterations);
