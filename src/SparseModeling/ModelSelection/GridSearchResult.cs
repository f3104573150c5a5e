// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.ModelSelection;

/// <summary>The outcome of a <see cref="GridSearch"/>: every candidate's scores, the best one, and the best estimator refitted on all the data.</summary>
/// <typeparam name="TEstimator">The estimator type searched.</typeparam>
/// <param name="BestEstimator">A clone of the estimator with <paramref name="BestParameters"/>, fitted on all the data (scikit-learn's <c>best_estimator_</c>).</param>
/// <param name="BestParameters">The parameter values of the best candidate (<c>best_params_</c>).</param>
/// <param name="BestScore">The mean cross-validated score of the best candidate (<c>best_score_</c>).</param>
/// <param name="BestIndex">The index of the best candidate in <paramref name="Candidates"/> (<c>best_index_</c>): the first of the highest mean score.</param>
/// <param name="Candidates">Every candidate in the grid's order (<c>cv_results_</c>).</param>
public sealed record GridSearchResult<TEstimator>(TEstimator BestEstimator, IReadOnlyDictionary<string, object?> BestParameters, double BestScore, int BestIndex, IReadOnlyList<GridSearchCandidate> Candidates)
    where TEstimator : Estimator, IRegressor;
