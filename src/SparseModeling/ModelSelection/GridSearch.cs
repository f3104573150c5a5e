// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.ModelSelection;

/// <summary>
/// Exhaustive search over parameter values by cross-validation, as scikit-learn's <c>GridSearchCV</c>: every candidate of a
/// <see cref="ParameterGrid"/> is scored on every fold (a clone of the estimator per fit), the candidate with the highest
/// mean score wins, and a clone with its parameters is refitted on all the data.
/// </summary>
/// <remarks>
/// All (candidate, fold) fits run in parallel, on up to the estimator's <see cref="Estimator.MaxDegreeOfParallelism"/>
/// threads (null: the global degree), each on one thread; results do not depend on the degree. The estimator passed in is not
/// changed. Every fold of every candidate is the same split, even with an unseeded shuffle.
/// <code>
/// var pipeline = new Pipeline(("scale", new StandardScaler()), ("lasso", new Lasso()));
/// var search = GridSearch.Fit(pipeline, new ParameterGrid { { "lasso.Alpha", 0.01, 0.1, 1.0 } }, x, y, new KFold(5));
/// Console.WriteLine($"{search.BestParameters["lasso.Alpha"]}: R² {search.BestScore:F3}");
/// Vector&lt;double&gt; prediction = search.BestEstimator.Predict(xNew);
/// </code>
/// </remarks>
public static class GridSearch
{
    /// <summary>Scores every candidate of <paramref name="grid"/> by cross-validation and refits the best on all the data.</summary>
    /// <typeparam name="TEstimator">The estimator type.</typeparam>
    /// <param name="estimator">The estimator whose parameters the grid varies; not fitted or changed.</param>
    /// <param name="grid">The parameter values to try.</param>
    /// <param name="x">The samples, one per row; not modified.</param>
    /// <param name="y">The targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="folds">The folds (default <c>new KFold()</c>: 5 unshuffled folds).</param>
    /// <param name="metric">The score of a fold from its true targets and the predictions (larger is better); null: the estimator's <see cref="IRegressor.Score"/> (R²).</param>
    /// <param name="cancellationToken">Cancels the search (between fits and inside each).</param>
    /// <returns>Every candidate's scores, the best parameters and score, and the refitted best estimator.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// A grid parameter is not a public read-write property of the estimator (or of the named pipeline step), or a value is not
    /// of its type (named <c>grid</c>, before any fit); the lengths disagree; or a fit rejects its data.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A grid value, or a parameter of the folds or the estimator, is out of range.</exception>
    /// <exception cref="OperationCanceledException">The search was cancelled.</exception>
    public static GridSearchResult<TEstimator> Fit<TEstimator>(TEstimator estimator, ParameterGrid grid, Matrix<double> x, Vector<double> y, KFold? folds = null, Func<Vector<double>, Vector<double>, double>? metric = null, CancellationToken cancellationToken = default)
        where TEstimator : Estimator, IRegressor
    {
        CrossValidation.CheckData(estimator, x, y);
        ArgumentNullException.ThrowIfNull(grid);
        var splits = (folds ?? new KFold()).Split(x.RowCount);
        var candidates = grid.Candidates();
        var configured = new TEstimator[candidates.Count];
        for (int c = 0; c < candidates.Count; c++)
        {
            configured[c] = estimator.Clone();
            foreach (var (name, value) in candidates[c])
            {
                EstimatorParameters.Set(configured[c], name, value, nameof(grid));
            }
        }

        int k = splits.Count;
        var scores = new double[candidates.Count * k];
        CrossValidation.Run(
            estimator.MaxDegreeOfParallelism,
            scores.Length,
            i => scores[i] = CrossValidation.FitAndScore(configured[i / k].Clone(), x, y, splits[i % k], metric, cancellationToken),
            cancellationToken);

        var means = new double[candidates.Count];
        var results = new GridSearchCandidate[candidates.Count];
        for (int c = 0; c < candidates.Count; c++)
        {
            var fold = scores.AsSpan(c * k, k);
            double mean = 0.0;
            foreach (double s in fold)
            {
                mean += s;
            }

            mean /= k;
            double variance = 0.0;
            foreach (double s in fold)
            {
                variance += (s - mean) * (s - mean);
            }

            means[c] = mean;
            results[c] = new GridSearchCandidate(candidates[c], fold.ToArray(), mean, Math.Sqrt(variance / k), 0);
        }

        int best = 0;
        for (int c = 0; c < candidates.Count; c++)
        {
            int rank = 1 + means.Count(m => Better(m, means[c]));
            results[c] = results[c] with { Rank = rank };
            if (Better(means[c], means[best]))
            {
                best = c;
            }
        }

        var refitted = configured[best].Clone();
        refitted.Fit(x, y, cancellationToken);
        return new GridSearchResult<TEstimator>(refitted, candidates[best], means[best], best, results);
    }

    /// <summary>Whether mean score <paramref name="a"/> ranks before <paramref name="b"/> (NaN ranks after every number).</summary>
    private static bool Better(double a, double b) => !double.IsNaN(a) && (double.IsNaN(b) || a > b);
}
