// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Decomposition;

/// <summary>
/// Streaming robust PCA: online robust PCA by stochastic optimization (Feng, Xu and Yan, "Online robust PCA via stochastic
/// optimization", NIPS 2013). Samples — video frames — arrive one at a time (<see cref="PartialFit(Vector{double}, CancellationToken)"/>);
/// each is split into a part on a learned low-rank basis (the background) and a sparse part (what moves), and the basis
/// is updated from two small running statistics. Memory is bounded by the basis and the statistics, O(features·K + K²),
/// however long the stream: no sample is kept.
/// </summary>
/// <remarks>
/// <para>
/// Minimises, over the samples z seen so far, the factored form of principal component pursuit with a squared loss:
/// Σ [½‖z − L·r − e‖² + λ₁/2‖r‖² + λ₂‖e‖₁] + λ₁/2‖L‖²_F, with L the basis (features × K, exposed transposed as
/// <see cref="ComponentsTransformer.Components"/>), r a sample's codes and e its sparse part. Each step projects the sample
/// on the current basis — (r, e) by alternating a ridge solve for r and a soft threshold for e until both settle within
/// <see cref="ProjectionTolerance"/>·‖z‖ — adds r·rᵀ and (z − e)·rᵀ to the statistics A and B, and sets L = B·(A + λ₁I)⁻¹ (exactly;
/// the paper takes one pass of block coordinate descent towards it). The first step starts from a random basis drawn from
/// <see cref="ComponentsTransformer.RandomSeed"/> and scaled to the first sample (so that the fit is equivariant to the scale
/// of the data when the penalties follow it, and a fit and a stream of the same samples agree bit for bit).
/// </para>
/// <para>
/// <b>Units.</b> λ₁ (<see cref="LowRankPenalty"/>) and λ₂ (<see cref="SparsePenalty"/>) are in the units of the data, as
/// Lasso's α: the defaults 1/√features (the paper's 1/√max(features, samples) for streams longer than a frame is wide) are
/// meant for intensities of order 1 (pixels in [0, 1]); scale them with the data. Data far from unit scale are brought to it
/// by a power of four first (the basis and codes by the square root of it), so that extreme scales neither overflow nor lose
/// precision.
/// </para>
/// <para>
/// Unlike <see cref="RobustPca"/>, which decomposes one matrix (all frames at once, exactly), this model separates any frame
/// given to it: <see cref="Transform"/> returns the codes, <see cref="ComponentsTransformer.InverseTransform"/> the background,
/// <see cref="Decompose"/> both parts. <c>Fit</c> runs <see cref="MaxIterations"/> passes over the rows in their order (one by
/// default: the streaming algorithm over recorded frames).
/// </para>
/// <code>
/// var model = new OnlineRobustPca { ComponentCount = 5, RandomSeed = 0 };
/// foreach (Vector&lt;double&gt; frame in camera)                  // flattened frames of one size
/// {
///     model.PartialFit(frame);
///     Matrix&lt;double&gt; foreground = model.Decompose(frame.ToRowMatrix()).Sparse;
/// }
/// </code>
/// </remarks>
public sealed class OnlineRobustPca : ComponentsTransformer
{
    /// <summary>Creates the model with 10 components (at most the number of features: more are never needed for a basis) and the paper's penalties (1/√features each).</summary>
    public OnlineRobustPca()
    {
        ComponentCount = 10;
    }

    /// <summary>λ₁ &gt; 0, the weight of ½(‖L‖²_F + ‖r‖²) — the factored nuclear norm that keeps the background low-rank; null (default) takes 1/√features. In the units of the data.</summary>
    public double? LowRankPenalty { get; set; }

    /// <summary>λ₂ &gt; 0, the weight of ‖e‖₁ — larger, fewer entries in the sparse part; null (default) takes 1/√features. In the units of the data.</summary>
    public double? SparsePenalty { get; set; }

    /// <summary>The passes of <c>Fit</c> over the rows, in their order (≥ 1, default 1: each row is one step of the stream).</summary>
    public int MaxIterations { get; set; } = 1;

