// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

/// <summary>
/// A Lasso fit on sparse X allocates O(nnz + n + p), never n·p. Measured with the process-wide allocation counter, so
/// it runs in the collection that runs alone.
/// </summary>
[Collection(Timing.Name)]
public class SparseInputMemoryTests
{
    [Fact]
    public void Fit_SparseMatrix_AllocatesInProportionToStoredEntriesNotToNTimesP()
    {
        // 4000 × 40000 with 20 entries per row: n·p = 1.6e8 entries (1.28 GB dense), 80,000 stored.
        int n = 4000, p = 40000;
        var rng = new SplitMix64(15);
        var rowPointers = new int[n + 1];
        var columns = new int[n * 20];
        var values = new double[n * 20];
        for (int i = 0; i < n; i++)
        {
            var picked = new SortedSet<int>();
            while (picked.Count < 20)
            {
                picked.Add(rng.NextInt(p));
            }

            int k = i * 20;
            foreach (int c in picked)
            {
                columns[k] = c;
                values[k++] = 1.0 + rng.NextDouble();
            }

            rowPointers[i + 1] = k;
        }

        var x = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(n, p, n * 20, rowPointers, columns, values);
        var w = Vector<double>.Build.Dense(p, j => j % 400 == 0 ? 1.0 : 0.0);
        var y = (x * w) + Vector<double>.Build.Dense(n, _ => 0.01 * rng.NextNormal());
        double alpha = 0.01 * (x.TransposeThisAndMultiply(y - y.Average()).InfinityNorm() / n);
        var model = new Lasso { Alpha = alpha };
        model.Fit(x, y); // warm-up: JIT and first-call allocations
        long before = GC.GetTotalAllocatedBytes(precise: true);
        model.Fit(x, y);
        model.Predict(x);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        long linear = (long)x.Storage.EnumerateNonZero().Count() + n + p;
        Assert.True(model.Converged);

        // O(nnz + n + p) with a modest constant; n·p doubles would be 1.28e9 bytes.
        Assert.True(allocated <= 64L * linear, $"allocated {allocated} bytes for nnz + n + p = {linear}");
    }
}
