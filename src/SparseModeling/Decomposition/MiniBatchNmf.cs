// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// Online non-negative matrix factorisation X ≈ W·H by mini-batch multiplicative updates (Lefèvre,
/// Bach and Févotte, "Online algorithms for nonnegative matrix factorization with the Itakura-Saito
/// divergence", WASPAA 2011), as scikit-learn's <c>MiniBatchNMF</c>: each mini-batch takes one
/// multiplicative update of its rows of W (Févotte and Idier, Neural Comput. 23(9), 2011), then H is
/// updated from running sums A, B of the update's numerators and denominators, forgotten at the rate
/// ρ = <see cref="ForgetFactor"/>^(batch / n). <see cref="PartialFit(Matrix{double}, CancellationToken)"/>
/// learns from data arriving in pieces, for data that does not fit in memory at once.
/// </summary>
/// <remarks>
/// Minimises D_β(X ‖ WH) + m·α_W·ρ₁·‖W‖₁ + n·α_H·ρ₁·‖H‖₁ + ½·m·α_W·(1 − ρ₁)·‖W‖²_F + ½·n·α_H·(1 − ρ₁)·‖H‖²_F
/// (ρ₁ = <see cref="NmfBase.L1Ratio"/>, n the samples of the mini-batch), as <see cref="Nmf"/>. Each mini-batch
/// step: W_b ← W_b ⊙ (num_W / den_W)^γ, then A ← ρA + H^(1/γ) ⊙ num_H, B ← ρB + den_H, H ← (A / B)^γ,
/// with γ(β) and the numerical floors of <see cref="Nmf"/>'s multiplicative updates. The mini-batches
/// are contiguous slices of one random permutation of the rows drawn from <see cref="ComponentsTransformer.RandomSeed"/>
/// (scikit-learn 1.2 slices the rows in order); when one batch holds every row the rows are taken in
/// order. Fitting stops when H changes by at most <see cref="NmfBase.Tolerance"/> (relative) in a step, or when
/// the smoothed mini-batch cost has not improved for <see cref="MaxNoImprovement"/> steps. With
/// <see cref="NmfBase.AllowMissing"/>, NaN entries are missing values and every step uses the weighted updates
/// of the observed entries, as <see cref="Nmf"/> does.
/// <code>
/// var nmf = new MiniBatchNmf { ComponentCount = 10, BatchSize = 256, Loss = NmfLoss.KullbackLeibler, RandomSeed = 0 };
/// foreach (Matrix&lt;double&gt; chunk in chunks)
/// {
///     nmf.PartialFit(chunk);
/// }
/// Matrix&lt;double&gt; h = nmf.Components;
/// </code>
/// </remarks>
public sealed class MiniBatchNmf : NmfBase
{
    /// <summary>Creates a mini-batch NMF with scikit-learn 1.2's defaults (Frobenius, batches of 1024, 200 epochs, tolerance 1e-4).</summary>
    public MiniBatchNmf()
    {
    }

    /// <summary>The rows per mini-batch (default 1024, ≥ 1); batches larger than the sample count take every row.</summary>
    public int BatchSize { get; set; } = 1024;

    /// <summary>Stop after this many consecutive steps (≥ 1) without a new minimum of the exponentially smoothed mini-batch cost (default 10); null disables the test.</summary>
    public int? MaxNoImprovement { get; set; } = 10;

    /// <summary>
    /// The weight ∈ [0, 1] of past statistics after a full epoch (default 0.7); each step forgets with ρ = ForgetFactor^(batch / n).
    /// 1 keeps every past batch with equal weight; 0 keeps only the current batch (as scikit-learn's <c>forget_factor=0</c>).
    /// </summary>
    public double ForgetFactor { get; set; } = 0.7;

    /// <summary>When true, each step solves for its batch's W from a flat start (up to <see cref="FreshRestartsMaxIterations"/> updates) instead of one update from the previous W, and the returned W is solved at the end (default false).</summary>
    public bool FreshRestarts { get; set; }

    /// <summary>The most W updates of a fresh restart, and of the W solve in <see cref="PartialFit(Matrix{double}, CancellationToken)"/> (default 30, ≥ 1).</summary>
    public int FreshRestartsMaxIterations { get; set; } = 30;

