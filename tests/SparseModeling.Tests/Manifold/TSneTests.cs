// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Manifold;

namespace SparseModeling.Tests.Manifold;

public class TSneTests
{
    /// <summary>
    /// The issue's quality parity: on the digits with perplexity 30 and the PCA start, every method reaches
    /// trustworthiness(k = 10) ≥ 0.99 and a KL divergence within 5% of scikit-learn 1.2.1's — its Barnes–Hut
    /// (tsne_digits.json) for Barnes–Hut and FFT interpolation, which share the sparse P over 91 neighbours, and its exact
    /// method (tsne_digits_exact.json) for the exact method, whose P covers all pairs and has another KL divergence.
    /// </summary>
    [Theory]
    [InlineData(TSneMethod.BarnesHut)]
    [InlineData(TSneMethod.FftInterpolation)]
    [InlineData(TSneMethod.Exact)]
    public void Fit_Digits_MatchesScikitLearnQuality(TSneMethod method)
    {
        var (x, labels) = TestData.Digits;
        var fixture = TestData.Fixture(method == TSneMethod.Exact ? "tsne_digits_exact.json" : "tsne_digits.json");
        double reference = fixture.GetProperty("kl_divergence").GetDouble();
        var tsne = new TSne { Perplexity = 30, Init = TSneInit.Pca, Method = method, RandomSeed = 0 };
        var embedding = tsne.FitTransform(x);
        double trust = Trustworthiness.Compute(x, embedding, 10);
        Assert.True(trust >= 0.99, $"{method}: trustworthiness {trust:F4} (scikit-learn {fixture.GetProperty("trustworthiness_k10").GetDouble():F4})");
        Assert.True(Math.Abs(tsne.KlDivergence - reference) <= 0.05 * reference, $"{method}: KL {tsne.KlDivergence:F4}, scikit-learn {reference:F4}");
        Assert.Equal(method, tsne.EffectiveMethod);
        Assert.Equal(1000, tsne.Iterations);
        Assert.Equal(Math.Max(1797 / 12.0 / 4.0, 50.0), tsne.EffectiveLearningRate);

        // The classes separate: a sample's nearest embedded neighbour almost always has its label.
        Assert.True(NearestNeighbourAccuracy(embedding, labels, embedding, labels, exclude: true) > 0.97);
    }

    [Fact]
    public void Transform_HeldOutDigits_LandAmongTheirClass()
    {
        var (x, labels) = TestData.Digits;
        int train = 1500;
        var tsne = new TSne { RandomSeed = 1 }.Fit(x.SubMatrix(0, train, 0, 64));
        var held = x.SubMatrix(train, x.RowCount - train, 0, 64);
        var placed = tsne.Transform(held);
        double accuracy = NearestNeighbourAccuracy(placed, labels[train..], tsne.Embedding, labels[..train], exclude: false);
        Assert.True(accuracy > 0.9, $"accuracy {accuracy:F3}");

        // Each new sample is placed alone: a batch gives the same rows as its parts.
        var part = tsne.Transform(held.SubMatrix(0, 40, 0, 64));
        Assert.Equal(placed.SubMatrix(0, 40, 0, 2).ToColumnMajorArray(), part.ToColumnMajorArray());

        // A training sample lands in its own neighbourhood of the map.
        var again = tsne.Transform(x.SubMatrix(0, 20, 0, 64));
        Assert.True(NearestNeighbourAccuracy(again, labels[..20], tsne.Embedding, labels[..train], exclude: false) >= 0.95);
    }

    [Fact]
    public void Transform_WithoutIterations_StartsAtTheAffinityWeightedMeanOfTheNeighbours()
    {
        // New samples near the blobs' centres: their 7 nearest training samples are of their blob, so the P-weighted mean of
        // those samples' places lies in that blob's part of the map.
        var x = Blobs(60, 3, 5);
        var tsne = new TSne { Perplexity = 10, RandomSeed = 2, TransformMaxIterations = 0, TransformPerplexity = 2 }.Fit(x);
        var near = Matrix<double>.Build.Dense(3, 5, (i, j) => Enumerable.Range(0, 20).Average(s => x[(3 * s) + i, j]));
        var placed = tsne.Transform(near);
        var labels = Enumerable.Range(0, 60).Select(i => i % 3).ToArray();
        Assert.Equal(1.0, NearestNeighbourAccuracy(placed, [0, 1, 2], tsne.Embedding, labels, exclude: false));
    }

