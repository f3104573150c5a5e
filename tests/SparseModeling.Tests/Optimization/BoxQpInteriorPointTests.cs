// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.Optimization;

namespace SparseModeling.Tests.Optimization;

public class BoxQpInteriorPointTests
{
    /// <summary>The difference filter of order <paramref name="order"/> and the Toeplitz row of DDᵀ, its autocorrelation.</summary>
    private static double[] DifferenceToeplitz(int order)
    {
        double[] filter = order switch
        {
            1 => [-1.0, 1.0],
            2 => [1.0, -2.0, 1.0],
            3 => [-1.0, 3.0, -3.0, 1.0],
            _ => throw new ArgumentOutOfRangeException(nameof(order)),
        };
        var row = new double[filter.Length];
        for (int lag = 0; lag < filter.Length; lag++)
        {
            for (int l = 0; l + lag < filter.Length; l++)
            {
                row[lag] += filter[l] * filter[l + lag];
            }
        }

        return row;
    }

    /// <summary>A·x for the symmetric Toeplitz band matrix with first row <paramref name="row"/>, in plain loops.</summary>
    private static double[] Multiply(double[] row, double[] x)
    {
        int m = x.Length;
        var y = new double[m];
        for (int i = 0; i < m; i++)
        {
            for (int j = Math.Max(0, i - row.Length + 1); j <= Math.Min(m - 1, i + row.Length - 1); j++)
            {
                y[i] += row[Math.Abs(i - j)] * x[j];
            }
        }

        return y;
    }

    private static double Objective(double[] row, double[] b, double[] x)
    {
        var ax = Multiply(row, x);
        double q = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            q += (0.5 * x[i] * ax[i]) - (b[i] * x[i]);
        }

