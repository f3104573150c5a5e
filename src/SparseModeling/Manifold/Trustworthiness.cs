// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Manifold;

/// <summary>
/// How far the neighbourhoods of an embedding can be trusted (Venna and Kaski, "Neighborhood preservation in nonlinear
/// projection methods: an experimental study", ICANN 2001), as scikit-learn's <c>sklearn.manifold.trustworthiness</c>:
/// T(k) = 1 − 2/(n·k·(2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k(i)} max(0, r(i, j) − k), where N_k(i) are the k nearest neighbours of
/// sample i in the embedding and r(i, j) is the rank of j among the samples ordered by their distance to i in the input
/// space (1 for the nearest). 1 means every embedded neighbourhood is a neighbourhood of the data.
/// </summary>
/// <remarks>
/// Input distances are computed as scikit-learn's <c>euclidean_distances</c> (‖x‖² − 2⟨x, y⟩ + ‖y‖², clipped at 0, square
/// root) and embedded neighbours by exact distances; samples at equal distance rank by their index (scikit-learn's sort
/// leaves their order to NumPy's unstable sort). Rows are processed in blocks: memory O(n) per thread, never n × n.
/// </remarks>
public static class Trustworthiness
{
    private const int Block = 64;

    /// <summary>The trustworthiness T(<paramref name="neighbors"/>) of <paramref name="embedding"/> as a map of <paramref name="x"/>.</summary>
    /// <param name="x">The data, samples × features, finite; not modified.</param>
    /// <param name="embedding">The embedding, one row per sample of <paramref name="x"/>, finite; not modified.</param>
    /// <param name="neighbors">k, the neighbourhood size: ≥ 1 and less than half the number of samples (scikit-learn's rule; default 5, as scikit-learn).</param>
    /// <returns>T(k) in [0, 1].</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument is empty or holds NaN/±∞, or the row counts differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="neighbors"/> is below 1 or not less than half the number of samples.</exception>
    public static double Compute(Matrix<double> x, Matrix<double> embedding, int neighbors = 5)
    {
        Guard.Samples(x);
        Guard.Samples(embedding);
        int n = x.RowCount;
        if (embedding.RowCount != n)
        {
            throw new ArgumentException($"{nameof(embedding)} has {embedding.RowCount} rows but {nameof(x)} has {n}; they must agree.", nameof(embedding));
        }

        if (neighbors < 1 || neighbors >= n / 2.0)
        {
            throw Guard.OutOfRange(nameof(neighbors), $"{nameof(neighbors)} must be ≥ 1 and less than half the number of samples, {(n / 2.0).ToString(CultureInfo.InvariantCulture)} (was {neighbors}).");
        }

        int k = neighbors;
        var data = new PointSet(MatrixStorage.ColumnMajor(x), n, x.ColumnCount);
        var embedded = new PointSet(MatrixStorage.ColumnMajor(embedding), n, embedding.ColumnCount);
        var near = EmbeddedNeighbors(embedded, k);
        var penalties = new long[(n + Block - 1) / Block];
        Parallelism.For(penalties.Length, () => (Products: new double[(long)n * Block], Distances: new double[n], Candidates: new List<(double, int)>()), (block, scratch) =>
        {
            int q0 = block * Block, width = Math.Min(Block, n - q0);
            Gemm.Multiply(false, true, n, width, data.Dimension, 1.0, data.ColumnMajor, n, data.ColumnMajor.AsSpan(q0), n, 0.0, scratch.Products, n);
            long penalty = 0;
            for (int r = 0; r < width; r++)
            {
                int i = q0 + r;
                var distances = scratch.Distances;
                for (int l = 0; l < n; l++)
                {
                    // As euclidean_distances: −2⟨x_i, x_l⟩ + ‖x_i‖² + ‖x_l‖², clipped at 0, square root (the diagonal excluded).
                    distances[l] = l == i ? double.PositiveInfinity : Math.Sqrt(Math.Max(0.0, ((-2.0 * scratch.Products[(r * n) + l]) + data.SquaredNorms[i]) + data.SquaredNorms[l]));
                }

                double threshold = double.NegativeInfinity;
                for (int s = 0; s < k; s++)
                {
                    threshold = Math.Max(threshold, distances[near[(i * k) + s]]);
                }

                // The ranks of the embedded neighbours among the samples no farther than the farthest of them.
                var candidates = scratch.Candidates;
                candidates.Clear();
                for (int l = 0; l < n; l++)
                {
                    if (distances[l] <= threshold)
                    {
                        candidates.Add((distances[l], l));
                    }
                }

                candidates.Sort();
                for (int s = 0; s < k; s++)
                {
                    int j = near[(i * k) + s];
                    int rank = candidates.BinarySearch((distances[j], j)) + 1;
                    penalty += Math.Max(0, rank - k);
                }
            }

            penalties[block] = penalty;
        });

        long total = 0;
        foreach (long p in penalties)
        {
            total += p;
        }

        return 1.0 - (total * (2.0 / (n * (double)k * ((2.0 * n) - (3.0 * k) - 1.0))));
    }

    /// <summary>The k nearest neighbours of every embedded sample among the others, by exact distances (ties by the lower index).</summary>
    private static int[] EmbeddedNeighbors(PointSet embedded, int k)
    {
        int n = embedded.Count, dims = embedded.Dimension;
        var indices = new int[n * k];
        Parallelism.For((n + Block - 1) / Block, () => new double[k], (block, heapDistances) =>
        {
            var points = embedded.RowMajor;
            for (int i = block * Block, end = Math.Min(n, i + Block); i < end; i++)
            {
                var heapIndices = indices.AsSpan(i * k, k);
                int size = 0;
                for (int j = 0; j < n; j++)
                {
                    if (j == i)
                    {
                        continue;
                    }

                    double distance = 0.0;
                    for (int a = 0; a < dims; a++)
                    {
                        double diff = points[(i * dims) + a] - points[(j * dims) + a];
                        distance += diff * diff;
                    }

                    if (size < k)
                    {
                        NeighborHeap.Push(heapDistances, heapIndices, ref size, distance, j);
                    }
                    else if (distance < heapDistances[0])
                    {
                        NeighborHeap.ReplaceTop(heapDistances, heapIndices, size, distance, j);
                    }
                }
            }
        });
        return indices;
    }
}
