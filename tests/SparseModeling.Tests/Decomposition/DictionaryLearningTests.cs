// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using static SparseModeling.Tests.TestAssert;

namespace SparseModeling.Tests.Decomposition;

public class DictionaryLearningTests
{
    private static readonly JsonElement Fixture = TestData.Fixture("dictionary_learning.json");

    internal static Matrix<double> Load(JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(r => TestData.Doubles(r)).ToArray();
        return Matrix<double>.Build.Dense(data.Length, data[0].Length, (i, j) => data[i][j]);
    }

    internal static Matrix<double> FixtureMatrix(string name) => Load(Fixture.GetProperty(name));

    internal static JsonElement Case(string name) => Fixture.GetProperty("results").GetProperty(name);

    /// <summary>Signals of 3 atoms each from a random unit dictionary (K × m), plus noise: n × m.</summary>
    internal static (Matrix<double> X, Matrix<double> Atoms) Synthetic(ulong seed, int n, int m, int k, int perSignal = 3, double noise = 0.01)
    {
        var rng = new SplitMix64(seed);
        var atoms = Matrix<double>.Build.Dense(k, m, (_, _) => rng.NextNormal());
        for (int a = 0; a < k; a++)
        {
            atoms.SetRow(a, atoms.Row(a).Normalize(2));
        }

        var codes = Matrix<double>.Build.Dense(n, k);
        for (int i = 0; i < n; i++)
        {
            for (int s = 0; s < perSignal; s++)
            {
                codes[i, rng.NextInt(k)] = rng.NextNormal() * 2.0;
            }
        }

        return ((codes * atoms) + Matrix<double>.Build.Dense(n, m, (_, _) => noise * rng.NextNormal()), atoms);
    }

    /// <summary>½‖X − C·D‖²_F + α‖C‖₁.</summary>
    internal static double Objective(Matrix<double> x, Matrix<double> codes, Matrix<double> dictionary, double alpha)
    {
        double residual = (x - (codes * dictionary)).FrobeniusNorm();
        return (0.5 * residual * residual) + (alpha * codes.Enumerate().Sum(Math.Abs));
    }

    private static DictionaryLearning FixtureModel(string name)
    {
        var d0 = FixtureMatrix("D0");
        var c0 = FixtureMatrix("C0");
        var model = new DictionaryLearning { ComponentCount = 8, Alpha = 0.5, MaxIterations = 30, Tolerance = 1e-8, RandomSeed = 0 };
        switch (name)
        {
            case "batch_lars":
                (model.InitialDictionary, model.InitialCode) = (d0, c0);
                break;
            case "batch_cd":
                (model.InitialDictionary, model.InitialCode, model.FitAlgorithm) = (d0, c0, DictionaryFitAlgorithm.LassoCd);
                break;
            case "batch_positive":
                (model.InitialDictionary, model.InitialCode, model.FitAlgorithm) = (d0.PointwiseAbs(), c0.PointwiseAbs(), DictionaryFitAlgorithm.LassoCd);
                (model.PositiveDictionary, model.PositiveCode, model.TransformAlgorithm) = (true, true, SparseCodingAlgorithm.LassoCd);
                break;
            case "batch_svd_start":
                break;
            case "batch_svd_start_cd":
                model.FitAlgorithm = DictionaryFitAlgorithm.LassoCd;
                break;
            case "batch_tolerance_stop":
                (model.InitialDictionary, model.InitialCode, model.MaxIterations, model.Tolerance) = (d0, c0, 1000, 1e-3);
                break;
            case "batch_transform_lasso_lars":
                (model.InitialDictionary, model.InitialCode) = (d0, c0);
                (model.TransformAlgorithm, model.TransformAlpha, model.SplitSign) = (SparseCodingAlgorithm.LassoLars, 0.1, true);
                break;
            default:
                throw new ArgumentException(name);
        }

        return model;
    }

    public static TheoryData<string> FixtureCases() => new()
    {
        "batch_lars", "batch_cd", "batch_positive", "batch_svd_start", "batch_svd_start_cd", "batch_tolerance_stop", "batch_transform_lasso_lars",
    };

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Fit_FixedStart_MatchesScikitLearn(string name)
    {
        var expected = Case(name);
        var model = FixtureModel(name);
        var x = FixtureMatrix("X");
        var copy = x.Clone();
        Assert.Same(model, model.Fit(x));
        Assert.Equal(copy, x);
        AssertClose(Load(expected.GetProperty("components")), model.Components, 1e-6, "components");
        var errors = TestData.Doubles(expected.GetProperty("errors"));
        Assert.Equal(errors.Length, model.Iterations);
        Assert.Equal(expected.GetProperty("n_iter").GetInt32(), model.Iterations);
        Assert.Equal(errors.Length, model.Errors.Count);
        for (int i = 0; i < errors.Length; i++)
        {
            Assert.True(Math.Abs(model.Errors[i] - errors[i]) <= 1e-8 * errors[i], $"objective {i}: {model.Errors[i]} vs {errors[i]}");
        }

        Assert.Equal(model.Iterations < 30 || name == "batch_tolerance_stop", model.Converged);
        AssertClose(Load(expected.GetProperty("transform_X2")), model.Transform(FixtureMatrix("X2")), 1e-6, "transform");
    }

