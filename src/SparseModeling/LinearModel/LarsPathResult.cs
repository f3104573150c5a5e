// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// A LARS path (<see cref="LarsPath.Compute"/>, as scikit-learn's <c>lars_path</c>): the common
/// <see cref="RegularizationPath"/> at every knot, plus the active set at the end.
/// </summary>
/// <remarks>
/// A knot is reached by one LARS step from the previous one, so <c>Iterations[k]</c> is k, the steps
/// taken up to knot k (its last entry is the length of the whole path). Each knot is an exact point of
/// the path, so <c>Converged[k]</c> is true, except at the last knot when the path ended because
/// rounding took over (the correlations stopped decreasing in Lasso mode, or the active Gram matrix
/// became numerically singular), as <see cref="Lars"/> reports it in <see cref="IterativeEstimator.Converged"/>.
/// </remarks>
/// <param name="Alphas">
/// α at each knot, max|X̃ᵀr|/n over the features not yet active (r the residual at that knot, X̃ the
/// centred X when an intercept is fitted): non-increasing along the path, except that the last knot is
/// <c>alphaMin</c> itself when the path stopped there.
/// </param>
/// <param name="Coefficients">The coefficients, features × knots: column k is the solution at <c>Alphas[k]</c> (column 0 is all zero).</param>
/// <param name="Intercepts">The intercept at each knot (0 when no intercept was fitted).</param>
/// <param name="Iterations">The LARS steps taken up to each knot.</param>
/// <param name="Converged">
/// Whether each knot is a trusted point of the path: true at every knot (each is an exact point of the path) except at the
/// last when the path ended because rounding took over (the correlations stopped decreasing in Lasso mode, or the active
/// Gram matrix became numerically singular).
/// </param>
/// <param name="Active">The indices of the active features at the end of the path, in the order they (last) joined.</param>
public sealed record LarsPathResult(
    Vector<double> Alphas,
    Matrix<double> Coefficients,
    Vector<double> Intercepts,
    IReadOnlyList<int> Iterations,
    IReadOnlyList<bool> Converged,
    IReadOnlyList<int> Active)
    : RegularizationPath(Alphas, Coefficients, Intercepts, Iterations, Converged);
