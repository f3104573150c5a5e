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
/// previously fitted model as it was. A record is cheap to build: values that cost a pass over the data or a copy
/// of a factor (NMF's divergence and factors, t-SNE's embedding) are computed when the callback first reads them, so
/// a callback that only counts iterations adds almost nothing to a fit. Such values can be read only during the
/// callback that received the record; once read they are the callback's to keep.
/// </remarks>
/// <param name="Iteration">One-based number of the iteration just completed.</param>
/// <param name="Objective">The estimator's objective after this iteration, in the scaling its documentation states.</param>
public abstract record IterationInfo(int Iteration, double Objective)
{
    /// <summary>The estimator's objective after this iteration, in the scaling its documentation states.</summary>
    /// <remarks>
    /// Some records compute it when it is first read (NMF's divergence costs as much as an iteration): read it inside
    /// the callback; reading it afterwards throws <see cref="InvalidOperationException"/> unless it was read before.
    /// </remarks>
    public virtual double Objective { get; init; } = Objective;
}
