// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Optimization;

/// <summary>
/// The constraint operator D (m×p) of the ADMM split Dw − z = 0 (<see cref="AdmmSolver"/>), applied
/// as D·v and Dᵀ·v without forming D when it is structured: the identity (the Lasso), the first- and
/// second-order difference operators (fused Lasso, trend filtering), a dense matrix (the generalized
/// Lasso with a user D), or any <see cref="ILinearOperator"/>. The linear systems of the x-update also
/// ask it for DᵀD, dense (<see cref="AddGram"/>) or, when it is banded, in band storage
/// (<see cref="AddBandedGram"/>).
/// </summary>
internal abstract class ConstraintOperator : ILinearOperator
{
    /// <summary>The number of rows m of D (the length of z and u).</summary>
    public abstract int RowCount { get; }

    /// <summary>The number of columns p of D (the length of w).</summary>
    public abstract int ColumnCount { get; }

    /// <summary>Whether D is the identity: the core then skips the products and the Woodbury system applies.</summary>
    public virtual bool IsIdentity => false;

    /// <summary>The half-bandwidth of DᵀD when it is banded (0 for the identity, k for a k-th order difference), or −1.</summary>
    public virtual int GramBandwidth => -1;

    /// <summary>The identity on ℝᵖ.</summary>
    public static ConstraintOperator Identity(int p) => new IdentityConstraint(p);

    /// <summary>The first-order difference D1, (p−1)×p with rows e_{i+1} − e_i (fused Lasso).</summary>
    public static ConstraintOperator FirstDifference(int p) => new DifferenceConstraint(p, 1);

    /// <summary>The second-order difference D2, (p−2)×p with rows e_i − 2e_{i+1} + e_{i+2} (linear trend filtering).</summary>
    public static ConstraintOperator SecondDifference(int p) => new DifferenceConstraint(p, 2);

    /// <summary>
    /// The k-th order difference (k = 1, 2, 3), max(p − k, 0)×p: D1 and D2 as above, D3 with rows
    /// −e_i + 3e_{i+1} − 3e_{i+2} + e_{i+3} (quadratic trend filtering). Empty (no rows) when p ≤ k.
    /// </summary>
    public static ConstraintOperator Difference(int p, int order) => new DifferenceConstraint(p, order);

    /// <summary>
    /// The stacked operator [w₁·D₁; w₂·D₂; …] of blocks with the same column count (rows in block order):
    /// spm-image's [SparseCoefficient·I; TrendCoefficient·T]. ‖Dv‖₁ = Σ w_k‖D_k v‖₁ for w_k ≥ 0.
    /// </summary>
    public static ConstraintOperator Stacked(params (double Weight, ConstraintOperator Block)[] blocks) => new StackedConstraint(blocks);

    /// <summary>
    /// A sparse D in compressed rows (CSR: row r holds <paramref name="values"/>[k] at column
    /// <paramref name="columns"/>[k] for k in [rowStarts[r], rowStarts[r + 1])), copied. DᵀD has the
    /// half-bandwidth of the widest row span, so banded systems apply to narrow rows.
    /// </summary>
    public static ConstraintOperator SparseRows(int m, int p, ReadOnlySpan<int> rowStarts, ReadOnlySpan<int> columns, ReadOnlySpan<double> values) =>
        new SparseRowsConstraint(m, p, rowStarts, columns, values);

    /// <summary>A dense D given column-major (m×p, read but not copied: keep it unchanged while in use).</summary>
    public static ConstraintOperator Dense(double[] d, int m, int p) => new DenseConstraint(d, m, p);

    /// <summary>Any operator D, used only through its products.</summary>
    public static ConstraintOperator FromOperator(ILinearOperator d) => d as ConstraintOperator ?? new OperatorConstraint(d);

    /// <summary>result ← D·v (v: p entries, result: m entries).</summary>
    public abstract void Apply(ReadOnlySpan<double> x, Span<double> y);

