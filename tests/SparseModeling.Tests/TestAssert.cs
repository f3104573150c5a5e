// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Tests;

/// <summary>Assertions shared by the test classes.</summary>
internal static class TestAssert
{
    /// <summary>
    /// Max over entries of |a − e| / max(|e|, 1e-3·max|e|) ≤ <paramref name="tolerance"/>: relative,
    /// with a floor for entries that are near zero.
    /// </summary>
    public static void AssertClose(Matrix<double> expected, Matrix<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        double scale = expected.Enumerate().Max(Math.Abs);
        double worst = 0.0;
        for (int i = 0; i < expected.RowCount; i++)
        {
            for (int j = 0; j < expected.ColumnCount; j++)
            {
                double e = expected[i, j];
                worst = Math.Max(worst, Math.Abs(actual[i, j] - e) / Math.Max(Math.Abs(e), 1e-3 * scale));
            }
        }

        Assert.True(worst <= tolerance, $"{what}: largest relative difference {worst:E3} > {tolerance:E1}");
    }
}
