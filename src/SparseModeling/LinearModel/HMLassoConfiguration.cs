// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;
using SparseModeling.Optimization;

namespace SparseModeling.LinearModel;

/// <summary>
/// HMLasso (Takada, Fujisawa and Nishikawa, IJCAI 2019) as two configurations of <see cref="AdmmSolver"/>, for
/// <see cref="HMLasso"/>: the pairwise statistics of data with missing entries, the weighted projection of the pairwise
/// covariance onto the positive semidefinite matrices, and the Lasso on the quadratic program it defines.
/// </summary>
/// <remarks>
/// <para>
/// The projection min_Σ ½‖W∘(Σ − S)‖²_F subject to Σ ⪰ εI is split as B = Σ − S: f(B) = ½‖W∘B‖²_F is a quadratic with
/// the diagonal Hessian W∘W (over the p² entries), g is the indicator of {B : B + S ⪰ εI} (<see cref="PsdProjectionProx"/>),
/// and D = I. The x-update (W∘W + μ)∘B = μ(Z − U) is element-wise (<see cref="BandedCholeskySystem"/> of half-bandwidth 0),
/// the z-step the eigenvalue projection, and Boyd's stopping rule runs with ε_abs = tol·‖S‖_F/p and ε_rel = tol, so
/// both residuals are held to tol·‖S‖_F plus tol times the iterates' norms: a rule free of the data's units.
/// </para>
/// <para>
/// The Lasso min_w ½wᵀΣw − ρᵀw + α‖w‖₁ is <see cref="LassoAdmmConfiguration"/>'s problem with H = Σ and q = ρ given
/// instead of X and y: D = I, dense Cholesky of Σ + μI, soft thresholding, the scaled residual rule, start z = ρ.
/// </para>
/// </remarks>
internal static class HMLassoConfiguration
{
    /// <summary>The pairwise statistics of the paper: S, the squared weights W∘W and ρ, all column-major.</summary>
    /// <param name="Covariance">S_jk = Σ_{i observes j and k} x̃_ij·x̃_ik / n_jk (0 where no row observes both), p×p.</param>
    /// <param name="WeightsSquared">(W∘W)_jk = (n_jk/n)^(2γ), p×p.</param>
    /// <param name="Correlations">ρ_j = Σ_{i observes j} x̃_ij·ỹ_i / n_jj, p entries.</param>
    /// <param name="Features">p.</param>
    public sealed record Statistics(double[] Covariance, double[] WeightsSquared, double[] Correlations, int Features);

    /// <summary>
    /// The pairwise statistics of <paramref name="data"/> (prepared by <see cref="CenteredData.PrepareMissing"/>: missing
    /// entries 0) and its observation indicator <paramref name="observed"/>, with the weights' exponent γ.
    /// </summary>
    public static Statistics PairwiseStatistics(CenteredData data, double[] observed, double exponent)
    {
        int n = data.Rows, p = data.Columns;

        // n_jk = (OᵀO)_jk counts the rows observing both features (sums of 0/1 products: exact).
        var counts = GC.AllocateUninitializedArray<double>(p * p);
        Gram.Compute(n, p, observed, n, counts);
        var diagonal = new double[p];
        for (int j = 0; j < p; j++)
        {
            diagonal[j] = counts[j + (j * p)];
        }

        // The weights first (from the counts, which the division below overwrites).
        var weights = (double[])counts.Clone();
        Kernels.Scal(1.0 / n, weights);
        Kernels.Power(weights, 2.0 * exponent, weights);

        // ρ = X̃ᵀỹ / n_jj and S = X̃ᵀX̃ / n_jk, each division writing over its denominators: the missing entries are 0,
        // so a pair observed in no row has X̃ᵀX̃ = 0 exactly, and the floor 1 of the division leaves it 0.
        var correlations = new double[p];
        Gemv.MultiplyTransposed(n, p, 1.0, data.X, n, data.Y, 0.0, correlations);
        Kernels.DivideFloored(correlations, diagonal, 1.0);
        var gram = GC.AllocateUninitializedArray<double>(p * p);
        Gram.Compute(n, p, data.X, n, gram);
        Kernels.DivideFloored(gram, counts, 1.0);
        return new Statistics(Covariance: counts, WeightsSquared: weights, Correlations: diagonal, Features: p);
    }

