// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.ModelSelection;

/// <summary>
/// A random split of a data set into a training and a test set, as scikit-learn's <c>train_test_split</c>: ⌈f·n⌉ test samples
/// for a test fraction f (default 0.25) and the rest for training; shuffled with a seed, or in order; optionally stratified,
/// so that every class of a label keeps its share of the samples in both sets (scikit-learn's <c>stratify</c>).
/// </summary>
/// <remarks>
/// The sizes are scikit-learn's, and so is the allocation of a stratified split to the classes (its <c>_approximate_mode</c>:
/// proportional shares rounded down, the remaining samples to the classes with the largest remainders, ties broken at
/// random). The shuffle draws from this library's generator, so a seed picks other samples than the same seed in scikit-learn.
/// <code>
/// var (xTrain, xTest, yTrain, yTest, _) = TrainTestSplit.Split(x, y, testFraction: 0.2, randomSeed: 0);
/// </code>
/// </remarks>
public static class TrainTestSplit
{
    /// <summary>Splits the rows of <paramref name="x"/> and the entries of <paramref name="y"/> into a training and a test set.</summary>
    /// <param name="x">The samples, one per row; not modified.</param>
    /// <param name="y">The targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="testFraction">The share f of test samples, in (0, 1): ⌈f·n⌉ of them (default 0.25).</param>
    /// <param name="randomSeed">The seed of the shuffle; null draws a fresh one.</param>
    /// <param name="shuffle">Whether to shuffle (default true); false takes the last ⌈f·n⌉ rows as the test set.</param>
    /// <returns>The two sets, as new matrices and vectors, and the row indices they came from.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="y"/> does not have one entry per row of <paramref name="x"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is outside (0, 1), or leaves either set empty.</exception>
    public static TrainTestData Split(Matrix<double> x, Vector<double> y, double testFraction = 0.25, int? randomSeed = null, bool shuffle = true)
    {
        CheckData(x, y);
        return Take(x, y, Indices(x.RowCount, testFraction, randomSeed, shuffle));
    }

    /// <summary>As <see cref="Split(Matrix{double}, Vector{double}, double, int?, bool)"/>, stratified by <paramref name="stratifyBy"/>: each class keeps its share of the samples in both sets.</summary>
    /// <typeparam name="TLabel">The label type (compared with its default equality).</typeparam>
    /// <param name="x">The samples, one per row; not modified.</param>
    /// <param name="y">The targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="stratifyBy">A class label per row of <paramref name="x"/>; every class needs at least 2 samples.</param>
    /// <param name="testFraction">The share f of test samples, in (0, 1): ⌈f·n⌉ of them (default 0.25).</param>
    /// <param name="randomSeed">The seed of the shuffle; null draws a fresh one.</param>
    /// <returns>The two sets, as new matrices and vectors, and the row indices they came from.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lengths disagree, a class has a single sample, or either set is smaller than the number of classes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is outside (0, 1), or leaves either set empty.</exception>
    public static TrainTestData Split<TLabel>(Matrix<double> x, Vector<double> y, IReadOnlyList<TLabel> stratifyBy, double testFraction = 0.25, int? randomSeed = null)
        where TLabel : notnull
    {
        CheckData(x, y);
        ArgumentNullException.ThrowIfNull(stratifyBy);
        if (stratifyBy.Count != x.RowCount)
        {
            throw new ArgumentException($"{nameof(stratifyBy)} has {stratifyBy.Count} labels but x has {x.RowCount} rows; they must agree.", nameof(stratifyBy));
        }

        return Take(x, y, StratifiedIndices(stratifyBy, testFraction, randomSeed));
    }

    /// <summary>The row indices of a split of <paramref name="sampleCount"/> samples (scikit-learn's <c>ShuffleSplit</c> with one split, or in order).</summary>
    /// <param name="sampleCount">The number of samples, ≥ 2.</param>
    /// <param name="testFraction">The share f of test samples, in (0, 1): ⌈f·n⌉ of them (default 0.25).</param>
    /// <param name="randomSeed">The seed of the shuffle; null draws a fresh one.</param>
    /// <param name="shuffle">Whether to shuffle (default true); false takes the last ⌈f·n⌉ samples as the test set.</param>
    /// <returns>The training and test indices (in the shuffled order, as scikit-learn's).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is outside (0, 1), or leaves either set empty.</exception>
    public static DataSplit Indices(int sampleCount, double testFraction = 0.25, int? randomSeed = null, bool shuffle = true)
    {
        var (trainCount, testCount) = Sizes(sampleCount, testFraction);
        var order = new int[sampleCount];
        for (int i = 0; i < sampleCount; i++)
        {
            order[i] = i;
        }

        if (!shuffle)
        {
            return new DataSplit(order[..trainCount], order[trainCount..]);
        }

        Shuffling.Permute(order, Shuffling.Generator(randomSeed));
        return new DataSplit(order[testCount..], order[..testCount]);
    }

