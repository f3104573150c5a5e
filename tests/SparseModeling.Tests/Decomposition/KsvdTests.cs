// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

public class KsvdTests
{
    private static readonly JsonElement Fixture = TestData.Fixture("ksvd_spmimage.json");

    [Theory]
    [InlineData("normal", KsvdMethod.Normal, false)]
    [InlineData("approximate", KsvdMethod.Approximate, false)]
    [InlineData("normal_missing0", KsvdMethod.Normal, true)]
    [InlineData("approximate_missing0", KsvdMethod.Approximate, true)]
    public void Fit_FromAGivenStart_MatchesSpmImage(string name, KsvdMethod method, bool missing)
    {
        var expected = Fixture.GetProperty("results").GetProperty(name);
        var x = Rows(Fixture.GetProperty(missing ? "Xm" : "X"));
        var start = Rows(Fixture.GetProperty("D0"));
        var (xBefore, startBefore) = (x.Clone(), start.Clone());
        var ksvd = new Ksvd
        {
            ComponentCount = 16,
            NonzeroCoefficients = 3,
            MaxIterations = 5,
            Method = method,
            InitialDictionary = start,
            MissingValue = missing ? 0.0 : null,
        }.Fit(x);

        Assert.Equal(expected.GetProperty("n_iter").GetInt32(), ksvd.Iterations);
        var errors = TestData.Doubles(expected.GetProperty("errors"));
        Assert.Equal(errors.Length, ksvd.Errors.Count);
        for (int i = 0; i < errors.Length; i++)
        {
            Assert.True(Math.Abs(errors[i] - ksvd.Errors[i]) <= 1e-8 * errors[i], $"error {i}: expected {errors[i]}, got {ksvd.Errors[i]}");
        }

        // Atoms up to sign (an SVD's sign is arbitrary).
        var components = Rows(expected.GetProperty("components"));
        for (int t = 0; t < components.RowCount; t++)
        {
            var a = components.Row(t);
            var b = ksvd.Components.Row(t);
            double sign = a.DotProduct(b) < 0.0 ? -1.0 : 1.0;
            Assert.True((a - (sign * b)).InfinityNorm() <= 1e-7, $"atom {t} differs by {(a - (sign * b)).InfinityNorm()}");
        }

        // spm-image writes into its dictionary start and, with missing values, into X: we must not.
        Assert.Equal(xBefore, x);
        Assert.Equal(startBefore, start);
    }

    /// <summary>
    /// The synthetic experiment of Aharon, Elad and Bruckstein (2006), section V.A: a random 20 × 50 dictionary of unit atoms,
    /// 1500 signals of 3 atoms with random coefficients plus noise at 20 dB SNR, K-SVD with 3 atoms per signal for 80
    /// iterations started from 50 of the signals (normalised); an atom counts as recovered when some learned atom d̂ has
    /// |⟨d, d̂⟩| &gt; 0.99. Averaged over 10 instances the paper's K-SVD recovers about 90%; we require 85%.
    /// </summary>
    [Fact]
    public void Fit_SyntheticExperimentOfThePaper_RecoversTheAtoms()
    {
        const int features = 20, atoms = 50, signals = 1500, perSignal = 3, instances = 10;
        double total = 0.0;
        for (int instance = 0; instance < instances; instance++)
        {
            var rng = new SplitMix64((ulong)(1000 + instance));
            var truth = Matrix<double>.Build.Dense(atoms, features, (_, _) => rng.NextNormal());
            for (int a = 0; a < atoms; a++)
            {
                truth.SetRow(a, truth.Row(a).Normalize(2));
            }

            var x = Matrix<double>.Build.Dense(signals, features);
            var chosen = new int[perSignal];
            for (int s = 0; s < signals; s++)
            {
                for (int c = 0; c < perSignal; c++)
                {
                    int pick;
                    do
                    {
                        pick = rng.NextInt(atoms);
                    }
                    while (chosen.AsSpan(0, c).Contains(pick));
                    chosen[c] = pick;
                    x.SetRow(s, x.Row(s) + (rng.NextNormal() * truth.Row(pick)));
                }
            }

            // Noise at 20 dB: its power one hundredth of the signals'.
            double signalPower = x.FrobeniusNorm() * x.FrobeniusNorm() / (signals * features);
            double sigma = Math.Sqrt(signalPower / 100.0);
            x += Matrix<double>.Build.Dense(signals, features, (_, _) => sigma * rng.NextNormal());

            var start = Matrix<double>.Build.Dense(atoms, features);
            for (int a = 0; a < atoms; a++)
            {
                start.SetRow(a, x.Row(a).Normalize(2));
            }

            var learned = new Ksvd { ComponentCount = atoms, NonzeroCoefficients = perSignal, MaxIterations = 80, Tolerance = 0.0, Method = KsvdMethod.Normal, InitialDictionary = start }
                .Fit(x).Components;
            int recovered = 0;
            for (int a = 0; a < atoms; a++)
            {
                var products = learned * truth.Row(a);
                if (products.AbsoluteMaximum() > 0.99)
                {
                    recovered++;
                }
            }

            total += (double)recovered / atoms;
        }

        Assert.True(total / instances >= 0.85, $"recovered {100 * total / instances:F1}% of the atoms on average");
    }

