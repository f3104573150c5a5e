// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.Optimization;
using SparseModeling.Tests.LinearAlgebra;

namespace SparseModeling.Tests.Optimization;

public class ConstraintOperatorTests
{
    /// <summary>D1 ((p−1)×p, rows e_{i+1} − e_i) or D2 ((p−2)×p, rows e_i − 2e_{i+1} + e_{i+2}) written out.</summary>
    internal static Matrix<double> DenseDifference(int p, int order)
    {
        var d = Matrix<double>.Build.Dense(p - order, p);
        for (int i = 0; i < p - order; i++)
        {
            if (order == 1)
            {
                d[i, i] = -1.0;
                d[i, i + 1] = 1.0;
            }
            else
            {
                d[i, i] = 1.0;
                d[i, i + 1] = -2.0;
                d[i, i + 2] = 1.0;
            }
        }

        return d;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(17, 1)]
    [InlineData(100, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 2)]
    [InlineData(17, 2)]
    [InlineData(100, 2)]
    public void Difference_ApplyAndTranspose_MatchDenseMatrix(int p, int order)
    {
        var dense = DenseDifference(p, order);
        var d = order == 1 ? ConstraintOperator.FirstDifference(p) : ConstraintOperator.SecondDifference(p);
        Assert.Equal(p - order, d.RowCount);
        Assert.Equal(p, d.ColumnCount);
        Assert.Equal(order, d.GramBandwidth);
        AssertProductsMatch(dense, d);

        // DᵀD dense and banded.
        var gram = dense.TransposeThisAndMultiply(dense);
        var a = new double[p * p];
        d.AddGram(2.0, a, p);
        var band = new double[p * (order + 2)];
        d.AddBandedGram(2.0, band, order + 1);
        for (int j = 0; j < p; j++)
        {
            for (int i = 0; i < p; i++)
            {
                Assert.Equal(2.0 * gram[i, j], a[i + (j * p)], 1e-14);
                if (i >= j && i - j <= order + 1)
                {
                    Assert.Equal(2.0 * gram[i, j], band[(i - j) + (j * (order + 2))], 1e-14);
                }
            }
        }
    }

    [Fact]
    public void DenseAndOperator_ApplyTransposeAndGram_MatchMatrix()
    {
        var matrix = Matrix<double>.Build.Dense(7, 5, Reference.Random(35, 8));
        var dense = ConstraintOperator.Dense(matrix.ToColumnMajorArray(), 7, 5);
        var wrapped = ConstraintOperator.FromOperator(new DenseLinearOperator(matrix));
        var gram = matrix.TransposeThisAndMultiply(matrix);
        foreach (var d in new[] { dense, wrapped })
        {
            Assert.Equal(-1, d.GramBandwidth);
            AssertProductsMatch(matrix, d);
            var a = new double[25];
            d.AddGram(1.0, a, 5);
            for (int j = 0; j < 5; j++)
            {
                for (int i = 0; i < 5; i++)
                {
                    Assert.Equal(gram[i, j], a[i + (j * 5)], 1e-13);
                }
            }

            Assert.Throws<NotSupportedException>(() => d.AddBandedGram(1.0, new double[10], 1));
        }
    }

    [Fact]
    public void Identity_ProductsAndGram_AreTheIdentity()
    {
        var d = ConstraintOperator.Identity(6);
        Assert.True(d.IsIdentity);
        AssertProductsMatch(Matrix<double>.Build.DenseIdentity(6), d);
        var band = new double[6];
        d.AddBandedGram(3.0, band, 0);
        Assert.All(band, value => Assert.Equal(3.0, value));
    }