    [Fact]
    public void Fit_OnIteration_ReportsEveryIterationAndTheEmbeddingOnlyDuringTheCallback()
    {
        var x = Blobs(50, 3, 4);
        var reports = new List<TSneIterationInfo>();
        Matrix<double>? middle = null;
        var tsne = new TSne
        {
            Perplexity = 8,
            MaxIterations = 300,
            EarlyExaggerationIterations = 100,
            RandomSeed = 3,
            OnIteration = info =>
            {
                reports.Add(info);
                if (info.Iteration == 150)
                {
                    middle = info.GetEmbedding();
                }
            },
        };
        tsne.Fit(x);
        Assert.Equal(Enumerable.Range(1, tsne.Iterations), reports.Select(r => r.Iteration));
        Assert.All(reports.Take(100), r => Assert.Equal(12.0, r.Exaggeration));
        Assert.All(reports.Skip(100), r => Assert.Equal(1.0, r.Exaggeration));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.KlDivergence) && double.IsFinite(r.GradientNorm)));
        Assert.Equal(50, middle!.RowCount);
        Assert.Equal(2, middle.ColumnCount);
        Assert.Throws<InvalidOperationException>(() => reports[0].GetEmbedding());

        // The callback does not change the fit.
        var quiet = new TSne { Perplexity = 8, MaxIterations = 300, EarlyExaggerationIterations = 100, RandomSeed = 3 }.Fit(x);
        Assert.Equal(quiet.Embedding.ToColumnMajorArray(), tsne.Embedding.ToColumnMajorArray());
        Assert.Equal(quiet.KlDivergence, tsne.KlDivergence);
    }

    [Fact]
    public void Fit_StoppingRules_AsScikitLearn()
    {
        // A gradient norm that is always small enough: each phase stops at its first check (iteration 50 of the early
        // phase; the next phase starts at 51 and stops at its first check, iteration 100).
        var x = Blobs(40, 3, 3);
        var tsne = new TSne { Perplexity = 5, MinGradientNorm = 1e6, RandomSeed = 4 }.Fit(x);
        Assert.Equal(100, tsne.Iterations);
        Assert.True(tsne.Converged);

        var full = new TSne { Perplexity = 5, MinGradientNorm = 0.0, MaxIterations = 400, MaxIterationsWithoutProgress = 1000, RandomSeed = 4 }.Fit(x);
        Assert.Equal(400, full.Iterations);
        Assert.False(full.Converged);
    }

    [Fact]
    public void Fit_ExaggerationAndDegreesOfFreedom_AreSettable()
    {
        var x = Blobs(120, 4, 6);
        var plain = new TSne { Perplexity = 10, RandomSeed = 5 }.Fit(x);
        var exaggerated = new TSne { Perplexity = 10, RandomSeed = 5, Exaggeration = 4.0 }.Fit(x);
        var heavy = new TSne { Perplexity = 10, RandomSeed = 5, DegreesOfFreedom = 0.5 }.Fit(x);

        // Exaggeration tightens the clusters relative to the map; heavier tails (ν < 1) spread the map out.
        Assert.True(Spread(exaggerated.Embedding) < Spread(plain.Embedding));
        Assert.True(Spread(heavy.Embedding) > Spread(plain.Embedding));
        Assert.True(double.IsFinite(heavy.KlDivergence));
        Assert.True(Trustworthiness.Compute(x, heavy.Embedding, 5) > 0.9);
    }

    [Theory]
    [InlineData(1, TSneMethod.FftInterpolation)]
    [InlineData(1, TSneMethod.BarnesHut)]
    [InlineData(3, TSneMethod.BarnesHut)]
    [InlineData(3, TSneMethod.Auto)]
    [InlineData(4, TSneMethod.Exact)]
    public void Fit_OtherDimensions_EmbedTheClusters(int components, TSneMethod method)
    {
        var x = Blobs(150, 5, 7);
        var tsne = new TSne { ComponentCount = components, Method = method, Perplexity = 15, RandomSeed = 6 };
        var embedding = tsne.FitTransform(x);
        Assert.Equal(components, embedding.ColumnCount);
        Assert.True(Trustworthiness.Compute(x, embedding, 5) > 0.9);
        Assert.Equal(method == TSneMethod.Auto ? TSneMethod.BarnesHut : method, tsne.EffectiveMethod);
        var placed = tsne.Transform(x.SubMatrix(0, 5, 0, x.ColumnCount));
        Assert.Equal(components, placed.ColumnCount);
        Assert.True(placed.Enumerate().All(double.IsFinite));
    }

    [Fact]
    public void Fit_Auto_ChoosesByTheNumberOfSamplesAndDimensions()
    {
        var small = new TSne { Perplexity = 5, MaxIterations = 10, RandomSeed = 1 }.Fit(Blobs(30, 2, 3));
        Assert.Equal(TSneMethod.BarnesHut, small.EffectiveMethod);
        var wide = new TSne { Perplexity = 5, MaxIterations = 10, ComponentCount = 5, RandomSeed = 1 }.Fit(Blobs(30, 2, 3));
        Assert.Equal(TSneMethod.Exact, wide.EffectiveMethod);
    }

    [Fact]
    public void Fit_DuplicatePoints_GiveFiniteEmbeddings()
    {
        // Every sample the same, and a data set of two points repeated.
        var same = Matrix<double>.Build.Dense(20, 3, 1.5);
        foreach (var method in new[] { TSneMethod.BarnesHut, TSneMethod.FftInterpolation, TSneMethod.Exact })
        {
            foreach (var init in new[] { TSneInit.Pca, TSneInit.Random })
            {
                var tsne = new TSne { Perplexity = 5, Method = method, Init = init, RandomSeed = 7, MaxIterations = 300 };
                Assert.True(tsne.FitTransform(same).Enumerate().All(double.IsFinite), $"{method}, {init}");
                Assert.True(double.IsFinite(tsne.KlDivergence));
            }
        }

        var pairs = Matrix<double>.Build.Dense(30, 2, (i, j) => i % 2 == 0 ? 0.0 : 5.0 + j);
        var fitted = new TSne { Perplexity = 5, RandomSeed = 8, MaxIterations = 300 }.Fit(pairs);
        Assert.True(fitted.Embedding.Enumerate().All(double.IsFinite));
        Assert.True(fitted.Transform(pairs).Enumerate().All(double.IsFinite));
    }

    [Fact]
    public void Fit_BadInput_ThrowsTheDesignExceptionsAndKeepsTheModel()
    {
        var x = Blobs(20, 2, 3);
        var tsne = new TSne { Perplexity = 5, MaxIterations = 50, RandomSeed = 9 }.Fit(x);
        var before = tsne.Embedding.ToColumnMajorArray();

        tsne.Perplexity = 20;
        var perplexity = Assert.Throws<ArgumentOutOfRangeException>(() => tsne.Fit(x));
        Assert.Equal(nameof(TSne.Perplexity), perplexity.ParamName);
        Assert.Contains("less than the number of samples, 20 (was 20)", perplexity.Message, StringComparison.Ordinal);
        tsne.Perplexity = 0.5;

        Assert.Equal("x", Assert.Throws<ArgumentException>(() => tsne.Fit(x.SubMatrix(0, 1, 0, 3))).ParamName);

        tsne.Init = TSneInit.Custom;
        Assert.Equal(nameof(TSne.InitialEmbedding), Assert.Throws<ArgumentException>(() => tsne.Fit(x)).ParamName);
        tsne.InitialEmbedding = Matrix<double>.Build.Dense(19, 2);
        var shape = Assert.Throws<ArgumentException>(() => tsne.Fit(x));
        Assert.Equal(nameof(TSne.InitialEmbedding), shape.ParamName);
        Assert.Contains("19×2 but must be 20×2", shape.Message, StringComparison.Ordinal);
        tsne.InitialEmbedding = Matrix<double>.Build.Dense(20, 2, (i, j) => i == 3 && j == 1 ? double.NaN : 1e-4 * i);
        Assert.Contains("row 3, column 1", Assert.Throws<ArgumentException>(() => tsne.Fit(x)).Message, StringComparison.Ordinal);
        tsne.Init = TSneInit.Pca;

        tsne.Method = TSneMethod.FftInterpolation;
        tsne.ComponentCount = 3;
        Assert.Equal(nameof(TSne.Method), Assert.Throws<ArgumentException>(() => tsne.Fit(x)).ParamName);
        tsne.Method = TSneMethod.BarnesHut;
        tsne.ComponentCount = 4;
        Assert.Equal(nameof(TSne.Method), Assert.Throws<ArgumentException>(() => tsne.Fit(x)).ParamName);
        tsne.ComponentCount = 21;
        tsne.Method = TSneMethod.Exact;
        Assert.Equal(nameof(TSne.ComponentCount), Assert.Throws<ArgumentOutOfRangeException>(() => tsne.Fit(x)).ParamName);

        Assert.Equal(before, tsne.Embedding.ToColumnMajorArray());
        Assert.Equal("newPoints", Assert.Throws<ArgumentException>(() => tsne.Transform(Matrix<double>.Build.Dense(2, 2))).ParamName);
    }

    [Fact]
    public void Fit_CustomStart_IsUsedAsGiven()
    {
        var x = Blobs(30, 2, 3);
        var start = Matrix<double>.Build.Dense(30, 2, (i, j) => 1e-4 * Math.Sin(i + (3 * j)));
        var copy = start.Clone();
        var a = new TSne { Perplexity = 5, Init = TSneInit.Custom, InitialEmbedding = start, MaxIterations = 200 }.Fit(x);
        var b = new TSne { Perplexity = 5, Init = TSneInit.Custom, InitialEmbedding = start, MaxIterations = 200 }.Fit(x);
        Assert.Equal(copy.ToColumnMajorArray(), start.ToColumnMajorArray());
        Assert.Equal(a.Embedding.ToColumnMajorArray(), b.Embedding.ToColumnMajorArray());
        var first = new TSne { Perplexity = 5, Init = TSneInit.Custom, InitialEmbedding = start, MaxIterations = 1, EarlyExaggerationIterations = 0, LearningRate = 1e-30 }.Fit(x);
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(start[i, 0], first.Embedding[i, 0], 1e-20);
        }
    }

    /// <summary>Well-separated Gaussian blobs: n samples in <paramref name="d"/> dimensions around <paramref name="clusters"/> centres.</summary>
    internal static Matrix<double> Blobs(int n, int clusters, int d, ulong seed = 17)
    {
        var rng = new SplitMix64(seed);
        var centres = Matrix<double>.Build.Dense(clusters, d, (_, _) => 8.0 * rng.NextNormal());
        return Matrix<double>.Build.Dense(n, d, (i, j) => centres[i % clusters, j] + rng.NextNormal());
    }

    private static double Spread(Matrix<double> embedding)
    {
        var centred = embedding - Matrix<double>.Build.Dense(embedding.RowCount, embedding.ColumnCount, (i, j) => embedding.Column(j).Average());
        return Math.Sqrt(centred.PointwisePower(2).RowSums().Average());
    }

    /// <summary>The share of the query points whose nearest reference point (another one with <paramref name="exclude"/>) has their label.</summary>
    private static double NearestNeighbourAccuracy(Matrix<double> queries, int[] queryLabels, Matrix<double> reference, int[] referenceLabels, bool exclude)
    {
        int right = 0;
        for (int i = 0; i < queries.RowCount; i++)
        {
            int best = -1;
            double bestDistance = double.PositiveInfinity;
            for (int j = 0; j < reference.RowCount; j++)
            {
                if (exclude && j == i)
                {
                    continue;
                }

                double d = (queries.Row(i) - reference.Row(j)).L2Norm();
                if (d < bestDistance)
                {
                    bestDistance = d;
                    best = j;
                }
            }

            right += referenceLabels[best] == queryLabels[i] ? 1 : 0;
        }

        return right / (double)queries.RowCount;
    }
}
