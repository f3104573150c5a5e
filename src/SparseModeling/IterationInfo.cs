// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling;

/// <summary>
/// What an iterative estimator reports after each iteration to its <c>OnIteration</c> callback: the
/// base of one record per solver family, each with the family's own named stopping measures
/// (<see cref="LinearModel.CoordinateDescentIterationInfo.DualGap"/>,
/// <see cref="LinearModel.AdmmIterationInfo.PrimalResidual"/>, <see cref="LinearModel.LarsIterationInfo.Alpha"/>,
/// <see cref="Decomposition.NmfIterationInfo.StoppingMeasure"/>, ...).
/// </summary>
/// <remarks>
/// The callback runs on the fitting thread between iterations; it may record or display progress
/// but must not change the estimator. An exception thrown by the callback ends the fit and leaves a
/// previously fitted model as it was.
/// </remarks>
/// <param name="Iteration">One-based number of the iteration just completed.</param>
/// <param name="Objective">The estimator's objective after this iteration, in the scaling its documentation states.</param>
public abstract record IterationInfo(int Iteration, double Objective);