    [Fact]
    public void Fit_StartsGiven_DoesNotModifyThem()
    {
        var d0 = FixtureMatrix("D0");
        var c0 = FixtureMatrix("C0");
        var (dCopy, cCopy) = (d0.Clone(), c0.Clone());
        new DictionaryLearning { ComponentCount = 8, Alpha = 0.5, MaxIterations = 3, FitAlgorithm = DictionaryFitAlgorithm.LassoCd, InitialDictionary = d0, InitialCode = c0 }.Fit(FixtureMatrix("X"));
        Assert.Equal(dCopy, d0);
        Assert.Equal(cCopy, c0);
    }

    [Theory]
    [InlineData(DictionaryFitAlgorithm.LassoLars)]
    [InlineData(DictionaryFitAlgorithm.LassoCd)]
    public void Fit_ObjectiveNeverIncreases_AndAtomsStayInTheUnitBall(DictionaryFitAlgorithm algorithm)
    {
        var (x, _) = Synthetic(3, 120, 12, 20);
        var reported = new List<double>();
        var model = new DictionaryLearning { ComponentCount = 16, Alpha = 0.3, MaxIterations = 40, Tolerance = 0.0, FitAlgorithm = algorithm, RandomSeed = 1 };
        model.OnIteration = info => reported.Add(info.Objective);
        var codes = model.FitTransform(x);
        Assert.Equal(40, model.Iterations);
        Assert.Equal(model.Errors.ToArray(), reported.ToArray());
        for (int i = 1; i < reported.Count; i++)
        {
            // Each half-step minimises the objective over one block (exactly for the atoms; to the coder's tolerance for the codes).
            Assert.True(reported[i] <= reported[i - 1] * (1.0 + 1e-6), $"iteration {i + 1}: {reported[i]} > {reported[i - 1]}");
        }

        Assert.True(reported[^1] < 0.8 * reported[0], $"{reported[^1]} vs {reported[0]}");
        var d = model.Components;
        for (int k = 0; k < d.RowCount; k++)
        {
            Assert.True(d.Row(k).L2Norm() <= 1.0 + 1e-12, $"atom {k} has norm {d.Row(k).L2Norm()}");
        }

        // The training codes are the last iteration's: the objective recomputed from them is the last one recorded.
        Assert.Equal(reported[^1], Objective(x, codes, d, 0.3), 1e-9 * reported[^1]);
    }

