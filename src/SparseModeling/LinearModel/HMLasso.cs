// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The Lasso for data with missing entries, HMLasso (Takada, Fujisawa and Nishikawa, "HMLasso: Lasso with High Missing
/// Rate", IJCAI 2019), with the parameters of spm-image's <c>HMLasso</c>: <c>double.NaN</c> in x marks a missing entry.
/// </summary>
/// <remarks>
/// <para>
/// With an intercept, each column is centred by the mean of its observed entries and y by its mean. From the centred
/// data the pairwise (available-case) statistics are formed: S_jk = Σ x̃_ij·x̃_ik / n_jk over the n_jk rows that observe
/// both features j and k, and ρ_j = Σ x̃_ij·ỹ_i / n_jj over the rows that observe feature j. S need not be positive
/// semidefinite, so it is replaced by its weighted projection
/// </para>
/// <para>Σ = argmin ½‖W∘(Σ − S)‖²_F subject to Σ ⪰ εI, with W_jk = (n_jk/n)^γ (γ = <see cref="WeightExponent"/>),</para>
/// <para>
/// which trusts the entries estimated from many rows (the paper's weighting, which corrects the bias of mean imputation; γ = 1,
/// spm-image's fixed choice, is the one the paper recommends), and the coefficients solve the Lasso's quadratic program
/// </para>
/// <para>min_w ½·wᵀΣw − ρᵀw + α·‖w‖₁.</para>
/// <para>
/// On complete data Σ = XᵀX/n (when its eigenvalues are above the floor) and ρ = Xᵀy/n, so this is the Lasso
/// (1/(2n))·‖y − Xw − b‖² + α·‖w‖₁ and α has the same meaning as for <see cref="Lasso"/>.
/// </para>
/// <para>
/// Both problems are solved by ADMM (<c>AdmmSolver</c> configurations). The projection splits B = Σ − S: the B-step is
/// element-wise, (W∘W + μ)∘B = μ(A − S + U), the A-step an eigenvalue projection (eigenvalues below ε raised to ε), with
/// penalty μ = <see cref="MuCovariance"/>, at most <see cref="MaxCovarianceIterations"/> iterations, stopped on Boyd's primal
/// and dual residuals (both within <see cref="CovarianceTolerance"/> times ‖S‖_F plus the iterates' norms). The Lasso step
/// is <see cref="LassoAdmm"/>'s loop on H = Σ, q = ρ with penalty <see cref="MuCoefficient"/>, stopped by its scaled
/// residual rule with <see cref="Tolerance"/>; the coefficients are its sparse iterate z (exact zeros).
/// </para>
/// <para>
/// Differences from spm-image, which are corrections: spm-image's covariance step divides by W∘W/μ + I (the identity
/// matrix) where its own ADMM needs W∘W/μ + 1 (every entry), so it does not minimise the objective it states, and with
/// <c>mu_cov = 1</c> at 20% missing entries it diverges; here the step is the exact minimiser. spm-image stops each ADMM
/// when the cost changes by less than the tolerance, returns the smooth iterate x, has an absolute eigenvalue floor
/// <c>eps</c> and always centres; here the stopping rules are on residuals, the coefficients are z, the floor is
/// ε = <see cref="Epsilon"/>·trace(S)/p (relative to the mean variance, so fits do not depend on the data's units) and
/// <see cref="LinearRegressor.FitIntercept"/> = false uses the data as given. spm-image's <c>normalize</c> is not offered
/// (standardise beforehand); one target per fit.
/// </para>
/// <para>
/// Cost: two Gram matrices (O(np²)), then O(p³) per covariance iteration (an eigendecomposition) and O(p²) per Lasso
/// iteration after one Cholesky factorisation. <see cref="LinearRegressor.Predict"/> needs complete rows (NaN is
/// rejected there).
/// </para>
/// <code>
/// var model = new HMLasso { Alpha = 0.05 }.Fit(xWithNaN, y);
/// Vector&lt;double&gt; w = model.Coefficients;
/// </code>
/// </remarks>
public sealed class HMLasso : LinearRegressor, IRegularized
{
    /// <summary>Creates the estimator with spm-image's defaults (α = 1, μ = 1 for both steps, 1000 and 100 iterations, tolerances 1e-4, ε = 1e-8, γ = 1).</summary>
    public HMLasso()
    {
    }

