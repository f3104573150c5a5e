// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Preprocessing;

namespace SparseModeling.Tests.Preprocessing;

public class WhiteningScalerTests
{
    private static Matrix<double> Load(JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(TestData.Doubles).ToArray();
        return Matrix<double>.Build.Dense(data.Length, data[0].Length, (i, j) => data[i][j]);
    }

    public static TheoryData<int> Cases() => new(Enumerable.Range(0, TestData.Fixture("scalers.json").GetProperty("whitening").GetArrayLength()));

    private static WhiteningThresholding Thresholding(JsonElement value) => value.ValueKind == JsonValueKind.Null
        ? WhiteningThresholding.None
        : value.GetString() == "normalize" ? WhiteningThresholding.Normalize : WhiteningThresholding.DropMinute;

    private static void AssertClose(Matrix<double> expected, Matrix<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        double scale = Math.Max(expected.Enumerate().Max(Math.Abs), 1e-300);
        double worst = (expected - actual).Enumerate().Max(Math.Abs) / scale;
        Assert.True(worst <= tolerance, $"{what}: largest difference {worst:E3} (relative to the largest entry) > {tolerance:E1}");
    }

    /// <summary>The covariance of the columns of z (divided by n − 1 or n).</summary>
    private static Matrix<double> Covariance(Matrix<double> z, bool unbiased)
    {
        var mean = z.ColumnSums() / z.RowCount;
        var centred = z - Matrix<double>.Build.Dense(z.RowCount, z.ColumnCount, (i, j) => mean[j]);
        return centred.TransposeThisAndMultiply(centred) / (unbiased ? z.RowCount - 1 : z.RowCount);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_MatchesSpmImage(int index)
    {
        // scalers.json: spm-image's WhiteningScaler (transcribed in generators/scalers.py) on NumPy's SVD.
        var fixture = TestData.Fixture("scalers.json");
        var c = fixture.GetProperty("whitening")[index];
        string call = c.GetProperty("call").GetString()!;
        var x = Load(fixture.GetProperty("data").GetProperty(c.GetProperty("data").GetString()!));
        var scaler = new WhiteningScaler
        {
            Epsilon = c.GetProperty("eps").GetDouble(),
            Thresholding = Thresholding(c.GetProperty("thresholding")),
            Unbiased = c.GetProperty("unbiased").GetBoolean(),
            ApplyZca = c.GetProperty("apply_zca").GetBoolean(),
        };
        var z = scaler.FitTransform(x);
        var s = TestData.Doubles(c.GetProperty("var"));
        Assert.Equal(TestData.Doubles(c.GetProperty("mean")), scaler.Mean.ToArray(), new Tolerance(1e-13));
        Assert.Equal(s.Length, scaler.Variances.Count);
        for (int k = 0; k < s.Length; k++)
        {
            Assert.True(Math.Abs(s[k] - scaler.Variances[k]) <= 1e-13 * s[0], $"{call}: singular value {k}: {scaler.Variances[k]:R} vs {s[k]:R}");
        }

        // Principal axes agree up to the sign of each; PCA output columns flip with them.
        var unitary = Load(c.GetProperty("unitary"));
        var components = scaler.Components;
        var signs = Vector<double>.Build.Dense(s.Length, k => Math.Sign(unitary.Row(k) * components.Row(k)));
        var aligned = Matrix<double>.Build.DenseOfRowVectors(Enumerable.Range(0, s.Length).Select(k => components.Row(k) * signs[k]));
        AssertClose(unitary, aligned, 1e-10, call + " components");

        var expected = Load(c.GetProperty("transform"));
        var alignedZ = scaler.ApplyZca ? z : Matrix<double>.Build.DenseOfColumnVectors(Enumerable.Range(0, s.Length).Select(k => z.Column(k) * signs[k]));
        AssertClose(expected, alignedZ, 1e-9, call + " transform");
        AssertClose(Load(c.GetProperty("inverse_transform")), scaler.InverseTransform(z), 1e-12, call + " inverse transform");
        Assert.Equal(z, scaler.Transform(x));
        if (c.TryGetProperty("transform_new", out var newTransform))
        {
            var xNew = Load(fixture.GetProperty("data").GetProperty("tall_new"));
            var zNew = scaler.Transform(xNew);
            var alignedNew = scaler.ApplyZca ? zNew : Matrix<double>.Build.DenseOfColumnVectors(Enumerable.Range(0, s.Length).Select(k => zNew.Column(k) * signs[k]));
            AssertClose(Load(newTransform), alignedNew, 1e-9, call + " transform of new samples");
        }
    }

    [Fact]
    public void Identity_SpmImageTests()
    {
        // spm-image's test_preprocessing_whitening on the 3×3 identity (rank 2 once centred).
        var x = Matrix<double>.Build.DenseIdentity(3);
        var e = Assert.Throws<ArgumentException>(() => new WhiteningScaler().Fit(x));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("DropMinute", e.Message, StringComparison.Ordinal);
        Assert.Contains("Normalize", e.Message, StringComparison.Ordinal);
        foreach (var thresholding in new[] { WhiteningThresholding.Normalize, WhiteningThresholding.DropMinute })
        {
            var range = Assert.Throws<ArgumentOutOfRangeException>(() => new WhiteningScaler { Epsilon = -1, Thresholding = thresholding }.Fit(x));
            Assert.Equal("Epsilon", range.ParamName);
            Assert.Contains("was -1", range.Message, StringComparison.Ordinal);
        }

        var normalize = new WhiteningScaler { Epsilon = 1e-6, Thresholding = WhiteningThresholding.Normalize };
        var z = normalize.FitTransform(x);
        AssertClose(Matrix<double>.Build.DenseOfDiagonalArray([1.0, 1.0, 0.0]), Covariance(z, true), 1e-4, "normalize covariance");
        AssertClose(x, normalize.InverseTransform(z), 1e-6, "normalize inverse");

        var drop = new WhiteningScaler { Epsilon = 1e-8, Thresholding = WhiteningThresholding.DropMinute };
        z = drop.FitTransform(x);
        Assert.Equal(2, z.ColumnCount);
        AssertClose(Matrix<double>.Build.DenseIdentity(2), Covariance(z, true), 1e-12, "drop_minute covariance");
        AssertClose(x, drop.InverseTransform(z), 1e-12, "drop_minute inverse");

        var biased = new WhiteningScaler { Epsilon = 1e-8, Thresholding = WhiteningThresholding.Normalize, Unbiased = false };
        z = biased.FitTransform(x);
        AssertClose(Matrix<double>.Build.DenseOfDiagonalArray([1.0, 1.0, 0.0]), Covariance(z, false), 1e-4, "biased covariance");

        var zca = new WhiteningScaler { Epsilon = 1e-8, Thresholding = WhiteningThresholding.DropMinute, ApplyZca = true };
        z = zca.FitTransform(x);
        double a = 0.94281, b = -0.47140;
        AssertClose(Matrix<double>.Build.DenseOfArray(new[,] { { a, b, b }, { b, a, b }, { b, b, a } }), z, 1e-4, "ZCA");
        AssertClose(x, zca.InverseTransform(z), 1e-12, "ZCA inverse");
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void FitTransform_LargeTallData_HasIdentityCovariance(bool zca, bool unbiased)
    {
        // 20,000 correlated samples of 64 features (an 8×8 patch size): the whitened data are uncorrelated with unit variance.
        var rng = new SplitMix64(7);
        var mixing = Matrix<double>.Build.Dense(64, 64, (i, j) => rng.NextNormal() / 8.0);
        var x = (Matrix<double>.Build.Dense(20000, 64, (i, j) => rng.NextNormal()) * mixing) + 3.0;
        var scaler = new WhiteningScaler { ApplyZca = zca, Unbiased = unbiased };
        var z = scaler.FitTransform(x);
        AssertClose(Matrix<double>.Build.DenseIdentity(64), Covariance(z, unbiased), 1e-10, "covariance");
        AssertClose(x, scaler.InverseTransform(z), 1e-12, "inverse");
        var components = scaler.Components;
        AssertClose(Matrix<double>.Build.DenseIdentity(64), components * components.Transpose(), 1e-12, "orthonormal axes");
        Assert.True(scaler.Variances.Enumerate().Zip(scaler.Variances.Enumerate().Skip(1)).All(p => p.First >= p.Second), "descending");
    }

    [Fact]
    public void Components_LargestEntryOfEachAxisIsPositive()
    {
        var rng = new SplitMix64(8);
        var x = Matrix<double>.Build.Dense(50, 6, (i, j) => rng.NextNormal() * (j + 1));
        var components = new WhiteningScaler().Fit(x).Components;
        for (int k = 0; k < components.RowCount; k++)
        {
            var row = components.Row(k);
            Assert.True(row[row.AbsoluteMaximumIndex()] > 0.0);
        }
    }

    [Fact]
    public void Epsilon_IsCheckedOnlyWhereItIsUsed()
    {
        var rng = new SplitMix64(9);
        var x = Matrix<double>.Build.Dense(20, 3, (i, j) => rng.NextNormal());
        new WhiteningScaler { Epsilon = -1.0 }.Fit(x);
        new WhiteningScaler { Epsilon = 0.0 }.Fit(x);
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity })
        {
            Assert.Equal("Epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new WhiteningScaler { Epsilon = bad }.Fit(x)).ParamName);
        }

        Assert.Equal("Epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new WhiteningScaler { Epsilon = 0.0, Thresholding = WhiteningThresholding.DropMinute }.Fit(x)).ParamName);
        Assert.Equal("Thresholding", Assert.Throws<ArgumentOutOfRangeException>(() => new WhiteningScaler { Thresholding = (WhiteningThresholding)7 }.Fit(x)).ParamName);
    }

    [Fact]
    public void Fit_DegenerateOrTinyData_ThrowsNamingX()
    {
        var one = Matrix<double>.Build.Dense(1, 3, (i, j) => j);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new WhiteningScaler().Fit(one)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new WhiteningScaler { Thresholding = WhiteningThresholding.DropMinute, Epsilon = 1e3 }.Fit(Matrix<double>.Build.DenseIdentity(3))).ParamName);

        // Wide data (features ≥ samples) are always degenerate once centred.
        var rng = new SplitMix64(10);
        var wide = Matrix<double>.Build.Dense(4, 6, (i, j) => rng.NextNormal());
        var e = Assert.Throws<ArgumentException>(() => new WhiteningScaler().Fit(wide));
        Assert.Contains("Thresholding", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, new WhiteningScaler { Thresholding = WhiteningThresholding.DropMinute }.Fit(wide).Variances.Count);
    }

    [Fact]
    public void InverseTransform_WrongColumnCount_ThrowsNamingZ()
    {
        var rng = new SplitMix64(11);
        var x = Matrix<double>.Build.Dense(30, 4, (i, j) => rng.NextNormal());
        x.SetColumn(3, x.Column(0) + x.Column(1));
        var pca = new WhiteningScaler { Thresholding = WhiteningThresholding.DropMinute }.Fit(x);
        Assert.Equal(3, pca.Transform(x).ColumnCount);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => pca.InverseTransform(x)).ParamName);
        var zca = new WhiteningScaler { Thresholding = WhiteningThresholding.DropMinute, ApplyZca = true }.Fit(x);
        Assert.Equal(4, zca.Transform(x).ColumnCount);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => zca.InverseTransform(pca.Transform(x))).ParamName);
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1.0, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
