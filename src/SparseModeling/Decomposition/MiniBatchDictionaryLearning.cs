// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Decomposition;

/// <summary>
/// Online dictionary learning by mini-batches (Mairal, Bach, Ponce and Sapiro, "Online dictionary learning for sparse
/// coding", ICML 2009, and "Online learning for matrix factorization and sparse coding", JMLR 11, 2010), as scikit-learn's
/// <c>MiniBatchDictionaryLearning</c> (1.1 and later: epochs, early stopping): each step codes a batch of samples over the
/// current dictionary, folds the batch into the sufficient statistics A = ΣCᵀC and B = ΣXᵀC with a forgetting weight, and
/// updates the atoms once by block coordinate descent on A and B. <see cref="PartialFit(Matrix{double}, CancellationToken)"/>
/// learns from data arriving in pieces and keeps only the dictionary and the statistics, O(K² + K·features) memory however
/// many samples it has seen.
/// </summary>
/// <remarks>
/// <para>
/// Minimises ½‖X − C·D‖²_F + α‖C‖₁ subject to ‖d_k‖ ≤ 1, as <see cref="DictionaryLearning"/>. A step with r rows, after t
/// earlier steps: C_b = the Lasso codes of the batch (α/features per sample, scikit-learn's scaling); A ← β·A + C_bᵀC_b / r,
/// B ← β·B + X_bᵀC_b / r with θ = (t + 1)·r when t &lt; r − 1, else r² + t + 1 − r, and β = (θ + 1 − r)/(θ + 1); then each
/// atom in turn d_k ← d_k + (b_k − D·a_k)/A_kk, clipped at 0 with <see cref="DictionaryLearningBase.PositiveDictionary"/>,
/// projected onto the unit ball (an atom with A_kk ≤ 10⁻⁶ is re-drawn from a random row of the batch plus 1% noise).
/// </para>
/// <para>
/// <c>Fit</c> visits the rows in one order — a random permutation drawn from <see cref="ComponentsTransformer.RandomSeed"/>
/// with <see cref="Shuffle"/>, as given otherwise — in batches of <see cref="BatchSize"/> rows (the last one of an epoch may be
/// smaller), for up to <see cref="MaxIterations"/> epochs. After the first min(100, samples / batch) steps it stops early when
/// ‖D − D_previous‖_F / K ≤ <see cref="Tolerance"/>, or when the exponentially weighted average of the batch costs has not
/// reached a new minimum for <see cref="MaxNoImprovement"/> steps (scikit-learn 1.2's rules). The start is
/// <see cref="DictionaryLearningBase.InitialDictionary"/>, or S·Vᵀ of the data's SVD (exact here; scikit-learn uses a
/// randomized SVD), with zero atoms beyond min(samples, features). With a fixed start and batches in order, results match
/// scikit-learn 1.2.1 to rounding when no atom is re-drawn.
/// </para>
/// <code>
/// var learner = new MiniBatchDictionaryLearning { ComponentCount = 64, Alpha = 1.0, BatchSize = 256, RandomSeed = 0 };
/// foreach (Matrix&lt;double&gt; chunk in chunks)
/// {
///     learner.PartialFit(chunk);                          // memory: the dictionary and K×K + features×K statistics
/// }
/// Matrix&lt;double&gt; codes = learner.Transform(patches);
/// </code>
/// </remarks>
public sealed class MiniBatchDictionaryLearning : DictionaryLearningBase
{
    /// <summary>Creates a learner with scikit-learn's defaults (α = 1, LARS-Lasso coding, batches of 256, 1000 epochs, shuffled, tolerance 1e-3, patience 10, OMP transform).</summary>
    public MiniBatchDictionaryLearning()
    {
    }

    /// <summary>The most epochs (passes over the data; ≥ 1, default 1000, scikit-learn's <c>max_iter</c>).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The rows per mini-batch (≥ 1, default 256, scikit-learn 1.3's default); batches larger than the sample count take every row.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Whether <c>Fit</c> visits the rows in a random order drawn from <see cref="ComponentsTransformer.RandomSeed"/> (default true, as scikit-learn); false takes them as given.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Stop when a step changes the dictionary by ‖D − D_previous‖_F / K ≤ Tolerance (≥ 0, default 1e-3, as scikit-learn); 0 disables the test.</summary>
    public double Tolerance { get; set; } = 1e-3;

    /// <summary>Stop after this many consecutive steps (≥ 1) without a new minimum of the smoothed batch cost (default 10, as scikit-learn); null disables the test.</summary>
    public int? MaxNoImprovement { get; set; } = 10;

    /// <summary>The mini-batch steps taken (scikit-learn's <c>n_steps_</c>): by the last <c>Fit</c>, plus one per later <see cref="PartialFit(Matrix{double}, CancellationToken)"/>.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public int StepCount => Fitted<MiniBatchDictionaryLearningState>(nameof(StepCount)).StepCount;

