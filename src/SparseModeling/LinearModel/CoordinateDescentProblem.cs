// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The data plug-in of <see cref="CoordinateDescentSolver"/>: the (implicitly centred) columns x̃ⱼ of X, the centred
/// target y, and the representation of the residual r = y − X̃w that the core passes back to it. The core never reads
/// X or r itself; it asks for xⱼᵀr, r ← r + a·x̃ⱼ, X̃ᵀr, ‖r‖² and rᵀy, so one loop serves dense column-major X
/// (<see cref="DenseCoordinateDescentProblem"/>) and sparse CSC X (<see cref="SparseCoordinateDescentProblem"/>).
/// </summary>
internal abstract class CoordinateDescentProblem
{
    private double[]? _gram;
    private double[]? _xty;

    /// <summary>Sets the shape, the target and the squared column norms; y must already be centred when X is centred.</summary>
    private protected CoordinateDescentProblem(int rows, int columns, double[] y, double[] columnNormsSquared)
    {
        Rows = rows;
        Columns = columns;
        Y = y;
        ColumnNormsSquared = columnNormsSquared;
        YNormSquared = Kernels.SquaredNorm(y);
    }

    /// <summary>n, the number of samples.</summary>
    public int Rows { get; }

    /// <summary>p, the number of features.</summary>
    public int Columns { get; }

    /// <summary>y (centred when X is).</summary>
    public double[] Y { get; }

    /// <summary>‖x̃ⱼ‖² per column.</summary>
    public double[] ColumnNormsSquared { get; }

    /// <summary>‖y‖².</summary>
    public double YNormSquared { get; }

    /// <summary>The length of the residual array the core allocates for this problem (n, or more for a representation with extra state).</summary>
    public virtual int ResidualLength => Rows;

    /// <summary>Whether the Gram strategy can pay: more samples than features and few enough features for a p×p matrix.</summary>
    public virtual bool PrefersGram => false;

    /// <summary>Whether the Gram matrix has been formed (by an earlier solve on this problem: a path).</summary>
    public bool HasGram => _gram is not null;

    /// <summary>
    /// The plain passes run so far by every solve on this problem. A path solves one problem for many α, each
    /// in a few warm-started passes: counted together they show when the Gram matrix pays.
    /// </summary>
    public int PlainPasses { get; set; }

    /// <summary>The Gram matrix X̃ᵀX̃ (p×p column-major), computed on first use and kept for later solves (a path).</summary>
    public double[] Gram => _gram ??= ComputeGram();

    /// <summary>X̃ᵀy, computed on first use.</summary>
    public double[] XtY
    {
        get
        {
            if (_xty is null)
            {
                var q = new double[Columns];
                CorrelateTarget(q);
                _xty = q;
            }

            return _xty;
        }
    }

    /// <summary>r ← y in the residual representation (w = 0).</summary>
    public abstract void ResetResidual(Span<double> r);

    /// <summary>x̃ⱼᵀr.</summary>
    public abstract double ColumnDot(int j, ReadOnlySpan<double> r);

    /// <summary>r ← r + a·x̃ⱼ.</summary>
    public abstract void AddColumn(int j, double a, Span<double> r);

    /// <summary>r ← r + a·x̃ⱼ, returning x̃_nextᵀr (fused in one pass where the layout allows).</summary>
    public virtual double AddColumnDot(int j, double a, Span<double> r, int next)
    {
        AddColumn(j, a, r);
        return ColumnDot(next, r);
    }

    /// <summary>X̃ᵀr into <paramref name="destination"/>; the representation of r may be renormalised (same residual).</summary>
    public abstract void CorrelateResidual(double[] r, double[] destination);

    /// <summary>‖r‖² of the residual the representation <paramref name="r"/> stands for.</summary>
    public abstract double ResidualNormSquared(ReadOnlySpan<double> r);

    /// <summary>rᵀy.</summary>
    public abstract double ResidualDotY(ReadOnlySpan<double> r);

    /// <summary>X̃ᵀy into <paramref name="destination"/>.</summary>
    private protected abstract void CorrelateTarget(double[] destination);

    /// <summary>Forms X̃ᵀX̃ (only called when <see cref="PrefersGram"/>).</summary>
    private protected virtual double[] ComputeGram() => throw new NotSupportedException($"{GetType().Name} has no Gram strategy.");

    /// <summary>The problem on prepared data: the sparse plug-in when <paramref name="data"/> holds a CSC copy, the dense one otherwise.</summary>
    public static CoordinateDescentProblem Of(CenteredData data) =>
        data.SparseX is { } sparse
            ? new SparseCoordinateDescentProblem(sparse, data.Y, data.XMean, data.ColumnSums!, data.ColumnNormsSquared!)
            : new DenseCoordinateDescentProblem(data.X, data.Rows, data.Columns, data.Y, data.IsImplicitlyCentred ? data.XMean : null, data.ColumnNormsSquared);
}
