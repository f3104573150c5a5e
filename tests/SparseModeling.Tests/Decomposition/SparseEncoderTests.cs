// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.Decomposition;

public class SparseEncoderTests
{
    private static readonly JsonElement Base = TestData.Fixture("sparse_encode.json");
    private static readonly JsonElement Cases = TestData.Fixture("sparse_encode_cases.json");

    private static Matrix<double> Signals => Rows(Base.GetProperty("X"));

    private static Matrix<double> Dictionary => Rows(Base.GetProperty("dictionary"));

    public static TheoryData<string, SparseCodingAlgorithm, int?, double?, bool, double> FixtureCases() => new()
    {
        { "omp_n_nonzero_4", SparseCodingAlgorithm.Omp, 4, null, false, 1e-8 },
        { "lasso_lars_alpha_0.05", SparseCodingAlgorithm.LassoLars, null, 0.05, false, 1e-6 },
        { "threshold_alpha_0.5", SparseCodingAlgorithm.Threshold, null, 0.5, false, 1e-6 },
        { "lars_n_nonzero_3", SparseCodingAlgorithm.Lars, 3, null, false, 1e-8 },
        { "lars_default", SparseCodingAlgorithm.Lars, null, null, false, 1e-8 },
        { "omp_default", SparseCodingAlgorithm.Omp, null, null, false, 1e-8 },
        { "omp_tol_0.5", SparseCodingAlgorithm.Omp, null, 0.5, false, 1e-8 },
        { "lasso_cd_alpha_0.05", SparseCodingAlgorithm.LassoCd, null, 0.05, false, 1e-6 },
        { "lasso_cd_alpha_0.05_positive", SparseCodingAlgorithm.LassoCd, null, 0.05, true, 1e-6 },
        { "lasso_lars_default", SparseCodingAlgorithm.LassoLars, null, null, false, 1e-6 },
        { "threshold_alpha_0.5_positive", SparseCodingAlgorithm.Threshold, null, 0.5, true, 1e-6 },
    };

    public static TheoryData<string, SparseCodingAlgorithm, int?, double?> MaskedCases() => new()
    {
        { "masked_omp_n_nonzero_4", SparseCodingAlgorithm.Omp, 4, null },
        { "masked_lasso_lars_alpha_0.05", SparseCodingAlgorithm.LassoLars, null, 0.05 },
        { "masked_lasso_cd_alpha_0.05", SparseCodingAlgorithm.LassoCd, null, 0.05 },
        { "masked_threshold_alpha_0.5", SparseCodingAlgorithm.Threshold, null, 0.5 },
    };

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Encode_MatchesScikitLearn(string name, SparseCodingAlgorithm algorithm, int? nonzero, double? alpha, bool positive, double tolerance)
    {
        var expected = Expected(name);
        var x = Signals;
        var before = x.Clone();
        var codes = SparseEncoder.Encode(x, Dictionary, algorithm, nonzero, alpha, positive);
        AssertClose(expected, codes, tolerance);
        Assert.Equal(before, x);
    }

