// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class NarrowGemmTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int m in new[] { 0, 1, 7, 33, 257 })
        {
            foreach (int n in new[] { 0, 1, 5, 8, 131 })
            {
                foreach (int k in new[] { 1, 3, 4, 9 })
                {
                    data.Add(m, n, k);
                }
            }
        }

        data.Add(600, 2001, 8);

        // Every length up to two 512-bit vectors plus a tail, through the 4×4 blocks and the column edges.
        for (int m = 2; m <= 19; m++)
        {
            data.Add(m, 6, 5);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyTransposed_MatchesNaive(int m, int n, int k)
    {
        int lda = m + 1, ldb = m + 3, ldc = n + 2;
        var a = Reference.Random(lda * Math.Max(n, 1), 1);
        var b = Reference.Random(ldb * k, 2);
        var c = Reference.Random(ldc * k, 3);
        var untouched = (double[])c.Clone();
        var expected = Reference.Gemm(true, false, n, k, m, 1.0, a, lda, b, ldb, 0.0, c, ldc, out var magnitude);
        NarrowGemm.MultiplyTransposed(m, n, k, a, lda, b, ldb, c, ldc);
        for (int q = 0; q < k; q++)
        {
            for (int j = 0; j < ldc; j++)
            {
                int at = j + (q * ldc);
                if (j < n)
                {
                    Reference.Close(expected[at], c[at], (1e-14 * (m + 1) * magnitude[at]) + 1e-300);
                }
                else
                {
                    Assert.Equal(untouched[at], c[at]);
                }
            }
        }
    }

    [Fact]
    public void MultiplyTransposed_ParallelAndSerialAgreeBitForBit()
    {
        // 600×2001 by 8 is split over the cores; each entry must equal the one computed alone.
        int m = 600, n = 2001, k = 8;
        var a = Reference.Random(m * n, 4);
        var b = Reference.Random(m * k, 5);
        var c = new double[n * k];
        NarrowGemm.MultiplyTransposed(m, n, k, a, m, b, m, c, n);
        var single = new double[4 * k];
        for (int j0 = 0; j0 < n; j0 += 4 * 97)
        {
            int width = Math.Min(4, n - j0);
            NarrowGemm.MultiplyTransposed(m, width, k, a.AsSpan(j0 * m), m, b, m, single, 4);
            for (int q = 0; q < k; q++)
            {
                for (int j = 0; j < width; j++)
                {
                    Assert.Equal(c[j0 + j + (q * n)], single[j + (q * 4)]);
                }
            }
        }
    }
}
