// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling;

/// <summary>
/// An estimator whose fit makes random choices (an initialisation, a sample or feature order) and can be
/// made reproducible with a seed. Generic code (the estimator checks, a grid search) sets the seed through this
/// contract rather than by a property name.
/// </summary>
public interface IRandomized
{
    /// <summary>The seed of every random choice of the fit; null draws a fresh seed at every fit. Two fits with the same seed and data give identical models.</summary>
    int? RandomSeed { get; set; }
}

/// <summary>
/// An estimator with one regularisation strength α ≥ 0 (larger α, simpler model), as scikit-learn's
/// <c>alpha</c>. Generic code (the estimator checks, a grid search) sets it through this contract.
/// </summary>
public interface IRegularized
{
    /// <summary>The regularisation strength α ≥ 0.</summary>
    double Alpha { get; set; }
}

/// <summary>
/// An estimator whose solutions are limited to a number of non-zero coefficients (greedy and path methods:
/// orthogonal matching pursuit, LARS). Generic code sets the budget through this contract.
/// </summary>
public interface ISparsityConstrained
{
    /// <summary>The most non-zero coefficients of the solution; null lets the estimator choose its documented default.</summary>
    int? NonzeroCoefficients { get; set; }
}