    /// <summary>result ← Dᵀ·v (v: m entries, result: p entries).</summary>
    public abstract void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x);

    /// <summary>A ← A + scale·DᵀD for the p×p column-major <paramref name="a"/> (both triangles). By default column by column from the products: p applications of D and Dᵀ.</summary>
    public virtual void AddGram(double scale, Span<double> a, int lda)
    {
        int m = RowCount, p = ColumnCount;
        var unit = new double[p];
        var image = new double[m];
        var column = new double[p];
        for (int j = 0; j < p; j++)
        {
            unit[j] = 1.0;
            Apply(unit, image);
            ApplyTranspose(image, column);
            unit[j] = 0.0;
            Kernels.Axpy(scale, column, a.Slice(j * lda, p));
        }
    }

    /// <summary>
    /// band ← band + scale·DᵀD in the lower band storage of <see cref="BandedCholesky"/> with
    /// half-bandwidth <paramref name="bandwidth"/> ≥ <see cref="GramBandwidth"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">DᵀD is not banded.</exception>
    public virtual void AddBandedGram(double scale, Span<double> band, int bandwidth) =>
        throw new NotSupportedException($"{GetType().Name}: DᵀD is not banded.");
}

/// <summary>D = I.</summary>
internal sealed class IdentityConstraint(int p) : ConstraintOperator
{
    /// <inheritdoc />
    public override int RowCount => p;

    /// <inheritdoc />
    public override int ColumnCount => p;

    /// <inheritdoc />
    public override bool IsIdentity => true;

    /// <inheritdoc />
    public override int GramBandwidth => 0;

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<double> x, Span<double> y) => x.CopyTo(y);

    /// <inheritdoc />
    public override void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x) => y.CopyTo(x);

    /// <inheritdoc />
    public override void AddGram(double scale, Span<double> a, int lda)
    {
        for (int j = 0; j < p; j++)
        {
            a[j + (j * lda)] += scale;
        }
    }

    /// <inheritdoc />
    public override void AddBandedGram(double scale, Span<double> band, int bandwidth)
    {
        for (int j = 0; j < p; j++)
        {
            band[j * (bandwidth + 1)] += scale;
        }
    }
}

/// <summary>
/// The k-th order difference operator (k = 1, 2, 3), (p − k)×p: row i holds the stencil (−1, 1),
/// (1, −2, 1) or (−1, 3, −3, 1) at columns i..i+k. Products are element-wise differences of shifted spans (SIMD
/// through <see cref="Kernels.Subtract"/>, <see cref="Kernels.Add"/> and <see cref="Kernels.Axpy"/>), with the few
/// boundary entries of Dᵀ done one by one; DᵀD is banded with half-bandwidth k. With p ≤ k the operator has no rows.
/// </summary>
internal sealed class DifferenceConstraint : ConstraintOperator
{
    private readonly int _p;
    private readonly int _order;
    private readonly double[] _stencil;

