// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class FactorGemmTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int n in new[] { 0, 1, 7, 33 })
        {
            foreach (int m in new[] { 0, 1, 7, 33 })
            {
                foreach (int k in new[] { 1, 2, 7, 8, 9, 16, 17, 20, 24, 25 })
                {
                    data.Add(n, m, k);
                }
            }
        }

        data.Add(1000, 9, 20);
        data.Add(9, 1000, 20);
        data.Add(301, 257, 25);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FactorTransposedTimes_MatchesScalarLoop(int n, int m, int k)
    {
        foreach (bool accumulate in new[] { false, true })
        {
            // Unaligned: every operand starts one element into its array; X has a leading dimension above n.
            int ldx = n + 3;
            var f = Reference.Random((k * n) + 1, 1);
            var x = Reference.Random((ldx * m) + 1, 2);
            var c = Reference.Random((k * m) + 2, 3);
            var before = (double[])c.Clone();
            FactorGemm.FactorTransposedTimes(k, n, m, f.AsSpan(1), x.AsSpan(1), ldx, c.AsSpan(1, k * m), accumulate);
            for (int j = 0; j < m; j++)
            {
                for (int t = 0; t < k; t++)
                {
                    double sum = accumulate ? before[1 + t + (j * k)] : 0.0, magnitude = Math.Abs(sum);
                    for (int i = 0; i < n; i++)
                    {
                        double term = f[1 + t + (i * k)] * x[1 + i + (j * ldx)];
                        sum += term;
                        magnitude += Math.Abs(term);
                    }

                    Reference.Close(sum, c[1 + t + (j * k)], (1e-14 * (n + 1) * magnitude) + 1e-300);
                }
            }

            Assert.Equal(before[0], c[0]);
            Assert.Equal(before[^1], c[^1]);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FactorTimesTransposed_MatchesScalarLoop(int n, int m, int k)
    {
        foreach (bool accumulate in new[] { false, true })
        {
            int ldx = n + 2;
            var f = Reference.Random((k * m) + 1, 4);
            var x = Reference.Random((ldx * m) + 1, 5);
            var c = Reference.Random((k * n) + 2, 6);
            var before = (double[])c.Clone();
            FactorGemm.FactorTimesTransposed(k, n, m, f.AsSpan(1), x.AsSpan(1), ldx, c.AsSpan(1, k * n), accumulate);
            for (int i = 0; i < n; i++)
            {
                for (int t = 0; t < k; t++)
                {
                    double sum = accumulate ? before[1 + t + (i * k)] : 0.0, magnitude = Math.Abs(sum);
                    for (int j = 0; j < m; j++)
                    {
                        double term = f[1 + t + (j * k)] * x[1 + i + (j * ldx)];
                        sum += term;
                        magnitude += Math.Abs(term);
                    }

                    Reference.Close(sum, c[1 + t + (i * k)], (1e-14 * (m + 1) * magnitude) + 1e-300);
                }
            }

            Assert.Equal(before[0], c[0]);
            Assert.Equal(before[^1], c[^1]);
        }
    }

    [Fact]
    public void FactorTransposedTimes_ParallelAndSerialAgreeBitForBit()
    {
        // 20×2000 by 2000×64 is split over the cores; columns 32..35 alone are computed serially and must agree exactly.
        int k = 20, n = 2000, m = 64;
        var f = Reference.Random(k * n, 7);
        var x = Reference.Random(n * m, 8);
        var all = new double[k * m];
        FactorGemm.FactorTransposedTimes(k, n, m, f, x, n, all);
        var part = new double[k * 4];
        FactorGemm.FactorTransposedTimes(k, n, 4, f, x.AsSpan(32 * n), n, part);
        Assert.Equal(all.AsSpan(32 * k, 4 * k).ToArray(), part);
    }

    [Fact]
    public void FactorTimesTransposed_ParallelAndSerialAgreeBitForBit()
    {
        // 20×2000 times (64×2000)ᵀ is split over the cores; rows 32..35 of X alone are computed serially and must agree exactly.
        int k = 20, n = 64, m = 2000;
        var f = Reference.Random(k * m, 9);
        var x = Reference.Random(n * m, 10);
        var all = new double[k * n];
        FactorGemm.FactorTimesTransposed(k, n, m, f, x, n, all);
        var part = new double[k * 4];
        FactorGemm.FactorTimesTransposed(k, 4, m, f, x.AsSpan(32), n, part);
        Assert.Equal(all.AsSpan(32 * k, 4 * k).ToArray(), part);
    }

    [Fact]
    public void FactorTransposedTimes_ShortSpan_Throws()
    {
        Assert.Throws<ArgumentException>(() => FactorGemm.FactorTransposedTimes(3, 4, 5, new double[12], new double[19], 4, new double[15]));
        Assert.Throws<ArgumentException>(() => FactorGemm.FactorTimesTransposed(3, 4, 5, new double[15], new double[20], 3, new double[12]));
    }
}
