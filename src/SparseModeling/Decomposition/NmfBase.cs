// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// The shared shell of the non-negative matrix factorisations <see cref="Nmf"/> and <see cref="MiniBatchNmf"/>,
/// in the manner of scikit-learn's <c>_BaseNMF</c>: the divergence, the initialisation (NNDSVD family,
/// random, or a custom start), the regularisation, the tolerance, missing entries, the iteration callback,
/// the checks of the data and of the parameters, and <see cref="ReconstructionError"/>. The subclasses hold
/// only their solver's own parameters and the call into it.
/// </summary>
/// <remarks>
/// Both minimise D_β(X ‖ WH) + m·α_W·ρ·‖W‖₁ + n·α_H·ρ·‖H‖₁ + ½·m·α_W·(1 − ρ)·‖W‖²_F + ½·n·α_H·(1 − ρ)·‖H‖²_F
/// for X of n samples × m features (n the rows of the mini-batch for <see cref="MiniBatchNmf"/>), with
/// ρ = <see cref="L1Ratio"/>, as scikit-learn 1.2 scales it. <see cref="ComponentsTransformer.Components"/> is H
/// (components × features); <c>FitTransform</c> and <see cref="ComponentsTransformer.Transform"/> return W
/// (samples × components).
/// <para>
/// Sparse data: a MathNet <c>SparseMatrix</c> (compressed rows) is fitted and transformed as stored, never densified — the
/// products with X run over its stored entries, the NNDSVD start comes from the same truncated SVD
/// taken through sparse products — with the same W and H as the same data dense, to rounding. Memory O(nnz + K·(n + m)).
/// Missing entries (<see cref="AllowMissing"/>) are for dense matrices only.
/// </para>
/// <para>
/// Scale: when the largest entry of X lies outside [2^−16, 2^65), the fit (or transform) runs on X multiplied by the
/// power of four that brings it to [½, 2), with W and H each scaled by its square root and the penalties to match, and
/// the results are scaled back: the random, NNDSVD and custom starts and every solver are then equivariant — W and H of
/// c·X are those of X times √c, the error c^(β/2) times — while the NNDSVDa/NNDSVDar fills and
/// <see cref="MiniBatchNmf"/>'s start of its online statistics, which scikit-learn defines in absolute terms, act as on
/// data of unit scale. A solver whose iterate becomes NaN or ±∞ throws <see cref="ArithmeticException"/>, never
/// reporting <see cref="IterativeEstimator.Converged"/> on it.
/// </para>
/// </remarks>
public abstract class NmfBase : ComponentsTransformer
{
    private protected NmfBase()
    {
    }

    /// <summary>The divergence minimised (default <see cref="NmfLoss.Frobenius"/>); ignored when <see cref="Beta"/> is set.</summary>
    public NmfLoss Loss { get; set; } = NmfLoss.Frobenius;

    /// <summary>The largest |β| accepted by <see cref="Beta"/>.</summary>
    internal const double MaxBeta = 10.0;

    private double? _beta;

    /// <summary>
    /// The β of the β-divergence, in [−10, 10], overriding <see cref="Loss"/> when set (default null). β ≤ 0 requires X &gt; 0
    /// (on the observed entries). The range is what the updates can compute: they raise W·H to the powers β − 1 and β − 2,
    /// which for data up to 2^65 (larger data is rescaled first) stay inside the double range for |β| ≤ 10; for β &lt; 0 the
    /// smallest entries matter too, and a fit whose powers overflow throws <see cref="ArithmeticException"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN, ±∞ or outside [−10, 10].</exception>
    public double? Beta
    {
        get => _beta;
        set
        {
            if (value is double b && !(Math.Abs(b) <= MaxBeta))
            {
                throw new ArgumentOutOfRangeException(nameof(Beta), $"{nameof(Beta)} must be in [−{MaxBeta}, {MaxBeta}] (was {Format(b)}): beyond it the powers (W·H)^(β−1) of the multiplicative updates leave the double range.");
            }

            _beta = value;
        }
    }

    /// <summary>The initialisation; null (default) picks <see cref="NmfInit.NndsvdA"/> when K ≤ min(n, m) and <see cref="NmfInit.Random"/> otherwise, as scikit-learn 1.1+.</summary>
    public NmfInit? Init { get; set; }

