// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The ADMM core of <see cref="LassoAdmm"/> and <see cref="AdmmPath"/> (Boyd, Parikh, Chu, Peleato
/// and Eckstein, "Distributed optimization and statistical learning via the alternating direction
/// method of multipliers", Found. Trends Mach. Learn. 2011, §6.4): the Lasso
/// (1/(2n))·‖y − Xw‖² + α·‖z‖₁ subject to w = z, in scaled form
/// <list type="number">
/// <item>w ← (XᵀX/n + ρI)⁻¹·(Xᵀy/n + ρ(z − u))</item>
/// <item>z ← S(w + u, α/ρ)</item>
/// <item>u ← u + w − z</item>
/// </list>
/// stopping when the primal residual ‖w − z‖ and the dual residual ρ‖z − z_prev‖ are both below
/// their absolute-plus-relative thresholds.
/// </summary>
/// <remarks>
/// The matrix XᵀX/n + ρI is factored once per instance and shared by every target and every α
/// (ρ fixed). With at least as many samples as features it is factored directly (p×p Cholesky);
/// with fewer, the Woodbury identity (ρI + XᵀX/n)⁻¹ = (1/ρ)·(I − Xᵀ(XXᵀ + nρI)⁻¹X) reduces the work to
/// the n×n Cholesky factor of XXᵀ + nρI and two products with X per iteration. No inverse is formed.
/// </remarks>
internal sealed class AdmmLassoSolver
{
    private readonly double[] _x;
    private readonly int _rows;
    private readonly int _columns;
    private readonly double _rho;
    private readonly double[] _factor;
    private readonly bool _woodbury;

    /// <summary>Factors the system for column-major <paramref name="x"/> (n×p, read but not copied: keep it unchanged while the solver is used).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The system is not numerically positive definite (ρ too small for the data); the exception names <paramref name="rhoName"/>.</exception>
    public AdmmLassoSolver(double[] x, int rows, int columns, double rho, string rhoName)
    {
        _x = x;
        _rows = rows;
        _columns = columns;
        _rho = rho;
        _woodbury = rows < columns;
        bool ok;
        if (_woodbury)
        {
            // K = XXᵀ + nρI (lower triangle only: all the Cholesky factorisation reads).
            _factor = new double[rows * rows];
            Gemm.Run(false, true, rows, rows, columns, 1.0, x, rows, x, rows, 0.0, _factor, rows, lowerOnly: true);
            AddToDiagonal(_factor, rows, rows * rho);
            ok = Cholesky.Factor(_factor, rows, rows);
        }
        else
        {
            // M = XᵀX/n + ρI.
            _factor = new double[columns * columns];
            Gram.Compute(rows, columns, x, rows, _factor);
            Kernels.Scal(1.0 / rows, _factor);
            AddToDiagonal(_factor, columns, rho);
            ok = Cholesky.Factor(_factor, columns, columns);
        }

        if (!ok)
        {
            throw new ArgumentOutOfRangeException(rhoName, rho, $"{rhoName} = {rho} is too small for this data: XᵀX/n + ρI is not numerically positive definite. Increase Rho.");
        }
    }

    /// <summary>Settings of one solve.</summary>
    public readonly record struct Settings(
        double Alpha,
        int MaxIterations,
        double Tolerance,
        Action<AdmmIterationInfo>? OnIteration,
        CancellationToken CancellationToken);

    /// <summary>The outcome: the final primal residual ‖w − z‖, the iterations run, and convergence.</summary>
    public readonly record struct Result(double PrimalResidual, int Iterations, bool Converged);

    /// <summary>The workspace of one target: q = Xᵀy/n, the sparse iterate z and the scaled dual u (both carried between solves for warm starts).</summary>
    public sealed class Target
    {
        /// <summary>Prepares target <paramref name="y"/> (n entries, centred if an intercept is fitted) with the start z = Xᵀy/n, u = 0 (as spm-image).</summary>
        public Target(AdmmLassoSolver solver, double[] y)
        {
            Y = y;
            Q = new double[solver._columns];
            Gemv.MultiplyTransposed(solver._rows, solver._columns, 1.0 / solver._rows, solver._x, solver._rows, y, 0.0, Q);
            Z = (double[])Q.Clone();
            U = new double[solver._columns];
        }

