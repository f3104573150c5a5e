// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling;

/// <summary>
/// Implemented by every estimator that <see cref="ModelSerializer"/> can save: the fitted state as a plain record
/// that writes itself (<see cref="EstimatorState.Write"/>) and is read and checked back by the estimator, and the
/// check of the parameters. Parameters (public read-write properties) are saved by the serializer itself.
/// </summary>
internal interface IPersistable
{
    /// <summary>The fitted state, or null when the estimator is not fitted.</summary>
    EstimatorState? GetState();

    /// <summary>Reads and checks a fitted state saved by <see cref="ModelSerializer"/>, throwing <see cref="InvalidDataException"/> naming the JSON path of any defect.</summary>
    EstimatorState ReadState(ModelReader reader);

    /// <summary>Checks the parameters that do not depend on the data, throwing <see cref="ArgumentException"/> named after the property.</summary>
    void ValidateParameters();

    /// <summary>Restores a fitted state returned by <see cref="GetState"/> or <see cref="ReadState"/>.</summary>
    void SetState(EstimatorState state);
}
