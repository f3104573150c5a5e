// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Manifold;

/// <summary>
/// t-distributed stochastic neighbour embedding (van der Maaten and Hinton, "Visualizing data using t-SNE", JMLR 9, 2008),
/// with scikit-learn's parameters and schedule: minimises KL(P ‖ Q) between Gaussian similarities P of the samples (each
/// sample's bandwidth set by <see cref="Perplexity"/>) and Student-t similarities Q of their embedding, by gradient descent
/// with momentum and per-coordinate gains after a phase of early exaggeration.
/// </summary>
/// <remarks>
/// <para>
/// <b>Affinities.</b> For every sample the 3·<see cref="Perplexity"/> nearest neighbours (exact search below 10,000 samples,
/// random-projection trees with neighbour-of-neighbour refinement above; <see cref="Neighbors"/>), p_{j|i} ∝ exp(−β_i·d²_ij)
/// with β_i bisected to the perplexity, P = (P_cond + P_condᵀ)/Σ sparse; <see cref="TSneMethod.Exact"/> uses every pair and
/// floors P at machine ε, as scikit-learn. The bisection runs on each sample's distances relative to their mean, so P — and
/// the whole fit — does not depend on the units of the data (a fit on c·X is the fit on X: bit for bit when c is a power of
/// two, to rounding otherwise).
/// </para>
/// <para>
/// <b>Optimisation.</b> <see cref="EarlyExaggerationIterations"/> iterations with P × <see cref="EarlyExaggeration"/> and
/// momentum 0.5, then P × <see cref="Exaggeration"/> and momentum 0.8 up to <see cref="MaxIterations"/> in all; step
/// <see cref="LearningRate"/> (scikit-learn's 'auto': max(n / early exaggeration / 4, 50)); gains +0.2 / ×0.8, at least 0.01.
/// Every 50 iterations the divergence is checked: a phase stops when it has not improved for
/// <see cref="MaxIterationsWithoutProgress"/> iterations (250 in the early phase, as scikit-learn) or when the gradient norm is
/// at most <see cref="MinGradientNorm"/>. The gradient is exact, Barnes–Hut (van der Maaten, JMLR 15, 2014) or FFT-accelerated
/// interpolation (Linderman et al., Nature Methods 16, 2019) by <see cref="Method"/>; for any of them the result does not
/// depend on <see cref="Estimator.MaxDegreeOfParallelism"/>.
/// </para>
/// <para>
/// <b>Beyond scikit-learn.</b> <see cref="Transform"/> places new samples into the fitted embedding with the training
/// embedding fixed (openTSNE's <c>transform</c>); the late <see cref="Exaggeration"/>, the length of the early phase and the
/// <see cref="DegreesOfFreedom"/> of the t kernel are settable; <see cref="TSneMethod.Auto"/> picks the method by size.
/// The fitted model keeps the training data (for <see cref="Transform"/>), so <see cref="ModelSerializer"/> saves it too.
/// </para>
/// <code>
/// var tsne = new TSne { Perplexity = 30, RandomSeed = 0 };
/// Matrix&lt;double&gt; embedding = tsne.FitTransform(x);        // samples × 2
/// double score = Trustworthiness.Compute(x, embedding, 10);
/// Matrix&lt;double&gt; placed = tsne.Transform(newSamples);     // new samples in the same map
/// </code>
/// </remarks>
public sealed class TSne : IterativeEstimator, IEmbedding, IRandomized
{
    /// <summary>From this many samples <see cref="TSneMethod.Auto"/> and <see cref="TSneNeighbors.Auto"/> switch to their large-data choices.</summary>
    public const int LargeSampleCount = 10_000;

    /// <summary>The per-point gradient norm above which a transform's gradient is scaled down (openTSNE's <c>max_grad_norm</c>).</summary>
    private const double TransformMaxGradientNorm = 0.25;

    /// <summary>The standard deviation of the random start and of the first principal component (scikit-learn's 10⁻⁴).</summary>
    private const double StartScale = 1e-4;

