// SPDX-License-Identifier: BSD-3-Clause
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
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

    [Fact]
    public void Save_InvalidParameter_ThrowsNamingItAndWritesNothing()
    {
        using var stream = new MemoryStream();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ModelSerializer.Save(new Lasso { Alpha = -1.0 }, stream));
        Assert.Equal("Alpha", e.ParamName);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Load_UnreadableStream_ThrowsArgumentExceptionNamingStream()
    {
        using var stream = new UnreadableStream();
        var e = Assert.Throws<ArgumentException>(() => ModelSerializer.Load<Lasso>(stream));
        Assert.Equal("stream", e.ParamName);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Load_DocumentOverTheLimit_ThrowsInvalidDataWithoutReadingIt(bool seekable)
    {
        var (x, y) = EstimatorChecks.RegressionData(23);
        var bytes = Save(new Lasso().Fit(x, y));
        using var stream = seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes);
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.Load<Lasso>(stream, bytes.Length - 1));
        Assert.StartsWith("$ is longer than the limit", e.Message, StringComparison.Ordinal);
        using var exact = seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes);
        Assert.Equal(ModelSerializer.Load<Lasso>(new MemoryStream(bytes)).Coefficients, ModelSerializer.Load<Lasso>(exact, bytes.Length).Coefficients);
    }

    [Fact]
    public void Load_DeeplyNestedDocument_ThrowsInvalidData()
    {
        string text = "{\"format\":" + new string('[', 100_000) + new string(']', 100_000) + "}";
        var e = Assert.Throws<InvalidDataException>(() => LoadText<IRegressor>(text));
        Assert.StartsWith("$ is not a valid JSON document", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ByteOrderMark_IsSkipped()
    {
        var (x, y) = EstimatorChecks.RegressionData(24);
        var model = new Lasso().Fit(x, y);
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Save(model)).ToArray();
        Assert.Equal(model.Coefficients, ModelSerializer.Load<Lasso>(new MemoryStream(bytes)).Coefficients);
    }

    /// <summary>The defects the adversarial probe of issue 10 found, each refused at load with the path named.</summary>
    public static TheoryData<string, string, string> IssueCases() => new()
    {
        { "Lasso", """{"type":null}""", "$.type must be a string (was null)" },
        { "Lasso", """{"type":""}""", "$.type must name an estimator" },
        { "Lasso", """{"type":"SparseModeling.LinearModel.LinearRegressor"}""", "$.type must name an estimator" },
        { "Lasso", """{"type":"SparseModeling.Estimator"}""", "$.type must name an estimator" },
        { "Lasso", """{"version":"2"}""", "$.version must be an integer (was the string \"2\")" },
        { "Lasso", """{"format":2}""", "$.format must be \"SparseModeling.Model\"" },
        { "Lasso", """{"parameters":[]}""", "$.parameters must be a JSON object (was an array of length 0)" },
        { "Lasso", """{"state":[]}""", "$.state must be a JSON object (was an array of length 0)" },
        { "Lasso", """{"state":{}}""", "$.state.Coefficients is missing" },
        { "Lasso", """{"state":{"Coefficients":null}}""", "$.state.Coefficients must be an array of numbers (was null)" },
        { "Lasso", """{"state":{"Coefficients":{"3":"NaN"}}}""", "$.state.Coefficients[3] must be a finite number (was the string \"NaN\")" },
        { "Lasso", """{"state":{"Coefficients":{"3":"@1e999"}}}""", "$.state.Coefficients[3] is the number 1e999, which is outside the range of a double" },
        { "Lasso", """{"state":{"Intercept":"Infinity"}}""", "$.state.Intercept must be a finite number (was the string \"Infinity\")" },
        { "Lasso", """{"parameters":{"Alpha":"oops"}}""", "$.parameters.Alpha must be a number, \"NaN\", \"Infinity\" or \"-Infinity\" (was the string \"oops\")" },
        { "Lasso", """{"parameters":{"Alpha":-1}}""", "$.parameters.Alpha is invalid: Alpha must be finite and ≥ 0 (was -1)" },
        { "Lasso", """{"parameters":{"MaxIterations":"@1e10"}}""", "$.parameters.MaxIterations must be an integer (was the number 1e10)" },
        { "Lasso", """{"parameters":{"Selection":"Sideways"}}""", "$.parameters.Selection must be one of Cyclic, Random (was the string \"Sideways\")" },
        { "Lasso", """{"parameters":{"Alpah":1}}""", "$.parameters.Alpah is not a parameter of SparseModeling.LinearModel.Lasso" },
        { "Lasso", """{"type":"SparseModeling.LinearModel.LassoLars"}""", "$.parameters.RandomSeed is not a parameter of SparseModeling.LinearModel.LassoLars" },
        { "Lasso", """{"type":"SparseModeling.LinearModel.LassoLars","parameters":{"RandomSeed":"@delete","Selection":"@delete","Tolerance":"@delete","WarmStart":"@delete"}}""", "$.state.Alphas is missing" },
        { "LassoLars", """{"type":"SparseModeling.LinearModel.Lasso"}""", "$.state.Alphas is not a field of the saved state of a SparseModeling.LinearModel.Lasso" },
        { "Lars", """{"state":{"Active":{"0":3,"1":3}}}""", "$.state.Active[1] repeats 3, which appears earlier in the array" },
        { "Lars", """{"state":{"Active":{"1":6}}}""", "$.state.Active[1] must be an integer in [0, 5] (was the number 6)" },
        { "LassoLars", """{"state":{"Coefficients":{"0":0.125}}}""", "$.state.Coefficients must equal the last column of Path" },
        { "LassoLarsIC", """{"state":{"Criterion":null}}""", "$.state.Criterion must be an array with one value per knot (was null)" },
        { "LassoCV", """{"state":{"BestAlpha":0.125}}""", "$.state.BestAlpha must be one of AlphaValues" },
        { "LassoCV", """{"state":{"FoldCount":1}}""", "$.state.FoldCount must be an integer ≥ 2 (was the number 1)" },
        { "Nmf", """{"type":"SparseModeling.Decomposition.MiniBatchNmf"}""", "$.parameters.Shuffle is not a parameter of SparseModeling.Decomposition.MiniBatchNmf" },
        { "MiniBatchNmf", """{"type":"SparseModeling.Decomposition.Nmf"}""", "$.parameters.BatchSize is not a parameter of SparseModeling.Decomposition.Nmf" },
        { "LassoCV", """{"type":"SparseModeling.LinearModel.LassoAdmm"}""", "$.parameters.AlphaCount is not a parameter of SparseModeling.LinearModel.LassoAdmm" },
        { "LassoAdmm", """{"type":"SparseModeling.LinearModel.LassoCV"}""", "$.parameters.Alpha is not a parameter of SparseModeling.LinearModel.LassoCV" },
        { "LassoAdmm", """{"state":{"TargetCount":-1}}""", "$.state.TargetCount must be an integer ≥ 1 (was the number -1)" },
        { "Nmf", """{"state":{"ComponentCount":1000000}}""", "$.state.Components has 36 entries but must have ComponentCount × FeatureCount = 1000000 × 6" },
        { "Nmf", """{"state":{"Components":{"0":-1}}}""", "$.state.Components[0] must be a finite number ≥ 0 (was the number -1)" },
        { "Nmf", """{"parameters":{"Solver":"MultiplicativeUpdate","Loss":"KullbackLeibler"}}""", null! },
        { "Nmf", """{"parameters":{"Loss":"KullbackLeibler"}}""", "$.parameters.Loss is invalid: The CoordinateDescent solver handles only the Frobenius loss" },
        { "MiniBatchNmf", """{"state":{"Rho":1.5}}""", "$.state.Rho must be in [0, 1] (was 1.5)" },
    };

    [Theory]
    [MemberData(nameof(IssueCases))]
    public void Load_CorruptedDocument_ThrowsInvalidDataNamingThePath(string estimator, string edit, string? expected)
    {
        var type = ModelSerializerCorruptionTests.PublicEstimatorTypes().Single(t => t.Name == estimator);
        var document = JsonNode.Parse(ModelSerializerCorruptionTests.SaveText(ModelSerializerCorruptionTests.Fitted(type)))!;
        Merge(document, JsonNode.Parse(edit)!);
        string text = document.ToJsonString().Replace("\"@1e999\"", "1e999", StringComparison.Ordinal).Replace("\"@1e10\"", "1e10", StringComparison.Ordinal);
        if (expected is null)
        {
            Assert.IsType(type, ModelSerializerCorruptionTests.LoadText(text));
            return;
        }

        var e = Assert.Throws<InvalidDataException>(() => ModelSerializerCorruptionTests.LoadText(text));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicatedType_ThrowsInvalidData()
    {
        var (x, y) = EstimatorChecks.RegressionData(25);
        string text = Encoding.UTF8.GetString(Save(new Lasso().Fit(x, y)));
        text = "{\"type\":\"SparseModeling.LinearModel.Lars\"," + text[1..];
        var e = Assert.Throws<InvalidDataException>(() => LoadText<IRegressor>(text));
        Assert.Equal("$.type appears more than once.", e.Message);
    }

    /// <summary>Documents written by the reflection-based serializer of earlier releases (format version 2) read, and save back byte for byte.</summary>
    [Theory]
    [InlineData("""{"format":"SparseModeling.Model","version":2,"type":"SparseModeling.LinearModel.Lars","parameters":{"FitIntercept":true,"NonzeroCoefficients":null},"state":{"Alphas":[1.4466504578909969,1.4340521538653184,0.7136760978221834,0],"Active":[0,2,4],"Path":[0,0,0,0,0,0,0.011836409979609658,0,0,0,0,0,0.8214059096434035,0,-0.9613785209962628,0,0,0,1.4999999999999987,0,-1.9999999999999978,0,0.6999999999999987,0],"Criterion":null,"BestAlpha":0,"NoiseVariance":0,"Coefficients":[1.4999999999999987,0,-1.9999999999999978,0,0.6999999999999987,0],"Intercept":3.0000000000000004,"Gap":0,"Iterations":3,"Converged":true}}""")]
    [InlineData("""{"format":"SparseModeling.Model","version":2,"type":"SparseModeling.LinearModel.LassoLarsIC","parameters":{"Criterion":"Aic","FitIntercept":true,"MaxIterations":500,"NoiseVariance":null},"state":{"Alphas":[1.4466504578909969,1.4340521538653184,0.7136760978221834,0],"Active":[0,2,4],"Path":[0,0,0,0,0,0,0.011836409979609658,0,0,0,0,0,0.8214059096434035,0,-0.9613785209962628,0,0,0,1.4999999999999987,0,-1.9999999999999978,0,0.6999999999999987,0],"Criterion":[7.75889443441029E+32,7.711335625306349E+32,2.406185359278304E+32,-1825.6872174704376],"BestAlpha":0,"NoiseVariance":2.8677906604061935E-31,"Coefficients":[1.4999999999999987,0,-1.9999999999999978,0,0.6999999999999987,0],"Intercept":3.0000000000000004,"Gap":0,"Iterations":3,"Converged":true}}""")]
    [InlineData("""{"format":"SparseModeling.Model","version":2,"type":"SparseModeling.LinearModel.LassoAdmm","parameters":{"Alpha":1,"FitIntercept":true,"MaxIterations":1000,"Rho":1,"Tolerance":0.0001},"state":{"CoefficientRows":[0.49961546323488726,0,-0.5791469251634254,0,0,0],"Intercepts":[3.212939996819396],"TargetCount":1,"FeatureCount":6,"Residual":0.0001985635742980816,"Iterations":13,"Converged":true}}""")]
    [InlineData("""{"format":"SparseModeling.Model","version":2,"type":"SparseModeling.Decomposition.Nmf","parameters":{"AllowMissing":false,"AlphaH":null,"AlphaW":0,"Beta":null,"ComponentCount":null,"Init":null,"L1Ratio":0,"Loss":"Frobenius","MaxIterations":200,"RandomSeed":null,"Shuffle":false,"Solver":"CoordinateDescent","Tolerance":0.0001},"state":{"ReconstructionError":0.022731398254872654,"Components":[0,0,0,0.23817824636314117,3.124973266867748,0,0,0,3.6498780635211356,0,0,0.12773604023029608,0,24.451613137631373,0,0,0,0.2556367765392599,0,0,0,0,0.010526208128421926,2.692191481238465,0,0.3312045115956059,0,3.314007419028233,0,0.06582202458250254,26.60437380464153,0.007430303624991048,0,0,0.44026699484900467,0.12323775926469764],"ComponentCount":6,"FeatureCount":6,"Iterations":192,"Converged":true}}""")]
    public void Load_FormatVersion2FromEarlierRelease_ReadsAndSavesBackIdentically(string text)
    {
        var model = LoadText<Estimator>(text);
        Assert.Equal(text, Encoding.UTF8.GetString(Save(model)));
    }

    [Fact]
    public void SaveLoad_NonFiniteValues_RoundTripAsNamedLiterals()
    {
        var x = Matrix<double>.Build.Dense(20, 4, (i, j) => 1.0 + ((i * 7 + j * 3) % 5));
        var model = new MiniBatchNmf { ComponentCount = 2, RandomSeed = 0 }.PartialFit(x);
        Assert.True(double.IsNaN(model.ReconstructionError));
        var bytes = Save(model);
        Assert.Contains("\"ReconstructionError\":\"NaN\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        var loaded = ModelSerializer.Load<MiniBatchNmf>(new MemoryStream(bytes));
        Assert.True(double.IsNaN(loaded.ReconstructionError));
        Assert.Equal(model.Transform(x).ToColumnMajorArray(), loaded.Transform(x).ToColumnMajorArray());
    }

    [Fact]
    public void EveryPublicEstimator_IsListedBySerializer()
    {
        Assert.Equal(
            ModelSerializerCorruptionTests.PublicEstimatorTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal),
            ModelSerializer.EstimatorTypeNames.Order(StringComparer.Ordinal));
    }

    /// <summary>Every public read-write property of every estimator is saved, or is a callback, a start matrix, the degree of parallelism (an execution setting of this process, documented as not saved) or a pipeline's steps (saved in its state).</summary>
    [Fact]
    public void Save_WritesEveryPlainParameter()
    {
        foreach (var type in ModelSerializerCorruptionTests.PublicEstimatorTypes())
        {
            var parameters = JsonNode.Parse(Save(Activator.CreateInstance(type)!))!["parameters"]!.AsObject();
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite))
            {
                // A pipeline's steps are saved in its state (each fitted step as a nested model document), not as a parameter.
                bool skipped = typeof(Delegate).IsAssignableFrom(property.PropertyType) || property.PropertyType == typeof(Matrix<double>) || property.Name == nameof(Estimator.MaxDegreeOfParallelism)
                    || property.PropertyType == typeof(IReadOnlyList<SparseModeling.ModelSelection.PipelineStep>);
                Assert.True(skipped != parameters.ContainsKey(property.Name), $"{type.Name}.{property.Name} ({property.PropertyType.Name}) is {(skipped ? "saved" : "not saved")}.");
            }
        }
    }

    private static void Merge(JsonNode target, JsonNode edit)
    {
        foreach (var (name, value) in edit.AsObject())
        {
            var current = target is JsonArray array ? array[int.Parse(name, System.Globalization.CultureInfo.InvariantCulture)] : target[name];
            if (value is JsonObject { Count: > 0 } && current is JsonObject or JsonArray)
            {
                Merge(current!, value);
            }
            else if (value is JsonValue v && v.TryGetValue(out string? marker) && marker == "@delete")
            {
                target.AsObject().Remove(name);
            }
            else if (target is JsonArray items)
            {
                items[int.Parse(name, System.Globalization.CultureInfo.InvariantCulture)] = value?.DeepClone();
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }

    private static byte[] Save(object model)
    {
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        return stream.ToArray();
    }

    private static T LoadText<T>(string text)
        where T : class => ModelSerializer.Load<T>(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    private static T RoundTrip<T>(object model)
        where T : class
    {
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        stream.Position = 0;
        return ModelSerializer.Load<T>(stream);
    }

    /// <summary>A stream that cannot be read.</summary>
    private sealed class UnreadableStream : MemoryStream
    {
        public override bool CanRead => false;
    }

    /// <summary>A readable stream that cannot seek, handing out a few bytes per read.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7));
    }
}