    /// <summary>The eigenvalue floor ε = <paramref name="epsilon"/>·trace(S)/p: relative to the mean variance, so free of the data's units.</summary>
    public static double Floor(Statistics s, double epsilon)
    {
        int p = s.Features;
        double trace = 0.0;
        for (int j = 0; j < p; j++)
        {
            trace += s.Covariance[j + (j * p)];
        }

        return epsilon * trace / p;
    }

    /// <summary>
    /// Σ = argmin ½‖W∘(Σ − S)‖²_F subject to Σ ⪰ <paramref name="floor"/>·I, by ADMM with penalty <paramref name="mu"/> from
    /// B = 0 (so the first projection is that of S itself); returns Σ (p×p, exactly symmetric) and the solver's result.
    /// </summary>
    public static (double[] Sigma, AdmmSolver.Result Result) ProjectCovariance(
        Statistics s,
        double floor,
        double mu,
        double tolerance,
        int maxIterations,
        Action<AdmmIterationInfo>? onIteration,
        CancellationToken cancellationToken)
    {
        int p = s.Features, m = p * p;
        var identity = ConstraintOperator.Identity(m);
        var solver = new AdmmSolver(identity, new BandedCholeskySystem(s.WeightsSquared, identity), mu, "MuCovariance");
        var state = new AdmmSolver.State(new double[m], new double[m]);
        double scale = Kernels.Nrm2(s.Covariance);
        var weights = s.WeightsSquared;
        var settings = new AdmmSolver.Settings(new PsdProjectionProx(s.Covariance, p, floor), maxIterations, tolerance * scale / p)
        {
            Stopping = AdmmStopping.Boyd,
            RelativeTolerance = tolerance,
            Objective = onIteration is null ? null : (w, z) => 0.5 * Kernels.WeightedSquaredNorm(weights, z),
            OnIteration = onIteration,
            CancellationToken = cancellationToken,
        };
        var result = solver.Solve(state, settings);

        // Σ = S + Z: Z is the projection's output, so Σ is on the constraint set whatever the residuals.
        var sigma = new double[m];
        Kernels.Add(s.Covariance, state.Z, sigma);
        return (sigma, result);
    }

    /// <summary>
    /// min_w ½wᵀΣw − ρᵀw + α‖w‖₁ by ADMM with penalty <paramref name="mu"/> (named <paramref name="muName"/>, in the caller's
    /// units times <paramref name="muUnit"/>), from z = ρ; writes the sparse iterate z into <paramref name="coefficients"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Σ + μI is not numerically positive definite (μ far too small for Σ).</exception>
    public static AdmmSolver.Result SolveLasso(
        double[] sigma,
        double[] rho,
        double alpha,
        double mu,
        string muName,
        double muUnit,
        int maxIterations,
        double tolerance,
        Action<AdmmIterationInfo>? onIteration,
        Span<double> coefficients,
        CancellationToken cancellationToken)
    {
        int p = rho.Length;
        var identity = ConstraintOperator.Identity(p);
        var solver = new AdmmSolver(identity, new DenseCholeskySystem(sigma, p, identity), mu, muName, muUnit);
        var state = new AdmmSolver.State((double[])rho.Clone(), (double[])rho.Clone());
        var prox = new SoftThresholdProx(alpha);
        AdmmSolver.Objective? objective = null;
        if (onIteration is not null)
        {
            var product = new double[p];
            objective = (w, z) =>
            {
                Gemv.Multiply(p, p, 1.0, sigma, p, z, 0.0, product);
                return (0.5 * Kernels.Dot(z, product)) - Kernels.Dot(rho, z) + prox.Value(z);
            };
        }

        var result = solver.Solve(state, new AdmmSolver.Settings(prox, maxIterations, tolerance)
        {
            Objective = objective,
            OnIteration = onIteration,
            CancellationToken = cancellationToken,
        });
        state.Z.CopyTo(coefficients);
        return result;
    }
}
