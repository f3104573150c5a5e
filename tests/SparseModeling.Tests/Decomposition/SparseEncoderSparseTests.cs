// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

/// <summary>Sparse coding of signals given as compressed rows: the same codes as dense, never densified, bad values named.</summary>
public class SparseEncoderSparseTests
{
    /// <summary>40 signals of 20 features, about 60% zero (one zero stored explicitly), and a 12-atom dictionary.</summary>
    private static (Matrix<double> Dense, Matrix<double> Sparse, Matrix<double> Dictionary) Data(ulong seed)
    {
        var rng = new SplitMix64(seed);
        var dense = Matrix<double>.Build.Dense(40, 20, (_, _) => rng.NextDouble() < 0.6 ? 0.0 : rng.NextNormal());
        var dictionary = Matrix<double>.Build.Dense(12, 20, (_, _) => rng.NextNormal());
        var sparse = Matrix<double>.Build.SparseOfMatrix(dense);
        var storage = (SparseCompressedRowMatrixStorage<double>)sparse.Storage;
        Assert.True(storage.ValueCount < 0.6 * 40 * 20);

        // A stored zero behaves as a zero: write one explicitly into the first row's storage.
        var withZero = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(
            40,
            20,
            storage.ValueCount + 1,
            [0, .. storage.RowPointers.Skip(1).Take(40).Select(p => p + 1)],
            [Enumerable.Range(0, 20).First(j => dense[0, j] == 0.0), .. storage.ColumnIndices.Take(storage.ValueCount)],
            [0.0, .. storage.Values.Take(storage.ValueCount)]);
        return (dense, withZero, dictionary);
    }

    [Theory]
    [InlineData(SparseCodingAlgorithm.Omp, 4, null)]
    [InlineData(SparseCodingAlgorithm.Lars, 5, null)]
    [InlineData(SparseCodingAlgorithm.LassoLars, null, 0.5)]
    [InlineData(SparseCodingAlgorithm.LassoCd, null, 0.5)]
    [InlineData(SparseCodingAlgorithm.Threshold, null, 0.5)]
    public void Encode_SparseSignals_MatchTheDenseCodes(SparseCodingAlgorithm algorithm, int? nonzero, double? alpha)
    {
        var (dense, sparse, dictionary) = Data(31);
        var expected = SparseEncoder.Encode(dense, dictionary, algorithm, nonzero, alpha);
        var codes = SparseEncoder.Encode(sparse, dictionary, algorithm, nonzero, alpha);
        Assert.Equal(expected.RowCount, codes.RowCount);
        Assert.Equal(expected.ColumnCount, codes.ColumnCount);
        double scale = Math.Max(1.0, expected.Enumerate().Max(Math.Abs));
        Assert.True((codes - expected).Enumerate().Max(Math.Abs) <= 1e-9 * scale, $"max |Δ| = {(codes - expected).Enumerate().Max(Math.Abs):E2}");
        Assert.Contains(codes.Enumerate(), v => v != 0.0);
    }

    [Fact]
    public void SparseCoder_TransformOfSparseSignals_MatchesDense()
    {
        var (dense, sparse, dictionary) = Data(32);
        var coder = new SparseCoder { Dictionary = dictionary, TransformAlgorithm = SparseCodingAlgorithm.LassoCd, TransformAlpha = 0.2, SplitSign = true }.Fit(dense);
        var expected = coder.Transform(dense);
        var codes = coder.Transform(sparse);
        Assert.True((codes - expected).Enumerate().Max(Math.Abs) <= 1e-9 * Math.Max(1.0, expected.Enumerate().Max(Math.Abs)));
    }

    [Fact]
    public void Encode_SparseSignalsWithNaN_NamesRowAndColumnAndChangesNothing()
    {
        var (_, sparse, dictionary) = Data(33);
        var storage = (SparseCompressedRowMatrixStorage<double>)sparse.Storage;
        int row = 7, k = storage.RowPointers[row];
        Assert.True(storage.RowPointers[row + 1] > k, "the row should hold a stored entry");
        int column = storage.ColumnIndices[k];
        storage.Values[k] = double.NaN;
        var before = (double[])storage.Values.Clone();
        var e = Assert.Throws<ArgumentException>(() => SparseEncoder.Encode(sparse, dictionary, SparseCodingAlgorithm.Omp, 3));
        Assert.Contains($"row {row}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"column {column}", e.Message, StringComparison.Ordinal);
        Assert.Equal(before.Select(BitConverter.DoubleToInt64Bits), storage.Values.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Encode_WideSparseSignals_AllocateNothingOfTheDenseSize()
    {
        // 2000 signals of 50,000 features with 10 stored entries each: dense they would be 800 MB; the codes (2000 × 8)
        // and the correlations are 128 KB each.
        const int samples = 2000, features = 50_000, atoms = 8;
        var rng = new SplitMix64(34);
        var pointers = new int[samples + 1];
        var columns = new int[samples * 10];
        var values = new double[samples * 10];
        for (int s = 0; s < samples; s++)
        {
            pointers[s + 1] = (s + 1) * 10;
            for (int k = 0; k < 10; k++)
            {
                columns[(s * 10) + k] = (k * 5000) + (int)(rng.NextDouble() * 5000);
                values[(s * 10) + k] = rng.NextNormal();
            }
        }

        var x = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(samples, features, values.Length, pointers, columns, values);
        var dictionary = Matrix<double>.Build.Dense(atoms, features, (_, _) => rng.NextNormal());
        SparseEncoder.Encode(x, dictionary, SparseCodingAlgorithm.Omp, 2); // warm-up (JIT)
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var codes = SparseEncoder.Encode(x, dictionary, SparseCodingAlgorithm.Omp, 2);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(samples, codes.RowCount);
        Assert.True(allocated < 24L * 1024 * 1024, $"allocated {allocated / (1024 * 1024)} MB (the dictionary's own copy is 3 MB; dense signals would be 800 MB)");
    }
}
