// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// Non-negative matrix factorisation X ≈ W·H with W, H ≥ 0 (Lee and Seung, "Learning the parts of
/// objects by non-negative matrix factorization", Nature 1999), as scikit-learn's <c>NMF</c>:
/// multiplicative updates for any β-divergence (Lee and Seung, NIPS 2001; Févotte and Idier,
/// "Algorithms for nonnegative matrix factorization with the β-divergence", Neural Comput. 23(9),
/// 2011), coordinate descent for the Frobenius loss (Hsieh and Dhillon, KDD 2011), and HALS
/// (Cichocki and Phan, IEICE Trans. Fundamentals E92-A(3), 2009), initialised by NNDSVD (Boutsidis
/// and Gallopoulos, Pattern Recognition 41(4), 2008).
/// </summary>
/// <remarks>
/// Minimises D_β(X ‖ WH) + m·α_W·ρ·‖W‖₁ + n·α_H·ρ·‖H‖₁ + ½·m·α_W·(1 − ρ)·‖W‖²_F + ½·n·α_H·(1 − ρ)·‖H‖²_F
/// for X of n samples × m features, with ρ = <see cref="L1Ratio"/>, as scikit-learn 1.2 scales it.
/// D_β is ½‖X − WH‖²_F for β = 2, the generalised Kullback–Leibler divergence for β = 1, the
/// Itakura–Saito divergence for β = 0, and Σ (x^β + (β−1)·y^β − β·x·y^(β−1)) / (β(β−1)) otherwise.
/// <see cref="Components"/> is H (components × features); <see cref="FitTransform(Matrix{double}, CancellationToken)"/>
/// returns W (samples × components). With <see cref="NmfInit.NndsvdA"/>, the multiplicative
/// updates reproduce scikit-learn's factors to rounding, since the truncated SVD here is
/// deterministic and accurate (scikit-learn's randomized SVD is not, to about 1e-3 on the error).
/// <code>
/// var nmf = new Nmf { ComponentCount = 5, Solver = NmfSolver.MultiplicativeUpdate, Loss = NmfLoss.KullbackLeibler };
/// Matrix&lt;double&gt; w = nmf.FitTransform(x);
/// Matrix&lt;double&gt; h = nmf.Components;
/// </code>
/// </remarks>
public sealed class Nmf : ITransformer, IPersistable
{
    private NmfState? _fitted;

    /// <summary>Creates an NMF with scikit-learn 1.2's defaults (coordinate descent, Frobenius, 200 iterations, tolerance 1e-4).</summary>
    public Nmf()
    {
    }

    /// <summary>The number of components K ≥ 1; null (default) takes the number of features, as scikit-learn (or the row count of <see cref="InitialH"/> with a custom start).</summary>
    public int? ComponentCount { get; set; }

    /// <summary>The divergence minimised (default <see cref="NmfLoss.Frobenius"/>); ignored when <see cref="Beta"/> is set.</summary>
    public NmfLoss Loss { get; set; } = NmfLoss.Frobenius;

    /// <summary>Any finite β of the β-divergence, overriding <see cref="Loss"/> when set (default null). Only the multiplicative updates handle β ≠ 2; β ≤ 0 requires X &gt; 0.</summary>
    public double? Beta { get; set; }

    /// <summary>The solver (default <see cref="NmfSolver.CoordinateDescent"/>, scikit-learn's <c>'cd'</c>).</summary>
    public NmfSolver Solver { get; set; } = NmfSolver.CoordinateDescent;

    /// <summary>The initialisation; null (default) picks <see cref="NmfInit.NndsvdA"/> when K ≤ min(n, m) and <see cref="NmfInit.Random"/> otherwise, as scikit-learn 1.1+.</summary>
    public NmfInit? Init { get; set; }

    /// <summary>The most iterations (default 200, ≥ 1).</summary>
    public int MaxIterations { get; set; } = 200;

