// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class MatrixStorageTests
{
    [Fact]
    public void ColumnMajor_Dense_ReturnsStorageWithoutCopy()
    {
        var m = Matrix<double>.Build.Dense(3, 2, (i, j) => i + (10 * j));
        var data = MatrixStorage.ColumnMajor(m);
        Assert.Same(m.AsColumnMajorArray(), data);
        Assert.Equal(new double[] { 0, 1, 2, 10, 11, 12 }, data);
    }

    [Fact]
    public void ColumnMajor_Sparse_ReturnsColumnMajorCopy()
    {
        var m = Matrix<double>.Build.Sparse(2, 2);
        m[1, 0] = 5.0;
        Assert.Equal(new double[] { 0, 5, 0, 0 }, MatrixStorage.ColumnMajor(m));
    }

    [Fact]
    public void FromColumnMajor_Array_WrapsWithoutCopy()
    {
        var data = new double[] { 1, 2, 3, 4, 5, 6 };
        var m = MatrixStorage.FromColumnMajor(2, 3, data);
        Assert.Equal(3.0, m[0, 1]);
        data[5] = 60.0;
        Assert.Equal(60.0, m[1, 2]);
    }

    [Fact]
    public void FromColumnMajor_WrongLength_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => MatrixStorage.FromColumnMajor(2, 3, new double[5]));
        Assert.Equal("data", error.ParamName);
    }
}
