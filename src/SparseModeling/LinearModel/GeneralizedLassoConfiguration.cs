// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.Optimization;

namespace SparseModeling.LinearModel;

/// <summary>
/// The generalized Lasso (1/(2n))·‖y − Xw‖² + α·‖Dw‖₁ as a configuration of <see cref="AdmmSolver"/>, shared by
/// <see cref="GeneralizedLassoAdmm"/>, <see cref="FusedLassoAdmm"/>, <see cref="TrendFilteringAdmm"/> and
/// <see cref="QuadraticTrendFilteringAdmm"/>: the split Dw = z with the estimator's D, soft thresholding as the
/// z-step, the scaled residual rule, and spm-image's start w = Xᵀy/n (so z = D·Xᵀy/n, u = 0). The x-update system
/// is chosen by structure:
/// <list type="bullet">
/// <item>X diagonal (a signal, X = I) and DᵀD banded (difference operators, stacked [a·I; b·T], narrow sparse rows):
/// H = XᵀX/n is diagonal, so H + ρDᵀD is banded and factored in O(p) (<see cref="BandedCholeskySystem"/>); with an
/// intercept the centred H − x̄x̄ᵀ is handled by Sherman–Morrison (<see cref="RankOneUpdatedSystem"/>). Nothing of
/// size p×p is formed.</item>
/// <item>D = I with fewer samples than features: the n×n Woodbury system of <see cref="LassoAdmm"/>.</item>
/// <item>Otherwise the dense Cholesky of XᵀX/n + ρDᵀD, factored once per fit and shared by all targets.</item>
/// </list>
/// </summary>
internal static class GeneralizedLassoConfiguration
{
    /// <summary>The widest half-bandwidth of DᵀD, as a fraction of p, for which the banded system is used (beyond it the dense factor costs as little).</summary>
    private const int BandFraction = 8;

    /// <summary>
    /// The diagonal of a square <paramref name="x"/> whose off-diagonal entries are all zero, or null (any other X,
    /// found at the first non-zero off-diagonal entry). One pass over X at most.
    /// </summary>
    public static double[]? DiagonalOf(Matrix<double> x)
    {
        int n = x.RowCount;
        if (n != x.ColumnCount)
        {
            return null;
        }

        var storage = MatrixStorage.ColumnMajor(x);
        var diagonal = new double[n];
        for (int j = 0; j < n; j++)
        {
            var column = storage.AsSpan(j * n, n);
            if (Kernels.MaxAbs(column[..j]) != 0.0 || Kernels.MaxAbs(column[(j + 1)..]) != 0.0)
            {
                return null;
            }

            diagonal[j] = column[j];
        }

        return diagonal;
    }

    /// <summary>
    /// The solver for the prepared data (explicitly centred, or <see cref="CenteredData.PrepareDiagonal"/> when
    /// <paramref name="diagonal"/> is given) and constraint <paramref name="d"/>, factored once for ρ.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">ρ is too small for the data; the exception names <paramref name="rhoName"/> and ρ·<paramref name="rhoUnit"/>.</exception>
    public static AdmmSolver CreateSolver(CenteredData data, double[]? diagonal, ConstraintOperator d, double rho, string rhoName, double rhoUnit)
    {
        int n = data.Rows, p = data.Columns;
        IAdmmSystem system;
        if (diagonal is not null && UsesBandedSystem(d))
        {
            var h = new double[p];
            for (int j = 0; j < p; j++)
            {
                h[j] = diagonal[j] * diagonal[j] / n;
            }

            system = new BandedCholeskySystem(h, d);
            if (data.XMean is { } means)
            {
                system = new RankOneUpdatedSystem(system, means, -1.0);
            }
        }
        else
        {
            var x = diagonal is null ? data.X : CenteredData.CentredCopy(data.X, n, p, data.XMean ?? new double[p]);
            system = d.IsIdentity && n < p ? new WoodburySystem(x, n, p) : DenseCholeskySystem.FromData(x, n, p, d);
        }

        return new AdmmSolver(d, system, rho, rhoName, rhoUnit);
    }

    /// <summary>Whether the banded system serves <paramref name="d"/> with a diagonal X: DᵀD banded and narrow.</summary>
    public static bool UsesBandedSystem(ConstraintOperator d) =>
        d.GramBandwidth >= 0 && d.GramBandwidth <= Math.Max(3, d.ColumnCount / BandFraction);

    /// <summary>The start of target <paramref name="y"/> (centred with the data): q = X̃ᵀỹ/n, z = D·q, u = 0.</summary>
    public static AdmmSolver.State Start(CenteredData data, double[]? diagonal, ConstraintOperator d, double[] y)
    {
        int n = data.Rows, p = data.Columns;
        var q = new double[p];
        if (diagonal is null)
        {
            Gemv.MultiplyTransposed(n, p, 1.0, data.X, n, y, 0.0, q);
        }
        else
        {
            Kernels.Multiply(diagonal, y, q);
            if (data.XMean is { } means)
            {
                CenteredData.SubtractMeanCorrelation(means, y, q);
            }
        }

        Kernels.Scal(1.0 / n, q);
        var z = new double[d.RowCount];
        d.Apply(q, z);
        return new AdmmSolver.State(q, z);
    }

    /// <summary>The settings of one solve; the callback receives (1/(2n))‖ỹ − X̃w‖² + α‖Dw‖₁ at w.</summary>
    public static AdmmSolver.Settings Settings(
        CenteredData data,
        double[]? diagonal,
        ConstraintOperator d,
        double[] y,
        double alpha,
        int maxIterations,
        double tolerance,
        Action<AdmmIterationInfo>? onIteration,
        CancellationToken cancellationToken)
    {
        var prox = new SoftThresholdProx(alpha);
        AdmmSolver.Objective? objective = null;
        if (onIteration is not null)
        {
            int n = data.Rows, p = data.Columns;
            var fit = new double[n];
            var dw = new double[d.RowCount];
            objective = (w, z) =>
            {
                if (diagonal is null)
                {
                    Gemv.Multiply(n, p, 1.0, data.X, n, w, 0.0, fit);
                }
                else
                {
                    Kernels.Multiply(diagonal, w, fit);
                    Kernels.AddScalar(-data.Shift(w), fit);
                }

                Kernels.Subtract(y, fit, fit);
                d.Apply(w, dw);
                return (0.5 * Kernels.SquaredNorm(fit) / n) + prox.Value(dw);
            };
        }

        return new AdmmSolver.Settings(prox, maxIterations, tolerance)
        {
            Objective = objective,
            OnIteration = onIteration,
            CancellationToken = cancellationToken,
        };
    }

    /// <summary>
    /// The callback of a fit on rescaled data (<see cref="LinearScale"/>), reporting in the caller's units: the
    /// objective as a squared measure, the primal residual as coefficients, the dual residual as a penalty, ρ as a curvature.
    /// </summary>
    public static Action<AdmmIterationInfo>? InCallerUnits(LinearScale scale, Action<AdmmIterationInfo>? onIteration) =>
        scale.IsIdentity || onIteration is not { } report
            ? onIteration
            : info => report(info with
            {
                Objective = scale.ReportSquared(info.Objective),
                PrimalResidual = Rescaling.Saturating(info.PrimalResidual, scale.X - scale.Y),
                DualResidual = scale.UnscalePenalty(info.DualResidual),
                Rho = Rescaling.Saturating(info.Rho, -2 * scale.X),
            });
}
