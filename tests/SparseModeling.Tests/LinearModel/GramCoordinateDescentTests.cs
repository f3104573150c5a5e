// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class GramCoordinateDescentTests
{
    [Theory]
    [InlineData(1, 12, false, 0.0, 1000)]
    [InlineData(37, 12, false, 0.0, 1000)]
    [InlineData(37, 12, true, 0.0, 1000)]
    [InlineData(50, 30, false, 2.0, 1000)]
    [InlineData(50, 30, true, 0.5, 3)]
    [InlineData(23, 64, false, 0.0, 7)]
    [InlineData(9, 100, true, 0.0, 1000)]
    public void SolveMany_EqualsSolveOnEachProblemBitForBit(int problems, int k, bool positive, double l2, int maxIterations)
    {
        // Problems that stop after different numbers of passes (some at the iteration limit), cold and warm starts mixed.
        var (gram, correlations, norms) = Problems(problems, k, 40, 5);
        var starts = new double[problems * k];
        for (int i = 0; i < problems; i += 3)
        {
            for (int t = 0; t < k; t++)
            {
                starts[(i * k) + t] = t % 3 == 0 ? 0.1 * (t + 1) : 0.0;
            }
        }

        var settings = new CoordinateDescentSolver.Settings(0.7, l2, positive, maxIterations, 1e-4, null, null, 40, CancellationToken.None);
        var many = (double[])starts.Clone();
        GramCoordinateDescent.SolveMany(gram, k, correlations, norms, many, settings);

        for (int i = 0; i < problems; i++)
        {
            var one = starts.AsSpan(i * k, k).ToArray();
            GramCoordinateDescent.Solve(gram, correlations.AsSpan(i * k, k), norms[i], k, one, settings);
            for (int t = 0; t < k; t++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(one[t]), BitConverter.DoubleToInt64Bits(many[(i * k) + t]));
            }
        }

        Assert.Contains(many, c => c != 0.0);
    }

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(true, 0.0)]
    [InlineData(false, 1.5)]
    public void SolveMany_SatisfiesOptimalityConditions(bool positive, double l2)
    {
        // At a minimiser of ½cᵀGc − qᵀc + l1‖c‖₁ + ½l2‖c‖², the gradient part g = q − Gc − l2·c has g_t = l1·sign(c_t) on the
        // support and |g_t| ≤ l1 off it (g_t ≤ l1 with c ≥ 0). Solved to a tight gap, the conditions hold to a small slack.
        int problems = 29, k = 20;
        double l1 = 0.5;
        var (gram, correlations, norms) = Problems(problems, k, 60, 9);
        var codes = new double[problems * k];
        var settings = new CoordinateDescentSolver.Settings(l1, l2, positive, 100000, 1e-14, null, null, 60, CancellationToken.None);
        GramCoordinateDescent.SolveMany(gram, k, correlations, norms, codes, settings);

        for (int i = 0; i < problems; i++)
        {
            var c = codes.AsSpan(i * k, k);
            for (int t = 0; t < k; t++)
            {
                double g = correlations[(i * k) + t] - (l2 * c[t]);
                for (int r = 0; r < k; r++)
                {
                    g -= gram[t + (r * k)] * c[r];
                }

                if (c[t] != 0.0)
                {
                    Assert.True(!positive || c[t] > 0.0);
                    Assert.Equal(l1 * Math.Sign(c[t]), g, 1e-5);
                }
                else
                {
                    Assert.True((positive ? g : Math.Abs(g)) <= l1 + 1e-5, $"problem {i}, coordinate {t}: {g} beyond {l1}");
                }
            }
        }
    }

    [Fact]
    public void SolveMany_NonFiniteGap_Throws()
    {
        var gram = new double[] { 1.0, 0.0, 0.0, 1.0 };
        var settings = new CoordinateDescentSolver.Settings(0.1, 0.0, false, 10, 1e-4, null, null, 2, CancellationToken.None);
        var e = Assert.Throws<ArithmeticException>(() => GramCoordinateDescent.SolveMany(gram, 2, [1.0, 2.0, 1e300 * 1e10, 1.0], [5.0, 5.0], new double[4], settings));
        Assert.Contains("non-finite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonNegativeSweep_LeavesTheGramMatrixUnchanged()
    {
        // Was: the NMF sweep added l2 to its caller's Gram diagonal (and HALS subtracted it again between sweeps).
        int k = 6, rows = 700;
        var (gram, _, _) = Problems(1, k, 10, 3);
        var cross = Enumerable.Range(0, k * rows).Select(i => Math.Abs(Math.Sin(i))).ToArray();
        var f = new double[k * rows];
        Array.Fill(f, 0.5);
        var before = (double[])gram.Clone();
        double violation = GramCoordinateDescent.NonNegativeSweep(f, rows, k, gram, cross, 0.01, 0.3, [.. Enumerable.Range(0, k)]);
        Assert.Equal(before, gram);
        Assert.True(violation > 0.0);
    }

    /// <summary>G = DᵀD for a random n×k D, and q = Dᵀy, ‖y‖² for random signals y (one per problem).</summary>
    private static (double[] Gram, double[] Correlations, double[] Norms) Problems(int problems, int k, int n, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var d = Enumerable.Range(0, n * k).Select(_ => rng.NextNormal()).ToArray();
        var gram = new double[k * k];
        Gemm.Multiply(true, false, k, k, n, 1.0, d, n, d, n, 0.0, gram, k);
        var y = Enumerable.Range(0, n * problems).Select(_ => 3.0 * rng.NextNormal()).ToArray();
        var correlations = new double[k * problems];
        Gemm.Multiply(true, false, k, problems, n, 1.0, d, n, y, n, 0.0, correlations, k);
        var norms = Enumerable.Range(0, problems).Select(i => Kernels.SquaredNorm(y.AsSpan(i * n, n))).ToArray();
        return (gram, correlations, norms);
    }
}
