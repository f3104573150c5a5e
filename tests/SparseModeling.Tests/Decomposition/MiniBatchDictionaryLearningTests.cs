// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using static SparseModeling.Tests.Decomposition.DictionaryLearningTests;
using static SparseModeling.Tests.TestAssert;

namespace SparseModeling.Tests.Decomposition;

public class MiniBatchDictionaryLearningTests
{
    private static MiniBatchDictionaryLearning FixtureModel(string name)
    {
        var d0 = FixtureMatrix("D0");
        var model = new MiniBatchDictionaryLearning { ComponentCount = 8, Alpha = 0.5, Shuffle = false, Tolerance = 0.0, MaxNoImprovement = null, RandomSeed = 0, InitialDictionary = d0 };
        switch (name)
        {
            case "minibatch_one_batch":
                (model.BatchSize, model.MaxIterations) = (64, 20);
                break;
            case "minibatch_in_order":
                (model.BatchSize, model.MaxIterations) = (16, 5);
                break;
            case "minibatch_cd_positive":
                (model.InitialDictionary, model.BatchSize, model.MaxIterations, model.FitAlgorithm) = (d0.PointwiseAbs(), 40, 6, DictionaryFitAlgorithm.LassoCd);
                (model.PositiveDictionary, model.PositiveCode, model.TransformAlgorithm) = (true, true, SparseCodingAlgorithm.LassoCd);
                break;
            case "minibatch_tolerance_stop":
                (model.BatchSize, model.MaxIterations, model.Tolerance) = (16, 200, 5e-3);
                break;
            case "minibatch_no_improvement_stop":
                (model.BatchSize, model.MaxIterations, model.MaxNoImprovement) = (20, 200, 3);
                break;
            case "minibatch_transform_threshold":
                (model.BatchSize, model.MaxIterations) = (40, 10);
                (model.TransformAlgorithm, model.TransformAlpha, model.SplitSign) = (SparseCodingAlgorithm.Threshold, 0.05, true);
                break;
            default:
                throw new ArgumentException(name);
        }

        return model;
    }

    public static TheoryData<string> FixtureCases() => new()
    {
        "minibatch_one_batch", "minibatch_in_order", "minibatch_cd_positive", "minibatch_tolerance_stop", "minibatch_no_improvement_stop", "minibatch_transform_threshold",
    };

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Fit_FixedStartBatchesInOrder_MatchesScikitLearn(string name)
    {
        var expected = Case(name);
        var model = FixtureModel(name);
        var costs = new List<double>();
        model.OnIteration = info => costs.Add(info.Objective);
        var x = FixtureMatrix("X");
        var copy = x.Clone();
        Assert.Same(model, model.Fit(x));
        Assert.Equal(copy, x);
        AssertClose(Load(expected.GetProperty("components")), model.Components, 1e-6, "components");
        Assert.Equal(expected.GetProperty("n_iter").GetInt32(), model.Iterations);
        Assert.Equal(expected.GetProperty("n_steps").GetInt32(), model.StepCount);
        Assert.Equal(name.EndsWith("_stop", StringComparison.Ordinal), model.Converged);
        Assert.Equal(model.StepCount, costs.Count);

        // scikit-learn's callback sees every step but the one that stopped the fit.
        var expectedCosts = TestData.Doubles(expected.GetProperty("batch_costs"));
        Assert.Equal(model.Converged ? costs.Count - 1 : costs.Count, expectedCosts.Length);
        for (int i = 0; i < expectedCosts.Length; i++)
        {
            Assert.True(Math.Abs(costs[i] - expectedCosts[i]) <= 1e-7 * expectedCosts[i], $"batch cost {i}: {costs[i]} vs {expectedCosts[i]}");
        }

        AssertClose(Load(expected.GetProperty("transform_X2")), model.Transform(FixtureMatrix("X2")), 1e-6, "transform");
    }

    [Fact]
    public void PartialFit_ChunksInOrder_MatchesScikitLearn()
    {
        var expected = Case("partial_fit");
        var x = FixtureMatrix("X");
        var model = new MiniBatchDictionaryLearning { ComponentCount = 8, Alpha = 0.5, InitialDictionary = FixtureMatrix("D0") };
        for (int pass = 0; pass < 3; pass++)
        {
            for (int c = 0; c < 4; c++)
            {
                Assert.Same(model, model.PartialFit(x.SubMatrix(10 * c, 10, 0, x.ColumnCount)));
            }
        }

        AssertClose(Load(expected.GetProperty("components")), model.Components, 1e-6, "components");
        Assert.Equal(expected.GetProperty("n_steps").GetInt32(), model.StepCount);
        Assert.Equal(0, model.Iterations);
        AssertClose(Load(expected.GetProperty("transform_X2")), model.Transform(FixtureMatrix("X2")), 1e-6, "transform");
    }

