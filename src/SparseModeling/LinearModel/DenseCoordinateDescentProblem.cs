// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// Dense column-major X for <see cref="CoordinateDescentSolver"/>, centred implicitly when column means are given;
/// the residual is the plain n-vector r.
/// </summary>
internal sealed class DenseCoordinateDescentProblem : CoordinateDescentProblem
{
    /// <summary>
    /// A problem on column-major <paramref name="x"/>; with <paramref name="columnMeans"/> the
    /// columns are centred implicitly (xⱼ − mⱼ) without a copy, and <paramref name="y"/> must be centred.
    /// <paramref name="columnNormsSquared"/> are the (centred) squared column norms if already known.
    /// </summary>
    public DenseCoordinateDescentProblem(double[] x, int rows, int columns, double[] y, double[]? columnMeans = null, double[]? columnNormsSquared = null)
        : base(rows, columns, y, columnNormsSquared ?? Norms(x, rows, columns, columnMeans))
    {
        X = x;
        Means = columnMeans;
    }

    /// <summary>X, n×p column-major.</summary>
    public double[] X { get; }

    /// <summary>The column means subtracted implicitly, or null when X is used as stored.</summary>
    public double[]? Means { get; }

    /// <inheritdoc/>
    public override bool PrefersGram => Rows > Columns && Columns < CoordinateDescentSolver.WorkingSetMinFeatures;

    /// <summary>Column j as stored.</summary>
    public ReadOnlySpan<double> Column(int j) => X.AsSpan(j * Rows, Rows);

    /// <inheritdoc/>
    public override void ResetResidual(Span<double> r) => Y.CopyTo(r);

    /// <summary>
    /// xⱼᵀr for the (centred) column j. A residual of centred data sums to zero, so the implicit
    /// centring needs no correction here.
    /// </summary>
    public override double ColumnDot(int j, ReadOnlySpan<double> r) => Kernels.Dot(Column(j), r);

    /// <summary>r ← r + a·(xⱼ − mⱼ).</summary>
    public override void AddColumn(int j, double a, Span<double> r)
    {
        if (Means is null)
        {
            Kernels.Axpy(a, Column(j), r);
        }
        else
        {
            Kernels.AxpyShift(a, Column(j), -a * Means[j], r);
        }
    }

    /// <summary>r ← r + a·(xⱼ − mⱼ), returning x_nextᵀr, in one pass.</summary>
    public override double AddColumnDot(int j, double a, Span<double> r, int next) =>
        Kernels.AxpyShiftDot(a, Column(j), Means is null ? 0.0 : -a * Means[j], r, Column(next));

    /// <inheritdoc/>
    public override void CorrelateResidual(double[] r, double[] destination) => CorrelateAll(r, destination);

    /// <summary>X̃ᵀv (of the centred columns) into <paramref name="destination"/>.</summary>
    public void CorrelateAll(ReadOnlySpan<double> v, Span<double> destination) =>
        CenteredData.CorrelateCentred(X, Rows, Columns, Means, v, destination);

    /// <inheritdoc/>
    public override double ResidualNormSquared(ReadOnlySpan<double> r) => Kernels.SquaredNorm(r);

    /// <inheritdoc/>
    public override double ResidualDotY(ReadOnlySpan<double> r) => Kernels.Dot(r, Y);

    /// <inheritdoc/>
    private protected override void CorrelateTarget(double[] destination) => CorrelateAll(Y, destination);

    /// <summary>
    /// X̃ᵀX̃ of the (centred) columns. With implicit centring it is formed from a centred copy, not as
    /// XᵀX − n·x̄x̄ᵀ, which cancels digits.
    /// </summary>
    private protected override double[] ComputeGram()
    {
        var g = GC.AllocateUninitializedArray<double>(Columns * Columns); // every entry written by Gram.Compute
        var x = Means is null ? X : CenteredData.CentredCopy(X, Rows, Columns, Means);
        LinearAlgebra.Gram.Compute(Rows, Columns, x, Rows, g);
        return g;
    }

    private static double[] Norms(double[] x, int rows, int columns, double[]? means)
    {
        var norms = new double[columns];
        if (means is null)
        {
            ColumnStatistics.Compute(x, rows, columns, null, norms);
        }
        else
        {
            for (int j = 0; j < columns; j++)
            {
                norms[j] = Kernels.SquaredDistanceFrom(x.AsSpan(j * rows, rows), means[j]);
            }
        }

        return norms;
    }
}
