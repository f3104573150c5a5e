// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;
using SparseModeling.Decomposition;
using SparseModeling.LinearModel;
using SparseModeling.ModelSelection;
using SparseModeling.Preprocessing;

namespace SparseModeling.Tests.ModelSelection;

public class PipelineTests
{
    [Fact]
    public void Fit_EqualsTheStepsFittedByHand()
    {
        var (x, y) = TestData.Diabetes;
        var scaler = new StandardScaler();
        var lasso = new Lasso { Alpha = 0.3 };
        var pipeline = new Pipeline(("scale", scaler), ("lasso", lasso)).Fit(x, y);

        var byHandScaler = new StandardScaler().Fit(x);
        var byHandLasso = new Lasso { Alpha = 0.3 }.Fit(byHandScaler.Transform(x), y);
        Assert.Equal(byHandLasso.Predict(byHandScaler.Transform(x)).ToArray(), pipeline.Predict(x).ToArray());
        Assert.Equal(byHandLasso.Score(byHandScaler.Transform(x), y), pipeline.Score(x, y));
        Assert.Equal(byHandLasso.Coefficients.ToArray(), pipeline.FittedStep<Lasso>("lasso").Coefficients.ToArray());

        // The configured steps are clones' templates: never fitted by the pipeline.
        Assert.Throws<InvalidOperationException>(() => lasso.Coefficients);
        Assert.Throws<InvalidOperationException>(() => scaler.Mean);
        Assert.Equal(["scale", "lasso"], pipeline.FittedSteps.Select(s => s.Name));
        Assert.NotSame(lasso, pipeline.FittedSteps[1].Estimator);
    }

    [Fact]
    public void TransformerPipeline_EqualsTheStepsByHand_AndNestsInAPipeline()
    {
        var (x, y) = TestData.Diabetes;
        var features = new TransformerPipeline(("scale", new StandardScaler()), ("range", new MinMaxScaler()));
        var z = features.FitTransform(x);
        var byHand = new MinMaxScaler().FitTransform(new StandardScaler().FitTransform(x));
        Assert.Equal(byHand.ToColumnMajorArray(), z.ToColumnMajorArray());
        Assert.Equal(z.ToColumnMajorArray(), features.Transform(x).ToColumnMajorArray());

        var nested = new Pipeline(("features", features), ("lasso", new Lasso { Alpha = 0.01 })).Fit(x, y);
        var lasso = new Lasso { Alpha = 0.01 }.Fit(byHand, y);
        Assert.Equal(lasso.Predict(byHand).ToArray(), nested.Predict(x).ToArray());

        var search = GridSearch.Fit(nested, new ParameterGrid { { "features.range.FeatureMax", 1.0, 2.0 } }, x, y, new KFold(3));
        Assert.Equal(2, search.Candidates.Count);
    }

    [Fact]
    public void SaveLoad_FittedPipeline_PredictsBitIdenticallyWithUnfittedTemplates()
    {
        var (x, y) = TestData.Diabetes;
        var pipeline = new Pipeline(("features", new TransformerPipeline(("scale", new StandardScaler()), ("range", new MinMaxScaler { FeatureMax = 3.0 }))), ("lasso", new Lasso { Alpha = 0.02 })).Fit(x, y);
        using var stream = new MemoryStream();
        ModelSerializer.Save(pipeline, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<Pipeline>(stream);
        Assert.Equal(pipeline.Predict(x).ToArray(), loaded.Predict(x).ToArray());
        Assert.Equal(["features", "lasso"], loaded.Steps.Select(s => s.Name));
        Assert.Throws<InvalidOperationException>(() => ((Lasso)loaded.Steps[1].Estimator).Coefficients);
        Assert.Equal(0.02, ((Lasso)loaded.Steps[1].Estimator).Alpha);
        Assert.Equal(ModelSerializerCorruptionTests.SaveText(pipeline), ModelSerializerCorruptionTests.SaveText(loaded));
    }

    [Fact]
    public void Load_CorruptStep_NamesTheNestedPath()
    {
        var (x, y) = EstimatorChecks.RegressionData(4);
        var pipeline = new Pipeline(("scale", new StandardScaler()), ("lasso", new Lasso { Alpha = 0.01 })).Fit(x, y);
        var document = JsonNode.Parse(ModelSerializerCorruptionTests.SaveText(pipeline))!;
        document["state"]!["Steps"]![1]!["Model"]!["state"]!["Coefficients"]![2] = "NaN";
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializerCorruptionTests.LoadText(document.ToJsonString()));
        Assert.StartsWith("$.state.Steps[1].Model.state.Coefficients[2] must be a finite number", e.Message, StringComparison.Ordinal);

        document = JsonNode.Parse(ModelSerializerCorruptionTests.SaveText(pipeline))!;
        document["state"]!["Steps"]![0]!["Model"]!["parameters"]!.AsObject().Remove("WithMean");
        e = Assert.Throws<InvalidDataException>(() => ModelSerializerCorruptionTests.LoadText(document.ToJsonString()));
        Assert.StartsWith("$.state.Steps[0].Model.parameters.WithMean is missing", e.Message, StringComparison.Ordinal);

        document = JsonNode.Parse(ModelSerializerCorruptionTests.SaveText(pipeline))!;
        document["state"]!["FeatureCount"] = 5;
        e = Assert.Throws<InvalidDataException>(() => ModelSerializerCorruptionTests.LoadText(document.ToJsonString()));
        Assert.StartsWith("$.state.Steps[0].Model does not take", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_BadSteps_AreNamedAndKeepTheModel()
    {
        var (x, y) = EstimatorChecks.RegressionData(6);
        var pipeline = new Pipeline(("scale", new StandardScaler()), ("lasso", new Lasso { Alpha = 0.01 })).Fit(x, y);
        var before = pipeline.Predict(x).ToArray();
        foreach (var steps in new PipelineStep[][]
        {
            [],
            [new("lasso", new Lasso()), new("scale", new StandardScaler())],
            [new("a", new StandardScaler()), new("a", new Lasso())],
            [new("a.b", new StandardScaler()), new("lasso", new Lasso())],
            [new("nmf", new Nmf()), new("robust", new RobustPca())],
        })
        {
            pipeline.Steps = steps;
            Assert.Equal("Steps", Assert.Throws<ArgumentException>(() => pipeline.Fit(x, y)).ParamName);
        }

        Assert.Equal(before, pipeline.Predict(x).ToArray());
        var transformers = new TransformerPipeline(("scale", new StandardScaler()), ("lasso", new Lasso()));
        Assert.Contains("must be a transformer", Assert.Throws<ArgumentException>(() => transformers.Fit(x)).Message, StringComparison.Ordinal);
    }
}