    /// <summary>Creates a t-SNE estimator with scikit-learn's defaults.</summary>
    public TSne()
    {
    }

    /// <summary>The dimension of the embedding (default 2, ≥ 1 and at most the number of samples).</summary>
    public int ComponentCount { get; set; } = 2;

    /// <summary>The perplexity of each sample's neighbour distribution, a smooth number of neighbours (default 30, &gt; 0 and below the number of samples).</summary>
    public double Perplexity { get; set; } = 30.0;

    /// <summary>The factor of P during the early phase (default 12, &gt; 0).</summary>
    public double EarlyExaggeration { get; set; } = 12.0;

    /// <summary>The iterations of the early-exaggeration phase (default 250, ≥ 0; a phase longer than <see cref="MaxIterations"/> ends there).</summary>
    public int EarlyExaggerationIterations { get; set; } = 250;

    /// <summary>The factor of P after the early phase (default 1, no exaggeration; openTSNE's <c>exaggeration</c>, &gt; 0).</summary>
    public double Exaggeration { get; set; } = 1.0;

    /// <summary>The step size (default null: scikit-learn's 'auto', max(n / <see cref="EarlyExaggeration"/> / 4, 50); &gt; 0 when set).</summary>
    public double? LearningRate { get; set; }

    /// <summary>The most iterations, both phases together (default 1000, ≥ 1).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The iterations after the early phase without a lower divergence after which the fit stops (default 300, ≥ 1; scikit-learn's <c>n_iter_without_progress</c>).</summary>
    public int MaxIterationsWithoutProgress { get; set; } = 300;

    /// <summary>The gradient norm at or below which the fit stops (default 10⁻⁷, ≥ 0).</summary>
    public double MinGradientNorm { get; set; } = 1e-7;

    /// <summary>How the gradient is computed (default <see cref="TSneMethod.Auto"/>).</summary>
    public TSneMethod Method { get; set; } = TSneMethod.Auto;

    /// <summary>The Barnes–Hut accuracy θ: a cell of side s at distance d is summarised when s &lt; θ·d (default 0.5, in [0, 1]; 0 is exact).</summary>
    public double Angle { get; set; } = 0.5;

    /// <summary>How the neighbours of P are found (default <see cref="TSneNeighbors.Auto"/>).</summary>
    public TSneNeighbors Neighbors { get; set; } = TSneNeighbors.Auto;

    /// <summary>The start of the embedding (default <see cref="TSneInit.Pca"/>, as scikit-learn 1.2).</summary>
    public TSneInit Init { get; set; } = TSneInit.Pca;

    /// <summary>The start for <see cref="TSneInit.Custom"/>: samples × <see cref="ComponentCount"/>, finite, used as given (copied); not saved by <see cref="ModelSerializer"/>.</summary>
    public Matrix<double>? InitialEmbedding { get; set; }

    /// <summary>The degrees of freedom ν of the Student-t kernel of Q (default null: max(<see cref="ComponentCount"/> − 1, 1), as scikit-learn; &gt; 0 when set; smaller ν, heavier tails).</summary>
    public double? DegreesOfFreedom { get; set; }

    /// <inheritdoc/>
    public int? RandomSeed { get; set; }

    /// <summary>The perplexity of a new sample's distribution over the training samples in <see cref="Transform"/> (default 5, as openTSNE; &gt; 0).</summary>
    public double TransformPerplexity { get; set; } = 5.0;

    /// <summary>The iterations of <see cref="Transform"/> (default 250, as openTSNE; ≥ 0, 0 leaves each new sample at the P-weighted mean of its neighbours).</summary>
    public int TransformMaxIterations { get; set; } = 250;

    /// <summary>The step size of <see cref="Transform"/> (default 0.1, as openTSNE; &gt; 0).</summary>
    public double TransformLearningRate { get; set; } = 0.1;

    /// <summary>The factor of the new samples' P in <see cref="Transform"/> (default 1.5, as openTSNE; &gt; 0).</summary>
    public double TransformExaggeration { get; set; } = 1.5;

    /// <summary>Called after every iteration with the divergence, the gradient norm and (on demand) the embedding.</summary>
    public Action<TSneIterationInfo>? OnIteration { get; set; }

