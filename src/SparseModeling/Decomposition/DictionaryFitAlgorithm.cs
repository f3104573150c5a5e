// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Decomposition;

/// <summary>
/// How <see cref="DictionaryLearning"/> and <see cref="MiniBatchDictionaryLearning"/> code the training data while they learn
/// (scikit-learn's <c>fit_algorithm</c>): both solve the Lasso of the learner's objective through <see cref="SparseEncoder"/>.
/// </summary>
public enum DictionaryFitAlgorithm
{
    /// <summary>The Lasso by the LARS path (<see cref="SparseCodingAlgorithm.LassoLars"/>); scikit-learn's <c>'lars'</c>, the default. Fast when codes are sparse.</summary>
    LassoLars,

    /// <summary>The Lasso by coordinate descent on the Gram matrix (<see cref="SparseCodingAlgorithm.LassoCd"/>); scikit-learn's <c>'cd'</c>.</summary>
    LassoCd,
}
