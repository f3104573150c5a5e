// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;
using SparseModeling.Optimization;

namespace SparseModeling.LinearModel;

/// <summary>
/// The Lasso's stopping rule for <see cref="ProximalGradientSolver"/>: the duality gap of
/// (1/(2n))‖y − Ax‖² + α‖x‖₁ with the dual point r·min(1, nα/‖Aᵀr‖∞) of coordinate descent, evaluated
/// every <see cref="GapInterval"/> iterations, sooner when the objective changes by less than tol
/// relatively, and at the last iteration; it stops when the gap (internal scale ½‖r‖² + nα‖x‖₁) falls
/// below tol·‖y‖². It reports the gap in the 1/n scaling of the objective. The gap costs one more
/// product Aᵀ·r.
/// </summary>
internal sealed class LassoDualGapStopping : IProximalGradientStopping
{
    /// <summary>The duality gap is evaluated at least this often (in iterations).</summary>
    public const int GapInterval = 10;

    private readonly ILinearOperator _a;
    private readonly double[] _y;
    private readonly double _l1;
    private readonly double _tolerance;
    private readonly double _gapTolerance;
    private readonly double[] _residual;
    private readonly double[] _correlation;
    private int _sinceGap;

    /// <summary>The rule for operator <paramref name="a"/>, target <paramref name="y"/> (kept, not copied), α and tolerance.</summary>
    public LassoDualGapStopping(ILinearOperator a, double[] y, double alpha, double tolerance)
    {
        _a = a;
        _y = y;
        _l1 = alpha * a.RowCount;
        _tolerance = tolerance;
        _gapTolerance = tolerance * Kernels.SquaredNorm(y);
        _residual = new double[a.RowCount];
        _correlation = new double[a.ColumnCount];
    }

    /// <inheritdoc />
    public double Measure { get; private set; } = double.PositiveInfinity;

    /// <inheritdoc />
    public bool Check(in ProximalGradientProgress progress, out double reported)
    {
        _sinceGap++;
        reported = double.NaN;
        if (_sinceGap < GapInterval && Math.Abs(progress.Change) > _tolerance * Math.Abs(progress.Objective) && !progress.Last)
        {
            return false;
        }

        _sinceGap = 0;
        ProximalGradientSolver.Residual(_y, progress.AX, _residual);
        _a.ApplyTranspose(_residual, _correlation);
        double gap = CoordinateDescentSolver.GapFrom(Kernels.SquaredNorm(_residual), Kernels.Dot(_residual, _y), Kernels.MaxAbs(_correlation), progress.X, _l1, 0.0);
        if (!double.IsFinite(gap))
        {
            // The objective was finite, so the residual is: a non-finite gap comes from Aᵀr.
            throw new ArithmeticException($"The duality gap at iteration {progress.Iteration} is {gap}: the operator returned a non-finite Aᵀr for a finite r, or the correlations overflowed the double range.");
        }

        Measure = gap / _a.RowCount;
        reported = Measure;
        return gap <= _gapTolerance;
    }
}
