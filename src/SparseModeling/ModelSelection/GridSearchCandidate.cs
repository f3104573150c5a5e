// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.ModelSelection;

/// <summary>The cross-validated scores of one candidate of a <see cref="GridSearch"/> (a row of scikit-learn's <c>cv_results_</c>).</summary>
/// <param name="Parameters">The parameter values of the candidate.</param>
/// <param name="FoldScores">The score on each fold (<c>split{k}_test_score</c>).</param>
/// <param name="MeanScore">The mean of the fold scores (<c>mean_test_score</c>).</param>
/// <param name="StdScore">The population standard deviation of the fold scores (<c>std_test_score</c>, NumPy's <c>std</c>).</param>
/// <param name="Rank">The rank by mean score, 1 the best, ties sharing the smaller rank (<c>rank_test_score</c>); a NaN mean ranks last.</param>
public sealed record GridSearchCandidate(IReadOnlyDictionary<string, object?> Parameters, IReadOnlyList<double> FoldScores, double MeanScore, double StdScore, int Rank);