        return q;
    }

    /// <summary>
    /// The independent solve: cyclic coordinate descent on the box QP, each coordinate minimised exactly and clipped to the
    /// box (it converges for a positive definite A), run until a sweep changes nothing beyond 1e-15.
    /// </summary>
    private static double[] CoordinateDescent(double[] row, double[] b, double lambda)
    {
        int m = b.Length, w = row.Length - 1;
        var x = new double[m];
        for (int sweep = 0; sweep < 2_000_000; sweep++)
        {
            double change = 0.0;
            for (int i = 0; i < m; i++)
            {
                double s = b[i];
                for (int j = Math.Max(0, i - w); j <= Math.Min(m - 1, i + w); j++)
                {
                    if (j != i)
                    {
                        s -= row[Math.Abs(i - j)] * x[j];
                    }
                }

                double v = Math.Clamp(s / row[0], -lambda, lambda);
                change = Math.Max(change, Math.Abs(v - x[i]));
                x[i] = v;
            }

            if (change <= 1e-15)
            {
                break;
            }
        }

        return x;
    }

    [Theory]
    [InlineData(1, 0.5)] // half-bandwidth 1 and 3: the general factor; 2: the pentadiagonal one
    [InlineData(2, 0.5)]
    [InlineData(2, 5.0)]
    [InlineData(3, 2.0)]
    public void Solve_TrendFilteringDual_MatchesCoordinateDescent(int order, double lambda)
    {
        const int m = 60;
        var rng = new SplitMix64((ulong)(order * 10) + 3);
        var b = new double[m];
        for (int i = 0; i < m; i++)
        {
            b[i] = 3.0 * rng.NextNormal();
        }

        var row = DifferenceToeplitz(order);
        var nu = new double[m];
        var result = BoxQpInteriorPoint.Solve(row, b, lambda, 1e-12, 100, nu, default);
        var reference = CoordinateDescent(row, b, lambda);

        Assert.True(result.Converged, $"{result}");
        Assert.True(result.Iterations is > 0 and < 60, $"{result}");
        Assert.All(nu, v => Assert.True(Math.Abs(v) < lambda, $"ν = {v} outside the open box"));
        int active = reference.Count(v => Math.Abs(v) == lambda);
        Assert.True(active > 0 && active < m, $"the case should have some bounds active and some not: {active} of {m}");
        double optimum = Objective(row, b, reference), found = Objective(row, b, nu);
        Assert.True(found - optimum <= 1e-10 * Math.Abs(optimum), $"q = {found:R}, optimum {optimum:R}");
        for (int i = 0; i < m; i++)
        {
            Assert.True(Math.Abs(nu[i] - reference[i]) <= 1e-4 * lambda, $"ν[{i}] = {nu[i]:R}, reference {reference[i]:R}");
        }
    }

    [Fact]
    public void Solve_ReportedGap_BoundsTheSuboptimality()
    {
        // Stopped early at a loose tolerance, the reported relative gap must still bound how far the objective is from
        // the optimum (the certificate the trend-filtering tolerance relies on), relative to ½νᵀAν + λ‖b − Aν‖₁.
        const int m = 80;
        const double lambda = 1.0;
        var rng = new SplitMix64(17);
        var b = new double[m];
        for (int i = 0; i < m; i++)
        {
            b[i] = 2.0 * rng.NextNormal();
        }

        var row = DifferenceToeplitz(2);
        double optimum = Objective(row, b, CoordinateDescent(row, b, lambda));
        foreach (int steps in new[] { 2, 4, 6 })
        {
            var nu = new double[m];
            var result = BoxQpInteriorPoint.Solve(row, b, lambda, 0.0, steps, nu, default);
            var g = Multiply(row, nu).Select((v, i) => b[i] - v).ToArray();
            double scale = (0.5 * nu.Zip(Multiply(row, nu), (x, y) => x * y).Sum()) + (lambda * g.Sum(Math.Abs));
            double suboptimality = Objective(row, b, nu) - optimum;
            Assert.False(result.Converged);
            Assert.True(suboptimality >= -1e-12 && suboptimality <= result.RelativeGap * scale * (1 + 1e-9), $"{steps} steps: q − q* = {suboptimality:R}, gap {result.RelativeGap * scale:R}");
        }
    }

    [Fact]
    public void Solve_ToleranceZero_StopsWhereRoundingStopsProgress()
    {
        // Tolerance 0 cannot be met: the method must stop on its own (no overflow, no exception) with the best iterate,
        // a gap at rounding level, long before the step limit.
        const int m = 2000;
        var rng = new SplitMix64(5);
        var b = new double[m];
        for (int i = 0; i < m; i++)
        {
            b[i] = rng.NextNormal();
        }

        var nu = new double[m];
        var result = BoxQpInteriorPoint.Solve(DifferenceToeplitz(2), b, 0.5, 0.0, 10_000, nu, default);
        Assert.False(result.Converged);
        Assert.True(result.Iterations < 100, $"{result}");
        Assert.True(result.RelativeGap < 1e-10, $"{result}");
        Assert.All(nu, v => Assert.True(double.IsFinite(v) && Math.Abs(v) <= 0.5));
    }

    [Theory]
    [InlineData(1)] // the general factor
    [InlineData(2)] // the pentadiagonal one: from the top below TwoEndedMinimum rows, from both ends from it on
    [InlineData(3)]
    public void LdlFactor_BothSolves_SatisfyTheSystem(int order)
    {
        var row = DifferenceToeplitz(order);
        foreach (int m in (int[])[1, 2, 3, 7, 8, 9, 10, 11, 16, 17, 100, 1001])
        {
            var rng = new SplitMix64((ulong)((m * 7) + order));
            var delta = new double[m];
            var rhs = new double[m];
            var other = new double[m];
            for (int i = 0; i < m; i++)
            {
                // Diagonals from tiny (A nearly singular) to large (rows nearly decoupled), as the interior point's are.
                delta[i] = Math.Pow(10.0, (6.0 * rng.NextDouble()) - 4.0);
                rhs[i] = rng.NextNormal();
                other[i] = rng.NextNormal();
            }

            var factor = new BoxQpInteriorPoint.LdlFactor(m, row.Length - 1);
            var x = new double[m];
            Assert.True(factor.Factor(row[0], row[1..], delta, rhs, x));
            factor.Backward(x);
            AssertSolves(row, delta, rhs, x, $"m = {m}, fused forward sweep");
            var y = (double[])other.Clone();
            factor.Solve(y);
            AssertSolves(row, delta, other, y, $"m = {m}, Solve");
        }
    }

    /// <summary>(A + diag(δ))·x = b to rounding, relative to the size of the terms.</summary>
    private static void AssertSolves(double[] row, double[] delta, double[] b, double[] x, string what)
    {
        var ax = Multiply(row, x);
        for (int i = 0; i < b.Length; i++)
        {
            double residual = ax[i] + (delta[i] * x[i]) - b[i];
            double scale = Math.Abs(b[i]) + (Math.Abs(delta[i] * x[i])) + (row.Sum(Math.Abs) * x.Max(Math.Abs));
            Assert.True(Math.Abs(residual) <= 1e-10 * scale, $"{what}: residual {residual:R} at row {i} (scale {scale:R})");
        }
    }
}
