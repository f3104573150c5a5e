// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.Manifold;

namespace SparseModeling.Tests.Manifold;

/// <summary>Exact search against brute force; the approximate search's recall of the exact neighbours (the issue asks ≥ 0.95).</summary>
public class NeighborsTests
{
    [Theory]
    [InlineData(300, 7, 10, true)]
    [InlineData(130, 3, 129, true)]
    [InlineData(70, 4, 5, false)]
    public void ExactSearch_MatchesBruteForce(int n, int d, int k, bool self)
    {
        var reference = AffinitiesTests.RandomPoints(n, d, 21);
        var queries = self ? reference : AffinitiesTests.RandomPoints(n / 2, d, 22);
        var graph = ExactNeighbors.Search(reference, queries, k, self);
        for (int i = 0; i < queries.Count; i++)
        {
            var expected = Enumerable.Range(0, n).Where(j => !self || j != i)
                .Select(j => (Distance: queries.SquaredDistance(i, reference, j), Index: j)).Order().Take(k).ToArray();
            for (int s = 0; s < k; s++)
            {
                Assert.Equal(expected[s].Index, graph.Indices[(i * k) + s]);
                Assert.Equal(expected[s].Distance, graph.SquaredDistances[(i * k) + s]);
            }
        }
    }

    [Fact]
    public void ExactSearch_Duplicates_BreakTiesByIndex()
    {
        var data = new double[12]; // six identical points in two dimensions
        var points = new PointSet(data, 6, 2);
        var graph = ExactNeighbors.Search(points, points, 3, self: true);
        Assert.Equal([1, 2, 3], graph.Indices.AsSpan(0, 3).ToArray());
        Assert.Equal([0, 1, 2], graph.Indices.AsSpan(3 * 3, 3).ToArray());
        Assert.All(graph.SquaredDistances, v => Assert.Equal(0.0, v));
    }

    /// <summary>Ten Gaussian clusters in 50 dimensions (the shape of the tsne_20000x50 benchmark), and the digits.</summary>
    public static TheoryData<string> RecallCases() => ["clusters", "digits"];

    [Theory]
    [MemberData(nameof(RecallCases))]
    public void ApproximateSearch_RecallsAtLeast95PercentOfTheExactNeighbours(string data)
    {
        var points = data == "clusters" ? Clusters(6000, 50, 10, 31) : Digits();
        int k = 91; // 3·perplexity + 1 at the default perplexity
        var exact = ExactNeighbors.Search(points, points, k, self: true);
        var approximate = ApproximateNeighbors.Search(points, k, 5);
        long found = 0;
        for (int i = 0; i < points.Count; i++)
        {
            // A neighbour is right when it is no farther than the exact k-th (the digits tie many distances exactly).
            double kth = exact.SquaredDistances[(i * k) + k - 1];
            for (int s = 0; s < k; s++)
            {
                found += approximate.SquaredDistances[(i * k) + s] <= kth ? 1 : 0;
                Assert.Equal(points.SquaredDistance(i, points, approximate.Indices[(i * k) + s]), approximate.SquaredDistances[(i * k) + s]);
            }
        }

        double recall = found / (double)(points.Count * k);
        Assert.True(recall >= 0.95, $"recall {recall:F4} on {data}");
    }

    [Fact]
    public void ApproximateSearch_DoesNotDependOnTheDegreeOfParallelism()
    {
        var points = Clusters(3000, 20, 5, 32);
        NeighborGraph Run(int degree)
        {
            using var scope = Parallelism.Enter(degree, CancellationToken.None);
            return ApproximateNeighbors.Search(points, 30, 9);
        }

        var one = Run(1);
        var four = Run(4);
        Assert.Equal(one.Indices, four.Indices);
        Assert.Equal(one.SquaredDistances, four.SquaredDistances);
    }

    internal static PointSet Clusters(int n, int d, int clusters, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var centres = new double[clusters * d];
        for (int e = 0; e < centres.Length; e++)
        {
            centres[e] = 4.0 * rng.NextNormal();
        }

        var data = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < d; a++)
            {
                data[(a * n) + i] = rng.NextNormal() + centres[((i * clusters / n) * d) + a];
            }
        }

        return new PointSet(data, n, d);
    }

    private static PointSet Digits()
    {
        var (x, _) = TestData.Digits;
        return new PointSet(x.ToColumnMajorArray(), x.RowCount, x.ColumnCount);
    }
}
