// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Preprocessing;
using static SparseModeling.Tests.TestAssert;

namespace SparseModeling.Tests.Preprocessing;

public class MinMaxScalerTests
{
    private static Matrix<double> Load(JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(TestData.Doubles).ToArray();
        return Matrix<double>.Build.Dense(data.Length, data[0].Length, (i, j) => data[i][j]);
    }

    private static Vector<double> Vector(JsonElement values) => Vector<double>.Build.DenseOfArray(TestData.Doubles(values));

    public static TheoryData<int> Cases() => new(Enumerable.Range(0, TestData.Fixture("minmax_scaler.json").GetProperty("cases").GetArrayLength()));

    /// <summary>minmax_scaler.json: scikit-learn 1.2.1's MinMaxScaler; the same formulas in the same order, so to rounding.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_MatchesScikitLearn(int index)
    {
        var fixture = TestData.Fixture("minmax_scaler.json");
        var c = fixture.GetProperty("cases")[index];
        var x = Load(fixture.GetProperty("train"));
        var fresh = Load(fixture.GetProperty("new"));
        string call = c.GetProperty("call").GetString()!;
        var scaler = new MinMaxScaler { FeatureMin = c.GetProperty("feature_min").GetDouble(), FeatureMax = c.GetProperty("feature_max").GetDouble(), Clip = c.GetProperty("clip").GetBoolean() }.Fit(x);
        AssertClose(Vector(c.GetProperty("data_min")).ToRowMatrix(), scaler.DataMin.ToRowMatrix(), 0.0, call + " data_min");
        AssertClose(Vector(c.GetProperty("data_max")).ToRowMatrix(), scaler.DataMax.ToRowMatrix(), 0.0, call + " data_max");
        AssertClose(Vector(c.GetProperty("data_range")).ToRowMatrix(), scaler.DataRange.ToRowMatrix(), 0.0, call + " data_range");
        AssertClose(Vector(c.GetProperty("scale")).ToRowMatrix(), scaler.Scale.ToRowMatrix(), 1e-15, call + " scale");
        AssertClose(Vector(c.GetProperty("min")).ToRowMatrix(), scaler.Offset.ToRowMatrix(), 1e-15, call + " min");
        Assert.Equal(x.RowCount, scaler.SampleCount);

        // x·s + o rounds at the size of x·s (1e8·s for the shifted column), not of the result in [0, 1].
        var scale = scaler.Scale;
        void Compare(Matrix<double> expected, Matrix<double> actual, Matrix<double> input, string what)
        {
            for (int j = 0; j < input.ColumnCount; j++)
            {
                for (int i = 0; i < input.RowCount; i++)
                {
                    double size = Math.Abs(input[i, j] * scale[j]) + Math.Abs(expected[i, j]);
                    Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= 4e-16 * size, $"{call} {what} ({i}, {j}): {actual[i, j]:R} vs {expected[i, j]:R}");
                }
            }
        }

        var z = scaler.Transform(x);
        Compare(Load(c.GetProperty("transform")), z, x, "transform");
        Compare(Load(c.GetProperty("transform_new")), scaler.Transform(fresh), fresh, "transform of new samples");
        // (z − o)/s rounds at the size of (|z| + |o|)/s.
        var expectedBack = Load(c.GetProperty("inverse_transform"));
        var back = scaler.InverseTransform(z);
        var offset = scaler.Offset;
        for (int j = 0; j < x.ColumnCount; j++)
        {
            for (int i = 0; i < x.RowCount; i++)
            {
                double size = (Math.Abs(z[i, j]) + Math.Abs(offset[j])) / scale[j];
                Assert.True(Math.Abs(expectedBack[i, j] - back[i, j]) <= 4e-16 * size, $"{call} inverse ({i}, {j}): {back[i, j]:R} vs {expectedBack[i, j]:R}");
            }
        }

        Assert.Equal(z, new MinMaxScaler { FeatureMin = scaler.FeatureMin, FeatureMax = scaler.FeatureMax, Clip = scaler.Clip }.FitTransform(x));
    }

    [Fact]
    public void Transform_SpansTheRangeAndMapsConstantColumnsToItsLowerEnd()
    {
        var rng = new SplitMix64(5);
        var x = Matrix<double>.Build.Dense(100, 3, (i, j) => j == 1 ? -7.25 : (100.0 * j) + ((j + 1) * rng.NextNormal()));
        var scaler = new MinMaxScaler { FeatureMin = -2.0, FeatureMax = 3.0 };
        var z = scaler.FitTransform(x);
        for (int j = 0; j < 3; j++)
        {
            var column = z.Column(j);
            Assert.Equal(-2.0, column.Minimum(), 1e-14);
            Assert.Equal(j == 1 ? -2.0 : 3.0, column.Maximum(), 1e-14);
        }

        Assert.Equal(5.0, scaler.Scale[1]);
        Assert.True((x - scaler.InverseTransform(z)).Enumerate().All(d => Math.Abs(d) <= 1e-12), "round trip");
    }

    [Fact]
    public void Transform_WithClip_KeepsNewSamplesInTheRange()
    {
        var x = Matrix<double>.Build.DenseOfArray(new[,] { { 0.0, 10.0 }, { 1.0, 20.0 }, { 2.0, 30.0 } });
        var outside = Matrix<double>.Build.DenseOfArray(new[,] { { -1.0, 40.0 }, { 1.5, 0.0 } });
        var clipped = new MinMaxScaler { Clip = true }.Fit(x).Transform(outside);
        var free = new MinMaxScaler().Fit(x).Transform(outside);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new[,] { { 0.0, 1.0 }, { 0.75, 0.0 } }), clipped);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new[,] { { -0.5, 1.5 }, { 0.75, -0.5 } }), free);
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(2.0, 1.0)]
    [InlineData(double.NaN, 1.0)]
    [InlineData(0.0, double.PositiveInfinity)]
    public void Fit_BadRange_NamesIt(double min, double max)
    {
        var scaler = new MinMaxScaler { FeatureMin = min, FeatureMax = max };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => scaler.Fit(Matrix<double>.Build.Dense(3, 2, 1.0)));
        Assert.True(e.ParamName is nameof(MinMaxScaler.FeatureMin) or nameof(MinMaxScaler.FeatureMax), e.ParamName);
    }

    [Fact]
    public void Fit_FarFromUnitScale_RangeDoesNotOverflow()
    {
        // max − min = 3e308 overflows as written; measured at unit scale it does not, and the factor is representable.
        var x = Matrix<double>.Build.DenseOfArray(new[,] { { -1.5e308 }, { 0.0 }, { 1.5e308 } });
        var scaler = new MinMaxScaler();
        Assert.Throws<ArithmeticException>(() => scaler.Fit(x)); // the range itself (3e308) is not a double
        var y = Matrix<double>.Build.DenseOfArray(new[,] { { -0.5e308 }, { 0.0 }, { 1.0e308 } });
        var z = scaler.FitTransform(y);
        Assert.Equal(new[] { 0.0, 1.0 / 3.0, 1.0 }, z.Column(0).ToArray(), new Comparison(1e-15));
    }

    private sealed class Comparison(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}
