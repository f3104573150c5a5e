// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

/// <summary>
/// <see cref="Nmf"/> on MathNet <c>SparseMatrix</c> input: the same factors as on the same data stored densely (every
/// solver, loss and start), the checks of bad input, no mutation, and persistence of a model fitted on sparse data.
/// </summary>
public class NmfSparseTests
{
    /// <summary>
    /// Non-negative data of rank about 4 plus noise with a share <paramref name="density"/> of its entries kept, as a dense
    /// matrix and as a compressed-row sparse one (same values; a few stored zeros in the sparse one when asked).
    /// </summary>
    internal static (Matrix<double> Dense, Matrix<double> Sparse) Data(int n, int m, double density, int seed, bool storedZeros = false)
    {
        var rng = new SplitMix64((ulong)seed);
        var w = Matrix<double>.Build.Dense(n, 4, (_, _) => rng.NextDouble());
        var h = Matrix<double>.Build.Dense(4, m, (_, _) => rng.NextDouble());
        var full = w * h;
        var dense = Matrix<double>.Build.Dense(n, m);
        var pointers = new List<int> { 0 };
        var columns = new List<int>();
        var values = new List<double>();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double u = rng.NextDouble();
                if (u < density)
                {
                    double v = full[i, j] + (0.1 * rng.NextDouble());
                    dense[i, j] = v;
                    columns.Add(j);
                    values.Add(v);
                }
                else if (storedZeros && u > 0.99)
                {
                    columns.Add(j);
                    values.Add(0.0);
                }
            }

