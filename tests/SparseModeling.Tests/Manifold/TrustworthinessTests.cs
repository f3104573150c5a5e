// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Manifold;

namespace SparseModeling.Tests.Manifold;

public class TrustworthinessTests
{
    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        int count = TestData.Fixture("trustworthiness.json").GetProperty("cases").GetArrayLength();
        for (int c = 0; c < count; c++)
        {
            data.Add(c);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_MatchesScikitLearn(int index)
    {
        var item = TestData.Fixture("trustworthiness.json").GetProperty("cases")[index];
        var x = Rows(item.GetProperty("x"));
        var embedding = Rows(item.GetProperty("embedding"));
        double expected = item.GetProperty("trustworthiness").GetDouble();
        double actual = Trustworthiness.Compute(x, embedding, item.GetProperty("neighbors").GetInt32());

        // Continuous data: no tied distances, so the ranks are scikit-learn's and the sum of integers is exact.
        Assert.Equal(expected, actual, 1e-12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Compute_Digits_MatchesScikitLearnUpToTies(int index)
    {
        var fixture = TestData.Fixture("trustworthiness.json").GetProperty("digits");
        var item = fixture.GetProperty("cases")[index];
        var (x, _) = TestData.Digits;
        double expected = item.GetProperty("trustworthiness").GetDouble();
        double actual = Trustworthiness.Compute(x, Rows(fixture.GetProperty("embedding")), item.GetProperty("neighbors").GetInt32());

        // Integer pixels tie many distances exactly; scikit-learn orders ties by NumPy's unstable sort, this by index. Each
        // tie moved by one rank changes T by 2/(n·k·(2n − 3k − 1)) ≈ 3e-8 (k = 10): the two agree to a few hundred such moves.
        Assert.Equal(expected, actual, 2e-5);
    }

    [Fact]
    public void Compute_EmbeddingThatKeepsTheData_IsOne()
    {
        var rng = new SplitMix64(3);
        var x = Matrix<double>.Build.Dense(50, 4, (_, _) => rng.NextNormal());
        Assert.Equal(1.0, Trustworthiness.Compute(x, x * 3.0, 7), 15);
    }

    [Fact]
    public void Compute_ReversedNeighbourhoods_IsLow()
    {
        // Points on a line embedded on a line folded at the middle: neighbours across the fold are far in the data.
        int n = 40;
        var x = Matrix<double>.Build.Dense(n, 1, (i, _) => i);
        var folded = Matrix<double>.Build.Dense(n, 1, (i, _) => Math.Abs(i - (n / 2) + 0.25));
        Assert.True(Trustworthiness.Compute(x, folded, 3) < 0.95);
        Assert.Equal(1.0, Trustworthiness.Compute(x, x, 3), 15);
    }

    [Fact]
    public void Compute_BadInput_ThrowsNamedExceptions()
    {
        var rng = new SplitMix64(4);
        var x = Matrix<double>.Build.Dense(20, 3, (_, _) => rng.NextNormal());
        var e = x.SubMatrix(0, 20, 0, 2);
        Assert.Throws<ArgumentNullException>(() => Trustworthiness.Compute(null!, e, 3));
        Assert.Equal("embedding", Assert.Throws<ArgumentException>(() => Trustworthiness.Compute(x, e.SubMatrix(0, 19, 0, 2), 3)).ParamName);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => Trustworthiness.Compute(x, e, 10));
        Assert.Equal("neighbors", range.ParamName);
        Assert.Contains("was 10", range.Message, StringComparison.Ordinal);
        Assert.Equal("neighbors", Assert.Throws<ArgumentOutOfRangeException>(() => Trustworthiness.Compute(x, e, 0)).ParamName);
        var bad = x.Clone();
        bad[3, 1] = double.NaN;
        Assert.Contains("row 3, column 1", Assert.Throws<ArgumentException>(() => Trustworthiness.Compute(bad, e, 3)).Message, StringComparison.Ordinal);
    }

    private static Matrix<double> Rows(System.Text.Json.JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(r => TestData.Doubles(r)).ToArray();
        return Matrix<double>.Build.Dense(data.Length, data[0].Length, (i, j) => data[i][j]);
    }
}
