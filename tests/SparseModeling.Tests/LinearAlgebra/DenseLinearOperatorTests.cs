// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class DenseLinearOperatorTests
{
    private static readonly Matrix<double> A = Matrix<double>.Build.Dense(23, 17, (i, j) => Math.Sin((i * 1.3) + (j * 0.7)));

    [Fact]
    public void Apply_Dense_MatchesMathNetMultiply()
    {
        var op = new DenseLinearOperator(A);
        var x = Vector<double>.Build.Dense(17, i => i - 8.0);
        var y = new double[23];
        y.AsSpan().Fill(double.NaN);
        op.Apply(x.AsArray(), y);
        var expected = A * x;
        for (int i = 0; i < 23; i++)
        {
            Reference.Close(expected[i], y[i], 1e-12 * 17);
        }
    }

    [Fact]
    public void ApplyTranspose_Dense_MatchesMathNetTransposeMultiply()
    {
        var op = new DenseLinearOperator(A);
        var y = Vector<double>.Build.Dense(23, i => Math.Cos(i));
        var x = new double[17];
        x.AsSpan().Fill(double.NaN);
        op.ApplyTranspose(y.AsArray(), x);
        var expected = A.TransposeThisAndMultiply(y);
        for (int j = 0; j < 17; j++)
        {
            Reference.Close(expected[j], x[j], 1e-12 * 23);
        }
    }

    [Fact]
    public void Apply_SparseMatrix_MatchesMathNetMultiply()
    {
        var sparse = Matrix<double>.Build.SparseOfMatrix(A.PointwiseMultiply(A.Map(v => v > 0.5 ? 1.0 : 0.0)));
        var op = new DenseLinearOperator(sparse);
        var x = Vector<double>.Build.Dense(17, i => i);
        var y = new double[23];
        op.Apply(x.AsArray(), y);
        var expected = sparse * x;
        for (int i = 0; i < 23; i++)
        {
            Reference.Close(expected[i], y[i], 1e-12 * 17);
        }
    }

    [Fact]
    public void Constructor_Dense_ReportsShapeAndKeepsMatrix()
    {
        var op = new DenseLinearOperator(A);
        Assert.Equal(23, op.RowCount);
        Assert.Equal(17, op.ColumnCount);
        Assert.Same(A, op.Matrix);
    }

    [Fact]
    public void Constructor_Null_Throws()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new DenseLinearOperator(null!));
        Assert.Equal("matrix", error.ParamName);
    }

    [Fact]
    public void Apply_WrongLengths_ThrowNamingArgumentAndLengths()
    {
        var op = new DenseLinearOperator(A);
        var error = Assert.Throws<ArgumentException>(() => op.Apply(new double[16], new double[23]));
        Assert.Equal("x", error.ParamName);
        Assert.Contains("16", error.Message, StringComparison.Ordinal);
        Assert.Contains("17", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => op.Apply(new double[17], new double[24]));
        Assert.Equal("y", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => op.ApplyTranspose(new double[22], new double[17]));
        Assert.Equal("y", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => op.ApplyTranspose(new double[23], new double[18]));
        Assert.Equal("x", error.ParamName);
    }
}