    /// <summary>Creates the operator on ℝᵖ, p ≥ 0 (D is then max(p − k, 0)×p, empty when p ≤ k).</summary>
    public DifferenceConstraint(int p, int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 3);
        ArgumentOutOfRangeException.ThrowIfNegative(p);
        _p = p;
        _order = order;
        _stencil = order switch
        {
            1 => [-1.0, 1.0],
            2 => [1.0, -2.0, 1.0],
            _ => [-1.0, 3.0, -3.0, 1.0],
        };
    }

    /// <inheritdoc />
    public override int RowCount => Math.Max(_p - _order, 0);

    /// <inheritdoc />
    public override int ColumnCount => _p;

    /// <inheritdoc />
    public override int GramBandwidth => _order;

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        int m = RowCount;
        if (m == 0)
        {
            return;
        }

        y = y[..m];
        if (_order == 1)
        {
            // (D1 v)_i = v_{i+1} − v_i
            Kernels.Subtract(x[1..], x[..m], y);
            return;
        }

        if (_order == 2)
        {
            // (D2 v)_i = (v_{i+2} − v_{i+1}) − v_{i+1} + v_i
            Kernels.Subtract(x[2..], x.Slice(1, m), y);
            Kernels.Subtract(y, x.Slice(1, m), y);
            Kernels.Add(y, x[..m], y);
            return;
        }

        // (D3 v)_i = (v_{i+3} − v_i) − 3v_{i+2} + 3v_{i+1}
        Kernels.Subtract(x[3..], x[..m], y);
        Kernels.Axpy(-3.0, x.Slice(2, m), y);
        Kernels.Axpy(3.0, x.Slice(1, m), y);
    }

    /// <inheritdoc />
    public override void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x)
    {
        int m = RowCount, k = _order;
        x = x[.._p];

        // Interior columns j ∈ [k, m − 1] meet every stencil entry: (Dᵀu)_j = Σ_a s_a·u_{j−a}.
        int interior = m - k;
        if (interior > 0)
        {
            var target = x.Slice(k, interior);
            if (k == 1)
            {
                // u_{j−1} − u_j
                Kernels.Subtract(y[..interior], y.Slice(1, interior), target);
            }
            else if (k == 2)
            {
                // (u_j − u_{j−1}) − u_{j−1} + u_{j−2}
                Kernels.Subtract(y.Slice(2, interior), y.Slice(1, interior), target);
                Kernels.Subtract(target, y.Slice(1, interior), target);
                Kernels.Add(target, y[..interior], target);
            }
            else
            {
                // (u_{j−3} − u_j) + 3u_{j−1} − 3u_{j−2}
                Kernels.Subtract(y[..interior], y.Slice(3, interior), target);
                Kernels.Axpy(3.0, y.Slice(2, interior), target);
                Kernels.Axpy(-3.0, y.Slice(1, interior), target);
            }
        }

        // The boundary columns, where some rows j − a fall outside [0, m).
        for (int j = 0; j < _p; j++)
        {
            if (j >= k && j < m)
            {
                j = m - 1;
                continue;
            }

            double sum = 0.0;
            for (int a = 0; a <= k; a++)
            {
                int row = j - a;
                if (row >= 0 && row < m)
                {
                    sum += _stencil[a] * y[row];
                }
            }

            x[j] = sum;
        }
    }

    /// <inheritdoc />
    public override void AddGram(double scale, Span<double> a, int lda)
    {
        for (int row = 0; row < RowCount; row++)
        {
            for (int i = 0; i <= _order; i++)
            {
                for (int j = 0; j <= _order; j++)
                {
                    a[(row + i) + ((row + j) * lda)] += scale * _stencil[i] * _stencil[j];
                }
            }
        }
    }

    /// <inheritdoc />
    public override void AddBandedGram(double scale, Span<double> band, int bandwidth)
    {
        if (bandwidth < _order)
        {
            throw Guard.OutOfRange(nameof(bandwidth), $"DᵀD of a difference of order {_order} needs a half-bandwidth of at least {_order} (was {bandwidth}).");
        }

        int ld = bandwidth + 1;
        for (int row = 0; row < RowCount; row++)
        {
            for (int j = 0; j <= _order; j++)
            {
                for (int i = j; i <= _order; i++)
                {
                    band[(i - j) + ((row + j) * ld)] += scale * _stencil[i] * _stencil[j];
                }
            }
        }
    }
}

/// <summary>A dense D, column-major m×p, multiplied through the library's GEMV.</summary>
internal sealed class DenseConstraint : ConstraintOperator
{
    private readonly double[] _d;
    private readonly int _m;
    private readonly int _p;

    /// <summary>Wraps the column-major m×p array <paramref name="d"/> (not copied).</summary>
    public DenseConstraint(double[] d, int m, int p)
    {
        ArgumentNullException.ThrowIfNull(d);
        if ((long)m * p > d.Length)
        {
            throw new ArgumentException($"d has {d.Length} entries but a {m}×{p} matrix needs {(long)m * p}.", nameof(d));
        }

        _d = d;
        _m = m;
        _p = p;
    }

    /// <inheritdoc />
    public override int RowCount => _m;

    /// <inheritdoc />
    public override int ColumnCount => _p;

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<double> x, Span<double> y) =>
        Gemv.Multiply(_m, _p, 1.0, _d, Math.Max(1, _m), x, 0.0, y[.._m]);

    /// <inheritdoc />
    public override void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x) =>
        Gemv.MultiplyTransposed(_m, _p, 1.0, _d, Math.Max(1, _m), y, 0.0, x[.._p]);

    /// <inheritdoc />
    public override void AddGram(double scale, Span<double> a, int lda)
    {
        if (_p == 0)
        {
            return;
        }

        var gram = new double[_p * _p];
        Gram.Compute(_m, _p, _d, Math.Max(1, _m), gram);
        for (int j = 0; j < _p; j++)
        {
            Kernels.Axpy(scale, gram.AsSpan(j * _p, _p), a.Slice(j * lda, _p));
        }
    }
}

