// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling;

/// <summary>
/// What an iterative estimator reports after each iteration to its <c>OnIteration</c> callback.
/// </summary>
/// <remarks>
/// The callback runs on the fitting thread between iterations; it may record or display progress
/// but must not change the estimator. Families with more to show (NMF factors, t-SNE embeddings)
/// pass derived records.
/// </remarks>
/// <param name="Iteration">One-based number of the iteration just completed.</param>
/// <param name="Objective">The estimator's objective after this iteration, in the scaling its documentation states.</param>
/// <param name="Gap">
/// The stopping measure after this iteration (a duality gap, a residual norm or a relative change, as the
/// estimator documents), or <see cref="double.NaN"/> when it was not computed in this iteration.
/// </param>
public record IterationInfo(int Iteration, double Objective, double Gap);
