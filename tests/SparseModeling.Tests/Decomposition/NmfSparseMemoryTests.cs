// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

/// <summary>
/// NMF fits on sparse X allocate O(nnz + (K + 10)·(n + m)), never n·m. Measured with the process-wide allocation counter, so
/// they run in the collection that runs alone.
/// </summary>
[Collection(Timing.Name)]
public class NmfSparseMemoryTests
{
    /// <summary>3000 × 20000 with 20 entries per row: n·m = 6e7 entries (480 MB dense), 60,000 stored.</summary>
    private static Matrix<double> Counts(int n, int m, int perRow, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var rowPointers = new int[n + 1];
        var columns = new int[n * perRow];
        var values = new double[n * perRow];
        for (int i = 0; i < n; i++)
        {
            var picked = new SortedSet<int>();
            int block = (i % 10) * (m / 10);
            while (picked.Count < perRow)
            {
                picked.Add(rng.NextDouble() < 0.8 ? block + rng.NextInt(m / 10) : rng.NextInt(m));
            }

            int k = i * perRow;
            foreach (int c in picked)
            {
                columns[k] = c;
                values[k++] = 1.0 + rng.NextDouble();
            }

            rowPointers[i + 1] = k;
        }

        return Matrix<double>.Build.SparseFromCompressedSparseRowFormat(n, m, n * perRow, rowPointers, columns, values);
    }

    [Theory]
    [InlineData(NmfSolver.MultiplicativeUpdate, NmfLoss.KullbackLeibler)]
    [InlineData(NmfSolver.MultiplicativeUpdate, NmfLoss.Frobenius)]
    [InlineData(NmfSolver.CoordinateDescent, NmfLoss.Frobenius)]
    public void Fit_SparseMatrix_AllocatesInProportionToStoredEntriesNotToNTimesM(NmfSolver solver, NmfLoss loss)
    {
        int n = 3000, m = 20000, k = 10;
        var x = Counts(n, m, 20, 17);
        var model = new Nmf { ComponentCount = k, Solver = solver, Loss = loss, MaxIterations = 5, Tolerance = 0.0 };
        model.Fit(x); // warm-up: JIT and first-call allocations
        long before = GC.GetTotalAllocatedBytes(precise: true);
        model.Fit(x);
        model.Transform(x);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        long linear = (long)x.Storage.EnumerateNonZero().Count() + ((long)(k + 10) * (n + m));

        // O(nnz + (K + 10)·(n + m)) with a modest constant (the truncated SVD of the start holds a few (n + m) × (K + 10)
        // blocks): about 3e7 bytes, where n·m doubles would be 4.8e8.
        Assert.True(allocated <= 96L * linear, $"allocated {allocated} bytes for nnz + (K + 10)·(n + m) = {linear}");
    }

    [Fact]
    public void MiniBatchFit_SparseMatrix_AllocatesInProportionToStoredEntriesNotToNTimesM()
    {
        int n = 3000, m = 20000, k = 10;
        var x = Counts(n, m, 20, 18);
        var model = new MiniBatchNmf { ComponentCount = k, Loss = NmfLoss.KullbackLeibler, BatchSize = 500, MaxIterations = 2, Tolerance = 0.0 };
        model.Fit(x);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        model.Fit(x);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        long linear = (long)x.Storage.EnumerateNonZero().Count() + ((long)(k + 10) * (n + m));
        Assert.True(allocated <= 96L * linear, $"allocated {allocated} bytes for nnz + (K + 10)·(n + m) = {linear}");
    }
}