/// <summary>Any <see cref="ILinearOperator"/> as D.</summary>
internal sealed class OperatorConstraint(ILinearOperator d) : ConstraintOperator
{
    /// <inheritdoc />
    public override int RowCount => d.RowCount;

    /// <inheritdoc />
    public override int ColumnCount => d.ColumnCount;

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<double> x, Span<double> y) => d.Apply(x, y);

    /// <inheritdoc />
    public override void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x) => d.ApplyTranspose(y, x);
}

/// <summary>
/// [w₁·D₁; w₂·D₂; …]: blocks of rows, each a weighted operator on the same ℝᵖ (spm-image's
/// [SparseCoefficient·I; TrendCoefficient·T] for the fused Lasso and trend filtering). DᵀD = Σ w_k²·D_kᵀD_k is
/// banded with the widest block's half-bandwidth when every block's is. Dᵀ accumulates the blocks through one
/// scratch vector of p entries (an instance serves one solve at a time).
/// </summary>
internal sealed class StackedConstraint : ConstraintOperator
{
    private readonly (double Weight, ConstraintOperator Block)[] _blocks;
    private readonly int _rows;
    private readonly int _columns;
    private readonly int _bandwidth;
    private readonly double[] _scratch;

    /// <summary>Stacks <paramref name="blocks"/> (at least one, all with the same column count; kept, not copied).</summary>
    public StackedConstraint((double Weight, ConstraintOperator Block)[] blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Length == 0)
        {
            throw new ArgumentException("At least one block is needed.", nameof(blocks));
        }

        _columns = blocks[0].Block.ColumnCount;
        _bandwidth = 0;
        foreach (var (_, block) in blocks)
        {
            if (block.ColumnCount != _columns)
            {
                throw new ArgumentException($"Every block must have {_columns} columns (one has {block.ColumnCount}).", nameof(blocks));
            }

            _rows += block.RowCount;
            _bandwidth = block.GramBandwidth < 0 || _bandwidth < 0 ? -1 : Math.Max(_bandwidth, block.GramBandwidth);
        }

        _blocks = blocks;
        _scratch = new double[_columns];
    }

    /// <inheritdoc />
    public override int RowCount => _rows;

    /// <inheritdoc />
    public override int ColumnCount => _columns;

    /// <inheritdoc />
    public override int GramBandwidth => _bandwidth;

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        int start = 0;
        foreach (var (weight, block) in _blocks)
        {
            var slice = y.Slice(start, block.RowCount);
            block.Apply(x, slice);
            if (weight != 1.0)
            {
                Kernels.Scal(weight, slice);
            }

            start += block.RowCount;
        }
    }

    /// <inheritdoc />
    public override void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x)
    {
        x = x[.._columns];
        int start = 0;
        for (int k = 0; k < _blocks.Length; k++)
        {
            var (weight, block) = _blocks[k];
            var slice = y.Slice(start, block.RowCount);
            start += block.RowCount;
            if (k == 0)
            {
                block.ApplyTranspose(slice, x);
                if (weight != 1.0)
                {
                    Kernels.Scal(weight, x);
                }
            }
            else
            {
                block.ApplyTranspose(slice, _scratch);
                Kernels.Axpy(weight, _scratch, x);
            }
        }
    }

    /// <inheritdoc />
    public override void AddGram(double scale, Span<double> a, int lda)
    {
        foreach (var (weight, block) in _blocks)
        {
            block.AddGram(scale * weight * weight, a, lda);
        }
    }

    /// <inheritdoc />
    public override void AddBandedGram(double scale, Span<double> band, int bandwidth)
    {
        if (_bandwidth < 0)
        {
            base.AddBandedGram(scale, band, bandwidth); // throws: some block is not banded
            return;
        }

        foreach (var (weight, block) in _blocks)
        {
            block.AddBandedGram(scale * weight * weight, band, bandwidth);
        }
    }
}

