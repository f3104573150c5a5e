// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class GramTests
{
    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 1)]
    [InlineData(7, 5)]
    [InlineData(33, 40)]
    [InlineData(257, 130)]
    [InlineData(120, 300)]
    [InlineData(5, 0)]
    public void Compute_Random_MatchesNaiveAndIsSymmetric(int rows, int cols)
    {
        int ldx = rows + 2;
        var x = Reference.Random(ldx * Math.Max(cols, 1), 1);
        var g = new double[cols * cols];
        g.AsSpan().Fill(double.NaN);
        var expected = Reference.Gemm(true, false, cols, cols, rows, 1.0, x, ldx, x, ldx, 0.0, new double[Math.Max(cols * cols, 1)], Math.Max(cols, 1), out var magnitude);
        Gram.Compute(rows, cols, x, ldx, g);
        for (int j = 0; j < cols; j++)
        {
            for (int i = 0; i < cols; i++)
            {
                int index = i + (j * cols);
                Reference.Close(expected[index], g[index], (1e-14 * (rows + 1) * magnitude[index]) + 1e-300);
                Assert.Equal(g[j + (i * cols)], g[index]);
            }
        }
    }

    [Fact]
    public void Compute_ShortOutput_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Gram.Compute(2, 3, new double[6], 2, new double[8]));
        Assert.Equal("g", error.ParamName);
    }
}
