// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// A regularisation path, the common result of <see cref="LassoPath.Compute"/>,
/// <see cref="AdmmPath.Compute"/> and <see cref="LarsPath.Compute"/>: the α values, and at each α
/// the coefficients, the intercept, and how the solve ended.
/// </summary>
/// <remarks>
/// <para>
/// Intercept convention, the same for every path function: with <c>fitIntercept: true</c> the
/// function centres X and y inside (neither input is modified), fits w on the centred data, and
/// reports b = ȳ − x̄ᵀw at each α, so that the model at <c>Alphas[k]</c> predicts
/// x·<c>Coefficients.Column(k)</c> + <c>Intercepts[k]</c>, as the matching estimator
/// (<see cref="Lasso"/>, <see cref="LassoAdmm"/>, <see cref="LassoLars"/>) fitted at that α with
/// <see cref="LinearRegressor.FitIntercept"/> true. With <c>fitIntercept: false</c> nothing is centred
/// and <see cref="Intercepts"/> is all zero. The defaults keep each function's reference:
/// <see cref="LassoPath"/> and <see cref="LarsPath"/> do not centre (as scikit-learn's
/// <c>lasso_path</c> and <c>lars_path</c>), <see cref="AdmmPath"/> does (as spm-image's
/// <c>admm_path</c>, which fits <c>LassoADMM</c> with its default intercept).
/// </para>
/// <para>
/// <see cref="Iterations"/> and <see cref="Converged"/> have one entry per α. For the iterative
/// solvers they are the iterations run at that α (warm-started from the previous one) and whether its
/// stopping rule was met within the limit. For LARS, whose knots are exact points of a piecewise-linear
/// path, see <see cref="LarsPathResult"/>.
/// </para>
/// </remarks>
/// <param name="Alphas">The α values, in decreasing order (for LARS, see <see cref="LarsPathResult"/>).</param>
/// <param name="Coefficients">The coefficients, features × alphas: column k is the solution at <c>Alphas[k]</c>.</param>
/// <param name="Intercepts">The intercept at each α: b = ȳ − x̄ᵀw when an intercept is fitted, 0 otherwise.</param>
/// <param name="Iterations">The solver's iterations at each α.</param>
/// <param name="Converged">Whether the solve at each α met its stopping rule within the iteration limit.</param>
public record RegularizationPath(
    Vector<double> Alphas,
    Matrix<double> Coefficients,
    Vector<double> Intercepts,
    IReadOnlyList<int> Iterations,
    IReadOnlyList<bool> Converged);
