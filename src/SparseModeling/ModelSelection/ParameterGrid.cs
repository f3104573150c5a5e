// SPDX-License-Identifier: BSD-3-Clause
using System.Collections;

namespace SparseModeling.ModelSelection;

/// <summary>
/// The values to try for each parameter of a <see cref="GridSearch"/>, as scikit-learn's <c>param_grid</c>: a parameter is
/// a public read-write property of the estimator (<c>"Alpha"</c>), or of a step of a pipeline addressed by the step's name
/// (<c>"lasso.Alpha"</c>, scikit-learn's <c>lasso__alpha</c>). The candidates are every combination, in scikit-learn's
/// order: parameters sorted by name, the last one varying fastest.
/// </summary>
/// <remarks>
/// <code>
/// var grid = new ParameterGrid
/// {
///     { "lasso.Alpha", 0.01, 0.1, 1.0 },
///     { "scale.WithMean", true, false },
/// };
/// </code>
/// A value is converted to the property's type where it is a number of another type (an <c>int</c> for a <c>double</c>
/// property); a name or value the estimator does not take is reported by <see cref="GridSearch.Fit"/> before any fit.
/// </remarks>
public sealed class ParameterGrid : IEnumerable<KeyValuePair<string, IReadOnlyList<object?>>>
{
    private readonly SortedDictionary<string, IReadOnlyList<object?>> _values = new(StringComparer.Ordinal);

    /// <summary>The number of candidates: the product of the numbers of values (1 for an empty grid: the estimator as it is).</summary>
    public int Count => _values.Values.Aggregate(1, (product, values) => checked(product * values.Count));

    /// <summary>Adds the values to try for one parameter.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="parameter">The property name, or <c>step.Property</c> for a step of a pipeline.</param>
    /// <param name="values">The values, at least one.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="parameter"/> is empty or already in the grid, or <paramref name="values"/> is empty.</exception>
    public void Add<T>(string parameter, params T[] values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameter);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException($"values for {parameter} is empty; give at least one value.", nameof(values));
        }

        if (!_values.TryAdd(parameter, values.Select(v => (object?)v).ToArray()))
        {
            throw new ArgumentException($"{parameter} is already in the grid.", nameof(parameter));
        }
    }

    /// <summary>Every combination of values, in scikit-learn's order (parameters sorted by name, the last varying fastest).</summary>
    /// <returns>One dictionary of parameter values per candidate.</returns>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Candidates()
    {
        var names = _values.Keys.ToArray();
        var lists = _values.Values.ToArray();
        int count = Count;
        var candidates = new IReadOnlyDictionary<string, object?>[count];
        for (int c = 0; c < count; c++)
        {
            var candidate = new Dictionary<string, object?>(StringComparer.Ordinal);
            int rest = c;
            for (int k = names.Length - 1; k >= 0; k--)
            {
                candidate[names[k]] = lists[k][rest % lists[k].Count];
                rest /= lists[k].Count;
            }

            candidates[c] = candidate;
        }

        return candidates;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, IReadOnlyList<object?>>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
