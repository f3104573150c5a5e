// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Decomposition;

/// <summary>
/// K-SVD dictionary learning (Aharon, Elad and Bruckstein, "K-SVD: An algorithm for designing overcomplete dictionaries for
/// sparse representation", IEEE Trans. Signal Processing 54(11), 2006), with spm-image's parameters and behaviour: find a
/// dictionary D (atoms in rows) such that every row x of the data is close to wᵀD with at most
/// <see cref="NonzeroCoefficients"/> non-zeros in w. Each iteration codes every signal by batch OMP
/// (<see cref="SparseEncoder"/>) and then updates the atoms one by one from the residual of the signals that use them —
/// by their leading singular pair (<see cref="KsvdMethod.Normal"/>) or by one alternating step (Rubinstein, Zibulevsky
/// and Elad's approximate K-SVD, <see cref="KsvdMethod.Approximate"/>, spm-image's default).
/// </summary>
/// <remarks>
/// <para>
/// Data with missing entries (<see cref="MissingValue"/>) are learned from their observed entries only, as spm-image: each
/// signal is coded on its observed features and the missing ones are filled with the current approximation before the
/// atom updates — in a copy: the caller's data are never written (spm-image writes the filled values into them).
/// </para>
/// <para>
/// Start: <see cref="InitialDictionary"/> as given (copied), else the fitted <see cref="ComponentsTransformer.Components"/>
/// with <see cref="WarmStart"/>, else a random dictionary (uniform entries, columns normalised, as spm-image).
/// <see cref="Errors"/>[0] is ‖X‖_F (no atom used yet) and each later entry the error after an iteration's atom updates;
/// the fit stops when two consecutive errors differ by less than <see cref="Tolerance"/>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var ksvd = new Ksvd { ComponentCount = 64, NonzeroCoefficients = 5, MaxIterations = 10, InitialDictionary = DctDictionary.Generate(64, 8) }.Fit(patches);
/// var codes = ksvd.Transform(patches);
/// var approximation = ksvd.InverseTransform(codes);
/// </code>
/// </example>
public sealed class Ksvd : ComponentsTransformer
{
    /// <summary>Creates a K-SVD learner with spm-image's defaults.</summary>
    public Ksvd()
    {
    }

    /// <summary>Atoms per signal, for fitting (OMP) and for <see cref="Transform"/> with OMP or LARS; null (default) → min(max(⌊features / 10⌋, 1), atoms), as scikit-learn's <c>sparse_encode</c>.</summary>
    public int? NonzeroCoefficients { get; set; }

    /// <summary>The most iterations (default 1000, as spm-image).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The fit stops when the error changes by less than this between iterations (default 10⁻⁸, as spm-image).</summary>
    public double Tolerance { get; set; } = 1e-8;

    /// <summary>How atoms are updated (default <see cref="KsvdMethod.Approximate"/>, as spm-image).</summary>
    public KsvdMethod Method { get; set; } = KsvdMethod.Approximate;

    /// <summary>
    /// The value that marks a missing entry of the data (NaN allowed), or null (default) when every entry is observed. With a
    /// value, fitting and <see cref="Transform"/> use each signal's observed entries only.
    /// </summary>
    public double? MissingValue { get; set; }

    /// <summary>The starting dictionary (<see cref="ComponentsTransformer.ComponentCount"/> × features), used as given and never modified; null (default) for a random start.</summary>
    public Matrix<double>? InitialDictionary { get; set; }

    /// <summary>Whether a refit starts from the fitted dictionary when there is no <see cref="InitialDictionary"/> (spm-image always does; default false, so that refits repeat).</summary>
    public bool WarmStart { get; set; }

    /// <summary>
    /// Whether an atom no signal uses is replaced by the normalised residual of the worst-represented signal (default false:
    /// left as it is, as spm-image, whose results are then reproduced).
    /// </summary>
    public bool ReplaceUnusedAtoms { get; set; }

    /// <summary>How <see cref="Transform"/> codes new data (default <see cref="SparseCodingAlgorithm.Omp"/>).</summary>
    public SparseCodingAlgorithm TransformAlgorithm { get; set; } = SparseCodingAlgorithm.Omp;

    /// <summary>The α of <see cref="Transform"/>'s Lasso coders and thresholding (null → 1), or OMP's residual tolerance, as <see cref="SparseEncoder.Encode"/>.</summary>
    public double? TransformAlpha { get; set; }

    /// <summary>Called after every iteration with the error and the count of unused atoms.</summary>
    public Action<KsvdIterationInfo>? OnIteration { get; set; }