    [Theory]
    [InlineData(KsvdMethod.Normal)]
    [InlineData(KsvdMethod.Approximate)]
    public void Fit_SpmImageTestData_ErrorDecreasesAndTransformReconstructs(KsvdMethod method)
    {
        var x = Rows(Fixture.GetProperty("X"));
        var ksvd = new Ksvd { ComponentCount = 24, NonzeroCoefficients = 3, MaxIterations = 10, Method = method, RandomSeed = 4 }.Fit(x);
        var errors = ksvd.Errors;
        Assert.Equal(ksvd.Iterations + 1, errors.Count);
        Assert.True(errors[^1] < errors[0]);
        Assert.Equal(x.FrobeniusNorm(), errors[0], 12);
        var codes = ksvd.Transform(x);
        Assert.All(Enumerable.Range(0, codes.RowCount), i => Assert.True(codes.Row(i).Count(v => v != 0.0) <= 3));
        Assert.True((x - ksvd.InverseTransform(codes)).FrobeniusNorm() <= errors[0]);
    }

    [Theory]
    [InlineData(KsvdMethod.Normal)]
    [InlineData(KsvdMethod.Approximate)]
    public void Fit_WarmStart_EachRefitContinuesFromTheFittedDictionary(KsvdMethod method)
    {
        // Two warm one-iteration fits are one two-iteration fit, bit for bit; without WarmStart a refit repeats the first.
        var x = Rows(Fixture.GetProperty("X"));
        var warm = new Ksvd { ComponentCount = 16, NonzeroCoefficients = 3, MaxIterations = 1, Method = method, WarmStart = true, RandomSeed = 2 };
        warm.Fit(x);
        warm.Fit(x);
        var twice = new Ksvd { ComponentCount = 16, NonzeroCoefficients = 3, MaxIterations = 2, Method = method, RandomSeed = 2 }.Fit(x);
        Assert.Equal(twice.Components.ToColumnMajorArray(), warm.Components.ToColumnMajorArray());
        Assert.Equal(twice.Errors[^1], warm.Errors[^1]);
        Assert.Equal(x.FrobeniusNorm(), warm.Errors[0], 12);

        var cold = new Ksvd { ComponentCount = 16, NonzeroCoefficients = 3, MaxIterations = 3, Method = method, RandomSeed = 2 };
        var first = cold.Fit(x).Components.ToColumnMajorArray();
        Assert.Equal(first, cold.Fit(x).Components.ToColumnMajorArray());
    }

    [Fact]
    public void Fit_MissingNaN_LearnsFromObservedEntriesAndTransformIgnoresThem()
    {
        var x = Rows(Fixture.GetProperty("Xm"));
        var withNaN = x.Map(v => v == 0.0 ? double.NaN : v);
        var zero = new Ksvd { ComponentCount = 16, NonzeroCoefficients = 3, MaxIterations = 4, Method = KsvdMethod.Normal, RandomSeed = 8, MissingValue = 0.0 }.Fit(x);
        var nan = new Ksvd { ComponentCount = 16, NonzeroCoefficients = 3, MaxIterations = 4, Method = KsvdMethod.Normal, RandomSeed = 8, MissingValue = double.NaN }.Fit(withNaN);
        Assert.Equal(zero.Components.ToColumnMajorArray(), nan.Components.ToColumnMajorArray());
        Assert.Equal(zero.Errors, nan.Errors);
        Assert.True(nan.Errors[^1] < nan.Errors[0]);
        Assert.Equal(zero.Transform(x).ToColumnMajorArray(), nan.Transform(withNaN).ToColumnMajorArray());
    }

    [Fact]
    public void Fit_UnusedAtoms_AreReplacedOnlyWhenAsked()
    {
        // Two copies of one atom in the start: OMP never picks the second copy, so it is unused.
        var x = Rows(Fixture.GetProperty("X"));
        var start = Rows(Fixture.GetProperty("D0"));
        start.SetRow(7, start.Row(3));
        int unusedFirst = -1;
        var kept = new Ksvd { ComponentCount = 16, NonzeroCoefficients = 3, MaxIterations = 1, Method = KsvdMethod.Normal, InitialDictionary = start, OnIteration = info => unusedFirst = info.UnusedAtoms }.Fit(x);
        Assert.True(unusedFirst >= 1);
        var replaced = new Ksvd { ComponentCount = 16, NonzeroCoefficients = 3, MaxIterations = 1, Method = KsvdMethod.Normal, InitialDictionary = start, ReplaceUnusedAtoms = true }.Fit(x);
        int moved = 0;
        for (int t = 0; t < 16; t++)
        {
            if (!kept.Components.Row(t).Equals(replaced.Components.Row(t)))
            {
                moved++;
                Assert.Equal(1.0, replaced.Components.Row(t).L2Norm(), 12);
            }
        }

        Assert.Equal(unusedFirst, moved);
        Assert.Equal(start.Row(3), kept.Components.Row(7));
    }

    [Fact]
    public void Fit_BadInput_ThrowsNamingIt()
    {
        var x = Rows(Fixture.GetProperty("X"));
        Assert.Equal("InitialDictionary", Assert.Throws<ArgumentException>(() => new Ksvd { ComponentCount = 16, InitialDictionary = Matrix<double>.Build.Dense(16, 31) }.Fit(x)).ParamName);
        Assert.Equal("InitialDictionary", Assert.Throws<ArgumentException>(() => new Ksvd { ComponentCount = 10, InitialDictionary = Matrix<double>.Build.Dense(16, 32) }.Fit(x)).ParamName);
        Assert.Equal("NonzeroCoefficients", Assert.Throws<ArgumentOutOfRangeException>(() => new Ksvd { ComponentCount = 4, NonzeroCoefficients = 5 }.Fit(x)).ParamName);
        var allMissing = x.Clone();
        allMissing.SetRow(5, new double[32]);
        Assert.Contains("Row 5", Assert.ThrowsAny<ArgumentException>(() => new Ksvd { ComponentCount = 8, MissingValue = 0.0 }.Fit(allMissing)).Message, StringComparison.Ordinal);
    }

    private static Matrix<double> Rows(JsonElement array) =>
        Matrix<double>.Build.DenseOfRowArrays(array.EnumerateArray().Select(TestData.Doubles));
}
