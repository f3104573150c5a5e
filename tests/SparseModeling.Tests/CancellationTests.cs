// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using SparseModeling.Imaging;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;
using SparseModeling.Manifold;

namespace SparseModeling.Tests;

/// <summary>The collection of tests that time something or change global settings: run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Timing
{
    public const string Name = "Timing";
}

/// <summary>
/// Cancellation arrives promptly whatever the size: every iterative estimator and path function is cancelled
/// <see cref="Delay"/> into a fit on an input that takes seconds (set-up phases such as centring, the Gram matrix, its
/// Cholesky factor and the NNDSVD start included), and the <see cref="OperationCanceledException"/> must follow the
/// <c>Cancel()</c> within <see cref="Margin"/>, a generous bound for loaded CI machines (the benchmark's <c>latency</c>
/// mode measures the 100 ms figure), with the previous model left bit for bit as it was. The fits are parameterised
/// never to converge (tolerance 0), so that they are still running when cancelled on any machine.
/// </summary>
[Collection(Timing.Name)]
public class CancellationTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    private static readonly Lazy<(Matrix<double> X, Vector<double> Y)> Tall = new(() =>
    {
        // 4000×2000 with every coefficient non-zero: more samples than features, so the Gram-based set-ups run.
        var rng = new SplitMix64(41);
        var x = Matrix<double>.Build.Dense(4000, 2000, (i, j) => rng.NextNormal());
        var w = Vector<double>.Build.Dense(2000, j => rng.NextNormal());
        return (x, (x * w) + Vector<double>.Build.Dense(4000, i => 0.01 * rng.NextNormal()));
    });

    private static readonly Lazy<Matrix<double>> NonNegative = new(() =>
    {
        // |N(0, 1)|, 2000×1000: a flat spectrum, the slowest case of the old NNDSVD start.
        var rng = new SplitMix64(42);
        return Matrix<double>.Build.Dense(2000, 1000, (i, j) => Math.Abs(rng.NextNormal()));
    });

    [Fact]
    public void Lasso_CancelledMidFit_StopsPromptlyAndKeepsTheModel() =>
        AssertRegressorCancelsPromptly(new Lasso(), e => (e.Alpha, e.Tolerance, e.MaxIterations) = (1e-6, 0.0, 1_000_000));

    [Fact]
    public void ElasticNet_CancelledMidFit_StopsPromptlyAndKeepsTheModel() =>
        AssertRegressorCancelsPromptly(new ElasticNet { L1Ratio = 0.5 }, e => (e.Alpha, e.Tolerance, e.MaxIterations) = (1e-6, 0.0, 1_000_000));

    [Fact]
    public void LassoCV_CancelledMidFit_StopsPromptlyAndKeepsTheModel() =>
        AssertRegressorCancelsPromptly(new LassoCV(), e => e.Tolerance = 0.0);

    [Fact]
    public void LassoIsta_CancelledMidFit_StopsPromptlyAndKeepsTheModel() =>
        AssertRegressorCancelsPromptly(new LassoIsta(), e => (e.Alpha, e.Tolerance, e.MaxIterations) = (1e-6, 0.0, 1_000_000));

    [Fact]
    public void LassoAdmm_CancelledMidFit_StopsPromptlyAndKeepsTheModel() =>
        AssertRegressorCancelsPromptly(new LassoAdmm(), e => (e.Alpha, e.Tolerance, e.MaxIterations) = (1e-3, 0.0, 1_000_000));

    [Fact]
    public void HMLasso_CancelledInTheCovarianceProjection_StopsPromptlyAndKeepsTheModel()
    {
        // 1000×250 with 40% missing (an indefinite pairwise covariance): the Gram matrices, then an O(p³) eigendecomposition per
        // projection iteration, never converging (tolerance 0); the fit is cancelled in that phase.
        var estimator = new HMLasso { Alpha = 0.01 };
        var (small, target) = EstimatorChecks.RegressionData(1);
        estimator.Fit(small, target);
        var before = Bits(estimator.Predict(small).ToArray());
        (estimator.CovarianceTolerance, estimator.MaxCovarianceIterations) = (0.0, 1_000_000);
        var rng = new SplitMix64(43);
        var x = Matrix<double>.Build.Dense(1000, 250, (i, j) => rng.NextDouble() < 0.4 ? double.NaN : rng.NextNormal());
        var y = Vector<double>.Build.Dense(1000, i => rng.NextNormal());
        AssertPrompt(token => estimator.Fit(x, y, token));
        Assert.Equal(before, Bits(estimator.Predict(small).ToArray()));
    }

    [Fact]
    public void LassoPrimalDual_CancelledMidFit_StopsPromptlyAndKeepsTheModel()
    {
        // A 10⁶-sample signal, never converging (tolerance 0): each iteration is a few passes over it.
        var estimator = new LassoPrimalDual { Filter = [1.0, -1.0], Alpha = 0.5 };
        estimator.Fit(Vector<double>.Build.Dense(50, i => Math.Sin(i)));
        var before = Bits(estimator.Coefficients.ToArray());
        (estimator.Tolerance, estimator.MaxIterations) = (0.0, 1_000_000);
        var rng = new SplitMix64(44);
        var signal = Vector<double>.Build.Dense(1_000_000, i => Math.Sin(i * 1e-4) + (0.1 * rng.NextNormal()));
        AssertPrompt(token => estimator.Fit(signal, token));
        Assert.Equal(before, Bits(estimator.Coefficients.ToArray()));
    }

    [Fact]
    public void SparseSuperResolution_CancelledMidFit_StopsPromptlyAndKeepsTheModel()
    {
        // A 512×512 textured image, 20,000 patches and 256 atoms, never converging (tolerance 0): each K-SVD iteration takes seconds.
        var rng = new SplitMix64(45);
        var image = Matrix<double>.Build.Dense(512, 512, (i, j) => Math.Sin(i * 0.3) + Math.Cos(j * 0.17) + (0.3 * rng.NextNormal()));
        var estimator = new SparseSuperResolution { ComponentCount = 8, TrainingPatches = 500, RandomSeed = 1 }.Fit([image.SubMatrix(0, 64, 0, 64)]);
        var small = image.SubMatrix(0, 16, 0, 16);
        var before = Bits(estimator.Upscale(small).ToColumnMajorArray());
        (estimator.ComponentCount, estimator.TrainingPatches, estimator.Tolerance, estimator.MaxIterations) = (256, 20_000, 0.0, 1_000_000);
        AssertPrompt(token => estimator.Fit([image], token));
        Assert.Equal(before, Bits(estimator.Upscale(small).ToColumnMajorArray()));
    }

    [Fact]
    public void Lars_CancelledMidFit_StopsPromptlyAndKeepsTheModel() =>
        AssertRegressorCancelsPromptly(new Lars(), e => { });

    [Fact]
    public void LassoLars_CancelledMidFit_StopsPromptlyAndKeepsTheModel() =>
        AssertRegressorCancelsPromptly(new LassoLars(), e => (e.Alpha, e.MaxIterations) = (1e-9, 100_000));

    [Fact]
    public void LassoLarsIC_CancelledMidFit_StopsPromptlyAndKeepsTheModel() =>
        AssertRegressorCancelsPromptly(new LassoLarsIC(), e => e.MaxIterations = 100_000);

    [Fact]
    public void OrthogonalMatchingPursuit_CancelledMidFit_StopsPromptlyAndKeepsTheModel() =>
        AssertRegressorCancelsPromptly(new OrthogonalMatchingPursuit { NonzeroCoefficients = 6 }, e => e.NonzeroCoefficients = 2000);

    [Fact]
    public void Nmf_DefaultStart_CancelledMidFit_StopsPromptlyAndKeepsTheModel() =>
        AssertTransformerCancelsPromptly(new Nmf { ComponentCount = 5 }, n => (n.ComponentCount, n.Tolerance, n.MaxIterations) = (50, 0.0, 1_000_000));

    [Fact]
    public void MiniBatchNmf_CancelledMidFit_StopsPromptlyAndKeepsTheModel() =>
        AssertTransformerCancelsPromptly(
            new MiniBatchNmf { ComponentCount = 5, BatchSize = 256, RandomSeed = 1 },
            n => (n.ComponentCount, n.Tolerance, n.MaxIterations, n.MaxNoImprovement) = (50, 0.0, 1_000_000, null));

    [Fact]
    public void RobustPca_CancelledMidFit_StopsPromptlyAndKeepsTheModel()
    {
        var rpca = new RobustPca().Fit(TransformerChecks.Data(1));
        var sparse = Bits(rpca.Sparse.ToColumnMajorArray());
        var lowRank = Bits(rpca.LowRank.ToColumnMajorArray());
        int iterations = rpca.Iterations;
        (rpca.Tolerance, rpca.MaxIterations) = (0.0, 1_000_000);
        var x = NonNegative.Value;
        AssertPrompt(token => rpca.Fit(x, token));
        Assert.Equal(sparse, Bits(rpca.Sparse.ToColumnMajorArray()));
        Assert.Equal(lowRank, Bits(rpca.LowRank.ToColumnMajorArray()));
        Assert.Equal(iterations, rpca.Iterations);
    }

    [Fact]
    public void OnlineRobustPca_CancelledMidFit_StopsPromptlyAndKeepsTheModel() =>
        AssertTransformerCancelsPromptly(
            new OnlineRobustPca { ComponentCount = 3, RandomSeed = 1 },
            o => (o.ComponentCount, o.MaxIterations, o.Tolerance) = (50, 1_000_000, 0.0));

    [Fact]
    public void TSne_CancelledMidFit_StopsPromptlyAndKeepsTheModel()
    {
        // 12,000 samples: the approximate neighbour search, the affinities and then the FFT-interpolation iterations.
        var small = TransformerChecks.Data(1);
        var tsne = new TSne { Perplexity = 5, RandomSeed = 1 }.Fit(small);
        var before = Bits(tsne.Embedding.ToColumnMajorArray());
        var rng = new SplitMix64(43);
        var x = Matrix<double>.Build.Dense(12_000, 30, (i, j) => rng.NextNormal() + (4.0 * (i % 7)));
        tsne.Perplexity = 30;
        tsne.MinGradientNorm = 0.0;
        AssertPrompt(token => tsne.Fit(x, token));
        Assert.Equal(before, Bits(tsne.Embedding.ToColumnMajorArray()));
    }

    [Fact]
    public void LassoPath_CancelledMidPath_StopsPromptly() =>
        AssertPrompt(token => LassoPath.Compute(Tall.Value.X, Tall.Value.Y, tolerance: 0.0, fitIntercept: true, cancellationToken: token));

    [Fact]
    public void LarsPath_CancelledMidPath_StopsPromptly() =>
        AssertPrompt(token => LarsPath.Compute(Tall.Value.X, Tall.Value.Y, maxIterations: 100_000, fitIntercept: true, cancellationToken: token));

    [Fact]
    public void AdmmPath_CancelledMidPath_StopsPromptly() =>
        AssertPrompt(token => AdmmPath.Compute(Tall.Value.X, Tall.Value.Y, tolerance: 0.0, cancellationToken: token));

    [Fact]
    public void TotalVariationDenoise_CancelledMidRun_StopsPromptly()
    {
        var rng = new SplitMix64(43);
        var image = Matrix<double>.Build.Dense(1024, 1024, (i, j) => rng.NextNormal());
        AssertPrompt(token => TotalVariation.Denoise(image, 0.1, eps: 1e-300, maxIterations: 1_000_000, cancellationToken: token));
    }

    [Fact]
    public void TotalVariationReconstruct_CancelledMidRun_StopsPromptly()
    {
        var rng = new SplitMix64(44);
        var y = Vector<double>.Build.Dense(512 * 512, _ => rng.NextNormal());
        var identity = new DiagonalOperator(512 * 512);
        AssertPrompt(token => TotalVariation.Reconstruct(identity, y, 0.1, 512, 512, maxIterations: 1_000_000, tolerance: 1e-300, cancellationToken: token));
    }

    [Fact]
    public void PatchInpaintingInpaint_CancelledMidRun_StopsPromptly()
    {
        var rng = new SplitMix64(45);
        var image = Matrix<double>.Build.Dense(512, 512, (i, j) => rng.NextNormal());
        var mask = Matrix<double>.Build.Dense(512, 512, (i, j) => rng.NextDouble() < 0.5 ? 0.0 : 1.0);
        var dictionary = DctDictionary.Generate(64, 8);
        AssertPrompt(token => PatchInpainting.Inpaint(image, mask, dictionary, 8, 8, tolerance: 0.0, nonzeroCoefficients: 16, iterations: 100_000, cancellationToken: token));
    }

    [Fact]
    public async Task LassoCV_CancelAfter_TimerIsNotStarvedByTheFolds()
    {
        // CancelAfter's timer runs its callback on the thread pool; nested parallel loops (folds → kernels) used to
        // fill the pool so that a 2 s timer fired after 11 s. With one level of parallelism it fires on time.
        // The fit runs where an application's would, on a thread of its own (xUnit runs this method on a pool
        // thread, which must not stay blocked: on a 2-core machine the pool's two threads would then be the test's
        // and the fit's second branch, and the timer would wait for the pool to grow, seconds later).
        var (x, y) = Tall.Value;
        using var source = new CancellationTokenSource();
        var outcome = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fit = new Thread(() =>
        {
            var clock = Stopwatch.StartNew();
            source.CancelAfter(Delay);
            try
            {
                new LassoCV { Tolerance = 0.0 }.Fit(x, y, source.Token);
                outcome.SetException(new InvalidOperationException("the fit ended before the timer cancelled it: the input is too small for the test"));
            }
            catch (OperationCanceledException)
            {
                outcome.SetResult(clock.Elapsed - Delay);
            }
            catch (Exception e)
            {
                outcome.SetException(e);
            }
        })
        { IsBackground = true };
        fit.Start();
        var late = await outcome.Task;
        Assert.True(late < Margin, $"the fit ended {late.TotalMilliseconds:0} ms after the timer was due (at most {Margin.TotalMilliseconds:0} ms allowed)");
    }

    /// <summary>
    /// Fits a small model with the estimator as given, then sets it up for a long fit (<paramref name="lengthen"/>) and refits on a
    /// large input, cancelled mid-fit: prompt, and the small model is kept bit for bit.
    /// </summary>
    private static void AssertRegressorCancelsPromptly<T>(T estimator, Action<T> lengthen)
        where T : IRegressor
    {
        var (small, target) = EstimatorChecks.RegressionData(1);
        estimator.Fit(small, target);
        var before = Bits(estimator.Predict(small).ToArray());
        lengthen(estimator);
        var (x, y) = Tall.Value;
        AssertPrompt(token => estimator.Fit(x, y, token));
        Assert.Equal(before, Bits(estimator.Predict(small).ToArray()));
    }

    private static void AssertTransformerCancelsPromptly<T>(T transformer, Action<T> lengthen)
        where T : ComponentsTransformer
    {
        var small = TransformerChecks.Data(1);
        ((ITransformer)transformer).Fit(small);
        var components = Bits(transformer.Components.ToColumnMajorArray());
        int iterations = transformer.Iterations;
        lengthen(transformer);
        var x = NonNegative.Value;
        AssertPrompt(token => ((ITransformer)transformer).Fit(x, token));

        // Transform would now solve with the lengthened parameters: the fitted state is compared instead.
        Assert.Equal(components, Bits(transformer.Components.ToColumnMajorArray()));
        Assert.Equal(iterations, transformer.Iterations);
    }

    /// <summary>
    /// Runs <paramref name="fit"/> and cancels it <see cref="Delay"/> later from a dedicated thread (not the thread pool,
    /// which a busy fit may keep waiting); asserts the fit throws <see cref="OperationCanceledException"/> within
    /// <see cref="Margin"/> of the cancellation.
    /// </summary>
    private static void AssertPrompt(Action<CancellationToken> fit)
    {
        using var source = new CancellationTokenSource();
        using var finished = new ManualResetEventSlim();
        long cancelledAt = 0;
        var canceller = new Thread(() =>
        {
            if (!finished.Wait(Delay))
            {
                Volatile.Write(ref cancelledAt, Stopwatch.GetTimestamp());
                source.Cancel();
            }
        })
        { IsBackground = true };
        canceller.Start();
        TimeSpan latency;
        try
        {
            fit(source.Token);
            finished.Set();
            canceller.Join();
            Assert.Fail($"the fit ended before it was cancelled {Delay.TotalMilliseconds:0} ms in: the input is too small for the test");
            return;
        }
        catch (OperationCanceledException)
        {
            long caught = Stopwatch.GetTimestamp();
            canceller.Join();
            latency = Stopwatch.GetElapsedTime(Volatile.Read(ref cancelledAt), caught);
        }

        Assert.True(latency < Margin, $"OperationCanceledException came {latency.TotalMilliseconds:0} ms after Cancel() (at most {Margin.TotalMilliseconds:0} ms allowed)");
    }

    private static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

    /// <summary>The identity as an operator, without an n×n matrix.</summary>
    private sealed class DiagonalOperator(int n) : ILinearOperator
    {
        public int RowCount => n;

        public int ColumnCount => n;

        public void Apply(ReadOnlySpan<double> x, Span<double> y) => x.CopyTo(y);

        public void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x) => y.CopyTo(x);
    }
}