    /// <summary>The error ‖X − W·D‖_F before the first iteration and after each (observed entries only with missing values).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public IReadOnlyList<double> Errors => (double[])Fitted<KsvdState>(nameof(Errors)).Errors.Clone();

    /// <summary>Learns the dictionary from the rows of <paramref name="x"/>.</summary>
    /// <param name="x">Training signals, samples × features; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations and atom blocks; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN/±∞ (other than a NaN <see cref="MissingValue"/>), has a signal with every entry missing, or does not match <see cref="InitialDictionary"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Ksvd Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        FitCodes(x, cancellationToken);
        return this;
    }

    /// <summary>Learns the dictionary and returns the codes of <paramref name="x"/> over it (<see cref="Transform"/> after the fit).</summary>
    /// <param name="x">Training signals, samples × features; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit.</param>
    /// <returns>The codes, samples × atoms.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default) => FitCodes(x, cancellationToken);

    /// <summary>The codes of the rows of <paramref name="x"/> over the learned dictionary (<see cref="TransformAlgorithm"/>; observed entries only with <see cref="MissingValue"/>).</summary>
    /// <param name="x">Signals with as many columns as the training data; not modified.</param>
    /// <returns>The codes, samples × atoms.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has the wrong column count, holds NaN/±∞ at observed entries, or a signal with every entry missing.</exception>
    public override Matrix<double> Transform(Matrix<double> x)
    {
        using var scope = BeginWork();
        var state = Fitted<KsvdState>(nameof(Transform));
        ValidateParameters();
        var mask = Validate(x);
        Guard.ColumnCount(x, state.FeatureCount);
        return Encode(x, mask, state);
    }

    private protected override EstimatorState ReadState(ModelReader reader) => KsvdState.Read(reader);

    private protected override void ValidateParameters()
    {
        if (ComponentCount is { } k)
        {
            Guard.AtLeast(k, 1, nameof(ComponentCount));
        }

        if (NonzeroCoefficients is { } nonzero)
        {
            Guard.AtLeast(nonzero, 1, nameof(NonzeroCoefficients));
        }

        Guard.AtLeast(MaxIterations, 0, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
        Guard.Defined(Method, nameof(Method));
        Guard.Defined(TransformAlgorithm, nameof(TransformAlgorithm));
        if (TransformAlpha is { } alpha)
        {
            Guard.AtLeast(alpha, 0.0, nameof(TransformAlpha));
        }

        if (MissingValue is { } missing && double.IsInfinity(missing))
        {
            throw Guard.OutOfRange(nameof(MissingValue), $"{nameof(MissingValue)} must be finite or NaN (was {missing}).");
        }
    }

    private protected override Matrix<double> FitCodes(Matrix<double> x, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        var mask = Validate(x);
        int f = x.ColumnCount;
        var previous = WarmStart ? Current<KsvdState>() : null;
        int k = ComponentCount ?? InitialDictionary?.RowCount ?? previous?.ComponentCount ?? f;
        if (NonzeroCoefficients is { } nonzero)
        {
            Guard.InRange(nonzero, 1, k, nameof(NonzeroCoefficients));
        }

        var dictionary = Start(f, k, previous);

        // Signals far from unit scale are brought to it by a power of two (docs/ARCHITECTURE.md, "Extreme scales"): the atoms
        // are unit vectors whatever the scale, the codes and errors scale with the signals, and so does the tolerance on the
        // change of the error.
        int e = Rescaling.Exponent(ObservedMaxAbs(x, mask), -LinearScale.Band, LinearScale.Band);
        var onIteration = e == 0 || OnIteration is not { } report ? OnIteration : info => report(info with { Objective = Rescaling.Saturating(info.Objective, -e) });
        var settings = new KsvdSolver.Settings(NonzeroCoefficients, MaxIterations, Rescaling.Saturating(Tolerance, e), Method, ReplaceUnusedAtoms, onIteration, cancellationToken);
        var result = KsvdSolver.Run(Rescaling.Scaled(x, e), mask, dictionary, k, settings);
        Rescaling.CheckedInPlace(result.Errors, -e, "reconstruction error");
        var components = Matrix<double>.Build.DenseOfRowMajor(k, f, dictionary).AsColumnMajorArray();
        var state = new KsvdState(components, k, f, result.Errors, result.Iterations, result.Converged);
        var codes = Encode(x, mask, state);
        Commit(state);
        return codes;
    }

    /// <summary>The starting dictionary, atoms in rows (row-major K × f).</summary>
    private double[] Start(int f, int k, KsvdState? previous)
    {
        if (InitialDictionary is { } given)
        {
            CheckStart(given, k, f, nonNegative: false, nameof(InitialDictionary));
            return given.ToRowMajorArray();
        }

        if (previous is not null && previous.ComponentCount == k && previous.FeatureCount == f)
        {
            return MatrixStorage.FromColumnMajor(k, f, previous.Components).ToRowMajorArray();
        }

        var start = new double[k * f];

        // spm-image's cold start: uniform entries, then every column (feature) scaled to unit norm over the atoms.
        var rng = new SplitMix64(Seed());
        for (int i = 0; i < start.Length; i++)
        {
            start[i] = rng.NextDouble();
        }

        for (int j = 0; j < f; j++)
        {
            double norm = 0.0;
            for (int t = 0; t < k; t++)
            {
                norm += start[(t * f) + j] * start[(t * f) + j];
            }

            double scale = norm > 0.0 ? 1.0 / Math.Sqrt(norm) : 0.0;
            for (int t = 0; t < k; t++)
            {
                start[(t * f) + j] *= scale;
            }
        }

        return start;
    }

    private Matrix<double> Encode(Matrix<double> x, Matrix<double>? mask, KsvdState state)
    {
        var dictionary = MatrixStorage.FromColumnMajor(state.ComponentCount, state.FeatureCount, state.Components);
        int? count = NonzeroCoefficients is { } k ? Math.Min(k, state.ComponentCount) : null;
        return mask is null
            ? SparseEncoder.Encode(x, dictionary, TransformAlgorithm, count, TransformAlpha)
            : SparseEncoder.EncodeWithMask(x, dictionary, mask, TransformAlgorithm, count, TransformAlpha);
    }

    /// <summary>max |x| over the observed entries (all of them without a mask).</summary>
    private static double ObservedMaxAbs(Matrix<double> x, Matrix<double>? mask)
    {
        var xs = MatrixStorage.ColumnMajor(x);
        if (mask is null)
        {
            return Rescaling.MaxAbs(xs);
        }

        var ms = MatrixStorage.ColumnMajor(mask);
        double max = 0.0;
        for (long i = 0; i < xs.LongLength; i++)
        {
            if (ms[i] == 1.0)
            {
                max = Math.Max(max, Math.Abs(xs[i]));
            }
        }

        return max;
    }

    /// <summary>Checks the data; with <see cref="MissingValue"/> returns the mask (1 observed, 0 missing), else null.</summary>
    private Matrix<double>? Validate(Matrix<double> x)
    {
        if (MissingValue is not { } missing)
        {
            Guard.Samples(x);
            return null;
        }

        ArgumentNullException.ThrowIfNull(x);
        if (x.RowCount == 0 || x.ColumnCount == 0)
        {
            throw new ArgumentException($"{nameof(x)} is empty ({x.RowCount}×{x.ColumnCount}); at least one row and one column are needed.", nameof(x));
        }

        bool nan = double.IsNaN(missing);
        return Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) =>
        {
            double v = x.At(i, j);
            return (nan ? double.IsNaN(v) : v == missing) ? 0.0 : 1.0;
        });
    }
}

