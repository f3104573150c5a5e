// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.ModelSelection;

namespace SparseModeling.Tests.ModelSelection;

public class TrainTestSplitTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, TestData.Fixture("model_selection.json").GetProperty("train_test_split").GetArrayLength()));

    public static TheoryData<int> StratifiedCases() => new(Enumerable.Range(0, TestData.Fixture("model_selection.json").GetProperty("stratified").GetArrayLength()));

    /// <summary>model_selection.json: scikit-learn 1.2.1's train_test_split sizes (⌈f·n⌉ test samples) and unshuffled split.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Indices_MatchScikitLearn(int index)
    {
        var c = TestData.Fixture("model_selection.json").GetProperty("train_test_split")[index];
        int n = c.GetProperty("n").GetInt32();
        double f = c.GetProperty("test_fraction").GetDouble();
        var train = c.GetProperty("train").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var test = c.GetProperty("test").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var unshuffled = TrainTestSplit.Indices(n, f, shuffle: false);
        Assert.Equal(train, unshuffled.Train);
        Assert.Equal(test, unshuffled.Test);

        var shuffled = TrainTestSplit.Indices(n, f, randomSeed: 1);
        Assert.Equal(train.Length, shuffled.Train.Count);
        Assert.Equal(Enumerable.Range(0, n), shuffled.Train.Concat(shuffled.Test).Order());
        Assert.Equal(shuffled.Test, TrainTestSplit.Indices(n, f, randomSeed: 1).Test);
    }

    /// <summary>model_selection.json: scikit-learn 1.2.1's StratifiedShuffleSplit class counts (the same for every seed there).</summary>
    [Theory]
    [MemberData(nameof(StratifiedCases))]
    public void StratifiedIndices_ClassCountsMatchScikitLearn(int index)
    {
        var c = TestData.Fixture("model_selection.json").GetProperty("stratified")[index];
        var labels = c.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var classes = c.GetProperty("classes").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        foreach (int seed in new[] { 0, 1, 2, 3 })
        {
            var split = TrainTestSplit.StratifiedIndices(labels, c.GetProperty("test_fraction").GetDouble(), seed);
            Assert.Equal(c.GetProperty("train_counts").EnumerateArray().Select(e => e.GetInt32()), classes.Select(k => split.Train.Count(i => labels[i] == k)));
            Assert.Equal(c.GetProperty("test_counts").EnumerateArray().Select(e => e.GetInt32()), classes.Select(k => split.Test.Count(i => labels[i] == k)));
            Assert.Equal(Enumerable.Range(0, labels.Length), split.Train.Concat(split.Test).Order());
        }
    }

    [Fact]
    public void Split_TakesTheRowsAndTargetsOfItsIndices()
    {
        var (x, y) = EstimatorChecks.RegressionData(5);
        var copy = x.Clone();
        var data = TrainTestSplit.Split(x, y, 0.3, randomSeed: 9);
        Assert.Equal(12, data.XTest.RowCount);
        Assert.Equal(28, data.YTrain.Count);
        for (int i = 0; i < data.Indices.Test.Count; i++)
        {
            Assert.Equal(x.Row(data.Indices.Test[i]).ToArray(), data.XTest.Row(i).ToArray());
            Assert.Equal(y[data.Indices.Test[i]], data.YTest[i]);
        }

        Assert.Equal(copy.ToColumnMajorArray(), x.ToColumnMajorArray());
        var labels = Enumerable.Range(0, 40).Select(i => i % 4 == 0 ? "a" : "b").ToArray();
        var stratified = TrainTestSplit.Split(x, y, labels, 0.2, randomSeed: 2);
        Assert.Equal(2, stratified.Indices.Test.Count(i => labels[i] == "a"));
    }

    [Fact]
    public void Split_BadArguments_AreNamed()
    {
        var (x, y) = EstimatorChecks.RegressionData(5);
        Assert.Equal("testFraction", Assert.Throws<ArgumentOutOfRangeException>(() => TrainTestSplit.Split(x, y, 1.0)).ParamName);
        Assert.Equal("testFraction", Assert.Throws<ArgumentOutOfRangeException>(() => TrainTestSplit.Indices(3, 0.9)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => TrainTestSplit.Split(x, Vector<double>.Build.Dense(3))).ParamName);
        var e = Assert.Throws<ArgumentException>(() => TrainTestSplit.StratifiedIndices([1, 1, 2, 2, 3], 0.4));
        Assert.Contains("class 3", e.Message, StringComparison.Ordinal);
    }
}
