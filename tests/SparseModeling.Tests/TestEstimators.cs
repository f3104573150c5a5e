// SPDX-License-Identifier: BSD-3-Clause
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;

using SparseModeling.Imaging;

namespace SparseModeling.Tests;

/// <summary>
/// Instances for the common checks: an estimator type with its default parameters, plus the one thing some estimators cannot
/// fit without — a given dictionary (a writable <c>Dictionary</c> property, as <c>SparseCoder</c>), set to random unit atoms
/// over <c>features</c> features. Chosen by capability (the property), not by type name, so new estimators are covered; and
/// fewer atoms for <c>SparseSuperResolution</c>, whose default needs more training patches than the checks' images hold.
/// </summary>
internal static class TestEstimators
{
    public static object Create(Type type, int features)
    {
        var estimator = Activator.CreateInstance(type)!;
        if (type.GetProperty("Dictionary", BindingFlags.Public | BindingFlags.Instance) is { CanWrite: true } dictionary && dictionary.PropertyType == typeof(Matrix<double>))
        {
            var rng = new SplitMix64(77);
            var atoms = Matrix<double>.Build.Dense(2 * features, features, (_, _) => rng.NextNormal());
            for (int a = 0; a < atoms.RowCount; a++)
            {
                atoms.SetRow(a, atoms.Row(a).Normalize(2));
            }

            dictionary.SetValue(estimator, atoms);
        }

        // Super-resolution learns from images: the checks' small matrices hold a few dozen patches, too few for its 128 atoms.
        if (estimator is SparseSuperResolution superResolution)
        {
            superResolution.ComponentCount = 8;
        }

        return estimator;
    }
}
