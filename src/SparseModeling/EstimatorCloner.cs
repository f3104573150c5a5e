// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling;

/// <summary>
/// Copies an estimator's configuration without its fitted state, as scikit-learn's <c>sklearn.base.clone</c>: what
/// cross-validation and grid search fit on every fold, and what a user needs to fit the same model on other data while
/// keeping the first one.
/// </summary>
/// <remarks>
/// <code>
/// var lasso = new Lasso { Alpha = 0.1 }.Fit(x, y);
/// Lasso fresh = lasso.Clone();          // Alpha = 0.1, not fitted
/// fresh.Fit(otherX, otherY);            // lasso keeps its own fit
/// </code>
/// </remarks>
public static class EstimatorCloner
{
    /// <summary>
    /// A new, unfitted estimator of the same type with the same parameters: every public read-write property copied
    /// (matrix, vector and array parameters as independent copies, the steps of a pipeline as unfitted clones, callbacks such as
    /// <c>OnIteration</c> by reference, <see cref="Estimator.MaxDegreeOfParallelism"/> too). The fitted state is not copied.
    /// </summary>
    /// <typeparam name="T">The estimator type.</typeparam>
    /// <param name="estimator">The estimator to copy, fitted or not; not modified.</param>
    /// <returns>The unfitted copy, sharing no mutable parameter with <paramref name="estimator"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="estimator"/> is null.</exception>
    public static T Clone<T>(this T estimator)
        where T : Estimator
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return (T)estimator.CloneUnfitted();
    }
}
