// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.Decomposition;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests;

/// <summary>The file-path overloads of <see cref="ModelSerializer"/>.</summary>
public sealed class ModelSerializerPathTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sparsemodeling-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void SaveLoad_Path_RoundTripsBitForBitAndLeavesNoTemporaryFile()
    {
        var (x, y) = EstimatorChecks.RegressionData(31);
        var model = new Lasso { Alpha = 0.1 + 0.2 }.Fit(x, y);
        string path = Path.Combine(_folder, "lasso.json");
        ModelSerializer.Save(model, path);
        var loaded = ModelSerializer.Load<Lasso>(path);
        Assert.Equal(model.Coefficients.Select(BitConverter.DoubleToInt64Bits), loaded.Coefficients.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(BitConverter.DoubleToInt64Bits(model.Intercept), BitConverter.DoubleToInt64Bits(loaded.Intercept));
        Assert.Equal(model.Alpha, loaded.Alpha);
        Assert.Equal(new[] { "lasso.json" }, Directory.GetFiles(_folder).Select(Path.GetFileName));

        // The same bytes as the stream overload, and loadable as a base type.
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        Assert.Equal(stream.ToArray(), File.ReadAllBytes(path));
        Assert.IsType<Lasso>(ModelSerializer.Load<IRegressor>(path));
    }

    [Fact]
    public void Save_ExistingFile_IsReplaced()
    {
        var (x, y) = EstimatorChecks.RegressionData(32);
        string path = Path.Combine(_folder, "model.json");
        File.WriteAllText(path, new string('x', 100_000));
        ModelSerializer.Save(new ElasticNet { Alpha = 0.5 }.Fit(x, y), path);
        Assert.Equal(0.5, ModelSerializer.Load<ElasticNet>(path).Alpha);
    }

    [Fact]
    public void Save_InvalidParameter_LeavesTheExistingFileAsItWas()
    {
        var (x, y) = EstimatorChecks.RegressionData(33);
        string path = Path.Combine(_folder, "model.json");
        ModelSerializer.Save(new Lasso().Fit(x, y), path);
        byte[] before = File.ReadAllBytes(path);
        var bad = new Lasso { Alpha = -1 };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ModelSerializer.Save(bad, path));
        Assert.Equal("Alpha", e.ParamName);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Load_MissingFileOrFolder_ThrowsNamingThePath()
    {
        string missing = Path.Combine(_folder, "missing.json");
        var e = Assert.Throws<FileNotFoundException>(() => ModelSerializer.Load<Lasso>(missing));
        Assert.Contains("missing.json", e.Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => ModelSerializer.Load<Lasso>(Path.Combine(_folder, "no", "model.json")));
    }

    [Fact]
    public void Save_MissingFolderOrFolderPath_Throws()
    {
        var model = new Nmf();
        var e = Assert.Throws<DirectoryNotFoundException>(() => ModelSerializer.Save(model, Path.Combine(_folder, "no", "model.json")));
        Assert.Contains(Path.Combine(_folder, "no"), e.Message, StringComparison.Ordinal);
        var folder = Assert.Throws<ArgumentException>(() => ModelSerializer.Save(model, _folder));
        Assert.Equal("path", folder.ParamName);
        Assert.False(Directory.Exists(Path.Combine(_folder, "no")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void SaveLoad_EmptyPath_ThrowsArgumentException(string path)
    {
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => ModelSerializer.Save(new Lasso(), path)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => ModelSerializer.Load<Lasso>(path)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => ModelSerializer.Load<Lasso>((string)null!)).ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => ModelSerializer.Save((Lasso)null!, Path.Combine(_folder, "m.json"))).ParamName);
    }

    [Fact]
    public void Load_CorruptFile_ThrowsInvalidData()
    {
        string path = Path.Combine(_folder, "corrupt.json");
        File.WriteAllText(path, "{\"format\": \"SparseModeling.Model\", \"version\": 2, \"type\": \"SparseModeling.LinearModel.Lasso\"");
        Assert.Throws<InvalidDataException>(() => ModelSerializer.Load<Lasso>(path));
    }
}
