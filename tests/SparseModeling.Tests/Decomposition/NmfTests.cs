// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using static SparseModeling.Tests.TestAssert;

namespace SparseModeling.Tests.Decomposition;

public class NmfTests
{
    /// <summary>The fixtures' image: X[i, j] = sin(0.02πi)·cos(0.04πj) + 1.01, 100×200.</summary>
    private static Matrix<double> SinCos() =>
        Matrix<double>.Build.Dense(100, 200, (i, j) => (Math.Sin(0.02 * Math.PI * i) * Math.Cos(0.04 * Math.PI * j)) + 1.01);

    private static Matrix<double> Load(JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(r => TestData.Doubles(r)).ToArray();
        return Matrix<double>.Build.Dense(data.Length, data[0].Length, (i, j) => data[i][j]);
    }

    private static Matrix<double> RandomNonNegative(ulong seed, int rows, int cols)
    {
        var rng = new SplitMix64(seed);
        return Matrix<double>.Build.Dense(rows, cols, (i, j) => Math.Abs(rng.NextNormal()));
    }

    /// <summary>
    /// The NNDSVD start with the tie of the second singular pair settled toward its negative part. The
    /// image's second singular vectors are a sine over one period and a cosine over four, whose positive
    /// and negative parts are exactly as large; scikit-learn settles that tie by the rounding of its
    /// randomized SVD, which went the negative way in some fixture runs (Itakura–Saito, the cd case
    /// "nndsvd_tol0") and the positive way (our deterministic default) in the others.
    /// </summary>
    private static (Matrix<double> W, Matrix<double> H) NegativeTieStart(Matrix<double> x, int k, NmfInit variant)
    {
        int n = x.RowCount, m = x.ColumnCount;
        var wt = new double[k * n];
        var h = new double[k * m];
        var data = x.ToColumnMajorArray();
        NmfInitializer.Nndsvd(data, n, m, k, variant, data.Average(), null, wt, h, negativeOnTie: true);
        return (Matrix<double>.Build.Dense(n, k, (i, c) => wt[c + (i * k)]), Matrix<double>.Build.Dense(k, m, h));
    }

    private static void UseStart(Nmf nmf, Matrix<double> x, NmfInit variant, bool negativeTie)
    {
        if (negativeTie)
        {
            (nmf.InitialW, nmf.InitialH) = NegativeTieStart(x, nmf.ComponentCount!.Value, variant);
            nmf.Init = NmfInit.Custom;
        }
        else
        {
            nmf.Init = variant;
        }
    }

    [Fact]
    public void NndsvdTie_DefaultBranchDiffersFromNegativeBranch()
    {
        // Guards the reason for NegativeTieStart: the two branches give different starts on this image.
        var x = SinCos();
        var (w, _) = NegativeTieStart(x, 5, NmfInit.Nndsvd);
        var nmf = new Nmf { ComponentCount = 5, Init = NmfInit.Nndsvd, MaxIterations = 1, Solver = NmfSolver.MultiplicativeUpdate, Tolerance = 0.0 };
        NmfIterationInfo? first = null;
        nmf.OnIteration = i => first ??= Read(i);
        nmf.Fit(x);
        Assert.True((first!.W.Column(1) - w.Column(1)).L2Norm() > 0.1 * w.Column(1).L2Norm());
    }