    /// <summary>
    /// The stopping tolerance ≥ 0 (default 1e-4). Multiplicative updates: every 10 iterations, stop when the
    /// error √(2·D_β) decreased by less than this fraction of its initial value; coordinate descent and
    /// HALS: stop when an iteration's projected-gradient violation is at most this fraction of the first's.
    /// 0 runs <see cref="MaxIterations"/> iterations.
    /// </summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>The regularisation strength α_W ≥ 0 of W (default 0), scaled by the feature count as in scikit-learn 1.2.</summary>
    public double AlphaW { get; set; }

    /// <summary>The regularisation strength α_H ≥ 0 of H, scaled by the sample count; null (default) uses <see cref="AlphaW"/> (scikit-learn's <c>'same'</c>).</summary>
    public double? AlphaH { get; set; }

    /// <summary>The share ρ ∈ [0, 1] of the L1 penalty in the regularisation (default 0: pure L2).</summary>
    public double L1Ratio { get; set; }

    /// <summary>The seed of random initialisation (<see cref="NmfInit.Random"/>, <see cref="NmfInit.NndsvdAr"/>) and of <see cref="Shuffle"/>; null draws a fresh seed at every fit.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>When true, coordinate descent visits the components in a random order each sweep (default false).</summary>
    public bool Shuffle { get; set; }

    /// <summary>
    /// When true, NaN entries of the data are missing values (default false: NaN is rejected like ±∞). Missing entries get
    /// weight 0 in the objective: the multiplicative updates become the weighted updates Wᵀ·(M∘…) of the observed entries
    /// only (for any β), <see cref="ReconstructionError"/> is taken over the observed entries, and
    /// <see cref="InverseTransform(Matrix{double})"/> of the codes imputes the missing entries by W·H. The start is computed
    /// from the data with the missing entries set to the mean of the observed ones. Only
    /// <see cref="NmfSolver.MultiplicativeUpdate"/> handles missing entries; coordinate descent and HALS (whose updates rest on
    /// one Gram matrix shared by all rows) reject data with NaN even when this is true. Data without NaN is fitted exactly
    /// as when this is false.
    /// </summary>
    public bool AllowMissing { get; set; }

    /// <summary>Called after every iteration of <c>Fit</c> with the β-divergence and copies of W and H (an <see cref="NmfIterationInfo"/>); setting it makes each iteration compute the divergence.</summary>
    public Action<NmfIterationInfo>? OnIteration { get; set; }

    /// <summary>The starting W (samples × components, non-negative) for <see cref="NmfInit.Custom"/>; not saved by <see cref="ModelSerializer"/>.</summary>
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

    /// <summary>√(2·D_β(X ‖ WH)) of the training data at the end of the fit, scikit-learn's <c>reconstruction_err_</c> (the Frobenius norm ‖X − WH‖ for β = 2).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double ReconstructionError => Fitted(nameof(ReconstructionError)).ReconstructionError;

    /// <summary>The number of iterations of the last fit.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public int Iterations => Fitted(nameof(Iterations)).Iterations;

    /// <summary>Whether the last fit met the <see cref="Tolerance"/> rule before <see cref="MaxIterations"/>; when false the result is the last iterate.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public bool Converged => Fitted(nameof(Converged)).Converged;

    Type IPersistable.StateType => typeof(NmfState);

    private double EffectiveBeta => BetaOf(Loss, Beta);