    /// <summary>Learns the dictionary from <paramref name="x"/> by mini-batch epochs, discarding any previous fit.</summary>
    /// <param name="x">Training samples, one per row; not modified (and not copied: batches are gathered from it).</param>
    /// <param name="cancellationToken">Cancels the fit between steps and inside the coding; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <remarks>
    /// <see cref="IterativeEstimator.Iterations"/> counts the epochs started (scikit-learn's <c>n_iter_</c>), <see cref="StepCount"/>
    /// the steps; <see cref="IterativeEstimator.Converged"/> says whether a stopping rule ended the fit before <see cref="MaxIterations"/>
    /// epochs. <see cref="DictionaryLearningBase.OnIteration"/> is called after every step.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or holds NaN or ±∞ (named by row and column); the initial dictionary is misshapen or not finite; <see cref="DictionaryLearningBase.PositiveCode"/> with an OMP or LARS transform.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public MiniBatchDictionaryLearning Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        FitCodes(x, cancellationToken);
        return this;
    }

    /// <summary>Learns the dictionary from <paramref name="x"/>, then returns <see cref="DictionaryLearningBase.Transform(Matrix{double}, CancellationToken)"/> of <paramref name="x"/>, as scikit-learn.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit; the model then keeps its previous state.</param>
    /// <returns>The codes: samples × components (× 2 with <see cref="DictionaryLearningBase.SplitSign"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default) => FitCodes(x, cancellationToken);

    /// <summary>
    /// Updates the model with <paramref name="x"/> as one mini-batch, as scikit-learn's <c>partial_fit</c>: the first call (on
    /// an unfitted model) starts from <see cref="DictionaryLearningBase.InitialDictionary"/> or this batch's SVD with empty
    /// statistics; every call takes one step (coding, statistics, atom update) numbered after the earlier ones, so that a
    /// sequence of calls learns as <c>Fit</c> does from the same batches. After <c>Fit</c>, it continues from the fit's
    /// dictionary and statistics. No data is kept: the model holds the dictionary (K × features) and the statistics
    /// (K × K and features × K).
    /// </summary>
    /// <param name="x">A mini-batch, one sample per row; after the first call with the fitted column count; not modified.</param>
    /// <param name="cancellationToken">Checked before the step and inside the coding.</param>
    /// <returns>This estimator, updated.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN or ±∞, or has another column count than the fitted model; the initial dictionary is misshapen or not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The update was cancelled.</exception>
    public MiniBatchDictionaryLearning PartialFit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        var previous = Current<MiniBatchDictionaryLearningState>();
        int n = x.RowCount, m = x.ColumnCount;
        int k, seed, steps;
        double[] dictionary, a, b;

        // A batch far from unit scale is brought to it (see FitCodes), and the statistics with it: A = CᵀC/r and B = XᵀC/r
        // scale as t².
        int e = DataExponent(x);
        var scaled = Rescaling.Scaled(x, e);
        if (previous is null)
        {
            k = ComponentsFor(m);
            cancellationToken.ThrowIfCancellationRequested();
            seed = RandomSeed ?? System.Random.Shared.Next();
            dictionary = Start(scaled, k);
            a = new double[k * k];
            b = new double[m * k];
            steps = 0;
        }
        else
        {
            Guard.ColumnCount(x, previous.FeatureCount);
            k = previous.ComponentCount;
            cancellationToken.ThrowIfCancellationRequested();
            seed = previous.Seed;
            dictionary = DictionaryUpdate.Transpose(previous.Components, k, m);
            a = (double[])previous.A.Clone();
            b = (double[])previous.B.Clone();
            steps = previous.StepCount;
        }

        Rescaling.Scale(a, 2 * e);
        Rescaling.Scale(b, 2 * e);
        new DictionaryMiniBatch(Coding(e, cancellationToken)).Step(MatrixStorage.ColumnMajor(scaled), n, m, k, dictionary, a, b, steps, seed);
        Rescaling.CheckedInPlace(a, -2 * e, "statistics A");
        Rescaling.CheckedInPlace(b, -2 * e, "statistics B");
        Commit(new MiniBatchDictionaryLearningState(
            DictionaryUpdate.Transpose(dictionary, m, k),
            k,
            m,
            previous?.Iterations ?? 0,
            previous?.Converged ?? false,
            steps == int.MaxValue ? steps : steps + 1,
            a,
            b,
            seed),
            partialFit: true);
        return this;
    }

    private protected override EstimatorState ReadState(ModelReader reader)
    {
        var state = MiniBatchDictionaryLearningState.Read(reader);
        CheckSavedAtoms(state.ComponentCount);
        return state;
    }

    private protected override void ValidateParameters()
    {
        ValidateDictionaryParameters();
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(BatchSize, 1, nameof(BatchSize));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
        if (MaxNoImprovement is int patience)
        {
            Guard.AtLeast(patience, 1, nameof(MaxNoImprovement));
        }
    }

    private protected override Matrix<double> FitCodes(Matrix<double> x, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        int n = x.RowCount, m = x.ColumnCount;
        int k = ComponentsFor(m);
        cancellationToken.ThrowIfCancellationRequested();
        int seed = RandomSeed ?? System.Random.Shared.Next();

        // Data far from unit scale are brought to it by a power of two t (docs/ARCHITECTURE.md, "Extreme scales"): the codes
        // of tX at tα are t times those of X, the atoms the same, the statistics t² times.
        int e = DataExponent(x);
        var scaled = Rescaling.Scaled(x, e);
        var dictionary = Start(scaled, k);
        var result = new DictionaryMiniBatch(Coding(e, cancellationToken))
            .Run(MatrixStorage.ColumnMajor(scaled), n, m, k, dictionary, Math.Min(BatchSize, n), MaxIterations, Shuffle, Tolerance, MaxNoImprovement, seed);
        Rescaling.CheckedInPlace(result.A, -2 * e, "statistics A");
        Rescaling.CheckedInPlace(result.B, -2 * e, "statistics B");
        var state = new MiniBatchDictionaryLearningState(
            DictionaryUpdate.Transpose(dictionary, m, k),
            k,
            m,
            result.Epochs,
            result.Converged,
            (int)Math.Min(result.Steps, int.MaxValue),
            result.A,
            result.B,
            seed);
        var codes = Transform(state, x, cancellationToken);
        Commit(state);
        return codes;
    }

    /// <summary>The starting dictionary, atoms contiguous (m × K column-major): <see cref="DictionaryLearningBase.InitialDictionary"/>, or the SVD start.</summary>
    private double[] Start(Matrix<double> x, int k) => InitialDictionary is { } start
        ? DictionaryUpdate.Transpose(MatrixStorage.ColumnMajor(start), k, x.ColumnCount)
        : DictionaryUpdate.SvdStart(MatrixStorage.ColumnMajor(x), x.RowCount, x.ColumnCount, k, withCodes: false).Dictionary;

    private DictionaryCoding Coding(int dataExponent, CancellationToken cancellationToken) =>
        new(FitCoder, new LinearScale(0, dataExponent).Penalty(Alpha), PositiveCode, TransformMaxIterations, PositiveDictionary, OnIteration, cancellationToken, dataExponent);

    /// <summary>The power of two that brings <paramref name="x"/> to unit scale when it lies outside the linear models' band (0 inside it).</summary>
    private static int DataExponent(Matrix<double> x) => Rescaling.Exponent(Rescaling.MaxAbs(x), -LinearScale.Band, LinearScale.Band);
}

