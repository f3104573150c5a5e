// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using static SparseModeling.Tests.TestAssert;

namespace SparseModeling.Tests.Decomposition;

public class MiniBatchNmfTests
{
    private static readonly JsonElement Fixture = TestData.Fixture("minibatch_nmf.json");

    private static Matrix<double> Load(JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(r => TestData.Doubles(r)).ToArray();
        return Matrix<double>.Build.Dense(data.Length, data[0].Length, (i, j) => data[i][j]);
    }

    private static Matrix<double> FixtureMatrix(string name) => Load(Fixture.GetProperty(name));

    /// <summary>Rank-4 non-negative data plus |noise|: n × m.</summary>
    private static Matrix<double> LowRank(ulong seed, int n, int m)
    {
        var rng = new SplitMix64(seed);
        var w = Matrix<double>.Build.Dense(n, 4, (i, j) => rng.NextDouble());
        var h = Matrix<double>.Build.Dense(4, m, (i, j) => rng.NextDouble());
        return (w * h) + Matrix<double>.Build.Dense(n, m, (i, j) => 0.05 * Math.Abs(rng.NextNormal()));
    }

    private static MiniBatchNmf FixtureModel(NmfLoss loss, double? beta) => new()
    {
        ComponentCount = 3,
        Init = NmfInit.Custom,
        InitialW = FixtureMatrix("W0"),
        InitialH = FixtureMatrix("H0"),
        BatchSize = 64,
        MaxIterations = 50,
        Tolerance = 0.0,
        MaxNoImprovement = null,
        Loss = loss,
        Beta = beta,
    };

    public static TheoryData<string> FixtureCases() => new()
    {
        "frobenius", "kullback-leibler", "itakura-saito", "beta1.5", "beta3", "frobenius_l1l2", "kl_fresh_restarts", "frobenius_forget1", "frobenius_forget0", "kl_tolerance_stop",
    };

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void FitTransform_OneBatchOfAllRows_MatchesScikitLearn(string name)
    {
        var expected = Fixture.GetProperty("results").GetProperty(name);
        var nmf = name switch
        {
            "kullback-leibler" => FixtureModel(NmfLoss.KullbackLeibler, null),
            "itakura-saito" => FixtureModel(NmfLoss.ItakuraSaito, null),
            "beta1.5" => FixtureModel(NmfLoss.Frobenius, 1.5),
            "beta3" => FixtureModel(NmfLoss.Frobenius, 3.0),
            "kl_fresh_restarts" => FixtureModel(NmfLoss.KullbackLeibler, null),
            "kl_tolerance_stop" => FixtureModel(NmfLoss.KullbackLeibler, null),
            _ => FixtureModel(NmfLoss.Frobenius, null),
        };
        switch (name)
        {
            case "frobenius_l1l2":
                (nmf.AlphaW, nmf.AlphaH, nmf.L1Ratio) = (0.01, 0.02, 0.5);
                break;
            case "kl_fresh_restarts":
                (nmf.FreshRestarts, nmf.FreshRestartsMaxIterations, nmf.TransformMaxIterations) = (true, 5, 20);
                break;
            case "frobenius_forget1":
                nmf.ForgetFactor = 1.0;
                break;
            case "frobenius_forget0":
                nmf.ForgetFactor = 0.0;
                break;
            case "kl_tolerance_stop":
                (nmf.MaxIterations, nmf.Tolerance, nmf.MaxNoImprovement) = (1000, 1e-3, 10);
                break;
        }

        var w = nmf.FitTransform(FixtureMatrix("X"));
        AssertClose(Load(expected.GetProperty("W")), w, 1e-6, "W");
        AssertClose(Load(expected.GetProperty("H")), nmf.Components, 1e-6, "H");
        double err = expected.GetProperty("reconstruction_err").GetDouble();
        Assert.Equal(err, nmf.ReconstructionError, 1e-6 * err);
        Assert.Equal(expected.GetProperty("n_iter").GetInt32(), nmf.Iterations);
        Assert.Equal(expected.GetProperty("n_steps").GetInt32(), nmf.StepCount);
        Assert.Equal(name == "kl_tolerance_stop", nmf.Converged);
        AssertClose(Load(expected.GetProperty("transform_X2")), nmf.Transform(FixtureMatrix("X2")), 1e-6, "transform");
    }

