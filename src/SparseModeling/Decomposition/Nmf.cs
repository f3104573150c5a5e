// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// Non-negative matrix factorisation X ≈ W·H with W, H ≥ 0 (Lee and Seung, "Learning the parts of
/// objects by non-negative matrix factorization", Nature 1999), as scikit-learn's <c>NMF</c>:
/// multiplicative updates for the β-divergences, β ∈ [−10, 10] (Lee and Seung, NIPS 2001; Févotte and Idier,
/// "Algorithms for nonnegative matrix factorization with the β-divergence", Neural Comput. 23(9),
/// 2011), coordinate descent for the Frobenius loss (Hsieh and Dhillon, KDD 2011), and HALS
/// (Cichocki and Phan, IEICE Trans. Fundamentals E92-A(3), 2009), initialised by NNDSVD (Boutsidis
/// and Gallopoulos, Pattern Recognition 41(4), 2008).
/// </summary>
/// <remarks>
/// Minimises D_β(X ‖ WH) + m·α_W·ρ·‖W‖₁ + n·α_H·ρ·‖H‖₁ + ½·m·α_W·(1 − ρ)·‖W‖²_F + ½·n·α_H·(1 − ρ)·‖H‖²_F
/// for X of n samples × m features, with ρ = <see cref="NmfBase.L1Ratio"/>, as scikit-learn 1.2 scales it.
/// D_β is ½‖X − WH‖²_F for β = 2, the generalised Kullback–Leibler divergence for β = 1, the
/// Itakura–Saito divergence for β = 0, and Σ (x^β + (β−1)·y^β − β·x·y^(β−1)) / (β(β−1)) otherwise.
/// <see cref="ComponentsTransformer.Components"/> is H (components × features); <see cref="FitTransform(Matrix{double}, CancellationToken)"/>
/// returns W (samples × components). With <see cref="NmfInit.NndsvdA"/>, the multiplicative
/// updates reproduce scikit-learn's factors to rounding, since the truncated SVD here is deterministic and
/// exact (scikit-learn's randomized SVD is accurate to about 1e-3 on the error) — except on large data (from
/// 512×512 entries) with a spectrum too flat for the exact SVD to converge quickly, which gets the randomized
/// SVD as in scikit-learn (from a fixed seed: still deterministic).
/// <code>
/// var nmf = new Nmf { ComponentCount = 5, Solver = NmfSolver.MultiplicativeUpdate, Loss = NmfLoss.KullbackLeibler };
/// Matrix&lt;double&gt; w = nmf.FitTransform(x);
/// Matrix&lt;double&gt; h = nmf.Components;
/// </code>
/// </remarks>
public sealed class Nmf : NmfBase
{
    /// <summary>Creates an NMF with scikit-learn 1.2's defaults (coordinate descent, Frobenius, 200 iterations, tolerance 1e-4).</summary>
    public Nmf()
    {
    }

    /// <summary>The solver (default <see cref="NmfSolver.CoordinateDescent"/>, scikit-learn's <c>'cd'</c>). Only the multiplicative updates handle β ≠ 2 and missing entries.</summary>
    public NmfSolver Solver { get; set; } = NmfSolver.CoordinateDescent;

    /// <summary>When true, coordinate descent visits the components in a random order each sweep (default false), drawn from <see cref="ComponentsTransformer.RandomSeed"/>.</summary>
    public bool Shuffle { get; set; }

    private protected override EstimatorState ReadState(ModelReader reader) => NmfState.Read(reader);

