// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// Sparse coding over a fixed, given dictionary as a transformer (scikit-learn's <c>SparseCoder</c>): <see cref="Transform(Matrix{double})"/>
/// codes each row of its input with <see cref="SparseEncoder.Encode"/>, so that x ≈ codeᵀ·D. Nothing is learned:
/// <see cref="Fit(Matrix{double}, CancellationToken)"/> checks the dictionary and the parameters against the data and keeps
/// a copy of the dictionary, which later changes to <see cref="Dictionary"/> do not affect until the next fit.
/// </summary>
/// <remarks>
/// Unlike scikit-learn, whose <c>transform</c> works without <c>fit</c>, <see cref="Transform(Matrix{double})"/> needs a fit first, as every
/// transformer of this library; <see cref="ModelSerializer"/> saves the fitted copy of the dictionary with the model (the
/// <see cref="Dictionary"/> property itself is not a saved parameter and is null after loading).
/// </remarks>
/// <example>
/// <code>
/// var coder = new SparseCoder { Dictionary = DctDictionary.Generate(64, 8), TransformNonzeroCoefficients = 5 }.Fit(patches);
/// var codes = coder.Transform(patches);           // patches × 64, five non-zeros per row
/// var approximation = coder.InverseTransform(codes);
/// </code>
/// </example>
public sealed class SparseCoder : Estimator, ITransformer
{
    /// <summary>The dictionary, atoms × features (atoms in rows); required before <see cref="Fit(Matrix{double}, CancellationToken)"/>. Default null.</summary>
    public Matrix<double>? Dictionary { get; set; }

    /// <summary>How codes are found (default <see cref="SparseCodingAlgorithm.Omp"/>, as scikit-learn).</summary>
    public SparseCodingAlgorithm TransformAlgorithm { get; set; } = SparseCodingAlgorithm.Omp;

    /// <summary>Atoms per code for OMP and LARS, in [1, atoms]; null (default) → min(max(⌊features / 10⌋, 1), atoms), as scikit-learn.</summary>
    public int? TransformNonzeroCoefficients { get; set; }

    /// <summary>The penalty of the Lasso coders and of thresholding (null, the default, → 1); for OMP a tolerance on the squared residual that replaces the atom count (null: none).</summary>
    public double? TransformAlpha { get; set; }

    /// <summary>The most iterations of the LARS-Lasso and coordinate-descent coders per signal (default 1000).</summary>
    public int TransformMaxIterations { get; set; } = 1000;

    /// <summary>Whether codes are constrained to be ≥ 0 (Lasso coders and thresholding only; default false).</summary>
    public bool PositiveCode { get; set; }

    /// <summary>
    /// Whether <see cref="Transform(Matrix{double})"/> returns the positive and negative parts of each code side by side (samples × 2·atoms:
    /// max(c, 0) then max(−c, 0)), as scikit-learn's <c>split_sign</c>, which helps downstream linear classifiers. Default false.
    /// </summary>
    public bool SplitSign { get; set; }

    /// <summary>The dictionary the model was fitted with (a copy), atoms × features.</summary>
    /// <exception cref="InvalidOperationException">The coder has not been fitted.</exception>
    public Matrix<double> Components
    {
        get
        {
            var state = Fitted<SparseCoderState>(nameof(Components));
            return MatrixStorage.FromColumnMajor(state.AtomCount, state.FeatureCount, (double[])state.Dictionary.Clone());
        }
    }

    private protected override EstimatorState ReadState(ModelReader reader)
    {
        var state = SparseCoderState.Read(reader);
        SparseEncoder.CheckSavedAtomCount(TransformNonzeroCoefficients, TransformAlgorithm, state.AtomCount, nameof(TransformNonzeroCoefficients));
        return state;
    }

    private protected override void ValidateParameters()
    {
        Guard.Defined(TransformAlgorithm, nameof(TransformAlgorithm));
        if (TransformNonzeroCoefficients is { } k)
        {
            Guard.AtLeast(k, 1, nameof(TransformNonzeroCoefficients));
        }

        if (TransformAlpha is { } alpha)
        {
            Guard.AtLeast(alpha, 0.0, nameof(TransformAlpha));
        }

        Guard.AtLeast(TransformMaxIterations, 1, nameof(TransformMaxIterations));
        if (PositiveCode && TransformAlgorithm is SparseCodingAlgorithm.Omp or SparseCodingAlgorithm.Lars)
        {
            throw Unsupported(nameof(PositiveCode), $"{nameof(PositiveCode)} is not supported by {TransformAlgorithm} (as scikit-learn): use {nameof(SparseCodingAlgorithm.LassoLars)}, {nameof(SparseCodingAlgorithm.LassoCd)} or {nameof(SparseCodingAlgorithm.Threshold)}.");
        }
    }

    /// <summary>Checks <see cref="Dictionary"/> and the parameters against <paramref name="x"/> and keeps a copy of the dictionary.</summary>
    /// <param name="x">Data of the shape to be coded, samples × features (only its shape and finiteness are used).</param>
    /// <param name="cancellationToken">Checked once: nothing is iterated.</param>
    /// <returns>This coder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Dictionary"/> is not set.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> or the dictionary is empty or not finite, or their feature counts differ; <see cref="PositiveCode"/> with OMP or LARS.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public SparseCoder Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        Guard.Samples(x);
        var dictionary = Dictionary ?? throw new InvalidOperationException($"{nameof(SparseCoder)} needs a {nameof(Dictionary)} (atoms × features) before Fit.");
        Guard.Samples(dictionary, nameof(Dictionary));
        if (dictionary.ColumnCount != x.ColumnCount)
        {
            throw new ArgumentException($"{nameof(Dictionary)} has {dictionary.ColumnCount} features (columns) but {nameof(x)} has {x.ColumnCount}; they must agree.", nameof(x));
        }

