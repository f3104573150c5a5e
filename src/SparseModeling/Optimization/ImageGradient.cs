// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Optimization;

/// <summary>
/// The discrete gradient ∇ of a rows×columns image stored column-major (pixel (i, j) at i + j·rows), by forward
/// differences with Neumann boundaries, as Chambolle (2004) and scikit-image define it: component 0 (entries 0..N−1) is
/// u[i+1, j] − u[i, j], 0 in the last row; component 1 (entries N..2N−1) is u[i, j+1] − u[i, j], 0 in the last column.
/// Its transpose is −div. ‖∇‖² &lt; 8. Columns are independent, so both directions run over column blocks in parallel for
/// large images with the same arithmetic per column.
/// </summary>
internal sealed class ImageGradient : ILinearOperator
{
    /// <summary>Below this many pixels (about 1024×1024) the operator runs on one thread: a product is a few subtractions per pixel.</summary>
    private const int ParallelThreshold = 1 << 20;

    /// <summary>The fewest columns of a parallel block.</summary>
    private const int MinimumBlockColumns = 8;

    private readonly int _rows;
    private readonly int _columns;

    /// <summary>The gradient of a <paramref name="rows"/>×<paramref name="columns"/> image (both ≥ 1).</summary>
    public ImageGradient(int rows, int columns)
    {
        Guard.AtLeast(rows, 1);
        Guard.AtLeast(columns, 1);
        _rows = rows;
        _columns = columns;
    }

    /// <summary>An upper bound of ‖∇‖², the largest eigenvalue of ∇ᵀ∇ (the 2-D Laplacian): 4 + 4.</summary>
    public static double SquaredNormBound => 8.0;

    /// <inheritdoc />
    public int RowCount => 2 * _rows * _columns;

    /// <inheritdoc />
    public int ColumnCount => _rows * _columns;

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        Check(x.Length, ColumnCount, nameof(x));
        Check(y.Length, RowCount, nameof(y));
        unsafe
        {
            fixed (double* xs = x, ys = y)
            {
                var input = (nint)xs;
                var output = (nint)ys;
                ForColumnBlocks((first, end) => ApplyColumns(new ReadOnlySpan<double>((double*)input, ColumnCount), new Span<double>((double*)output, RowCount), first, end));
            }
        }
    }

    /// <inheritdoc />
    public void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x)
    {
        Check(y.Length, RowCount, nameof(y));
        Check(x.Length, ColumnCount, nameof(x));
        unsafe
        {
            fixed (double* ys = y, xs = x)
            {
                var input = (nint)ys;
                var output = (nint)xs;
                ForColumnBlocks((first, end) => ApplyTransposeColumns(new ReadOnlySpan<double>((double*)input, RowCount), new Span<double>((double*)output, ColumnCount), first, end));
            }
        }
    }

    private static void Check(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} entries but the image gradient needs {expected}.", name);
        }
    }

    /// <summary>Runs <paramref name="body"/> over blocks of columns: one block for small images, else one per thread.</summary>
    private void ForColumnBlocks(Action<int, int> body)
    {
        int count = ColumnCount;
        int blocks = count < ParallelThreshold ? 1 : Math.Max(1, Math.Min(Parallelism.Degree, _columns / MinimumBlockColumns));
        if (blocks == 1)
        {
            body(0, _columns);
            return;
        }

        Parallelism.For(blocks, b => body((int)((long)_columns * b / blocks), (int)((long)_columns * (b + 1) / blocks)));
    }

    private void ApplyColumns(ReadOnlySpan<double> x, Span<double> y, int first, int end)
    {
        int rows = _rows, n = ColumnCount;
        for (int j = first; j < end; j++)
        {
            var column = x.Slice(j * rows, rows);
            var down = y.Slice(j * rows, rows);
            var across = y.Slice(n + (j * rows), rows);
            Kernels.Subtract(column[1..], column[..^1], down[..^1]);
            down[^1] = 0.0;
            if (j + 1 < _columns)
            {
                Kernels.Subtract(x.Slice((j + 1) * rows, rows), column, across);
            }
            else
            {
                across.Clear();
            }
        }
    }

    private void ApplyTransposeColumns(ReadOnlySpan<double> y, Span<double> x, int first, int end)
    {
        int rows = _rows, n = ColumnCount;
        for (int j = first; j < end; j++)
        {
            var column = x.Slice(j * rows, rows);
            var down = y.Slice(j * rows, rows);

            // (∇₀ᵀq)[i] = q[i−1]·[i ≥ 1] − q[i]·[i ≤ rows − 2]: the last row of q is not part of the image of ∇₀.
            if (rows == 1)
            {
                column[0] = 0.0;
            }
            else
            {
                column[0] = -down[0];
                Kernels.Subtract(down[..^2], down[1..^1], column[1..^1]);
                column[^1] = down[^2];
            }

            if (j > 0)
            {
                Kernels.Add(column, y.Slice(n + ((j - 1) * rows), rows), column);
            }

            if (j + 1 < _columns)
            {
                Kernels.Subtract(column, y.Slice(n + (j * rows), rows), column);
            }
        }
    }
}
