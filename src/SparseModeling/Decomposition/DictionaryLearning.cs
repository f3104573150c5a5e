// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Decomposition;

/// <summary>
/// Dictionary learning on the whole data set at once, as scikit-learn's <c>DictionaryLearning</c>: finds a dictionary D
/// (K atoms × features, <see cref="ComponentsTransformer.Components"/>) in which every sample has a sparse code, by
/// alternating Lasso coding of every sample (<see cref="SparseEncoder"/>) and one pass of block coordinate descent over
/// the atoms (Mairal, Bach, Ponce and Sapiro, "Online learning for matrix factorization and sparse coding", JMLR 11, 2010).
/// For data that does not fit in memory, or many samples, use <see cref="MiniBatchDictionaryLearning"/>.
/// </summary>
/// <remarks>
/// <para>
/// Minimises ½‖X − C·D‖²_F + α‖C‖₁ subject to ‖d_k‖ ≤ 1 for every atom, over the codes C (samples × K) and D, with
/// α = <see cref="DictionaryLearningBase.Alpha"/>. Each iteration codes X over D (the Lasso with α/features per sample,
/// scikit-learn's scaling; coordinate descent warm-started from the previous codes), updates each atom in turn on
/// A = CᵀC and B = XᵀC (d_k ← d_k + (b_k − D·a_k)/A_kk, clipped at 0 with <see cref="DictionaryLearningBase.PositiveDictionary"/>,
/// projected onto the unit ball; an atom with A_kk ≤ 10⁻⁶ is re-drawn from a random sample plus 1% noise and its codes
/// zeroed), and records the objective E in <see cref="Errors"/>. Fitting stops when E_previous − E &lt; <see cref="Tolerance"/> · E,
/// or after <see cref="MaxIterations"/> iterations.
/// </para>
/// <para>
/// The start is <see cref="DictionaryLearningBase.InitialDictionary"/> when set (with <see cref="InitialCode"/> as the
/// coordinate-descent warm start, if given), otherwise the data's SVD X = U·S·Vᵀ as scikit-learn: D = the first K rows of
/// S·Vᵀ, the codes the first K columns of U, signs fixed so that the largest entry of each column of U is positive, and zero
/// atoms beyond min(samples, features) (re-drawn by the first update). Unlike scikit-learn, which ignores <c>dict_init</c>
/// unless <c>code_init</c> is given too, an initial dictionary alone is used. Results match scikit-learn 1.2.1 to rounding
/// when no atom is re-drawn (the re-draws use this library's generator, seeded by <see cref="ComponentsTransformer.RandomSeed"/>).
/// </para>
/// <code>
/// var learner = new DictionaryLearning { ComponentCount = 32, Alpha = 0.5, RandomSeed = 0 }.Fit(patches);
/// Matrix&lt;double&gt; atoms = learner.Components;              // 32 × features, atoms in rows
/// Matrix&lt;double&gt; codes = learner.Transform(patches);      // OMP codes over the atoms
/// Matrix&lt;double&gt; approximation = learner.InverseTransform(codes);
/// </code>
/// </remarks>
public sealed class DictionaryLearning : DictionaryLearningBase
{
    /// <summary>Creates a learner with scikit-learn's defaults (α = 1, LARS-Lasso coding, 1000 iterations, tolerance 1e-8, OMP transform).</summary>
    public DictionaryLearning()
    {
    }

    /// <summary>The most iterations (≥ 1, default 1000, as scikit-learn).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The relative decrease of the objective (≥ 0, default 1e-8, as scikit-learn) below which fitting stops: E_previous − E &lt; Tolerance · E.</summary>
    public double Tolerance { get; set; } = 1e-8;

    /// <summary>
    /// The starting codes (samples × components, finite), the warm start of <see cref="DictionaryFitAlgorithm.LassoCd"/> in the
    /// first iteration (the LARS coder does not use a start), as scikit-learn's <c>code_init</c>; only with
    /// <see cref="DictionaryLearningBase.InitialDictionary"/>. Default null. Not saved by <see cref="ModelSerializer"/>.
    /// </summary>
    public Matrix<double>? InitialCode { get; set; }

    /// <summary>The objective ½‖X − C·D‖²_F + α‖C‖₁ of the training data after each iteration of the last fit (scikit-learn's <c>error_</c>; a copy).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Vector<double> Errors => Vector<double>.Build.Dense((double[])Fitted<DictionaryLearningState>(nameof(Errors)).Errors.Clone());