    /// <summary>The most W updates in <see cref="Transform(Matrix{double})"/> (≥ 1); null (default) uses <see cref="NmfBase.MaxIterations"/>.</summary>
    public int? TransformMaxIterations { get; set; }

    /// <summary>The mini-batch steps taken (scikit-learn's <c>n_steps_</c>): by the last <c>Fit</c>, plus one per later <see cref="PartialFit(Matrix{double}, CancellationToken)"/>.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public int StepCount => Fitted<MiniBatchNmfState>(nameof(StepCount)).StepCount;

    private protected override EstimatorState ReadState(ModelReader reader) => MiniBatchNmfState.Read(reader);

    /// <summary>Fits W and H to <paramref name="x"/> by mini-batch passes, discarding any previous fit.</summary>
    /// <param name="x">Non-negative training samples, one per row (a MathNet <c>SparseMatrix</c> is used as stored, never densified); not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between steps; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <remarks>
    /// <see cref="NmfBase.Tolerance"/> applies to the relative change ‖H − H_previous‖_F / ‖H‖_F of a step (and to the relative
    /// change of W when solving for it; 0 disables both tests); <see cref="NmfBase.MaxIterations"/> counts epochs.
    /// <see cref="NmfBase.OnIteration"/> receives, after every step, the mini-batch's cost (D_β plus the penalties, divided by
    /// the batch's rows), the relative change of H, and copies of the batch's W (batch rows × components, in batch order)
    /// and of H. <see cref="IterativeEstimator.Iterations"/> counts the epochs started (scikit-learn's <c>n_iter_</c>);
    /// <see cref="IterativeEstimator.Converged"/> whether the fit stopped early by the tolerance or the no-improvement rule.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN (unless <see cref="NmfBase.AllowMissing"/>), ±∞ or a negative entry (named by row and column), holds zeros with β ≤ 0, or a custom start is missing, misshapen or negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (K &lt; 1, <see cref="BatchSize"/> &lt; 1, <see cref="ForgetFactor"/> outside [0, 1], K &gt; min(n, m) with an NNDSVD start, ...).</exception>
    /// <exception cref="ArithmeticException">The solver produced a non-finite value (for β far from [0, 2], powers of W·H beyond the double range), or the reconstruction error cannot be represented.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public MiniBatchNmf Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        FitCodes(x, cancellationToken);
        return this;
    }

    /// <summary>Fits W and H to <paramref name="x"/> and returns W.</summary>
    /// <param name="x">Non-negative training samples, one per row (a MathNet <c>SparseMatrix</c> is used as stored, never densified); not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between steps; the model then keeps its previous state.</param>
    /// <returns>W: samples × components.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArithmeticException">The solver produced a non-finite value (for β far from [0, 2], powers of W·H beyond the double range), or the reconstruction error cannot be represented.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default) => FitCodes(x, cancellationToken);

    /// <summary>
    /// Updates the model with one mini-batch: the first call (on an unfitted model) initialises H from this batch and
    /// the statistics A = H, B = 1 with ρ = <see cref="ForgetFactor"/>^(min(<see cref="BatchSize"/>, rows) / rows);
    /// every call solves for the batch's W (up to <see cref="FreshRestartsMaxIterations"/> updates) and updates H
    /// from the accumulated statistics, as scikit-learn's <c>partial_fit</c>. After <c>Fit</c>, it continues from the fit's statistics.
    /// <see cref="NmfBase.InitialW"/> is not used.
    /// </summary>
    /// <param name="x">A non-negative mini-batch, one sample per row (dense or a <c>SparseMatrix</c>); after the first call with the fitted column count; not modified.</param>
    /// <param name="cancellationToken">Checked before the update.</param>
    /// <returns>This estimator, updated.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has another column count than the fitted model, holds NaN (unless <see cref="NmfBase.AllowMissing"/>), ±∞, negative entries, or zeros with β ≤ 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="ArithmeticException">The solver produced a non-finite value (for β far from [0, 2], powers of W·H beyond the double range), or the reconstruction error cannot be represented.</exception>
    /// <exception cref="OperationCanceledException">The update was cancelled.</exception>
    public MiniBatchNmf PartialFit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        double beta = EffectiveBeta;
        var data = ValidateInput(x, beta, AllowMissing);
        var previous = Current<MiniBatchNmfState>();
        if (previous is not null)
        {
            Guard.ColumnCount(x, previous.FeatureCount);
        }

        int n = x.RowCount, m = x.ColumnCount;

        // A batch far from unit scale is fitted rescaled by a power of four (see NmfScale); the model's H and online
        // statistics are carried to its scale and back.
        var scale = data.Scale;
        data = data.Scaled(scale);
        var solver = new NmfMiniBatch(Settings(cancellationToken, scale, beta));
        double[] h;
        NmfOnlineStatistics statistics;
        int k;
        if (previous is null)
        {
            (k, _, h) = Initialize(data, requireW: false, Seed(), scale);
            statistics = solver.StartStatistics(h, n);
        }
        else
        {
            k = previous.ComponentCount;
            h = (double[])previous.Components.Clone();
            scale.Factor(h);
            statistics = new NmfOnlineStatistics((double[])previous.Numerator.Clone(), (double[])previous.Denominator.Clone(), previous.Rho);
            if (!scale.IsIdentity)
            {
                scale.Statistics(statistics.Numerator, statistics.Denominator, beta, toCaller: false);
                NmfScale.CheckStatistics(statistics.Numerator, statistics.Denominator);
            }
        }

        solver.PartialFitStep(data, k, beta, h, statistics);
        scale.UnscaleFactor(h, "components");
        scale.Statistics(statistics.Numerator, statistics.Denominator, beta, toCaller: true);
        Commit(new MiniBatchNmfState(
            h,
            k,
            m,
            previous?.ReconstructionError ?? double.NaN,
            previous?.Iterations ?? 0,
            (previous?.StepCount ?? 0) + 1,
            previous?.Converged ?? false,
            statistics.Numerator,
            statistics.Denominator,
            statistics.Rho),
            partialFit: true);
        return this;
    }

    /// <summary>Solves for W ≥ 0 with the fitted H held fixed, as scikit-learn's <c>transform</c>: W starts at √(mean(X)/K) and takes multiplicative updates until its relative change is at most <see cref="NmfBase.Tolerance"/> or <see cref="TransformMaxIterations"/> updates.</summary>
    /// <param name="x">Non-negative samples with as many columns as the training data (dense or a <c>SparseMatrix</c>); not modified.</param>
    /// <returns>W: samples × components.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has the wrong column count, holds NaN (unless <see cref="NmfBase.AllowMissing"/>), ±∞, negative entries, or zeros with β ≤ 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="ArithmeticException">The codes became non-finite (see <see cref="Fit(Matrix{double}, CancellationToken)"/>).</exception>
    public override Matrix<double> Transform(Matrix<double> x)
    {
        using var scope = BeginWork();
        var state = Fitted<MiniBatchNmfState>(nameof(Transform));
        ValidateParameters();
        double beta = EffectiveBeta;
        var data = ValidateInput(x, beta, AllowMissing);
        Guard.ColumnCount(x, state.FeatureCount);
        int n = x.RowCount, k = state.ComponentCount;

        // Data far from unit scale is coded rescaled (see NmfScale): X by 4^E, H by 2^E, so W comes back divided by 2^E.
        var scale = data.Scale;
        data = data.Scaled(scale);
        var h = state.Components;
        if (!scale.IsIdentity)
        {
            h = (double[])h.Clone();
            scale.Factor(h);
        }

        var wt = new NmfMiniBatch(Settings(CancellationToken.None, scale, beta)).SolveW(data, k, beta, h);
        scale.UnscaleFactor(wt, "codes");
        return ToMatrix(wt, n, k);
    }

    private protected override Matrix<double> FitCodes(Matrix<double> x, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        double beta = EffectiveBeta;
        var data = ValidateInput(x, beta, AllowMissing);
        int n = x.RowCount, m = x.ColumnCount;

        // Data far from unit scale is fitted rescaled by a power of four (see NmfScale): the fit is that of the data
        // brought to unit scale (the start of the online statistics, A = H and B = 1, is not scale-free), returned in
        // the caller's units.
        var scale = data.Scale;
        data = data.Scaled(scale);
        var (k, wt, h) = Initialize(data, requireW: true, Seed(), scale);
        var result = new NmfMiniBatch(Settings(cancellationToken, scale, beta)).Run(data, k, beta, wt, h, Seed());
        var statistics = result.Statistics;
        var codes = result.Wt;
        scale.UnscaleFactor(h, "components");
        scale.UnscaleFactor(codes, "codes");
        scale.Statistics(statistics.Numerator, statistics.Denominator, beta, toCaller: true);
        double error = scale.Error(result.ReconstructionError, beta);
        Commit(new MiniBatchNmfState(h, k, m, error, result.Epochs, result.Steps, result.Converged, statistics.Numerator, statistics.Denominator, statistics.Rho));
        return ToMatrix(codes, n, k);
    }

    /// <summary>The solver's settings; on data rescaled by <paramref name="scale"/>, the penalties and the reports are converted (<see cref="NmfScale"/>).</summary>
    private NmfMiniBatchSettings Settings(CancellationToken cancellationToken, NmfScale scale = default, double beta = 2.0) => new(
        BatchSize,
        MaxIterations,
        Tolerance,
        MaxNoImprovement,
        ForgetFactor,
        FreshRestarts,
        FreshRestartsMaxIterations,
        TransformMaxIterations ?? MaxIterations,
        AlphaW,
        AlphaH ?? AlphaW,
        L1Ratio,
        scale.Report(OnIteration, beta),
        cancellationToken)
    {
        Scale = scale,
    };

    private protected override void ValidateParameters()
    {
        ValidateNmfParameters();
        Guard.AtLeast(BatchSize, 1, nameof(BatchSize));
        if (MaxNoImprovement is int patience)
        {
            Guard.AtLeast(patience, 1, nameof(MaxNoImprovement));
        }

        Guard.InRange(ForgetFactor, 0.0, 1.0, nameof(ForgetFactor));

        Guard.AtLeast(FreshRestartsMaxIterations, 1, nameof(FreshRestartsMaxIterations));
        if (TransformMaxIterations is int transformMax)
        {
            Guard.AtLeast(transformMax, 1, nameof(TransformMaxIterations));
        }
    }
}