    /// <summary>The regularisation strength α ≥ 0 (default 1), as <see cref="Lasso"/>'s.</summary>
    public double Alpha { get; set; } = 1.0;

    /// <summary>The augmented-Lagrangian penalty μ &gt; 0 of the Lasso step (spm-image's <c>mu_coef</c>; default 1). It changes the speed, not the solution; values near the scale of the covariance are fastest, and a fit rejects μ more than 2^64 away from the scale of x².</summary>
    public double MuCoefficient { get; set; } = 1.0;

    /// <summary>The augmented-Lagrangian penalty μ &gt; 0 of the covariance projection (spm-image's <c>mu_cov</c>; default 1). The weights W∘W lie in [0, 1], so μ near 1 suits any data; it changes the speed, not the solution.</summary>
    public double MuCovariance { get; set; } = 1.0;

    /// <summary>The most iterations of the Lasso step (spm-image's <c>max_iter_coef</c>; default 1000, at least 1).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The tolerance of the Lasso step's scaled residual rule, ≥ 0 (spm-image's <c>tol_coef</c>; default 1e-4).</summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>The most iterations of the covariance projection (spm-image's <c>max_iter_cov</c>; default 100, at least 1).</summary>
    public int MaxCovarianceIterations { get; set; } = 100;

    /// <summary>The relative tolerance of the covariance projection's residuals, ≥ 0 (spm-image's <c>tol_cov</c>; default 1e-4).</summary>
    public double CovarianceTolerance { get; set; } = 1e-4;

    /// <summary>The eigenvalue floor of Σ relative to the mean variance trace(S)/p, ≥ 0 (spm-image's <c>eps</c>, absolute there; default 1e-8): Σ ⪰ ε·I keeps the Lasso step strictly convex.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>The exponent γ ≥ 0 of the weights W_jk = (n_jk/n)^γ (the paper's α; default 1, spm-image's fixed choice and the paper's recommendation). γ = 0 weighs every entry of S alike.</summary>
    public double WeightExponent { get; set; } = 1.0;

    /// <summary>Called after every iteration of the Lasso step with ½zᵀΣz − ρᵀz + α‖z‖₁ at z and the residuals.</summary>
    public Action<AdmmIterationInfo>? OnIteration { get; set; }

    /// <summary>Called after every iteration of the covariance projection with ½‖W∘(Σ − S)‖²_F at the projected iterate and the residuals.</summary>
    public Action<AdmmIterationInfo>? OnCovarianceIteration { get; set; }

    /// <summary>The iterations of the covariance projection in the last fit (<see cref="IterativeEstimator.Iterations"/> counts the Lasso step's).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public int CovarianceIterations => Fitted<HMLassoState>(nameof(CovarianceIterations)).CovarianceIterations;

    /// <summary>Whether the covariance projection met its stopping rule (<see cref="IterativeEstimator.Converged"/> is true only when both steps did).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public bool CovarianceConverged => Fitted<HMLassoState>(nameof(CovarianceConverged)).CovarianceConverged;