    [Theory]
    [InlineData("frobenius", NmfLoss.Frobenius, false)]
    [InlineData("kullback-leibler", NmfLoss.KullbackLeibler, false)]
    [InlineData("itakura-saito", NmfLoss.ItakuraSaito, true)]
    public void FitTransform_MultiplicativeUpdateNndsvdA_MatchesScikitLearn(string name, NmfLoss loss, bool negativeTie)
    {
        var expected = TestData.Fixture("nmf_sincos.json").GetProperty("results").GetProperty(name);
        var nmf = new Nmf
        {
            ComponentCount = 5,
            Solver = NmfSolver.MultiplicativeUpdate,
            Loss = loss,
            MaxIterations = 200,
            Tolerance = 0.0,
        };
        UseStart(nmf, SinCos(), NmfInit.NndsvdA, negativeTie);
        var w = nmf.FitTransform(SinCos());
        AssertClose(Load(expected.GetProperty("W")), w, 1e-6, "W");
        AssertClose(Load(expected.GetProperty("H")), nmf.Components, 1e-6, "H");
        Assert.Equal(expected.GetProperty("reconstruction_err").GetDouble(), nmf.ReconstructionError, 1e-6 * nmf.ReconstructionError);
        Assert.Equal(200, nmf.Iterations);
    }

    [Theory]
    [InlineData("nndsvd_tol0", 0.0, 0.0, true)]
    [InlineData("nndsvd_l1l2", 0.001, 0.5, false)]
    public void FitTransform_CoordinateDescentNndsvd_MatchesScikitLearn(string name, double alphaW, double l1Ratio, bool negativeTie)
    {
        var expected = TestData.Fixture("nmf_cd.json").GetProperty("results").GetProperty(name);
        var nmf = new Nmf { ComponentCount = 5, Solver = NmfSolver.CoordinateDescent, Tolerance = 0.0, AlphaW = alphaW, L1Ratio = l1Ratio };
        UseStart(nmf, SinCos(), NmfInit.Nndsvd, negativeTie);
        var w = nmf.FitTransform(SinCos());
        AssertClose(Load(expected.GetProperty("W")), w, 1e-6, "W");
        AssertClose(Load(expected.GetProperty("H")), nmf.Components, 1e-6, "H");
        double err = expected.GetProperty("reconstruction_err").GetDouble();
        Assert.Equal(err, nmf.ReconstructionError, 1e-6 * err);
    }

