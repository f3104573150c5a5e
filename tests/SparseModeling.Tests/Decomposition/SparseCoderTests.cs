// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

public class SparseCoderTests
{
    private static (Matrix<double> X, Matrix<double> Dictionary) Problem()
    {
        var rng = new SplitMix64(31);
        var d = Matrix<double>.Build.Dense(24, 12, (_, _) => rng.NextNormal());
        for (int a = 0; a < d.RowCount; a++)
        {
            d.SetRow(a, d.Row(a).Normalize(2));
        }

        var x = Matrix<double>.Build.Dense(40, 12, (_, _) => rng.NextNormal());
        return (x, d);
    }

    [Theory]
    [InlineData(SparseCodingAlgorithm.Omp, 3, null)]
    [InlineData(SparseCodingAlgorithm.LassoLars, null, 0.2)]
    [InlineData(SparseCodingAlgorithm.LassoCd, null, 0.2)]
    [InlineData(SparseCodingAlgorithm.Threshold, null, 0.4)]
    public void Transform_IsSparseEncoderOverTheFittedDictionary(SparseCodingAlgorithm algorithm, int? nonzero, double? alpha)
    {
        var (x, d) = Problem();
        var coder = new SparseCoder { Dictionary = d, TransformAlgorithm = algorithm, TransformNonzeroCoefficients = nonzero, TransformAlpha = alpha }.Fit(x);
        var expected = SparseEncoder.Encode(x, d, algorithm, nonzero, alpha).ToColumnMajorArray();
        d[0, 0] += 1.0; // the coder keeps its own copy until the next fit
        Assert.Equal(expected, coder.Transform(x).ToColumnMajorArray());
        Assert.NotEqual(d, coder.Components);
    }

    [Fact]
    public void SplitSign_GivesPositiveAndNegativePartsAndInvertsBack()
    {
        var (x, d) = Problem();
        var plain = new SparseCoder { Dictionary = d, TransformAlgorithm = SparseCodingAlgorithm.LassoCd, TransformAlpha = 0.1 }.Fit(x);
        var split = new SparseCoder { Dictionary = d, TransformAlgorithm = SparseCodingAlgorithm.LassoCd, TransformAlpha = 0.1, SplitSign = true }.Fit(x);
        var codes = plain.Transform(x);
        var parts = split.Transform(x);
        Assert.Equal(2 * d.RowCount, parts.ColumnCount);
        Assert.True(codes.Enumerate().Any(v => v < 0.0) && codes.Enumerate().Any(v => v > 0.0));
        Assert.Equal(codes.ToColumnMajorArray(), (parts.SubMatrix(0, x.RowCount, 0, d.RowCount) - parts.SubMatrix(0, x.RowCount, d.RowCount, d.RowCount)).ToColumnMajorArray());
        Assert.All(parts.Enumerate(), v => Assert.True(v >= 0.0));
        var back = split.InverseTransform(parts);
        var direct = codes * d;
        Assert.True((back - direct).FrobeniusNorm() <= 1e-12 * direct.FrobeniusNorm());
    }

    [Fact]
    public void Fit_WithoutDictionaryOrMismatched_Throws()
    {
        var (x, d) = Problem();
        Assert.Contains("Dictionary", Assert.Throws<InvalidOperationException>(() => new SparseCoder().Fit(x)).Message, StringComparison.Ordinal);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new SparseCoder { Dictionary = d }.Fit(x.SubMatrix(0, 40, 0, 11))).ParamName);
        Assert.Equal("TransformNonzeroCoefficients", Assert.Throws<ArgumentOutOfRangeException>(() => new SparseCoder { Dictionary = d, TransformNonzeroCoefficients = 25 }.Fit(x)).ParamName);
        Assert.Equal("PositiveCode", Assert.Throws<ArgumentException>(() => new SparseCoder { Dictionary = d, PositiveCode = true }.Fit(x)).ParamName);
        var coder = new SparseCoder { Dictionary = d }.Fit(x);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => coder.Transform(x.SubMatrix(0, 40, 0, 11))).ParamName);
    }
}
