// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class GemvTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int m in Reference.Sizes)
        {
            foreach (int n in new[] { 0, 1, 5, 33 })
            {
                data.Add(m, n, 1 + ((m + n) % 3));
            }
        }

        data.Add(7, 1000, 2);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_GeneralAlphaBeta_MatchesNaive(int m, int n, int offset)
    {
        int lda = m + 2;
        var a = Reference.Random(lda * Math.Max(n, 1), 1);
        var x = Reference.Random(n + offset, 2);
        var y = Reference.Random(m + offset, 3);
        var expected = Reference.Gemm(false, false, m, 1, n, 1.25, a, lda, x[offset..], Math.Max(n, 1), -0.5, y[offset..], Math.Max(m, 1), out var magnitude);
        Gemv.Multiply(m, n, 1.25, a, lda, x.AsSpan(offset), -0.5, y.AsSpan(offset));
        for (int i = 0; i < m; i++)
        {
            Reference.Close(expected[i], y[offset + i], (1e-14 * (n + 1) * magnitude[i]) + 1e-300);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_BetaZeroWithNaN_IgnoresOldY(int m, int n, int offset)
    {
        int lda = m + 1;
        var a = Reference.Random(lda * Math.Max(n, 1), 4);
        var x = Reference.Random(n + offset, 5);
        var y = new double[m + offset];
        y.AsSpan().Fill(double.NaN);
        var expected = Reference.Gemm(false, false, m, 1, n, 0.75, a, lda, x[offset..], Math.Max(n, 1), 0.0, new double[Math.Max(m, 1)], Math.Max(m, 1), out var magnitude);
        Gemv.Multiply(m, n, 0.75, a, lda, x.AsSpan(offset), 0.0, y.AsSpan(offset));
        for (int i = 0; i < m; i++)
        {
            Reference.Close(expected[i], y[offset + i], (1e-14 * (n + 1) * magnitude[i]) + 1e-300);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyTransposed_GeneralAlphaBeta_MatchesNaive(int m, int n, int offset)
    {
        int lda = m + 3;
        var a = Reference.Random(lda * Math.Max(n, 1), 6);
        var x = Reference.Random(m + offset, 7);
        var y = Reference.Random(n + offset, 8);
        var expected = Reference.Gemm(true, false, n, 1, m, -1.5, a, lda, x[offset..], Math.Max(m, 1), 0.25, y[offset..], Math.Max(n, 1), out var magnitude);
        Gemv.MultiplyTransposed(m, n, -1.5, a, lda, x.AsSpan(offset), 0.25, y.AsSpan(offset));
        for (int j = 0; j < n; j++)
        {
            Reference.Close(expected[j], y[offset + j], (1e-14 * (m + 1) * magnitude[j]) + 1e-300);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyTransposed_BetaZeroWithNaN_IgnoresOldY(int m, int n, int offset)
    {
        int lda = Math.Max(m, 1);
        var a = Reference.Random(lda * Math.Max(n, 1), 9);
        var x = Reference.Random(m + offset, 10);
        var y = new double[n + offset];
        y.AsSpan().Fill(double.NaN);
        var expected = Reference.Gemm(true, false, n, 1, m, 1.0, a, lda, x[offset..], Math.Max(m, 1), 0.0, new double[Math.Max(n, 1)], Math.Max(n, 1), out var magnitude);
        Gemv.MultiplyTransposed(m, n, 1.0, a, lda, x.AsSpan(offset), 0.0, y.AsSpan(offset));
        for (int j = 0; j < n; j++)
        {
            Reference.Close(expected[j], y[offset + j], (1e-14 * (m + 1) * magnitude[j]) + 1e-300);
        }
    }

    /// <summary>Every length up to two 512-bit vectors plus a tail, and column counts on both sides of a multiple of 4.</summary>
    public static TheoryData<int, int> Edges()
    {
        var data = new TheoryData<int, int>();
        for (int m = 0; m <= 19; m++)
        {
            foreach (int n in new[] { 3, 4, 5, 8, 9 })
            {
                data.Add(m, n);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void BothDirections_EveryLength_MatchNaive(int m, int n)
    {
        int lda = m + 1;
        var a = Reference.Random(lda * n, 11);
        var x = Reference.Random(Math.Max(m, n), 12);
        var y = Reference.Random(Math.Max(m, n), 13);
        var expected = Reference.Gemm(false, false, m, 1, n, 0.5, a, lda, x, Math.Max(n, 1), 2.0, y, Math.Max(m, 1), out var magnitude);
        var result = (double[])y.Clone();
        Gemv.Multiply(m, n, 0.5, a, lda, x, 2.0, result);
        for (int i = 0; i < m; i++)
        {
            Reference.Close(expected[i], result[i], (1e-14 * (n + 1) * magnitude[i]) + 1e-300);
        }

        expected = Reference.Gemm(true, false, n, 1, m, 0.5, a, lda, x, Math.Max(m, 1), 2.0, y, Math.Max(n, 1), out magnitude);
        result = (double[])y.Clone();
        Gemv.MultiplyTransposed(m, n, 0.5, a, lda, x, 2.0, result);
        for (int j = 0; j < n; j++)
        {
            Reference.Close(expected[j], result[j], (1e-14 * (m + 1) * magnitude[j]) + 1e-300);
        }
    }

    [Fact]
    public void Multiply_ShortX_ThrowsNamingX()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemv.Multiply(2, 3, 1.0, new double[6], 2, new double[2], 0.0, new double[2]));
        Assert.Equal("x", error.ParamName);
    }
}
