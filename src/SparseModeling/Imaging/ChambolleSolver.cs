// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Imaging;

/// <summary>
/// Chambolle's projection algorithm for total-variation denoising of a 2-D image, iteration for iteration and with the
/// stopping rule of scikit-image's <c>_denoise_tv_chambolle_nd</c> (0.19): τ = 1/4; iteration i computes the estimate
/// out = image − div p (out = image at i = 0), its energy E_i = (‖out − image‖² + weight·TV(out))/N and the dual update;
/// the loop stops after iteration i &gt; 0 when |E_{i−1} − E_i| &lt; eps·E_0, or after <c>maxIterations</c>, and returns
/// that iteration's estimate.
/// </summary>
/// <remarks>
/// One iteration is one sweep over the columns (column-major storage, rows contiguous) through
/// <see cref="ChambolleSweep"/>: for column j the estimate of column j + 1 is formed first (it reads p₁ of column j before
/// column j's update), then column j's dual field is updated in place. Column blocks run in parallel: the estimate of each
/// block's first column is formed before the blocks start (it reads the last column of the previous block), so a block
/// touches only its own columns of p. Every column gets the same arithmetic however the columns are split, and the energy
/// is summed per column and then over the columns in order, so results do not depend on the degree of parallelism.
/// </remarks>
internal static class ChambolleSolver
{
    /// <summary>
    /// Below this many pixels (about 1024×1024) an iteration runs on one thread. An iteration costs about 2 ns per pixel on
    /// one core (0.5 ms at 512×512); on the shared 2-core machine we measure on, two threads never beat one at 512×512, so
    /// the split is kept for images where an iteration is milliseconds of work and the fork and join are negligible.
    /// </summary>
    private const int ParallelThreshold = 1 << 20;

    /// <summary>The fewest columns a parallel block holds.</summary>
    private const int MinimumBlockColumns = 8;

    /// <summary>The step of the dual update in two dimensions, 1/(2·ndim).</summary>
    private const double Tau = 0.25;

    /// <summary>
    /// Denoises <paramref name="image"/> (column-major, <paramref name="rows"/>×<paramref name="columns"/>, finite) with
    /// <paramref name="weight"/> &gt; 0; returns the estimate and the number of iterations run (the index of the returned one + 1).
    /// </summary>
    public static (double[] Output, int Iterations) Solve(double[] image, int rows, int columns, double weight, double eps, int maxIterations)
    {
        int count = rows * columns;
        var output = GC.AllocateUninitializedArray<double>(count);
        var p0 = new double[count];
        var p1 = new double[count];
        var zeros = new double[rows];
        var squares = new double[columns];
        var norms = new double[columns];
        int blockCount = count < ParallelThreshold ? 1 : Math.Max(1, Math.Min(Parallelism.Degree, columns / MinimumBlockColumns));
        var starts = new int[blockCount + 1];
        for (int b = 0; b <= blockCount; b++)
        {
            starts[b] = (int)((long)columns * b / blockCount);
        }

        double tauOverWeight = Tau / weight;
        double initial = 0.0, previous = 0.0;
        int iteration = 0;
        while (iteration < maxIterations)
        {
            Parallelism.ThrowIfCancellationRequested();

            // The estimate at each block's first column, from the dual field before this iteration's update.
            for (int b = 0; b < blockCount; b++)
            {
                int j = starts[b];
                squares[j] = Estimate(image, p0, p1, zeros, output, rows, j);
            }

            if (blockCount == 1)
            {
                SweepBlock(image, p0, p1, zeros, output, rows, columns, 0, columns, squares, norms, tauOverWeight);
            }
            else
            {
                Parallelism.For(blockCount, b => SweepBlock(image, p0, p1, zeros, output, rows, columns, starts[b], starts[b + 1], squares, norms, tauOverWeight));
            }

            double squareSum = 0.0, normSum = 0.0;
            for (int j = 0; j < columns; j++)
            {
                squareSum += squares[j];
                normSum += norms[j];
            }

            double energy = (squareSum + (weight * normSum)) / count;
            if (!double.IsFinite(energy))
            {
                throw new ArithmeticException($"Chambolle's total-variation iteration reached a non-finite energy ({energy}) at iteration {iteration}: the image and the weight are too far apart in scale.");
            }

            if (iteration == 0)
            {
                if (energy == 0.0)
                {
                    // A constant image: the estimate is the image, and every later iteration would leave it so.
                    break;
                }

                initial = energy;
                previous = energy;
            }
            else if (Math.Abs(previous - energy) < eps * initial)
            {
                break;
            }
            else
            {
                previous = energy;
            }

            iteration++;
        }

        return (output, Math.Min(iteration + 1, maxIterations));
    }

    /// <summary>Forms the estimate of column <paramref name="j"/>; returns its Σd².</summary>
    private static double Estimate(double[] image, double[] p0, double[] p1, double[] zeros, double[] output, int rows, int j)
    {
        var column = image.AsSpan(j * rows, rows);
        var left = j == 0 ? zeros : p1.AsSpan((j - 1) * rows, rows);
        return ChambolleSweep.Divergence(column, p0.AsSpan(j * rows, rows), p1.AsSpan(j * rows, rows), left, output.AsSpan(j * rows, rows));
    }

    /// <summary>
    /// Columns <paramref name="first"/>..<paramref name="end"/> − 1: the estimate of each column after the first (the first
    /// is formed already, and so is the first column of the next block), then the dual update of each column.
    /// </summary>
    private static void SweepBlock(double[] image, double[] p0, double[] p1, double[] zeros, double[] output, int rows, int columns, int first, int end, double[] squares, double[] norms, double tauOverWeight)
    {
        for (int j = first; j < end; j++)
        {
            Parallelism.ThrowIfCancellationRequested();
            int next = j + 1;
            if (next < end)
            {
                squares[next] = Estimate(image, p0, p1, zeros, output, rows, next);
            }

            var right = output.AsSpan((next < columns ? next : j) * rows, rows);
            norms[j] = ChambolleSweep.Projection(output.AsSpan(j * rows, rows), right, p0.AsSpan(j * rows, rows), p1.AsSpan(j * rows, rows), Tau, tauOverWeight);
        }
    }
}