    /// <summary>
    /// <c>Fit</c> stops after a pass that changed the basis by ‖L − L_before‖_F ≤ Tolerance·‖L_before‖_F (≥ 0, default 10⁻⁴;
    /// 0 runs <see cref="MaxIterations"/> passes), and <see cref="IterativeEstimator.Converged"/> is then true.
    /// </summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>
    /// A sample's projection stops when its fit z − L·r and its sparse part e change by at most ProjectionTolerance·‖z‖ in an
    /// alternation (≥ 0, default 10⁻⁶, of the order of Feng et al.'s 10⁻⁷ per feature), or after 1000 alternations. The
    /// alternation starts from e = 0: a looser tolerance leaves less of the residual in e, which early in a stream (a basis
    /// still far from the data) lets the basis learn faster; a tighter one solves each projection more exactly.
    /// </summary>
    public double ProjectionTolerance { get; set; } = 1e-6;

    /// <summary>Called after every pass of <c>Fit</c> with the mean cost of its samples and the change of the basis.</summary>
    public Action<OnlineRobustPcaIterationInfo>? OnIteration { get; set; }

    /// <summary>The samples the model has learned from: by the last <c>Fit</c> (rows × passes) and every later <c>PartialFit</c>.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public long SampleCount => Fitted<OnlineRobustPcaState>(nameof(SampleCount)).SampleCount;

