// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

/// <summary><see cref="MiniBatchNmf"/> on MathNet <c>SparseMatrix</c> input: the same model as on the same data stored densely.</summary>
public class MiniBatchNmfSparseTests
{
    private static void AssertClose(Matrix<double> expected, Matrix<double> actual, double tolerance, string what)
    {
        double scale = Math.Max(expected.Enumerate().Max(Math.Abs), 1e-300);
        for (int i = 0; i < expected.RowCount; i++)
        {
            for (int j = 0; j < expected.ColumnCount; j++)
            {
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tolerance * scale, $"{what}[{i},{j}]: dense {expected[i, j]:R}, sparse {actual[i, j]:R}");
            }
        }
    }

    public static TheoryData<double, int, bool> Cases() => new()
    {
        { 1.0, 16, false },
        { 2.0, 16, false },
        { 1.0, 200, false },  // one batch: the whole data directly
        { 0.5, 25, true },
        { 1.5, 16, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_SparseMatrix_SameModelAsDense(double beta, int batch, bool freshRestarts)
    {
        var (dense, sparse) = NmfSparseTests.Data(90, 40, 0.3, 31, storedZeros: true);
        MiniBatchNmf Make() => new() { ComponentCount = 4, Beta = beta, BatchSize = batch, FreshRestarts = freshRestarts, MaxIterations = 15, RandomSeed = 2 };
        var onDense = Make();
        var onSparse = Make();
        AssertClose(onDense.FitTransform(dense), onSparse.FitTransform(sparse), 1e-8, "W");
        AssertClose(onDense.Components, onSparse.Components, 1e-8, "H");
        Assert.Equal(onDense.Iterations, onSparse.Iterations);
        Assert.Equal(onDense.ReconstructionError, onSparse.ReconstructionError, 1e-8 * onDense.ReconstructionError);
        AssertClose(onDense.Transform(dense), onSparse.Transform(sparse), 1e-8, "Transform");
    }

    [Fact]
    public void PartialFit_SparseBatches_SameModelAsDense()
    {
        var (dense, sparse) = NmfSparseTests.Data(60, 30, 0.3, 32);
        var onDense = new MiniBatchNmf { ComponentCount = 3, Loss = NmfLoss.KullbackLeibler };
        var onSparse = new MiniBatchNmf { ComponentCount = 3, Loss = NmfLoss.KullbackLeibler };
        for (int start = 0; start < 60; start += 20)
        {
            onDense.PartialFit(dense.SubMatrix(start, 20, 0, 30));
            onSparse.PartialFit(sparse.SubMatrix(start, 20, 0, 30));
        }

        AssertClose(onDense.Components, onSparse.Components, 1e-8, "H");
    }

    [Fact]
    public void SaveAndLoad_ModelFittedOnSparseMatrix_TransformsAlike()
    {
        var (_, sparse) = NmfSparseTests.Data(50, 30, 0.3, 33);
        var model = new MiniBatchNmf { ComponentCount = 3, Loss = NmfLoss.KullbackLeibler, BatchSize = 10, MaxIterations = 10 }.Fit(sparse);
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<MiniBatchNmf>(stream);
        Assert.Equal(model.Components, loaded.Components);
        Assert.Equal(model.Transform(sparse), loaded.Transform(sparse));
    }

    [Fact]
    public void Fit_SparseMatrixWithNaNAndAllowMissing_ThrowsDenseOnly()
    {
        var x = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(3, 4, 3, [0, 1, 2, 3], [1, 3, 0], [1.0, double.NaN, 1.0]);
        var e = Assert.Throws<ArgumentException>(() => new MiniBatchNmf { ComponentCount = 2, AllowMissing = true }.Fit(x));
        Assert.Contains("dense matrices only", e.Message);
    }
}
