// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.ModelSelection;

/// <summary>
/// Cross-validated scores of a regressor, as scikit-learn's <c>cross_val_score</c>: for every split an unfitted clone of the
/// estimator (<see cref="EstimatorCloner.Clone{T}(T)"/>) is fitted on the training rows and scored on the test rows. The
/// estimator passed in is not fitted or changed.
/// </summary>
/// <remarks>
/// The folds run in parallel, on up to the estimator's <see cref="Estimator.MaxDegreeOfParallelism"/> threads (null: the
/// global <see cref="Parallelism.MaxDegreeOfParallelism"/>), each fold's fit on one thread (the library's one level of
/// parallelism, as in <see cref="LinearModel.LassoCV"/>); the scores do not depend on the degree. The metric is
/// <see cref="IRegressor.Score"/> (R²) unless one is given, such as <see cref="Metrics.RegressionMetrics.NegativeMeanSquaredError"/>.
/// <code>
/// double[] r2 = CrossValidation.Score(new Lasso { Alpha = 0.1 }, x, y, new KFold { FoldCount = 5, Shuffle = true, RandomSeed = 0 });
/// </code>
/// </remarks>
public static class CrossValidation
{
    /// <summary>The score of <paramref name="estimator"/> on every fold of <paramref name="folds"/> (default: 5 unshuffled folds).</summary>
    /// <typeparam name="TEstimator">The estimator type.</typeparam>
    /// <param name="estimator">The estimator to evaluate: its parameters are used, it is not fitted or changed.</param>
    /// <param name="x">The samples, one per row; not modified.</param>
    /// <param name="y">The targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="folds">The folds (default <c>new KFold()</c>: 5 unshuffled folds).</param>
    /// <param name="metric">The score of a fold from its true targets and the predictions (larger is better); null: the estimator's <see cref="IRegressor.Score"/> (R²).</param>
    /// <param name="cancellationToken">Cancels the evaluation (between folds and inside each fit).</param>
    /// <returns>One score per fold, in fold order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="estimator"/>, <paramref name="x"/> or <paramref name="y"/> is null.</exception>
    /// <exception cref="ArgumentException">The lengths disagree, or a fold's fit rejects its data (the exception of that fit).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter of the folds or of the estimator is out of range.</exception>
    /// <exception cref="OperationCanceledException">The evaluation was cancelled.</exception>
    public static double[] Score<TEstimator>(TEstimator estimator, Matrix<double> x, Vector<double> y, KFold? folds = null, Func<Vector<double>, Vector<double>, double>? metric = null, CancellationToken cancellationToken = default)
        where TEstimator : Estimator, IRegressor
    {
        CheckData(estimator, x, y);
        return Score(estimator, x, y, (folds ?? new KFold()).Split(x.RowCount), metric, cancellationToken);
    }

    /// <summary>The score of <paramref name="estimator"/> on every one of the given <paramref name="splits"/> (any splitter's, or hand-made).</summary>
    /// <typeparam name="TEstimator">The estimator type.</typeparam>
    /// <param name="estimator">The estimator to evaluate: its parameters are used, it is not fitted or changed.</param>
    /// <param name="x">The samples, one per row; not modified.</param>
    /// <param name="y">The targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="splits">The splits, each with non-empty training and test rows of <paramref name="x"/>.</param>
    /// <param name="metric">The score of a split from its true targets and the predictions (larger is better); null: the estimator's <see cref="IRegressor.Score"/> (R²).</param>
    /// <param name="cancellationToken">Cancels the evaluation (between splits and inside each fit).</param>
    /// <returns>One score per split, in order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lengths disagree, a split is empty or names a row that does not exist, or a fit rejects its data.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter of the estimator is out of range.</exception>
    /// <exception cref="OperationCanceledException">The evaluation was cancelled.</exception>
    public static double[] Score<TEstimator>(TEstimator estimator, Matrix<double> x, Vector<double> y, IReadOnlyList<DataSplit> splits, Func<Vector<double>, Vector<double>, double>? metric = null, CancellationToken cancellationToken = default)
        where TEstimator : Estimator, IRegressor
    {
        CheckData(estimator, x, y);
        CheckSplits(splits, x.RowCount);
        var scores = new double[splits.Count];
        Run(estimator.MaxDegreeOfParallelism, splits.Count, i => scores[i] = FitAndScore(estimator.Clone(), x, y, splits[i], metric, cancellationToken), cancellationToken);
        return scores;
    }

    /// <summary>Fits <paramref name="model"/> on the training rows of <paramref name="split"/> and scores it on its test rows.</summary>
    internal static double FitAndScore(IRegressor model, Matrix<double> x, Vector<double> y, DataSplit split, Func<Vector<double>, Vector<double>, double>? metric, CancellationToken cancellationToken)
    {
        model.Fit(Subsets.Rows(x, split.Train), Subsets.Entries(y, split.Train), cancellationToken);
        var xTest = Subsets.Rows(x, split.Test);
        var yTest = Subsets.Entries(y, split.Test);
        return metric is null ? model.Score(xTest, yTest) : metric(yTest, model.Predict(xTest));
    }

    /// <summary>
    /// Runs <paramref name="count"/> independent fits on up to <paramref name="degree"/> threads (null: the global degree) with
    /// <paramref name="cancellationToken"/>; the first failure of a branch is rethrown as itself.
    /// </summary>
    internal static void Run(int? degree, int count, Action<int> body, CancellationToken cancellationToken)
    {
        if (degree is { } d)
        {
            Guard.AtLeast(d, 1, nameof(Estimator.MaxDegreeOfParallelism));
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var scope = Parallelism.Enter(degree, cancellationToken);
        Parallelism.For(count, body);
    }

    internal static void CheckData(object estimator, Matrix<double> x, Vector<double> y)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (y.Count != x.RowCount)
        {
            throw new ArgumentException($"y has {y.Count} entries but x has {x.RowCount} rows; they must agree.", nameof(y));
        }
    }

    internal static void CheckSplits(IReadOnlyList<DataSplit> splits, int sampleCount)
    {
        ArgumentNullException.ThrowIfNull(splits);
        if (splits.Count == 0)
        {
            throw new ArgumentException("splits is empty; at least one split is needed.", nameof(splits));
        }

        for (int i = 0; i < splits.Count; i++)
        {
            Subsets.CheckSplit(splits[i], sampleCount, i, nameof(splits));
        }
    }
}