    /// <summary>
    /// Learns the basis from the rows of <paramref name="x"/>, one step per row in their order for <see cref="MaxIterations"/>
    /// passes, starting afresh (a previous fit is discarded).
    /// </summary>
    /// <param name="x">Samples, one per row (flattened frames); not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between samples; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <remarks>
    /// <see cref="IterativeEstimator.Iterations"/> counts the passes; <see cref="IterativeEstimator.Converged"/> says whether a pass
    /// changed the basis by at most <see cref="Tolerance"/> (relative) before <see cref="MaxIterations"/> passes.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or holds NaN or ±∞ (named by row and column).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="ArithmeticException">The statistics left the double range.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public OnlineRobustPca Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        FitCodes(x, cancellationToken);
        return this;
    }

    /// <summary>Learns the basis from <paramref name="x"/> (as <see cref="Fit"/>) and returns the codes of its rows under the final basis.</summary>
    /// <param name="x">Samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit; the model then keeps its previous state.</param>
    /// <returns>The codes, samples × components.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default) => FitCodes(x, cancellationToken);

    /// <summary>
    /// Learns from the rows of <paramref name="x"/> as the next samples of the stream, one step each: the first call on an
    /// unfitted model starts the basis (from the seed, scaled to these rows); later calls continue from the fitted basis and
    /// statistics. No sample is kept.
    /// </summary>
    /// <param name="x">The next samples, one per row; after the first call with the fitted column count; not modified.</param>
    /// <param name="cancellationToken">Checked between samples; a cancelled call leaves the model as it was before it.</param>
    /// <returns>This estimator, updated.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN or ±∞, or has another column count than the fitted model.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The update was cancelled.</exception>
    public OnlineRobustPca PartialFit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        Learn(x, Current<OnlineRobustPcaState>(), 0, nameof(x), cancellationToken);
        return this;
    }

    /// <summary>Learns from one sample — the next frame of the stream — as <see cref="PartialFit(Matrix{double}, CancellationToken)"/> with one row.</summary>
    /// <param name="frame">The sample (a flattened frame); after the first call with the fitted number of features; not modified.</param>
    /// <param name="cancellationToken">Checked before the step; a cancelled call leaves the model as it was.</param>
    /// <returns>This estimator, updated.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="frame"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is empty, holds NaN or ±∞ (named by index), or has another size than the fitted model's features.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The update was cancelled.</exception>
    public OnlineRobustPca PartialFit(Vector<double> frame, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Count == 0)
        {
            throw new ArgumentException($"{nameof(frame)} is empty; at least one entry is needed.", nameof(frame));
        }

        Guard.Finite(frame, nameof(frame));
        var previous = Current<OnlineRobustPcaState>();
        if (previous is not null && frame.Count != previous.FeatureCount)
        {
            throw new ArgumentException($"{nameof(frame)} has {frame.Count} entries but the model was fitted with {previous.FeatureCount} features; every frame of a stream must have the same size.", nameof(frame));
        }

        Learn(frame.ToRowMatrix(), previous, 0, nameof(frame), cancellationToken);
        return this;
    }

    /// <summary>The codes of the rows of <paramref name="x"/> on the learned basis: each row's projection (r of the step's first stage), the basis held fixed.</summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <returns>The codes, samples × components; <see cref="ComponentsTransformer.InverseTransform"/> of them is the low-rank part.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN or ±∞, or has the wrong column count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public override Matrix<double> Transform(Matrix<double> x) => Project(x, nameof(Transform), sparse: false).Codes;

    /// <summary>Splits the rows of <paramref name="x"/> on the learned basis (held fixed) into their low-rank and sparse parts.</summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <returns>The low-rank part (Codes·Components), the sparse part and the codes.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN or ±∞, or has the wrong column count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public RobustDecomposition Decompose(Matrix<double> x)
    {
        var (codes, sparse) = Project(x, nameof(Decompose), sparse: true);
        return new RobustDecomposition(InverseTransform(codes), sparse!, codes);
    }

    private protected override EstimatorState ReadState(ModelReader reader) => OnlineRobustPcaState.Read(reader);

    private protected override void ValidateParameters()
    {
        if (ComponentCount is { } k)
        {
            Guard.AtLeast(k, 1, nameof(ComponentCount));
        }

        if (LowRankPenalty is { } lambda1)
        {
            Guard.GreaterThan(lambda1, 0.0, nameof(LowRankPenalty));
        }

        if (SparsePenalty is { } lambda2)
        {
            Guard.GreaterThan(lambda2, 0.0, nameof(SparsePenalty));
        }

        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
        Guard.AtLeast(ProjectionTolerance, 0.0, nameof(ProjectionTolerance));
    }

    private protected override Matrix<double> FitCodes(Matrix<double> x, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        var state = Learn(x, null, MaxIterations, nameof(x), cancellationToken);
        return Project(x, state, sparse: false).Codes;
    }

    /// <summary>
    /// Steps through the rows of <paramref name="x"/> (validated) from <paramref name="previous"/> (null: a fresh start), then
    /// commits and returns the new state: <paramref name="passes"/> passes for a fit, one for a partial fit (passes = 0).
    /// </summary>
    private OnlineRobustPcaState Learn(Matrix<double> x, OnlineRobustPcaState? previous, int passes, string name, CancellationToken cancellationToken)
    {
        int n = x.RowCount, p = x.ColumnCount;
        if (previous is not null && p != previous.FeatureCount)
        {
            throw new ArgumentException($"{name} has {p} columns but the model was fitted with {previous.FeatureCount}; every sample of a stream must have the same size.", name);
        }

        bool partial = passes == 0;
        passes = Math.Max(passes, 1);
        int k = previous?.ComponentCount ?? Math.Min(ComponentCount ?? p, p);
        cancellationToken.ThrowIfCancellationRequested();

        // Data far from unit scale are brought to it by c = 4^h (docs/ARCHITECTURE.md, "Extreme scales"): the penalties and the
        // statistics A follow c, the basis and the codes √c = 2^h, B (sparse part times codes) c·√c = 8^h.
        int h = HalfExponent(x);
        var data = MatrixStorage.ColumnMajor(Rescaling.Scaled(x, 2 * h));
        var (lambda1, lambda2) = Penalties(p, h);
        double[] basis, a, bt;
        if (previous is null)
        {
            basis = Start(data, n, p, k);
            a = new double[k * k];
            bt = new double[k * p];
        }
        else
        {
            basis = Rescaling.ScaledCopy(previous.Components, h);
            a = Rescaling.ScaledCopy(previous.A, 2 * h);
            bt = Rescaling.ScaledCopy(previous.Bt, 3 * h);
        }

        var solver = new OnlineRobustPcaSolver(p, k, lambda1, lambda2, ProjectionTolerance);
        var workspace = new OnlineRobustPcaSolver.Workspace(k, p);
        bool converged = partial && (previous?.Converged ?? false);
        int pass = 0;
        while (pass < passes)
        {
            pass++;
            var before = partial ? null : (double[])basis.Clone();
            double cost = 0.0;
            for (int i = 0; i < n; i++)
            {
                Parallelism.ThrowIfCancellationRequested();
                var z = workspace.Sample;
                for (int j = 0; j < p; j++)
                {
                    z[j] = data[i + (j * n)];
                }

                cost += solver.Step(z, basis, a, bt, workspace);
            }

            if (before is not null)
            {
                double norm = Kernels.Nrm2(before);
                double change = norm == 0.0 ? double.PositiveInfinity : Kernels.Distance(basis, before) / norm;
                OnIteration?.Invoke(new OnlineRobustPcaIterationInfo(pass, Rescaling.Saturating(cost / n, -4 * h), change));
                if (change <= Tolerance)
                {
                    converged = true;
                    break;
                }
            }
        }

        Rescaling.CheckedInPlace(basis, -h, "basis");
        Rescaling.CheckedInPlace(a, -2 * h, "statistics A");
        Rescaling.CheckedInPlace(bt, -3 * h, "statistics B");
        long samples = (previous?.SampleCount ?? 0) + ((long)n * pass);
        var state = new OnlineRobustPcaState(basis, k, p, a, bt, samples, partial ? previous?.Iterations ?? 0 : pass, converged);
        Commit(state, partialFit: partial);
        return state;
    }

    /// <summary>Codes (and sparse parts) of the rows of <paramref name="x"/> on the fitted basis.</summary>
    private (Matrix<double> Codes, Matrix<double>? Sparse) Project(Matrix<double> x, string member, bool sparse)
    {
        using var scope = BeginWork();
        var state = Fitted<OnlineRobustPcaState>(member);
        ValidateParameters();
        Guard.Samples(x);
        Guard.ColumnCount(x, state.FeatureCount);
        return Project(x, state, sparse);
    }

    private (Matrix<double> Codes, Matrix<double>? Sparse) Project(Matrix<double> x, OnlineRobustPcaState state, bool sparse)
    {
        int n = x.RowCount, p = state.FeatureCount, k = state.ComponentCount;
        int h = HalfExponent(x);
        var data = MatrixStorage.ColumnMajor(Rescaling.Scaled(x, 2 * h));
        var (lambda1, lambda2) = Penalties(p, h);
        var codes = new double[n * k];
        var parts = sparse ? new double[n * p] : null;
        new OnlineRobustPcaSolver(p, k, lambda1, lambda2, ProjectionTolerance).ProjectAll(data, n, Rescaling.ScaledCopy(state.Components, h), codes, parts);
        Rescaling.CheckedInPlace(codes, -h, "codes");
        if (parts is not null)
        {
            Rescaling.CheckedInPlace(parts, -2 * h, "sparse part");
        }

        return (MatrixStorage.FromColumnMajor(n, k, codes), parts is null ? null : MatrixStorage.FromColumnMajor(n, p, parts));
    }

    /// <summary>λ₁ and λ₂ (defaults 1/√features) in the units of data scaled by 4^h.</summary>
    private (double Lambda1, double Lambda2) Penalties(int features, int h)
    {
        double fallback = 1.0 / Math.Sqrt(features);
        return (Rescaling.Saturating(LowRankPenalty ?? fallback, 2 * h), Rescaling.Saturating(SparsePenalty ?? fallback, 2 * h));
    }

    /// <summary>h with 4^h·max|x| of order 1 when max|x| lies outside the band of the linear models (0 inside it).</summary>
    private static int HalfExponent(Matrix<double> x) =>
        Rescaling.Exponent(Rescaling.MaxAbs(x), -LinearScale.Band, LinearScale.Band) >> 1;

    /// <summary>
    /// The start basis (K × features, column-major): N(0, 1) entries from the seed, scaled by √rms(z₁)/features^¼ for the
    /// first sample z₁, so that its codes are of the order of √‖z₁‖, as the basis's columns (the scale splits evenly between
    /// the factors). Only the first sample is read, so that a fit and a stream of the same samples start alike.
    /// </summary>
    private double[] Start(double[] data, int n, int p, int k)
    {
        double squares = 0.0;
        for (int j = 0; j < p; j++)
        {
            squares += data[j * n] * data[j * n];
        }

        double rms = Math.Sqrt(squares / p);
        double scale = Math.Sqrt(rms > 0.0 ? rms : 1.0) / Math.Pow(p, 0.25);
        var basis = new double[k * p];
        new SplitMix64(Seed()).FillNormal(basis);
        Kernels.Scal(scale, basis);
        return basis;
    }
}