    /// <summary>The most iterations (default 200, ≥ 1): solver iterations for <see cref="Nmf"/>, epochs (passes over the data) for <see cref="MiniBatchNmf"/>.</summary>
    public int MaxIterations { get; set; } = 200;

    /// <summary>The stopping tolerance ≥ 0 (default 1e-4); each estimator documents the rule it applies it to. 0 runs <see cref="MaxIterations"/>.</summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>The regularisation strength α_W ≥ 0 of W (default 0), scaled by the feature count as in scikit-learn 1.2.</summary>
    public double AlphaW { get; set; }

    /// <summary>The regularisation strength α_H ≥ 0 of H, scaled by the sample count (of the mini-batch); null (default) uses <see cref="AlphaW"/> (scikit-learn's <c>'same'</c>).</summary>
    public double? AlphaH { get; set; }

    /// <summary>The share ρ ∈ [0, 1] of the L1 penalty in the regularisation (default 0: pure L2).</summary>
    public double L1Ratio { get; set; }

    /// <summary>
    /// When true, NaN entries of the data are missing values (default false: NaN is rejected like ±∞). Missing entries get
    /// weight 0 in the objective: the multiplicative updates become the weighted updates Wᵀ·(M∘…) of the observed entries
    /// only (for any β), <see cref="ReconstructionError"/> and the costs are taken over the observed entries, and
    /// <see cref="ComponentsTransformer.InverseTransform(Matrix{double})"/> of the codes imputes the missing entries by W·H.
    /// The start is computed from the data with the missing entries set to the mean of the observed ones. Only the
    /// multiplicative updates handle missing entries (<see cref="Nmf"/>'s coordinate descent and HALS, whose updates rest
    /// on one Gram matrix shared by all rows, reject data with NaN even when this is true). Data without NaN is fitted
    /// exactly as when this is false.
    /// </summary>
    public bool AllowMissing { get; set; }

    /// <summary>
    /// Called after every iteration (or mini-batch step) of <c>Fit</c> with an <see cref="NmfIterationInfo"/>: the objective,
    /// the stopping measure and copies of W and H, as each estimator documents. The objective and the copies are made only
    /// when the callback reads them, and can be read only during the call; a callback that only counts iterations costs
    /// almost nothing.
    /// </summary>
    public Action<NmfIterationInfo>? OnIteration { get; set; }

    /// <summary>The starting W (samples × components, non-negative) for <see cref="NmfInit.Custom"/>; not saved by <see cref="ModelSerializer"/>.</summary>
    public Matrix<double>? InitialW { get; set; }

    /// <summary>The starting H (components × features, non-negative) for <see cref="NmfInit.Custom"/>; its row count is the component count when <see cref="ComponentsTransformer.ComponentCount"/> is null; not saved by <see cref="ModelSerializer"/>.</summary>
    public Matrix<double>? InitialH { get; set; }

    /// <summary>√(2·D_β(X ‖ WH)) of the training data at the end of the last fit, scikit-learn's <c>reconstruction_err_</c> (the Frobenius norm ‖X − WH‖ for β = 2), over the observed entries.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double ReconstructionError => Fitted<NmfState>(nameof(ReconstructionError)).ReconstructionError;

    /// <summary>The β in use: <see cref="Beta"/>, or that of <see cref="Loss"/>.</summary>
    private protected double EffectiveBeta => BetaOf(Loss, Beta);

    /// <summary>The β of a loss, or <paramref name="beta"/> when set.</summary>
    private static double BetaOf(NmfLoss loss, double? beta) => beta ?? loss switch
    {
        NmfLoss.Frobenius => 2.0,
        NmfLoss.KullbackLeibler => 1.0,
        _ => 0.0,
    };

