// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Moves between MathNet matrices and the raw column-major arrays (leading dimension = row count)
/// that every kernel of this layer works on.
/// </summary>
internal static class MatrixStorage
{
    /// <summary>
    /// The entries of <paramref name="m"/> in column-major order (length rows·columns). For a dense
    /// matrix this is MathNet's storage array itself, not a copy: callers must treat it as read-only
    /// unless they own the matrix, since a write changes <paramref name="m"/>. Other storages
    /// (sparse, diagonal) are copied.
    /// </summary>
    public static double[] ColumnMajor(Matrix<double> m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return m.AsColumnMajorArray() ?? m.ToColumnMajorArray();
    }

    /// <summary>
    /// Wraps <paramref name="data"/> (column-major, length <paramref name="rows"/>·<paramref name="cols"/>)
    /// as a dense matrix without copying: later writes to either are visible in both.
    /// </summary>
    public static Matrix<double> FromColumnMajor(int rows, int cols, double[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != (long)rows * cols)
        {
            throw new ArgumentException($"{nameof(data)} has {data.Length} entries but a {rows}×{cols} matrix needs {(long)rows * cols}.", nameof(data));
        }

        return Matrix<double>.Build.Dense(rows, cols, data);
    }
}
