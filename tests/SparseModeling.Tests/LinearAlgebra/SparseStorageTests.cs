// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class SparseStorageTests
{
    private static SparseCompressedRowMatrixStorage<double> Csr(Matrix<double> x) => (SparseCompressedRowMatrixStorage<double>)x.Storage;

    [Fact]
    public void Defect_CanonicalAndUnsortedRows_None()
    {
        var (_, sparse) = CompressedColumnsTests.RandomSparse(20, 15, 0.3, 1);
        Assert.Null(SparseStorage.Defect(Csr(sparse)));
        var storage = SparseCompressedRowMatrixStorage<double>.OfCompressedSparseRowFormat(2, 4, 3, [0, 3, 3], [0, 2, 3], [1.0, 2.0, 3.0]);
        (storage.ColumnIndices[0], storage.ColumnIndices[2]) = (3, 0);
        Assert.Null(SparseStorage.Defect(storage));
    }

    [Fact]
    public void Defect_DuplicateColumnInARow_NamesRowAndColumn()
    {
        var storage = SparseCompressedRowMatrixStorage<double>.OfCompressedSparseRowFormat(3, 4, 4, [0, 1, 4, 4], [0, 1, 2, 3], [1.0, 2.0, 3.0, 4.0]);
        storage.ColumnIndices[3] = 1; // row 1 now stores column 1 twice, unsorted
        string? defect = SparseStorage.Defect(storage);
        Assert.NotNull(defect);
        Assert.Contains("column 1 twice in row 1", defect, StringComparison.Ordinal);
    }

    [Fact]
    public void Defect_ColumnOutOfRange_NamesRow()
    {
        var storage = SparseCompressedRowMatrixStorage<double>.OfCompressedSparseRowFormat(2, 3, 2, [0, 1, 2], [0, 2], [1.0, 2.0]);
        storage.ColumnIndices[1] = 7;
        Assert.Contains("column index 7 at row 1", SparseStorage.Defect(storage), StringComparison.Ordinal);
    }

    [Fact]
    public void FirstNonFinite_NaNAfterEmptyRows_NamesItsRowAndColumn()
    {
        var storage = SparseCompressedRowMatrixStorage<double>.OfCompressedSparseRowFormat(5, 4, 3, [0, 1, 1, 1, 3, 3], [2, 0, 3], [1.0, 2.0, 3.0]);
        Assert.Null(SparseStorage.FirstNonFinite(storage));
        storage.Values[2] = double.NaN;
        var bad = SparseStorage.FirstNonFinite(storage);
        Assert.Equal((3, 3), (bad!.Value.Row, bad.Value.Column));
    }

    [Fact]
    public void RowProducts_RandomMatrix_MatchDenseScalarLoops()
    {
        var (dense, sparse) = CompressedColumnsTests.RandomSparse(40, 25, 0.2, 2);
        var w = Reference.Random(25, 3);
        var v = Reference.Random(40, 4);
        var b = Reference.Random(25 * 3, 5);
        var xw = new double[10];
        SparseStorage.MultiplyAdd(Csr(sparse), 10, 20, w, xw);
        var xb = new double[10 * 3];
        SparseStorage.Multiply(Csr(sparse), 10, 20, b, 3, xb);
        var xtv = new double[25];
        SparseStorage.MultiplyTransposed(Csr(sparse), v, xtv);
        for (int i = 10; i < 20; i++)
        {
            double dot = 0.0;
            for (int j = 0; j < 25; j++)
            {
                dot += dense[i, j] * w[j];
            }

            Assert.Equal(dot, xw[i - 10], 1e-13);
            for (int c = 0; c < 3; c++)
            {
                double e = 0.0;
                for (int j = 0; j < 25; j++)
                {
                    e += dense[i, j] * b[(c * 25) + j];
                }

                Assert.Equal(e, xb[(c * 10) + i - 10], 1e-13);
            }
        }

        for (int j = 0; j < 25; j++)
        {
            double e = 0.0;
            for (int i = 0; i < 40; i++)
            {
                e += dense[i, j] * v[i];
            }

            Assert.Equal(e, xtv[j], 1e-13);
        }
    }

    [Fact]
    public void Scaled_SparseMatrix_StaysSparseWithExactlyScaledValues()
    {
        var (dense, sparse) = CompressedColumnsTests.RandomSparse(10, 8, 0.3, 9);
        var scaled = Rescaling.Scaled(sparse, -70);
        Assert.NotNull(SparseStorage.Of(scaled));
        Assert.Equal(dense.Map(v => Math.ScaleB(v, -70)), Matrix<double>.Build.DenseOfMatrix(scaled));
        Assert.Equal(dense.Enumerate().Max(Math.Abs), Rescaling.MaxAbs(sparse));
    }
}
