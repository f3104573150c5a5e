// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Decomposition;

/// <summary>
/// Sparse coding of many signals over one dictionary: for each row x of the signals, a code c with few non-zeros such that
/// x ≈ cᵀ·D, where the dictionary D holds one atom per row (atoms × features, as scikit-learn's <c>components_</c>). The
/// batch entry point of the library, as scikit-learn's <c>sparse_encode</c>: the dictionary's Gram matrix D·Dᵀ and the
/// correlations D·Xᵀ are formed once by GEMM and the signals are coded in parallel, each from its column of correlations
/// alone (batch OMP: Rubinstein, Zibulevsky and Elad, "Efficient implementation of the K-SVD algorithm using batch
/// orthogonal matching pursuit", Technion CS-2008-08).
/// </summary>
/// <remarks>
/// <para>
/// The parameters follow scikit-learn 1.2's <c>sparse_encode</c>. For <see cref="SparseCodingAlgorithm.Omp"/> and
/// <see cref="SparseCodingAlgorithm.Lars"/> the code has <c>nonzeroCoefficients</c> atoms (default
/// min(max(⌊features / 10⌋, 1), atoms)); for OMP an <c>alpha</c>, when given, is instead the tolerance on the squared
/// residual ‖x − cᵀD‖² (scikit-learn's documented meaning, which its 1.2 code ignores). For
/// <see cref="SparseCodingAlgorithm.LassoLars"/> and <see cref="SparseCodingAlgorithm.LassoCd"/> the code minimises
/// (1/(2·features))·‖x − cᵀD‖² + (α/features)·‖c‖₁, i.e. the Lasso with α/features, scikit-learn's "account for scaling"
/// (default α = 1); coordinate descent stops on the duality gap at tolerance 10⁻⁴·‖x‖². For
/// <see cref="SparseCodingAlgorithm.Threshold"/> the code is the soft threshold of D·x at α. <c>positive</c> constrains
/// the codes to be ≥ 0 (not with OMP or LARS, as scikit-learn).
/// </para>
/// <para>Codes do not depend on the number of threads: each signal is coded by the same sequential solver.</para>
/// <para>
/// Signals given as a MathNet <c>SparseMatrix</c> (compressed rows) are never made dense: the coders read a signal only
/// through D·x and ‖x‖², which are formed from the stored entries in O(nnz·atoms) — memory atoms × samples for the
/// correlations, as for dense input, plus nothing of size samples × features. Codes equal those of the same signals dense
/// up to rounding (the correlations are summed in another order).
/// </para>
/// <para>
/// Signals or a dictionary far from unit scale (largest |entry| outside [2^−64, 2^65)) are brought to it by a power of two,
/// with <c>alpha</c> scaled to match, and the codes scaled back (exactly, since powers of two lose no digits): codes of c·x are
/// c times the codes of x when α is scaled by c, at any c the result can represent.
/// </para>
/// </remarks>
public static partial class SparseEncoder
{
    /// <summary>Signals per parallel work item.</summary>
    private const int Chunk = 32;

    /// <summary>The tolerance of the coordinate-descent coder (scikit-learn's Lasso default).</summary>
    private const double CoordinateDescentTolerance = 1e-4;

