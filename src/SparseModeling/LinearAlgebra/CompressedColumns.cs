// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra.Storage;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// A sparse matrix in compressed sparse column (CSC) form: column j holds the entries
/// <c>Values[ColumnPointers[j] .. ColumnPointers[j + 1])</c> at rows <c>RowIndices[...]</c>, in increasing row order.
/// Built once, in O(nnz + n + p), from MathNet's compressed-row storage for the solvers that sweep columns
/// (coordinate descent); it costs 12 bytes per stored entry plus 4 per column.
/// </summary>
/// <remarks>
/// Explicitly stored zeros of the source are dropped (they contribute nothing to any product), so a column
/// whose stored entries are all zero is empty here. The column order of a source row does not matter (the build
/// is a counting sort by column; rows stay in increasing order within each column). A source with a column index
/// repeated within a row is not canonical; callers reject it first (<see cref="SparseStorage.Defect"/>).
/// </remarks>
internal sealed class CompressedColumns
{
    /// <summary>Column blocks are swept by all cores above this many stored entries.</summary>
    private const int ParallelThreshold = 1 << 17;

    private CompressedColumns(int rows, int columns, int[] columnPointers, int[] rowIndices, double[] values)
    {
        Rows = rows;
        Columns = columns;
        ColumnPointers = columnPointers;
        RowIndices = rowIndices;
        Values = values;
    }

    /// <summary>n, the number of rows.</summary>
    public int Rows { get; }

    /// <summary>p, the number of columns.</summary>
    public int Columns { get; }

    /// <summary>p + 1 offsets into <see cref="RowIndices"/> and <see cref="Values"/>.</summary>
    public int[] ColumnPointers { get; }

    /// <summary>The row of each stored entry.</summary>
    public int[] RowIndices { get; }

    /// <summary>The stored (non-zero) entries, column after column.</summary>
    public double[] Values { get; }

    /// <summary>The number of stored entries.</summary>
    public int Count => ColumnPointers[Columns];

    /// <summary>The stored values of column j.</summary>
    public ReadOnlySpan<double> ColumnValues(int j) => Values.AsSpan(ColumnPointers[j], ColumnPointers[j + 1] - ColumnPointers[j]);

    /// <summary>The rows of the stored values of column j.</summary>
    public ReadOnlySpan<int> ColumnRows(int j) => RowIndices.AsSpan(ColumnPointers[j], ColumnPointers[j + 1] - ColumnPointers[j]);

    /// <summary>
    /// The CSC form of <paramref name="source"/> (validated by the caller), without the rows
    /// [<paramref name="skipStart"/>, <paramref name="skipStop"/>) — a cross-validation fold's training rows, renumbered
    /// consecutively — or of every row when the range is empty.
    /// </summary>
    public static CompressedColumns FromRows(SparseCompressedRowMatrixStorage<double> source, int skipStart = 0, int skipStop = 0)
    {
        int n = source.RowCount, p = source.ColumnCount;
        var rowPointers = source.RowPointers;
        var columnIndices = source.ColumnIndices;
        var values = source.Values;
        int skipped = skipStop - skipStart;
        var pointers = new int[p + 1];
        for (int i = 0; i < n; i++)
        {
            if (i == skipStart && skipped > 0)
            {
                i = skipStop - 1;
                continue;
            }

            for (int k = rowPointers[i]; k < rowPointers[i + 1]; k++)
            {
                if (values[k] != 0.0)
                {
                    pointers[columnIndices[k] + 1]++;
                }
            }
        }

        for (int j = 0; j < p; j++)
        {
            pointers[j + 1] += pointers[j];
        }

        int count = pointers[p];
        var rows = GC.AllocateUninitializedArray<int>(count); // every entry written below
        var stored = GC.AllocateUninitializedArray<double>(count);
        var next = pointers.AsSpan(0, p).ToArray();
        for (int i = 0; i < n; i++)
        {
            if (i == skipStart && skipped > 0)
            {
                i = skipStop - 1;
                continue;
            }

            int row = i < skipStart ? i : i - skipped;
            for (int k = rowPointers[i]; k < rowPointers[i + 1]; k++)
            {
                double v = values[k];
                if (v != 0.0)
                {
                    int at = next[columnIndices[k]]++;
                    rows[at] = row;
                    stored[at] = v;
                }
            }
        }

        return new CompressedColumns(n - skipped, p, pointers, rows, stored);
    }

    /// <summary>xⱼᵀv, the stored entries of column j against a dense vector of length n.</summary>
    public double ColumnDot(int j, ReadOnlySpan<double> v)
    {
        int start = ColumnPointers[j], length = ColumnPointers[j + 1] - start;
        return Kernels.GatherDot(Values.AsSpan(start, length), RowIndices.AsSpan(start, length), v);
    }

    /// <summary>v ← v + a·xⱼ.</summary>
    public void AddColumn(int j, double a, Span<double> v)
    {
        int start = ColumnPointers[j], length = ColumnPointers[j + 1] - start;
        Kernels.ScatterAxpy(a, Values.AsSpan(start, length), RowIndices.AsSpan(start, length), v);
    }

    /// <summary>
    /// destination ← Xᵀv for v of length n or more (entries past n unread): one gather per column, column blocks split
    /// across the cores for large matrices.
    /// </summary>
    public void MultiplyTransposed(double[] v, double[] destination)
    {
        if (Count >= ParallelThreshold && Columns >= 2 && Parallelism.Degree > 1)
        {
            int blocks = Math.Min(Parallelism.Degree, Columns);
            Parallelism.For(blocks, block =>
            {
                int j1 = (int)((long)Columns * (block + 1) / blocks);
                for (int j = (int)((long)Columns * block / blocks); j < j1; j++)
                {
                    destination[j] = ColumnDot(j, v);
                }
            });
            return;
        }

        for (int j = 0; j < Columns; j++)
        {
            destination[j] = ColumnDot(j, v);
        }
    }

    /// <summary>destination ← X·w + destination (one scatter per column with wⱼ ≠ 0).</summary>
    public void MultiplyAdd(ReadOnlySpan<double> w, Span<double> destination)
    {
        for (int j = 0; j < Columns; j++)
        {
            AddColumn(j, w[j], destination);
        }
    }

    /// <summary>
    /// The column sums Σᵢxᵢⱼ and, into <paramref name="squaredNorms"/>, Σᵢ(xᵢⱼ − mⱼ)² over all n rows (the implicit zeros
    /// included) with mⱼ the column mean written to <paramref name="means"/> when it is given, 0 otherwise. The centred
    /// norm is summed as Σ_stored (x − m)² + (n − stored)·m², not as Σx² − n·m², which cancels digits.
    /// </summary>
    public void Statistics(double[] sums, double[]? means, double[] squaredNorms)
    {
        for (int j = 0; j < Columns; j++)
        {
            var column = ColumnValues(j);
            double sum = Kernels.Sum(column);
            sums[j] = sum;
            if (means is null)
            {
                squaredNorms[j] = Kernels.SquaredNorm(column);
            }
            else
            {
                double mean = sum / Rows;
                means[j] = mean;
                squaredNorms[j] = Kernels.SquaredDistanceFrom(column, mean) + ((Rows - column.Length) * mean * mean);
            }
        }
    }
}
