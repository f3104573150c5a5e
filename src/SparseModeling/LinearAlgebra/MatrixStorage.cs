// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearAlgebra;

/// <summary>Access to MathNet matrices as raw column-major arrays.</summary>
internal static class MatrixStorage
{
    /// <summary>
    /// The column-major storage of <paramref name="m"/>: the array itself when the matrix is dense
    /// (no copy; callers must not write to it unless they own the matrix), a copy otherwise.
    /// </summary>
    public static double[] ColumnMajor(Matrix<double> m) => m.AsColumnMajorArray() ?? m.ToColumnMajorArray();

    /// <summary>Wraps a column-major array as a dense matrix without copying.</summary>
    public static Matrix<double> FromColumnMajor(int rows, int cols, double[] data) => Matrix<double>.Build.Dense(rows, cols, data);
}