    [Theory]
    [InlineData("partial_fit_kl", 0.7)]
    [InlineData("partial_fit_kl_forget0", 0.0)]
    public void PartialFit_ChunksInOrder_MatchesScikitLearn(string name, double forgetFactor)
    {
        var expected = Fixture.GetProperty("results").GetProperty(name);
        var x = FixtureMatrix("X");
        var nmf = new MiniBatchNmf { ComponentCount = 3, Init = NmfInit.Custom, InitialH = FixtureMatrix("H0"), Loss = NmfLoss.KullbackLeibler, ForgetFactor = forgetFactor };
        for (int pass = 0; pass < 3; pass++)
        {
            for (int c = 0; c < 4; c++)
            {
                Assert.Same(nmf, nmf.PartialFit(x.SubMatrix(10 * c, 10, 0, x.ColumnCount)));
            }
        }

        AssertClose(Load(expected.GetProperty("H")), nmf.Components, 1e-6, "H");
        Assert.Equal(expected.GetProperty("n_steps").GetInt32(), nmf.StepCount);
        Assert.True(double.IsNaN(nmf.ReconstructionError));
    }

    [Theory]
    [InlineData(NmfLoss.Frobenius)]
    [InlineData(NmfLoss.KullbackLeibler)]
    [InlineData(NmfLoss.ItakuraSaito)]
    public void Fit_ManyBatches_ObjectiveDecreasesOverEpochs(NmfLoss loss)
    {
        var x = LowRank(1, 200, 20);
        int epochs = 30, stepsPerEpoch = 4;
        var costs = new List<double>();
        var nmf = new MiniBatchNmf { ComponentCount = 4, BatchSize = 50, MaxIterations = epochs, Tolerance = 0.0, MaxNoImprovement = null, Loss = loss, RandomSeed = 3 };
        nmf.OnIteration = info => costs.Add(info.Objective);
        nmf.Fit(x);
        Assert.Equal(epochs * stepsPerEpoch, costs.Count);
        Assert.Equal(epochs * stepsPerEpoch, nmf.StepCount);
        Assert.Equal(epochs, nmf.Iterations);
        var perEpoch = Enumerable.Range(0, epochs).Select(e => costs.Skip(e * stepsPerEpoch).Take(stepsPerEpoch).Sum()).ToArray();
        for (int e = 1; e < epochs; e++)
        {
            Assert.True(perEpoch[e] <= perEpoch[e - 1] * (1.0 + 1e-9), $"epoch {e}: {perEpoch[e]} > {perEpoch[e - 1]}");
        }

        Assert.True(perEpoch[^1] < 0.5 * perEpoch[0], $"{perEpoch[^1]} vs {perEpoch[0]}");
    }

    [Fact]
    public void PartialFit_PassesOverChunks_ApproachesBatchNmfError()
    {
        var x = LowRank(2, 200, 20);
        var batch = new Nmf { ComponentCount = 4, Solver = NmfSolver.MultiplicativeUpdate, MaxIterations = 1000, Tolerance = 1e-8 }.Fit(x);
        var online = new MiniBatchNmf { ComponentCount = 4, RandomSeed = 0 };
        // One multiplicative step per chunk converges slowly (as batch MU does): 300 passes of 4 chunks.
        for (int pass = 0; pass < 300; pass++)
        {
            for (int c = 0; c < 4; c++)
            {
                online.PartialFit(x.SubMatrix(50 * c, 50, 0, 20));
            }
        }

        double error = (x - online.InverseTransform(online.Transform(x))).FrobeniusNorm();
        // Within 10 % of the batch solution's error ‖X − WH‖_F (1000 MU iterations).
        Assert.True(error <= 1.1 * batch.ReconstructionError, $"online {error} vs batch {batch.ReconstructionError}");
    }

    [Fact]
    public void Transform_TrainingData_ApproximatesFitTransform()
    {
        var x = LowRank(4, 120, 15);
        var nmf = new MiniBatchNmf { ComponentCount = 4, BatchSize = 30, RandomSeed = 5, MaxIterations = 300, Tolerance = 1e-6, TransformMaxIterations = 2000 };
        var w = nmf.FitTransform(x);
        var t = nmf.Transform(x);
        double difference = (t - w).FrobeniusNorm() / w.FrobeniusNorm();
        Assert.True(difference < 0.05, $"relative difference {difference}");
    }

