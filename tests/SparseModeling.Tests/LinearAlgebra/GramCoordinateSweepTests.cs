// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class GramCoordinateSweepTests
{
    [Theory]
    [InlineData(1, 1, 0.0)]
    [InlineData(3, 2, 0.0)]
    [InlineData(17, 5, 0.0)]
    [InlineData(40, 1, 0.5)]
    [InlineData(53, 10, 0.0)]
    [InlineData(53, 10, 0.25)]
    [InlineData(100, 24, 0.0)]
    [InlineData(37, 40, 1.5)]
    public void NonNegativeRows_MatchesScalarCoordinateDescent(int rows, int k, double l2)
    {
        // A Gram matrix G = A·Aᵀ (symmetric, positive diagonal) and cross products of either sign, so that some entries clip at 0.
        var gram = RandomGram(k, 1);
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
                // The ridge term l2·f[t] summed with the diagonal, as scikit-learn adds l2 to the Gram matrix's diagonal.
                double grad = -(cross[t + (i * k)] - l1);
                for (int r = 0; r < k; r++)
                {
                    grad = Kernels.MultiplyAdd(r == t ? gram[t + (t * k)] + l2 : gram[r + (t * k)], row[r], grad);
                }

                expectedViolation += Math.Abs(row[t] == 0.0 ? Math.Min(grad, 0.0) : grad);
                row[t] = Math.Max(row[t] - (grad / (gram[t + (t * k)] + l2)), 0.0);
            }
        }

        var gramBefore = (double[])gram.Clone();
        double violation = GramCoordinateSweep.NonNegativeRows(f, k, gram, cross, l1, l2, order, 1, rows);

        Assert.Equal(expected, f);
        Assert.Equal(expectedViolation, violation, 1e-12 * Math.Max(1.0, expectedViolation));
        Assert.Equal(gramBefore, gram);
    }

    [Theory]
    [InlineData(1, false, 0.0, 0.3)]
    [InlineData(5, false, 0.0, 0.3)]
    [InlineData(5, true, 0.0, 0.3)]
    [InlineData(16, false, 0.7, 0.05)]
    [InlineData(16, true, 0.7, 0.05)]
    [InlineData(33, false, 0.0, 0.0)]
    [InlineData(33, true, 0.2, 1e3)]
    public void ElasticNetPass_MatchesScalarLoopPerLane(int k, bool positive, double l2, double l1)
    {
        // Lanes of different kinds: a warm start of either sign (some entries −0), a cold start, and an empty lane (all zeros),
        // on G = A·Aᵀ with one zero column and row (a coordinate every pass skips) and correlations of either sign.
        int lanes = GramCoordinateSweep.SignalLanes;
        var gram = RandomGram(k, 4);
        int dead = k / 2;
        for (int r = 0; r < k; r++)
        {
            gram[r + (dead * k)] = 0.0;
            gram[dead + (r * k)] = 0.0;
        }

        var codes = new double[lanes][];
        var correlations = new double[lanes][];
        for (int l = 0; l < lanes; l++)
        {
            correlations[l] = Reference.Random(k, 10 + l, -0.5).Select(v => 4.0 * v).ToArray();
            codes[l] = (l % 3) switch
            {
                0 => Reference.Random(k, 20 + l).Select((v, t) => t % 4 == 1 ? -0.0 : positive ? Math.Abs(v) : v).ToArray(),
                1 => new double[k],
                _ => new double[k],
            };
            if (l % 3 == 2)
            {
                correlations[l] = new double[k];
            }
        }

        var w = new double[k * lanes];
        var hw = new double[k * lanes];
        var q = new double[k * lanes];
        var products = new double[lanes][];
        for (int l = 0; l < lanes; l++)
        {
            products[l] = new double[k];
            for (int t = 0; t < k; t++)
            {
                for (int r = 0; r < k; r++)
                {
                    products[l][t] = Kernels.MultiplyAdd(gram[t + (r * k)], codes[l][r], products[l][t]);
                }

                w[(t * lanes) + l] = codes[l][t];
                hw[(t * lanes) + l] = products[l][t];
                q[(t * lanes) + l] = correlations[l][t];
            }
        }

        var change = new double[lanes];
        var magnitude = new double[lanes];
        var gramBefore = (double[])gram.Clone();
        for (int pass = 0; pass < 3; pass++)
        {
            GramCoordinateSweep.ElasticNetPass(w, hw, q, k, gram, l1, l2, positive, change, magnitude);
            for (int l = 0; l < lanes; l++)
            {
                var (expectedChange, expectedMagnitude) = ScalarPass(codes[l], products[l], correlations[l], k, gram, l1, l2, positive);
                for (int t = 0; t < k; t++)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(codes[l][t]), BitConverter.DoubleToInt64Bits(w[(t * lanes) + l]));
                    Assert.Equal(products[l][t], hw[(t * lanes) + l]);
                }

                Assert.Equal(expectedChange, change[l]);
                Assert.Equal(expectedMagnitude, magnitude[l]);
            }
        }

        Assert.Equal(gramBefore, gram);
        Assert.Contains(codes, c => c.Any(v => v != 0.0));
        if (l1 > 100)
        {
            // Every coordinate but the skipped one is thresholded to 0.
            Assert.All(codes, c => Assert.All(c.Where((_, t) => t != dead), v => Assert.Equal(0.0, v)));
        }
    }

    /// <summary>scikit-learn's Gram coordinate-descent pass for one problem, written out with scalars.</summary>
    private static (double Change, double Magnitude) ScalarPass(double[] w, double[] hw, double[] q, int k, double[] gram, double l1, double l2, bool positive)
    {
        double change = 0.0, magnitude = 0.0;
        for (int t = 0; t < k; t++)
        {
            double gtt = gram[t + (t * k)];
            if (gtt == 0.0)
            {
                continue;
            }

            double old = w[t];
            double tmp = q[t] - hw[t] + (old * gtt);
            double updated = positive && tmp < 0.0 ? 0.0 : Kernels.SoftThreshold(tmp, l1) / (gtt + l2);
            if (updated != old)
            {
                for (int r = 0; r < k; r++)
                {
                    hw[r] = Kernels.MultiplyAdd(updated - old, gram[r + (t * k)], hw[r]);
                }

                w[t] = updated;
            }

            change = Math.Max(change, Math.Abs(updated - old));
            magnitude = Math.Max(magnitude, Math.Abs(updated));
        }

        return (change, magnitude);
    }

    [Fact]
    public void ElasticNetPass_ShortSpans_Throw()
    {
        int lanes = GramCoordinateSweep.SignalLanes;
        var e = Assert.Throws<ArgumentException>(() => GramCoordinateSweep.ElasticNetPass(new double[(3 * lanes) - 1], new double[3 * lanes], new double[3 * lanes], 3, new double[9], 0.1, 0.0, false, new double[lanes], new double[lanes]));
        Assert.Contains("3 components", e.Message, StringComparison.Ordinal);
    }

    /// <summary>G = A·Aᵀ for a random k × (k + 3) matrix A: symmetric with a positive diagonal.</summary>
    private static double[] RandomGram(int k, int seed)
    {
        var a = Reference.Random(k * (k + 3), seed);
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

        return gram;
    }
}
