// SPDX-License-Identifier: BSD-3-Clause
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;

using SparseModeling.Imaging;
using SparseModeling.LinearModel;
using SparseModeling.ModelSelection;
using SparseModeling.Preprocessing;

namespace SparseModeling.Tests;

/// <summary>
/// Instances for the common checks: an estimator type with its default parameters, plus the things some estimators cannot
/// fit without — a given dictionary (a writable <c>Dictionary</c> property, as <c>SparseCoder</c>), set to random unit atoms
/// over <c>features</c> features, or a penalty matrix (a writable <c>TransformMatrix</c>, as <c>GeneralizedLassoAdmm</c>),
/// set to [I; D1] (the fused Lasso's D) over <c>features</c> features; a perplexity below the checks' 30 samples (a
/// writable <c>Perplexity</c>, as <c>TSne</c>, whose default 30 must be less than the sample count), set to 5. Chosen by
/// capability (the property), not by type name, so new estimators are covered; and fewer atoms for
/// <c>SparseSuperResolution</c>, whose default needs more training patches than the checks' images hold. Pipelines, which
/// are nothing without steps, get a standard scaler and a lightly regularised Lasso (<see cref="Pipeline"/>), or a standard
/// scaler and a min–max scaler (<see cref="TransformerPipeline"/>).
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

        if (type.GetProperty("TransformMatrix", BindingFlags.Public | BindingFlags.Instance) is { CanWrite: true } transform && transform.PropertyType == typeof(Matrix<double>))
        {
            var d = Matrix<double>.Build.Dense((2 * features) - 1, features);
            for (int j = 0; j < features; j++)
            {
                d[j, j] = 1.0;
                if (j + 1 < features)
                {
                    d[features + j, j] = -1.0;
                    d[features + j, j + 1] = 1.0;
                }
            }

            transform.SetValue(estimator, d);
        }

        // Super-resolution learns from images: the checks' small matrices hold a few dozen patches, too few for its 128 atoms.
        if (estimator is SparseSuperResolution superResolution)
        {
            superResolution.ComponentCount = 8;
        }

        if (type.GetProperty("Perplexity", BindingFlags.Public | BindingFlags.Instance) is { CanWrite: true } perplexity && perplexity.PropertyType == typeof(double))
        {
            perplexity.SetValue(estimator, 5.0);
        }

        switch (estimator)
        {
            case Pipeline pipeline:
                pipeline.Steps = [new("scale", new StandardScaler()), new("lasso", new Lasso { Alpha = 0.01 })];
                break;
            case TransformerPipeline transformers:
                transformers.Steps = [new("scale", new StandardScaler()), new("range", new MinMaxScaler())];
                break;
        }

        return estimator;
    }
}
