// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Optimization;

/// <summary>
/// D, the correlation of a signal of n samples with a short filter f of k taps: (Dx)_r = Σ_i f_i·x_(r+i) for the
/// m = n − k + 1 positions where the filter fits (f = [1, −1]: first differences; [1, −2, 1]: second differences). Both
/// products are k shifted AXPYs over the signal, O(n·k), without forming D.
/// </summary>
internal sealed class FilterCorrelation : ILinearOperator
{
    private readonly double[] _filter;

    /// <summary>D for <paramref name="filter"/> (read, not copied) and signals of <paramref name="length"/> ≥ k samples.</summary>
    public FilterCorrelation(double[] filter, int length)
    {
        if (filter.Length < 1 || length < filter.Length)
        {
            throw new ArgumentException($"A filter of {filter.Length} taps does not fit a signal of {length} samples.", nameof(filter));
        }

        _filter = filter;
        ColumnCount = length;
        RowCount = length - filter.Length + 1;
    }

    /// <inheritdoc />
    public int RowCount { get; }

    /// <inheritdoc />
    public int ColumnCount { get; }

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        int m = RowCount;
        y[..m].Clear();
        for (int i = 0; i < _filter.Length; i++)
        {
            if (_filter[i] != 0.0)
            {
                Kernels.Axpy(_filter[i], x.Slice(i, m), y[..m]);
            }
        }
    }

    /// <inheritdoc />
    public void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x)
    {
        int m = RowCount;
        x[..ColumnCount].Clear();
        for (int i = 0; i < _filter.Length; i++)
        {
            if (_filter[i] != 0.0)
            {
                Kernels.Axpy(_filter[i], y[..m], x.Slice(i, m));
            }
        }
    }

    /// <summary>The sums Σ_i |D_ij| of the absolute values of each column (the partial sums of |f| in the first and last k − 1 columns).</summary>
    public double[] AbsoluteColumnSums()
    {
        int n = ColumnCount, m = RowCount, k = _filter.Length;
        var sums = new double[n];
        for (int i = 0; i < k; i++)
        {
            double a = Math.Abs(_filter[i]);
            for (int r = 0; r < m; r++)
            {
                sums[r + i] += a;
            }
        }

        return sums;
    }
}