    /// <summary>t-SNE runs its iteration budget by design (scikit-learn warns neither): no non-convergence warning.</summary>
    private protected override bool ReportsConvergence => false;

    /// <summary>The embedding of the training samples, samples × <see cref="ComponentCount"/> (a copy).</summary>
    /// <exception cref="InvalidOperationException">The estimator has not been fitted.</exception>
    public Matrix<double> Embedding
    {
        get
        {
            var state = Fitted<TSneState>(nameof(Embedding));
            return MatrixStorage.FromColumnMajor(state.SampleCount, state.ComponentCount, (double[])state.Embedding.Clone());
        }
    }

    /// <summary>KL(P ‖ Q) at the fitted embedding (with Barnes–Hut and FFT interpolation, their approximate normaliser Z), scikit-learn's <c>kl_divergence_</c>.</summary>
    /// <exception cref="InvalidOperationException">The estimator has not been fitted.</exception>
    public double KlDivergence => Fitted<TSneState>(nameof(KlDivergence)).KlDivergence;

    /// <summary>The method the fit used (what <see cref="TSneMethod.Auto"/> chose).</summary>
    /// <exception cref="InvalidOperationException">The estimator has not been fitted.</exception>
    public TSneMethod EffectiveMethod => Fitted<TSneState>(nameof(EffectiveMethod)).Method;

    /// <summary>The step size the fit used (scikit-learn's <c>learning_rate_</c>).</summary>
    /// <exception cref="InvalidOperationException">The estimator has not been fitted.</exception>
    public double EffectiveLearningRate => Fitted<TSneState>(nameof(EffectiveLearningRate)).LearningRate;

