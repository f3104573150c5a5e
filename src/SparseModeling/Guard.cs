// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling;

/// <summary>
/// Shared input validation: every public entry point checks its arguments with these guards before
/// computing, so that messages are uniform and name the argument, the rule and the offending value
/// or position.
/// </summary>
internal static class Guard
{
    /// <summary>Checks a sample matrix: not null, at least one row and one column, every entry finite.</summary>
    public static void Samples(Matrix<double> x, [CallerArgumentExpression(nameof(x))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.RowCount == 0 || x.ColumnCount == 0)
        {
            throw new ArgumentException($"{name} is empty ({x.RowCount}×{x.ColumnCount}); at least one row and one column are needed.", name);
        }

        Finite(x, name);
    }

    /// <summary>Checks a sample matrix whose NaN entries mark missing values: not null, at least one row and one column, no ±∞ (named with its row and column).</summary>
    public static void SamplesWithMissing(Matrix<double> x, [CallerArgumentExpression(nameof(x))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.RowCount == 0 || x.ColumnCount == 0)
        {
            throw new ArgumentException($"{name} is empty ({x.RowCount}×{x.ColumnCount}); at least one row and one column are needed.", name);
        }

        var data = MatrixStorage.ColumnMajor(x);
        int at = Kernels.IndexOfInfinity(data);
        if (at >= 0)
        {
            throw new ArgumentException($"{name} must be finite or NaN (missing) but has {Describe(data[at])} at row {at % x.RowCount}, column {at / x.RowCount}.", name);
        }
    }

    /// <summary>Checks a target vector: not null, not empty, every entry finite, one entry per row of the samples.</summary>
    public static void Targets(Vector<double> y, int rowCount, [CallerArgumentExpression(nameof(y))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(y, name);
        if (y.Count == 0)
        {
            throw new ArgumentException($"{name} is empty; at least one target is needed.", name);
        }

        if (y.Count != rowCount)
        {
            throw new ArgumentException($"{name} has {y.Count} entries but the samples have {rowCount} rows; they must agree.", name);
        }

        Finite(y, name);
    }

    /// <summary>Checks that a matrix has the given number of columns.</summary>
    public static void ColumnCount(Matrix<double> x, int expected, [CallerArgumentExpression(nameof(x))] string? name = null)
    {
        if (x.ColumnCount != expected)
        {
            throw new ArgumentException($"{name} has {x.ColumnCount} columns but the model was fitted with {expected}; they must agree.", name);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first row and column holding NaN or ±∞.</summary>
    /// <remarks>
    /// A compressed-row sparse matrix (MathNet's <c>SparseMatrix</c>) is checked on its stored entries only, in O(nnz + p),
    /// after its structure: a column index out of range or stored twice in one row is rejected here, naming the row.
    /// </remarks>
    public static void Finite(Matrix<double> x, [CallerArgumentExpression(nameof(x))] string? name = null)
    {
        if (SparseStorage.Of(x) is { } sparse)
        {
            if (SparseStorage.Defect(sparse) is { } defect)
            {
                throw new ArgumentException($"{name} (a compressed-row sparse matrix, {x.RowCount}×{x.ColumnCount}) {defect}.", name);
            }

            if (SparseStorage.FirstNonFinite(sparse) is { } bad)
            {
                ThrowNonFinite(name, bad.Value, bad.Row, bad.Column);
            }

            return;
        }

        var data = x.AsColumnMajorArray();
        int rows = x.RowCount;
        if (data is not null)
        {
            int at = Kernels.IndexOfNonFiniteParallel(data);
            if (at >= 0)
            {
                ThrowNonFinite(name, data[at], at % rows, at / rows);
            }

            return;
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < x.ColumnCount; c++)
            {
                double v = x.At(r, c);
                if (!double.IsFinite(v))
                {
                    ThrowNonFinite(name, v, r, c);
                }
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first index holding NaN or ±∞.</summary>
    public static void Finite(Vector<double> v, [CallerArgumentExpression(nameof(v))] string? name = null)
    {
        var data = v.AsArray();
        if (data is not null)
        {
            int at = Kernels.IndexOfNonFinite(data);
            if (at >= 0)
            {
                throw new ArgumentException($"{name} must be finite but has {Describe(data[at])} at index {at}.", name);
            }

            return;
        }

        for (int i = 0; i < v.Count; i++)
        {
            if (!double.IsFinite(v[i]))
            {
                throw new ArgumentException($"{name} must be finite but has {Describe(v[i])} at index {i}.", name);
            }
        }
    }

    /// <summary>Requires <paramref name="value"/> ≥ <paramref name="min"/> (and not NaN).</summary>
    public static void AtLeast(double value, double min, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= min) || double.IsPositiveInfinity(value))
        {
            throw OutOfRange(name, $"{name} must be finite and ≥ {Format(min)} (was {Format(value)}).");
        }
    }

    /// <summary>Requires <paramref name="value"/> &gt; <paramref name="min"/> (and finite).</summary>
    public static void GreaterThan(double value, double min, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value > min) || double.IsPositiveInfinity(value))
        {
            throw OutOfRange(name, $"{name} must be finite and > {Format(min)} (was {Format(value)}).");
        }
    }

    /// <summary>Requires <paramref name="min"/> ≤ <paramref name="value"/> ≤ <paramref name="max"/>.</summary>
    public static void InRange(double value, double min, double max, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= min && value <= max))
        {
            throw OutOfRange(name, $"{name} must be in [{Format(min)}, {Format(max)}] (was {Format(value)}).");
        }
    }

    /// <summary>Requires <paramref name="value"/> ≥ <paramref name="min"/>.</summary>
    public static void AtLeast(int value, int min, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < min)
        {
            throw OutOfRange(name, $"{name} must be ≥ {min} (was {value}).");
        }
    }

    /// <summary>Requires <paramref name="min"/> ≤ <paramref name="value"/> ≤ <paramref name="max"/>, for counts (the one wording of a count bounded by the data, such as a number of features to choose).</summary>
    public static void InRange(int value, int min, int max, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < min || value > max)
        {
            throw OutOfRange(name, $"{name} must be in [{min}, {max}] (was {value}).");
        }
    }

    /// <summary>
    /// The library's <see cref="ArgumentOutOfRangeException"/>: a message that states the rule and the value once (the
    /// constructor taking an actual value would append it a second time).
    /// </summary>
    public static ArgumentOutOfRangeException OutOfRange(string? name, string message) => new(name, message);

    /// <summary>Requires an enum value to be one of its defined members.</summary>
    public static void Defined<TEnum>(TEnum value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw OutOfRange(name, $"{name} must be one of {string.Join(", ", Enum.GetNames<TEnum>())} (was {value}).");
        }
    }

    /// <summary>The exception thrown when a fitted member is read, or a prediction asked for, before <c>Fit</c>.</summary>
    public static InvalidOperationException NotFitted(object estimator, string member) =>
        new($"{estimator.GetType().Name} is not fitted: call Fit before reading {member}.");

    private static void ThrowNonFinite(string? name, double value, int row, int column) =>
        throw new ArgumentException($"{name} must be finite but has {Describe(value)} at row {row}, column {column}.", name);

    private static string Describe(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+∞" : double.IsNegativeInfinity(value) ? "−∞" : Format(value);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