    /// <summary>Codes every row of <paramref name="x"/> over <paramref name="dictionary"/>.</summary>
    /// <param name="x">The signals, samples × features: dense, or a MathNet <c>SparseMatrix</c>, which is not made dense.</param>
    /// <param name="dictionary">The dictionary, atoms × features (atoms in rows); atoms need not be normalised.</param>
    /// <param name="algorithm">How to code (see <see cref="SparseCodingAlgorithm"/>).</param>
    /// <param name="nonzeroCoefficients">For <see cref="SparseCodingAlgorithm.Omp"/> and <see cref="SparseCodingAlgorithm.Lars"/>: the atoms per code, in [1, atoms]; default min(max(⌊features / 10⌋, 1), atoms). Ignored by the other algorithms.</param>
    /// <param name="alpha">For the Lasso coders and thresholding: the penalty (default 1); for OMP: a tolerance on the squared residual that replaces the atom count (default none). Ignored by LARS.</param>
    /// <param name="positive">Whether codes are constrained to be ≥ 0 (Lasso coders and thresholding only; default false).</param>
    /// <param name="maxIterations">The most iterations of the LARS-Lasso and coordinate-descent coders per signal (default 1000, as scikit-learn).</param>
    /// <param name="cancellationToken">Checked between chunks of signals.</param>
    /// <returns>The codes, samples × atoms.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A matrix is empty or holds NaN/±∞, the feature counts differ, or <paramref name="positive"/> is asked of OMP or LARS.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nonzeroCoefficients"/> is outside [1, atoms], <paramref name="alpha"/> is negative or not finite, <paramref name="maxIterations"/> is below 1, or <paramref name="algorithm"/> is undefined.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Matrix<double> Encode(
        Matrix<double> x,
        Matrix<double> dictionary,
        SparseCodingAlgorithm algorithm,
        int? nonzeroCoefficients = null,
        double? alpha = null,
        bool positive = false,
        int maxIterations = 1000,
        CancellationToken cancellationToken = default)
    {
        Guard.Samples(x);
        var coder = Prepare(x.ColumnCount, dictionary, algorithm, nonzeroCoefficients, alpha, positive, maxIterations);
        int samples = x.RowCount, features = x.ColumnCount, atoms = dictionary.RowCount;
        double[] codes;
        if (SparseStorage.Of(x) is { } sparse)
        {
            // Compressed rows are never made dense: the coders read a signal only through Dx and ‖x‖², formed from the
            // stored entries (O(nnz·atoms) and O(nnz)).
            var scale = LinearScale.Of(dictionary, sparse.Values.AsSpan(0, sparse.ValueCount));
            var scaled = SparseStorage.Of(Rescaling.Scaled(x, scale.Y))!;
            var d = MatrixStorage.ColumnMajor(Rescaling.Scaled(dictionary, scale.X));
            var (correlations, norms) = SparseCorrelations(scaled, samples, d, atoms, cancellationToken);
            codes = Code(correlations, norms, features, d, atoms, coder.For(scale), null, cancellationToken);
            coder.Unscale(scale, codes);
        }
        else
        {
            var scale = LinearScale.Of(dictionary, MatrixStorage.ColumnMajor(x));
            codes = Run(MatrixStorage.ColumnMajor(Rescaling.Scaled(x, scale.Y)), samples, features, MatrixStorage.ColumnMajor(Rescaling.Scaled(dictionary, scale.X)), atoms, coder.For(scale), null, cancellationToken);
            coder.Unscale(scale, codes);
        }

        return MatrixStorage.FromColumnMajor(atoms, samples, codes).Transpose();
    }

    /// <summary>
    /// D·xₛ for every signal s (atoms × samples, column-major) and ‖xₛ‖², from compressed rows: each stored xₛⱼ adds
    /// xₛⱼ times column j of D (atoms entries, contiguous) to signal s's correlations. Rows are split on fixed chunks.
    /// </summary>
    private static (double[] Correlations, double[] Norms) SparseCorrelations(SparseCompressedRowMatrixStorage<double> x, int samples, double[] d, int atoms, CancellationToken cancellationToken)
    {
        var correlations = new double[(long)atoms * samples];
        var norms = new double[samples];
        int chunks = (samples + Chunk - 1) / Chunk;
        Parallelism.For(chunks, c =>
        {
            int end = Math.Min(samples, (c + 1) * Chunk);
            for (int s = c * Chunk; s < end; s++)
            {
                var target = correlations.AsSpan(s * atoms, atoms);
                double norm = 0.0;
                for (int k = x.RowPointers[s]; k < x.RowPointers[s + 1]; k++)
                {
                    double v = x.Values[k];
                    norm += v * v;
                    Kernels.Axpy(v, d.AsSpan(x.ColumnIndices[k] * atoms, atoms), target);
                }

                norms[s] = norm;
            }
        });
        cancellationToken.ThrowIfCancellationRequested();
        return (correlations, norms);
    }

    /// <summary>
    /// <see cref="Encode(Matrix{double}, Matrix{double}, SparseCodingAlgorithm, int?, double?, bool, int, CancellationToken)"/>
    /// on raw storage, for the dictionary learners, which have checked everything already: <paramref name="x"/> is
    /// samples × features and <paramref name="dictionary"/> atoms × features, both column-major; the codes come back
    /// atoms × samples column-major (each signal's code contiguous). <paramref name="initialCodes"/> (same layout), when
    /// given, warm-starts <see cref="SparseCodingAlgorithm.LassoCd"/> as scikit-learn's <c>init</c> (the other algorithms
    /// ignore it, as scikit-learn does).
    /// </summary>
    internal static double[] EncodeRaw(
        double[] x,
        int samples,
        int features,
        double[] dictionary,
        int atoms,
        SparseCodingAlgorithm algorithm,
        int? nonzeroCoefficients,
        double? alpha,
        bool positive,
        int maxIterations,
        double[]? initialCodes,
        CancellationToken cancellationToken) =>
        Run(x, samples, features, dictionary, atoms, new Coder(algorithm, atoms, nonzeroCoefficients, alpha, positive, maxIterations), initialCodes, cancellationToken);

    private static double[] Run(double[] xs, int samples, int features, double[] d, int atoms, Coder coder, double[]? initialCodes, CancellationToken cancellationToken)
    {
        var correlations = new double[(long)atoms * samples];
        Gemm.Multiply(false, true, atoms, samples, features, 1.0, d, atoms, xs, samples, 0.0, correlations, atoms);
        cancellationToken.ThrowIfCancellationRequested();
        var norms = new double[samples];
        for (int j = 0; j < features; j++)
        {
            var column = xs.AsSpan(j * samples, samples);
            for (int i = 0; i < samples; i++)
            {
                norms[i] += column[i] * column[i];
            }
        }

        return Code(correlations, norms, features, d, atoms, coder, initialCodes, cancellationToken);
    }

    /// <summary>Codes every signal from its correlations D·xₛ (atoms × samples, column-major) and squared norms ‖xₛ‖².</summary>
    private static double[] Code(double[] correlations, double[] norms, int features, double[] d, int atoms, Coder coder, double[]? initialCodes, CancellationToken cancellationToken)
    {
        int samples = norms.Length;
        var gram = coder.Algorithm == SparseCodingAlgorithm.Threshold ? [] : new double[atoms * atoms];
        if (gram.Length > 0)
        {
            Gemm.Multiply(false, true, atoms, atoms, features, 1.0, d, atoms, d, atoms, 0.0, gram, atoms);
        }

        bool warm = initialCodes is not null && coder.Algorithm == SparseCodingAlgorithm.LassoCd;
        var codes = warm ? (double[])initialCodes!.Clone() : new double[(long)atoms * samples];
        if (coder.Algorithm == SparseCodingAlgorithm.LassoCd)
        {
            // Each chunk's signals share the passes of the Gram coordinate-descent core, several per vector.
            var settings = coder.CoordinateDescentSettings(features);
            ForChunks(
                samples,
                coder,
                (start, end, _) => GramCoordinateDescent.SolveMany(
                    gram,
                    atoms,
                    correlations.AsSpan(start * atoms, (end - start) * atoms),
                    norms.AsSpan(start, end - start),
                    codes.AsSpan(start * atoms, (end - start) * atoms),
                    settings),
                cancellationToken);
            return codes;
        }

        ForChunks(
            samples,
            coder,
            (s, workspace) => coder.Code(gram, correlations.AsSpan(s * atoms, atoms), norms[s], features, codes.AsSpan(s * atoms, atoms), workspace),
            cancellationToken);
        return codes;
    }

    /// <summary>
    /// Codes every row of <paramref name="x"/> over <paramref name="dictionary"/> using only its observed entries: for row i,
    /// the features j with mask[i, j] = 1, and the dictionary restricted to those features (as spm-image's
    /// <c>sparse_encode_with_mask</c>, which calls <c>sparse_encode</c> per row — so the defaults and the α scaling use the
    /// row's observed feature count). Entries of <paramref name="x"/> where the mask is 0 are ignored and may be NaN.
    /// </summary>
    /// <param name="x">The signals, samples × features.</param>
    /// <param name="dictionary">The dictionary, atoms × features.</param>
    /// <param name="mask">1 where an entry of <paramref name="x"/> is observed, 0 where it is missing; same shape as <paramref name="x"/>.</param>
    /// <param name="algorithm">How to code.</param>
    /// <param name="nonzeroCoefficients">As in <see cref="Encode"/>.</param>
    /// <param name="alpha">As in <see cref="Encode"/>.</param>
    /// <param name="positive">As in <see cref="Encode"/>.</param>
    /// <param name="maxIterations">As in <see cref="Encode"/>.</param>
    /// <param name="cancellationToken">Checked between chunks of signals.</param>
    /// <returns>The codes, samples × atoms.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes differ, the mask holds a value other than 0 or 1, a row has no observed entry, an observed entry is NaN/±∞, or <paramref name="positive"/> is asked of OMP or LARS.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As in <see cref="Encode"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Matrix<double> EncodeWithMask(
        Matrix<double> x,
        Matrix<double> dictionary,
        Matrix<double> mask,
        SparseCodingAlgorithm algorithm,
        int? nonzeroCoefficients = null,
        double? alpha = null,
        bool positive = false,
        int maxIterations = 1000,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.RowCount != x.RowCount || mask.ColumnCount != x.ColumnCount)
        {
            throw new ArgumentException($"{nameof(mask)} is {mask.RowCount}×{mask.ColumnCount} but {nameof(x)} is {x.RowCount}×{x.ColumnCount}; they must agree.", nameof(mask));
        }

        int samples = x.RowCount, features = x.ColumnCount;
        if (samples == 0 || features == 0)
        {
            throw new ArgumentException($"{nameof(x)} is empty ({samples}×{features}); at least one row and one column are needed.", nameof(x));
        }

        var coder = Prepare(features, dictionary, algorithm, nonzeroCoefficients, alpha, positive, maxIterations);
        var xs = MatrixStorage.ColumnMajor(x);
        var ms = MatrixStorage.ColumnMajor(mask);
        var observedCount = new int[samples];
        double observedMax = 0.0;
        for (int j = 0; j < features; j++)
        {
            for (int i = 0; i < samples; i++)
            {
                double m = ms[i + (j * samples)];
                if (m == 1.0)
                {
                    double v = xs[i + (j * samples)];
                    if (!double.IsFinite(v))
                    {
                        throw new ArgumentException($"{nameof(x)} must be finite where {nameof(mask)} is 1 but has {v} at row {i}, column {j}.", nameof(x));
                    }

                    observedCount[i]++;
                    observedMax = Math.Max(observedMax, Math.Abs(v));
                }
                else if (m != 0.0)
                {
                    throw new ArgumentException($"{nameof(mask)} must hold only 0 (missing) and 1 (observed) but has {m} at row {i}, column {j}.", nameof(mask));
                }
            }
        }

        for (int i = 0; i < samples; i++)
        {
            if (observedCount[i] == 0)
            {
                throw new ArgumentException($"Row {i} of {nameof(x)} has no observed entry ({nameof(mask)} is 0 across it); it cannot be coded.", nameof(mask));
            }
        }

        // Far from unit scale the observed entries and the dictionary are brought to it as in Encode (the missing entries are
        // never read, so their values do not count).
        int atoms = dictionary.RowCount;
        var scale = new LinearScale(
            Rescaling.Exponent(Rescaling.MaxAbs(dictionary), -LinearScale.Band, LinearScale.Band),
            Rescaling.Exponent(observedMax, -LinearScale.Band, LinearScale.Band));
        var d = MatrixStorage.ColumnMajor(Rescaling.Scaled(dictionary, scale.X));
        if (scale.Y != 0)
        {
            xs = Rescaling.ScaledCopy(xs, scale.Y);
        }

        var scaledCoder = coder.For(scale);
        var codes = new double[(long)atoms * samples];
        ForChunks(samples, scaledCoder, CodeMasked, cancellationToken);
        coder.Unscale(scale, codes);
        return MatrixStorage.FromColumnMajor(atoms, samples, codes).Transpose();

        void CodeMasked(int s, Workspace workspace)
        {
            // The dictionary restricted to the observed features (atoms × observed) and the observed entries of the signal.
            int observed = observedCount[s];
            var sub = workspace.SubDictionary(atoms * observed);
            var signal = workspace.Signal(observed);
            int o = 0;
            for (int j = 0; j < features; j++)
            {
                if (ms[s + (j * samples)] == 1.0)
                {
                    d.AsSpan(j * atoms, atoms).CopyTo(sub.Slice(o * atoms, atoms));
                    signal[o++] = xs[s + (j * samples)];
                }
            }

            var gram = coder.Algorithm == SparseCodingAlgorithm.Threshold ? [] : workspace.Gram(atoms * atoms);
            if (gram.Length > 0)
            {
                Gemm.Multiply(false, true, atoms, atoms, observed, 1.0, sub, atoms, sub, atoms, 0.0, gram, atoms);
            }

            var correlation = workspace.Correlation(atoms);
            Gemv.Multiply(atoms, observed, 1.0, sub, atoms, signal, 0.0, correlation);
            scaledCoder.Code(gram, correlation, Kernels.SquaredNorm(signal), observed, codes.AsSpan(s * atoms, atoms), workspace);
        }
    }

    /// <summary>
    /// At <see cref="ModelSerializer"/>'s load of a transformer that codes through this class: a saved atom count
    /// (<paramref name="name"/>, a parameter) that OMP or LARS would refuse against the saved dictionary of
    /// <paramref name="atoms"/> atoms is an <see cref="InvalidDataException"/> naming the parameter's JSON path.
    /// </summary>
    internal static void CheckSavedAtomCount(int? nonzeroCoefficients, SparseCodingAlgorithm algorithm, int atoms, string name)
    {
        if (nonzeroCoefficients is { } k && k > atoms && algorithm is SparseCodingAlgorithm.Omp or SparseCodingAlgorithm.Lars)
        {
            throw ModelReader.InvalidAt(ModelReader.Child("$.parameters", name), $"is {k}, more than the saved dictionary's {atoms} atoms");
        }
    }

    /// <summary>Checks the dictionary and the parameters against signals of <paramref name="features"/> features.</summary>
    private static Coder Prepare(
        int features,
        Matrix<double> dictionary,
        SparseCodingAlgorithm algorithm,
        int? nonzeroCoefficients,
        double? alpha,
        bool positive,
        int maxIterations)
    {
        Guard.Samples(dictionary);
        if (dictionary.ColumnCount != features)
        {
            throw new ArgumentException($"{nameof(dictionary)} has {dictionary.ColumnCount} features (columns) but the signals have {features}; they must agree.", nameof(dictionary));
        }

        Guard.Defined(algorithm);
        int atoms = dictionary.RowCount;
        if (nonzeroCoefficients is { } k && algorithm is SparseCodingAlgorithm.Omp or SparseCodingAlgorithm.Lars)
        {
            Guard.InRange(k, 1, atoms, nameof(nonzeroCoefficients));
        }

        if (alpha is { } a)
        {
            Guard.AtLeast(a, 0.0, nameof(alpha));
        }

        Guard.AtLeast(maxIterations, 1);
        if (positive && algorithm is SparseCodingAlgorithm.Omp or SparseCodingAlgorithm.Lars)
        {
            throw new ArgumentException($"{nameof(positive)} codes are not supported by {algorithm} (as scikit-learn): use {nameof(SparseCodingAlgorithm.LassoLars)}, {nameof(SparseCodingAlgorithm.LassoCd)} or {nameof(SparseCodingAlgorithm.Threshold)}.", nameof(positive));
        }

        return new Coder(algorithm, atoms, nonzeroCoefficients, alpha, positive, maxIterations);
    }

    private static void ForChunks(int samples, Coder coder, Action<int, Workspace> code, CancellationToken cancellationToken) =>
        ForChunks(
            samples,
            coder,
            (start, end, workspace) =>
            {
                for (int s = start; s < end; s++)
                {
                    code(s, workspace);
                }
            },
            cancellationToken);

    /// <summary>Hands the signals to <paramref name="code"/> in chunks (first, end), in parallel.</summary>
    private static void ForChunks(int samples, Coder coder, Action<int, int, Workspace> code, CancellationToken cancellationToken)
    {
        int chunks = (samples + Chunk - 1) / Chunk;
        using var scope = Parallelism.Enter(null, cancellationToken);
        Parallelism.For(
            chunks,
            () => new Workspace(coder),
            (chunk, workspace) => code(chunk * Chunk, Math.Min(samples, (chunk + 1) * Chunk), workspace));
    }

    /// <summary>The scratch memory of one thread.</summary>
    private sealed class Workspace(Coder coder)
    {
        private double[] _sub = [];
        private double[] _signal = [];
        private double[] _gram = [];
        private double[] _correlation = [];

        /// <summary>The OMP workspace, sized for the largest pursuit the coder can run.</summary>
        public OmpSolver.Workspace Omp { get; } = new(coder.Atoms, coder.Atoms);

        public Span<double> SubDictionary(int length) => Grow(ref _sub, length);

        public Span<double> Signal(int length) => Grow(ref _signal, length);

        /// <summary>An array of exactly <paramref name="length"/> entries (the LARS Gram source needs the array itself).</summary>
        public double[] Gram(int length)
        {
            if (_gram.Length != length)
            {
                _gram = new double[length];
            }

            return _gram;
        }

        public Span<double> Correlation(int length) => Grow(ref _correlation, length);

        private static Span<double> Grow(ref double[] buffer, int length)
        {
            if (buffer.Length < length)
            {
                buffer = new double[length];
            }

            return buffer.AsSpan(0, length);
        }
    }

    /// <summary>One signal's code from the Gram matrix and its correlations, for the chosen algorithm.</summary>
    private sealed class Coder(SparseCodingAlgorithm algorithm, int atoms, int? nonzeroCoefficients, double? alpha, bool positive, int maxIterations)
    {
        public SparseCodingAlgorithm Algorithm => algorithm;

        /// <summary>
        /// This coder for the problem rescaled by <paramref name="scale"/> (the dictionary as the design matrix, the signals as the
        /// targets of <see cref="LinearScale"/>): OMP's tolerance on the squared residual by t², the Lasso and threshold
        /// penalties by s·t; itself when nothing is rescaled.
        /// </summary>
        public Coder For(LinearScale scale) => scale.IsIdentity
            ? this
            : new Coder(algorithm, atoms, nonzeroCoefficients, algorithm switch
            {
                SparseCodingAlgorithm.Omp => alpha is { } tolerance ? scale.TargetSquared(tolerance) : null,
                SparseCodingAlgorithm.Lars => alpha,
                _ => scale.Penalty(alpha ?? 1.0),
            }, positive, maxIterations);

        /// <summary>
        /// Codes of the rescaled problem back in the caller's units, in place: c = (s/t)·c′ for the regression coders, c′/(s·t)
        /// for thresholding (a soft threshold of D·x, which scales as s·t); <see cref="ArithmeticException"/> when they leave the
        /// double range.
        /// </summary>
        public void Unscale(LinearScale scale, Span<double> codes)
        {
            if (algorithm == SparseCodingAlgorithm.Threshold)
            {
                Rescaling.CheckedInPlace(codes, -(scale.X + scale.Y), "codes");
            }
            else
            {
                scale.UnscaleCoefficients(codes);
            }
        }

        public int Atoms => atoms;

        /// <param name="gram">D·Dᵀ over the features used (atoms × atoms; unused by thresholding).</param>
        /// <param name="correlation">D·x over the features used.</param>
        /// <param name="normSquared">‖x‖² over the features used.</param>
        /// <param name="features">The number of features used (the sample count of the regression behind the code).</param>
        /// <param name="code">Receives the code (zeroed by the caller's allocation).</param>
        /// <param name="workspace">The thread's scratch memory.</param>
        public void Code(double[] gram, ReadOnlySpan<double> correlation, double normSquared, int features, Span<double> code, Workspace workspace)
        {
            int defaultCount = Math.Min(Math.Max(features / 10, 1), atoms);
            switch (algorithm)
            {
                case SparseCodingAlgorithm.Omp:
                    {
                        int count = alpha is null ? Math.Min(nonzeroCoefficients ?? defaultCount, atoms) : atoms;
                        OmpSolver.SolveGram(gram, atoms, atoms, correlation, normSquared, count, alpha, code, workspace.Omp);
                        break;
                    }

                case SparseCodingAlgorithm.Lars:
                case SparseCodingAlgorithm.LassoLars:
                    {
                        bool lar = algorithm == SparseCodingAlgorithm.Lars;
                        var settings = new LarsSolver.Settings(
                            lar ? LarsMethod.Lar : LarsMethod.Lasso,
                            lar ? 0.0 : (alpha ?? 1.0) / features,
                            lar ? nonzeroCoefficients ?? defaultCount : maxIterations,
                            positive,
                            features,
                            null,
                            CancellationToken.None);
                        var output = LarsSolver.Solve(new PrecomputedLarsGram(gram, atoms), correlation, normSquared, settings);
                        output.Path.AsSpan((output.Knots - 1) * atoms, atoms).CopyTo(code);
                        break;
                    }

                case SparseCodingAlgorithm.LassoCd:
                    code.Clear();
                    GramCoordinateDescent.Solve(gram, correlation, normSquared, atoms, code, CoordinateDescentSettings(features));
                    break;

                default:
                    if (positive)
                    {
                        Kernels.NonNegativeSoftThreshold(correlation, alpha ?? 1.0, code);
                    }
                    else
                    {
                        Kernels.SoftThreshold(correlation, alpha ?? 1.0, code);
                    }

                    break;
            }
        }

        /// <summary>The settings of <see cref="SparseCodingAlgorithm.LassoCd"/> for signals of <paramref name="features"/> features.</summary>
        public CoordinateDescentSolver.Settings CoordinateDescentSettings(int features) => new(
            L1: alpha ?? 1.0,
            L2: 0.0,
            Positive: positive,
            MaxIterations: maxIterations,
            Tolerance: CoordinateDescentTolerance,
            Random: null,
            OnIteration: null,
            Rows: features,
            CancellationToken: CancellationToken.None);
    }
}
