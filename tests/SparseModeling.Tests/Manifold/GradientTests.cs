// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.Manifold;

namespace SparseModeling.Tests.Manifold;

/// <summary>
/// The gradient plug-ins: the exact gradient against finite differences of the divergence it reports (so both are right), the
/// Barnes–Hut and FFT gradients against a brute-force sum over the same sparse P, and all of them independent of the threads.
/// </summary>
public class GradientTests
{
    [Theory]
    [InlineData(2, 1.0, 1.0)]
    [InlineData(2, 1.0, 12.0)]
    [InlineData(3, 2.0, 1.0)]
    [InlineData(2, 0.5, 4.0)]
    public void Exact_MatchesFiniteDifferencesOfTheDivergence(int dims, double nu, double exaggeration)
    {
        int n = 15;
        var points = AffinitiesTests.RandomPoints(n, 4, 41);
        var gradient = new ExactGradient(Affinities.JointDense(points, 4.0), n, dims, new StudentT(nu));
        var y = RandomEmbedding(n, dims, 3.0, 42);
        var g = new double[y.Length];
        gradient.Evaluate(y, g, exaggeration, computeError: true);
        var scratch = new double[y.Length];
        for (int e = 0; e < y.Length; e++)
        {
            double h = 1e-6;
            var plus = (double[])y.Clone();
            var minus = (double[])y.Clone();
            plus[e] += h;
            minus[e] -= h;
            double numeric = (gradient.Evaluate(plus, scratch, exaggeration, true) - gradient.Evaluate(minus, scratch, exaggeration, true)) / (2.0 * h);

            // The divergence reported is Σ α·p·log(α·p/q): its gradient is α times that of KL(P ‖ Q) at the exaggerated
            // attraction only, so compare the one the solver uses with exaggeration 1.
            if (exaggeration == 1.0)
            {
                Assert.True(Math.Abs(numeric - g[e]) <= 1e-6 * (1e-3 + Math.Abs(g[e])), $"coordinate {e}: numeric {numeric}, analytic {g[e]}");
            }
        }

        if (exaggeration != 1.0)
        {
            // With α ≠ 1 the gradient is (2(ν+1)/ν)·Σ (α·p − q)·u·(y_i − y_j): the derivative of α·KL(P‖Q) + (1 − α)·log Z.
            var g1 = new double[y.Length];
            gradient.Evaluate(y, g1, 1.0, computeError: false);
            var attractionOnly = new double[y.Length];
            var zero = new ExactGradient(new double[n * n], n, dims, new StudentT(nu));
            zero.Evaluate(y, attractionOnly, 1.0, false); // the repulsion alone: −(2(ν+1)/ν)·Σ q·u·(y_i − y_j)
            for (int e = 0; e < y.Length; e++)
            {
                double expected = (exaggeration * (g1[e] - attractionOnly[e])) + attractionOnly[e];
                Assert.Equal(expected, g[e], 1e-12 * (1.0 + Math.Abs(expected)));
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void BarnesHut_AtAngleZero_IsTheBruteForceGradient(int dims)
    {
        var (p, y) = SparseProblem(400, dims, 43);
        var g = new double[y.Length];
        double divergence = new BarnesHutGradient(p, dims, new StudentT(1.0), 0.0).Evaluate(y, g, 2.0, computeError: true);
        var (expected, expectedDivergence) = BruteForce(p, y, dims, new StudentT(1.0), 2.0);
        AssertClose(expected, g, 1e-12);
        Assert.Equal(expectedDivergence, divergence, 1e-10);
    }

    [Fact]
    public void BarnesHut_GeneralDegreesOfFreedom_AtAngleZero_IsTheBruteForceGradient()
    {
        var (p, y) = SparseProblem(300, 2, 44);
        var kernel = new StudentT(1.7);
        var g = new double[y.Length];
        new BarnesHutGradient(p, 2, kernel, 0.0).Evaluate(y, g, 1.0, computeError: false);
        AssertClose(BruteForce(p, y, 2, kernel, 1.0).Gradient, g, 1e-12);
    }

    [Fact]
    public void BarnesHut_AtAngleHalf_IsCloseToTheBruteForceGradient()
    {
        var (p, y) = SparseProblem(2000, 2, 45);
        var g = new double[y.Length];
        new BarnesHutGradient(p, 2, new StudentT(1.0), 0.5).Evaluate(y, g, 1.0, computeError: false);
        AssertClose(BruteForce(p, y, 2, new StudentT(1.0), 1.0).Gradient, g, 2e-2);
    }

    /// <summary>
    /// Three-point Lagrange interpolation in boxes of side up to 1 (FIt-SNE's and openTSNE's defaults) approximates the near
    /// field of the kernel to a few percent, as Barnes–Hut at angle 0.5 does; the normaliser Z, a sum of positive terms, to
    /// better than 1% unless the points are sparse.
    /// </summary>
    [Theory]
    [InlineData(1, 1.0, 5.0)]
    [InlineData(2, 1.0, 30.0)]
    [InlineData(2, 1.0, 0.05)]
    [InlineData(2, 1.0, 100.0)]
    [InlineData(2, 3.0, 30.0)]
    public void FftInterpolation_IsCloseToTheBruteForceGradient(int dims, double nu, double spread)
    {
        var (p, y) = SparseProblem(1500, dims, 46, spread);
        var kernel = new StudentT(nu);
        var g = new double[y.Length];
        double divergence = new FftGradient(p, dims, kernel).Evaluate(y, g, 1.0, computeError: true);
        var (expected, expectedDivergence) = BruteForce(p, y, dims, kernel, 1.0);
        AssertClose(expected, g, 4e-2);
        Assert.Equal(expectedDivergence, divergence, 2e-3 * Math.Abs(expectedDivergence));
    }

    [Fact]
    public void Gradients_DoNotDependOnTheDegreeOfParallelism()
    {
        var (p, y) = SparseProblem(3000, 2, 47, 40.0);
        var points = AffinitiesTests.RandomPoints(300, 3, 48);
        var dense = Affinities.JointDense(points, 10.0);
        var small = RandomEmbedding(300, 2, 5.0, 49);
        foreach (var make in new Func<(ITSneGradient Gradient, double[] Y)>[]
                 {
                     () => (new BarnesHutGradient(p, 2, new StudentT(1.0), 0.5), y),
                     () => (new FftGradient(p, 2, new StudentT(1.0)), y),
                     () => (new ExactGradient(dense, 300, 2, new StudentT(1.0)), small),
                 })
        {
            var results = new double[2][];
            int[] degrees = [1, 4];
            for (int r = 0; r < 2; r++)
            {
                using var scope = Parallelism.Enter(degrees[r], CancellationToken.None);
                var (gradient, at) = make();
                var g = new double[at.Length];
                double divergence = gradient.Evaluate(at, g, 1.0, computeError: true);
                results[r] = [.. g, divergence];
            }

            Assert.Equal(results[0], results[1]);
        }
    }

    /// <summary>A sparse P over random data's 3·5 + 1 nearest neighbours, and a random embedding of about <paramref name="spread"/> units.</summary>
    internal static (SparseAffinities P, double[] Y) SparseProblem(int n, int dims, ulong seed, double spread = 10.0)
    {
        var points = AffinitiesTests.RandomPoints(n, 5, seed);
        var graph = ExactNeighbors.Search(points, points, 16, self: true);
        var p = Affinities.Joint(graph, Affinities.Conditional(graph, 5.0));
        return (p, RandomEmbedding(n, dims, spread, seed + 100));
    }

    private static double[] RandomEmbedding(int n, int dims, double spread, ulong seed)
    {
        var rng = new SplitMix64(seed);
        return Enumerable.Range(0, n * dims).Select(_ => spread * (rng.NextDouble() - 0.5)).ToArray();
    }

    /// <summary>The gradient and divergence over a sparse P by direct sums over all pairs.</summary>
    private static (double[] Gradient, double Divergence) BruteForce(SparseAffinities p, double[] y, int dims, StudentT kernel, double exaggeration)
    {
        int n = p.Count;
        double z = 0.0;
        var repulsion = new double[n * dims];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i == j)
                {
                    continue;
                }

                double d2 = 0.0;
                for (int a = 0; a < dims; a++)
                {
                    d2 += (y[(i * dims) + a] - y[(j * dims) + a]) * (y[(i * dims) + a] - y[(j * dims) + a]);
                }

                double u = 1.0 / (1.0 + (d2 / kernel.Nu));
                double w = Math.Pow(u, (kernel.Nu + 1.0) / 2.0);
                z += w;
                for (int a = 0; a < dims; a++)
                {
                    repulsion[(i * dims) + a] += w * u * (y[(i * dims) + a] - y[(j * dims) + a]);
                }
            }
        }

        var gradient = new double[n * dims];
        double divergence = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                int j = p.Columns[e];
                double d2 = 0.0;
                for (int a = 0; a < dims; a++)
                {
                    d2 += (y[(i * dims) + a] - y[(j * dims) + a]) * (y[(i * dims) + a] - y[(j * dims) + a]);
                }

                double u = 1.0 / (1.0 + (d2 / kernel.Nu));
                double q = Math.Pow(u, (kernel.Nu + 1.0) / 2.0) / z;
                double ap = exaggeration * p.Values[e];
                divergence += ap * Math.Log(ap / q);
                for (int a = 0; a < dims; a++)
                {
                    gradient[(i * dims) + a] += ap * u * (y[(i * dims) + a] - y[(j * dims) + a]);
                }
            }

            for (int a = 0; a < dims; a++)
            {
                gradient[(i * dims) + a] = kernel.GradientScale * (gradient[(i * dims) + a] - (repulsion[(i * dims) + a] / z));
            }
        }

        return (gradient, divergence);
    }

    /// <summary>‖actual − expected‖ ≤ tolerance·‖expected‖.</summary>
    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        double difference = 0.0, norm = 0.0;
        for (int e = 0; e < expected.Length; e++)
        {
            difference += (actual[e] - expected[e]) * (actual[e] - expected[e]);
            norm += expected[e] * expected[e];
        }

        Assert.True(Math.Sqrt(difference) <= tolerance * Math.Sqrt(norm), $"relative error {Math.Sqrt(difference / norm):E3} (tolerance {tolerance:E1})");
    }
}
