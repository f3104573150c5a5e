// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Preprocessing;
using static SparseModeling.Tests.TestAssert;

namespace SparseModeling.Tests.Preprocessing;

public class StandardScalerTests
{
    private static Matrix<double> Load(JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(TestData.Doubles).ToArray();
        return Matrix<double>.Build.Dense(data.Length, data[0].Length, (i, j) => data[i][j]);
    }

    public static TheoryData<int> Cases() => new(Enumerable.Range(0, TestData.Fixture("scalers.json").GetProperty("standard").GetArrayLength()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_MatchesScikitLearn(int index)
    {
        var fixture = TestData.Fixture("scalers.json");
        var c = fixture.GetProperty("standard")[index];
        var x = Load(fixture.GetProperty("data").GetProperty(c.GetProperty("data").GetString()!));
        var scaler = new StandardScaler { WithMean = c.GetProperty("with_mean").GetBoolean(), WithStd = c.GetProperty("with_std").GetBoolean() }.Fit(x);
        string call = c.GetProperty("call").GetString()!;
        if (c.GetProperty("mean").ValueKind != JsonValueKind.Null)
        {
            AssertClose(Vector(c.GetProperty("mean")).ToRowMatrix(), scaler.Mean.ToRowMatrix(), 1e-14, call + " mean");
        }

        if (c.GetProperty("var").ValueKind != JsonValueKind.Null)
        {
            AssertClose(Vector(c.GetProperty("var")).ToRowMatrix(), scaler.Variance.ToRowMatrix(), 1e-11, call + " var");
        }

        var expectedScale = c.GetProperty("scale").ValueKind == JsonValueKind.Null ? Vector<double>.Build.Dense(x.ColumnCount, 1.0) : Vector(c.GetProperty("scale"));
        AssertClose(expectedScale.ToRowMatrix(), scaler.Scale.ToRowMatrix(), 1e-11, call + " scale");
        Assert.Equal(x.RowCount, scaler.SampleCount);
        // The column sums run in another order than NumPy's, so the means differ in the last bits, which the transform
        // magnifies by |μ|/σ (the fixture has a column of 1e8 ± 1): each column is held to rounding at its own conditioning.
        var z = scaler.Transform(x);
        var mean = x.ColumnSums() / x.RowCount;
        var expectedZ = Load(c.GetProperty("transform"));
        var back = scaler.InverseTransform(z);
        var expectedBack = Load(c.GetProperty("inverse_transform"));
        for (int j = 0; j < x.ColumnCount; j++)
        {
            double conditioning = 1.0 + (Math.Abs(mean[j]) / expectedScale[j]);
            double zMax = expectedZ.Column(j).AbsoluteMaximum();
            for (int i = 0; i < x.RowCount; i++)
            {
                Assert.True(Math.Abs(expectedZ[i, j] - z[i, j]) <= 1e-13 * x.RowCount * conditioning * Math.Max(zMax, 1.0), $"{call} transform ({i}, {j}): {z[i, j]:R} vs {expectedZ[i, j]:R}");
                double size = Math.Abs(mean[j]) + (expectedScale[j] * zMax);
                Assert.True(Math.Abs(expectedBack[i, j] - back[i, j]) <= 1e-13 * x.RowCount * size, $"{call} inverse ({i}, {j}): {back[i, j]:R} vs {expectedBack[i, j]:R}");
            }
        }

        Assert.Equal(z, new StandardScaler { WithMean = scaler.WithMean, WithStd = scaler.WithStd }.FitTransform(x));
    }

    [Fact]
    public void Transform_StandardisesEveryColumnAndMapsConstantColumnsToZero()
    {
        var rng = new SplitMix64(3);
        var x = Matrix<double>.Build.Dense(200, 4, (i, j) => j == 2 ? 42.0 : (10.0 * j) + ((j + 1) * rng.NextNormal()));
        var scaler = new StandardScaler();
        var z = scaler.FitTransform(x);
        Assert.Equal(1.0, scaler.Scale[2]);
        Assert.Equal(0.0, scaler.Variance[2]);
        for (int j = 0; j < 4; j++)
        {
            var column = z.Column(j);
            Assert.Equal(0.0, column.Average(), 1e-14);
            double variance = column.Sum(v => v * v) / column.Count;
            Assert.Equal(j == 2 ? 0.0 : 1.0, variance, 1e-12);
        }

        AssertCloseAbsolute(x, scaler.InverseTransform(z), 1e-13, "round trip");
    }

    [Fact]
    public void InverseTransform_BadInput_ThrowsNamingZ()
    {
        var x = Matrix<double>.Build.Dense(5, 3, (i, j) => i + (j * j));
        var scaler = new StandardScaler().Fit(x);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => scaler.InverseTransform(Matrix<double>.Build.Dense(2, 4))).ParamName);
        Assert.Throws<ArgumentNullException>(() => scaler.InverseTransform(null!));
        Assert.Throws<InvalidOperationException>(() => new StandardScaler().InverseTransform(x));
    }

    private static Vector<double> Vector(JsonElement array) => Vector<double>.Build.DenseOfArray(TestData.Doubles(array));

    private static void AssertCloseAbsolute(Matrix<double> expected, Matrix<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        double worst = (expected - actual).Enumerate().Max(Math.Abs) / Math.Max(1.0, expected.Enumerate().Max(Math.Abs));
        Assert.True(worst <= tolerance, $"{what}: largest difference {worst:E3} (relative to the largest entry) > {tolerance:E1}");
    }
}
