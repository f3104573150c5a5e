// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// Cyclic coordinate descent for the Frobenius NMF objective (Cichocki and Phan, IEICE Trans. 2009;
/// Hsieh and Dhillon, KDD 2011) exactly as scikit-learn's <c>_fit_coordinate_descent</c>: each
/// iteration sweeps every entry of W, component by component, on the Gram matrices H·Hᵀ and X·Hᵀ, then
/// H the same way on Wᵀ·W and Xᵀ·W; stops when the summed projected-gradient violation of an
/// iteration falls to <c>tolerance</c> times that of the first.
/// </summary>
internal static class NmfCoordinateDescent
{
    public static NmfRun Run(NmfProblem problem, double[] wt, double[] h, NmfRegularization reg, NmfRunSettings settings, SplitMix64? shuffle)
    {
        int k = problem.K;
        var order = new int[k];
        return NmfAlternatingLoop.Run(
            problem,
            wt,
            h,
            reg,
            settings,
            (f, rows, gram, cross, l1, l2) => Sweep(f, rows, k, gram, cross, l1, l2, Order(order, shuffle)),
            (f, rows, gram, cross, l1, l2) => Sweep(f, rows, k, gram, cross, l1, l2, Order(order, shuffle)));
    }

    private static int[] Order(int[] order, SplitMix64? shuffle)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (shuffle is not null)
        {
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = shuffle.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        return order;
    }

    /// <summary>
    /// One pass over every entry of the factor f (K×rows, K-major): f[t, i] ← max(0, f[t, i] − g/G[t,t])
    /// with g = (G·f[:, i])[t] − C[t, i] (<see cref="NonNegativeCoordinateSweep"/>, several rows per vector). Rows are
    /// independent (the update of row i reads only row i), so they are split across cores; the components of a row are
    /// visited in <paramref name="order"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Sweep(double[] f, int rows, int k, double[] gram, double[] cross, double l1, double l2, int[] order)
    {
        if (l2 != 0.0)
        {
            for (int t = 0; t < k; t++)
            {
                gram[t + (t * k)] += l2;
            }
        }

        const int Chunk = 256;

        // Rows·K² multiply-adds at which a sweep is split across cores: with several rows per vector a chunk of 256
        // rows at K = 32 takes tens of microseconds, below which handing chunks to other threads costs more than it saves.
        const long ParallelThreshold = 1L << 18;
        int chunks = (rows + Chunk - 1) / Chunk;
        var partial = new double[chunks];
        void RunChunk(int c)
        {
            int i0 = c * Chunk, i1 = Math.Min(rows, i0 + Chunk);
            partial[c] = NonNegativeCoordinateSweep.Rows(f, k, gram, cross, l1, order, i0, i1);
        }

        if (chunks > 1 && (long)rows * k * k >= ParallelThreshold)
        {
            Parallelism.For(chunks, RunChunk);
        }
        else
        {
            for (int c = 0; c < chunks; c++)
            {
                RunChunk(c);
            }
        }

        double total = 0.0;
        foreach (double v in partial)
        {
            total += v;
        }

        return total;
    }
}
