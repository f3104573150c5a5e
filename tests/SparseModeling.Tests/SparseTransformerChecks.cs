// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests;

/// <summary>
/// The transformer checks on MathNet <c>SparseMatrix</c> input, for every public transformer that takes sparse data
/// without densifying it (the NMF family, found by reflection): NaN and ±∞ among the stored values named by row and
/// column with the input unchanged, the shape checks, no mutation of the storage by Fit/Transform/FitTransform, the same
/// model as on the same data dense, and persistence of a model fitted on sparse data.
/// </summary>
public class SparseTransformerChecks
{
    public static TheoryData<Type> SparseTransformers()
    {
        var types = new TheoryData<Type>();
        foreach (Type type in EstimatorChecks.TypesImplementing(typeof(ITransformer)))
        {
            if (typeof(NmfBase).IsAssignableFrom(type))
            {
                types.Add(type);
            }
        }

        return types;
    }

    [Fact]
    public void Discovery_FindsBothNmfEstimators()
    {
        var types = SparseTransformers().Cast<Type>().ToList();
        Assert.Contains(typeof(Nmf), types);
        Assert.Contains(typeof(MiniBatchNmf), types);
    }

    /// <summary>|N(0, 1)| data, 30×8, with about half of the entries zero, dense and as compressed rows (with one stored zero).</summary>
    private static (Matrix<double> Dense, Matrix<double> Sparse) Data(int seed)
    {
        var rng = new SplitMix64((ulong)seed);
        var dense = Matrix<double>.Build.Dense(30, 8, (_, _) => rng.NextDouble() < 0.5 ? 0.0 : Math.Abs(rng.NextNormal()));
        var sparse = Matrix<double>.Build.SparseOfMatrix(dense);
        return (dense, sparse);
    }

    /// <summary>A copy of <paramref name="x"/>'s storage arrays, to check that nothing modifies them.</summary>
    private static (int[] Pointers, int[] Columns, double[] Values) Snapshot(Matrix<double> x)
    {
        var storage = (SparseCompressedRowMatrixStorage<double>)x.Storage;
        return ((int[])storage.RowPointers.Clone(), (int[])storage.ColumnIndices.Clone(), (double[])storage.Values.Clone());
    }

    private static void AssertUnchanged((int[] Pointers, int[] Columns, double[] Values) before, Matrix<double> x)
    {
        var after = Snapshot(x);
        Assert.Equal(before.Pointers, after.Pointers);
        Assert.Equal(before.Columns, after.Columns);
        Assert.Equal(before.Values, after.Values);
    }

    private static ITransformer Create(Type type) => (ITransformer)TestEstimators.Create(type, 8);

    [Theory]
    [MemberData(nameof(SparseTransformers))]
    public void FitAndTransform_NonFiniteStoredValue_ThrowsNamingRowAndColumnAndLeavesInputUnchanged(Type type)
    {
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var (_, x) = Data(3);
            x[4, 2] = bad; // stored (a new entry where the value was zero)
            var before = Snapshot(x);
            var e = Assert.ThrowsAny<ArgumentException>(() => Create(type).Fit(x));
            Assert.Equal("x", e.ParamName);
            Assert.Contains("row 4, column 2", e.Message, StringComparison.Ordinal);
            AssertUnchanged(before, x);
        }

        var fitted = Create(type);
        fitted.Fit(Data(3).Sparse);
        var (_, xt) = Data(4);
        xt[5, 1] = double.PositiveInfinity;
        var beforeT = Snapshot(xt);
        var et = Assert.ThrowsAny<ArgumentException>(() => fitted.Transform(xt));
        Assert.Equal("x", et.ParamName);
        Assert.Contains("row 5, column 1", et.Message, StringComparison.Ordinal);
        AssertUnchanged(beforeT, xt);
    }

    [Theory]
    [MemberData(nameof(SparseTransformers))]
    public void FitAndTransform_SparseShapes_Checked(Type type)
    {
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => Create(type).Fit(Matrix<double>.Build.Sparse(0, 8))).ParamName);
        var fitted = Create(type);
        fitted.Fit(Data(5).Sparse);
        Assert.ThrowsAny<ArgumentException>(() => fitted.Transform(Matrix<double>.Build.Sparse(4, 9)));
        var codes = fitted.Transform(Data(6).Sparse);
        Assert.Equal(30, codes.RowCount);
    }

    [Theory]
    [MemberData(nameof(SparseTransformers))]
    public void FitTransformAndTransform_DoNotModifyTheStorage_AndMatchDense(Type type)
    {
        var (dense, sparse) = Data(7);
        var before = Snapshot(sparse);
        var onSparse = Create(type);
        var onDense = Create(type);
        onSparse.Fit(sparse);
        onDense.Fit(dense);
        var fromSparse = onSparse.Transform(sparse);
        var fromDense = onDense.Transform(dense);
        AssertUnchanged(before, sparse);
        double scale = Math.Max(fromDense.Enumerate().Max(Math.Abs), 1.0);
        Assert.True((fromSparse - fromDense).Enumerate().All(d => Math.Abs(d) <= 1e-8 * scale), $"{type.Name}: sparse and dense codes differ");
        var components = ((ComponentsTransformer)onSparse).Components;
        Assert.True((components - ((ComponentsTransformer)onDense).Components).Enumerate().All(d => Math.Abs(d) <= 1e-8 * Math.Max(components.Enumerate().Max(), 1.0)));
    }

    [Theory]
    [MemberData(nameof(SparseTransformers))]
    public void SaveAndLoad_ModelFittedOnSparseData_TransformsAlike(Type type)
    {
        var (_, sparse) = Data(8);
        var model = Create(type);
        model.Fit(sparse);
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        stream.Position = 0;
        var loaded = (ITransformer)ModelSerializer.Load<object>(stream);
        Assert.Equal(model.Transform(sparse), loaded.Transform(sparse));
    }
}
