// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Optimization;
using SparseModeling.Tests.LinearAlgebra;

namespace SparseModeling.Tests.Optimization;

public class ProximalOperatorTests
{
    /// <summary>g(z) + (1/(2t))‖z − v‖², the function every prox minimises.</summary>
    private static double ProxObjective(IProximalOperator g, double[] z, double[] v, double t)
    {
        double d = 0.0;
        for (int i = 0; i < z.Length; i++)
        {
            d += (z[i] - v[i]) * (z[i] - v[i]);
        }

        return g.Value(z) + (d / (2.0 * t));
    }

    /// <summary>The prox's result beats random perturbations of itself (a brute-force check of the argmin).</summary>
    private static void AssertMinimisesAgainstPerturbations(IProximalOperator g, double[] z, double[] v, double t, Func<double[], double[]>? project = null)
    {
        double best = ProxObjective(g, z, v, t);
        var rng = new Random(17);
        foreach (double scale in new[] { 1e-1, 1e-3, 1e-6 })
        {
            for (int trial = 0; trial < 200; trial++)
            {
                var candidate = z.Select(value => value + (scale * (rng.NextDouble() - 0.5))).ToArray();
                candidate = project?.Invoke(candidate) ?? candidate;
                Assert.True(ProxObjective(g, candidate, v, t) >= best - 1e-13, $"a perturbation of size {scale} lowers the prox objective");
            }
        }
    }