/// <summary>
/// The fitted state of <see cref="MiniBatchNmf"/> as saved by <see cref="ModelSerializer"/>: H (K×m, column-major),
/// the fit's summary, and the online statistics A, B (K×m) and forgetting weight ρ that later partial fits continue from.
/// </summary>
internal sealed record MiniBatchNmfState(
    double[] Components,
    int ComponentCount,
    int FeatureCount,
    double ReconstructionError,
    int Iterations,
    int StepCount,
    bool Converged,
    double[] Numerator,
    double[] Denominator,
    double Rho)
    : NmfState(Components, ComponentCount, FeatureCount, ReconstructionError, Iterations, Converged)
{
    /// <summary>Reads and checks a saved state: <see cref="NmfState"/>'s fields, steps ≥ 0, statistics A and B shaped as H (finite, ≥ 0), ρ ∈ [0, 1].</summary>
    internal static new MiniBatchNmfState Read(ModelReader reader)
    {
        var fit = NmfState.Read(reader);
        long size = (long)fit.ComponentCount * fit.FeatureCount;
        string shape = $"{nameof(ComponentCount)} × {nameof(FeatureCount)} = {fit.ComponentCount} × {fit.FeatureCount}";
        var numerator = reader.Doubles(nameof(Numerator), SavedValue.FiniteNonNegative);
        reader.Length(nameof(Numerator), numerator.Length, size, shape);
        var denominator = reader.Doubles(nameof(Denominator), SavedValue.FiniteNonNegative);
        reader.Length(nameof(Denominator), denominator.Length, size, shape);
        double rho = reader.Double(nameof(Rho), SavedValue.FiniteNonNegative);
        if (rho > 1.0)
        {
            throw reader.Invalid(nameof(Rho), $"must be in [0, 1] (was {ModelReader.Format(rho)})");
        }

        int steps = reader.Int(nameof(StepCount), 0);
        return new MiniBatchNmfState(fit.Components, fit.ComponentCount, fit.FeatureCount, fit.ReconstructionError, fit.Iterations, steps, fit.Converged, numerator, denominator, rho);
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Int(nameof(StepCount), StepCount);
        writer.Doubles(nameof(Numerator), Numerator);
        writer.Doubles(nameof(Denominator), Denominator);
        writer.Double(nameof(Rho), Rho);
        base.Write(writer);
    }
}
