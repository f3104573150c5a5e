// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Optimization;

/// <summary>
/// The x-update of <see cref="AdmmSolver"/>: solves (H + ρDᵀD)·w = b, where H is the Hessian of the
/// quadratic f (XᵀX/n for least squares) and b = q + ρDᵀ(z − u). Direct systems factor once per ρ
/// (<see cref="Factor"/> again when adaptive ρ changes it); iterative ones only remember ρ.
/// </summary>
internal interface IAdmmSystem
{
    /// <summary>The order p of the system (the length of w).</summary>
    int Order { get; }

    /// <summary>Prepares the system for penalty ρ; false when H + ρDᵀD is not numerically positive definite.</summary>
    bool Factor(double rho);

    /// <summary>
    /// Solves for w. <paramref name="rhs"/> (p entries) may be overwritten; <paramref name="w"/> holds the
    /// previous solution on entry (the warm start of iterative solvers) and the new one on exit.
    /// <paramref name="tolerance"/> bounds ‖b − (H + ρDᵀD)w‖₂ for iterative solvers; direct ones ignore it.
    /// </summary>
    void Solve(Span<double> rhs, Span<double> w, double tolerance);

    /// <summary>Whether <see cref="Solve"/> reads its tolerance (an iterative solver): the core then computes both residuals every iteration.</summary>
    bool IsIterative => false;
}

/// <summary>
/// Dense Cholesky of H + ρDᵀD (p×p) for any D: tall least squares (n ≥ p) or a dense quadratic. H and
/// DᵀD are kept so that a new ρ is refactored without recomputing them; each solve is two triangular
/// solves of order p.
/// </summary>
internal sealed class DenseCholeskySystem : IAdmmSystem
{
    private readonly double[] _h;
    private readonly double[]? _dtd;
    private readonly double[] _factor;
    private readonly int _p;

    /// <summary>The system for the column-major p×p Hessian <paramref name="h"/> (kept, not copied) and constraint <paramref name="d"/>.</summary>
    public DenseCholeskySystem(double[] h, int p, ConstraintOperator d)
    {
        if (d.ColumnCount != p || h.Length < p * p)
        {
            throw new ArgumentException($"H must be {p}×{p} and D must have {p} columns (D has {d.ColumnCount}).", nameof(d));
        }

        _h = h;
        _p = p;
        _factor = GC.AllocateUninitializedArray<double>(p * p); // every entry written by Factor before it is read
        if (!d.IsIdentity)
        {
            _dtd = new double[p * p];
            d.AddGram(1.0, _dtd, p);
        }
    }

    /// <inheritdoc />
    public int Order => _p;

    /// <summary>The system for f(w) = (1/(2n))‖y − Xw‖², H = XᵀX/n, with X column-major n×p (read, not kept).</summary>
    public static DenseCholeskySystem FromData(double[] x, int n, int p, ConstraintOperator d)
    {
        var h = GC.AllocateUninitializedArray<double>(p * p); // every entry written by Gram.Compute
        Gram.Compute(n, p, x, n, h);
        Kernels.Scal(1.0 / n, h);
        return new DenseCholeskySystem(h, p, d);
    }

    /// <inheritdoc />
    public bool Factor(double rho)
    {
        // Column by column, observing the fit's cancellation: the first copy is also the first touch of the factor's memory.
        for (int j = 0; j < _p; j++)
        {
            Parallelism.ThrowIfCancellationRequested();
            _h.AsSpan(j * _p, _p).CopyTo(_factor.AsSpan(j * _p, _p));
        }

        if (_dtd is null)
        {
            for (int j = 0; j < _p; j++)
            {
                _factor[j + (j * _p)] += rho;
            }
        }
        else
        {
            Kernels.Axpy(rho, _dtd, _factor);
        }

        return Cholesky.Factor(_factor, _p, _p);
    }

    /// <inheritdoc />
    public void Solve(Span<double> rhs, Span<double> w, double tolerance)
    {
        Cholesky.Solve(_factor, _p, _p, rhs);
        rhs.CopyTo(w);
    }
}