        CheckParameters(dictionary.RowCount);
        cancellationToken.ThrowIfCancellationRequested();
        Commit(new SparseCoderState(dictionary.ToColumnMajorArray(), dictionary.RowCount, dictionary.ColumnCount));
        return this;
    }

    /// <summary>The codes of the rows of <paramref name="x"/> over the fitted dictionary: samples × atoms, or samples × 2·atoms with <see cref="SplitSign"/>.</summary>
    /// <param name="x">Signals, samples × features.</param>
    /// <returns>The codes.</returns>
    /// <exception cref="InvalidOperationException">The coder has not been fitted.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, not finite, or has another feature count than the dictionary.</exception>
    public Matrix<double> Transform(Matrix<double> x) => Transform(x, CancellationToken.None);

    /// <summary>The codes of the rows of <paramref name="x"/>, checking <paramref name="cancellationToken"/> between chunks of signals.</summary>
    /// <param name="x">Signals, samples × features: dense, or a MathNet <c>SparseMatrix</c>, which is not made dense.</param>
    /// <param name="cancellationToken">Cancels the coding.</param>
    /// <returns>The codes.</returns>
    /// <exception cref="InvalidOperationException">The coder has not been fitted.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, not finite, or has another feature count than the dictionary.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Matrix<double> Transform(Matrix<double> x, CancellationToken cancellationToken)
    {
        using var scope = BeginWork();
        var state = Fitted<SparseCoderState>(nameof(Transform));
        Guard.Samples(x);
        if (x.ColumnCount != state.FeatureCount)
        {
            throw new ArgumentException($"{nameof(x)} has {x.ColumnCount} columns but the dictionary has {state.FeatureCount} features; they must agree.", nameof(x));
        }

        CheckParameters(state.AtomCount);
        var dictionary = MatrixStorage.FromColumnMajor(state.AtomCount, state.FeatureCount, state.Dictionary);
        var codes = SparseEncoder.Encode(x, dictionary, TransformAlgorithm, TransformNonzeroCoefficients, TransformAlpha, PositiveCode, TransformMaxIterations, cancellationToken);
        return SplitSign ? SignSplit.Split(codes) : codes;
    }

    /// <summary>Fits (checks and copies the dictionary) and returns the codes of <paramref name="x"/>.</summary>
    /// <param name="x">Signals, samples × features.</param>
    /// <param name="cancellationToken">Cancels the coding.</param>
    /// <returns>The codes.</returns>
    /// <exception cref="InvalidOperationException"><see cref="Dictionary"/> is not set.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default) => Fit(x, cancellationToken).Transform(x, cancellationToken);

    /// <summary>The signals the codes stand for, codes·D (samples × features); with <see cref="SplitSign"/> the codes are samples × 2·atoms.</summary>
    /// <param name="codes">Codes, samples × atoms (× 2·atoms with <see cref="SplitSign"/>).</param>
    /// <returns>The reconstruction.</returns>
    /// <exception cref="InvalidOperationException">The coder has not been fitted.</exception>
    /// <exception cref="ArgumentException"><paramref name="codes"/> is empty, not finite, or has the wrong column count.</exception>
    public Matrix<double> InverseTransform(Matrix<double> codes)
    {
        using var scope = BeginWork();
        var state = Fitted<SparseCoderState>(nameof(InverseTransform));
        return SignSplit.Reconstruct(codes, state.Dictionary, state.AtomCount, state.FeatureCount, SplitSign, "atoms");
    }

    ITransformer ITransformer.Fit(Matrix<double> x, CancellationToken cancellationToken) => Fit(x, cancellationToken);

    /// <summary>The parameters, and the atom count against the dictionary's <paramref name="atoms"/>.</summary>
    private void CheckParameters(int atoms)
    {
        ValidateParameters();
        if (TransformNonzeroCoefficients is { } k && TransformAlgorithm is SparseCodingAlgorithm.Omp or SparseCodingAlgorithm.Lars)
        {
            Guard.InRange(k, 1, atoms, nameof(TransformNonzeroCoefficients));
        }
    }

    private static ArgumentException Unsupported(string name, string message) => new(message, name);
}

/// <summary>The fitted state of a <see cref="SparseCoder"/>: its copy of the dictionary.</summary>
/// <param name="Dictionary">The dictionary, atoms × features, column-major.</param>
/// <param name="AtomCount">The number of atoms (rows).</param>
/// <param name="FeatureCount">The number of features (columns).</param>
internal sealed record SparseCoderState(double[] Dictionary, int AtomCount, int FeatureCount) : EstimatorState
{
    /// <summary>Reads and checks a saved state: a finite dictionary of <see cref="AtomCount"/> × <see cref="FeatureCount"/> entries.</summary>
    internal static SparseCoderState Read(ModelReader reader)
    {
        var dictionary = reader.Doubles(nameof(Dictionary), SavedValue.Finite);
        int atoms = reader.Int(nameof(AtomCount), 1);
        int features = reader.Int(nameof(FeatureCount), 1);
        reader.Length(nameof(Dictionary), dictionary.Length, (long)atoms * features, $"{nameof(AtomCount)} × {nameof(FeatureCount)} = {atoms} × {features}");
        return new SparseCoderState(dictionary, atoms, features);
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(Dictionary), Dictionary);
        writer.Int(nameof(AtomCount), AtomCount);
        writer.Int(nameof(FeatureCount), FeatureCount);
    }
}
