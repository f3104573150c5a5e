// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// What <see cref="DictionaryLearning"/> (after each iteration) and <see cref="MiniBatchDictionaryLearning"/> (after each
/// mini-batch step) report to their <c>OnIteration</c> callback.
/// </summary>
/// <param name="Iteration">One-based number of the iteration (or mini-batch step) just completed.</param>
/// <param name="Objective">
/// <see cref="DictionaryLearning"/>: ½‖X − C·D‖²_F + α‖C‖₁ over the training data after the iteration (scikit-learn's
/// <c>error_</c> entry). <see cref="MiniBatchDictionaryLearning"/>: the same over the step's mini-batch, with the codes
/// found before the dictionary update, divided by the batch's rows (scikit-learn's batch cost).
/// </param>
/// <param name="DictionaryChange">‖D − D_previous‖_F / K: how far the iteration moved the dictionary (the mini-batch learner stops when it is at most its <c>Tolerance</c>).</param>
/// <param name="SmoothedObjective">
/// <see cref="MiniBatchDictionaryLearning"/>: the exponentially weighted average of the batch costs that its no-improvement
/// rule watches; NaN during the first steps (min(100, samples / batch) of them), which the rule ignores, and always NaN
/// for <see cref="DictionaryLearning"/>.
/// </param>
/// <param name="Components">A copy of the dictionary after the iteration (components × features); the callback may keep it.</param>
public sealed record DictionaryLearningIterationInfo(int Iteration, double Objective, double DictionaryChange, double SmoothedObjective, Matrix<double> Components)
    : IterationInfo(Iteration, Objective);