/// <summary>
/// D = I and f(w) = (1/(2n))‖y − Xw‖² with fewer samples than features: by the Woodbury identity
/// (ρI + XᵀX/n)⁻¹ = (1/ρ)·(I − Xᵀ(XXᵀ + nρI)⁻¹X), only the n×n matrix XXᵀ + nρI is factored and each
/// solve costs two products with X and two triangular solves of order n. No inverse is formed.
/// </summary>
internal sealed class WoodburySystem : IAdmmSystem
{
    private readonly double[] _x;
    private readonly int _rows;
    private readonly int _columns;
    private readonly double[] _factor;
    private readonly double[] _scratch;
    private double[]? _outer;
    private bool _factored;
    private double _rho;

    /// <summary>The system for column-major X (n×p, read but not copied: keep it unchanged while in use).</summary>
    public WoodburySystem(double[] x, int rows, int columns)
    {
        _x = x;
        _rows = rows;
        _columns = columns;

        _factor = new double[rows * rows];
        _scratch = new double[rows];
    }

    /// <inheritdoc />
    public int Order => _columns;

    /// <inheritdoc />
    public bool Factor(double rho)
    {
        _rho = rho;
        if (_outer is null && !_factored)
        {
            // First factorisation: XXᵀ straight into the factor (lower triangle only: all the Cholesky
            // factorisation reads), no copy kept — a fit with fixed ρ never needs one.
            Gemm.Run(false, true, _rows, _rows, _columns, 1.0, _x, _rows, _x, _rows, 0.0, _factor, _rows, lowerOnly: true);
            _factored = true;
        }
        else
        {
            // ρ changed (adaptive ρ): XXᵀ is computed once more and kept for later changes.
            if (_outer is null)
            {
                _outer = new double[_rows * _rows];
                Gemm.Run(false, true, _rows, _rows, _columns, 1.0, _x, _rows, _x, _rows, 0.0, _outer, _rows, lowerOnly: true);
            }

            _outer.CopyTo(_factor, 0);
        }

        for (int j = 0; j < _rows; j++)
        {
            _factor[j + (j * _rows)] += _rows * rho;
        }

        return Cholesky.Factor(_factor, _rows, _rows);
    }

    /// <inheritdoc />
    public void Solve(Span<double> rhs, Span<double> w, double tolerance)
    {
        // (1/ρ)(b − Xᵀ(XXᵀ + nρI)⁻¹Xb)
        Gemv.Multiply(_rows, _columns, 1.0, _x, _rows, rhs, 0.0, _scratch);
        Cholesky.Solve(_factor, _rows, _rows, _scratch);
        Gemv.MultiplyTransposed(_rows, _columns, -1.0, _x, _rows, _scratch, 1.0, rhs);
        Kernels.Scal(1.0 / _rho, rhs);
        rhs.CopyTo(w);
    }
}

/// <summary>
/// Banded Cholesky (<see cref="BandedCholesky"/>) of H + ρDᵀD when H is diagonal and DᵀD banded
/// (the identity or a difference operator): with X = I — signal approximation, the fused Lasso signal
/// approximator, trend filtering of a signal — the matrix has half-bandwidth 1 or 2, so each
/// factorisation and each solve is O(p).
/// </summary>
internal sealed class BandedCholeskySystem : IAdmmSystem
{
    private readonly double[] _diagonal;
    private readonly ConstraintOperator _d;
    private readonly int _bandwidth;
    private readonly double[] _band;
    private readonly double[] _solveFactors;

    /// <summary>The system for the diagonal Hessian <paramref name="diagonal"/> (p entries, kept) and a banded D (<see cref="ConstraintOperator.GramBandwidth"/> ≥ 0).</summary>
    public BandedCholeskySystem(double[] diagonal, ConstraintOperator d)
    {
        if (d.GramBandwidth < 0)
        {
            throw new ArgumentException($"{d.GetType().Name}: DᵀD is not banded; use the dense Cholesky or conjugate-gradient system.", nameof(d));
        }

        if (diagonal.Length != d.ColumnCount)
        {
            throw new ArgumentException($"The diagonal has {diagonal.Length} entries but D has {d.ColumnCount} columns.", nameof(diagonal));
        }

        _diagonal = diagonal;
        _d = d;
        _bandwidth = d.GramBandwidth;
        _band = new double[diagonal.Length * (_bandwidth + 1)];
        _solveFactors = new double[BandedCholesky.SolveFactorLength(diagonal.Length, _bandwidth)];
    }

    /// <inheritdoc />
    public int Order => _diagonal.Length;