    [Fact]
    public void Fit_SameSeedManyBatches_IsDeterministicAndSeedChangesBatches()
    {
        var x = LowRank(6, 90, 10);
        double[] Run(int seed) => new MiniBatchNmf { ComponentCount = 3, BatchSize = 20, MaxIterations = 5, RandomSeed = seed }.Fit(x).Components.ToColumnMajorArray();
        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }

    [Fact]
    public void PartialFit_AfterSaveLoad_ContinuesBitIdentically()
    {
        var x = LowRank(7, 60, 10);
        var a = new MiniBatchNmf { ComponentCount = 3, BatchSize = 15, MaxIterations = 5, RandomSeed = 1 }.Fit(x);
        using var stream = new MemoryStream();
        ModelSerializer.Save(a, stream);
        stream.Position = 0;
        var b = ModelSerializer.Load<MiniBatchNmf>(stream);
        var chunk = x.SubMatrix(0, 15, 0, 10);
        a.PartialFit(chunk);
        b.PartialFit(chunk);
        Assert.Equal(a.Components.ToColumnMajorArray(), b.Components.ToColumnMajorArray());
        Assert.Equal(b.StepCount, a.StepCount);
    }

    [Fact]
    public void Fit_NegativeEntry_NamesRowAndColumnAndLeavesModelUnchanged()
    {
        var x = LowRank(8, 30, 6);
        var nmf = new MiniBatchNmf { ComponentCount = 2, RandomSeed = 0 }.Fit(x);
        var before = nmf.Components.ToColumnMajorArray();
        var bad = x.Clone();
        bad[7, 3] = -0.5;
        var e = Assert.Throws<ArgumentException>(() => nmf.Fit(bad));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("row 7, column 3", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => nmf.PartialFit(bad));
        bad[7, 3] = double.NaN;
        Assert.Contains("row 7, column 3", Assert.ThrowsAny<ArgumentException>(() => nmf.PartialFit(bad)).Message, StringComparison.Ordinal);
        Assert.Equal(before, nmf.Components.ToColumnMajorArray());
    }

    [Theory]
    [InlineData(nameof(MiniBatchNmf.ComponentCount), 0)]
    [InlineData(nameof(MiniBatchNmf.BatchSize), 0)]
    [InlineData(nameof(MiniBatchNmf.ForgetFactor), -0.1)]
    [InlineData(nameof(MiniBatchNmf.ForgetFactor), 1.5)]
    [InlineData(nameof(MiniBatchNmf.ForgetFactor), double.NaN)]
    [InlineData(nameof(MiniBatchNmf.MaxNoImprovement), 0)]
    [InlineData(nameof(MiniBatchNmf.FreshRestartsMaxIterations), 0)]
    [InlineData(nameof(MiniBatchNmf.MaxIterations), 0)]
    public void Fit_ParameterOutOfRange_ThrowsNamingIt(string property, object value)
    {
        var nmf = new MiniBatchNmf();
        typeof(MiniBatchNmf).GetProperty(property)!.SetValue(nmf, value);
        var x = LowRank(9, 20, 5);
        Assert.Equal(property, Assert.Throws<ArgumentOutOfRangeException>(() => nmf.Fit(x)).ParamName);
        Assert.Equal(property, Assert.Throws<ArgumentOutOfRangeException>(() => nmf.PartialFit(x)).ParamName);
    }

    [Fact]
    public void PartialFit_DifferentColumnCount_ThrowsAndKeepsModel()
    {
        var x = LowRank(10, 30, 6);
        var nmf = new MiniBatchNmf { ComponentCount = 2 }.PartialFit(x);
        var before = nmf.Components.ToColumnMajorArray();
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => nmf.PartialFit(LowRank(11, 30, 7))).ParamName);
        Assert.Equal(before, nmf.Components.ToColumnMajorArray());
        Assert.Equal(1, nmf.StepCount);
    }

    [Fact]
    public void Fit_ZerosWithItakuraSaito_Throws()
    {
        var x = LowRank(12, 20, 5);
        x[2, 4] = 0.0;
        var e = Assert.Throws<ArgumentException>(() => new MiniBatchNmf { ComponentCount = 2, Loss = NmfLoss.ItakuraSaito }.Fit(x));
        Assert.Contains("row 2, column 4", e.Message, StringComparison.Ordinal);
    }
}
