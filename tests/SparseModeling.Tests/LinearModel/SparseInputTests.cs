// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using SparseModeling.LinearModel;
using SparseModeling.Tests.LinearAlgebra;

namespace SparseModeling.Tests.LinearModel;

/// <summary>
/// The coordinate-descent family on MathNet <c>SparseMatrix</c> input: the same optimum as on the same data stored
/// densely, the checks of bad input, no mutation, persistence, and memory that never scales with n·p.
/// </summary>
public class SparseInputTests
{
    /// <summary>A sparse regression problem: X with about 5% of its entries non-zero, y from a few of its columns plus noise.</summary>
    private static (Matrix<double> Dense, Matrix<double> Sparse, Vector<double> Y) Problem(int n, int p, int seed, double density = 0.05)
    {
        var (dense, sparse) = CompressedColumnsTests.RandomSparse(n, p, density, seed);
        var rng = new SplitMix64((ulong)seed);
        var w = Vector<double>.Build.Dense(p, j => j % 7 == 0 ? rng.NextNormal() : 0.0);
        var y = (dense * w) + Vector<double>.Build.Dense(n, _ => 0.1 * rng.NextNormal()) + 3.0;
        return (dense, sparse, y);
    }

    private static void AssertClose(Vector<double> expected, Vector<double> actual, double tolerance)
    {
        for (int j = 0; j < expected.Count; j++)
        {
            Assert.True(Math.Abs(expected[j] - actual[j]) <= tolerance, $"[{j}]: dense {expected[j]:R}, sparse {actual[j]:R}");
        }
    }