        public double[] Y { get; }

        public double[] Q { get; }

        /// <summary>The sparse iterate: the coefficients once converged.</summary>
        public double[] Z { get; }

        public double[] U { get; }
    }

    /// <summary>Runs ADMM on one target from its current z and u.</summary>
    public Result Solve(Target target, in Settings s)
    {
        int p = _columns;
        var z = target.Z;
        var u = target.U;
        var w = new double[p];
        var zPrevious = new double[p];
        var scratch = new double[_woodbury ? _rows : 0];
        var fit = s.OnIteration is null ? null : new double[_rows];
        double threshold = s.Alpha / _rho;
        double qNorm = Kernels.Nrm2(target.Q);
        double primal = double.PositiveInfinity;
        for (int iteration = 1; iteration <= s.MaxIterations; iteration++)
        {
            s.CancellationToken.ThrowIfCancellationRequested();

            // w = (XᵀX/n + ρI)⁻¹(q + ρ(z − u))
            z.CopyTo(w, 0);
            Kernels.Axpy(-1.0, u, w);
            Kernels.Scal(_rho, w);
            Kernels.Axpy(1.0, target.Q, w);
            SolveSystem(w, scratch);

            // z = S(w + u, α/ρ); u += w − z
            z.CopyTo(zPrevious, 0);
            Kernels.Axpy(1.0, w, u);
            Kernels.SoftThreshold(u, threshold, z);
            Kernels.Axpy(-1.0, z, u);

            // Residuals (Boyd et al. §3.3): r = w − z, s = ρ(z − z_prev).
            primal = Kernels.Distance(w, z);
            double dual = _rho * Kernels.Distance(z, zPrevious);
            double primalLimit = s.Tolerance * ((qNorm / _rho) + Math.Max(Kernels.Nrm2(w), Kernels.Nrm2(z)));
            double dualLimit = s.Tolerance * (qNorm + (_rho * Kernels.Nrm2(u)));
            if (fit is not null)
            {
                s.OnIteration!(new AdmmIterationInfo(iteration, Objective(target.Y, z, s.Alpha, fit), primal, dual, _rho));
            }

            if (primal <= primalLimit && dual <= dualLimit)
            {
                return new Result(primal, iteration, true);
            }
        }

        return new Result(primal, s.MaxIterations, false);
    }

    /// <summary>(1/(2n))‖y − Xz‖² + α‖z‖₁.</summary>
    public double Objective(ReadOnlySpan<double> y, ReadOnlySpan<double> z, double alpha, Span<double> scratch)
    {
        y.CopyTo(scratch);
        Gemv.Multiply(_rows, _columns, -1.0, _x, _rows, z, 1.0, scratch);
        return (0.5 * Kernels.SquaredNorm(scratch) / _rows) + (alpha * Kernels.Asum(z));
    }

    /// <summary>v ← (XᵀX/n + ρI)⁻¹·v.</summary>
    private void SolveSystem(Span<double> v, Span<double> scratch)
    {
        if (!_woodbury)
        {
            Cholesky.Solve(_factor, _columns, _columns, v);
            return;
        }

        // (1/ρ)(v − Xᵀ(XXᵀ + nρI)⁻¹Xv)
        Gemv.Multiply(_rows, _columns, 1.0, _x, _rows, v, 0.0, scratch);
        Cholesky.Solve(_factor, _rows, _rows, scratch);
        Gemv.MultiplyTransposed(_rows, _columns, -1.0, _x, _rows, scratch, 1.0, v);
        Kernels.Scal(1.0 / _rho, v);
    }


    private static void AddToDiagonal(Span<double> a, int n, double value)
    {
        for (int j = 0; j < n; j++)
        {
            a[j + (j * n)] += value;
        }
    }
}
