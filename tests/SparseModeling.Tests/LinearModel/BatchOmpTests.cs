// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class BatchOmpTests
{
    [Fact]
    public void Encode_SparseEncodeFixture_MatchesScikitLearnOmp()
    {
        var fixture = TestData.Fixture("sparse_encode.json");
        var x = Rows(fixture.GetProperty("X"));
        var dictionary = Rows(fixture.GetProperty("dictionary"));
        var expected = Rows(fixture.GetProperty("omp_n_nonzero_4"));

        var codes = BatchOmp.Encode(x, dictionary, 4);

        Assert.Equal(expected.RowCount, codes.RowCount);
        Assert.Equal(expected.ColumnCount, codes.ColumnCount);
        for (int i = 0; i < expected.RowCount; i++)
        {
            for (int j = 0; j < expected.ColumnCount; j++)
            {
                Assert.True(Math.Abs(expected[i, j] - codes[i, j]) <= 1e-8 * Math.Max(1.0, Math.Abs(expected[i, j])), $"code[{i}, {j}]: expected {expected[i, j]}, got {codes[i, j]}");
            }
        }
    }

    [Theory]
    [InlineData(5, null)]
    [InlineData(40, 0.05)]
    public void Encode_ManySignals_EqualsPerSignalPursuit(int nonzero, double? tolerance)
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
        var codes = BatchOmp.Encode(signals, dictionary, nonzero, tolerance);

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
    public void Encode_RepeatedRuns_AreBitIdentical()
    {
        var rng = new SplitMix64(23);
        var dictionary = Matrix<double>.Build.Dense(64, 16, (_, _) => rng.NextNormal());
        var signals = Matrix<double>.Build.Dense(1000, 16, (_, _) => rng.NextNormal());
        var first = BatchOmp.Encode(signals, dictionary, 6).ToColumnMajorArray();
        for (int run = 0; run < 3; run++)
        {
            Assert.Equal(first, BatchOmp.Encode(signals, dictionary, 6).ToColumnMajorArray());
        }
    }

    private static Matrix<double> Rows(System.Text.Json.JsonElement array) =>
        Matrix<double>.Build.DenseOfRowArrays(array.EnumerateArray().Select(TestData.Doubles));
}