    /// <summary>Learns the dictionary from <paramref name="x"/>, discarding any previous fit.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations and inside the coding; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <remarks><see cref="IterativeEstimator.Iterations"/> counts the iterations run (scikit-learn's <c>n_iter_</c>); <see cref="IterativeEstimator.Converged"/> whether the tolerance stopped the fit.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or holds NaN or ±∞ (named by row and column); a start is misshapen or not finite, or <see cref="InitialCode"/> is given without <see cref="DictionaryLearningBase.InitialDictionary"/>; <see cref="DictionaryLearningBase.PositiveCode"/> with an OMP or LARS transform.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public DictionaryLearning Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        FitCodes(x, cancellationToken);
        return this;
    }

    /// <summary>Learns the dictionary from <paramref name="x"/> and returns the training codes of the last iteration (the fit's own Lasso codes, not <see cref="DictionaryLearningBase.Transform(Matrix{double})"/>'s), split by sign with <see cref="DictionaryLearningBase.SplitSign"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit; the model then keeps its previous state.</param>
    /// <returns>The codes: samples × components.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default) => FitCodes(x, cancellationToken);

    private protected override EstimatorState ReadState(ModelReader reader)
    {
        var state = DictionaryLearningState.Read(reader);
        CheckSavedAtoms(state.ComponentCount);
        return state;
    }

    private protected override void ValidateParameters()
    {
        ValidateDictionaryParameters();
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
    }

    private protected override Matrix<double> FitCodes(Matrix<double> x, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        int n = x.RowCount, m = x.ColumnCount;
        int k = ComponentsFor(m);
        if (InitialCode is { } initialCode)
        {
            if (InitialDictionary is null)
            {
                throw Invalid(nameof(InitialCode), $"{nameof(InitialCode)} is used only together with {nameof(InitialDictionary)} (as scikit-learn's code_init); set both, or neither.");
            }

            CheckStart(initialCode, n, k, nonNegative: false, nameof(InitialCode));
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Data far from unit scale are brought to it by a power of two t (docs/ARCHITECTURE.md, "Extreme scales"): at the
        // optimum of ½‖tX − C′D‖² + tα‖C′‖₁ the codes are C′ = tC and the atoms the same, the objective t² times.
        var scale = new LinearScale(0, Rescaling.Exponent(Rescaling.MaxAbs(x), -LinearScale.Band, LinearScale.Band));
        int e = scale.Y;
        var data = MatrixStorage.ColumnMajor(Rescaling.Scaled(x, e));
        double[] dictionary;
        double[]? codes;
        if (InitialDictionary is { } start)
        {
            dictionary = DictionaryUpdate.Transpose(MatrixStorage.ColumnMajor(start), k, m);
            codes = InitialCode is { } c ? DictionaryUpdate.Transpose(MatrixStorage.ColumnMajor(Rescaling.Scaled(c, e)), n, k) : null;
        }
        else
        {
            (dictionary, codes) = DictionaryUpdate.SvdStart(data, n, m, k, withCodes: FitAlgorithm == DictionaryFitAlgorithm.LassoCd);
        }

        var coding = new DictionaryCoding(FitCoder, scale.Penalty(Alpha), PositiveCode, TransformMaxIterations, PositiveDictionary, OnIteration, cancellationToken, e);
        var result = DictionaryAlternatingLoop.Run(data, n, m, k, dictionary, codes, MaxIterations, Tolerance, coding, new SplitMix64(Seed()));
        Rescaling.CheckedInPlace(result.Codes, -e, "codes");
        Rescaling.CheckedInPlace(result.Errors, -2 * e, "objective");
        var components = DictionaryUpdate.Transpose(result.Dictionary, m, k);
        Commit(new DictionaryLearningState(components, k, m, result.Errors.Length, result.Converged, result.Errors));
        return Coded(MatrixStorage.FromColumnMajor(k, n, result.Codes).Transpose());
    }

    private static ArgumentException Invalid(string name, string message) => new(message, name);
}

/// <summary>The fitted state of <see cref="DictionaryLearning"/>: the dictionary, the fit's summary and the objective per iteration.</summary>
/// <param name="Components">The dictionary, K × m column-major.</param>
/// <param name="ComponentCount">K.</param>
/// <param name="FeatureCount">m.</param>
/// <param name="Iterations">The iterations run.</param>
/// <param name="Converged">Whether the tolerance stopped the fit.</param>
/// <param name="Errors">The objective after each iteration (one per iteration).</param>
internal sealed record DictionaryLearningState(double[] Components, int ComponentCount, int FeatureCount, int Iterations, bool Converged, double[] Errors)
    : ComponentsState(Components, ComponentCount, FeatureCount, Iterations, Converged)
{
    /// <summary>Reads and checks a saved state: finite components of the stated shape, at least one iteration, one finite non-negative objective per iteration.</summary>
    internal static DictionaryLearningState Read(ModelReader reader)
    {
        var (components, k, m) = ReadComponents(reader, SavedValue.Finite);
        int iterations = reader.Int(nameof(Iterations), 1);
        bool converged = reader.Bool(nameof(Converged));
        var errors = reader.Doubles(nameof(Errors), SavedValue.FiniteNonNegative);
        reader.Length(nameof(Errors), errors.Length, iterations, $"{nameof(Iterations)} = {iterations}");
        return new DictionaryLearningState(components, k, m, iterations, converged, errors);
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(Errors), Errors);
        base.Write(writer);
    }
}