/// <summary>The fitted state of an <see cref="OnlineRobustPca"/>: the basis (as components), the running statistics and the sample count.</summary>
/// <param name="Components">The basis Lᵀ, K × features, column-major.</param>
/// <param name="ComponentCount">K.</param>
/// <param name="FeatureCount">The features.</param>
/// <param name="A">Σ r·rᵀ, K × K, column-major.</param>
/// <param name="Bt">(Σ (z − e)·rᵀ)ᵀ, K × features, column-major.</param>
/// <param name="SampleCount">The samples learned from.</param>
/// <param name="Iterations">The passes of the last <c>Fit</c> (0 after partial fits only).</param>
/// <param name="Converged">Whether the last <c>Fit</c> stopped on its tolerance (kept by later partial fits; false after partial fits only).</param>
internal sealed record OnlineRobustPcaState(double[] Components, int ComponentCount, int FeatureCount, double[] A, double[] Bt, long SampleCount, int Iterations, bool Converged)
    : ComponentsState(Components, ComponentCount, FeatureCount, Iterations, Converged)
{
    /// <summary>Reads and checks a saved state: finite K × features basis and Bᵀ, a finite symmetric K × K A with a non-negative diagonal, a sample count ≥ 1.</summary>
    internal static OnlineRobustPcaState Read(ModelReader reader)
    {
        var (components, k, p) = ReadComponents(reader, SavedValue.Finite);
        var a = reader.Doubles(nameof(A), SavedValue.Finite);
        reader.Length(nameof(A), a.Length, (long)k * k, $"{nameof(ComponentCount)}² = {(long)k * k}");
        for (int i = 0; i < k; i++)
        {
            if (a[i + (i * k)] < 0.0)
            {
                throw ModelReader.InvalidAt($"{reader.PathOf(nameof(A))}[{i + (i * k)}]", $"is a diagonal entry of Σ r·rᵀ and must be ≥ 0 (was {ModelReader.Format(a[i + (i * k)])})");
            }

            for (int j = 0; j < i; j++)
            {
                if (a[i + (j * k)] != a[j + (i * k)])
                {
                    throw ModelReader.InvalidAt($"{reader.PathOf(nameof(A))}[{i + (j * k)}]", $"must equal its transposed entry [{j + (i * k)}] (Σ r·rᵀ is symmetric)");
                }
            }
        }

        var bt = reader.Doubles(nameof(Bt), SavedValue.Finite);
        reader.Length(nameof(Bt), bt.Length, (long)k * p, $"{nameof(ComponentCount)} × {nameof(FeatureCount)} = {k} × {p}");
        long samples = ReadCount(reader, nameof(SampleCount));
        int iterations = reader.Int(nameof(Iterations), 0);
        return new OnlineRobustPcaState(components, k, p, a, bt, samples, iterations, reader.Bool(nameof(Converged)));
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(A), A);
        writer.Doubles(nameof(Bt), Bt);
        writer.Double(nameof(SampleCount), SampleCount);
        base.Write(writer);
    }

    /// <summary>A count saved as a double (it may pass 2³¹): a whole number ≥ 1, exact in a double.</summary>
    private static long ReadCount(ModelReader reader, string name)
    {
        double value = reader.Double(name, SavedValue.FiniteNonNegative);
        if (!(value >= 1.0 && value <= 9007199254740992.0 && Math.Floor(value) == value))
        {
            throw reader.Invalid(name, $"must be a whole number in [1, 2^53] (was {ModelReader.Format(value)})");
        }

        return (long)value;
    }
}