    /// <summary>Fits HMLasso to <paramref name="x"/>, whose NaN entries are missing values, and <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; NaN marks a missing entry; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>, all observed; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty or disagree in shape; x holds ±∞ (row and column named) or has a column with no observed entry (named); y holds NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or <see cref="MuCoefficient"/> is too small for the data to factor the system, or more than 2^64 away from the scale of x².</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision, or a solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public HMLasso Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitCore(x, y, cancellationToken);
        return this;
    }

    private protected override void FitCore(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.SamplesWithMissing(x);
        Guard.Targets(y, x.RowCount);

        // Data far from unit scale is fitted rescaled by powers of two (see LinearScale; NaN entries stay NaN): α scales as
        // s·t and μ of the Lasso step (a curvature, as Σ) as s²; the projection's weights, μ and floor are free of units.
        var scale = LinearScale.Of(x, y);
        double mu = scale.CheckedCurvature(MuCoefficient, nameof(MuCoefficient));
        var data = CenteredData.PrepareMissing(scale.Apply(x), scale.Apply(y), FitIntercept, out var observed);
        var statistics = HMLassoConfiguration.PairwiseStatistics(data, observed, WeightExponent);

        var onCovariance = scale.IsIdentity || OnCovarianceIteration is not { } reportCovariance
            ? OnCovarianceIteration
            : info => reportCovariance(info with
            {
                Objective = Rescaling.Saturating(info.Objective, -4 * scale.X),
                PrimalResidual = Rescaling.Saturating(info.PrimalResidual, -2 * scale.X),
                DualResidual = Rescaling.Saturating(info.DualResidual, -2 * scale.X),
            });
        var (sigma, covariance) = HMLassoConfiguration.ProjectCovariance(
            statistics, HMLassoConfiguration.Floor(statistics, Epsilon), MuCovariance, CovarianceTolerance, MaxCovarianceIterations, onCovariance, cancellationToken);

        var onIteration = scale.IsIdentity || OnIteration is not { } report
            ? OnIteration
            : info => report(info with
            {
                Objective = scale.ReportSquared(info.Objective),
                PrimalResidual = Rescaling.Saturating(info.PrimalResidual, scale.X - scale.Y),
                DualResidual = scale.UnscalePenalty(info.DualResidual),
                Rho = Rescaling.Saturating(info.Rho, -2 * scale.X),
            });
        var w = new double[x.ColumnCount];
        var lasso = HMLassoConfiguration.SolveLasso(
            sigma, statistics.Correlations, scale.Penalty(Alpha), mu, nameof(MuCoefficient), Rescaling.Saturating(1.0, -2 * scale.X), MaxIterations, Tolerance, onIteration, w, cancellationToken);
        double intercept = scale.UnscaleIntercept(data.Intercept(w));
        scale.UnscaleCoefficients(w);
        double residual = Rescaling.Checked(lasso.PrimalResidual, scale.X - scale.Y, "primal residual");
        Commit(new HMLassoState(w, intercept, lasso.Iterations, lasso.Converged && covariance.Converged, residual, covariance.Iterations, covariance.Converged));
    }

    private protected override EstimatorState ReadState(ModelReader reader) => HMLassoState.Read(reader);

    private protected override void ValidateParameters()
    {
        Guard.AtLeast(Alpha, 0.0, nameof(Alpha));
        Guard.GreaterThan(MuCoefficient, 0.0, nameof(MuCoefficient));
        Guard.GreaterThan(MuCovariance, 0.0, nameof(MuCovariance));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
        Guard.AtLeast(MaxCovarianceIterations, 1, nameof(MaxCovarianceIterations));
        Guard.AtLeast(CovarianceTolerance, 0.0, nameof(CovarianceTolerance));
        Guard.AtLeast(Epsilon, 0.0, nameof(Epsilon));
        Guard.AtLeast(WeightExponent, 0.0, nameof(WeightExponent));
    }
}

/// <summary>The fitted state of <see cref="HMLasso"/>: a linear model's (the Lasso step's iterations, convergence of both steps, its final primal residual) and the covariance projection's iterations and convergence.</summary>
/// <param name="Coefficients">w, one per feature.</param>
/// <param name="Intercept">b.</param>
/// <param name="Iterations">The Lasso step's iterations.</param>
/// <param name="Converged">Whether both steps met their stopping rules.</param>
/// <param name="Gap">The Lasso step's final primal residual ‖w − z‖.</param>
/// <param name="CovarianceIterations">The covariance projection's iterations.</param>
/// <param name="CovarianceConverged">Whether the covariance projection met its stopping rule.</param>
internal sealed record HMLassoState(double[] Coefficients, double Intercept, int Iterations, bool Converged, double Gap, int CovarianceIterations, bool CovarianceConverged)
    : LinearModelState(Coefficients, Intercept, Iterations, Converged, Gap)
{
    /// <summary>Reads and checks a saved state: a linear model's fields, covariance iterations ≥ 0, and convergence only when the projection converged.</summary>
    internal static new HMLassoState Read(ModelReader reader)
    {
        var linear = LinearModelState.Read(reader);
        int covarianceIterations = reader.Int(nameof(CovarianceIterations), 0);
        bool covarianceConverged = reader.Bool(nameof(CovarianceConverged));
        if (linear.Converged && !covarianceConverged)
        {
            throw reader.Invalid(nameof(Converged), $"cannot be true when {nameof(CovarianceConverged)} is false");
        }

        return new HMLassoState(linear.Coefficients, linear.Intercept, linear.Iterations, linear.Converged, linear.Gap, covarianceIterations, covarianceConverged);
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Int(nameof(CovarianceIterations), CovarianceIterations);
        writer.Bool(nameof(CovarianceConverged), CovarianceConverged);
        base.Write(writer);
    }
}
