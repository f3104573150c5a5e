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
/// The k-th order difference operator (k = 1, 2), (p − k)×p: row i holds the stencil (−1, 1) or
/// (1, −2, 1) at columns i..i+k. Products are element-wise differences of shifted spans (SIMD through
/// <see cref="Kernels.Subtract"/>), with the few boundary entries of Dᵀ done one by one; DᵀD is banded
/// with half-bandwidth k.
/// </summary>
internal sealed class DifferenceConstraint : ConstraintOperator
{
    private readonly int _p;
    private readonly int _order;
    private readonly double[] _stencil;

    /// <summary>Creates the operator on ℝᵖ; p ≥ k (D is then (p − k)×p, empty when p = k).</summary>
    public DifferenceConstraint(int p, int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(p, order);
        _p = p;
        _order = order;
        _stencil = order == 1 ? [-1.0, 1.0] : [1.0, -2.0, 1.0];
    }

    /// <inheritdoc />
    public override int RowCount => _p - _order;

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

        // (D2 v)_i = (v_{i+2} − v_{i+1}) − v_{i+1} + v_i
        Kernels.Subtract(x[2..], x.Slice(1, m), y);
        Kernels.Subtract(y, x.Slice(1, m), y);
        Kernels.Add(y, x[..m], y);
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
            else
            {
                // (u_j − u_{j−1}) − u_{j−1} + u_{j−2}
                Kernels.Subtract(y.Slice(2, interior), y.Slice(1, interior), target);
                Kernels.Subtract(target, y.Slice(1, interior), target);
                Kernels.Add(target, y[..interior], target);
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