/// <summary>
/// A sparse D in compressed rows (the generalized Lasso with a user D given as a MathNet sparse matrix, or a
/// graph's incidence matrix): products touch the stored entries only, and DᵀD is banded with the half-bandwidth
/// of the widest row (the largest column distance within one row), so narrow rows get the banded systems.
/// </summary>
internal sealed class SparseRowsConstraint : ConstraintOperator
{
    private readonly int _m;
    private readonly int _p;
    private readonly int[] _rowStarts;
    private readonly int[] _columns;
    private readonly double[] _values;
    private readonly int _bandwidth;

    /// <summary>Copies the CSR arrays of an m×p matrix (column indices within each row in any order, each in [0, p)).</summary>
    public SparseRowsConstraint(int m, int p, ReadOnlySpan<int> rowStarts, ReadOnlySpan<int> columns, ReadOnlySpan<double> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(p);
        if (rowStarts.Length < m + 1 || rowStarts[0] != 0 || rowStarts[m] > Math.Min(columns.Length, values.Length))
        {
            throw new ArgumentException($"The row starts of a {m}-row matrix must have {m + 1} entries from 0 to at most the stored entries.", nameof(rowStarts));
        }

        _m = m;
        _p = p;
        _rowStarts = rowStarts[..(m + 1)].ToArray();
        int stored = _rowStarts[m];
        _columns = columns[..stored].ToArray();
        _values = values[..stored].ToArray();
        for (int r = 0; r < m; r++)
        {
            int first = int.MaxValue, last = int.MinValue;
            if (_rowStarts[r + 1] < _rowStarts[r])
            {
                throw new ArgumentException($"The row starts must not decrease (row {r}).", nameof(rowStarts));
            }

            for (int k = _rowStarts[r]; k < _rowStarts[r + 1]; k++)
            {
                int c = _columns[k];
                if ((uint)c >= (uint)p)
                {
                    throw new ArgumentException($"Column index {c} of row {r} is outside [0, {p}).", nameof(columns));
                }

                first = Math.Min(first, c);
                last = Math.Max(last, c);
            }

            _bandwidth = Math.Max(_bandwidth, last - first);
        }
    }

    /// <inheritdoc />
    public override int RowCount => _m;

    /// <inheritdoc />
    public override int ColumnCount => _p;

    /// <inheritdoc />
    public override int GramBandwidth => _bandwidth;

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int r = 0; r < _m; r++)
        {
            double sum = 0.0;
            for (int k = _rowStarts[r]; k < _rowStarts[r + 1]; k++)
            {
                sum += _values[k] * x[_columns[k]];
            }

            y[r] = sum;
        }
    }

    /// <inheritdoc />
    public override void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x)
    {
        x[.._p].Clear();
        for (int r = 0; r < _m; r++)
        {
            double v = y[r];
            for (int k = _rowStarts[r]; k < _rowStarts[r + 1]; k++)
            {
                x[_columns[k]] += _values[k] * v;
            }
        }
    }

    /// <inheritdoc />
    public override void AddGram(double scale, Span<double> a, int lda)
    {
        for (int r = 0; r < _m; r++)
        {
            for (int k = _rowStarts[r]; k < _rowStarts[r + 1]; k++)
            {
                double v = scale * _values[k];
                for (int l = _rowStarts[r]; l < _rowStarts[r + 1]; l++)
                {
                    a[_columns[l] + (_columns[k] * lda)] += v * _values[l];
                }
            }
        }
    }

    /// <inheritdoc />
    public override void AddBandedGram(double scale, Span<double> band, int bandwidth)
    {
        if (bandwidth < _bandwidth)
        {
            throw Guard.OutOfRange(nameof(bandwidth), $"DᵀD of these rows needs a half-bandwidth of at least {_bandwidth} (was {bandwidth}).");
        }

        int ld = bandwidth + 1;
        for (int r = 0; r < _m; r++)
        {
            for (int k = _rowStarts[r]; k < _rowStarts[r + 1]; k++)
            {
                double v = scale * _values[k];
                int j = _columns[k];
                for (int l = _rowStarts[r]; l < _rowStarts[r + 1]; l++)
                {
                    int i = _columns[l];
                    if (i >= j)
                    {
                        band[(i - j) + (j * ld)] += v * _values[l];
                    }
                }
            }
        }
    }
}