    [Fact]
    public void Encode_PositiveLassoLars_IsOptimalAndMatchesScikitLearnWhereItsPathIsOptimal()
    {
        // scikit-learn documents that its positive LARS-Lasso may stop short of the Lasso solution; on two of these rows
        // its code has a higher objective. Ours satisfies the optimality conditions of the positive Lasso on every row and
        // equals scikit-learn's code wherever scikit-learn's is optimal too.
        const double alpha = 0.05;
        var x = Signals;
        var d = Dictionary;
        var expected = Expected("lasso_lars_alpha_0.05_positive");
        var codes = SparseEncoder.Encode(x, d, SparseCodingAlgorithm.LassoLars, alpha: alpha, positive: true);
        int features = x.ColumnCount, differing = 0;
        for (int i = 0; i < x.RowCount; i++)
        {
            var code = codes.Row(i);
            var gradient = d * (x.Row(i) - (d.Transpose() * code)) / features;
            for (int a = 0; a < code.Count; a++)
            {
                Assert.True(code[a] >= 0.0);
                Assert.True(code[a] > 0.0 ? Math.Abs(gradient[a] - (alpha / features)) <= 1e-9 : gradient[a] <= (alpha / features) + 1e-9, $"row {i}, atom {a}: KKT violated");
            }

            double ours = Objective(x.Row(i), d, code, alpha), theirs = Objective(x.Row(i), d, expected.Row(i), alpha);
            Assert.True(ours <= theirs + 1e-12, $"row {i}: objective {ours} above scikit-learn's {theirs}");
            if (theirs - ours > 1e-9)
            {
                differing++;
                continue;
            }

            for (int a = 0; a < code.Count; a++)
            {
                Assert.True(Math.Abs(expected[i, a] - code[a]) <= 1e-6 * Math.Max(1.0, Math.Abs(expected[i, a])), $"code[{i}, {a}]: expected {expected[i, a]}, got {code[a]}");
            }
        }

        Assert.InRange(differing, 0, 3);
    }

    [Theory]
    [MemberData(nameof(MaskedCases))]
    public void EncodeWithMask_MatchesSpmImage(string name, SparseCodingAlgorithm algorithm, int? nonzero, double? alpha)
    {
        var mask = Rows(Cases.GetProperty("mask"));
        var x = Signals;
        for (int i = 0; i < x.RowCount; i++)
        {
            for (int j = 0; j < x.ColumnCount; j++)
            {
                if (mask[i, j] == 0.0)
                {
                    x[i, j] = double.NaN; // missing entries are never read
                }
            }
        }

        var codes = SparseEncoder.EncodeWithMask(x, Dictionary, mask, algorithm, nonzero, alpha);
        AssertClose(Expected(name), codes, algorithm == SparseCodingAlgorithm.Omp ? 1e-8 : 1e-6);
    }

