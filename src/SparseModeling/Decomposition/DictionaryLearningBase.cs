// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// The shared shell of the Lasso dictionary learners <see cref="DictionaryLearning"/> and <see cref="MiniBatchDictionaryLearning"/>,
/// in the manner of scikit-learn's <c>_BaseSparseCoding</c>: the objective's α, how the training data is coded while
/// learning, the constraints on codes and atoms, the start, the callback, and <see cref="Transform(Matrix{double})"/> with
/// <see cref="SparseCoder"/>'s transform parameters. The subclasses hold only their loop's own parameters.
/// </summary>
/// <remarks>
/// Both minimise ½‖X − C·D‖²_F + α‖C‖₁ over codes C (samples × K) and a dictionary D (K × features, <see cref="ComponentsTransformer.Components"/>)
/// whose atoms (rows) have ‖d_k‖ ≤ 1, alternating sparse coding (<see cref="SparseEncoder"/>) and block coordinate
/// descent over the atoms (Mairal, Bach, Ponce and Sapiro, "Online learning for matrix factorization and sparse coding",
/// JMLR 11, 2010). <see cref="Transform(Matrix{double})"/> codes new data over the learned dictionary with
/// <see cref="TransformAlgorithm"/> (orthogonal matching pursuit by default, as scikit-learn), which need not be the
/// algorithm that learned it.
/// </remarks>
public abstract class DictionaryLearningBase : ComponentsTransformer, IRegularized
{
    private protected DictionaryLearningBase()
    {
    }

    /// <summary>The weight α ≥ 0 of the L1 penalty on the codes in the learned objective (default 1, as scikit-learn); also the transform's α when <see cref="TransformAlpha"/> is null.</summary>
    public double Alpha { get; set; } = 1.0;

    /// <summary>How the training data is coded while learning (default <see cref="DictionaryFitAlgorithm.LassoLars"/>, as scikit-learn).</summary>
    public DictionaryFitAlgorithm FitAlgorithm { get; set; } = DictionaryFitAlgorithm.LassoLars;

    /// <summary>How <see cref="Transform(Matrix{double})"/> codes data (default <see cref="SparseCodingAlgorithm.Omp"/>, as scikit-learn).</summary>
    public SparseCodingAlgorithm TransformAlgorithm { get; set; } = SparseCodingAlgorithm.Omp;

    /// <summary>Atoms per code for OMP and LARS in <see cref="Transform(Matrix{double})"/>, in [1, K]; null (default) → min(max(⌊features / 10⌋, 1), K), as scikit-learn.</summary>
    public int? TransformNonzeroCoefficients { get; set; }

    /// <summary>
    /// The penalty of the Lasso coders and of thresholding in <see cref="Transform(Matrix{double})"/>; null (default) uses
    /// <see cref="Alpha"/>, as scikit-learn. For OMP, a tolerance on the squared residual that replaces the atom count when
    /// set (null, the default: the atom count; <see cref="Alpha"/> is not used, as scikit-learn 1.2's OMP ignores it).
    /// </summary>
    public double? TransformAlpha { get; set; }

    /// <summary>The most iterations (≥ 1) per signal of the LARS-Lasso and coordinate-descent coders, both while learning and in <see cref="Transform(Matrix{double})"/> (default 1000, as scikit-learn's <c>transform_max_iter</c>).</summary>
    public int TransformMaxIterations { get; set; } = 1000;

    /// <summary>
    /// Whether codes are constrained to be ≥ 0, while learning and in <see cref="Transform(Matrix{double})"/> (default false). Not
    /// with <see cref="SparseCodingAlgorithm.Omp"/> or <see cref="SparseCodingAlgorithm.Lars"/> as the transform algorithm, as
    /// scikit-learn; with either fit algorithm (scikit-learn 1.2 refuses it with its <c>'lars'</c> fit algorithm, although its
    /// LARS-Lasso coder supports it).
    /// </summary>
    public bool PositiveCode { get; set; }

    /// <summary>Whether the atoms are constrained to be ≥ 0 (default false): each updated atom is clipped at 0 before its projection onto the unit ball.</summary>
    public bool PositiveDictionary { get; set; }

    /// <summary>
    /// Whether <see cref="Transform(Matrix{double})"/> returns the positive and negative parts of each code side by side
    /// (samples × 2K: max(c, 0) then max(−c, 0)), as scikit-learn's <c>split_sign</c>; <see cref="ComponentsTransformer.InverseTransform(Matrix{double})"/>
    /// then takes such codes. Default false. The training codes returned by <c>FitTransform</c> are split too.
    /// </summary>
    public bool SplitSign { get; set; }

    /// <summary>The starting dictionary (components × features, finite), used as given (not normalised; not modified); null (default) starts from the data's SVD. Not saved by <see cref="ModelSerializer"/>.</summary>
    public Matrix<double>? InitialDictionary { get; set; }

    /// <summary>Called after every iteration (or mini-batch step) of <c>Fit</c> with the objective, the change of the dictionary and a copy of it.</summary>
    public Action<DictionaryLearningIterationInfo>? OnIteration { get; set; }

    private protected override bool SplitsSign => SplitSign;

    /// <summary>The coding algorithm of the fit.</summary>
    private protected SparseCodingAlgorithm FitCoder => FitAlgorithm == DictionaryFitAlgorithm.LassoCd ? SparseCodingAlgorithm.LassoCd : SparseCodingAlgorithm.LassoLars;

