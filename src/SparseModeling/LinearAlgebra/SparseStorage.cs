// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// MathNet's compressed-row storage (<see cref="MathNet.Numerics.LinearAlgebra.Double.SparseMatrix"/>) as the
/// library reads it: detection, validation, and the row-wise products (CSR·w, CSR·B) that never form the dense matrix.
/// </summary>
internal static class SparseStorage
{
    /// <summary>The compressed-row storage of <paramref name="x"/>, or null when it is stored otherwise (dense, diagonal).</summary>
    public static SparseCompressedRowMatrixStorage<double>? Of(Matrix<double> x) => x.Storage as SparseCompressedRowMatrixStorage<double>;

    /// <summary>
    /// The first structural defect of <paramref name="storage"/> as a message naming the row (and column), or null when the
    /// storage is canonical enough for the library: row pointers starting at 0 and non-decreasing within the arrays,
    /// column indices in range, and no column index twice in one row (the order within a row does not matter).
    /// </summary>
    public static string? Defect(SparseCompressedRowMatrixStorage<double> storage)
    {
        int n = storage.RowCount, p = storage.ColumnCount;
        var rowPointers = storage.RowPointers;
        var columns = storage.ColumnIndices;
        var values = storage.Values;
        if (rowPointers.Length < n + 1 || rowPointers[0] != 0)
        {
            return $"has malformed row pointers (length {rowPointers.Length}, first {(rowPointers.Length > 0 ? rowPointers[0] : 0)}; expected length ≥ {n + 1} starting at 0)";
        }

        int[]? lastRow = null;
        for (int i = 0; i < n; i++)
        {
            int start = rowPointers[i], end = rowPointers[i + 1];
            if (end < start || end > columns.Length || end > values.Length)
            {
                return $"has malformed row pointers at row {i} ({start} to {end} with {Math.Min(columns.Length, values.Length)} stored entries)";
            }

            // A duplicate needs two entries; a row with none or one is canonical whatever its order.
            if (end - start > 1)
            {
                lastRow ??= CreateMarks(p);
            }

            for (int k = start; k < end; k++)
            {
                int c = columns[k];
                if ((uint)c >= (uint)p)
                {
                    return $"has column index {c} at row {i} (stored entry {k}), outside 0..{p - 1}";
                }

                if (lastRow is not null)
                {
                    if (lastRow[c] == i)
                    {
                        return $"stores column {c} twice in row {i} (entries {Array.IndexOf(columns, c, start)} and {k}): duplicate entries in a compressed row are ambiguous; sum them first (SparseMatrix.OfCompressedSparseRowFormat does)";
                    }

                    lastRow[c] = i;
                }
            }
        }

        return null;
    }

    /// <summary>The first stored entry of <paramref name="storage"/> that is NaN or ±∞, as (row, column, value), or null.</summary>
    public static (int Row, int Column, double Value)? FirstNonFinite(SparseCompressedRowMatrixStorage<double> storage)
    {
        int count = storage.ValueCount;
        int at = Kernels.IndexOfNonFinite(storage.Values.AsSpan(0, count));
        if (at < 0)
        {
            return null;
        }

        // The row holding entry `at`: the last row whose start is ≤ at and whose end is > at.
        var rowPointers = storage.RowPointers;
        int lo = 0, hi = storage.RowCount - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >>> 1;
            if (rowPointers[mid] <= at)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return (lo, storage.ColumnIndices[at], storage.Values[at]);
    }

    /// <summary>max |xᵢⱼ| over the stored entries (NaN entries skipped; 0 when there is none).</summary>
    public static double MaxAbs(SparseCompressedRowMatrixStorage<double> storage) => Rescaling.MaxAbs(storage.Values.AsSpan(0, storage.ValueCount));

    /// <summary>A sparse copy of the matrix with every stored value multiplied by 2^<paramref name="exponent"/> (exact).</summary>
    public static Matrix<double> Scaled(SparseCompressedRowMatrixStorage<double> storage, int exponent)
    {
        int count = storage.ValueCount;
        var values = storage.Values.AsSpan(0, count).ToArray();
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = Math.ScaleB(values[k], exponent);
        }

        return Matrix<double>.Build.SparseFromCompressedSparseRowFormat(storage.RowCount, storage.ColumnCount, count, storage.RowPointers, storage.ColumnIndices, values);
    }

    /// <summary>result[i − rowStart] += xᵢᵀw for the rows [<paramref name="rowStart"/>, <paramref name="rowStop"/>): CSR times a dense vector.</summary>
    public static void MultiplyAdd(SparseCompressedRowMatrixStorage<double> storage, int rowStart, int rowStop, ReadOnlySpan<double> w, Span<double> result)
    {
        var rowPointers = storage.RowPointers;
        for (int i = rowStart; i < rowStop; i++)
        {
            int start = rowPointers[i], length = rowPointers[i + 1] - start;
            result[i - rowStart] += Kernels.GatherDot(storage.Values.AsSpan(start, length), storage.ColumnIndices.AsSpan(start, length), w);
        }
    }

    /// <summary>
    /// C ← X[rowStart..rowStop)·B for B (p×k column-major, leading dimension p) into C ((rowStop − rowStart)×k column-major):
    /// CSR times a dense matrix, one gather per row and column of B.
    /// </summary>
    public static void Multiply(SparseCompressedRowMatrixStorage<double> storage, int rowStart, int rowStop, ReadOnlySpan<double> b, int k, Span<double> c)
    {
        int p = storage.ColumnCount, rows = rowStop - rowStart;
        c[..(rows * k)].Clear();
        for (int col = 0; col < k; col++)
        {
            MultiplyAdd(storage, rowStart, rowStop, b.Slice(col * p, p), c.Slice(col * rows, rows));
        }
    }

    /// <summary>destination ← Xᵀv: CSR transposed times a dense vector (one scatter per row).</summary>
    public static void MultiplyTransposed(SparseCompressedRowMatrixStorage<double> storage, ReadOnlySpan<double> v, Span<double> destination)
    {
        destination[..storage.ColumnCount].Clear();
        var rowPointers = storage.RowPointers;
        for (int i = 0; i < storage.RowCount; i++)
        {
            int start = rowPointers[i], length = rowPointers[i + 1] - start;
            Kernels.ScatterAxpy(v[i], storage.Values.AsSpan(start, length), storage.ColumnIndices.AsSpan(start, length), destination);
        }
    }

    private static int[] CreateMarks(int p)
    {
        var marks = new int[p];
        Array.Fill(marks, -1);
        return marks;
    }
}