    [Fact]
    public void PartialFit_AfterFit_ContinuesAsScikitLearn()
    {
        var expected = Case("fit_then_partial_fit");
        var x = FixtureMatrix("X");
        var model = FixtureModel("minibatch_in_order");
        model.MaxIterations = 2;
        model.Fit(x).PartialFit(x.SubMatrix(0, 10, 0, x.ColumnCount)).PartialFit(x.SubMatrix(10, 20, 0, x.ColumnCount));
        AssertClose(Load(expected.GetProperty("components")), model.Components, 1e-6, "components");
        Assert.Equal(expected.GetProperty("n_steps").GetInt32(), model.StepCount);
        Assert.Equal(2, model.Iterations);
    }

    [Fact]
    public void PartialFit_OverTheBatchesOfAFit_IsThatFitBitForBit()
    {
        // Without shuffling, Fit takes the batches in order and numbers the steps as consecutive partial fits do; atom
        // re-draws (if any: K is twice the features) derive from the seed and the step alone.
        var (x, _) = Synthetic(11, 90, 12, 10);
        var start0 = Synthetic(12, 24, 12, 10).X;
        var fit = new MiniBatchDictionaryLearning { ComponentCount = 24, Alpha = 0.2, BatchSize = 20, MaxIterations = 3, Shuffle = false, Tolerance = 0.0, MaxNoImprovement = null, RandomSeed = 9, InitialDictionary = start0 };
        fit.Fit(x);
        var online = new MiniBatchDictionaryLearning { ComponentCount = 24, Alpha = 0.2, RandomSeed = 9, InitialDictionary = start0 };
        for (int epoch = 0; epoch < 3; epoch++)
        {
            for (int start = 0; start < 90; start += 20)
            {
                online.PartialFit(x.SubMatrix(start, Math.Min(20, 90 - start), 0, 12));
            }
        }

        Assert.Equal(fit.StepCount, online.StepCount);
        Assert.Equal(fit.Components.ToColumnMajorArray(), online.Components.ToColumnMajorArray());
        Assert.Equal(fit.Transform(x).ToColumnMajorArray(), online.Transform(x).ToColumnMajorArray());
    }

    [Fact]
    public void Fit_ObjectiveDecreasesOverEpochs()
    {
        var (x, _) = Synthetic(13, 400, 16, 24);
        int epochs = 12, stepsPerEpoch = 8;
        var costs = new List<double>();
        // A start of unit atoms (the SVD start's atoms are longer, which makes the first batches' costs unrepresentatively low).
        var start = Synthetic(31, 24, 16, 24).X;
        for (int k = 0; k < 24; k++)
        {
            start.SetRow(k, start.Row(k).Normalize(2));
        }

        var model = new MiniBatchDictionaryLearning { ComponentCount = 24, Alpha = 0.2, BatchSize = 50, MaxIterations = epochs, Tolerance = 0.0, MaxNoImprovement = null, RandomSeed = 3, InitialDictionary = start };
        model.OnIteration = info => costs.Add(info.Objective);
        model.Fit(x);
        Assert.Equal(epochs * stepsPerEpoch, costs.Count);
        Assert.Equal(epochs, model.Iterations);
        var perEpoch = Enumerable.Range(0, epochs).Select(e => costs.Skip(e * stepsPerEpoch).Take(stepsPerEpoch).Sum()).ToArray();
        for (int e = 1; e < epochs; e++)
        {
            Assert.True(perEpoch[e] <= perEpoch[e - 1] * (1.0 + 1e-3), $"epoch {e}: {perEpoch[e]} > {perEpoch[e - 1]}");
        }

        Assert.True(perEpoch[^1] < 0.8 * perEpoch[0], $"{perEpoch[^1]} vs {perEpoch[0]}");
    }

