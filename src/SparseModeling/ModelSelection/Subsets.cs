// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.ModelSelection;

/// <summary>Rows of a sample matrix and entries of a target vector picked by index (the training and test sets of a split).</summary>
internal static class Subsets
{
    /// <summary>The rows <paramref name="rows"/> of <paramref name="x"/>, in that order, as a new matrix.</summary>
    public static Matrix<double> Rows(Matrix<double> x, IReadOnlyList<int> rows)
    {
        int n = x.RowCount, m = x.ColumnCount, k = rows.Count;
        var source = MatrixStorage.ColumnMajor(x);
        var result = new double[k * m];
        for (int j = 0; j < m; j++)
        {
            int from = j * n, to = j * k;
            for (int i = 0; i < k; i++)
            {
                result[to + i] = source[from + rows[i]];
            }
        }

        return MatrixStorage.FromColumnMajor(k, m, result);
    }

    /// <summary>The entries <paramref name="rows"/> of <paramref name="y"/>, in that order, as a new vector.</summary>
    public static Vector<double> Entries(Vector<double> y, IReadOnlyList<int> rows)
    {
        var result = new double[rows.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = y[rows[i]];
        }

        return Vector<double>.Build.Dense(result);
    }

    /// <summary>Checks that every index of <paramref name="split"/> is a row of the data, naming <paramref name="name"/> and the offending index.</summary>
    public static void CheckSplit(DataSplit split, int sampleCount, int index, string name)
    {
        ArgumentNullException.ThrowIfNull(split, name);
        Check(split.Train, "Train");
        Check(split.Test, "Test");

        void Check(IReadOnlyList<int>? rows, string part)
        {
            if (rows is null || rows.Count == 0)
            {
                throw new ArgumentException($"{name}[{index}].{part} is {(rows is null ? "null" : "empty")}; every split needs training and test samples.", name);
            }

            for (int i = 0; i < rows.Count; i++)
            {
                if ((uint)rows[i] >= (uint)sampleCount)
                {
                    throw new ArgumentException($"{name}[{index}].{part}[{i}] is {rows[i]}, which is not a row of the {sampleCount} samples.", name);
                }
            }
        }
    }
}