    [Theory]
    [InlineData(SparseCodingAlgorithm.Omp)]
    [InlineData(SparseCodingAlgorithm.Lars)]
    [InlineData(SparseCodingAlgorithm.LassoLars)]
    [InlineData(SparseCodingAlgorithm.LassoCd)]
    [InlineData(SparseCodingAlgorithm.Threshold)]
    public void EncodeWithMask_NothingMissing_EqualsEncode(SparseCodingAlgorithm algorithm)
    {
        var x = Signals;
        var mask = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, 1.0);
        AssertClose(SparseEncoder.Encode(x, Dictionary, algorithm, alpha: algorithm == SparseCodingAlgorithm.Omp ? null : 0.05), SparseEncoder.EncodeWithMask(x, Dictionary, mask, algorithm, alpha: algorithm == SparseCodingAlgorithm.Omp ? null : 0.05), 1e-10);
    }

    [Theory]
    [InlineData(SparseCodingAlgorithm.Omp)]
    [InlineData(SparseCodingAlgorithm.Lars)]
    [InlineData(SparseCodingAlgorithm.LassoLars)]
    [InlineData(SparseCodingAlgorithm.LassoCd)]
    [InlineData(SparseCodingAlgorithm.Threshold)]
    public void Encode_ZeroAtom_NeverProducesNaNAndLeavesItUnused(SparseCodingAlgorithm algorithm)
    {
        var dictionary = Dictionary;
        dictionary.ClearRow(5);
        var codes = SparseEncoder.Encode(Signals, dictionary, algorithm, alpha: algorithm == SparseCodingAlgorithm.Omp ? null : 0.05);
        Assert.All(codes.Enumerate(), v => Assert.True(double.IsFinite(v)));
        Assert.All(codes.Column(5).Enumerate(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Encode_OrthonormalDictionary_ThresholdIsTheLassoSolution()
    {
        // For orthonormal atoms the Lasso code is the soft threshold of D·x at α (with α scaled as sparse_encode does).
        var q = Matrix<double>.Build.Random(16, 16, 3).QR().Q;
        var x = Matrix<double>.Build.Dense(10, 16, (i, j) => Math.Sin((i + 1) * (j + 2)));
        var threshold = SparseEncoder.Encode(x, q, SparseCodingAlgorithm.Threshold, alpha: 0.3);
        AssertClose(threshold, SparseEncoder.Encode(x, q, SparseCodingAlgorithm.LassoLars, alpha: 0.3), 1e-10);
        AssertClose(threshold, SparseEncoder.Encode(x, q, SparseCodingAlgorithm.LassoCd, alpha: 0.3), 1e-8);
    }

    [Fact]
    public void Encode_BadInput_ThrowsNamingTheArgument()
    {
        var x = Signals;
        var d = Dictionary;
        Assert.Throws<ArgumentNullException>(() => SparseEncoder.Encode(null!, d, SparseCodingAlgorithm.Omp));
        Assert.Equal("dictionary", Assert.Throws<ArgumentException>(() => SparseEncoder.Encode(x, d.SubMatrix(0, 48, 0, 31), SparseCodingAlgorithm.Omp)).ParamName);
        Assert.Equal("nonzeroCoefficients", Assert.Throws<ArgumentOutOfRangeException>(() => SparseEncoder.Encode(x, d, SparseCodingAlgorithm.Omp, 49)).ParamName);
        Assert.Equal("nonzeroCoefficients", Assert.Throws<ArgumentOutOfRangeException>(() => SparseEncoder.Encode(x, d, SparseCodingAlgorithm.Lars, 0)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => SparseEncoder.Encode(x, d, SparseCodingAlgorithm.LassoCd, alpha: -1.0)).ParamName);
        Assert.Equal("positive", Assert.Throws<ArgumentException>(() => SparseEncoder.Encode(x, d, SparseCodingAlgorithm.Omp, positive: true)).ParamName);
        Assert.Equal("algorithm", Assert.Throws<ArgumentOutOfRangeException>(() => SparseEncoder.Encode(x, d, (SparseCodingAlgorithm)17)).ParamName);
        var bad = x.Clone();
        bad[3, 4] = double.PositiveInfinity;
        Assert.Contains("row 3, column 4", Assert.Throws<ArgumentException>(() => SparseEncoder.Encode(bad, d, SparseCodingAlgorithm.Omp)).Message, StringComparison.Ordinal);
        var badDictionary = d.Clone();
        badDictionary[1, 2] = double.NaN;
        Assert.Equal("dictionary", Assert.Throws<ArgumentException>(() => SparseEncoder.Encode(x, badDictionary, SparseCodingAlgorithm.Omp)).ParamName);
    }

    [Fact]
    public void EncodeWithMask_BadMask_ThrowsNamingIt()
    {
        var x = Signals;
        var d = Dictionary;
        var mask = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, 1.0);
        Assert.Equal("mask", Assert.Throws<ArgumentException>(() => SparseEncoder.EncodeWithMask(x, d, mask.SubMatrix(0, 10, 0, 32), SparseCodingAlgorithm.Omp)).ParamName);
        mask[2, 7] = 0.5;
        Assert.Contains("row 2, column 7", Assert.Throws<ArgumentException>(() => SparseEncoder.EncodeWithMask(x, d, mask, SparseCodingAlgorithm.Omp)).Message, StringComparison.Ordinal);
        mask[2, 7] = 1.0;
        mask.SetRow(9, new double[32]);
        var e = Assert.Throws<ArgumentException>(() => SparseEncoder.EncodeWithMask(x, d, mask, SparseCodingAlgorithm.Omp));
        Assert.Equal("mask", e.ParamName);
        Assert.Contains("Row 9", e.Message, StringComparison.Ordinal);
        mask.SetRow(9, Enumerable.Repeat(1.0, 32).ToArray());
        var nan = x.Clone();
        nan[4, 1] = double.NaN;
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => SparseEncoder.EncodeWithMask(nan, d, mask, SparseCodingAlgorithm.Omp)).ParamName);
    }

    [Theory]
    [InlineData(5, null)]
    [InlineData(40, 0.05)]
    public void Encode_OmpManySignals_EqualsPerSignalPursuit(int nonzero, double? tolerance)
    {
        // 150 signals of 20 features against 40 unit atoms: the batch (Gram) form against the
        // estimator, which works on X itself when samples (20) ≤ features (40).
        var rng = new SplitMix64(17);
        var dictionary = Matrix<double>.Build.Dense(40, 20, (_, _) => rng.NextNormal());
        for (int a = 0; a < dictionary.RowCount; a++)
        {
            dictionary.SetRow(a, dictionary.Row(a).Normalize(2));
        }

        var signals = Matrix<double>.Build.Dense(150, 20, (_, _) => rng.NextNormal());
        var codes = SparseEncoder.Encode(signals, dictionary, SparseCodingAlgorithm.Omp, nonzero, tolerance);

        var atomsAsFeatures = dictionary.Transpose();
        for (int s = 0; s < signals.RowCount; s++)
        {
            var single = new OrthogonalMatchingPursuit { NonzeroCoefficients = nonzero, Tolerance = tolerance, FitIntercept = false }
                .Fit(atomsAsFeatures, signals.Row(s));
            var w = single.Coefficients;
            for (int a = 0; a < w.Count; a++)
            {
                Assert.True(Math.Abs(w[a] - codes[s, a]) <= 1e-9 * Math.Max(1.0, Math.Abs(w[a])), $"signal {s}, atom {a}: expected {w[a]}, got {codes[s, a]}");
            }

            if (tolerance is { } tol)
            {
                var residual = signals.Row(s) - (atomsAsFeatures * codes.Row(s));
                Assert.True(residual * residual <= tol * (1 + 1e-9));
            }
            else
            {
                Assert.True(codes.Row(s).Count(v => v != 0.0) <= nonzero);
            }
        }
    }

    [Fact]
    public void Encode_OmpRepeatedRuns_AreBitIdentical()
    {
        var rng = new SplitMix64(23);
        var dictionary = Matrix<double>.Build.Dense(64, 16, (_, _) => rng.NextNormal());
        var signals = Matrix<double>.Build.Dense(1000, 16, (_, _) => rng.NextNormal());
        var first = SparseEncoder.Encode(signals, dictionary, SparseCodingAlgorithm.Omp, 6).ToColumnMajorArray();
        for (int run = 0; run < 3; run++)
        {
            Assert.Equal(first, SparseEncoder.Encode(signals, dictionary, SparseCodingAlgorithm.Omp, 6).ToColumnMajorArray());
        }
    }

    private static double Objective(Vector<double> x, Matrix<double> dictionary, Vector<double> code, double alpha) =>
        ((x - (dictionary.Transpose() * code)).DotProduct(x - (dictionary.Transpose() * code)) / (2.0 * x.Count)) + (alpha / x.Count * code.L1Norm());

    private static Matrix<double> Expected(string name) =>
        Rows((Base.TryGetProperty(name, out var direct) ? direct : Cases.GetProperty("results").GetProperty(name).GetProperty("codes")));

    private static Matrix<double> Rows(JsonElement array) =>
        Matrix<double>.Build.DenseOfRowArrays(array.EnumerateArray().Select(TestData.Doubles));

    private static void AssertClose(Matrix<double> expected, Matrix<double> actual, double tolerance)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        for (int i = 0; i < expected.RowCount; i++)
        {
            for (int j = 0; j < expected.ColumnCount; j++)
            {
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tolerance * Math.Max(1.0, Math.Abs(expected[i, j])), $"code[{i}, {j}]: expected {expected[i, j]}, got {actual[i, j]}");
            }
        }
    }
}