    /// <summary>
    /// Codes the rows of <paramref name="x"/> over the fitted dictionary with <see cref="TransformAlgorithm"/>, as scikit-learn's
    /// <c>transform</c>: samples × K, or samples × 2K with <see cref="SplitSign"/>.
    /// </summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <returns>The codes.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN or ±∞, or has another column count than the training data; <see cref="PositiveCode"/> with OMP or LARS.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (<see cref="TransformNonzeroCoefficients"/> above K, ...).</exception>
    public override Matrix<double> Transform(Matrix<double> x) => Transform(x, CancellationToken.None);

    /// <summary>As <see cref="Transform(Matrix{double})"/>, checking <paramref name="cancellationToken"/> between chunks of signals.</summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <param name="cancellationToken">Cancels the coding.</param>
    /// <returns>The codes.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Transform(Matrix{double})"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Transform(Matrix{double})"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Matrix<double> Transform(Matrix<double> x, CancellationToken cancellationToken)
    {
        using var scope = BeginWork();
        var state = Fitted<ComponentsState>(nameof(Transform));
        Guard.Samples(x);
        Guard.ColumnCount(x, state.FeatureCount);
        ValidateParameters();
        return Transform(state, x, cancellationToken);
    }

    /// <summary>The transform of the checked <paramref name="x"/> over the dictionary of <paramref name="state"/> (committed or about to be).</summary>
    private protected Matrix<double> Transform(ComponentsState state, Matrix<double> x, CancellationToken cancellationToken)
    {
        CheckTransformAtoms(state.ComponentCount);
        var dictionary = MatrixStorage.FromColumnMajor(state.ComponentCount, state.FeatureCount, state.Components);
        return Coded(SparseEncoder.Encode(x, dictionary, TransformAlgorithm, TransformNonzeroCoefficients, TransformCoderAlpha, PositiveCode, TransformMaxIterations, cancellationToken));
    }

    /// <summary>The codes as <see cref="Transform(Matrix{double})"/> returns them: split by sign with <see cref="SplitSign"/>.</summary>
    private protected Matrix<double> Coded(Matrix<double> codes) => SplitSign ? SignSplit.Split(codes) : codes;

    /// <summary>The α handed to the transform's coder: <see cref="TransformAlpha"/>, or <see cref="Alpha"/> except for OMP (see <see cref="TransformAlpha"/>).</summary>
    private double? TransformCoderAlpha => TransformAlgorithm == SparseCodingAlgorithm.Omp ? TransformAlpha : TransformAlpha ?? Alpha;

    /// <summary>The data-free checks of the shared parameters; the subclasses check their own after this.</summary>
    private protected void ValidateDictionaryParameters()
    {
        if (ComponentCount is int k)
        {
            Guard.AtLeast(k, 1, nameof(ComponentCount));
            if ((long)k * k > Array.MaxLength)
            {
                throw Guard.OutOfRange(nameof(ComponentCount), $"{nameof(ComponentCount)} must be at most {(int)Math.Sqrt(Array.MaxLength)} (was {k}): the learners hold K × K statistics.");
            }
        }

        Guard.AtLeast(Alpha, 0.0, nameof(Alpha));
        Guard.Defined(FitAlgorithm, nameof(FitAlgorithm));
        Guard.Defined(TransformAlgorithm, nameof(TransformAlgorithm));
        if (TransformNonzeroCoefficients is { } nonzero)
        {
            Guard.AtLeast(nonzero, 1, nameof(TransformNonzeroCoefficients));
        }

        if (TransformAlpha is { } alpha)
        {
            Guard.AtLeast(alpha, 0.0, nameof(TransformAlpha));
        }

        Guard.AtLeast(TransformMaxIterations, 1, nameof(TransformMaxIterations));
        if (PositiveCode && TransformAlgorithm is SparseCodingAlgorithm.Omp or SparseCodingAlgorithm.Lars)
        {
            throw new ArgumentException($"{nameof(PositiveCode)} is not supported by the transform algorithm {TransformAlgorithm} (as scikit-learn): use {nameof(SparseCodingAlgorithm.LassoLars)}, {nameof(SparseCodingAlgorithm.LassoCd)} or {nameof(SparseCodingAlgorithm.Threshold)} as {nameof(TransformAlgorithm)}.", nameof(PositiveCode));
        }
    }

    /// <summary>
    /// The component count K of a fit on <paramref name="features"/> features (<see cref="ComponentsTransformer.ComponentCount"/>, or the rows of
    /// <see cref="InitialDictionary"/>, or the feature count), the start checked against it, and the transform's atom count.
    /// </summary>
    private protected int ComponentsFor(int features)
    {
        int k = ComponentCount ?? InitialDictionary?.RowCount ?? features;
        if ((long)k * features > Array.MaxLength)
        {
            throw Guard.OutOfRange(nameof(ComponentCount), $"{nameof(ComponentCount)} × features must fit in an array (was {k} × {features}).");
        }

        if (InitialDictionary is { } start)
        {
            CheckStart(start, k, features, nonNegative: false, nameof(InitialDictionary));
        }

        CheckTransformAtoms(k);
        return k;
    }

    /// <summary>Checks a saved state's atom count against <see cref="TransformNonzeroCoefficients"/> at load.</summary>
    private protected void CheckSavedAtoms(int atoms) =>
        SparseEncoder.CheckSavedAtomCount(TransformNonzeroCoefficients, TransformAlgorithm, atoms, nameof(TransformNonzeroCoefficients));

    /// <summary>The transform's atom count against K.</summary>
    private void CheckTransformAtoms(int atoms)
    {
        if (TransformNonzeroCoefficients is { } nonzero && TransformAlgorithm is SparseCodingAlgorithm.Omp or SparseCodingAlgorithm.Lars)
        {
            Guard.InRange(nonzero, 1, atoms, nameof(TransformNonzeroCoefficients));
        }
    }
}
