// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// scikit-learn's <c>split_sign</c> for the sparse coders (<see cref="SparseCoder"/> and the dictionary learners): codes
/// C (samples × K) become [max(C, 0), max(−C, 0)] (samples × 2K), which helps downstream linear classifiers, and fold back
/// by subtracting the halves.
/// </summary>
internal static class SignSplit
{
    /// <summary>[max(C, 0), max(−C, 0)]: samples × 2K.</summary>
    public static Matrix<double> Split(Matrix<double> codes)
    {
        int n = codes.RowCount, k = codes.ColumnCount;
        var split = Matrix<double>.Build.Dense(n, 2 * k);
        for (int j = 0; j < k; j++)
        {
            for (int i = 0; i < n; i++)
            {
                double c = codes.At(i, j);
                split.At(i, j, Math.Max(c, 0.0));
                split.At(i, k + j, Math.Max(-c, 0.0));
            }
        }

        return split;
    }

    /// <summary>The codes (n × K column-major) that split codes (n × 2K column-major) stand for: the first half minus the second.</summary>
    public static double[] Fold(double[] split, int n, int k)
    {
        var folded = new double[n * k];
        for (int i = 0; i < n * k; i++)
        {
            folded[i] = split[i] - split[i + (n * k)];
        }

        return folded;
    }
}
