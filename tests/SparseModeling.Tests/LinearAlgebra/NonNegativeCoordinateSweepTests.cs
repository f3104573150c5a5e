// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class NonNegativeCoordinateSweepTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(17, 5)]
    [InlineData(40, 1)]
    [InlineData(53, 10)]
    [InlineData(100, 24)]
    [InlineData(37, 40)]
    public void Rows_MatchesScalarCoordinateDescent(int rows, int k)
    {
        // A Gram matrix G = A·Aᵀ (symmetric, positive diagonal) and cross products of either sign, so that some entries clip at 0.
        var a = Reference.Random(k * (k + 3), 1);
        var gram = new double[k * k];
        for (int t = 0; t < k; t++)
        {
            for (int r = 0; r < k; r++)
            {
                double sum = 0.0;
                for (int s = 0; s < k + 3; s++)
                {
                    sum += a[t + (s * k)] * a[r + (s * k)];
                }

                gram[t + (r * k)] = sum;
            }
        }

        var cross = Reference.Random(k * rows, 2);
        var f = Reference.Random(k * rows, 3);
        for (int i = 0; i < f.Length; i += 3)
        {
            f[i] = 0.0;
        }

        var order = Enumerable.Range(0, k).Reverse().ToArray();
        double l1 = 0.125;
        var expected = (double[])f.Clone();
        double expectedViolation = 0.0;
        for (int i = 1; i < rows; i++)
        {
            var row = expected.AsSpan(i * k, k);
            foreach (int t in order)
            {
                double grad = -(cross[t + (i * k)] - l1);
                for (int r = 0; r < k; r++)
                {
                    grad = Kernels.MultiplyAdd(gram[r + (t * k)], row[r], grad);
                }

                expectedViolation += Math.Abs(row[t] == 0.0 ? Math.Min(grad, 0.0) : grad);
                row[t] = Math.Max(row[t] - (grad / gram[t + (t * k)]), 0.0);
            }
        }

        double violation = NonNegativeCoordinateSweep.Rows(f, k, gram, cross, l1, order, 1, rows);

        Assert.Equal(expected, f);
        Assert.Equal(expectedViolation, violation, 1e-12 * Math.Max(1.0, expectedViolation));
    }
}
