// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Manifold;

/// <summary>
/// Approximate k-nearest-neighbour search, in the manner of pynndescent (which openTSNE uses for large data): a forest of
/// random-projection trees (Dasgupta and Freund, "Random projection trees and low dimensional manifolds", STOC 2008; each
/// node splits its points by the hyperplane halfway between two of them, pynndescent's Euclidean split) gives every point
/// the members of its leaf in each tree as candidates, whose distances come leaf by leaf from one Gram matrix (GEMM);
/// then rounds of neighbour-of-neighbour exploration (the local join of Dong, Charikar and Li's NN-descent, WWW 2011, here
/// owner-computes: each point tries the neighbours of its nearest neighbours) refine the lists. The k kept distances are
/// recomputed exactly at the end. Work is about trees·leaf·n distances plus rounds·m²·n, instead of n².
/// </summary>
/// <remarks>
/// Deterministic for a seed: the trees are built from seeded generators, each leaf updates only its own points' lists,
/// the trees are applied in order, and a refinement round reads the lists of the round before. So the result does not depend
/// on the number of threads.
/// </remarks>
internal static class ApproximateNeighbors
{
    /// <summary>Neighbour-of-neighbour rounds after the forest.</summary>
    private const int Rounds = 2;

    /// <summary>
    /// The approximate <paramref name="k"/> nearest neighbours of every point among the others, from the seed
    /// <paramref name="seed"/>.
    /// </summary>
    public static NeighborGraph Search(PointSet points, int k, ulong seed) => Search(points, k, seed, Trees(points.Count), LeafSize(k));

    /// <summary>The forest's size for <paramref name="n"/> points: 5 + n^¼, at most 32 (pynndescent's rule).</summary>
    internal static int Trees(int n) => Math.Min(32, 5 + (int)Math.Round(Math.Pow(n, 0.25)));

    /// <summary>The largest leaf: twice the neighbours, between 64 and 256.</summary>
    internal static int LeafSize(int k) => Math.Clamp(2 * k, 64, 256);

    /// <summary>As <see cref="Search(PointSet, int, ulong)"/> with a given forest.</summary>
    internal static NeighborGraph Search(PointSet points, int k, ulong seed, int trees, int leafSize)
    {
        int n = points.Count;
        if (k < 1 || k > n - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(k), $"k must be in [1, {n - 1}] (was {k}).");
        }

        var indices = new int[n * k];
        var distances = new double[n * k];
        var sizes = new int[n];
        Array.Fill(distances, double.PositiveInfinity);

        // The trees are independent: built in parallel, then applied one after the other.
        var forest = new (int[] Order, int[] LeafStarts)[trees];
        Parallelism.For(trees, t => forest[t] = BuildTree(points, leafSize, new SplitMix64(seed + (0x9E37_79B9_7F4A_7C15UL * (ulong)(t + 1)))));
        foreach (var (order, leafStarts) in forest)
        {
            int leaves = leafStarts.Length - 1;
            Parallelism.For(leaves, () => (Block: new double[leafSize * points.Dimension], Gram: new double[leafSize * leafSize]), (leaf, scratch) =>
            {
                int s0 = leafStarts[leaf], size = leafStarts[leaf + 1] - s0;
                int d = points.Dimension;
                for (int q = 0; q < size; q++)
                {
                    points.Row(order[s0 + q]).CopyTo(scratch.Block.AsSpan(q * d, d));
                }

                Gram.Compute(d, size, scratch.Block, d, scratch.Gram);
                for (int q = 0; q < size; q++)
                {
                    int i = order[s0 + q];
                    var heapDistances = distances.AsSpan(i * k, k);
                    var heapIndices = indices.AsSpan(i * k, k);
                    for (int r = 0; r < size; r++)
                    {
                        if (r == q)
                        {
                            continue;
                        }

                        int j = order[s0 + r];
                        double distance = Math.Max(0.0, points.SquaredNorms[i] + points.SquaredNorms[j] - (2.0 * scratch.Gram[(q * size) + r]));
                        Offer(heapDistances, heapIndices, ref sizes[i], k, distance, j);
                    }
                }
            });
        }