/// <summary>
/// The fitted state of <see cref="MiniBatchDictionaryLearning"/>: the dictionary, the fit's summary, and what later partial
/// fits continue from — the statistics A (K × K) and B (m × K), the step count and the seed of the atom re-draws.
/// </summary>
/// <param name="Components">The dictionary, K × m column-major.</param>
/// <param name="ComponentCount">K.</param>
/// <param name="FeatureCount">m.</param>
/// <param name="Iterations">The epochs of the last <c>Fit</c> (0 after partial fits alone).</param>
/// <param name="Converged">Whether a stopping rule ended the last <c>Fit</c>.</param>
/// <param name="StepCount">The steps taken.</param>
/// <param name="A">ΣCᵀC with forgetting, K × K column-major.</param>
/// <param name="B">ΣXᵀC with forgetting, m × K column-major.</param>
/// <param name="Seed">The seed of the fit, from which each step's re-draw generator is derived.</param>
internal sealed record MiniBatchDictionaryLearningState(
    double[] Components,
    int ComponentCount,
    int FeatureCount,
    int Iterations,
    bool Converged,
    int StepCount,
    double[] A,
    double[] B,
    int Seed)
    : ComponentsState(Components, ComponentCount, FeatureCount, Iterations, Converged)
{
    /// <summary>Reads and checks a saved state: finite components of the stated shape, at least one step, finite statistics shaped K × K and m × K.</summary>
    internal static MiniBatchDictionaryLearningState Read(ModelReader reader)
    {
        var (components, k, m) = ReadComponents(reader, SavedValue.Finite);
        int iterations = reader.Int(nameof(Iterations), 0);
        bool converged = reader.Bool(nameof(Converged));
        int steps = reader.Int(nameof(StepCount), 1);
        var a = reader.Doubles(nameof(A), SavedValue.Finite);
        reader.Length(nameof(A), a.Length, (long)k * k, $"{nameof(ComponentCount)}² = {k}²");
        var b = reader.Doubles(nameof(B), SavedValue.Finite);
        reader.Length(nameof(B), b.Length, (long)k * m, $"{nameof(FeatureCount)} × {nameof(ComponentCount)} = {m} × {k}");
        int seed = reader.Int(nameof(Seed), int.MinValue);
        return new MiniBatchDictionaryLearningState(components, k, m, iterations, converged, steps, a, b, seed);
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Int(nameof(StepCount), StepCount);
        writer.Doubles(nameof(A), A);
        writer.Doubles(nameof(B), B);
        writer.Int(nameof(Seed), Seed);
        base.Write(writer);
    }
}
