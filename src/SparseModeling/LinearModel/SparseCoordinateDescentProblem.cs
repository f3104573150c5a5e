// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// Sparse X in CSC form (<see cref="CompressedColumns"/>) for <see cref="CoordinateDescentSolver"/>, centred implicitly
/// when column means are given: X̃ = X − 1x̄ᵀ is never formed, so a column costs its stored entries, not n.
/// </summary>
/// <remarks>
/// <para>
/// Without centring the residual is the plain n-vector r = y − Xw. With centring a column update would touch all n
/// rows (x̃ⱼ is dense); scikit-learn's <c>sparse_enet_coordinate_descent</c> does that, O(n) per changed coordinate.
/// Here the residual is kept as r = u + s·1 in an array of n + 2: u (n entries) receives the stored entries only,
/// the shift s (entry n) the mean part, and entry n + 1 holds Σu. Then
/// x̃ⱼᵀr = Σ_stored xᵢⱼuᵢ + s·Σᵢxᵢⱼ − mⱼ(Σu + n·s) = Σ_stored xᵢⱼuᵢ − mⱼ·Σu (as Σᵢxᵢⱼ = n·mⱼ), and r ← r + a·x̃ⱼ is
/// u ← u + a·xⱼ (stored entries), s ← s − a·mⱼ, Σu ← Σu + a·Σᵢxᵢⱼ: O(stored entries of column j) each.
/// ‖r‖² = Σ(uᵢ + s)² and rᵀy = uᵀy + s·Σy cost O(n), paid only at duality-gap checks, where X̃ᵀr is formed too and
/// the shift is folded back into u (u ← u + s, s ← 0, Σu recomputed) so that rounding never accumulates in it.
/// </para>
/// <para>The Gram strategy is not offered: a pass costs O(nnz) here, and forming X̃ᵀX̃ densely would cost more than it saves.</para>
/// </remarks>
internal sealed class SparseCoordinateDescentProblem : CoordinateDescentProblem
{
    private readonly double _ySum;

    /// <summary>
    /// A problem on <paramref name="x"/>; with <paramref name="columnMeans"/> the columns are centred implicitly and
    /// <paramref name="y"/> must be centred. <paramref name="columnSums"/> are Σᵢxᵢⱼ, <paramref name="columnNormsSquared"/>
    /// the squared norms of the (centred) columns.
    /// </summary>
    public SparseCoordinateDescentProblem(CompressedColumns x, double[] y, double[]? columnMeans, double[] columnSums, double[] columnNormsSquared)
        : base(x.Rows, x.Columns, y, columnNormsSquared)
    {
        X = x;
        Means = columnMeans;
        ColumnSums = columnSums;
        _ySum = Kernels.Sum(y);
    }

    /// <summary>X in CSC form.</summary>
    public CompressedColumns X { get; }

    /// <summary>The column means subtracted implicitly, or null when X is used as stored.</summary>
    public double[]? Means { get; }

    /// <summary>Σᵢxᵢⱼ per column.</summary>
    public double[] ColumnSums { get; }

    /// <inheritdoc/>
    public override int ResidualLength => Means is null ? Rows : Rows + 2;

    /// <inheritdoc/>
    public override void ResetResidual(Span<double> r)
    {
        Y.CopyTo(r);
        if (Means is not null)
        {
            r[Rows] = 0.0;
            r[Rows + 1] = _ySum;
        }
    }

    /// <inheritdoc/>
    public override double ColumnDot(int j, ReadOnlySpan<double> r)
    {
        double dot = X.ColumnDot(j, r[..Rows]);
        return Means is null ? dot : dot - (Means[j] * r[Rows + 1]);
    }

    /// <inheritdoc/>
    public override void AddColumn(int j, double a, Span<double> r)
    {
        X.AddColumn(j, a, r[..Rows]);
        if (Means is not null)
        {
            r[Rows] -= a * Means[j];
            r[Rows + 1] += a * ColumnSums[j];
        }
    }

    /// <inheritdoc/>
    public override void CorrelateResidual(double[] r, double[] destination)
    {
        if (Means is null)
        {
            X.MultiplyTransposed(r, destination);
            return;
        }

        var u = r.AsSpan(0, Rows);
        // Fold the shift into u and resynchronise Σu: the same residual, with no accumulated rounding in s or Σu.
        if (r[Rows] != 0.0)
        {
            Kernels.AddScalar(r[Rows], u);
            r[Rows] = 0.0;
        }

        double sum = Kernels.Sum(u);
        r[Rows + 1] = sum;
        X.MultiplyTransposed(r, destination);
        Kernels.Axpy(-sum, Means, destination);
    }

    /// <inheritdoc/>
    public override double ResidualNormSquared(ReadOnlySpan<double> r) =>
        Means is null || r[Rows] == 0.0 ? Kernels.SquaredNorm(r[..Rows]) : Kernels.SquaredDistanceFrom(r[..Rows], -r[Rows]);

    /// <inheritdoc/>
    public override double ResidualDotY(ReadOnlySpan<double> r)
    {
        double dot = Kernels.Dot(r[..Rows], Y);
        return Means is null ? dot : dot + (r[Rows] * _ySum);
    }

    /// <inheritdoc/>
    private protected override void CorrelateTarget(double[] destination)
    {
        X.MultiplyTransposed(Y, destination);
        if (Means is not null)
        {
            Kernels.Axpy(-_ySum, Means, destination);
        }
    }
}
