// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Manifold;

/// <summary>
/// Exact k-nearest-neighbour search by blocked matrix products: for a block of queries the inner products with every
/// reference point come from one GEMM (R·Q_blockᵀ), the squared distances ‖r‖² + ‖q‖² − 2⟨r, q⟩ feed a bounded max-heap per
/// query, and the k chosen distances are then recomputed exactly from the coordinates. O(n·m·d) work in the GEMM's speed and
/// O(n·block) memory per thread: never an n × m matrix. Blocks of queries run in parallel; each query's result is the same
/// whatever block or thread computes it.
/// </summary>
internal static class ExactNeighbors
{
    /// <summary>Queries per GEMM block.</summary>
    private const int Block = 64;

    /// <summary>
    /// The <paramref name="k"/> nearest points of <paramref name="reference"/> to each point of <paramref name="queries"/>; with
    /// <paramref name="self"/> the two are the same set and each point is left out of its own list.
    /// </summary>
    public static NeighborGraph Search(PointSet reference, PointSet queries, int k, bool self)
    {
        int n = reference.Count, m = queries.Count, d = reference.Dimension;
        int available = self ? n - 1 : n;
        if (k < 1 || k > available)
        {
            throw new ArgumentOutOfRangeException(nameof(k), $"k must be in [1, {available}] (was {k}).");
        }

        var indices = new int[m * k];
        var distances = new double[m * k];
        int blocks = (m + Block - 1) / Block;
        Parallelism.For(blocks, () => new double[(long)n * Block], (block, products) =>
        {
            int q0 = block * Block, width = Math.Min(Block, m - q0);

            // products[j + r·n] = ⟨reference_j, query_{q0 + r}⟩.
            Gemm.Multiply(false, true, n, width, d, 1.0, reference.ColumnMajor, n, queries.ColumnMajor.AsSpan(q0), m, 0.0, products, n);
            for (int r = 0; r < width; r++)
            {
                int i = q0 + r;
                var heapDistances = distances.AsSpan(i * k, k);
                var heapIndices = indices.AsSpan(i * k, k);
                int size = 0;
                double qn = queries.SquaredNorms[i];
                var column = products.AsSpan(r * n, n);
                var norms = reference.SquaredNorms;
                for (int j = 0; j < n; j++)
                {
                    if (self && j == i)
                    {
                        continue;
                    }

                    double distance = Math.Max(0.0, norms[j] + qn - (2.0 * column[j]));
                    if (size < k)
                    {
                        NeighborHeap.Push(heapDistances, heapIndices, ref size, distance, j);
                    }
                    else if (distance < heapDistances[0])
                    {
                        NeighborHeap.ReplaceTop(heapDistances, heapIndices, size, distance, j);
                    }
                }

                for (int s = 0; s < k; s++)
                {
                    heapDistances[s] = queries.SquaredDistance(i, reference, heapIndices[s]);
                }
            }
        });

        var graph = new NeighborGraph(m, k, indices, distances);
        graph.SortRows();
        return graph;
    }
}

/// <summary>
/// A bounded max-heap of (distance, index) pairs on two spans, ordered by distance and then by index, so that among equal
/// distances the lower index is kept: the neighbour lists of the searches.
/// </summary>
internal static class NeighborHeap
{
    /// <summary>Whether (a, i) comes after (b, j): farther, or as far with a higher index.</summary>
    public static bool After(double a, int i, double b, int j) => a > b || (a == b && i > j);

    /// <summary>Adds an entry to a heap of <paramref name="size"/> &lt; capacity entries.</summary>
    public static void Push(Span<double> distances, Span<int> indices, ref int size, double distance, int index)
    {
        int c = size++;
        while (c > 0)
        {
            int parent = (c - 1) / 2;
            if (!After(distance, index, distances[parent], indices[parent]))
            {
                break;
            }

            distances[c] = distances[parent];
            indices[c] = indices[parent];
            c = parent;
        }

        distances[c] = distance;
        indices[c] = index;
    }

    /// <summary>Replaces the farthest entry (the top) by one nearer, restoring the heap.</summary>
    public static void ReplaceTop(Span<double> distances, Span<int> indices, int size, double distance, int index)
    {
        int c = 0;
        while (true)
        {
            int left = (2 * c) + 1;
            if (left >= size)
            {
                break;
            }

            int right = left + 1;
            int child = right < size && After(distances[right], indices[right], distances[left], indices[left]) ? right : left;
            if (!After(distances[child], indices[child], distance, index))
            {
                break;
            }

            distances[c] = distances[child];
            indices[c] = indices[child];
            c = child;
        }

        distances[c] = distance;
        indices[c] = index;
    }

    /// <summary>Offers an entry to a full heap of <paramref name="size"/> entries: kept when it comes before the top and is not already there.</summary>
    public static bool Offer(Span<double> distances, Span<int> indices, int size, double distance, int index)
    {
        if (!After(distances[0], indices[0], distance, index) || indices[..size].Contains(index))
        {
            return false;
        }

        ReplaceTop(distances, indices, size, distance, index);
        return true;
    }
}