    /// <summary>Fits W and H to <paramref name="x"/>.</summary>
    /// <param name="x">Non-negative training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds ±∞, a negative entry or NaN (named by row and column; NaN is allowed with <see cref="AllowMissing"/> and the multiplicative updates), holds zeros with β ≤ 0, or a custom start is missing, misshapen or negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (K &gt; min(n, m) with an NNDSVD start, a β other than 2 for coordinate descent or HALS, ...).</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Nmf Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        FitCore(x, cancellationToken);
        return this;
    }

    /// <summary>Fits W and H to <paramref name="x"/> and returns W.</summary>
    /// <param name="x">Non-negative training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>W: samples × components.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        var wt = FitCore(x, cancellationToken);
        return ToMatrix(wt, x.RowCount, _fitted!.ComponentCount);
    }

    /// <summary>Solves for W ≥ 0 with the fitted H held fixed (the same solver, loss and regularisation as the fit), as scikit-learn's <c>transform</c>.</summary>
    /// <param name="x">Non-negative samples with as many columns as the training data; not modified.</param>
    /// <returns>W: samples × components.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has the wrong column count, holds NaN (unless <see cref="AllowMissing"/> with the multiplicative updates), ±∞, negative entries, or zeros with β ≤ 0.</exception>
    public Matrix<double> Transform(Matrix<double> x)
    {
        var state = Fitted(nameof(Transform));
        ValidateParameters();
        double beta = EffectiveBeta;
        var data = ValidateSamples(x, beta, AllowMissing, Solver);
        Guard.ColumnCount(x, state.FeatureCount);
        bool masked = HasMissing(data);
        int n = x.RowCount, m = x.ColumnCount, k = state.ComponentCount;
        var h = (double[])state.Components.Clone();
        var wt = new double[k * n];
        if (Solver == NmfSolver.MultiplicativeUpdate)
        {
            Array.Fill(wt, Math.Sqrt(Mean(data) / k));
        }

        var problem = new NmfProblem(data, n, m, k, beta, masked);
        Solve(problem, wt, h, Regularization(n, m), updateH: false, onIteration: null, CancellationToken.None);
        return ToMatrix(wt, n, k);
    }

    /// <summary>W·H: maps codes back to the feature space, as scikit-learn's <c>inverse_transform</c>; with <see cref="AllowMissing"/>, the codes of data with missing entries give their imputed values.</summary>
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

    void IPersistable.SetState(object state) => _fitted = (NmfState)state;

    /// <summary>The β of a loss, or <paramref name="beta"/> when set.</summary>
    internal static double BetaOf(NmfLoss loss, double? beta) => beta ?? loss switch
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
    internal static double Mean(double[] data)
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

    /// <summary>A copy of the data with its missing entries set to the mean of the observed ones, for the initialisation.</summary>
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

    private static bool HasMissing(double[] data) => double.IsNaN(Kernels.Sum(data));

    private static ArgumentOutOfRangeException OutOfRange(string paramName, object value, string message) => new(paramName, value, message);

    private static ArgumentException Invalid(string message, string paramName) => new(message, paramName);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private double[] FitCore(Matrix<double> x, CancellationToken cancellationToken)
    {
        ValidateParameters();
        double beta = EffectiveBeta;
        var data = ValidateSamples(x, beta, AllowMissing, Solver);
        int n = x.RowCount, m = x.ColumnCount;
        bool masked = HasMissing(data);
        var start = masked ? Filled(data, Mean(data)) : data;
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
        var rng = new SplitMix64((ulong)(RandomSeed ?? System.Random.Shared.Next()));
        switch (init)
        {
            case NmfInit.Random:
                NmfInitializer.Random(n, m, k, Mean(start), rng, wt, h);
                break;
            case NmfInit.Custom:
                CopyCustom(n, m, k, wt, h);
                break;
            default:
                NmfInitializer.Nndsvd(start, n, m, k, init, Mean(start), rng, wt, h);
                break;
        }

        var problem = new NmfProblem(data, n, m, k, beta, masked);
        var run = Solve(problem, wt, h, Regularization(n, m), updateH: true, OnIteration, cancellationToken);
        double error = NmfProblem.ErrorFromDivergence(problem.Divergence(wt, h), beta);
        _fitted = new NmfState(h, k, m, error, run.Iterations, run.Converged);
        return wt;
    }

    private NmfRun Solve(NmfProblem problem, double[] wt, double[] h, NmfRegularization reg, bool updateH, Action<NmfIterationInfo>? onIteration, CancellationToken cancellationToken)
    {
        var settings = new NmfRunSettings(MaxIterations, Tolerance, updateH, onIteration, cancellationToken);
        return Solver switch
        {
            NmfSolver.MultiplicativeUpdate => NmfMultiplicativeUpdate.Run(problem, wt, h, reg, settings),
            NmfSolver.CoordinateDescent => NmfCoordinateDescent.Run(problem, wt, h, reg, settings, Shuffle ? new SplitMix64((ulong)(RandomSeed ?? System.Random.Shared.Next()) ^ 0x9E3779B97F4A7C15UL) : null),
            _ => NmfHals.Run(problem, wt, h, reg, settings),
        };
    }

    private NmfRegularization Regularization(int n, int m)
    {
        return NmfRegularization.Scaled(n, m, AlphaW, AlphaH ?? AlphaW, L1Ratio);
    }

    private void ValidateParameters()
    {
        if (ComponentCount is int k)
        {
            Guard.AtLeast(k, 1, nameof(ComponentCount));
        }

        Guard.Defined(Loss, nameof(Loss));
        Guard.Defined(Solver, nameof(Solver));
        if (Init is NmfInit init)
        {
            Guard.Defined(init, nameof(Init));
        }

        if (Beta is double b && !double.IsFinite(b))
        {
            throw new ArgumentOutOfRangeException(nameof(Beta), b, $"{nameof(Beta)} must be finite (was {Format(b)}).");
        }

        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
        Guard.AtLeast(AlphaW, 0.0, nameof(AlphaW));
        if (AlphaH is double alphaH)
        {
            Guard.AtLeast(alphaH, 0.0, nameof(AlphaH));
        }

        Guard.InRange(L1Ratio, 0.0, 1.0, nameof(L1Ratio));
        if (Solver != NmfSolver.MultiplicativeUpdate && EffectiveBeta != 2.0)
        {
            throw new ArgumentOutOfRangeException(Beta is null ? nameof(Loss) : nameof(Beta), EffectiveBeta, $"The {Solver} solver handles only the Frobenius loss (β = 2) but β = {Format(EffectiveBeta)}; use {nameof(NmfSolver.MultiplicativeUpdate)}.");
        }
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

    private void CopyCustom(int n, int m, int k, double[] wt, double[] h)
    {
        var w0 = InitialW ?? throw Invalid($"{nameof(Init)} is {nameof(NmfInit.Custom)} but {nameof(InitialW)} is null.", nameof(InitialW));
        var h0 = InitialH ?? throw Invalid($"{nameof(Init)} is {nameof(NmfInit.Custom)} but {nameof(InitialH)} is null.", nameof(InitialH));
        CheckStart(w0, n, k, nameof(InitialW));
        CheckStart(h0, k, m, nameof(InitialH));
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                wt[c + (i * k)] = w0.At(i, c);
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

    internal static void CheckStart(Matrix<double> start, int rows, int cols, string name)
    {
        if (start.RowCount != rows || start.ColumnCount != cols)
        {
            throw new ArgumentException($"{name} is {start.RowCount}×{start.ColumnCount} but must be {rows}×{cols}.", name);
        }

        Guard.Finite(start, name);
        bool anyPositive = false;
        for (int j = 0; j < cols; j++)
        {
            for (int i = 0; i < rows; i++)
            {
                double v = start.At(i, j);
                if (v < 0.0)
                {
                    throw new ArgumentException($"{name} must be non-negative but has {Format(v)} at row {i}, column {j}.", name);
                }

                anyPositive |= v > 0.0;
            }
        }

        if (!anyPositive)
        {
            throw new ArgumentException($"{name} is all zeros; the factors could never leave zero.", name);
        }
    }

    private NmfState Fitted(string member) => _fitted ?? throw Guard.NotFitted(this, member);
}

/// <summary>The fitted state of <see cref="Nmf"/> as saved by <see cref="ModelSerializer"/>: H (K×m, column-major) and the fit's summary.</summary>
internal sealed record NmfState(double[] Components, int ComponentCount, int FeatureCount, double ReconstructionError, int Iterations, bool Converged);