    /// <summary>Embeds the rows of <paramref name="x"/>.</summary>
    /// <param name="x">Samples × features, finite, at least 2 samples; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations and blocks of work; a previous embedding is then kept.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has one sample or a NaN/±∞ entry; or <see cref="InitialEmbedding"/> is missing or of the wrong shape for <see cref="TSneInit.Custom"/>; or <see cref="Method"/> does not embed in <see cref="ComponentCount"/> dimensions.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (<see cref="Perplexity"/> not below the number of samples, ...).</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    /// <exception cref="ArithmeticException">The optimisation diverged (a non-finite divergence or gradient).</exception>
    public TSne Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        FitEmbedding(x, cancellationToken);
        return this;
    }

    /// <inheritdoc cref="Fit(Matrix{double}, CancellationToken)"/>
    IEmbedding IEmbedding.Fit(Matrix<double> x, CancellationToken cancellationToken) => Fit(x, cancellationToken);

    /// <summary>Embeds the rows of <paramref name="x"/> and returns the embedding (<see cref="Embedding"/>).</summary>
    /// <param name="x">Samples × features, finite, at least 2 samples; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit.</param>
    /// <returns>The embedding, samples × <see cref="ComponentCount"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit(Matrix{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    /// <exception cref="ArithmeticException">The optimisation diverged.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default) => FitEmbedding(x, cancellationToken);

    /// <summary>
    /// Places new samples into the fitted embedding, the training embedding fixed (openTSNE's <c>transform</c>): each new sample
    /// gets a distribution over its 3·<see cref="TransformPerplexity"/> nearest training samples (exact search), starts at their
    /// P-weighted mean, and moves for <see cref="TransformMaxIterations"/> iterations (momentum 0.8, step
    /// <see cref="TransformLearningRate"/>, P × <see cref="TransformExaggeration"/>, each sample's gradient capped at norm 0.25)
    /// under attraction to its neighbours and repulsion from all training samples (Barnes–Hut with <see cref="Angle"/>, exact for
    /// a model fitted with <see cref="TSneMethod.Exact"/>). New samples do not interact: each one's place is the same whatever
    /// else is transformed with it.
    /// </summary>
    /// <param name="newPoints">Samples × the training features, finite; not modified.</param>
    /// <returns>Their embedding, samples × <see cref="ComponentCount"/>.</returns>
    /// <exception cref="InvalidOperationException">The estimator has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="newPoints"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="newPoints"/> is empty, has the wrong number of columns or a NaN/±∞ entry.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A transform parameter is out of range.</exception>
    public Matrix<double> Transform(Matrix<double> newPoints)
    {
        using var scope = BeginWork();
        var state = Fitted<TSneState>(nameof(Transform));
        ValidateParameters();
        Guard.Samples(newPoints);
        Guard.ColumnCount(newPoints, state.FeatureCount);
        int n = state.SampleCount, c = state.ComponentCount, m = newPoints.RowCount, d = state.FeatureCount;

        // One power of two for both sets, so that their distances keep their ratios (the affinities do not depend on the units).
        var queries = MatrixStorage.ColumnMajor(newPoints);
        int e = Rescaling.Exponent(Math.Max(Rescaling.MaxAbs(state.TrainingData), Rescaling.MaxAbs(queries)), 0, 0);
        var reference = new PointSet(Rescaling.ScaledCopy(state.TrainingData, e), n, d);
        var points = new PointSet(Rescaling.ScaledCopy(queries, e), m, d);
        int k = Math.Min(n, (int)Math.Min(n, (3.0 * TransformPerplexity) + 1.0));
        var graph = ExactNeighbors.Search(reference, points, k, self: false);
        var p = Affinities.Conditional(graph, TransformPerplexity);

        var embedded = new double[n * c];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < c; a++)
            {
                embedded[(i * c) + a] = state.Embedding[(a * n) + i];
            }
        }

        var y = new double[m * c];
        for (int i = 0; i < m; i++)
        {
            for (int s = 0; s < k; s++)
            {
                double weight = p[(i * k) + s];
                int j = graph.Indices[(i * k) + s];
                for (int a = 0; a < c; a++)
                {
                    y[(i * c) + a] += weight * embedded[(j * c) + a];
                }
            }
        }

        if (TransformMaxIterations > 0)
        {
            var kernel = new StudentT(state.DegreesOfFreedom);
            double angle = state.Method == TSneMethod.Exact ? 0.0 : Angle;
            var gradient = new TransformGradient(embedded, c, graph.Indices, p, k, kernel, angle);
            var phases = new[] { new TSneSolver.Phase(TransformMaxIterations, TransformExaggeration, 0.8, TransformMaxIterations) };
            TSneSolver.Run(gradient, y, c, new TSneSolver.Settings(TransformLearningRate, MinGradientNorm, phases, null, TransformMaxGradientNorm));
        }

        return Matrix<double>.Build.Dense(m, c, (i, a) => y[(i * c) + a]);
    }

    private protected override EstimatorState ReadState(ModelReader reader) => TSneState.Read(reader);

    private protected override void ValidateParameters()
    {
        Guard.AtLeast(ComponentCount, 1, nameof(ComponentCount));
        Guard.GreaterThan(Perplexity, 0.0, nameof(Perplexity));
        Guard.GreaterThan(EarlyExaggeration, 0.0, nameof(EarlyExaggeration));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(EarlyExaggerationIterations, 0, nameof(EarlyExaggerationIterations));
        Guard.GreaterThan(Exaggeration, 0.0, nameof(Exaggeration));
        if (LearningRate is { } rate)
        {
            Guard.GreaterThan(rate, 0.0, nameof(LearningRate));
        }

        Guard.AtLeast(MaxIterationsWithoutProgress, 1, nameof(MaxIterationsWithoutProgress));
        Guard.AtLeast(MinGradientNorm, 0.0, nameof(MinGradientNorm));
        Guard.Defined(Method, nameof(Method));
        Guard.InRange(Angle, 0.0, 1.0, nameof(Angle));
        Guard.Defined(Neighbors, nameof(Neighbors));
        Guard.Defined(Init, nameof(Init));
        if (DegreesOfFreedom is { } nu)
        {
            Guard.GreaterThan(nu, 0.0, nameof(DegreesOfFreedom));
        }

        Guard.GreaterThan(TransformPerplexity, 0.0, nameof(TransformPerplexity));
        Guard.AtLeast(TransformMaxIterations, 0, nameof(TransformMaxIterations));
        Guard.GreaterThan(TransformLearningRate, 0.0, nameof(TransformLearningRate));
        Guard.GreaterThan(TransformExaggeration, 0.0, nameof(TransformExaggeration));
        if ((Method == TSneMethod.BarnesHut && ComponentCount > 3) || (Method == TSneMethod.FftInterpolation && ComponentCount > 2))
        {
            throw new ArgumentException(
                $"{nameof(Method)} {Method} embeds in at most {(Method == TSneMethod.BarnesHut ? 3 : 2)} dimensions, but {nameof(ComponentCount)} is {ComponentCount}.",
                nameof(Method));
        }
    }

    private Matrix<double> FitEmbedding(Matrix<double> x, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        int n = x.RowCount, d = x.ColumnCount;
        if (n < 2)
        {
            throw new ArgumentException($"{nameof(x)} has 1 sample; t-SNE needs at least 2.", nameof(x));
        }

        if (!(Perplexity < n))
        {
            throw Guard.OutOfRange(nameof(Perplexity), $"{nameof(Perplexity)} must be less than the number of samples, {n} (was {Perplexity.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}).");
        }

        Guard.InRange(ComponentCount, 1, n, nameof(ComponentCount));
        int c = ComponentCount;
        if (Init == TSneInit.Custom)
        {
            var start = InitialEmbedding ?? throw Invalid($"{nameof(Init)} is {nameof(TSneInit.Custom)} but {nameof(InitialEmbedding)} is null.", nameof(InitialEmbedding));
            if (start.RowCount != n || start.ColumnCount != c)
            {
                throw Invalid($"{nameof(InitialEmbedding)} is {start.RowCount}×{start.ColumnCount} but must be {n}×{c} (samples × {nameof(ComponentCount)}).", nameof(InitialEmbedding));
            }

            Guard.Finite(start, nameof(InitialEmbedding));
        }

        var method = Method != TSneMethod.Auto ? Method
            : c > 3 ? TSneMethod.Exact
            : c == 3 || n < LargeSampleCount ? TSneMethod.BarnesHut
            : TSneMethod.FftInterpolation;
        ulong seed = (ulong)(RandomSeed ?? System.Random.Shared.Next());

        // The data at unit scale (largest |entry| in [1, 2)): exact, and nothing below depends on the units.
        var data = MatrixStorage.ColumnMajor(x);
        var points = new PointSet(Rescaling.ScaledCopy(data, Rescaling.Exponent(Rescaling.MaxAbs(data), 0, 0)), n, d);
        var kernel = new StudentT(DegreesOfFreedom ?? Math.Max(c - 1, 1));
        ITSneGradient gradient;
        if (method == TSneMethod.Exact)
        {
            gradient = new ExactGradient(Affinities.JointDense(points, Perplexity), n, c, kernel);
        }
        else
        {
            int k = Math.Min(n - 1, (int)((3.0 * Perplexity) + 1.0));
            bool approximate = Neighbors == TSneNeighbors.Approximate || (Neighbors == TSneNeighbors.Auto && n >= LargeSampleCount);
            var graph = approximate ? ApproximateNeighbors.Search(points, k, seed) : ExactNeighbors.Search(points, points, k, self: true);
            var p = Affinities.Joint(graph, Affinities.Conditional(graph, Perplexity));
            gradient = method == TSneMethod.BarnesHut ? new BarnesHutGradient(p, c, kernel, Angle) : new FftGradient(p, c, kernel);
        }

        Parallelism.ThrowIfCancellationRequested();
        var y = Start(points, c, seed);
        double rate = LearningRate ?? Math.Max(n / EarlyExaggeration / 4.0, 50.0);
        int early = Math.Min(EarlyExaggerationIterations, MaxIterations);
        var phases = new[]
        {
            new TSneSolver.Phase(early, EarlyExaggeration, 0.5, Math.Max(1, EarlyExaggerationIterations)),
            new TSneSolver.Phase(MaxIterations, Exaggeration, 0.8, MaxIterationsWithoutProgress),
        };
        var result = TSneSolver.Run(gradient, y, c, new TSneSolver.Settings(rate, MinGradientNorm, phases, OnIteration));

        // The divergence of the result itself (scikit-learn reports the last one computed, before the last step).
        double divergence = gradient.Evaluate(y, new double[y.Length], 1.0, computeError: true);
        if (!double.IsFinite(divergence))
        {
            throw new ArithmeticException($"t-SNE ended with a non-finite KL divergence ({divergence}).");
        }

        var embedding = new double[n * c];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < c; a++)
            {
                embedding[(a * n) + i] = y[(i * c) + a];
            }
        }

        var state = new TSneState(embedding, n, c, (double[])data.Clone(), d, divergence, rate, method, kernel.Nu, result.Iterations, result.Converged);
        Commit(state);
        return MatrixStorage.FromColumnMajor(n, c, (double[])embedding.Clone());
    }

    /// <summary>An <see cref="ArgumentException"/> about the property <paramref name="name"/>.</summary>
    private static ArgumentException Invalid(string message, string name) => new(message, name);

    /// <summary>The starting embedding, points × <paramref name="c"/>, row-major.</summary>
    private double[] Start(PointSet points, int c, ulong seed)
    {
        int n = points.Count, d = points.Dimension;
        var y = new double[n * c];
        var random = new SplitMix64(seed);
        switch (Init)
        {
            case TSneInit.Custom:
                for (int i = 0; i < n; i++)
                {
                    for (int a = 0; a < c; a++)
                    {
                        y[(i * c) + a] = InitialEmbedding![i, a];
                    }
                }

                return y;
            case TSneInit.Random:
                for (int e = 0; e < y.Length; e++)
                {
                    y[e] = StartScale * random.NextNormal();
                }

                return y;
        }

        // scikit-learn 1.2: the PCA scores, divided by the standard deviation of the first and multiplied by 10⁻⁴; signs as
        // its svd_flip (the largest |u| of each component positive). Components the data do not have get noise of that size.
        var centred = (double[])points.ColumnMajor.Clone();
        for (int a = 0; a < d; a++)
        {
            var column = centred.AsSpan(a * n, n);
            Kernels.AddScalar(-(Kernels.Sum(column) / n), column);
        }

        int rank = Math.Min(c, Math.Min(n, d));
        var (u, s, _) = TruncatedSvd.Compute(centred, n, d, rank);
        double firstDeviation = 0.0;
        for (int a = 0; a < rank; a++)
        {
            var column = u.AsSpan(a * n, n);
            int largest = 0;
            for (int i = 1; i < n; i++)
            {
                largest = Math.Abs(column[i]) > Math.Abs(column[largest]) ? i : largest;
            }

            double sign = column[largest] < 0.0 ? -s[a] : s[a];
            double mean = 0.0;
            for (int i = 0; i < n; i++)
            {
                y[(i * c) + a] = column[i] * sign;
                mean += y[(i * c) + a];
            }

            mean /= n;
            double variance = 0.0;
            for (int i = 0; i < n; i++)
            {
                variance += (y[(i * c) + a] - mean) * (y[(i * c) + a] - mean);
            }

            double deviation = Math.Sqrt(variance / n);
            if (a == 0)
            {
                firstDeviation = deviation;
            }

            if (!(deviation > 1e-12 * firstDeviation) || firstDeviation == 0.0)
            {
                for (int i = 0; i < n; i++)
                {
                    y[(i * c) + a] = double.NaN; // replaced by noise below
                }
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < c; a++)
            {
                double v = y[(i * c) + a];
                y[(i * c) + a] = a >= rank || double.IsNaN(v) ? StartScale * random.NextNormal() : v / firstDeviation * StartScale;
            }
        }

        return y;
    }
}

