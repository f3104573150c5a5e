// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;

namespace SparseModeling.ModelSelection;

/// <summary>Sets an estimator's parameter by name (a public read-write property, or <c>step.Property</c> inside a pipeline), for <see cref="GridSearch"/>.</summary>
internal static class EstimatorParameters
{
    /// <summary>Sets <paramref name="path"/> of <paramref name="estimator"/> to <paramref name="value"/>, converting numbers; a defect is an <see cref="ArgumentException"/> named <paramref name="argument"/>.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Every public estimator type is listed in ModelSerializer, whose Entry<T> keeps its public properties (DynamicallyAccessedMembers).")]
    public static void Set(Estimator estimator, string path, object? value, string argument)
    {
        var target = estimator;
        string name = path;
        int dot;
        while ((dot = name.IndexOf('.', StringComparison.Ordinal)) >= 0)
        {
            string step = name[..dot];
            if (target is not PipelineBase pipeline)
            {
                throw new ArgumentException($"{argument}: {path} names step {step}, but {target.GetType().Name} is not a pipeline.", argument);
            }

            target = pipeline.StepNamed(step) ?? throw new ArgumentException($"{argument}: {path} names step {step}, which the pipeline does not have (its steps: {string.Join(", ", pipeline.Steps.Select(s => s.Name))}).", argument);
            name = name[(dot + 1)..];
        }

        var property = target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
        if (property is null || !property.CanRead || property.GetSetMethod() is null || property.GetIndexParameters().Length != 0)
        {
            throw new ArgumentException($"{argument}: {path} is not a public read-write property of {target.GetType().Name}.", argument);
        }

        object? converted = Convert(value, property.PropertyType)
            ?? (value is null && (!property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null)
                ? null
                : throw new ArgumentException($"{argument}: {path} is a {property.PropertyType.Name}; the value {value ?? "null"} ({value?.GetType().Name ?? "null"}) is not one.", argument));
        property.SetValue(target, converted, BindingFlags.DoNotWrapExceptions, binder: null, index: null, culture: null);
    }

    /// <summary>The value as <paramref name="type"/>: itself when it is one, a number converted to another numeric type exactly, else null.</summary>
    private static object? Convert(object? value, Type type)
    {
        if (value is null)
        {
            return null;
        }

        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsInstanceOfType(value))
        {
            return value;
        }

        if (value is IConvertible && (t == typeof(double) || t == typeof(int)) && value is int or long or float or double or short or byte)
        {
            try
            {
                object converted = System.Convert.ChangeType(value, t, CultureInfo.InvariantCulture);
                return System.Convert.ToDouble(converted, CultureInfo.InvariantCulture) == System.Convert.ToDouble(value, CultureInfo.InvariantCulture) ? converted : null;
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        return null;
    }
}