    /// <summary>Any order's difference matrix (rows: the binomial stencil of Δᵏ, + on the last entry), max(p − k, 0)×p.</summary>
    internal static Matrix<double> DenseDifferenceOfOrder(int p, int order)
    {
        var stencil = order switch
        {
            1 => new[] { -1.0, 1.0 },
            2 => [1.0, -2.0, 1.0],
            _ => [-1.0, 3.0, -3.0, 1.0],
        };
        var d = Matrix<double>.Build.Dense(Math.Max(p - order, 0), p);
        for (int i = 0; i < d.RowCount; i++)
        {
            for (int a = 0; a <= order; a++)
            {
                d[i, i + a] = stencil[a];
            }
        }

        return d;
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 3)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 3)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(6, 3)]
    [InlineData(7, 3)]
    [InlineData(17, 3)]
    [InlineData(100, 3)]
    [InlineData(9, 2)]
    [InlineData(9, 1)]
    public void Difference_AnyOrderAndShortSignals_MatchDenseMatrix(int p, int order)
    {
        var dense = DenseDifferenceOfOrder(p, order);
        var d = ConstraintOperator.Difference(p, order);
        Assert.Equal(dense.RowCount, d.RowCount);
        Assert.Equal(p, d.ColumnCount);
        AssertProductsMatch(dense, d);
        AssertGramsMatch(dense, d, order);
    }

    [Fact]
    public void Stacked_WeightedIdentityAndDifference_MatchesDenseStack()
    {
        const int p = 23;
        var identity = Matrix<double>.Build.DenseIdentity(p);
        var second = DenseDifferenceOfOrder(p, 2);
        var dense = (0.5 * identity).Stack(3.0 * second);
        var d = ConstraintOperator.Stacked((0.5, ConstraintOperator.Identity(p)), (3.0, ConstraintOperator.Difference(p, 2)));
        Assert.Equal(2 * p - 2, d.RowCount);
        Assert.Equal(2, d.GramBandwidth);
        Assert.False(d.IsIdentity);
        AssertProductsMatch(dense, d);
        AssertGramsMatch(dense, d, 2);

        // One block alone, weight 0 included (spm-image's 0·T), and a dense block makes the stack non-banded.
        var zero = ConstraintOperator.Stacked((0.0, ConstraintOperator.Difference(p, 1)));
        AssertProductsMatch(0.0 * DenseDifferenceOfOrder(p, 1), zero);
        var random = Matrix<double>.Build.Dense(4, p, Reference.Random(4 * p, 31));
        var mixed = ConstraintOperator.Stacked((1.0, ConstraintOperator.Identity(p)), (2.0, ConstraintOperator.Dense(random.ToColumnMajorArray(), 4, p)));
        Assert.Equal(-1, mixed.GramBandwidth);
        AssertProductsMatch(identity.Stack(2.0 * random), mixed);
        Assert.Throws<NotSupportedException>(() => mixed.AddBandedGram(1.0, new double[p * 5], 4));
        Assert.Throws<ArgumentException>(() => ConstraintOperator.Stacked((1.0, ConstraintOperator.Identity(p)), (1.0, ConstraintOperator.Identity(p + 1))));
    }

    [Fact]
    public void SparseRows_FromMathNetCsr_MatchDenseMatrixAndBandwidth()
    {
        const int p = 30;

        // A graph incidence matrix with rows of span ≤ 3, one empty row, and a duplicated entry summed.
        var dense = Matrix<double>.Build.Dense(12, p);
        for (int r = 0; r < 11; r++)
        {
            int a = (r * 7) % (p - 3);
            dense[r, a] = -1.0;
            dense[r, a + 1 + (r % 3)] = 1.5;
        }

        var sparse = Matrix<double>.Build.SparseOfMatrix(dense);
        var storage = (MathNet.Numerics.LinearAlgebra.Storage.SparseCompressedRowMatrixStorage<double>)sparse.Storage;
        var d = ConstraintOperator.SparseRows(12, p, storage.RowPointers, storage.ColumnIndices, storage.Values);
        Assert.Equal(3, d.GramBandwidth);
        AssertProductsMatch(dense, d);
        AssertGramsMatch(dense, d, 3);
        Assert.Throws<ArgumentException>(() => ConstraintOperator.SparseRows(1, 2, [0, 1], [2], [1.0]));
    }

    private static void AssertGramsMatch(Matrix<double> dense, ConstraintOperator d, int bandwidth)
    {
        int p = dense.ColumnCount;
        var gram = dense.TransposeThisAndMultiply(dense);
        var a = new double[p * p];
        d.AddGram(2.0, a, p);
        var band = new double[p * (bandwidth + 2)];
        d.AddBandedGram(2.0, band, bandwidth + 1);
        for (int j = 0; j < p; j++)
        {
            for (int i = 0; i < p; i++)
            {
                Assert.Equal(2.0 * gram[i, j], a[i + (j * p)], 1e-13);
                if (i >= j && i - j <= bandwidth + 1)
                {
                    Assert.Equal(2.0 * gram[i, j], band[(i - j) + (j * (bandwidth + 2))], 1e-13);
                }
            }
        }
    }

    private static void AssertProductsMatch(Matrix<double> dense, ConstraintOperator d)
    {
        int m = dense.RowCount, p = dense.ColumnCount;
        var v = Reference.Random(p, p + 1);
        var u = Reference.Random(m, m + 2);
        var dv = Enumerable.Repeat(double.NaN, m).ToArray();
        var dtu = Enumerable.Repeat(double.NaN, p).ToArray();
        d.Apply(v, dv);
        d.ApplyTranspose(u, dtu);
        var expectedDv = dense * Vector<double>.Build.Dense(v);
        var expectedDtu = dense.TransposeThisAndMultiply(Vector<double>.Build.Dense(u));
        for (int i = 0; i < m; i++)
        {
            Assert.Equal(expectedDv[i], dv[i], 1e-14);
        }

        for (int j = 0; j < p; j++)
        {
            Assert.Equal(expectedDtu[j], dtu[j], 1e-14);
        }
    }
}
