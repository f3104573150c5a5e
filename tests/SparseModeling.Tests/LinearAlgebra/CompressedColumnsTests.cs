// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class CompressedColumnsTests
{
    /// <summary>A random n×p matrix with about <paramref name="density"/> of its entries non-zero, dense and as MathNet CSR.</summary>
    internal static (Matrix<double> Dense, Matrix<double> Sparse) RandomSparse(int n, int p, double density, int seed)
    {
        var rng = new Random(seed);
        var dense = Matrix<double>.Build.Dense(n, p, (_, _) => rng.NextDouble() < density ? rng.NextDouble() + 0.5 : 0.0);
        return (dense, Matrix<double>.Build.SparseOfMatrix(dense));
    }

    private static SparseCompressedRowMatrixStorage<double> Csr(Matrix<double> x) => (SparseCompressedRowMatrixStorage<double>)x.Storage;

    [Theory]
    [InlineData(1, 1, 1.0)]
    [InlineData(17, 9, 0.3)]
    [InlineData(40, 300, 0.05)]
    [InlineData(5, 8, 0.0)]
    public void FromRows_RandomMatrix_HoldsEveryEntryByColumnInRowOrder(int n, int p, double density)
    {
        var (dense, sparse) = RandomSparse(n, p, density, n + p);
        var csc = CompressedColumns.FromRows(Csr(sparse));
        Assert.Equal(n, csc.Rows);
        Assert.Equal(p, csc.Columns);
        var rebuilt = new double[n, p];
        for (int j = 0; j < p; j++)
        {
            var rows = csc.ColumnRows(j);
            for (int k = 0; k < rows.Length; k++)
            {
                Assert.True(k == 0 || rows[k] > rows[k - 1], "rows increase within a column");
                rebuilt[rows[k], j] = csc.ColumnValues(j)[k];
            }
        }

        Assert.Equal(dense.ToArray(), rebuilt);
        Assert.Equal(dense.Enumerate().Count(v => v != 0.0), csc.Count);
    }

    [Fact]
    public void FromRows_ExplicitZerosAndUnsortedRows_DropsZerosAndSortsByColumn()
    {
        // Row 0: columns 2, 0 (unsorted) and an explicit zero at column 1; row 1: an explicit zero only; row 2: column 1.
        var storage = SparseCompressedRowMatrixStorage<double>.OfCompressedSparseRowFormat(3, 3, 5, [0, 3, 4, 5], [0, 1, 2, 1, 1], [1.0, 0.0, 3.0, 0.0, 5.0]);
        storage.ColumnIndices[0] = 2;
        storage.ColumnIndices[2] = 0;
        storage.Values[0] = 3.0;
        storage.Values[2] = 1.0;
        var csc = CompressedColumns.FromRows(storage);
        Assert.Equal(3, csc.Count);
        Assert.Equal([0, 1, 2, 3], csc.ColumnPointers);
        Assert.Equal([0, 2, 0], csc.RowIndices);
        Assert.Equal([1.0, 5.0, 3.0], csc.Values);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 4)]
    [InlineData(5, 9)]
    [InlineData(16, 20)]
    public void FromRows_SkippedRowRange_EqualsTheRemainingRowsRenumbered(int start, int stop)
    {
        var (dense, sparse) = RandomSparse(20, 12, 0.3, 7);
        var kept = Enumerable.Range(0, 20).Where(i => i < start || i >= stop).ToArray();
        var expected = Matrix<double>.Build.Dense(kept.Length, 12, (i, j) => dense[kept[i], j]);
        var csc = CompressedColumns.FromRows(Csr(sparse), start, stop);
        Assert.Equal(kept.Length, csc.Rows);
        var rebuilt = Matrix<double>.Build.Dense(csc.Rows, 12);
        for (int j = 0; j < 12; j++)
        {
            for (int k = 0; k < csc.ColumnRows(j).Length; k++)
            {
                rebuilt[csc.ColumnRows(j)[k], j] = csc.ColumnValues(j)[k];
            }
        }

        Assert.Equal(expected, rebuilt);
    }

    [Theory]
    [InlineData(30, 20, 0.2)]
    [InlineData(600, 500, 0.5)] // above the parallel threshold of MultiplyTransposed
    public void Products_RandomMatrix_MatchDenseScalarLoops(int n, int p, double density)
    {
        var (dense, sparse) = RandomSparse(n, p, density, 3);
        var csc = CompressedColumns.FromRows(Csr(sparse));
        var v = Reference.Random(n, 11);
        var w = Reference.Random(p, 12);

        var xtv = new double[p];
        csc.MultiplyTransposed(v, xtv);
        var xw = Reference.Random(n, 13);
        var expectedXw = (double[])xw.Clone();
        csc.MultiplyAdd(w, xw);
        for (int j = 0; j < p; j++)
        {
            double dot = 0.0;
            for (int i = 0; i < n; i++)
            {
                dot += dense[i, j] * v[i];
                expectedXw[i] += dense[i, j] * w[j];
            }

            Assert.True(Math.Abs(xtv[j] - dot) <= 1e-12 * n, $"Xᵀv[{j}]");
            Assert.True(Math.Abs(csc.ColumnDot(j, v) - dot) <= 1e-12 * n, $"x{j}ᵀv");
        }

        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(xw[i] - expectedXw[i]) <= 1e-12 * p, $"Xw[{i}]");
        }
    }

    [Fact]
    public void Statistics_RandomMatrix_MatchDenseScalarLoops()
    {
        var (dense, sparse) = RandomSparse(50, 30, 0.2, 5);
        var csc = CompressedColumns.FromRows(Csr(sparse));
        var sums = new double[30];
        var means = new double[30];
        var centred = new double[30];
        var plain = new double[30];
        csc.Statistics(sums, means, centred);
        csc.Statistics(new double[30], null, plain);
        for (int j = 0; j < 30; j++)
        {
            double sum = 0.0, square = 0.0;
            for (int i = 0; i < 50; i++)
            {
                sum += dense[i, j];
                square += dense[i, j] * dense[i, j];
            }

            double mean = sum / 50, centredSquare = 0.0;
            for (int i = 0; i < 50; i++)
            {
                centredSquare += (dense[i, j] - mean) * (dense[i, j] - mean);
            }

            Assert.Equal(sum, sums[j], 1e-12);
            Assert.Equal(mean, means[j], 1e-14);
            Assert.Equal(centredSquare, centred[j], 1e-12);
            Assert.Equal(square, plain[j], 1e-12);
        }
    }
}
