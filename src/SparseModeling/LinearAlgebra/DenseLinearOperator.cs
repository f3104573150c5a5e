// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// An <see cref="ILinearOperator"/> backed by an explicit matrix. A dense MathNet matrix is used in
/// place (no copy), so later changes to it are seen by the operator; other storages are copied once.
/// Safe for concurrent calls as long as the matrix is not modified meanwhile.
/// </summary>
public sealed class DenseLinearOperator : ILinearOperator
{
    private readonly double[] _data;

    /// <summary>Wraps <paramref name="matrix"/>.</summary>
    /// <param name="matrix">The matrix A.</param>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    public DenseLinearOperator(Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        Matrix = matrix;
        RowCount = matrix.RowCount;
        ColumnCount = matrix.ColumnCount;
        _data = MatrixStorage.ColumnMajor(matrix);
    }

    /// <summary>The wrapped matrix.</summary>
    public Matrix<double> Matrix { get; }

    /// <inheritdoc />
    public int RowCount { get; }

    /// <inheritdoc />
    public int ColumnCount { get; }

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        CheckLength(x.Length, ColumnCount, nameof(x));
        CheckLength(y.Length, RowCount, nameof(y));
        Gemv.Multiply(RowCount, ColumnCount, 1.0, _data, Math.Max(1, RowCount), x, 0.0, y);
    }

    /// <inheritdoc />
    public void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x)
    {
        CheckLength(y.Length, RowCount, nameof(y));
        CheckLength(x.Length, ColumnCount, nameof(x));
        Gemv.MultiplyTransposed(RowCount, ColumnCount, 1.0, _data, Math.Max(1, RowCount), y, 0.0, x);
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} entries but the operator needs {expected}.", name);
        }
    }
}