            pointers.Add(columns.Count);
        }

        var sparse = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(n, m, values.Count, [.. pointers], [.. columns], [.. values]);
        return (dense, sparse);
    }

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

    public static TheoryData<NmfSolver, double, NmfInit> Cases() => new()
    {
        { NmfSolver.MultiplicativeUpdate, 2.0, NmfInit.NndsvdA },
        { NmfSolver.MultiplicativeUpdate, 1.0, NmfInit.NndsvdA },
        { NmfSolver.MultiplicativeUpdate, 1.0, NmfInit.Random },
        { NmfSolver.MultiplicativeUpdate, 0.5, NmfInit.NndsvdAr },
        { NmfSolver.MultiplicativeUpdate, 1.5, NmfInit.NndsvdA },
        { NmfSolver.MultiplicativeUpdate, 3.0, NmfInit.NndsvdA },
        { NmfSolver.CoordinateDescent, 2.0, NmfInit.Nndsvd },
        { NmfSolver.CoordinateDescent, 2.0, NmfInit.NndsvdA },
        { NmfSolver.Hals, 2.0, NmfInit.NndsvdA },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_SparseMatrix_SameFactorsAsDense(NmfSolver solver, double beta, NmfInit init)
    {
        var (dense, sparse) = Data(70, 45, 0.25, 11, storedZeros: true);
        Nmf Make() => new() { ComponentCount = 5, Solver = solver, Beta = beta, Init = init, MaxIterations = 150, Tolerance = 1e-6, AlphaW = 0.001, L1Ratio = 0.3, RandomSeed = 3 };
        var onDense = Make();
        var onSparse = Make();
        var wDense = onDense.FitTransform(dense);
        var wSparse = onSparse.FitTransform(sparse);
        Assert.Equal(onDense.Iterations, onSparse.Iterations);
        AssertClose(onDense.Components, onSparse.Components, 1e-8, "H");
        AssertClose(wDense, wSparse, 1e-8, "W");
        Assert.Equal(onDense.ReconstructionError, onSparse.ReconstructionError, 1e-8 * onDense.ReconstructionError);
        AssertClose(onDense.Transform(dense), onSparse.Transform(sparse), 1e-8, "Transform");
    }

    [Fact]
    public void Fit_FullyStoredSparseMatrixItakuraSaito_SameFactorsAsDense()
    {
        // β = 0 needs every entry positive: a sparse matrix that stores them all.
        var (dense, _) = Data(30, 20, 1.0, 5);
        var sparse = Matrix<double>.Build.SparseOfMatrix(dense);
        Nmf Make() => new() { ComponentCount = 3, Solver = NmfSolver.MultiplicativeUpdate, Loss = NmfLoss.ItakuraSaito, MaxIterations = 80 };
        var onDense = Make();
        var onSparse = Make();
        AssertClose(onDense.FitTransform(dense), onSparse.FitTransform(sparse), 1e-8, "W");
        AssertClose(onDense.Components, onSparse.Components, 1e-8, "H");
        Assert.Equal(onDense.ReconstructionError, onSparse.ReconstructionError, 1e-8 * onDense.ReconstructionError);
    }

    [Fact]
    public void Fit_LargeSparseMatrix_SameStartAndFactorsAsDense()
    {
        // 700 × 600 = 420,000 entries: past the size where the truncated SVD runs on a budget (and may hand over to the
        // randomized one); the sparse decomposition must make the same choice.
        var (dense, sparse) = Data(700, 600, 0.05, 21);
        Nmf Make() => new() { ComponentCount = 8, Solver = NmfSolver.MultiplicativeUpdate, Loss = NmfLoss.KullbackLeibler, MaxIterations = 30, Tolerance = 0.0 };
        var onDense = Make();
        var onSparse = Make();
        AssertClose(onDense.FitTransform(dense), onSparse.FitTransform(sparse), 1e-8, "W");
        AssertClose(onDense.Components, onSparse.Components, 1e-8, "H");
        Assert.Equal(onDense.ReconstructionError, onSparse.ReconstructionError, 1e-8 * onDense.ReconstructionError);
    }

    [Fact]
    public void Fit_SparseMatrix_DoesNotModifyIt()
    {
        var (_, sparse) = Data(40, 30, 0.3, 8, storedZeros: true);
        var storage = (SparseCompressedRowMatrixStorage<double>)sparse.Storage;
        var values = (double[])storage.Values.Clone();
        var columns = (int[])storage.ColumnIndices.Clone();
        var pointers = (int[])storage.RowPointers.Clone();
        var nmf = new Nmf { ComponentCount = 3, Solver = NmfSolver.MultiplicativeUpdate, Loss = NmfLoss.KullbackLeibler, MaxIterations = 20 };
        nmf.Fit(sparse);
        nmf.Transform(sparse);
        new Nmf { ComponentCount = 3, MaxIterations = 20 }.Fit(sparse);
        Assert.Equal(values, storage.Values);
        Assert.Equal(columns, storage.ColumnIndices);
        Assert.Equal(pointers, storage.RowPointers);
    }

    [Fact]
    public void Fit_SparseMatrixOfVeryLargeValues_RescaledAsDense()
    {
        var (dense, sparse) = Data(40, 30, 0.3, 9);
        dense *= Math.Pow(2.0, 80);
        sparse *= Math.Pow(2.0, 80);
        var onDense = new Nmf { ComponentCount = 3, Solver = NmfSolver.MultiplicativeUpdate, Loss = NmfLoss.KullbackLeibler, MaxIterations = 40 };
        var onSparse = new Nmf { ComponentCount = 3, Solver = NmfSolver.MultiplicativeUpdate, Loss = NmfLoss.KullbackLeibler, MaxIterations = 40 };
        AssertClose(onDense.FitTransform(dense), onSparse.FitTransform(sparse), 1e-8, "W");
        Assert.Equal(onDense.ReconstructionError, onSparse.ReconstructionError, 1e-8 * onDense.ReconstructionError);
    }

    [Fact]
    public void Fit_SparseMatrixWithNegativeStoredValue_ThrowsNamingRowAndColumn()
    {
        var x = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(3, 4, 3, [0, 1, 2, 3], [1, 3, 0], [1.0, -2.0, 1.0]);
        var e = Assert.Throws<ArgumentException>(() => new Nmf { ComponentCount = 2 }.Fit(x));
        Assert.Contains("row 1, column 3", e.Message);
    }

    [Fact]
    public void Fit_SparseMatrixWithNaN_ThrowsNamingRowAndColumnEvenWithAllowMissing()
    {
        var x = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(3, 4, 3, [0, 1, 2, 3], [1, 3, 0], [1.0, double.NaN, 1.0]);
        var plain = Assert.Throws<ArgumentException>(() => new Nmf { ComponentCount = 2 }.Fit(x));
        Assert.Contains("row 1", plain.Message);
        Assert.Contains("column 3", plain.Message);
        var missing = Assert.Throws<ArgumentException>(() => new Nmf { ComponentCount = 2, AllowMissing = true, Solver = NmfSolver.MultiplicativeUpdate }.Fit(x));
        Assert.Contains("row 1, column 3", missing.Message);
        Assert.Contains("dense matrices only", missing.Message);
    }

    [Fact]
    public void Fit_SparseMatrixWithUnstoredZeroAndNonPositiveBeta_ThrowsNamingTheZero()
    {
        var x = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(2, 3, 5, [0, 3, 5], [0, 1, 2, 2, 0], [1.0, 1.0, 1.0, 1.0, 1.0]);
        var e = Assert.Throws<ArgumentException>(() => new Nmf { ComponentCount = 1, Solver = NmfSolver.MultiplicativeUpdate, Loss = NmfLoss.ItakuraSaito }.Fit(x));
        Assert.Contains("row 1, column 1", e.Message);
    }

    [Fact]
    public void Fit_SparseMatrixWithDuplicateColumnInARow_ThrowsNamingTheRow()
    {
        // MathNet's builder sums duplicates; a hand-edited storage can still hold one.
        var x = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(2, 3, 3, [0, 2, 3], [0, 1, 2], [1.0, 1.0, 1.0]);
        ((SparseCompressedRowMatrixStorage<double>)x.Storage).ColumnIndices[1] = 0;
        var e = Assert.Throws<ArgumentException>(() => new Nmf { ComponentCount = 1 }.Fit(x));
        Assert.Contains("column 0 twice in row 0", e.Message);
    }

    [Fact]
    public void Fit_SparseMatrixWithUnsortedColumns_SameAsSorted()
    {
        var sorted = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(3, 3, 6, [0, 2, 4, 6], [0, 2, 1, 2, 0, 1], [1.0, 2.0, 3.0, 1.0, 2.0, 1.5]);
        var unsorted = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(3, 3, 6, [0, 2, 4, 6], [2, 0, 2, 1, 1, 0], [2.0, 1.0, 1.0, 3.0, 1.5, 2.0]);
        var a = new Nmf { ComponentCount = 2, Solver = NmfSolver.MultiplicativeUpdate, Loss = NmfLoss.KullbackLeibler, MaxIterations = 50 };
        var b = new Nmf { ComponentCount = 2, Solver = NmfSolver.MultiplicativeUpdate, Loss = NmfLoss.KullbackLeibler, MaxIterations = 50 };
        AssertClose(a.FitTransform(sorted), b.FitTransform(unsorted), 1e-12, "W");
    }

    [Fact]
    public void SaveAndLoad_ModelFittedOnSparseMatrix_TransformsAlike()
    {
        var (_, sparse) = Data(50, 30, 0.3, 12);
        var nmf = new Nmf { ComponentCount = 4, Solver = NmfSolver.MultiplicativeUpdate, Loss = NmfLoss.KullbackLeibler, MaxIterations = 60 }.Fit(sparse);
        using var stream = new MemoryStream();
        ModelSerializer.Save(nmf, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<Nmf>(stream);
        Assert.Equal(nmf.Components, loaded.Components);
        Assert.Equal(nmf.ReconstructionError, loaded.ReconstructionError);
        Assert.Equal(nmf.Transform(sparse), loaded.Transform(sparse));
    }
}
