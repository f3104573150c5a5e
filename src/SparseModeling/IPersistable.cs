// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling;

/// <summary>
/// Implemented by every estimator that <see cref="ModelSerializer"/> can save: the fitted state as a
/// plain data object (arrays, numbers, enums) that System.Text.Json writes without loss. Parameters
/// (public read-write properties) are saved by the serializer itself.
/// </summary>
internal interface IPersistable
{
    /// <summary>The runtime type of the object <see cref="GetState"/> returns.</summary>
    Type StateType { get; }

    /// <summary>The fitted state, or null when the estimator is not fitted.</summary>
    object? GetState();

    /// <summary>Restores a fitted state previously returned by <see cref="GetState"/>.</summary>
    void SetState(object state);
}
