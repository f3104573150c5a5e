// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.ModelSelection;

/// <summary>One split of a data set into training and test samples, by row index (a fold of <see cref="KFold"/>, the split of <see cref="TrainTestSplit"/>).</summary>
/// <param name="Train">The row indices of the training samples.</param>
/// <param name="Test">The row indices of the test samples.</param>
public sealed record DataSplit(IReadOnlyList<int> Train, IReadOnlyList<int> Test);