    /// <inheritdoc />
    public bool Factor(double rho)
    {
        Array.Clear(_band);
        int ld = _bandwidth + 1;
        for (int j = 0; j < _diagonal.Length; j++)
        {
            _band[j * ld] = _diagonal[j];
        }

        _d.AddBandedGram(rho, _band, _bandwidth);
        if (!BandedCholesky.Factor(_band, _diagonal.Length, _bandwidth))
        {
            return false;
        }

        BandedCholesky.PrepareSolves(_band, _diagonal.Length, _bandwidth, _solveFactors);
        return true;
    }

    /// <inheritdoc />
    public void Solve(Span<double> rhs, Span<double> w, double tolerance)
    {
        BandedCholesky.Solve(_band, _solveFactors, _diagonal.Length, _bandwidth, rhs);
        rhs.CopyTo(w);
    }
}

/// <summary>
/// Conjugate gradients on (H + ρDᵀD)·w = b with H = c·AᵀA given only through products with A (and D
/// through its products): matrix-free, warm-started from the previous w, stopped when
/// ‖b − (H + ρDᵀD)w‖ is below the tolerance the ADMM core passes — tied to its residuals, so early
/// iterations are solved loosely and the last ones tightly — clamped to [1e-14, 1e-4]·‖b‖ (the upper
/// end for the first iteration, which has no residuals yet: an unsolved w = 0 would look converged).
/// Workspaces are allocated once.
/// </summary>
internal sealed class ConjugateGradientSystem : IAdmmSystem
{
    private const double LooseTolerance = 1e-4;
    private const double TightTolerance = 1e-14;

    private readonly ILinearOperator _a;
    private readonly double _scale;
    private readonly ConstraintOperator _d;
    private readonly int _maxIterations;
    private readonly double[] _av;
    private readonly double[] _dv;
    private readonly double[] _product;
    private readonly double[] _residual;
    private readonly double[] _direction;
    private readonly double[] _term;
    private double _rho;

    /// <summary>The system with H = <paramref name="scale"/>·AᵀA (A: n×p) and constraint D (m×p); at most <paramref name="maxIterations"/> CG steps per solve (default 10·p).</summary>
    public ConjugateGradientSystem(ILinearOperator a, double scale, ConstraintOperator d, int maxIterations = 0)
    {
        if (a.ColumnCount != d.ColumnCount)
        {
            throw new ArgumentException($"A has {a.ColumnCount} columns but D has {d.ColumnCount}.", nameof(d));
        }

        _a = a;
        _scale = scale;
        _d = d;
        int p = a.ColumnCount;
        _maxIterations = maxIterations > 0 ? maxIterations : 10 * Math.Max(p, 1);
        _av = new double[a.RowCount];
        _dv = new double[d.RowCount];
        _product = new double[p];
        _residual = new double[p];
        _direction = new double[p];
        _term = new double[p];
    }

    /// <inheritdoc />
    public bool IsIterative => true;

    /// <inheritdoc />
    public int Order => _a.ColumnCount;

    /// <summary>CG steps taken over all solves so far.</summary>
    public long TotalIterations { get; private set; }

    /// <inheritdoc />
    public bool Factor(double rho)
    {
        _rho = rho;
        return rho > 0.0 || _scale > 0.0;
    }

    /// <inheritdoc />
    public void Solve(Span<double> rhs, Span<double> w, double tolerance)
    {
        double bNorm = Kernels.Nrm2(rhs);
        double bound = Math.Max(Math.Min(tolerance, LooseTolerance * bNorm), TightTolerance * bNorm);

        // r = b − Mw, d = r.
        Multiply(w, _product);
        rhs.CopyTo(_residual);
        Kernels.Axpy(-1.0, _product, _residual);
        double rr = Kernels.SquaredNorm(_residual);
        _residual.CopyTo(_direction, 0);
        for (int k = 0; k < _maxIterations && Math.Sqrt(rr) > bound; k++)
        {
            Multiply(_direction, _product);
            double curvature = Kernels.Dot(_direction, _product);
            if (!(curvature > 0.0))
            {
                break;
            }

            double step = rr / curvature;
            Kernels.Axpy(step, _direction, w);
            Kernels.Axpy(-step, _product, _residual);
            double next = Kernels.SquaredNorm(_residual);
            double beta = next / rr;
            rr = next;

            // d ← r + βd
            Kernels.Scal(beta, _direction);
            Kernels.Axpy(1.0, _residual, _direction);
            TotalIterations++;
        }
    }

