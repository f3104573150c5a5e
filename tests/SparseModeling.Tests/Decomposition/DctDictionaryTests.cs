// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

public class DctDictionaryTests
{
    [Fact]
    public void Generate_EveryFixtureCase_MatchesSpmImage()
    {
        // dct_dictionary.json: spm-image's generate_dct_dictionary (transcribed in generators/dct_dictionary.py).
        var cases = TestData.Fixture("dct_dictionary.json").GetProperty("cases");
        foreach (var c in cases.EnumerateArray())
        {
            int k = c.GetProperty("n_components").GetInt32(), p = c.GetProperty("patch_size").GetInt32();
            var expected = c.GetProperty("D").EnumerateArray().Select(TestData.Doubles).ToArray();
            var d = DctDictionary.Generate(k, p);
            Assert.Equal(k, d.RowCount);
            Assert.Equal(p * p, d.ColumnCount);
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < p * p; j++)
                {
                    Assert.True(Math.Abs(expected[i][j] - d[i, j]) <= 1e-15, $"{k} atoms of {p}×{p}: atom {i}, pixel {j}: {d[i, j]:R} vs {expected[i][j]:R}");
                }
            }
        }
    }

    [Fact]
    public void ZigZagIndex_MatchesSpmImage()
    {
        var table = TestData.Fixture("dct_dictionary.json").GetProperty("zig_zag_index");
        foreach (var entry in table.EnumerateObject())
        {
            int n = int.Parse(entry.Name, System.Globalization.CultureInfo.InvariantCulture);
            int k = 0;
            foreach (var pair in entry.Value.EnumerateArray())
            {
                var ij = pair.EnumerateArray().Select(e => e.GetInt32()).ToArray();
                Assert.Equal((ij[0], ij[1]), DctDictionary.ZigZagIndex(k++, n));
            }
        }

        // spm-image's test_zig_zag_index: the scan rank of every entry of a 5×5 matrix.
        int[,] rank =
        {
            { 0, 1, 5, 6, 14 },
            { 2, 4, 7, 13, 15 },
            { 3, 8, 12, 16, 21 },
            { 9, 11, 17, 20, 22 },
            { 10, 18, 19, 23, 24 },
        };
        for (int k = 0; k < 25; k++)
        {
            var (i, j) = DctDictionary.ZigZagIndex(k, 5);
            Assert.Equal(k, rank[i, j]);
        }
    }

    [Fact]
    public void Generate_Complete2x2_MatchesSpmImageTest()
    {
        // spm-image's test_dct_complete.
        double h = Math.Sqrt(0.5);
        double[,] expected =
        {
            { 1.0, 1.0, 1.0, 1.0 },
            { h, -h, h, -h },
            { h, h, -h, -h },
            { 0.5, -0.5, -0.5, 0.5 },
        };
        var d = DctDictionary.Generate(4, 2);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                Assert.Equal(expected[i, j], d[i, j], 1e-15);
            }
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(5)]
    public void Generate_Complete_AtomsAreOrthogonalWithKnownNorms(int p)
    {
        // The 2-D DCT-II basis is orthogonal; ‖atom(u, v)‖² = p²·c(u)·c(v) with c(0) = 1 and c(u > 0) = ½ (unnormalised, as spm-image).
        var d = DctDictionary.Generate(p * p, p);
        var gram = d * d.Transpose();
        for (int a = 0; a < p * p; a++)
        {
            for (int b = 0; b < p * p; b++)
            {
                double expected = a != b ? 0.0 : p * p * (a / p == 0 ? 1.0 : 0.5) * (a % p == 0 ? 1.0 : 0.5);
                Assert.Equal(expected, gram[a, b], 1e-12);
            }
        }
    }

    [Fact]
    public void Generate_FewerAtoms_AreTheZigZagPrefixOfTheCompleteDictionary()
    {
        const int P = 6;
        var complete = DctDictionary.Generate(P * P, P);
        var partial = DctDictionary.Generate(20, P);
        for (int k = 0; k < 20; k++)
        {
            var (u, v) = DctDictionary.ZigZagIndex(k, P);
            Assert.Equal(complete.Row((u * P) + v).ToArray(), partial.Row(k).ToArray());
        }
    }

    [Theory]
    [InlineData(0, 8, "componentCount")]
    [InlineData(65, 8, "componentCount")]
    [InlineData(-1, 8, "componentCount")]
    [InlineData(1, 0, "patchSize")]
    [InlineData(1, -3, "patchSize")]
    [InlineData(1, 50000, "patchSize")]
    public void Generate_OutOfRange_ThrowsNamingTheArgument(int componentCount, int patchSize, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DctDictionary.Generate(componentCount, patchSize));
        Assert.Equal(name, e.ParamName);
        Assert.Contains(componentCount == 65 ? "65" : name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_SingleAtom_IsTheConstantAtom()
    {
        var d = DctDictionary.Generate(1, 4);
        Assert.Equal(Matrix<double>.Build.Dense(1, 16, 1.0), d);
    }
}
