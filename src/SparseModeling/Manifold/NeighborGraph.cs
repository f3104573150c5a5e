// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Manifold;

/// <summary>
/// The k nearest neighbours of a set of query points among reference points: for query i, slots i·k … i·k + k − 1 hold the
/// neighbours' indices and squared Euclidean distances, nearest first (equal distances by the lower index).
/// </summary>
/// <param name="Count">The query points.</param>
/// <param name="K">The neighbours per query.</param>
/// <param name="Indices">Count × K neighbour indices, row by row.</param>
/// <param name="SquaredDistances">Count × K squared distances, row by row, ascending in each row.</param>
internal sealed record NeighborGraph(int Count, int K, int[] Indices, double[] SquaredDistances)
{
    /// <summary>Sorts every row by (distance, index), as the searches leave their heaps in heap order.</summary>
    internal void SortRows()
    {
        int k = K;
        Parallelism.For((Count + 255) / 256, block =>
        {
            var keys = new (double Distance, int Index)[k];
            for (int i = block * 256, end = Math.Min(Count, i + 256); i < end; i++)
            {
                for (int s = 0; s < k; s++)
                {
                    keys[s] = (SquaredDistances[(i * k) + s], Indices[(i * k) + s]);
                }

                Array.Sort(keys);
                for (int s = 0; s < k; s++)
                {
                    (SquaredDistances[(i * k) + s], Indices[(i * k) + s]) = keys[s];
                }
            }
        });
    }
}

/// <summary>
/// Points stored both ways the searches need: column-major (the GEMM operand, as MathNet stores matrices) and row-major
/// (one point's coordinates contiguous, for exact distances), with the squared norm of every point.
/// </summary>
internal sealed class PointSet
{
    /// <summary>Takes <paramref name="columnMajor"/> (<paramref name="count"/> × <paramref name="dimension"/>) as it is; builds the row-major copy and the norms.</summary>
    public PointSet(double[] columnMajor, int count, int dimension)
    {
        ColumnMajor = columnMajor;
        Count = count;
        Dimension = dimension;
        RowMajor = GC.AllocateUninitializedArray<double>(count * dimension); // every entry written below
        SquaredNorms = new double[count];
        Parallelism.For((count + 1023) / 1024, block =>
        {
            for (int i = block * 1024, end = Math.Min(count, i + 1024); i < end; i++)
            {
                for (int a = 0; a < dimension; a++)
                {
                    RowMajor[(i * dimension) + a] = columnMajor[(a * count) + i];
                }

                SquaredNorms[i] = Kernels.SquaredNorm(Row(i));
            }
        });
    }

    /// <summary>The points.</summary>
    public int Count { get; }

    /// <summary>The coordinates per point.</summary>
    public int Dimension { get; }

    /// <summary>Count × Dimension, column-major.</summary>
    public double[] ColumnMajor { get; }

    /// <summary>Count × Dimension, row-major.</summary>
    public double[] RowMajor { get; }

    /// <summary>‖x_i‖² per point.</summary>
    public double[] SquaredNorms { get; }

    /// <summary>The coordinates of point <paramref name="i"/>.</summary>
    public ReadOnlySpan<double> Row(int i) => RowMajor.AsSpan(i * Dimension, Dimension);

    /// <summary>The exact squared distance between point <paramref name="i"/> and point <paramref name="j"/> of <paramref name="other"/>.</summary>
    public double SquaredDistance(int i, PointSet other, int j) => Kernels.SquaredDistance(Row(i), other.Row(j));
}
