// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.ModelSelection;

/// <summary>
/// K-fold cross-validation splits, as scikit-learn's <c>KFold</c>: the samples (in order, or shuffled once with
/// <see cref="RandomSeed"/> when <see cref="Shuffle"/> is set) are cut into <see cref="FoldCount"/> consecutive folds;
/// each fold is the test set once and the other folds are its training set. The first n mod k folds have ⌊n/k⌋ + 1
/// samples, the others ⌊n/k⌋, as scikit-learn's. Indices within a split are in ascending order, as scikit-learn's.
/// </summary>
/// <remarks>
/// The shuffle draws from this library's generator, so a seed gives other folds than the same seed in scikit-learn; the
/// fold sizes and, without shuffling, the folds themselves are scikit-learn's.
/// <code>
/// foreach (var (train, test) in new KFold { FoldCount = 5, Shuffle = true, RandomSeed = 0 }.Split(x.RowCount)) { … }
/// </code>
/// </remarks>
public sealed class KFold
{
    /// <summary>Creates 5 unshuffled folds (scikit-learn's defaults).</summary>
    public KFold()
    {
    }

    /// <summary>Creates <paramref name="foldCount"/> unshuffled folds.</summary>
    /// <param name="foldCount">The number of folds, ≥ 2.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="foldCount"/> is below 2.</exception>
    public KFold(int foldCount)
    {
        Guard.AtLeast(foldCount, 2, nameof(foldCount));
        FoldCount = foldCount;
    }

    /// <summary>The number of folds k (default 5, scikit-learn's <c>n_splits</c>); ≥ 2 and at most the sample count, checked at <see cref="Split"/>.</summary>
    public int FoldCount { get; set; } = 5;

    /// <summary>Whether the samples are shuffled before they are cut into folds (default false).</summary>
    public bool Shuffle { get; set; }

    /// <summary>The seed of the shuffle; null draws a fresh seed at every <see cref="Split"/>. Ignored without <see cref="Shuffle"/>.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>The <see cref="FoldCount"/> splits of <paramref name="sampleCount"/> samples.</summary>
    /// <param name="sampleCount">The number of samples, ≥ <see cref="FoldCount"/>.</param>
    /// <returns>One split per fold, in fold order; their test sets partition the samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="FoldCount"/> is below 2 or above <paramref name="sampleCount"/>.</exception>
    public IReadOnlyList<DataSplit> Split(int sampleCount)
    {
        Guard.AtLeast(FoldCount, 2, nameof(FoldCount));
        if (FoldCount > sampleCount)
        {
            throw Guard.OutOfRange(nameof(FoldCount), $"{nameof(FoldCount)} must be at most the number of samples ({sampleCount}) (was {FoldCount}).");
        }

        var order = new int[sampleCount];
        for (int i = 0; i < sampleCount; i++)
        {
            order[i] = i;
        }

        if (Shuffle)
        {
            Shuffling.Permute(order, Shuffling.Generator(RandomSeed));
        }

        var splits = new DataSplit[FoldCount];
        var inTest = new bool[sampleCount];
        int start = 0;
        for (int fold = 0; fold < FoldCount; fold++)
        {
            int size = (sampleCount / FoldCount) + (fold < sampleCount % FoldCount ? 1 : 0);
            Array.Clear(inTest);
            for (int i = start; i < start + size; i++)
            {
                inTest[order[i]] = true;
            }

            var train = new int[sampleCount - size];
            var test = new int[size];
            int a = 0, b = 0;
            for (int i = 0; i < sampleCount; i++)
            {
                if (inTest[i])
                {
                    test[b++] = i;
                }
                else
                {
                    train[a++] = i;
                }
            }

            splits[fold] = new DataSplit(train, test);
            start += size;
        }

        return splits;
    }
}
