// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.ModelSelection;

namespace SparseModeling.Tests.ModelSelection;

public class KFoldTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, TestData.Fixture("model_selection.json").GetProperty("kfold").GetArrayLength()));

    /// <summary>model_selection.json: scikit-learn 1.2.1's KFold without shuffling, index for index.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Split_Unshuffled_MatchesScikitLearn(int index)
    {
        var c = TestData.Fixture("model_selection.json").GetProperty("kfold")[index];
        var splits = new KFold(c.GetProperty("k").GetInt32()).Split(c.GetProperty("n").GetInt32());
        var folds = c.GetProperty("folds").EnumerateArray().ToArray();
        Assert.Equal(folds.Length, splits.Count);
        for (int f = 0; f < folds.Length; f++)
        {
            Assert.Equal(folds[f].GetProperty("train").EnumerateArray().Select(e => e.GetInt32()), splits[f].Train);
            Assert.Equal(folds[f].GetProperty("test").EnumerateArray().Select(e => e.GetInt32()), splits[f].Test);
        }
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(101, 7)]
    [InlineData(5, 5)]
    public void Split_Shuffled_PartitionsWithScikitLearnSizesAndIsSeeded(int n, int k)
    {
        var splits = new KFold { FoldCount = k, Shuffle = true, RandomSeed = 4 }.Split(n);
        var again = new KFold { FoldCount = k, Shuffle = true, RandomSeed = 4 }.Split(n);
        var other = new KFold { FoldCount = k, Shuffle = true, RandomSeed = 5 }.Split(n);
        Assert.Equal(Enumerable.Range(0, n), splits.SelectMany(s => s.Test).Order());
        for (int f = 0; f < k; f++)
        {
            Assert.Equal((n / k) + (f < n % k ? 1 : 0), splits[f].Test.Count);
            Assert.Equal(Enumerable.Range(0, n).Except(splits[f].Test), splits[f].Train);
            Assert.Equal(splits[f].Test.Order(), splits[f].Test);
            Assert.Equal(again[f].Test, splits[f].Test);
        }

        if (k < n)
        {
            Assert.NotEqual(splits.Select(s => string.Join(",", s.Test)), other.Select(s => string.Join(",", s.Test)));
        }
    }

    [Fact]
    public void Split_BadFoldCount_IsNamed()
    {
        Assert.Equal("FoldCount", Assert.Throws<ArgumentOutOfRangeException>(() => new KFold { FoldCount = 1 }.Split(10)).ParamName);
        Assert.Equal("FoldCount", Assert.Throws<ArgumentOutOfRangeException>(() => new KFold { FoldCount = 11 }.Split(10)).ParamName);
        Assert.Equal("foldCount", Assert.Throws<ArgumentOutOfRangeException>(() => new KFold(0)).ParamName);
    }
}