/// <summary>The fitted state of a <see cref="Ksvd"/>: the dictionary and the errors of the fit.</summary>
/// <param name="Components">The dictionary, K × features, column-major.</param>
/// <param name="ComponentCount">K, the atoms.</param>
/// <param name="FeatureCount">The features.</param>
/// <param name="Errors">The error before the first iteration and after each.</param>
/// <param name="Iterations">The iterations run.</param>
/// <param name="Converged">Whether the tolerance stopped the fit.</param>
internal sealed record KsvdState(double[] Components, int ComponentCount, int FeatureCount, double[] Errors, int Iterations, bool Converged)
    : ComponentsState(Components, ComponentCount, FeatureCount, Iterations, Converged)
{
    /// <summary>Reads and checks a saved state: finite K × features atoms, Iterations + 1 finite errors ≥ 0.</summary>
    internal static KsvdState Read(ModelReader reader)
    {
        var (components, k, f) = ReadComponents(reader, SavedValue.Finite);
        var errors = reader.Doubles(nameof(Errors), SavedValue.FiniteNonNegative);
        int iterations = reader.Int(nameof(Iterations), 0);
        reader.Length(nameof(Errors), errors.Length, (long)iterations + 1, $"{nameof(Iterations)} + 1 = {(long)iterations + 1}");
        return new KsvdState(components, k, f, errors, iterations, reader.Bool(nameof(Converged)));
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(Errors), Errors);
        base.Write(writer);
    }
}