    /// <summary>result ← (c·AᵀA + ρDᵀD)·v.</summary>
    private void Multiply(ReadOnlySpan<double> v, Span<double> result)
    {
        _a.Apply(v, _av);
        _a.ApplyTranspose(_av, result);
        Kernels.Scal(_scale, result);
        _d.Apply(v, _dv);
        _d.ApplyTranspose(_dv, _term);
        Kernels.Axpy(_rho, _term, result);
    }
}

/// <summary>
/// A system A + σ·vvᵀ solved through another system for A by the Sherman–Morrison formula,
/// (A + σvvᵀ)⁻¹b = A⁻¹b − t·σ(vᵀA⁻¹b)/(1 + σvᵀt) with t = A⁻¹v formed once per ρ. With σ = −1 and v = x̄ it
/// centres a structured Hessian without forming it: X̃ᵀX̃/n = XᵀX/n − x̄x̄ᵀ, so a diagonal X (a signal) keeps its
/// banded O(p) system when an intercept is fitted. Each solve costs one solve with A and two O(p) passes.
/// </summary>
internal sealed class RankOneUpdatedSystem : IAdmmSystem
{
    private readonly IAdmmSystem _inner;
    private readonly double[] _v;
    private readonly double _sign;
    private readonly double[] _t;
    private double _denominator;

    /// <summary>The system A + <paramref name="sign"/>·vvᵀ over <paramref name="inner"/> (A); v has p entries (kept, not copied).</summary>
    public RankOneUpdatedSystem(IAdmmSystem inner, double[] v, double sign)
    {
        if (v.Length != inner.Order)
        {
            throw new ArgumentException($"v has {v.Length} entries but the system has order {inner.Order}.", nameof(v));
        }

        _inner = inner;
        _v = v;
        _sign = sign;
        _t = new double[v.Length];
    }

    /// <inheritdoc />
    public int Order => _inner.Order;

    /// <inheritdoc />
    public bool Factor(double rho)
    {
        if (!_inner.Factor(rho))
        {
            return false;
        }

        var rhs = (double[])_v.Clone();
        Array.Clear(_t);
        _inner.Solve(rhs, _t, 0.0);
        double vt = Kernels.Dot(_v, _t);
        _denominator = 1.0 + (_sign * vt);

        // A + σvvᵀ is positive definite exactly when 1 + σvᵀA⁻¹v > 0; near 0 the update cancels every digit.
        return _denominator > 1e-12 * (1.0 + Math.Abs(vt)) && double.IsFinite(_denominator);
    }

    /// <inheritdoc />
    public void Solve(Span<double> rhs, Span<double> w, double tolerance)
    {
        _inner.Solve(rhs, w, tolerance);
        double coefficient = _sign * Kernels.Dot(_v, w) / _denominator;
        Kernels.Axpy(-coefficient, _t, w);
    }
}

/// <summary>
/// D = I on b blocks of k entries with the same k×k Hessian H in each: the system I_b ⊗ (H + ρI), factored once
/// (k×k) and solved for all blocks at once as k×b right-hand sides. The coding of many signals over one
/// dictionary with a penalty that couples them (spm-image's L2,1 sparse coding: H = DDᵀ/n for every sample).
/// </summary>
internal sealed class BlockDiagonalSystem : IAdmmSystem
{
    private readonly double[] _h;
    private readonly int _k;
    private readonly int _blocks;
    private readonly double[] _factor;

    /// <summary>The system for the column-major k×k Hessian <paramref name="h"/> (kept, not copied) repeated <paramref name="blocks"/> times.</summary>
    public BlockDiagonalSystem(double[] h, int k, int blocks)
    {
        if (h.Length < k * k)
        {
            throw new ArgumentException($"H must be {k}×{k}.", nameof(h));
        }

        _h = h;
        _k = k;
        _blocks = blocks;
        _factor = new double[k * k];
    }

    /// <inheritdoc />
    public int Order => _k * _blocks;

    /// <inheritdoc />
    public bool Factor(double rho)
    {
        _h.AsSpan(0, _k * _k).CopyTo(_factor);
        for (int j = 0; j < _k; j++)
        {
            _factor[j + (j * _k)] += rho;
        }

        return Cholesky.Factor(_factor, _k, _k);
    }

    /// <inheritdoc />
    public void Solve(Span<double> rhs, Span<double> w, double tolerance)
    {
        Cholesky.Solve(_factor, _k, _k, rhs, _blocks, _k);
        rhs[..Order].CopyTo(w);
    }
}