    [Fact]
    public void SoftThreshold_RandomVector_SatisfiesSubgradientConditions()
    {
        const double lambda = 0.3, t = 0.7;
        var v = Reference.Random(200, 1, -0.5).Select(x => 2 * x).ToArray();
        var z = new double[v.Length];
        var prox = new SoftThresholdProx(lambda);
        prox.Apply(v, t, z);
        for (int i = 0; i < v.Length; i++)
        {
            // (v − z)/t ∈ λ·∂|z|
            double g = (v[i] - z[i]) / t;
            if (z[i] == 0.0)
            {
                Assert.True(Math.Abs(g) <= lambda + 1e-15);
            }
            else
            {
                Assert.Equal(lambda * Math.Sign(z[i]), g, 1e-14);
            }
        }

        Assert.Contains(z, value => value == 0.0);
        Assert.Contains(z, value => value != 0.0);
        AssertMinimisesAgainstPerturbations(prox, z, v, t);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public void NonNegative_RandomVector_SatisfiesOptimalityOnTheOrthant(double lambda)
    {
        const double t = 0.5;
        var v = Reference.Random(100, 2, -0.5);
        var z = new double[v.Length];
        var prox = new NonNegativeSoftThresholdProx(lambda);
        prox.Apply(v, t, z);
        for (int i = 0; i < v.Length; i++)
        {
            Assert.True(z[i] >= 0.0);
            double g = (v[i] - z[i]) / t;
            if (z[i] > 0.0)
            {
                Assert.Equal(lambda, g, 1e-14);
            }
            else
            {
                // At z = 0 the normal cone of the orthant adds (−∞, 0]: the condition is g ≤ λ.
                Assert.True(g <= lambda + 1e-15);
            }
        }

        AssertMinimisesAgainstPerturbations(prox, z, v, t, c => c.Select(x => Math.Max(x, 0.0)).ToArray());
    }

    [Fact]
    public void Group_RandomVector_SatisfiesBlockConditionsAndLeavesUngroupedEntries()
    {
        const double lambda = 0.4, t = 0.8;
        var v = Reference.Random(12, 3, -0.5);
        v[0] = 3.0; // group 0 survives; group 2 is tiny and is zeroed
        int[][] groups = [[0, 1, 2], [4, 7], [5, 6, 8, 9]];
        double[] weights = [1.0, Math.Sqrt(2), 2.0];
        v[5] = 1e-3;
        v[6] = -1e-3;
        v[8] = 0.0;
        v[9] = 2e-3;
        var z = new double[v.Length];
        var prox = new GroupSoftThresholdProx(lambda, groups, weights);
        prox.Apply(v, t, z);
        foreach (int i in new[] { 3, 10, 11 })
        {
            Assert.Equal(v[i], z[i]);
        }

        for (int g = 0; g < groups.Length; g++)
        {
            double vNorm = Math.Sqrt(groups[g].Sum(i => v[i] * v[i]));
            double zNorm = Math.Sqrt(groups[g].Sum(i => z[i] * z[i]));
            double threshold = lambda * weights[g];
            if (zNorm == 0.0)
            {
                Assert.True(vNorm / t <= threshold + 1e-15);
            }
            else
            {
                // (v_g − z_g)/t = λc_g·z_g/‖z_g‖
                foreach (int i in groups[g])
                {
                    Assert.Equal(threshold * z[i] / zNorm, (v[i] - z[i]) / t, 1e-13);
                }
            }
        }

        Assert.Equal(0.0, z[5]);
        Assert.NotEqual(0.0, z[0]);
        AssertMinimisesAgainstPerturbations(prox, z, v, t);
    }

    [Fact]
    public void Group_OverlappingGroups_ThrowsNamedArgument()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GroupSoftThresholdProx(1.0, [[0, 1], [1, 2]]));
        Assert.Equal("groups", ex.ParamName);
    }

    [Fact]
    public void SingularValueThreshold_KnownSvd_ShrinksSingularValues()
    {
        // V = U·diag(s)·Wᵀ with orthonormal U (6×4), W (5×4): the prox of λt‖·‖_* keeps U and W and
        // shrinks s by λt, dropping the values below it.
        const int rows = 6, columns = 5;
        const double lambda = 0.5, t = 2.0;
        var u = Matrix<double>.Build.Dense(rows, 4, Reference.Random(rows * 4, 4)).QR().Q.SubMatrix(0, rows, 0, 4);
        var w = Matrix<double>.Build.Dense(columns, 4, Reference.Random(columns * 4, 5)).QR().Q.SubMatrix(0, columns, 0, 4);
        double[] s = [5.0, 2.5, 0.9, 0.3];
        var v = u * Matrix<double>.Build.DenseOfDiagonalArray(s) * w.Transpose();
        var expected = u * Matrix<double>.Build.DenseOfDiagonalArray(s.Select(x => Math.Max(x - (lambda * t), 0.0)).ToArray()) * w.Transpose();
        var prox = new SingularValueThresholdProx(lambda, rows, columns);
        var z = new double[rows * columns];
        prox.Apply(v.ToColumnMajorArray(), t, z);
        Assert.Equal(2, prox.LastRank);
        var actual = expected.ToColumnMajorArray();
        for (int i = 0; i < z.Length; i++)
        {
            Assert.Equal(actual[i], z[i], 1e-12);
        }

        Assert.Equal(lambda * (4.0 + 1.5), prox.Value(z), 1e-12);
        AssertMinimisesAgainstPerturbations(prox, z, v.ToColumnMajorArray(), t);
    }

    [Fact]
    public void Separable_TwoBlocks_AppliesEachProxToItsSlice()
    {
        var v = Reference.Random(10, 6);
        var prox = new SeparableProx((4, new SoftThresholdProx(0.1)), (6, new NonNegativeSoftThresholdProx(0.0)));
        var z = new double[10];
        prox.Apply(v, 1.0, z);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(Math.Sign(v[i]) * Math.Max(Math.Abs(v[i]) - 0.1, 0.0), z[i], 1e-15);
        }

        for (int i = 4; i < 10; i++)
        {
            Assert.Equal(Math.Max(v[i], 0.0), z[i]);
        }

        Assert.Equal(0.1 * z.Take(4).Sum(Math.Abs), prox.Value(z), 1e-15);
    }
}
