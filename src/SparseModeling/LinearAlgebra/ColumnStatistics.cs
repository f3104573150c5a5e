// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Per-column means and squared norms of a column-major matrix in one sweep over memory (each
/// column is read twice while it sits in cache), split across the cores for large matrices.
/// </summary>
internal static class ColumnStatistics
{
    private const long ParallelThreshold = 1L << 18;

    /// <summary>
    /// Fills <paramref name="squaredNorms"/> with Σᵢ(xᵢⱼ − mⱼ)², where mⱼ is the column mean written to
    /// <paramref name="means"/> when it is given and 0 otherwise.
    /// </summary>
    public static void Compute(double[] x, int rows, int cols, double[]? means, double[] squaredNorms)
    {
        if ((long)rows * cols >= ParallelThreshold && cols >= 2 && Parallelism.Degree > 1)
        {
            int blocks = Math.Min(Parallelism.Degree, cols);
            Parallelism.For(blocks, block =>
            {
                int j0 = (int)((long)cols * block / blocks);
                int j1 = (int)((long)cols * (block + 1) / blocks);
                ComputeRange(x, rows, j0, j1, means, squaredNorms);
            });
            return;
        }

        ComputeRange(x, rows, 0, cols, means, squaredNorms);
    }

    private static void ComputeRange(double[] x, int rows, int j0, int j1, double[]? means, double[] squaredNorms)
    {
        for (int j = j0; j < j1; j++)
        {
            var column = x.AsSpan(j * rows, rows);
            if (means is null)
            {
                squaredNorms[j] = Kernels.SquaredNorm(column);
            }
            else
            {
                double mean = rows == 0 ? 0.0 : Kernels.Sum(column) / rows;
                means[j] = mean;
                squaredNorms[j] = Kernels.SquaredDistanceFrom(column, mean);
            }
        }
    }
}