    [Fact]
    public void Fit_MoreAtomsThanTheRank_RedrawsZeroAtomsWithoutNaN()
    {
        // 6 samples bound the SVD start to 6 atoms: the other 4 start at zero and are re-drawn by the first update.
        var (x, _) = Synthetic(5, 6, 10, 4);
        var model = new DictionaryLearning { ComponentCount = 10, Alpha = 0.1, MaxIterations = 20, RandomSeed = 2 }.Fit(x);
        var d = model.Components;
        Assert.All(d.Enumerate(), v => Assert.True(double.IsFinite(v)));
        for (int k = 0; k < 10; k++)
        {
            Assert.True(d.Row(k).L2Norm() > 0.0, $"atom {k} is zero");
        }

        Assert.All(model.Transform(x).Enumerate(), v => Assert.True(double.IsFinite(v)));
        Assert.All(model.Errors, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Fit_RedrawsDependOnTheSeedOnly()
    {
        var (x, _) = Synthetic(5, 6, 10, 4);
        double[] Run(int seed) => new DictionaryLearning { ComponentCount = 10, Alpha = 0.1, MaxIterations = 5, RandomSeed = seed }.Fit(x).Components.ToColumnMajorArray();
        Assert.Equal(Run(4), Run(4));
        Assert.NotEqual(Run(4), Run(5));
    }

    [Fact]
    public void Fit_RecoversThePlantedDictionary()
    {
        // 400 signals of 3 atoms from 10 unit atoms in 20 dimensions, little noise: most learned atoms align with a planted one.
        var (x, atoms) = Synthetic(7, 400, 20, 10, noise: 0.005);
        var model = new DictionaryLearning { ComponentCount = 10, Alpha = 0.05, MaxIterations = 200, RandomSeed = 0 }.Fit(x);
        var learned = model.Components;
        int recovered = 0;
        for (int a = 0; a < 10; a++)
        {
            double best = Enumerable.Range(0, 10).Max(k => Math.Abs(atoms.Row(a).DotProduct(learned.Row(k)) / learned.Row(k).L2Norm()));
            recovered += best > 0.99 ? 1 : 0;
        }

        Assert.True(recovered >= 8, $"only {recovered} of 10 atoms recovered");
    }

    [Fact]
    public void FitTransform_SplitSign_InverseTransformRebuildsTheData()
    {
        var (x, _) = Synthetic(8, 60, 12, 8);
        var model = new DictionaryLearning { ComponentCount = 8, Alpha = 0.05, MaxIterations = 50, SplitSign = true, TransformAlgorithm = SparseCodingAlgorithm.LassoLars, TransformAlpha = 0.01, RandomSeed = 0 };
        var split = model.FitTransform(x);
        Assert.Equal(16, split.ColumnCount);
        Assert.All(split.Enumerate(), v => Assert.True(v >= 0.0));
        var t = model.Transform(x);
        Assert.Equal(16, t.ColumnCount);
        var folded = t.SubMatrix(0, 60, 0, 8) - t.SubMatrix(0, 60, 8, 8);
        var rebuilt = model.InverseTransform(t);
        Assert.True((rebuilt - (folded * model.Components)).FrobeniusNorm() < 1e-12 * rebuilt.FrobeniusNorm());
        Assert.True((rebuilt - x).FrobeniusNorm() < 0.2 * x.FrobeniusNorm());
        Assert.Equal("codes", Assert.Throws<ArgumentException>(() => model.InverseTransform(folded)).ParamName);
    }

    [Fact]
    public void Fit_BadStartsAndParameters_ThrowNamedExceptionsAndKeepTheModel()
    {
        var x = FixtureMatrix("X");
        var model = new DictionaryLearning { ComponentCount = 8, MaxIterations = 3, RandomSeed = 0 }.Fit(x);
        var before = model.Components.ToColumnMajorArray();
        var nan = FixtureMatrix("D0");
        nan[2, 3] = double.NaN;
        void Refused<TException>(string name, Action<DictionaryLearning> set)
            where TException : ArgumentException
        {
            var failing = new DictionaryLearning { ComponentCount = 8, MaxIterations = 3, RandomSeed = 0 }.Fit(x);
            set(failing);
            var e = Assert.Throws<TException>(() => failing.Fit(x));
            Assert.Equal(name, e.ParamName);
            Assert.Equal(before, failing.Components.ToColumnMajorArray());
        }

        Refused<ArgumentException>("InitialDictionary", m => m.InitialDictionary = Matrix<double>.Build.Dense(8, 15));
        Refused<ArgumentException>("InitialDictionary", m => m.InitialDictionary = nan);
        Assert.Contains("row 2, column 3", Assert.Throws<ArgumentException>(() => new DictionaryLearning { InitialDictionary = nan }.Fit(x)).Message, StringComparison.Ordinal);
        Refused<ArgumentException>("InitialCode", m => m.InitialCode = FixtureMatrix("C0"));
        Refused<ArgumentException>("InitialCode", m => (m.InitialDictionary, m.InitialCode) = (FixtureMatrix("D0"), Matrix<double>.Build.Dense(39, 8)));
        Refused<ArgumentException>("PositiveCode", m => m.PositiveCode = true);
        Refused<ArgumentOutOfRangeException>("TransformNonzeroCoefficients", m => (m.ComponentCount, m.TransformNonzeroCoefficients) = (4, 5));
        Refused<ArgumentOutOfRangeException>("Alpha", m => m.Alpha = -1);
        Refused<ArgumentOutOfRangeException>("FitAlgorithm", m => m.FitAlgorithm = (DictionaryFitAlgorithm)7);
        Refused<ArgumentOutOfRangeException>("ComponentCount", m => m.ComponentCount = 0);
        Refused<ArgumentOutOfRangeException>("Tolerance", m => m.Tolerance = double.NaN);
    }

    [Fact]
    public void SaveLoad_KeepsErrorsAndTransformsIdentically()
    {
        var x = FixtureMatrix("X");
        var model = new DictionaryLearning { ComponentCount = 8, Alpha = 0.5, MaxIterations = 10, TransformAlgorithm = SparseCodingAlgorithm.LassoCd, RandomSeed = 0 }.Fit(x);
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<DictionaryLearning>(stream);
        Assert.Equal(model.Errors.ToArray(), loaded.Errors.ToArray());
        Assert.Equal(model.Iterations, loaded.Iterations);
        Assert.Equal(SparseCodingAlgorithm.LassoCd, loaded.TransformAlgorithm);
        Assert.Equal(model.Transform(x).ToColumnMajorArray(), loaded.Transform(x).ToColumnMajorArray());
    }
}