        // Points whose leaves were all smaller than k + 1 (only with tiny leaves) fill up from the lowest indices.
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; sizes[i] < k && j < n; j++)
            {
                if (j != i)
                {
                    Offer(distances.AsSpan(i * k, k), indices.AsSpan(i * k, k), ref sizes[i], k, points.SquaredDistance(i, points, j), j);
                }
            }
        }

        int explore = Math.Min(k, 12);
        for (int round = 0; round < Rounds; round++)
        {
            var snapshot = (int[])indices.Clone();
            var snapshotDistances = (double[])distances.Clone();
            Parallelism.For((n + 255) / 256, () => new (double, int)[k], (block, nearest) =>
            {
                for (int i = block * 256, end = Math.Min(n, i + 256); i < end; i++)
                {
                    // The round explores from the nearest of i's neighbours in the lists of the round before.
                    for (int s = 0; s < k; s++)
                    {
                        nearest[s] = (snapshotDistances[(i * k) + s], snapshot[(i * k) + s]);
                    }

                    Array.Sort(nearest);
                    var heapDistances = distances.AsSpan(i * k, k);
                    var heapIndices = indices.AsSpan(i * k, k);
                    for (int s = 0; s < explore; s++)
                    {
                        int j = nearest[s].Item2;
                        for (int t = 0; t < k; t++)
                        {
                            int l = snapshot[(j * k) + t];
                            if (l == i || l < 0)
                            {
                                continue;
                            }

                            double distance = points.SquaredDistance(i, points, l);
                            Offer(heapDistances, heapIndices, ref sizes[i], k, distance, l);
                        }
                    }
                }
            });
        }

        Parallelism.For((n + 255) / 256, block =>
        {
            for (int i = block * 256, end = Math.Min(n, i + 256); i < end; i++)
            {
                for (int s = 0; s < k; s++)
                {
                    distances[(i * k) + s] = points.SquaredDistance(i, points, indices[(i * k) + s]);
                }
            }
        });

        var graph = new NeighborGraph(n, k, indices, distances);
        graph.SortRows();
        return graph;
    }

    /// <summary>Offers j to i's list: added while it is not full, else kept when nearer than the farthest; never twice.</summary>
    private static void Offer(Span<double> heapDistances, Span<int> heapIndices, ref int size, int k, double distance, int j)
    {
        if (size < k)
        {
            if (!heapIndices[..size].Contains(j))
            {
                NeighborHeap.Push(heapDistances, heapIndices, ref size, distance, j);
            }

            return;
        }

        NeighborHeap.Offer(heapDistances, heapIndices, size, distance, j);
    }

    /// <summary>
    /// One random-projection tree: the points in leaf order, and where each leaf starts (the last entry is n). A set larger than
    /// <paramref name="leafSize"/> is split by the hyperplane halfway between two of its points chosen at random (points on the
    /// plane go to a random side); a split that leaves one side empty (duplicates) halves the set instead.
    /// </summary>
    private static (int[] Order, int[] LeafStarts) BuildTree(PointSet points, int leafSize, SplitMix64 random)
    {
        int n = points.Count, d = points.Dimension;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var leafStarts = new List<int>();
        var normal = new double[d];
        var stack = new Stack<(int Start, int Count)>();
        stack.Push((0, n));
        while (stack.Count > 0)
        {
            var (start, count) = stack.Pop();
            if (count <= leafSize)
            {
                leafStarts.Add(start);
                continue;
            }

            int a = order[start + random.NextInt(count)];
            int b = order[start + random.NextInt(count)];
            for (int attempt = 0; attempt < 8 && (a == b || points.SquaredDistance(a, points, b) == 0.0); attempt++)
            {
                b = order[start + random.NextInt(count)];
            }

            var xa = points.Row(a);
            var xb = points.Row(b);
            double offset = 0.0;
            for (int c = 0; c < d; c++)
            {
                normal[c] = xa[c] - xb[c];
                offset += normal[c] * (xa[c] + xb[c]) / 2.0;
            }

            int low = start, high = start + count - 1;
            while (low <= high)
            {
                double margin = Kernels.Dot(points.Row(order[low]), normal) - offset;
                bool right = margin > 0.0 || (margin == 0.0 && (random.NextUInt64() & 1) == 1);
                if (right)
                {
                    (order[low], order[high]) = (order[high], order[low]);
                    high--;
                }
                else
                {
                    low++;
                }
            }

            int left = low - start;
            if (left == 0 || left == count)
            {
                left = count / 2;
            }

            stack.Push((start + left, count - left));
            stack.Push((start, left));
        }

        // Leaves were found in depth-first order, left before right: their starts ascend.
        leafStarts.Add(n);
        return (order, [.. leafStarts]);
    }
}
