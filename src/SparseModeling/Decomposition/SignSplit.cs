// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

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

    /// <summary>
    /// codes · D: the reconstruction of samples from their <paramref name="codes"/> (samples × K, or × 2K split by sign when
    /// <paramref name="split"/>) over <paramref name="components"/> (K × <paramref name="features"/>, column-major), the
    /// <c>InverseTransform</c> of every transformer that codes over a dictionary; <see cref="ArgumentException"/> when the
    /// codes have the wrong width (naming the model's <paramref name="unit"/>: "components" or "atoms").
    /// </summary>
    public static Matrix<double> Reconstruct(Matrix<double> codes, double[] components, int k, int features, bool split, string unit)
    {
        Guard.Samples(codes);
        int width = split ? 2 * k : k;
        if (codes.ColumnCount != width)
        {
            throw new ArgumentException($"{nameof(codes)} has {codes.ColumnCount} columns but must have {width} (the model has {k} {unit}{(split ? ", and its codes are split by sign" : string.Empty)}).", nameof(codes));
        }

        int n = codes.RowCount;
        var c = MatrixStorage.ColumnMajor(codes);
        if (split)
        {
            c = Fold(c, n, k);
        }

        var result = new double[n * features];
        Gemm.Multiply(false, false, n, features, k, 1.0, c, n, components, k, 0.0, result, n);
        return MatrixStorage.FromColumnMajor(n, features, result);
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