    [Fact]
    public void FitTransform_SharedCdFixture_MatchesScikitLearn()
    {
        var expected = TestData.Fixture("nmf_sincos.json").GetProperty("results").GetProperty("frobenius_cd_nndsvd");
        var nmf = new Nmf { ComponentCount = 5, Init = NmfInit.Nndsvd, Tolerance = 0.0 };
        var w = nmf.FitTransform(SinCos());
        AssertClose(Load(expected.GetProperty("W")), w, 1e-6, "W");
        AssertClose(Load(expected.GetProperty("H")), nmf.Components, 1e-6, "H");
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(1.0)]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(3.0)]
    [InlineData(-0.5)]
    public void Fit_MultiplicativeUpdate_DivergenceNeverIncreases(double beta)
    {
        var x = RandomNonNegative(3, 30, 20) + 0.1;
        var objectives = new List<double>();
        new Nmf
        {
            ComponentCount = 4,
            Solver = NmfSolver.MultiplicativeUpdate,
            Beta = beta,
            Tolerance = 0.0,
            MaxIterations = 100,
            OnIteration = info => objectives.Add(info.Objective),
        }.Fit(x);
        Assert.Equal(100, objectives.Count);
        for (int i = 1; i < objectives.Count; i++)
        {
            Assert.True(objectives[i] <= objectives[i - 1] * (1 + 1e-12), $"β = {beta}: divergence rose at iteration {i + 1}: {objectives[i - 1]} → {objectives[i]}");
        }
    }

    [Fact]
    public void OnIteration_ValuesNotReadInTheCallback_ThrowAfterwardsAndReadOnesAreKept()
    {
        var x = RandomNonNegative(4, 12, 9);
        var records = new List<NmfIterationInfo>();
        var read = new List<NmfIterationInfo>();
        var nmf = new Nmf
        {
            ComponentCount = 3,
            Solver = NmfSolver.MultiplicativeUpdate,
            Tolerance = 0.0,
            MaxIterations = 3,
            OnIteration = info =>
            {
                records.Add(info);
                if (info.Iteration == 3)
                {
                    read.Add(Read(info));
                }
            },
        };
        var w = nmf.FitTransform(x);
        Assert.Equal(3, records.Count);
        var e = Assert.Throws<InvalidOperationException>(() => records[0].W);
        Assert.Contains("OnIteration", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => records[0].H);
        Assert.Throws<InvalidOperationException>(() => records[0].Objective);
        Assert.Equal(1, records[0].Iteration);
        Assert.Contains("(not read)", records[0].ToString(), StringComparison.Ordinal);

        // The record read inside its callback keeps the values of that iteration: the fitted factors.
        Assert.Equal(w.ToColumnMajorArray(), read[0].W.ToColumnMajorArray());
        Assert.Equal(nmf.Components.ToColumnMajorArray(), read[0].H.ToColumnMajorArray());
        Assert.Equal(nmf.ReconstructionError, Math.Sqrt(2 * read[0].Objective), 1e-12);
    }

    [Theory]
    [InlineData(NmfSolver.MultiplicativeUpdate)]
    [InlineData(NmfSolver.CoordinateDescent)]
    [InlineData(NmfSolver.Hals)]
    public void OnIteration_CountingCallback_ChangesNothing(NmfSolver solver)
    {
        var x = RandomNonNegative(4, 12, 9);
        var plain = new Nmf { ComponentCount = 3, Solver = solver, MaxIterations = 50 };
        var w0 = plain.FitTransform(x);
        int count = 0;
        var counted = new Nmf { ComponentCount = 3, Solver = solver, MaxIterations = 50, OnIteration = _ => count++ };
        var w1 = counted.FitTransform(x);
        Assert.Equal(counted.Iterations, count);
        Assert.Equal(w0.ToColumnMajorArray(), w1.ToColumnMajorArray());
        Assert.Equal(plain.Components.ToColumnMajorArray(), counted.Components.ToColumnMajorArray());
    }

    /// <summary>Reads every lazily computed value of <paramref name="info"/> (inside its callback), so the record may be kept.</summary>
    internal static NmfIterationInfo Read(NmfIterationInfo info)
    {
        _ = info.Objective;
        _ = info.W;
        _ = info.H;
        return info;
    }

    [Fact]
    public void OnIteration_ReportsFactorsConsistentWithDivergence()
    {
        var x = RandomNonNegative(4, 12, 9);
        NmfIterationInfo? last = null;
        var nmf = new Nmf { ComponentCount = 3, Solver = NmfSolver.MultiplicativeUpdate, Tolerance = 0.0, MaxIterations = 20, OnIteration = info => last = Read(info) };
        var w = nmf.FitTransform(x);
        Assert.NotNull(last);
        Assert.Equal(20, last!.Iteration);
        Assert.Equal(w.ToColumnMajorArray(), last.W.ToColumnMajorArray());
        Assert.Equal(nmf.Components.ToColumnMajorArray(), last.H.ToColumnMajorArray());
        double direct = 0.5 * Math.Pow((x - (last.W * last.H)).FrobeniusNorm(), 2);
        Assert.Equal(direct, last.Objective, 1e-10 * direct);
        Assert.Equal(Math.Sqrt(2 * last.Objective), nmf.ReconstructionError, 1e-12);
    }

    [Theory]
    [InlineData(NmfSolver.MultiplicativeUpdate, NmfLoss.Frobenius)]
    [InlineData(NmfSolver.MultiplicativeUpdate, NmfLoss.KullbackLeibler)]
    [InlineData(NmfSolver.CoordinateDescent, NmfLoss.Frobenius)]
    [InlineData(NmfSolver.Hals, NmfLoss.Frobenius)]
    public void Transform_TrainingData_RecoversFittedW(NmfSolver solver, NmfLoss loss)
    {
        // Exactly factorisable data: with H fixed, W is the unique minimiser, so Transform finds it again.
        var truth = RandomNonNegative(5, 40, 3) * RandomNonNegative(6, 3, 15);
        var nmf = new Nmf { ComponentCount = 3, Solver = solver, Loss = loss, Tolerance = 1e-10, MaxIterations = 3000 };
        var w = nmf.FitTransform(truth);
        var again = nmf.Transform(truth);
        double reconstruction = (nmf.InverseTransform(again) - truth).FrobeniusNorm() / truth.FrobeniusNorm();
        Assert.True(reconstruction < 1e-3, $"relative reconstruction error of Transform {reconstruction}");
        Assert.True((again - w).FrobeniusNorm() / w.FrobeniusNorm() < 1e-2);
    }

    [Fact]
    public void InverseTransform_IsProductWithComponents()
    {
        var x = RandomNonNegative(7, 10, 6);
        var nmf = new Nmf { ComponentCount = 2 };
        var w = nmf.FitTransform(x);
        var expected = w * nmf.Components;
        var actual = nmf.InverseTransform(w);
        Assert.True((expected - actual).FrobeniusNorm() <= 1e-13 * expected.FrobeniusNorm());
        Assert.Equal((x - actual).FrobeniusNorm(), nmf.ReconstructionError, 1e-10);
    }

    [Fact]
    public void Fit_Hals_ReachesCoordinateDescentError()
    {
        var x = RandomNonNegative(8, 60, 40);
        var cd = new Nmf { ComponentCount = 6, Tolerance = 0.0, MaxIterations = 400 }.Fit(x);
        var hals = new Nmf { ComponentCount = 6, Solver = NmfSolver.Hals, Tolerance = 0.0, MaxIterations = 400 }.Fit(x);
        Assert.True(hals.ReconstructionError <= cd.ReconstructionError * (1 + 1e-3), $"HALS {hals.ReconstructionError} vs CD {cd.ReconstructionError}");
    }

    [Fact]
    public void Fit_CustomInit_StartsFromGivenFactors()
    {
        var x = RandomNonNegative(9, 8, 6);
        var w0 = RandomNonNegative(10, 8, 2);
        var h0 = RandomNonNegative(11, 2, 6);
        NmfIterationInfo? first = null;
        var nmf = new Nmf
        {
            Init = NmfInit.Custom,
            InitialW = w0,
            InitialH = h0,
            Solver = NmfSolver.MultiplicativeUpdate,
            MaxIterations = 1,
            Tolerance = 0.0,
            OnIteration = i => first = Read(i),
        };
        nmf.Fit(x);
        Assert.Equal(2, nmf.Components.RowCount);

        // One Lee–Seung step from (W0, H0), computed directly.
        var w1 = w0.PointwiseMultiply((x * h0.Transpose()).PointwiseDivide(w0 * h0 * h0.Transpose()));
        var h1 = h0.PointwiseMultiply((w1.Transpose() * x).PointwiseDivide(w1.Transpose() * w1 * h0));
        Assert.True((first!.W - w1).FrobeniusNorm() < 1e-12 * w1.FrobeniusNorm());
        Assert.True((first.H - h1).FrobeniusNorm() < 1e-12 * h1.FrobeniusNorm());
    }

    [Fact]
    public void Fit_SameSeedRandomInit_Identical()
    {
        var x = RandomNonNegative(12, 20, 10);
        var a = new Nmf { ComponentCount = 12, Init = NmfInit.Random, RandomSeed = 3, Shuffle = true }.Fit(x);
        var b = new Nmf { ComponentCount = 12, Init = NmfInit.Random, RandomSeed = 3, Shuffle = true }.Fit(x);
        Assert.Equal(a.Components.ToColumnMajorArray(), b.Components.ToColumnMajorArray());
    }

    [Fact]
    public void Fit_DefaultInitWithMoreComponentsThanRows_UsesRandom()
    {
        var x = RandomNonNegative(13, 5, 10);
        var nmf = new Nmf { RandomSeed = 1 }.Fit(x);
        Assert.Equal(10, nmf.Components.RowCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nmf { Init = NmfInit.NndsvdA }.Fit(x));
    }

    [Fact]
    public void Fit_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => new Nmf { ComponentCount = 2 }.Fit(RandomNonNegative(14, 6, 4), cts.Token));
    }

    public static TheoryData<string> BadInputs() => ["negative", "nan", "inf", "k0", "knndsvd", "zeros_is", "custom_shape", "custom_negative", "custom_missing", "cd_kl", "beta_nan", "l1ratio", "alpha"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Fit_BadInput_ThrowsAndModifiesNothing(string kind)
    {
        var x = RandomNonNegative(15, 10, 6);
        var nmf = new Nmf { ComponentCount = 2 }.Fit(x);
        var before = nmf.Components.ToColumnMajorArray();
        var xb = x.Clone();
        xb[7, 4] = kind switch
        {
            "negative" => -1e-3,
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "zeros_is" => 0.0,
            _ => xb[7, 4],
        };
        Action act = kind switch
        {
            "negative" or "nan" or "inf" => () => nmf.Fit(xb),
            "k0" => () => { nmf.ComponentCount = 0; nmf.Fit(x); }
            ,
            "knndsvd" => () => { nmf.ComponentCount = 7; nmf.Init = NmfInit.Nndsvd; nmf.Fit(x); }
            ,
            "zeros_is" => () => { nmf.Solver = NmfSolver.MultiplicativeUpdate; nmf.Loss = NmfLoss.ItakuraSaito; nmf.Fit(xb); }
            ,
            "custom_shape" => () => { nmf.Init = NmfInit.Custom; nmf.InitialW = RandomNonNegative(1, 10, 2); nmf.InitialH = RandomNonNegative(2, 2, 5); nmf.Fit(x); }
            ,
            "custom_negative" => () => { nmf.Init = NmfInit.Custom; nmf.InitialW = RandomNonNegative(1, 10, 2); nmf.InitialH = -RandomNonNegative(2, 2, 6); nmf.Fit(x); }
            ,
            "custom_missing" => () => { nmf.Init = NmfInit.Custom; nmf.Fit(x); }
            ,
            "cd_kl" => () => { nmf.Loss = NmfLoss.KullbackLeibler; nmf.Fit(x); }
            ,
            "beta_nan" => () => { nmf.Solver = NmfSolver.MultiplicativeUpdate; nmf.Beta = double.NaN; nmf.Fit(x); }
            ,
            "l1ratio" => () => { nmf.L1Ratio = 1.5; nmf.Fit(x); }
            ,
            _ => () => { nmf.AlphaW = -1; nmf.Fit(x); }
            ,
        };
        var copy = xb.Clone();
        var e = Assert.ThrowsAny<ArgumentException>(act);
        if (kind is "negative" or "nan" or "inf" or "zeros_is")
        {
            Assert.Equal("x", e.ParamName);
            Assert.Contains("row 7, column 4", e.Message, StringComparison.Ordinal);
        }

        if (kind is "k0" or "knndsvd")
        {
            Assert.IsType<ArgumentOutOfRangeException>(e);
            Assert.Equal("ComponentCount", e.ParamName);
        }

        Assert.Equal(copy.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits), xb.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(before, nmf.Components.ToColumnMajorArray());
    }

    [Fact]
    public void Transform_WrongColumnsOrNegative_Throws()
    {
        var x = RandomNonNegative(16, 10, 6);
        var nmf = new Nmf { ComponentCount = 2 }.Fit(x);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => nmf.Transform(RandomNonNegative(1, 3, 5))).ParamName);
        var xb = x.Clone();
        xb[2, 3] = -1;
        Assert.Contains("row 2, column 3", Assert.Throws<ArgumentException>(() => nmf.Transform(xb)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new Nmf().Transform(x));
    }
}