    /// <summary>Wᵀ (K×n column-major) as the n×K matrix W.</summary>
    internal static Matrix<double> ToMatrix(double[] wt, int n, int k)
    {
        var w = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                w[i + (c * n)] = wt[c + (i * k)];
            }
        }

        return MatrixStorage.FromColumnMajor(n, k, w);
    }

    /// <summary>The mean of the entries (of the observed entries when some are missing; 0 when none is observed).</summary>
    internal static double Mean(ReadOnlySpan<double> data)
    {
        double sum = Kernels.Sum(data);
        if (!double.IsNaN(sum))
        {
            return sum / data.Length;
        }

        sum = 0.0;
        long observed = 0;
        foreach (double v in data)
        {
            if (!double.IsNaN(v))
            {
                sum += v;
                observed++;
            }
        }

        return observed == 0 ? 0.0 : sum / observed;
    }

    /// <summary>Whether the data holds a missing (NaN) entry.</summary>
    internal static bool HasMissing(ReadOnlySpan<double> data) => double.IsNaN(Kernels.Sum(data));

    /// <summary>
    /// Checks x as <see cref="ValidateSamples"/> does and returns it as an <see cref="NmfInput"/>: a compressed-row sparse
    /// matrix (MathNet's <c>SparseMatrix</c>) stays sparse, checked on its stored entries (structure, finite, non-negative;
    /// with β ≤ 0 every entry must be stored and positive); missing entries (NaN, <paramref name="allowMissing"/>) are
    /// for dense matrices only.
    /// </summary>
    internal static NmfInput ValidateInput(Matrix<double> x, double beta, bool allowMissing = false, NmfSolver solver = NmfSolver.MultiplicativeUpdate)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (SparseStorage.Of(x) is not { } storage)
        {
            return NmfInput.OfDense(ValidateSamples(x, beta, allowMissing, solver), x.RowCount, x.ColumnCount);
        }

        if (allowMissing && SparseStorage.Defect(storage) is null && SparseStorage.FirstNonFinite(storage) is { } bad && double.IsNaN(bad.Value))
        {
            throw new ArgumentException($"{nameof(x)} is a sparse matrix with NaN at row {bad.Row}, column {bad.Column}: missing entries ({nameof(AllowMissing)}) are supported for dense matrices only (in a sparse matrix an entry that is not stored is a zero, not a missing value). Pass a dense matrix, or store a value there.", nameof(x));
        }

        Guard.Samples(x);
        var pointers = storage.RowPointers;
        var columns = storage.ColumnIndices;
        var values = storage.Values;
        for (int i = 0; i < x.RowCount; i++)
        {
            for (int e = pointers[i]; e < pointers[i + 1]; e++)
            {
                if (values[e] < 0.0)
                {
                    throw new ArgumentException($"{nameof(x)} must be non-negative but has {Format(values[e])} at row {i}, column {columns[e]}.", nameof(x));
                }

                if (beta <= 0.0 && values[e] == 0.0)
                {
                    throw new ArgumentException($"{nameof(x)} has a zero at row {i}, column {columns[e]} (stored); with β = {Format(beta)} ≤ 0 the divergence is undefined there and the solver may diverge. Add a small value to x or use β > 0.", nameof(x));
                }
            }

            if (beta <= 0.0 && pointers[i + 1] - pointers[i] < x.ColumnCount)
            {
                int column = FirstAbsent(columns.AsSpan(pointers[i], pointers[i + 1] - pointers[i]), x.ColumnCount);
                throw new ArgumentException($"{nameof(x)} has a zero at row {i}, column {column} (not stored in the sparse matrix); with β = {Format(beta)} ≤ 0 the divergence is undefined at zeros, so every entry must be stored and positive. Add a small value to x or use β > 0.", nameof(x));
            }
        }

        return NmfInput.OfSparse(new NmfSparseData(storage));
    }

    /// <summary>The smallest column in [0, <paramref name="count"/>) absent from <paramref name="stored"/> (distinct indices, fewer than count).</summary>
    private static int FirstAbsent(ReadOnlySpan<int> stored, int count)
    {
        var present = new bool[count];
        foreach (int c in stored)
        {
            present[c] = true;
        }

        return Array.IndexOf(present, false);
    }

    /// <summary>
    /// Checks x (finite or, with <paramref name="allowMissing"/> and the multiplicative updates, NaN;
    /// non-negative; no zeros when β ≤ 0) and returns its column-major storage (not a copy for dense
    /// matrices: read only).
    /// </summary>
    internal static double[] ValidateSamples(Matrix<double> x, double beta, bool allowMissing = false, NmfSolver solver = NmfSolver.MultiplicativeUpdate)
    {
        if (!allowMissing)
        {
            Guard.Samples(x);
        }
        else
        {
            ArgumentNullException.ThrowIfNull(x);
            if (x.RowCount == 0 || x.ColumnCount == 0)
            {
                throw new ArgumentException($"{nameof(x)} is empty ({x.RowCount}×{x.ColumnCount}); at least one row and one column are needed.", nameof(x));
            }
        }

        var data = MatrixStorage.ColumnMajor(x);
        int rows = x.RowCount;
        if (allowMissing)
        {
            for (int i = 0; i < data.Length; i++)
            {
                if (double.IsInfinity(data[i]))
                {
                    throw new ArgumentException($"{nameof(x)} must be finite or NaN (missing) but has {Format(data[i])} at row {i % rows}, column {i / rows}.", nameof(x));
                }
            }

            int missing = Array.FindIndex(data, double.IsNaN);
            if (missing >= 0 && solver != NmfSolver.MultiplicativeUpdate)
            {
                throw new ArgumentException($"{nameof(x)} has a missing (NaN) entry at row {missing % rows}, column {missing / rows}, but only the {nameof(NmfSolver.MultiplicativeUpdate)} solver handles missing entries (the solver is {solver}).", nameof(x));
            }
        }

        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] < 0.0)
            {
                throw new ArgumentException($"{nameof(x)} must be non-negative but has {Format(data[i])} at row {i % rows}, column {i / rows}.", nameof(x));
            }
        }

        if (beta <= 0.0)
        {
            int zero = Array.IndexOf(data, 0.0);
            if (zero >= 0)
            {
                throw new ArgumentException($"{nameof(x)} has a zero at row {zero % rows}, column {zero / rows}; with β = {Format(beta)} ≤ 0 the divergence is undefined there and the solver may diverge. Add a small value to x or use β > 0.", nameof(x));
            }
        }

        return data;
    }

    /// <summary>
    /// Throws <see cref="ArithmeticException"/> unless every entry of <paramref name="factor"/> (<paramref name="what"/>) is
    /// finite: the end-of-fit check of the NMF solvers, whose stopping tests compare NaN as false.
    /// </summary>
    internal static void EnsureFinite(ReadOnlySpan<double> factor, string what, double beta)
    {
        int at = Kernels.IndexOfNonFinite(factor);
        if (at >= 0)
        {
            throw NmfProblem.Diverged($"{what} has {factor[at]} at storage index {at}", beta);
        }
    }

    /// <summary>Checks the parameters shared by the NMF estimators; the subclasses check their own after this.</summary>
    private protected void ValidateNmfParameters()
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
            throw Guard.OutOfRange(nameof(Beta), $"{nameof(Beta)} must be finite (was {Format(b)}).");
        }

        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
        Guard.AtLeast(AlphaW, 0.0, nameof(AlphaW));
        if (AlphaH is double alphaH)
        {
            Guard.AtLeast(alphaH, 0.0, nameof(AlphaH));
        }

        Guard.InRange(L1Ratio, 0.0, 1.0, nameof(L1Ratio));
    }

    /// <summary>The regularisation of a problem of <paramref name="n"/> samples and <paramref name="m"/> features.</summary>
    private protected NmfRegularization Regularization(int n, int m) => NmfRegularization.Scaled(n, m, AlphaW, AlphaH ?? AlphaW, L1Ratio);

    /// <summary>
    /// K, Wᵀ (K×n) and H (K×m) at the start, from <see cref="Init"/>: NNDSVD and random starts are computed from the data
    /// with its missing entries (if any) set to the mean of the observed ones (sparse data: NNDSVD from the sparse truncated
    /// SVD, never densified); a custom start is checked and copied
    /// (<see cref="InitialW"/> only when <paramref name="requireW"/>).
    /// </summary>
    private protected (int K, double[] Wt, double[] H) Initialize(NmfInput data, bool requireW, ulong seed, NmfScale scale = default)
    {
        int n = data.N, m = data.M;
        var start = data.Dense is { } dense && data.Masked ? Filled(dense, Mean(dense)) : data.Dense;
        double mean = start is null ? data.Mean : Mean(start);
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
        var rng = new SplitMix64(seed);
        switch (init)
        {
            case NmfInit.Random:
                NmfInitializer.Random(n, m, k, mean, rng, wt, h);
                break;
            case NmfInit.Custom:
                // Given in the caller's units; the data may have been rescaled (see NmfScale).
                CopyCustom(n, m, k, wt, h, requireW);
                scale.Factor(wt);
                scale.Factor(h);
                break;
            default:
                if (data.Sparse is { } sparse)
                {
                    NmfInitializer.Nndsvd(sparse, k, init, mean, rng, wt, h);
                }
                else
                {
                    NmfInitializer.Nndsvd(start!, n, m, k, init, mean, rng, wt, h);
                }

                break;
        }

        return (k, wt, h);
    }

    private static ArgumentOutOfRangeException OutOfRange(string paramName, object value, string message) => new(paramName, value, message);

    private static ArgumentException Invalid(string message, string paramName) => new(message, paramName);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A copy of the data with its missing entries set to <paramref name="mean"/>, for the initialisation.</summary>
    private static double[] Filled(double[] data, double mean)
    {
        var filled = (double[])data.Clone();
        for (int i = 0; i < filled.Length; i++)
        {
            if (double.IsNaN(filled[i]))
            {
                filled[i] = mean;
            }
        }

        return filled;
    }

    private void CopyCustom(int n, int m, int k, double[] wt, double[] h, bool requireW)
    {
        var w0 = requireW ? InitialW ?? throw Invalid($"{nameof(Init)} is {nameof(NmfInit.Custom)} but {nameof(InitialW)} is null.", nameof(InitialW)) : null;
        var h0 = InitialH ?? throw Invalid($"{nameof(Init)} is {nameof(NmfInit.Custom)} but {nameof(InitialH)} is null.", nameof(InitialH));
        if (w0 is not null)
        {
            CheckStart(w0, n, k, nonNegative: true, nameof(InitialW));
        }

        CheckStart(h0, k, m, nonNegative: true, nameof(InitialH));
        if (w0 is not null)
        {
            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < k; c++)
                {
                    wt[c + (i * k)] = w0.At(i, c);
                }
            }
        }

        for (int j = 0; j < m; j++)
        {
            for (int c = 0; c < k; c++)
            {
                h[c + (j * k)] = h0.At(c, j);
            }
        }
    }
}

