// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.Manifold;

namespace SparseModeling.Tests.Manifold;

/// <summary>The perplexity calibration and the joint P: the defining properties (entropy, normalisation, symmetry) and units.</summary>
public class AffinitiesTests
{
    [Theory]
    [InlineData(5.0, 16)]
    [InlineData(30.0, 91)]
    [InlineData(2.5, 8)]
    public void Conditional_HasThePerplexityAskedFor(double perplexity, int k)
    {
        var rng = new SplitMix64(11);
        for (int trial = 0; trial < 20; trial++)
        {
            var distances = Enumerable.Range(0, k).Select(_ => Math.Pow(rng.NextDouble() * 10.0, 2)).ToArray();
            var p = new double[k];
            Affinities.Conditional(distances, perplexity, p);
            double entropy = -p.Where(v => v > 0.0).Sum(v => v * Math.Log(v));
            Assert.Equal(1.0, p.Sum(), 12);
            Assert.True(Math.Abs(entropy - Math.Log(perplexity)) <= 1e-5, $"entropy {entropy}, expected {Math.Log(perplexity)}");

            // Nearer neighbours weigh more.
            for (int a = 0; a < k; a++)
            {
                for (int b = 0; b < k; b++)
                {
                    Assert.True(distances[a] >= distances[b] || p[a] >= p[b]);
                }
            }
        }
    }

    [Fact]
    public void Conditional_DoesNotDependOnTheUnits()
    {
        var rng = new SplitMix64(12);
        var distances = Enumerable.Range(0, 40).Select(_ => rng.NextDouble()).ToArray();
        var p = new double[40];
        var scaled = new double[40];
        Affinities.Conditional(distances, 10.0, p);
        Affinities.Conditional(distances.Select(d => d * Math.ScaleB(1.0, 300)).ToArray(), 10.0, scaled);
        Assert.Equal(p, scaled);
        Affinities.Conditional(distances.Select(d => d * 1e-200).ToArray(), 10.0, scaled);
        for (int j = 0; j < 40; j++)
        {
            Assert.Equal(p[j], scaled[j], 1e-12);
        }
    }

    [Fact]
    public void Conditional_EqualDistances_IsUniformAndFinite()
    {
        var p = new double[10];
        Affinities.Conditional(new double[10], 3.0, p);
        Assert.All(p, v => Assert.Equal(0.1, v, 15));

        // One duplicate (distance 0) among far points: finite, the duplicate nearest.
        var distances = new[] { 0.0, 1e6, 1e6 + 1, 2e6, 3e6 };
        Affinities.Conditional(distances, 2.0, p.AsSpan(0, 5));
        Assert.All(p.Take(5), v => Assert.True(double.IsFinite(v)));
        Assert.True(p[0] > p[1]);
    }

    [Fact]
    public void Joint_IsSymmetricSumsToOneAndAveragesTheConditionals()
    {
        var points = RandomPoints(200, 5, 13);
        var graph = ExactNeighbors.Search(points, points, 12, self: true);
        var conditional = Affinities.Conditional(graph, 4.0);
        var p = Affinities.Joint(graph, conditional);
        var dense = new double[200, 200];
        for (int i = 0; i < 200; i++)
        {
            Assert.True(p.Columns.AsSpan(p.RowStart[i], p.RowStart[i + 1] - p.RowStart[i]).SequenceEqual(p.Columns.Skip(p.RowStart[i]).Take(p.RowStart[i + 1] - p.RowStart[i]).Order().ToArray()));
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                dense[i, p.Columns[e]] = p.Values[e];
            }
        }

        var expected = new double[200, 200];
        for (int i = 0; i < 200; i++)
        {
            for (int s = 0; s < 12; s++)
            {
                int j = graph.Indices[(i * 12) + s];
                expected[i, j] += conditional[(i * 12) + s] / 400.0;
                expected[j, i] += conditional[(i * 12) + s] / 400.0;
            }
        }

        double total = 0.0;
        for (int i = 0; i < 200; i++)
        {
            for (int j = 0; j < 200; j++)
            {
                Assert.Equal(dense[i, j], dense[j, i]);
                Assert.Equal(expected[i, j], dense[i, j], 1e-15);
                total += dense[i, j];
            }
        }

        Assert.Equal(1.0, total, 12);
        Assert.Equal(p.Values.Sum(v => v * Math.Log(v)), p.PLogP, 12);
    }

    [Fact]
    public void JointDense_IsScikitLearnsJointProbabilities()
    {
        var points = RandomPoints(50, 3, 14);
        var p = Affinities.JointDense(points, 8.0);
        var conditional = new double[50, 50];
        for (int i = 0; i < 50; i++)
        {
            var distances = Enumerable.Range(0, 50).Where(j => j != i).Select(j => points.SquaredDistance(i, points, j)).ToArray();
            var row = new double[49];
            Affinities.Conditional(distances, 8.0, row);
            int s = 0;
            for (int j = 0; j < 50; j++)
            {
                conditional[i, j] = j == i ? 0.0 : row[s++];
            }
        }

        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(0.0, p[(i * 50) + i]);
            for (int j = 0; j < 50; j++)
            {
                if (j != i)
                {
                    double expected = Math.Max((conditional[i, j] + conditional[j, i]) / 100.0, Affinities.MachineEpsilon);
                    Assert.Equal(expected, p[(i * 50) + j], 1e-9 * expected);
                    Assert.Equal(p[(j * 50) + i], p[(i * 50) + j]);
                }
            }
        }
    }

    internal static PointSet RandomPoints(int n, int d, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var data = new double[n * d];
        for (int e = 0; e < data.Length; e++)
        {
            data[e] = rng.NextNormal();
        }

        return new PointSet(data, n, d);
    }
}