    [Fact]
    public void PartialFit_KeepsOnlyTheDictionaryAndTheStatistics()
    {
        // The state after 1 and after 60 chunks holds the same arrays: K×m atoms, K×K and m×K statistics — no data.
        var (x, _) = Synthetic(14, 600, 10, 16);
        var model = new MiniBatchDictionaryLearning { ComponentCount = 16, Alpha = 0.2, RandomSeed = 0 };
        int[] Sizes()
        {
            var state = (MiniBatchDictionaryLearningState)((IPersistable)model).GetState()!;
            return [state.Components.Length, state.A.Length, state.B.Length];
        }

        model.PartialFit(x.SubMatrix(0, 10, 0, 10));
        var first = Sizes();
        for (int c = 1; c < 60; c++)
        {
            model.PartialFit(x.SubMatrix(10 * c, 10, 0, 10));
        }

        Assert.Equal(new[] { 16 * 10, 16 * 16, 10 * 16 }, first);
        Assert.Equal(first, Sizes());
        Assert.Equal(60, model.StepCount);
    }

    /// <summary>
    /// The streaming target: <c>PartialFit</c> over 10⁶ patches (1,000 batches of 1,000 4×4 patches, drawn batch by
    /// batch and never held together) allocates the same per batch at the end as at the start — nothing grows with the patches
    /// seen — and per batch no more than a small multiple of O(atoms² + atoms·features + batch·(features + atoms + atoms²)): the
    /// statistics, the dictionary, the batch's own codes and correlations, and the per-signal LARS workspace (the active set's
    /// Cholesky factor and path; garbage after each signal, never held). Serial, so that every allocation is on this thread.
    /// </summary>
    [Fact]
    public void PartialFit_OverAMillionPatches_AllocatesAConstantPerBatch()
    {
        const int atoms = 16, features = 16, batch = 1000, batches = 1000;
        var model = new MiniBatchDictionaryLearning { ComponentCount = atoms, Alpha = 0.1, RandomSeed = 0, MaxDegreeOfParallelism = 1 };
        var rng = new SplitMix64(2026);
        var source = Matrix<double>.Build.Dense(atoms, features, (_, _) => rng.NextNormal());
        var x = Matrix<double>.Build.Dense(batch, features);
        var perBatch = new long[batches];
        for (int b = 0; b < batches; b++)
        {
            // A new batch of patches: two atoms of a fixed source each, plus noise, written into the one buffer.
            for (int i = 0; i < batch; i++)
            {
                int first = rng.NextInt(atoms), second = rng.NextInt(atoms);
                for (int j = 0; j < features; j++)
                {
                    x[i, j] = source[first, j] + (0.5 * source[second, j]) + (0.01 * rng.NextNormal());
                }
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            model.PartialFit(x);
            perBatch[b] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(batches, model.StepCount);
        double early = perBatch.Skip(10).Take(100).Average(), late = perBatch.Skip(batches - 100).Average();
        Assert.True(Math.Abs(late - early) <= 0.05 * early, $"allocation per batch grew from {early:F0} to {late:F0} bytes");
        long bound = 16L * sizeof(double) * ((atoms * atoms) + (atoms * features) + (batch * (features + atoms + (atoms * atoms))));
        Assert.True(late <= bound, $"{late:F0} bytes per batch of {batch} patches, more than {bound}");
    }

    [Fact]
    public void PartialFit_AfterSaveLoad_ContinuesBitIdentically()
    {
        var (x, _) = Synthetic(15, 80, 10, 12);
        var a = new MiniBatchDictionaryLearning { ComponentCount = 20, Alpha = 0.2, BatchSize = 16, MaxIterations = 3, RandomSeed = 1 }.Fit(x);
        using var stream = new MemoryStream();
        ModelSerializer.Save(a, stream);
        stream.Position = 0;
        var b = ModelSerializer.Load<MiniBatchDictionaryLearning>(stream);
        Assert.Equal(a.StepCount, b.StepCount);
        for (int c = 0; c < 3; c++)
        {
            var chunk = x.SubMatrix(16 * c, 16, 0, 10);
            a.PartialFit(chunk);
            b.PartialFit(chunk);
        }

        Assert.Equal(a.Components.ToColumnMajorArray(), b.Components.ToColumnMajorArray());
        Assert.Equal(a.StepCount, b.StepCount);
    }

    [Fact]
    public void Fit_Shuffle_DependsOnTheSeedOnly()
    {
        var (x, _) = Synthetic(16, 90, 10, 12);
        double[] Run(int seed, bool shuffle) => new MiniBatchDictionaryLearning { ComponentCount = 8, BatchSize = 20, MaxIterations = 3, Tolerance = 0.0, MaxNoImprovement = null, Shuffle = shuffle, RandomSeed = seed }.Fit(x).Components.ToColumnMajorArray();
        Assert.Equal(Run(1, true), Run(1, true));
        Assert.NotEqual(Run(1, true), Run(2, true));
        Assert.Equal(Run(1, false), Run(2, false));
    }

    [Fact]
    public void Fit_MoreAtomsThanTheRank_RedrawsZeroAtomsWithoutNaN()
    {
        var (x, _) = Synthetic(17, 5, 12, 4);
        var model = new MiniBatchDictionaryLearning { ComponentCount = 20, Alpha = 0.1, MaxIterations = 5, RandomSeed = 2 }.Fit(x);
        var d = model.Components;
        Assert.All(d.Enumerate(), v => Assert.True(double.IsFinite(v)));
        for (int k = 0; k < 20; k++)
        {
            double norm = d.Row(k).L2Norm();
            Assert.True(norm > 0.0 && norm <= 1.0 + 1e-12, $"atom {k} has norm {norm}");
        }

        Assert.All(model.Transform(x).Enumerate(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Fit_CancelledFromTheCallback_KeepsThePreviousModel()
    {
        var (x, _) = Synthetic(18, 100, 10, 12);
        var model = new MiniBatchDictionaryLearning { ComponentCount = 12, BatchSize = 10, MaxIterations = 5, RandomSeed = 0 }.Fit(x);
        var before = model.Components.ToColumnMajorArray();
        int steps = model.StepCount;
        using var source = new CancellationTokenSource();
        model.OnIteration = info =>
        {
            if (info.Iteration == 3)
            {
                source.Cancel();
            }
        };
        model.RandomSeed = 5;
        Assert.ThrowsAny<OperationCanceledException>(() => model.Fit(x, source.Token));
        Assert.Equal(before, model.Components.ToColumnMajorArray());
        Assert.Equal(steps, model.StepCount);
    }

    [Fact]
    public void PartialFit_BadInput_ThrowsNamedExceptionAndKeepsTheModel()
    {
        var (x, _) = Synthetic(19, 40, 10, 12);
        var model = new MiniBatchDictionaryLearning { ComponentCount = 12, RandomSeed = 0 }.PartialFit(x);
        var before = model.Components.ToColumnMajorArray();
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => model.PartialFit(x.SubMatrix(0, 10, 0, 9))).ParamName);
        var bad = x.Clone();
        bad[3, 4] = double.PositiveInfinity;
        Assert.Contains("row 3, column 4", Assert.Throws<ArgumentException>(() => model.PartialFit(bad)).Message, StringComparison.Ordinal);
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new MiniBatchDictionaryLearning { BatchSize = 0 }.Fit(x)).ParamName);
        Assert.Equal("MaxNoImprovement", Assert.Throws<ArgumentOutOfRangeException>(() => new MiniBatchDictionaryLearning { MaxNoImprovement = 0 }.Fit(x)).ParamName);
        Assert.Equal("InitialDictionary", Assert.Throws<ArgumentException>(() => new MiniBatchDictionaryLearning { ComponentCount = 3, InitialDictionary = Matrix<double>.Build.Dense(4, 10) }.PartialFit(x)).ParamName);
        Assert.Equal(before, model.Components.ToColumnMajorArray());
        Assert.Equal(1, model.StepCount);
    }

    [Fact]
    public void Fit_LearnsADictionaryThatCodesTheDataSparsely()
    {
        // 2000 signals of 3 atoms from 16 unit atoms in 20 dimensions: most planted atoms are found.
        var (x, atoms) = Synthetic(20, 2000, 20, 16, noise: 0.005);
        var model = new MiniBatchDictionaryLearning { ComponentCount = 16, Alpha = 1.0, BatchSize = 64, MaxIterations = 10, Tolerance = 0.0, MaxNoImprovement = null, RandomSeed = 0 }.Fit(x);
        var learned = model.Components;
        int recovered = 0;
        for (int a = 0; a < 16; a++)
        {
            double best = Enumerable.Range(0, 16).Max(k => Math.Abs(atoms.Row(a).DotProduct(learned.Row(k)) / learned.Row(k).L2Norm()));
            recovered += best > 0.98 ? 1 : 0;
        }

        Assert.True(recovered >= 12, $"only {recovered} of 16 atoms recovered");
    }
}
