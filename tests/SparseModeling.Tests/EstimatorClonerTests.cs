// SPDX-License-Identifier: BSD-3-Clause
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;
using SparseModeling.ModelSelection;
using SparseModeling.Preprocessing;

namespace SparseModeling.Tests;

/// <summary>Cloning (scikit-learn's <c>clone</c>) of every public estimator, found by reflection: same parameters, unfitted, independent.</summary>
public class EstimatorClonerTests
{
    public static TheoryData<Type> Estimators()
    {
        var data = new TheoryData<Type>();
        foreach (var type in ModelSerializerCorruptionTests.PublicEstimatorTypes())
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Estimators))]
    public void Clone_FittedEstimator_SameParametersUnfittedAndIndependent(Type type)
    {
        var original = ModelSerializerCorruptionTests.Fitted(type);
        original.MaxDegreeOfParallelism = 3;
        var clone = original.Clone();

        Assert.IsType(type, clone);
        Assert.NotSame(original, clone);

        // Same parameters: the saved parameters (every plain one) are identical, and so is every other read-write property.
        Assert.Equal(ParametersOf(original), ParametersOf(clone));
        foreach (var property in ReadWrite(type))
        {
            object? a = property.GetValue(original), b = property.GetValue(clone);
            switch (a)
            {
                case Matrix<double> m:
                    Assert.NotSame(a, b);
                    Assert.Equal(m.ToColumnMajorArray(), ((Matrix<double>)b!).ToColumnMajorArray());
                    break;
                case double[] array:
                    Assert.NotSame(a, b);
                    Assert.Equal(array, (double[])b!);
                    break;
                case IReadOnlyList<PipelineStep> steps:
                    var cloned = (IReadOnlyList<PipelineStep>)b!;
                    Assert.Equal(steps.Select(s => s.Name), cloned.Select(s => s.Name));
                    Assert.All(steps.Zip(cloned), pair => Assert.NotSame(pair.First.Estimator, pair.Second.Estimator));
                    Assert.Equal(steps.Select(s => ParametersOf(s.Estimator)), cloned.Select(s => ParametersOf(s.Estimator)));
                    break;
                default:
                    Assert.Equal(a, b);
                    break;
            }
        }

        // Unfitted: saved with a null state (every fitted member throws, as the common checks verify for unfitted estimators).
        Assert.Contains("\"state\":null", ModelSerializerCorruptionTests.SaveText(clone), StringComparison.Ordinal);
        Assert.DoesNotContain("\"state\":null", ModelSerializerCorruptionTests.SaveText(original), StringComparison.Ordinal);

        // Independent: changing a mutable parameter of the clone leaves the original as it was.
        string before = ModelSerializerCorruptionTests.SaveText(original);
        foreach (var property in ReadWrite(type))
        {
            switch (property.GetValue(clone))
            {
                case Matrix<double> m:
                    m[0, 0] += 1.0;
                    break;
                case double[] { Length: > 0 } array:
                    array[0] += 1.0;
                    break;
                case IReadOnlyList<PipelineStep> steps:
                    foreach (var step in steps)
                    {
                        step.Estimator.MaxDegreeOfParallelism = 1;
                        if (step.Estimator is IRegularized regularized)
                        {
                            regularized.Alpha += 1.0;
                        }
                    }

                    break;
            }
        }

        Assert.Equal(before, ModelSerializerCorruptionTests.SaveText(original));
    }

    [Fact]
    public void Clone_Pipeline_StepsAreUnfittedClones()
    {
        var (x, y) = EstimatorChecks.RegressionData(3);
        var lasso = new Lasso { Alpha = 0.2 }.Fit(x, y);
        var pipeline = new Pipeline(("scale", new StandardScaler { WithMean = false }), ("lasso", lasso));
        var clone = pipeline.Clone();
        var step = Assert.IsType<Lasso>(clone.Steps[1].Estimator);
        Assert.Equal(0.2, step.Alpha);
        Assert.Throws<InvalidOperationException>(() => step.Coefficients);
        Assert.False(Assert.IsType<StandardScaler>(clone.Steps[0].Estimator).WithMean);
    }

    private static string ParametersOf(Estimator estimator) =>
        System.Text.Json.Nodes.JsonNode.Parse(ModelSerializerCorruptionTests.SaveText(estimator))!["parameters"]!.ToJsonString();

    private static IEnumerable<PropertyInfo> ReadWrite(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetSetMethod() is not null && p.GetIndexParameters().Length == 0);
}