    /// <summary>The row indices of a stratified split (scikit-learn's <c>StratifiedShuffleSplit</c> with one split).</summary>
    /// <typeparam name="TLabel">The label type (compared with its default equality).</typeparam>
    /// <param name="labels">A class label per sample; every class needs at least 2 samples.</param>
    /// <param name="testFraction">The share f of test samples, in (0, 1): ⌈f·n⌉ of them (default 0.25).</param>
    /// <param name="randomSeed">The seed of the shuffle; null draws a fresh one.</param>
    /// <returns>The training and test indices, each in random order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentException">A class has a single sample, or either set is smaller than the number of classes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is outside (0, 1), or leaves either set empty.</exception>
    public static DataSplit StratifiedIndices<TLabel>(IReadOnlyList<TLabel> labels, double testFraction = 0.25, int? randomSeed = null)
        where TLabel : notnull
    {
        ArgumentNullException.ThrowIfNull(labels);
        var (trainCount, testCount) = Sizes(labels.Count, testFraction);
        var classes = new Dictionary<TLabel, List<int>>();
        var order = new List<List<int>>();
        for (int i = 0; i < labels.Count; i++)
        {
            if (!classes.TryGetValue(labels[i], out var members))
            {
                members = [];
                classes.Add(labels[i], members);
                order.Add(members);
            }

            members.Add(i);
        }

        foreach (var (label, members) in classes)
        {
            if (members.Count < 2)
            {
                throw new ArgumentException($"labels: class {label} has only 1 sample; stratification needs at least 2 per class.", nameof(labels));
            }
        }

        if (trainCount < order.Count || testCount < order.Count)
        {
            throw new ArgumentException($"labels: the split has {trainCount} training and {testCount} test samples, fewer than the {order.Count} classes; stratification needs one of each class in both.", nameof(labels));
        }

        var rng = Shuffling.Generator(randomSeed);
        var counts = order.Select(c => c.Count).ToArray();
        var trainShares = ApproximateMode(counts, trainCount, rng);
        var remaining = counts.Select((c, k) => c - trainShares[k]).ToArray();
        var testShares = ApproximateMode(remaining, testCount, rng);
        var train = new List<int>(trainCount);
        var test = new List<int>(testCount);
        for (int k = 0; k < order.Count; k++)
        {
            var members = order[k].ToArray();
            Shuffling.Permute(members, rng);
            train.AddRange(members.AsSpan(0, trainShares[k]));
            test.AddRange(members.AsSpan(trainShares[k], testShares[k]));
        }

        var trainArray = train.ToArray();
        var testArray = test.ToArray();
        Shuffling.Permute(trainArray, rng);
        Shuffling.Permute(testArray, rng);
        return new DataSplit(trainArray, testArray);
    }

    /// <summary>
    /// scikit-learn's <c>_approximate_mode</c>: <paramref name="draws"/> split across classes in proportion to
    /// <paramref name="counts"/>, rounded down, the rest one each to the classes with the largest remainders (ties at random).
    /// </summary>
    internal static int[] ApproximateMode(int[] counts, int draws, SplitMix64 rng)
    {
        long total = counts.Sum(c => (long)c);
        var shares = new int[counts.Length];
        var remainders = new double[counts.Length];
        int need = draws;
        for (int k = 0; k < counts.Length; k++)
        {
            double continuous = (double)counts[k] / total * draws;
            shares[k] = (int)Math.Floor(continuous);
            remainders[k] = continuous - shares[k];
            need -= shares[k];
        }

        foreach (double value in remainders.Distinct().OrderDescending())
        {
            if (need <= 0)
            {
                break;
            }

            var tied = Enumerable.Range(0, counts.Length).Where(k => remainders[k] == value).ToArray();
            Shuffling.Permute(tied, rng);
            int take = Math.Min(tied.Length, need);
            for (int t = 0; t < take; t++)
            {
                shares[tied[t]]++;
            }

            need -= take;
        }

        return shares;
    }

    private static (int Train, int Test) Sizes(int sampleCount, double testFraction)
    {
        if (!(testFraction > 0.0 && testFraction < 1.0))
        {
            throw Guard.OutOfRange(nameof(testFraction), $"{nameof(testFraction)} must be in (0, 1) (was {testFraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}).");
        }

        int test = (int)Math.Ceiling(testFraction * sampleCount);
        int train = sampleCount - test;
        if (train < 1 || test < 1)
        {
            throw Guard.OutOfRange(nameof(testFraction), $"{nameof(testFraction)} = {testFraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} of {sampleCount} samples leaves {train} for training and {test} for testing; both need at least one.");
        }

        return (train, test);
    }

    private static void CheckData(Matrix<double> x, Vector<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (y.Count != x.RowCount)
        {
            throw new ArgumentException($"y has {y.Count} entries but x has {x.RowCount} rows; they must agree.", nameof(y));
        }
    }

    private static TrainTestData Take(Matrix<double> x, Vector<double> y, DataSplit split) =>
        new(Subsets.Rows(x, split.Train), Subsets.Rows(x, split.Test), Subsets.Entries(y, split.Train), Subsets.Entries(y, split.Test), split);
}