    /// <summary>Fits W and H to <paramref name="x"/>.</summary>
    /// <param name="x">Non-negative training samples, one per row (a MathNet <c>SparseMatrix</c> is used as stored, never densified); not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <remarks>
    /// Stopping (<see cref="NmfBase.Tolerance"/>): multiplicative updates check every 10 iterations and stop when the
    /// error √(2·D_β) decreased by less than this fraction of its initial value; coordinate descent and HALS stop when an
    /// iteration's projected-gradient violation is at most this fraction of the first's. <see cref="NmfBase.OnIteration"/>
    /// receives the β-divergence D_β(X ‖ WH) (without the penalties) after every iteration.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds ±∞, a negative entry or NaN (named by row and column; NaN is allowed with <see cref="NmfBase.AllowMissing"/> and the multiplicative updates), holds zeros with β ≤ 0, or a custom start is missing, misshapen or negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (K &gt; min(n, m) with an NNDSVD start, a β other than 2 for coordinate descent or HALS, ...).</exception>
    /// <exception cref="ArithmeticException">The solver produced a non-finite value (for β far from [0, 2], powers of W·H beyond the double range), or the reconstruction error cannot be represented.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Nmf Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        FitCodes(x, cancellationToken);
        return this;
    }

    /// <summary>Fits W and H to <paramref name="x"/> and returns W.</summary>
    /// <param name="x">Non-negative training samples, one per row (a MathNet <c>SparseMatrix</c> is used as stored, never densified); not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>W: samples × components.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArithmeticException">The solver produced a non-finite value (for β far from [0, 2], powers of W·H beyond the double range), or the reconstruction error cannot be represented.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default) => FitCodes(x, cancellationToken);

    /// <summary>Solves for W ≥ 0 with the fitted H held fixed (the same solver, loss and regularisation as the fit), as scikit-learn's <c>transform</c>.</summary>
    /// <param name="x">Non-negative samples with as many columns as the training data (dense or a <c>SparseMatrix</c>); not modified.</param>
    /// <returns>W: samples × components.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has the wrong column count, holds NaN (unless <see cref="NmfBase.AllowMissing"/> with the multiplicative updates), ±∞, negative entries, or zeros with β ≤ 0.</exception>
    /// <exception cref="ArithmeticException">The codes became non-finite (see <see cref="Fit(Matrix{double}, CancellationToken)"/>).</exception>
    public override Matrix<double> Transform(Matrix<double> x)
    {
        using var scope = BeginWork();
        var state = Fitted<NmfState>(nameof(Transform));
        ValidateParameters();
        double beta = EffectiveBeta;
        var data = ValidateInput(x, beta, AllowMissing, Solver);
        Guard.ColumnCount(x, state.FeatureCount);
        int n = x.RowCount, m = x.ColumnCount, k = state.ComponentCount;

        // Data far from unit scale is coded rescaled (see NmfScale): X by 4^E, H by 2^E, so W comes back divided by 2^E.
        var scale = data.Scale;
        data = data.Scaled(scale);
        var h = (double[])state.Components.Clone();
        scale.Factor(h);
        var wt = new double[k * n];
        if (Solver == NmfSolver.MultiplicativeUpdate)
        {
            Array.Fill(wt, Math.Sqrt(data.Mean / k));
        }

        var problem = data.Problem(k, beta);
        Solve(problem, wt, h, scale.Regularization(Regularization(n, m), beta), updateH: false, onIteration: null, CancellationToken.None);
        EnsureFinite(wt, "W", beta);
        scale.UnscaleFactor(wt, "codes");
        return ToMatrix(wt, n, k);
    }

    private protected override Matrix<double> FitCodes(Matrix<double> x, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        double beta = EffectiveBeta;
        var data = ValidateInput(x, beta, AllowMissing, Solver);
        int n = x.RowCount, m = x.ColumnCount;

        // Data far from unit scale is fitted rescaled by a power of four (see NmfScale); nothing changes otherwise.
        var scale = data.Scale;
        data = data.Scaled(scale);
        var (k, wt, h) = Initialize(data, requireW: true, Seed(), scale);
        var problem = data.Problem(k, beta);
        var run = Solve(problem, wt, h, scale.Regularization(Regularization(n, m), beta), updateH: true, scale.Report(OnIteration, beta), cancellationToken);
        double error = NmfProblem.ErrorFromDivergence(problem.Divergence(wt, h), beta);
        problem.EnsureFinite(error, "reconstruction error", run.Iterations);
        scale.UnscaleFactor(h, "components");
        scale.UnscaleFactor(wt, "codes");
        Commit(new NmfState(h, k, m, scale.Error(error, beta), run.Iterations, run.Converged));
        return ToMatrix(wt, n, k);
    }

    private NmfRun Solve(NmfProblem problem, double[] wt, double[] h, NmfRegularization reg, bool updateH, Action<NmfIterationInfo>? onIteration, CancellationToken cancellationToken)
    {
        var settings = new NmfRunSettings(MaxIterations, Tolerance, updateH, onIteration, cancellationToken);
        return Solver switch
        {
            NmfSolver.MultiplicativeUpdate => NmfMultiplicativeUpdate.Run(problem, wt, h, reg, settings),
            NmfSolver.CoordinateDescent => NmfCoordinateDescent.Run(problem, wt, h, reg, settings, Shuffle ? new SplitMix64(Seed() ^ 0x9E3779B97F4A7C15UL) : null),
            _ => NmfHals.Run(problem, wt, h, reg, settings),
        };
    }

    private protected override void ValidateParameters()
    {
        ValidateNmfParameters();
        Guard.Defined(Solver, nameof(Solver));
        if (Solver != NmfSolver.MultiplicativeUpdate && EffectiveBeta != 2.0)
        {
            throw Guard.OutOfRange(Beta is null ? nameof(Loss) : nameof(Beta), $"The {Solver} solver handles only the Frobenius loss (β = 2) but β = {EffectiveBeta.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}; use {nameof(NmfSolver.MultiplicativeUpdate)}.");
        }
    }
}
