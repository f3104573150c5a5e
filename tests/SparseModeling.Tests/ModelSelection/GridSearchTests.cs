// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearModel;
using SparseModeling.Metrics;
using SparseModeling.ModelSelection;
using SparseModeling.Preprocessing;

namespace SparseModeling.Tests.ModelSelection;

public class GridSearchTests
{
    /// <summary>
    /// model_selection.json: scikit-learn 1.2.1's GridSearchCV over a StandardScaler + Lasso pipeline on diabetes.csv (alphas ×
    /// with_mean, unshuffled 5-fold): candidates in the same order, mean and std scores, the best α and the refitted coefficients.
    /// </summary>
    [Fact]
    public void Fit_PipelineGrid_MatchesScikitLearn()
    {
        var fixture = TestData.Fixture("model_selection.json").GetProperty("grid_search");
        var (x, y) = TestData.Diabetes;
        var pipeline = new Pipeline(("scale", new StandardScaler()), ("lasso", new Lasso { Tolerance = 1e-12, MaxIterations = 100000 }));
        var alphas = TestData.Doubles(fixture.GetProperty("alphas"));
        var grid = new ParameterGrid { { "lasso.Alpha", alphas }, { "scale.WithMean", true, false } };
        var result = GridSearch.Fit(pipeline, grid, x, y, new KFold(5));

        var parameters = fixture.GetProperty("params").EnumerateArray().ToArray();
        Assert.Equal(parameters.Length, result.Candidates.Count);
        for (int c = 0; c < parameters.Length; c++)
        {
            Assert.Equal(parameters[c].GetProperty("alpha").GetDouble(), result.Candidates[c].Parameters["lasso.Alpha"]);
            Assert.Equal(parameters[c].GetProperty("with_mean").GetBoolean(), result.Candidates[c].Parameters["scale.WithMean"]);
        }

        CrossValidationTests.AssertClose(TestData.Doubles(fixture.GetProperty("mean_test_score")), result.Candidates.Select(c => c.MeanScore).ToArray(), 1e-9);
        CrossValidationTests.AssertClose(TestData.Doubles(fixture.GetProperty("std_test_score")), result.Candidates.Select(c => c.StdScore).ToArray(), 1e-7);

        // WithMean true and false tie to rounding (a Lasso with an intercept ignores the centring), so the best index may be either of the pair.
        int expectedBest = fixture.GetProperty("best_index").GetInt32();
        Assert.Equal(parameters[expectedBest].GetProperty("alpha").GetDouble(), result.BestParameters["lasso.Alpha"]);
        Assert.Equal(result.Candidates.Max(c => c.MeanScore), result.BestScore);
        Assert.Equal(1, result.Candidates[result.BestIndex].Rank);
        Assert.All(result.Candidates, c => Assert.Equal(1 + result.Candidates.Count(o => o.MeanScore > c.MeanScore), c.Rank));
        var lasso = result.BestEstimator.FittedStep<Lasso>("lasso");
        CrossValidationTests.AssertClose(TestData.Doubles(fixture.GetProperty("best_coef")), lasso.Coefficients.ToArray(), 1e-8);
        Assert.Equal(fixture.GetProperty("best_intercept").GetDouble(), lasso.Intercept, 1e-8);
        Assert.Throws<InvalidOperationException>(() => pipeline.FittedSteps);
    }

    [Fact]
    public void Fit_ScoresAreThoseOfCrossValidation()
    {
        var (x, y) = TestData.Diabetes;
        var folds = new KFold { FoldCount = 3, Shuffle = true, RandomSeed = 8 };
        var result = GridSearch.Fit(new Lasso(), new ParameterGrid { { "Alpha", 0.05, 0.5, 5 } }, x, y, folds, RegressionMetrics.NegativeMeanAbsoluteError);
        double[] alphas = [0.05, 0.5, 5.0];
        for (int c = 0; c < 3; c++)
        {
            var scores = CrossValidation.Score(new Lasso { Alpha = alphas[c] }, x, y, folds, RegressionMetrics.NegativeMeanAbsoluteError);
            Assert.Equal(scores, result.Candidates[c].FoldScores);
            Assert.Equal(scores.Average(), result.Candidates[c].MeanScore, 1e-12);
        }

        int best = Enumerable.Range(0, 3).MaxBy(c => result.Candidates[c].MeanScore);
        Assert.Equal(best, result.BestIndex);
        Assert.Equal(new Lasso { Alpha = alphas[best] }.Fit(x, y).Coefficients.ToArray(), result.BestEstimator.Coefficients.ToArray());
    }

    [Fact]
    public void Fit_BadGrid_IsNamedBeforeAnyFit()
    {
        var (x, y) = EstimatorChecks.RegressionData(1);
        var pipeline = new Pipeline(("scale", new StandardScaler()), ("lasso", new Lasso()));
        Assert.Equal("grid", Assert.Throws<ArgumentException>(() => GridSearch.Fit(new Lasso(), new ParameterGrid { { "Alfa", 1.0 } }, x, y)).ParamName);
        Assert.Contains("step ridge", Assert.Throws<ArgumentException>(() => GridSearch.Fit(pipeline, new ParameterGrid { { "ridge.Alpha", 1.0 } }, x, y)).Message, StringComparison.Ordinal);
        Assert.Equal("grid", Assert.Throws<ArgumentException>(() => GridSearch.Fit(new Lasso(), new ParameterGrid { { "Alpha", "big" } }, x, y)).ParamName);
        Assert.Equal("Alpha", Assert.Throws<ArgumentOutOfRangeException>(() => GridSearch.Fit(new Lasso(), new ParameterGrid { { "Alpha", -1.0 } }, x, y)).ParamName);
        Assert.Throws<ArgumentException>(() => new ParameterGrid { { "Alpha", Array.Empty<double>() } });
    }

    [Fact]
    public void ParameterGrid_Candidates_AreInScikitLearnOrder()
    {
        var grid = new ParameterGrid { { "b", 1, 2 }, { "a", "x", "y", "z" } };
        Assert.Equal(6, grid.Count);
        Assert.Equal(["x1", "x2", "y1", "y2", "z1", "z2"], grid.Candidates().Select(c => $"{c["a"]}{c["b"]}"));
    }
}
