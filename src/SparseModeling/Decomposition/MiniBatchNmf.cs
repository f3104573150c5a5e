// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

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
/// (ρ₁ = <see cref="L1Ratio"/>, n the samples of the mini-batch), as <see cref="Nmf"/>. Each mini-batch
/// step: W_b ← W_b ⊙ (num_W / den_W)^γ, then A ← ρA + H^(1/γ) ⊙ num_H, B ← ρB + den_H, H ← (A / B)^γ,
/// with γ(β) and the numerical floors of <see cref="Nmf"/>'s multiplicative updates. The mini-batches
/// are contiguous slices of one random permutation of the rows drawn from <see cref="RandomSeed"/>
/// (scikit-learn 1.2 slices the rows in order); when one batch holds every row the rows are taken in
/// order. Fitting stops when H changes by at most <see cref="Tolerance"/> (relative) in a step, or when
/// the smoothed mini-batch cost has not improved for <see cref="MaxNoImprovement"/> steps.
/// <code>
/// var nmf = new MiniBatchNmf { ComponentCount = 10, BatchSize = 256, Loss = NmfLoss.KullbackLeibler, RandomSeed = 0 };
/// foreach (Matrix&lt;double&gt; chunk in chunks)
/// {
///     nmf.PartialFit(chunk);
/// }
/// Matrix&lt;double&gt; h = nmf.Components;
/// </code>
/// </remarks>
public sealed class MiniBatchNmf : ITransformer, IPersistable
{
    private MiniBatchNmfState? _fitted;

    /// <summary>Creates a mini-batch NMF with scikit-learn 1.2's defaults (Frobenius, batches of 1024, 200 epochs, tolerance 1e-4).</summary>
    public MiniBatchNmf()
    {
    }

    /// <summary>The number of components K ≥ 1; null (default) takes the number of features, as scikit-learn (or the row count of <see cref="InitialH"/> with a custom start).</summary>
    public int? ComponentCount { get; set; }

    /// <summary>The divergence minimised (default <see cref="NmfLoss.Frobenius"/>); ignored when <see cref="Beta"/> is set.</summary>
    public NmfLoss Loss { get; set; } = NmfLoss.Frobenius;

    /// <summary>Any finite β of the β-divergence, overriding <see cref="Loss"/> when set (default null); β ≤ 0 requires X &gt; 0.</summary>
    public double? Beta { get; set; }

    /// <summary>The initialisation; null (default) picks <see cref="NmfInit.NndsvdA"/> when K ≤ min(n, m) and <see cref="NmfInit.Random"/> otherwise, as scikit-learn. <see cref="PartialFit(Matrix{double}, CancellationToken)"/> initialises from its first batch.</summary>
    public NmfInit? Init { get; set; }

    /// <summary>The rows per mini-batch (default 1024, ≥ 1); batches larger than the sample count take every row.</summary>
    public int BatchSize { get; set; } = 1024;

    /// <summary>The most epochs (passes over the data; default 200, ≥ 1).</summary>
    public int MaxIterations { get; set; } = 200;

    /// <summary>The tolerance ≥ 0 on the relative change ‖H − H_previous‖_F / ‖H‖_F of a step (default 1e-4), and on the relative change of W when solving for it; 0 disables both tests.</summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>Stop after this many consecutive steps (≥ 1) without a new minimum of the exponentially smoothed mini-batch cost (default 10); null disables the test.</summary>
    public int? MaxNoImprovement { get; set; } = 10;

    /// <summary>The weight ∈ (0, 1] of past statistics after a full epoch (default 0.7); each step forgets with ρ = ForgetFactor^(batch / n). 1 keeps every past batch with equal weight.</summary>
    public double ForgetFactor { get; set; } = 0.7;

    /// <summary>When true, each step solves for its batch's W from a flat start (up to <see cref="FreshRestartsMaxIterations"/> updates) instead of one update from the previous W, and the returned W is solved at the end (default false).</summary>
    public bool FreshRestarts { get; set; }