/// <summary>The fitted state of a <see cref="TSne"/>: the embedding, the training data (for transforms) and the fit's figures.</summary>
/// <param name="Embedding">Samples × components, column-major.</param>
/// <param name="SampleCount">The training samples n.</param>
/// <param name="ComponentCount">The embedding's dimension.</param>
/// <param name="TrainingData">The training samples, n × features, column-major, as given.</param>
/// <param name="FeatureCount">The features.</param>
/// <param name="KlDivergence">KL(P ‖ Q) at the embedding.</param>
/// <param name="LearningRate">The step size used.</param>
/// <param name="Method">The method used (never <see cref="TSneMethod.Auto"/>).</param>
/// <param name="DegreesOfFreedom">The ν of the t kernel used.</param>
/// <param name="Iterations">The iterations run.</param>
/// <param name="Converged">Whether a stopping rule ended the fit before <see cref="TSne.MaxIterations"/>.</param>
internal sealed record TSneState(
    double[] Embedding,
    int SampleCount,
    int ComponentCount,
    double[] TrainingData,
    int FeatureCount,
    double KlDivergence,
    double LearningRate,
    TSneMethod Method,
    double DegreesOfFreedom,
    int Iterations,
    bool Converged) : IterativeState(Iterations, Converged)
{
    /// <summary>Reads and checks a saved state: n ≥ 2 finite n × components embedding and n × features data, a finite divergence, a positive rate and ν, a concrete method that embeds in that dimension.</summary>
    internal static TSneState Read(ModelReader reader)
    {
        int n = reader.Int(nameof(SampleCount), 2);
        int c = reader.Int(nameof(ComponentCount), 1);
        int d = reader.Int(nameof(FeatureCount), 1);
        var embedding = reader.Doubles(nameof(Embedding), SavedValue.Finite);
        reader.Length(nameof(Embedding), embedding.Length, (long)n * c, $"{nameof(SampleCount)} × {nameof(ComponentCount)} = {(long)n * c}");
        var data = reader.Doubles(nameof(TrainingData), SavedValue.Finite);
        reader.Length(nameof(TrainingData), data.Length, (long)n * d, $"{nameof(SampleCount)} × {nameof(FeatureCount)} = {(long)n * d}");
        double divergence = reader.Double(nameof(KlDivergence), SavedValue.Finite);
        double rate = reader.Double(nameof(LearningRate), SavedValue.FiniteNonNegative);
        if (rate == 0.0)
        {
            throw reader.Invalid(nameof(LearningRate), "must be > 0 (was 0)");
        }

        string name = reader.String(nameof(Method));
        if (!Enum.TryParse<TSneMethod>(name, ignoreCase: false, out var method) || method == TSneMethod.Auto || !Enum.IsDefined(method) || name != method.ToString())
        {
            throw reader.Invalid(nameof(Method), $"must be {nameof(TSneMethod.Exact)}, {nameof(TSneMethod.BarnesHut)} or {nameof(TSneMethod.FftInterpolation)} (was \"{name}\")");
        }

        if ((method == TSneMethod.BarnesHut && c > 3) || (method == TSneMethod.FftInterpolation && c > 2))
        {
            throw reader.Invalid(nameof(Method), $"is {method}, which does not embed in {c} dimensions");
        }

        double nu = reader.Double(nameof(DegreesOfFreedom), SavedValue.FiniteNonNegative);
        if (nu == 0.0)
        {
            throw reader.Invalid(nameof(DegreesOfFreedom), "must be > 0 (was 0)");
        }

        return new TSneState(embedding, n, c, data, d, divergence, rate, method, nu, reader.Int(nameof(Iterations), 0), reader.Bool(nameof(Converged)));
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(Embedding), Embedding);
        writer.Int(nameof(SampleCount), SampleCount);
        writer.Int(nameof(ComponentCount), ComponentCount);
        writer.Doubles(nameof(TrainingData), TrainingData);
        writer.Int(nameof(FeatureCount), FeatureCount);
        writer.Double(nameof(KlDivergence), KlDivergence);
        writer.Double(nameof(LearningRate), LearningRate);
        writer.Parameter(nameof(Method), Method);
        writer.Double(nameof(DegreesOfFreedom), DegreesOfFreedom);
        base.Write(writer);
    }
}