/// <summary>The fitted state of an NMF estimator as saved by <see cref="ModelSerializer"/>: H (K×m, column-major) and the fit's summary; <see cref="MiniBatchNmf"/> derives its own.</summary>
/// <param name="Components">H, K×m column-major.</param>
/// <param name="ComponentCount">K.</param>
/// <param name="FeatureCount">m.</param>
/// <param name="ReconstructionError">√(2·D_β) of the training data.</param>
/// <param name="Iterations">The iterations (epochs) of the fit.</param>
/// <param name="Converged">Whether the stopping rule was met.</param>
internal record NmfState(double[] Components, int ComponentCount, int FeatureCount, double ReconstructionError, int Iterations, bool Converged)
    : ComponentsState(Components, ComponentCount, FeatureCount, Iterations, Converged)
{
    /// <summary>Reads and checks a saved state: K×m finite non-negative components, an error ≥ 0 (or NaN: not measured), iterations ≥ 0.</summary>
    internal static NmfState Read(ModelReader reader)
    {
        var (components, k, m) = ReadComponents(reader, SavedValue.FiniteNonNegative);
        double error = reader.Double(nameof(ReconstructionError), SavedValue.Any);
        if (error < 0.0)
        {
            throw reader.Invalid(nameof(ReconstructionError), $"must be ≥ 0 or \"NaN\" (not measured) (was {ModelReader.Format(error)})");
        }

        return new NmfState(components, k, m, error, reader.Int(nameof(Iterations), 0), reader.Bool(nameof(Converged)));
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Double(nameof(ReconstructionError), ReconstructionError);
        base.Write(writer);
    }
}
