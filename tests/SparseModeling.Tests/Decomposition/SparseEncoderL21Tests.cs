// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

public class SparseEncoderL21Tests
{
    private static readonly JsonElement Fixture = TestData.Fixture("generalized_lasso_spmimage.json").GetProperty("l21");

    private static (Matrix<double> X, Matrix<double> D) Problem()
    {
        int samples = Fixture.GetProperty("samples").GetInt32(), features = Fixture.GetProperty("features").GetInt32(), atoms = Fixture.GetProperty("atoms").GetInt32();
        return (Matrix<double>.Build.DenseOfRowMajor(samples, features, TestData.Doubles(Fixture.GetProperty("x"))),
            Matrix<double>.Build.DenseOfRowMajor(atoms, features, TestData.Doubles(Fixture.GetProperty("dictionary"))));
    }

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Fixture.GetProperty("cases").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    /// <summary>spm-image's fixed iteration count (tolerance 0): the same codes, to rounding.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void EncodeL21_ToleranceZero_MatchesSpmImage(int index)
    {
        var testCase = Fixture.GetProperty("cases")[index];
        var (x, d) = Problem();
        var codes = SparseEncoder.EncodeL21(x, d, testCase.GetProperty("alpha").GetDouble(), testCase.GetProperty("tau").GetDouble(), testCase.GetProperty("max_iter").GetInt32(), tolerance: 0.0);
        var expected = Matrix<double>.Build.DenseOfRowMajor(x.RowCount, d.RowCount, TestData.Doubles(testCase.GetProperty("codes")));
        Assert.Equal(x.RowCount, codes.RowCount);
        Assert.Equal(d.RowCount, codes.ColumnCount);
        for (int i = 0; i < codes.RowCount; i++)
        {
            for (int k = 0; k < codes.ColumnCount; k++)
            {
                Assert.True(Math.Abs(expected[i, k] - codes[i, k]) <= 1e-10 * (1.0 + Math.Abs(expected[i, k])), $"{testCase.GetProperty("call").GetString()}: ({i}, {k}) expected {expected[i, k]:R}, got {codes[i, k]:R}");
                if (expected[i, k] == 0.0)
                {
                    Assert.Equal(0.0, codes[i, k]);
                }
            }
        }
    }

    /// <summary>
    /// Run to convergence, the codes meet the optimality conditions of (1/(2n))‖X − WD‖² + α‖W‖₂,₁ column by column: with
    /// gₖ = (X − WD)·dₖ/n, gₖ = α·Wₖ/‖Wₖ‖ on a used atom and ‖gₖ‖ ≤ α on an unused one (which some are, at this α).
    /// </summary>
    [Fact]
    public void EncodeL21_Converged_SatisfiesOptimalityConditions()
    {
        var (x, d) = Problem();
        const double alpha = 0.05;
        var w = SparseEncoder.EncodeL21(x, d, alpha, 1.0, 100_000, 1e-12);
        var g = (x - (w * d)) * d.Transpose() / x.RowCount;
        int unused = 0;
        for (int k = 0; k < d.RowCount; k++)
        {
            double norm = w.Column(k).L2Norm();
            if (norm == 0.0)
            {
                unused++;
                Assert.True(g.Column(k).L2Norm() <= alpha * (1 + 1e-8), $"atom {k}: ‖g‖ = {g.Column(k).L2Norm()} > α");
            }
            else
            {
                Assert.True((g.Column(k) - (alpha * w.Column(k) / norm)).InfinityNorm() <= 1e-8, $"atom {k}: stationarity off by {(g.Column(k) - (alpha * w.Column(k) / norm)).InfinityNorm()}");
            }
        }

        Assert.InRange(unused, 1, d.RowCount - 1);

        // The default tolerance stops early, near the same codes.
        var quick = SparseEncoder.EncodeL21(x, d, alpha, 1.0, 100_000);
        Assert.True((quick - w).InfinityNorm() <= 1e-2 * w.InfinityNorm());
    }

    [Fact]
    public void EncodeL21_BadInput_ThrowsNamingTheArgument()
    {
        var (x, d) = Problem();
        Assert.Throws<ArgumentNullException>(() => SparseEncoder.EncodeL21(null!, d));
        Assert.Equal("dictionary", Assert.Throws<ArgumentException>(() => SparseEncoder.EncodeL21(x, d.SubMatrix(0, 8, 0, 5))).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => SparseEncoder.EncodeL21(x, d, -1.0)).ParamName);
        Assert.Equal("tau", Assert.Throws<ArgumentOutOfRangeException>(() => SparseEncoder.EncodeL21(x, d, 1.0, 0.0)).ParamName);
        Assert.Equal("maxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => SparseEncoder.EncodeL21(x, d, 1.0, 1.0, 0)).ParamName);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => SparseEncoder.EncodeL21(x, d, 1.0, 1.0, 30, -1.0)).ParamName);
        var copy = x.Clone();
        SparseEncoder.EncodeL21(x, d);
        Assert.Equal(copy, x);
    }
}
