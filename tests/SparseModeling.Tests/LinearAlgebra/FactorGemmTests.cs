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
        data.Add(301, 257, 50);
        data.Add(205, 45, 53);
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

    /// <summary>
    /// Every K from 1 to 32 and a few past one group of 24 (the 256-bit kernel slices a group into 1 to 3 vectors, the 128-bit one
    /// into 4 components), column counts on both sides of a multiple of 4, and sums crossing the blocks of 96 and 8 steps.
    /// </summary>
    public static TheoryData<int, int, int> EveryK()
    {
        var data = new TheoryData<int, int, int>();
        var ks = Enumerable.Range(1, 32).Concat([47, 48, 49, 52]);
        foreach (int k in ks)
        {
            data.Add(k, 193, 4 + (k % 6));
            data.Add(k, 17, 3);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryK))]
    public void EveryK_BothProducts_MatchScalarLoop(int k, int steps, int columns)
    {
        foreach (bool accumulate in new[] { false, true })
        {
            // Wᵀ·X with X steps×columns, then H·Xᵀ with X columns×steps: the same sums, X read down and across.
            int ldx = steps + 1;
            var f = Reference.Random(k * steps, 11);
            var x = Reference.Random(ldx * columns, 12);
            var c = Reference.Random(k * columns, 13);
            var before = (double[])c.Clone();
            FactorGemm.FactorTransposedTimes(k, steps, columns, f, x, ldx, c, accumulate);
            Check(k, steps, columns, f, (i, j) => x[i + (j * ldx)], accumulate ? before : null, c);

            int ldxt = columns + 2;
            var xt = Reference.Random(ldxt * steps, 14);
            c = (double[])before.Clone();
            FactorGemm.FactorTimesTransposed(k, columns, steps, f, xt, ldxt, c, accumulate);
            Check(k, steps, columns, f, (i, j) => xt[j + (i * ldxt)], accumulate ? before : null, c);
        }

        static void Check(int k, int steps, int columns, double[] f, Func<int, int, double> y, double[]? before, double[] c)
        {
            for (int j = 0; j < columns; j++)
            {
                for (int t = 0; t < k; t++)
                {
                    double sum = before is null ? 0.0 : before[t + (j * k)], magnitude = Math.Abs(sum);
                    for (int i = 0; i < steps; i++)
                    {
                        double term = f[t + (i * k)] * y(i, j);
                        sum += term;
                        magnitude += Math.Abs(term);
                    }

                    Reference.Close(sum, c[t + (j * k)], (1e-14 * (steps + 1) * magnitude) + 1e-300);
                }
            }
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