    /// <summary>The most W updates of a fresh restart, and of the W solve in <see cref="PartialFit(Matrix{double}, CancellationToken)"/> (default 30, ≥ 1).</summary>
    public int FreshRestartsMaxIterations { get; set; } = 30;

    /// <summary>The most W updates in <see cref="Transform(Matrix{double})"/> (≥ 1); null (default) uses <see cref="MaxIterations"/>.</summary>
    public int? TransformMaxIterations { get; set; }

    /// <summary>The regularisation strength α_W ≥ 0 of W (default 0), scaled by the feature count as in scikit-learn 1.2.</summary>
    public double AlphaW { get; set; }

    /// <summary>The regularisation strength α_H ≥ 0 of H, scaled by the mini-batch's sample count; null (default) uses <see cref="AlphaW"/>.</summary>
    public double? AlphaH { get; set; }

    /// <summary>The share ρ₁ ∈ [0, 1] of the L1 penalty in the regularisation (default 0: pure L2).</summary>
    public double L1Ratio { get; set; }

    /// <summary>The seed of the row permutation that forms the mini-batches and of random initialisation; null draws a fresh seed at every fit.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>
    /// Called after every mini-batch step of <c>Fit</c> with an <see cref="NmfIterationInfo"/>: the step number,
    /// the mini-batch's cost (D_β plus the penalties, divided by the batch's rows), the relative change of H,
    /// and copies of the batch's W (batch rows × components, in batch order) and of H.
    /// </summary>
    public Action<NmfIterationInfo>? OnIteration { get; set; }

    /// <summary>The starting W (samples × components, non-negative) for <see cref="NmfInit.Custom"/>; ignored by <see cref="PartialFit(Matrix{double}, CancellationToken)"/>; not saved by <see cref="ModelSerializer"/>.</summary>
    public Matrix<double>? InitialW { get; set; }

    /// <summary>The starting H (components × features, non-negative) for <see cref="NmfInit.Custom"/>; not saved by <see cref="ModelSerializer"/>.</summary>
    public Matrix<double>? InitialH { get; set; }

    /// <summary>The fitted H: components × features (a copy), scikit-learn's <c>components_</c>.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> Components
    {
        get
        {
            var state = Fitted(nameof(Components));
            return Matrix<double>.Build.Dense(state.ComponentCount, state.FeatureCount, (double[])state.Components.Clone());
        }
    }

    /// <summary>√(2·D_β(X ‖ WH)) of the training data at the end of the last <c>Fit</c>, scikit-learn's <c>reconstruction_err_</c>; NaN when the model was only ever trained by <see cref="PartialFit(Matrix{double}, CancellationToken)"/>.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double ReconstructionError => Fitted(nameof(ReconstructionError)).ReconstructionError;

    /// <summary>The epochs started by the last <c>Fit</c> (scikit-learn's <c>n_iter_</c>); 0 after <see cref="PartialFit(Matrix{double}, CancellationToken)"/> alone.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public int Iterations => Fitted(nameof(Iterations)).Iterations;

    /// <summary>The mini-batch steps taken (scikit-learn's <c>n_steps_</c>): by the last <c>Fit</c>, plus one per later <see cref="PartialFit(Matrix{double}, CancellationToken)"/>.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public int StepCount => Fitted(nameof(StepCount)).StepCount;

    /// <summary>Whether the last <c>Fit</c> stopped early by the <see cref="Tolerance"/> or <see cref="MaxNoImprovement"/> rule; false after <see cref="PartialFit(Matrix{double}, CancellationToken)"/> alone.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public bool Converged => Fitted(nameof(Converged)).Converged;

    Type IPersistable.StateType => typeof(MiniBatchNmfState);

    private double EffectiveBeta => Nmf.BetaOf(Loss, Beta);

