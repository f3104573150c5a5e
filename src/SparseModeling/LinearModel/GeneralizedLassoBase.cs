// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Optimization;

namespace SparseModeling.LinearModel;

/// <summary>
/// The shared shell of the generalized Lasso estimators fitted by ADMM (spm-image's <c>GeneralizedLasso</c> base):
/// minimises (1/(2n))·‖y − Xw − b‖² + α·‖Dw‖₁ for each target, with D from the subclass — the user's matrix
/// (<see cref="GeneralizedLassoAdmm"/>) or spm-image's [SparseCoefficient·I; TrendCoefficient·T] with T a difference
/// operator (<see cref="FusedLassoAdmm"/>, <see cref="TrendFilteringAdmm"/>, <see cref="QuadraticTrendFilteringAdmm"/>);
/// the generalized Lasso of Tibshirani and Taylor ("The solution path of the generalized lasso", Ann. Statist. 2011).
/// </summary>
/// <remarks>
/// <para>
/// ADMM (Boyd et al. 2011) on the split Dw = z: w ← (XᵀX/n + ρDᵀD)⁻¹(Xᵀy/n + ρDᵀ(z − u)), z ← S(Dw + u, α/ρ),
/// u ← u + Dw − z, starting as spm-image from w = Xᵀy/n (z = Dw, u = 0). As spm-image, the coefficients returned are w
/// (not the thresholded z): ‖Dw‖₁ is small but Dw has no exact zeros.
/// </para>
/// <para>
/// Unlike spm-image — which inverts the p×p matrix densely and stops when its cost (‖y − Xw‖/n + α‖z‖₁) changes by less
/// than the tolerance, often far from the optimum (its fused Lasso on X = I with 2000 points stops after 10 iterations)
/// — the fit stops on the residuals of Boyd et al. (§3.3), ‖Dw − z‖ ≤ tol·(‖Xᵀy‖/(nρ) + max(‖Dw‖, ‖z‖)) and
/// ρ‖Dᵀ(z − z_prev)‖ ≤ tol·(‖Xᵀy‖/n + ρ‖Dᵀu‖), and <see cref="IterativeEstimator.Converged"/> says whether they
/// were met. So the values are those of the optimum of the stated objective, not spm-image's test values where its
/// solver stopped early (0.254 where the optimum is 0.25). The system is factored once per fit and shared by the
/// targets: by Cholesky of XᵀX/n + ρDᵀD, and — when X is diagonal (a signal, X = I) and DᵀD banded (the difference
/// operators) — by a banded O(p) factorisation that never forms a p×p matrix.
/// </para>
/// <para>Several targets (y with several columns) are fitted one after the other on the same factorisation.</para>
/// </remarks>
public abstract class GeneralizedLassoBase : MultiTargetLinearRegressor, IRegularized
{
    private protected GeneralizedLassoBase()
    {
    }

    /// <summary>The regularisation strength α ≥ 0 (default 1), the weight of ‖Dw‖₁.</summary>
    public double Alpha { get; set; } = 1.0;

    /// <summary>The augmented-Lagrangian penalty ρ &gt; 0 (default 1). It changes the speed, not the solution; values near the scale of XᵀX/n are usually fastest, and a fit rejects ρ more than 2^64 away from that scale (there the residual rule would accept any iterate).</summary>
    public double Rho { get; set; } = 1.0;

    /// <summary>The most iterations per target (default 1000, at least 1).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The absolute and relative tolerance of the residual stopping rule, ≥ 0 (default 1e-4, as spm-image).</summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>Called after every iteration with the objective (1/(2n))‖ỹ − X̃w‖² + α‖Dw‖₁ at w (centred data; an extra product with X per iteration), the primal residual ‖Dw − z‖ and the dual residual; with several targets, target after target.</summary>
    public Action<AdmmIterationInfo>? OnIteration { get; set; }

    /// <summary>The constraint D for the features of <paramref name="x"/>, after the parameters are validated; throws <see cref="ArgumentException"/> naming the mismatch.</summary>
    private protected abstract ConstraintOperator CreateConstraint(Matrix<double> x);

    private protected override void FitTargets(Matrix<double> x, double[][] targets, CancellationToken cancellationToken)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var d = CreateConstraint(x);

        // Data far from unit scale is fitted rescaled by powers of two (see LinearScale): α scales as s·t and ρ (a
        // curvature, as XᵀX/n; D is dimensionless) as s². The targets are the caller's copies.
        var scale = LinearScale.Of(x, targets);
        x = scale.Apply(x);
        foreach (var target in targets)
        {
            scale.ApplyInPlace(target);
        }

        var diagonal = GeneralizedLassoConfiguration.DiagonalOf(x);
        var first = Vector<double>.Build.Dense(targets[0]);
        var data = diagonal is null ? CenteredData.Prepare(x, first, FitIntercept) : CenteredData.PrepareDiagonal(x, diagonal, first, FitIntercept);
        var solver = GeneralizedLassoConfiguration.CreateSolver(data, diagonal, d, scale.CheckedCurvature(Rho, nameof(Rho)), nameof(Rho), Rescaling.Saturating(1.0, -2 * scale.X));
        double alpha = scale.Penalty(Alpha);
        var onIteration = GeneralizedLassoConfiguration.InCallerUnits(scale, OnIteration);
        var rows = new double[targets.Length * p];
        var intercepts = new double[targets.Length];
        int iterations = 0;
        bool converged = true;
        double residual = 0.0;
        for (int k = 0; k < targets.Length; k++)
        {
            var y = targets[k];
            double yMean = data.CentreTarget(y);
            var state = GeneralizedLassoConfiguration.Start(data, diagonal, d, y);
            var settings = GeneralizedLassoConfiguration.Settings(data, diagonal, d, y, alpha, MaxIterations, Tolerance, onIteration, cancellationToken);
            var result = solver.Solve(state, settings);
            var row = rows.AsSpan(k * p, p);
            state.W.CopyTo(row);
            scale.UnscaleCoefficients(row);
            intercepts[k] = scale.UnscaleIntercept(data.Intercept(yMean, state.W));
            iterations = Math.Max(iterations, result.Iterations);
            converged &= result.Converged;
            residual = Math.Max(residual, Rescaling.Checked(result.PrimalResidual, scale.X - scale.Y, "primal residual"));
        }

        Commit(new MultiTargetLinearState(rows, intercepts, targets.Length, p, iterations, converged, residual));
    }

    private protected override void ValidateParameters()
    {
        Guard.AtLeast(Alpha, 0.0, nameof(Alpha));
        Guard.GreaterThan(Rho, 0.0, nameof(Rho));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
    }
}