    public static TheoryData<int, int, bool, bool, double> Shapes() => new()
    {
        { 60, 40, true, false, 1.0 },    // cyclic passes, wide-ish
        { 200, 30, true, false, 1.0 },   // tall: the dense fit moves to the Gram matrix, the sparse one stays on columns
        { 80, 400, true, false, 1.0 },   // working sets
        { 80, 400, false, false, 1.0 },
        { 80, 400, true, true, 1.0 },
        { 60, 40, false, true, 1.0 },
        { 80, 300, true, false, 0.4 },   // elastic net
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Fit_SparseMatrix_SameOptimumAsDense(int n, int p, bool intercept, bool positive, double l1Ratio)
    {
        var (dense, sparse, y) = Problem(n, p, n + p);
        double alphaMax = (dense.TransposeThisAndMultiply(y - y.Average()).InfinityNorm() / n) / l1Ratio;
        foreach (double fraction in new[] { 0.5, 0.05 })
        {
            CoordinateDescentRegressor Make() => l1Ratio == 1.0
                ? new Lasso { Alpha = fraction * alphaMax, FitIntercept = intercept, Positive = positive, Tolerance = 1e-14, MaxIterations = 100_000 }
                : new ElasticNet { Alpha = fraction * alphaMax, L1Ratio = l1Ratio, FitIntercept = intercept, Positive = positive, Tolerance = 1e-14, MaxIterations = 100_000 };
            var onDense = Make();
            var onSparse = Make();
            ((IRegressor)onDense).Fit(dense, y);
            ((IRegressor)onSparse).Fit(sparse, y);
            Assert.True(onSparse.Converged);
            Assert.Contains(onSparse.Coefficients, w => w != 0.0);
            AssertClose(onDense.Coefficients, onSparse.Coefficients, 1e-8);
            Assert.Equal(onDense.Intercept, onSparse.Intercept, 1e-8);
            AssertClose(onDense.Predict(dense), onSparse.Predict(sparse), 1e-8);
        }
    }

    [Fact]
    public void Fit_SparseMatrixWithRandomSelectionAndWarmStart_SameOptimumAsDense()
    {
        var (dense, sparse, y) = Problem(70, 50, 3);
        var onDense = new Lasso { Alpha = 0.01, Selection = CoordinateSelection.Random, RandomSeed = 4, Tolerance = 1e-14, MaxIterations = 100_000 }.Fit(dense, y);
        var onSparse = new Lasso { Alpha = 0.01, Selection = CoordinateSelection.Random, RandomSeed = 4, Tolerance = 1e-14, MaxIterations = 100_000 }.Fit(sparse, y);
        AssertClose(onDense.Coefficients, onSparse.Coefficients, 1e-8);
        onSparse.WarmStart = true;
        onSparse.Alpha = 0.005;
        onSparse.Fit(sparse, y);
        onDense.Alpha = 0.005;
        onDense.Fit(dense, y);
        AssertClose(onDense.Coefficients, onSparse.Coefficients, 1e-8);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LassoPath_SparseMatrix_SamePathAsDense(bool intercept)
    {
        var (dense, sparse, y) = Problem(60, 300, 5);
        var onDense = LassoPath.Compute(dense, y, alphaCount: 12, epsilon: 1e-2, tolerance: 1e-14, maxIterations: 100_000, fitIntercept: intercept);
        var onSparse = LassoPath.Compute(sparse, y, alphaCount: 12, epsilon: 1e-2, tolerance: 1e-14, maxIterations: 100_000, fitIntercept: intercept);
        AssertClose(onDense.Alphas, onSparse.Alphas, 1e-12);
        for (int k = 0; k < onDense.Alphas.Count; k++)
        {
            AssertClose(onDense.Coefficients.Column(k), onSparse.Coefficients.Column(k), 1e-8);
        }

        AssertClose(onDense.Intercepts, onSparse.Intercepts, 1e-8);
    }

    [Fact]
    public void LassoCV_SparseMatrix_SameChoiceAndFitAsDense()
    {
        var (dense, sparse, y) = Problem(90, 60, 6);
        var onDense = new LassoCV { AlphaCount = 15, Folds = 4, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(dense, y);
        var onSparse = new LassoCV { AlphaCount = 15, Folds = 4, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(sparse, y);
        AssertClose(onDense.Alphas, onSparse.Alphas, 1e-12);
        Assert.Equal(onDense.BestAlpha, onSparse.BestAlpha, 1e-12 * onDense.BestAlpha);
        var mseDense = onDense.MsePath;
        var mseSparse = onSparse.MsePath;
        for (int f = 0; f < 4; f++)
        {
            AssertClose(mseDense.Column(f), mseSparse.Column(f), 1e-8);
        }

        AssertClose(onDense.Coefficients, onSparse.Coefficients, 1e-8);
    }

    [Fact]
    public void Fit_ExplicitZerosAndUnsortedRows_BehaveAsTheCanonicalMatrix()
    {
        var (dense, sparse, y) = Problem(40, 30, 8, density: 0.2);
        var csr = (SparseCompressedRowMatrixStorage<double>)sparse.Storage;

        // The same matrix with an explicit zero after every stored entry (at a column the row does not use) and each
        // row's entries reversed.
        var rowPointers = new List<int> { 0 };
        var columns = new List<int>();
        var values = new List<double>();
        for (int i = 0; i < 40; i++)
        {
            var used = new HashSet<int>();
            var row = new List<(int, double)>();
            for (int k = csr.RowPointers[i]; k < csr.RowPointers[i + 1]; k++)
            {
                used.Add(csr.ColumnIndices[k]);
                row.Add((csr.ColumnIndices[k], csr.Values[k]));
            }

            int free = Enumerable.Range(0, 30).First(j => !used.Contains(j));
            row.Add((free, 0.0));
            row.Reverse();
            foreach (var (c, v) in row)
            {
                columns.Add(c);
                values.Add(v);
            }

            rowPointers.Add(columns.Count);
        }

        var messy = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(40, 30, columns.Count, [.. rowPointers], [.. columns], [.. values]);
        var messyCsr = (SparseCompressedRowMatrixStorage<double>)messy.Storage;
        Assert.Equal(columns.Count, messyCsr.ValueCount); // MathNet keeps explicit zeros
        for (int i = 0; i < 40; i++)
        {
            // Undo MathNet's sorting so that the rows really are unsorted.
            Array.Reverse(messyCsr.ColumnIndices, messyCsr.RowPointers[i], messyCsr.RowPointers[i + 1] - messyCsr.RowPointers[i]);
            Array.Reverse(messyCsr.Values, messyCsr.RowPointers[i], messyCsr.RowPointers[i + 1] - messyCsr.RowPointers[i]);
        }

        var onDense = new Lasso { Alpha = 0.01, Tolerance = 1e-14, MaxIterations = 100_000 }.Fit(dense, y);
        var onMessy = new Lasso { Alpha = 0.01, Tolerance = 1e-14, MaxIterations = 100_000 }.Fit(messy, y);
        AssertClose(onDense.Coefficients, onMessy.Coefficients, 1e-8);
        Assert.Equal(onDense.Intercept, onMessy.Intercept, 1e-8);
        AssertClose(onDense.Predict(dense), onMessy.Predict(messy), 1e-8);
    }

    [Fact]
    public void Fit_NonFiniteStoredValue_NamesRowAndColumnAndKeepsThePreviousFit()
    {
        var (_, sparse, y) = Problem(30, 20, 9, density: 0.2);
        var model = new Lasso { Alpha = 0.01 }.Fit(sparse, y);
        var before = model.Coefficients;
        var bad = sparse.Clone();
        var csr = (SparseCompressedRowMatrixStorage<double>)bad.Storage;
        int k = csr.RowPointers[7];
        int column = csr.ColumnIndices[k];
        csr.Values[k] = double.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => model.Fit(bad, y));
        Assert.Contains($"at row 7, column {column}", e.Message, StringComparison.Ordinal);
        Assert.Equal("x", e.ParamName);
        Assert.Equal(before, model.Coefficients);
        Assert.Throws<ArgumentException>(() => model.Predict(bad));
        Assert.Throws<ArgumentException>(() => LassoPath.Compute(bad, y));
        Assert.Throws<ArgumentException>(() => new LassoCV().Fit(bad, y));
    }

    [Fact]
    public void Fit_DuplicateColumnInARow_RejectedNamingRowAndColumn()
    {
        var (_, sparse, y) = Problem(30, 20, 10, density: 0.3);
        var bad = sparse.Clone();
        var csr = (SparseCompressedRowMatrixStorage<double>)bad.Storage;
        int start = csr.RowPointers[4];
        Assert.True(csr.RowPointers[5] - start >= 2);
        csr.ColumnIndices[start + 1] = csr.ColumnIndices[start];
        var e = Assert.Throws<ArgumentException>(() => new ElasticNet().Fit(bad, y));
        Assert.Contains($"column {csr.ColumnIndices[start]} twice in row 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FitAndPredict_SparseShapes_Checked()
    {
        var (_, sparse, y) = Problem(30, 20, 11);
        Assert.Throws<ArgumentException>(() => new Lasso().Fit(sparse, y.SubVector(0, 29)));
        Assert.Throws<ArgumentException>(() => new Lasso().Fit(Matrix<double>.Build.Sparse(0, 20), Vector<double>.Build.Dense(0)));
        var model = new Lasso { Alpha = 0.01 }.Fit(sparse, y);
        Assert.Throws<ArgumentException>(() => model.Predict(Matrix<double>.Build.Sparse(5, 21)));
    }

    [Fact]
    public void Fit_SparseInput_NotModified()
    {
        var (_, sparse, y) = Problem(50, 300, 12);
        var csr = (SparseCompressedRowMatrixStorage<double>)sparse.Storage;
        var (pointers, columns, values) = ((int[])csr.RowPointers.Clone(), (int[])csr.ColumnIndices.Clone(), (double[])csr.Values.Clone());
        var yCopy = y.Clone();
        new Lasso { Alpha = 0.01 }.Fit(sparse, y);
        new LassoCV { AlphaCount = 5, Folds = 3 }.Fit(sparse, y);
        LassoPath.Compute(sparse, y, alphaCount: 5, fitIntercept: true);
        Assert.Equal(pointers, csr.RowPointers);
        Assert.Equal(columns, csr.ColumnIndices);
        Assert.Equal(values, csr.Values);
        Assert.Equal(yCopy, y);
    }

    [Fact]
    public void SaveLoad_ModelFittedOnSparseData_PredictsTheSame()
    {
        var (_, sparse, y) = Problem(50, 300, 13);
        RoundTrip(new Lasso { Alpha = 0.02 }.Fit(sparse, y));
        RoundTrip(new ElasticNet { Alpha = 0.02 }.Fit(sparse, y));
        RoundTrip(new LassoCV { AlphaCount = 5, Folds = 3 }.Fit(sparse, y));

        void RoundTrip<T>(T model)
            where T : LinearRegressor
        {
            using var stream = new MemoryStream();
            ModelSerializer.Save(model, stream);
            stream.Position = 0;
            var loaded = ModelSerializer.Load<T>(stream);
            Assert.Equal(model.Predict(sparse), loaded.Predict(sparse));
            Assert.Equal(model.Coefficients, loaded.Coefficients);
        }
    }

    [Fact]
    public void Fit_ExtremeScaleSparseData_RescaledWithoutDensifying()
    {
        var (dense, sparse, y) = Problem(60, 300, 14);
        var tiny = Matrix<double>.Build.SparseOfMatrix(dense * 1e-30);
        var onDense = new Lasso { Alpha = 0.01 * 1e30, Tolerance = 1e-14, MaxIterations = 100_000 }.Fit(dense * 1e-30, y);
        var onSparse = new Lasso { Alpha = 0.01 * 1e30, Tolerance = 1e-14, MaxIterations = 100_000 }.Fit(tiny, y);
        Assert.NotNull(SparseModeling.LinearAlgebra.SparseStorage.Of(tiny));
        for (int j = 0; j < 300; j++)
        {
            Assert.True(Math.Abs(onDense.Coefficients[j] - onSparse.Coefficients[j]) <= 1e-8 * 1e30, $"[{j}]");
        }
    }
}