    /// <summary>Fits W and H to <paramref name="x"/> by mini-batch passes, discarding any previous fit.</summary>
    /// <param name="x">Non-negative training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between steps; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN, ±∞ or a negative entry (named by row and column), holds zeros with β ≤ 0, or a custom start is missing, misshapen or negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (K &lt; 1, <see cref="BatchSize"/> &lt; 1, <see cref="ForgetFactor"/> outside (0, 1], K &gt; min(n, m) with an NNDSVD start, ...).</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public MiniBatchNmf Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        FitCore(x, cancellationToken);
        return this;
    }

    /// <summary>Fits W and H to <paramref name="x"/> and returns W.</summary>
    /// <param name="x">Non-negative training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between steps; the model then keeps its previous state.</param>
    /// <returns>W: samples × components.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        var wt = FitCore(x, cancellationToken);
        return Nmf.ToMatrix(wt, x.RowCount, _fitted!.ComponentCount);
    }

    /// <summary>
    /// Updates the model with one mini-batch: the first call (on an unfitted model) initialises H from this batch and
    /// the statistics A = H, B = 1 with ρ = <see cref="ForgetFactor"/>^(min(<see cref="BatchSize"/>, rows) / rows);
    /// every call solves for the batch's W (up to <see cref="FreshRestartsMaxIterations"/> updates) and updates H
    /// from the accumulated statistics, as scikit-learn's <c>partial_fit</c>. After <c>Fit</c>, it continues from the fit's statistics.
    /// </summary>
    /// <param name="x">A non-negative mini-batch, one sample per row; after the first call with the fitted column count; not modified.</param>
    /// <param name="cancellationToken">Checked before the update.</param>
    /// <returns>This estimator, updated.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has another column count than the fitted model, holds NaN, ±∞, negative entries, or zeros with β ≤ 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The update was cancelled.</exception>
    public MiniBatchNmf PartialFit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        ValidateParameters();
        double beta = EffectiveBeta;
        var data = Nmf.ValidateSamples(x, beta);
        var previous = _fitted;
        if (previous is not null)
        {
            Guard.ColumnCount(x, previous.FeatureCount);
        }

        cancellationToken.ThrowIfCancellationRequested();
        int n = x.RowCount, m = x.ColumnCount;
        double[] h;
        NmfOnlineStatistics statistics;
        int k;
        if (previous is null)
        {
            (k, _, h) = Initialize(data, n, m, requireW: false);
            double rho = Math.Pow(ForgetFactor, (double)Math.Min(BatchSize, n) / n);
            statistics = new NmfOnlineStatistics((double[])h.Clone(), Ones(h.Length), rho);
        }
        else
        {
            k = previous.ComponentCount;
            h = (double[])previous.Components.Clone();
            statistics = new NmfOnlineStatistics((double[])previous.Numerator.Clone(), (double[])previous.Denominator.Clone(), previous.Rho);
        }

        var slot = new BatchSlot(data, n, m, k, beta, direct: true);
        Step(slot, h, statistics, fresh: true);
        _fitted = new MiniBatchNmfState(
            h,
            k,
            m,
            previous?.ReconstructionError ?? double.NaN,
            previous?.Iterations ?? 0,
            (previous?.StepCount ?? 0) + 1,
            previous?.Converged ?? false,
            statistics.Numerator,
            statistics.Denominator,
            statistics.Rho);
        return this;
    }

    /// <summary>Solves for W ≥ 0 with the fitted H held fixed, as scikit-learn's <c>transform</c>: W starts at √(mean(X)/K) and takes multiplicative updates until its relative change is at most <see cref="Tolerance"/> or <see cref="TransformMaxIterations"/> updates.</summary>
    /// <param name="x">Non-negative samples with as many columns as the training data; not modified.</param>
    /// <returns>W: samples × components.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has the wrong column count, holds NaN, ±∞, negative entries, or zeros with β ≤ 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public Matrix<double> Transform(Matrix<double> x)
    {
        var state = Fitted(nameof(Transform));
        ValidateParameters();
        double beta = EffectiveBeta;
        var data = Nmf.ValidateSamples(x, beta);
        Guard.ColumnCount(x, state.FeatureCount);
        int n = x.RowCount, k = state.ComponentCount;
        var slot = new BatchSlot(data, n, state.FeatureCount, k, beta, direct: true);
        SolveW(slot, state.Components, TransformMaxIterations ?? MaxIterations);
        return Nmf.ToMatrix(slot.Wt, n, k);
    }

    /// <summary>W·H: maps codes back to the feature space, as scikit-learn's <c>inverse_transform</c>.</summary>
    /// <param name="w">Codes, samples × components.</param>
    /// <returns>The reconstruction, samples × features.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="w"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="w"/> is empty, holds NaN or ±∞, or has a column count other than the component count.</exception>
    public Matrix<double> InverseTransform(Matrix<double> w)
    {
        var state = Fitted(nameof(InverseTransform));
        Guard.Samples(w);
        if (w.ColumnCount != state.ComponentCount)
        {
            throw new ArgumentException($"{nameof(w)} has {w.ColumnCount} columns but the model has {state.ComponentCount} components; they must agree.", nameof(w));
        }

        int n = w.RowCount, m = state.FeatureCount, k = state.ComponentCount;
        var result = new double[n * m];
        Gemm.Multiply(false, false, n, m, k, 1.0, MatrixStorage.ColumnMajor(w), n, state.Components, k, 0.0, result, n);
        return MatrixStorage.FromColumnMajor(n, m, result);
    }

    ITransformer ITransformer.Fit(Matrix<double> x) => Fit(x);

    Matrix<double> ITransformer.FitTransform(Matrix<double> x) => FitTransform(x);

    object? IPersistable.GetState() => _fitted;

    void IPersistable.SetState(object state) => _fitted = (MiniBatchNmfState)state;

    private static double[] Ones(int length)
    {
        var ones = new double[length];
        Array.Fill(ones, 1.0);
        return ones;
    }

    private static ArgumentOutOfRangeException OutOfRange(string paramName, object value, string message) => new(paramName, value, message);

    private static ArgumentException Invalid(string message, string paramName) => new(message, paramName);

    /// <summary>‖a − b‖ / ‖a‖ (NaN when a = 0, which never meets a tolerance).</summary>
    private static double RelativeChange(ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        Kernels.Distance(a, b) / Kernels.Nrm2(a);

    private double[] FitCore(Matrix<double> x, CancellationToken cancellationToken)
    {
        ValidateParameters();
        double beta = EffectiveBeta;
        var data = Nmf.ValidateSamples(x, beta);
        int n = x.RowCount, m = x.ColumnCount;
        var (k, wt, h) = Initialize(data, n, m, requireW: true);
        int batch = Math.Min(BatchSize, n);
        int stepsPerEpoch = (n + batch - 1) / batch;
        var statistics = new NmfOnlineStatistics((double[])h.Clone(), Ones(h.Length), Math.Pow(ForgetFactor, (double)batch / n));

        // One permutation of the rows, cut into contiguous batches that every epoch visits in the same order.
        int[]? order = null;
        if (stepsPerEpoch > 1)
        {
            order = new int[n];
            for (int i = 0; i < n; i++)
            {
                order[i] = i;
            }

            var rng = new SplitMix64(Seed() ^ 0x9E3779B97F4A7C15UL);
            for (int i = n - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        var full = new BatchSlot(order is null ? data : null, batch, m, k, beta, direct: order is null);
        int remainder = n - ((stepsPerEpoch - 1) * batch);
        var last = remainder == batch ? full : new BatchSlot(null, remainder, m, k, beta, direct: false);
        var hPrevious = (double[])h.Clone();
        var monitor = new CostMonitor(n, Tolerance, MaxNoImprovement);
        long maxSteps = (long)MaxIterations * stepsPerEpoch;
        long step = 0;
        bool converged = false;
        while (step < maxSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int start = (int)(step % stepsPerEpoch) * batch;
            var slot = start + batch <= n ? full : last;
            slot.Load(data, n, order, start, wt);
            double cost = Step(slot, h, statistics, FreshRestarts);
            slot.Store(order, start, wt);
            step++;
            double change = RelativeChange(h, hPrevious);
            bool stop = monitor.Converged(step, slot.Rows, cost, change);
            if (OnIteration is { } callback)
            {
                callback(NmfIterationInfo.Create((int)Math.Min(step, int.MaxValue), cost, change, slot.Wt, h, slot.Rows, m, k));
            }

            if (stop)
            {
                converged = true;
                break;
            }

            h.CopyTo(hPrevious, 0);
        }

        var whole = new BatchSlot(data, n, m, k, beta, direct: true);
        if (FreshRestarts)
        {
            SolveW(whole, h, TransformMaxIterations ?? MaxIterations);
            wt = whole.Wt;
        }

        double error = NmfProblem.ErrorFromDivergence(whole.Problem.Divergence(wt, h), beta);
        int epochs = (int)((step + stepsPerEpoch - 1) / stepsPerEpoch);
        _fitted = new MiniBatchNmfState(h, k, m, error, epochs, (int)Math.Min(step, int.MaxValue), converged, statistics.Numerator, statistics.Denominator, statistics.Rho);
        return wt;
    }

    /// <summary>One mini-batch step on the slot's rows (its X and Wᵀ loaded): the W update (or solve), the batch cost, the online H update.</summary>
    private double Step(BatchSlot slot, double[] h, NmfOnlineStatistics statistics, bool fresh)
    {
        var problem = slot.Problem;
        double beta = problem.Beta;
        double gamma = NmfMultiplicativeUpdate.Gamma(beta);
        var reg = Regularization(slot.Rows, problem.M);
        if (fresh)
        {
            SolveW(slot, h, FreshRestartsMaxIterations);
        }
        else
        {
            slot.Workspace.FrobeniusCacheValid = false;
            NmfMultiplicativeUpdate.UpdateW(problem, slot.Wt, h, reg, gamma, slot.Workspace, hFixed: false);
        }

        if (beta < 1.0)
        {
            NmfMultiplicativeUpdate.ZeroBelow(slot.Wt, NmfMultiplicativeUpdate.Float64Epsilon);
        }

        double cost = problem.Divergence(slot.Wt, h)
            + (reg.L1W * Kernels.Sum(slot.Wt)) + (reg.L1H * Kernels.Sum(h))
            + (reg.L2W * Kernels.SquaredNorm(slot.Wt)) + (reg.L2H * Kernels.SquaredNorm(h));
        cost /= slot.Rows;
        NmfMultiplicativeUpdate.UpdateH(problem, slot.Wt, h, reg, gamma, slot.Workspace, statistics);
        if (beta <= 1.0)
        {
            NmfMultiplicativeUpdate.ZeroBelow(h, NmfMultiplicativeUpdate.Float64Epsilon);
        }

        return cost;
    }

    /// <summary>scikit-learn's <c>_solve_W</c>: W from √(mean(X)/K), multiplicative updates with H fixed until the relative change of W is at most the tolerance.</summary>
    private void SolveW(BatchSlot slot, double[] h, int maxIterations)
    {
        var problem = slot.Problem;
        int k = problem.K;
        var x = problem.X.AsSpan(0, slot.Rows * problem.M);
        double average = Math.Sqrt(Kernels.Sum(x) / x.Length / k);
        var wt = slot.Wt;
        Array.Fill(wt, average);
        wt.CopyTo(slot.WPrevious, 0);
        var reg = Regularization(slot.Rows, problem.M);
        double gamma = NmfMultiplicativeUpdate.Gamma(problem.Beta);
        slot.Workspace.FrobeniusCacheValid = false;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            NmfMultiplicativeUpdate.UpdateW(problem, wt, h, reg, gamma, slot.Workspace, hFixed: true);
            if (Tolerance > 0.0 && RelativeChange(wt, slot.WPrevious) <= Tolerance)
            {
                break;
            }

            wt.CopyTo(slot.WPrevious, 0);
        }

        slot.Workspace.FrobeniusCacheValid = false;
    }

    /// <summary>K, Wᵀ (K×n) and H (K×m) at the start, as <see cref="Nmf"/> initialises them.</summary>
    private (int K, double[] Wt, double[] H) Initialize(double[] data, int n, int m, bool requireW)
    {
        var init = Init ?? NmfInit.NndsvdA;
        int k = ComponentCount ?? (init == NmfInit.Custom && InitialH is not null ? InitialH.RowCount : m);
        if (Init is null && k > Math.Min(n, m))
        {
            init = NmfInit.Random;
        }

        if (init is NmfInit.Nndsvd or NmfInit.NndsvdA or NmfInit.NndsvdAr && k > Math.Min(n, m))
        {
            throw OutOfRange(nameof(ComponentCount), k, $"{nameof(ComponentCount)} must be ≤ min(samples, features) = {Math.Min(n, m)} for the {init} initialisation (was {k}).");
        }

        var wt = new double[k * n];
        var h = new double[k * m];
        var rng = new SplitMix64(Seed());
        switch (init)
        {
            case NmfInit.Random:
                NmfInitializer.Random(n, m, k, Nmf.Mean(data), rng, wt, h);
                break;
            case NmfInit.Custom:
                CopyCustom(n, m, k, wt, h, requireW);
                break;
            default:
                NmfInitializer.Nndsvd(data, n, m, k, init, Nmf.Mean(data), rng, wt, h);
                break;
        }

        return (k, wt, h);
    }

    private void CopyCustom(int n, int m, int k, double[] wt, double[] h, bool requireW)
    {
        var h0 = InitialH ?? throw Invalid($"{nameof(Init)} is {nameof(NmfInit.Custom)} but {nameof(InitialH)} is null.", nameof(InitialH));
        Nmf.CheckStart(h0, k, m, nameof(InitialH));
        for (int j = 0; j < m; j++)
        {
            for (int c = 0; c < k; c++)
            {
                h[c + (j * k)] = h0.At(c, j);
            }
        }

        if (!requireW)
        {
            return;
        }

        var w0 = InitialW ?? throw Invalid($"{nameof(Init)} is {nameof(NmfInit.Custom)} but {nameof(InitialW)} is null.", nameof(InitialW));
        Nmf.CheckStart(w0, n, k, nameof(InitialW));
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                wt[c + (i * k)] = w0.At(i, c);
            }
        }
    }

    private ulong Seed() => (ulong)(RandomSeed ?? System.Random.Shared.Next());

    private NmfRegularization Regularization(int n, int m) => NmfRegularization.Scaled(n, m, AlphaW, AlphaH ?? AlphaW, L1Ratio);

    private void ValidateParameters()
    {
        if (ComponentCount is int k)
        {
            Guard.AtLeast(k, 1, nameof(ComponentCount));
        }

        Guard.Defined(Loss, nameof(Loss));
        if (Init is NmfInit init)
        {
            Guard.Defined(init, nameof(Init));
        }

        if (Beta is double b && !double.IsFinite(b))
        {
            throw new ArgumentOutOfRangeException(nameof(Beta), b, $"{nameof(Beta)} must be finite (was {b}).");
        }

        Guard.AtLeast(BatchSize, 1, nameof(BatchSize));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
        if (MaxNoImprovement is int patience)
        {
            Guard.AtLeast(patience, 1, nameof(MaxNoImprovement));
        }

        if (!(ForgetFactor > 0.0 && ForgetFactor <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(ForgetFactor), ForgetFactor, $"{nameof(ForgetFactor)} must be in (0, 1] (was {ForgetFactor}).");
        }

        Guard.AtLeast(FreshRestartsMaxIterations, 1, nameof(FreshRestartsMaxIterations));
        if (TransformMaxIterations is int transformMax)
        {
            Guard.AtLeast(transformMax, 1, nameof(TransformMaxIterations));
        }

        Guard.AtLeast(AlphaW, 0.0, nameof(AlphaW));
        if (AlphaH is double alphaH)
        {
            Guard.AtLeast(alphaH, 0.0, nameof(AlphaH));
        }

        Guard.InRange(L1Ratio, 0.0, 1.0, nameof(L1Ratio));
    }

    private MiniBatchNmfState Fitted(string member) => _fitted ?? throw Guard.NotFitted(this, member);

    /// <summary>
    /// The buffers of one mini-batch size, allocated once per fit: the batch's rows of X (n_b × m, column-major;
    /// or the caller's whole X when <c>direct</c>), its Wᵀ (K × n_b), the previous Wᵀ for the W solve, and the
    /// workspace of the multiplicative updates.
    /// </summary>
    private sealed class BatchSlot
    {
        private readonly bool _direct;

        public BatchSlot(double[]? x, int rows, int m, int k, double beta, bool direct)
        {
            _direct = direct;
            Rows = rows;
            Problem = new NmfProblem(direct ? x! : new double[checked(rows * m)], rows, m, k, beta);
            Workspace = new NmfMuWorkspace(Problem);
            Wt = new double[k * rows];
            WPrevious = new double[k * rows];
        }

        public int Rows { get; }

        public NmfProblem Problem { get; }

        public NmfMuWorkspace Workspace { get; }

        public double[] Wt { get; }

        public double[] WPrevious { get; }

        /// <summary>Copies the batch's rows order[start..start+Rows) (or start.. when order is null) of X (n×m) and of Wᵀ into the slot.</summary>
        public void Load(double[] x, int n, int[]? order, int start, double[] wt)
        {
            int k = Problem.K, m = Problem.M, rows = Rows;
            if (!_direct)
            {
                var xb = Problem.X;
                for (int j = 0; j < m; j++)
                {
                    int source = j * n, target = j * rows;
                    for (int r = 0; r < rows; r++)
                    {
                        xb[target + r] = x[source + Row(order, start, r)];
                    }
                }
            }

            for (int r = 0; r < rows; r++)
            {
                wt.AsSpan(Row(order, start, r) * k, k).CopyTo(Wt.AsSpan(r * k, k));
            }
        }

        /// <summary>Writes the slot's Wᵀ back to the batch's rows of the full Wᵀ.</summary>
        public void Store(int[]? order, int start, double[] wt)
        {
            int k = Problem.K;
            for (int r = 0; r < Rows; r++)
            {
                Wt.AsSpan(r * k, k).CopyTo(wt.AsSpan(Row(order, start, r) * k, k));
            }
        }

        private static int Row(int[]? order, int start, int r) => order is null ? start + r : order[start + r];
    }

    /// <summary>scikit-learn's <c>_minibatch_convergence</c>: the change of H and an exponentially weighted average of the batch costs.</summary>
    private sealed class CostMonitor(int samples, double tolerance, int? maxNoImprovement)
    {
        private double? _average;
        private double? _best;
        private int _noImprovement;

        public bool Converged(long step, int rows, double cost, double change)
        {
            // The first step is ignored: H has only just moved from its start.
            if (step == 1)
            {
                return false;
            }

            double alpha = Math.Min((double)rows / (samples + 1), 1.0);
            _average = _average is double a ? (a * (1.0 - alpha)) + (cost * alpha) : cost;
            if (tolerance > 0.0 && change <= tolerance)
            {
                return true;
            }

            if (_best is null || _average < _best)
            {
                _noImprovement = 0;
                _best = _average;
            }
            else
            {
                _noImprovement++;
            }

            return maxNoImprovement is int patience && _noImprovement >= patience;
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
    double Rho);
