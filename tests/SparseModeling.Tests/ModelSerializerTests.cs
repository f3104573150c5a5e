// SPDX-License-Identifier: BSD-3-Clause
using System.Text;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests;

public class ModelSerializerTests
{
    [Fact]
    public void SaveLoad_AwkwardDoubles_RoundTripBitForBit()
    {
        var (x, y) = EstimatorChecks.RegressionData(21);
        var model = new ElasticNet { Alpha = 0.1 + 0.2, L1Ratio = 1.0 / 3.0, Tolerance = 5e-324, MaxIterations = 7, RandomSeed = -4, Selection = CoordinateSelection.Random }.Fit(x, y);
        var loaded = RoundTrip<ElasticNet>(model);

        Assert.Equal(BitConverter.DoubleToInt64Bits(model.Alpha), BitConverter.DoubleToInt64Bits(loaded.Alpha));
        Assert.Equal(BitConverter.DoubleToInt64Bits(model.L1Ratio), BitConverter.DoubleToInt64Bits(loaded.L1Ratio));
        Assert.Equal(5e-324, loaded.Tolerance);
        Assert.Equal(7, loaded.MaxIterations);
        Assert.Equal(-4, loaded.RandomSeed);
        Assert.Equal(CoordinateSelection.Random, loaded.Selection);
        Assert.Equal(model.Coefficients.Select(BitConverter.DoubleToInt64Bits), loaded.Coefficients.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(BitConverter.DoubleToInt64Bits(model.Intercept), BitConverter.DoubleToInt64Bits(loaded.Intercept));
        Assert.Equal(BitConverter.DoubleToInt64Bits(model.DualGap), BitConverter.DoubleToInt64Bits(loaded.DualGap));
        Assert.Equal(model.Iterations, loaded.Iterations);
        Assert.Equal(model.Converged, loaded.Converged);
    }

    [Fact]
    public void Load_WrongType_ThrowsInvalidData()
    {
        var (x, y) = EstimatorChecks.RegressionData(22);
        using var stream = new MemoryStream();
        ModelSerializer.Save(new Lasso().Fit(x, y), stream);
        stream.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.Load<ElasticNet>(stream));
        Assert.Contains("Lasso", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"format\":\"other\"}")]
    [InlineData("{\"format\":\"SparseModeling.Model\",\"version\":99}")]
    [InlineData("{\"format\":\"SparseModeling.Model\",\"version\":2,\"type\":\"System.String\"}")]
    public void Load_NotAModel_ThrowsInvalidData(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        Assert.Throws<InvalidDataException>(() => ModelSerializer.Load<IRegressor>(stream));
    }

    [Fact]
    public void Save_NotAnEstimator_ThrowsNamingModel()
    {
        using var stream = new MemoryStream();
        var e = Assert.Throws<ArgumentException>(() => ModelSerializer.Save("text", stream));
        Assert.Equal("model", e.ParamName);
    }

    private static T RoundTrip<T>(object model)
        where T : class
    {
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        stream.Position = 0;
        return ModelSerializer.Load<T>(stream);
    }
}
