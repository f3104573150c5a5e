// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Benchmarks.Shared;

/// <summary>
/// The shared benchmark problems of <c>../shared/BENCHMARKS.md</c>, built from the library's
/// <see cref="SplitMix64"/> exactly as <c>reference_bench.py</c> builds them, so that both sides
/// time the same matrices.
/// </summary>
internal static class BenchmarkData
{
    /// <summary><c>normal(n)</c> from a fresh generator(<paramref name="seed"/>).</summary>
    public static double[] Normal(ulong seed, int n)
    {
        var values = new double[n];
        new SplitMix64(seed).FillNormal(values);
        return values;
    }

    /// <summary>
    /// <c>normal_matrix(seed, rows, cols)</c>: <c>normal(rows·cols)</c> from a fresh generator, filled
    /// row by row (as numpy's reshape), into column-major MathNet storage.
    /// </summary>
    public static Matrix<double> NormalMatrix(ulong seed, int rows, int cols)
    {
        var generator = new SplitMix64(seed);
        var data = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                data[(j * rows) + i] = generator.NextNormal();
            }
        }

        return Matrix<double>.Build.Dense(rows, cols, data);
    }

    /// <summary>
    /// <c>sparse_regression(seed, n, p, k)</c>: X = normal_matrix(seed, n, p); w[:k] = normal(k) from
    /// generator(seed + 1), the rest 0; y = X·w + 0.01·normal(n) from generator(seed + 2).
    /// </summary>
    /// <remarks>X·w is summed in MathNet's order rather than BLAS's, so y may differ from numpy's in the last bit.</remarks>
    public static (Matrix<double> X, Vector<double> Y, Vector<double> WTrue) SparseRegression(ulong seed, int n, int p, int k, double noise = 0.01)
    {
        var x = NormalMatrix(seed, n, p);
        var w = Vector<double>.Build.Dense(p);
        var head = Normal(seed + 1, k);
        for (int j = 0; j < k; j++)
        {
            w[j] = head[j];
        }

        var y = (x * w) + (noise * Vector<double>.Build.Dense(Normal(seed + 2, n)));
        return (x, y, w);
    }

    /// <summary>
    /// <c>sparse_counts(seed, rows, cols, perRow, topics)</c> of BENCHMARKS.md, a document–term-like matrix as MathNet CSR:
    /// one generator; block = cols / topics; per row a topic t = next() mod topics, then perRow draws of r = uniform()
    /// (column t·block + next() mod block when r &lt; 0.8, else next() mod cols) and a value 1 + uniform(); duplicates
    /// summed (as scipy's COO → CSR), columns sorted within each row.
    /// </summary>
    public static Matrix<double> SparseCounts(ulong seed, int rows, int cols, int perRow, int topics)
    {
        var generator = new SplitMix64(seed);
        ulong block = (ulong)(cols / topics);
        var rowPointers = new int[rows + 1];
        var columns = new List<int>(rows * perRow);
        var values = new List<double>(rows * perRow);
        var row = new SortedDictionary<int, double>();
        for (int i = 0; i < rows; i++)
        {
            ulong topic = generator.NextUInt64() % (ulong)topics;
            row.Clear();
            for (int k = 0; k < perRow; k++)
            {
                double r = generator.NextDouble();
                int j = r < 0.8 ? (int)((topic * block) + (generator.NextUInt64() % block)) : (int)(generator.NextUInt64() % (ulong)cols);
                double v = 1.0 + generator.NextDouble();
                row[j] = row.TryGetValue(j, out double previous) ? previous + v : v;
            }

            foreach (var (j, v) in row)
            {
                columns.Add(j);
                values.Add(v);
            }

            rowPointers[i + 1] = columns.Count;
        }

        return Matrix<double>.Build.SparseFromCompressedSparseRowFormat(rows, cols, columns.Count, rowPointers, [.. columns], [.. values]);
    }

    /// <summary>Centres the columns of <paramref name="x"/> and <paramref name="y"/> by their means (<c>X - X.mean(0)</c>, <c>y - y.mean()</c>).</summary>
    public static (Matrix<double> X, Vector<double> Y) Centered(Matrix<double> x, Vector<double> y)
    {
        var xc = x.Clone();
        for (int j = 0; j < xc.ColumnCount; j++)
        {
            var column = xc.Column(j);
            xc.SetColumn(j, column - column.Average());
        }

        return (xc, y - y.Average());
    }

    /// <summary>
    /// Checks the generator against the check values of BENCHMARKS.md ("Check values for the C#
    /// twin") and returns the failures, empty when all agree.
    /// </summary>
    public static IReadOnlyList<string> CheckAgainstReference()
    {
        var failures = new List<string>();
        var generator = new SplitMix64(0);
        ulong[] expectedBits = [0xe220a8397b1dcdafUL, 0x6e789e6aa1b965f4UL, 0x06c45d188009454fUL];
        foreach (ulong expected in expectedBits)
        {
            ulong actual = generator.NextUInt64();
            if (actual != expected)
            {
                failures.Add($"generator(0) gave 0x{actual:x16}, expected 0x{expected:x16}");
            }
        }

        double[] expectedNormals = [-0.06767644169287003, 0.8693269516334593, -1.4250432791837677, -0.04132474139375811, -0.5692085430525958];
        var normals = Normal(11, expectedNormals.Length);
        for (int i = 0; i < normals.Length; i++)
        {
            CheckClose($"generator(11).normal(5)[{i}]", normals[i], expectedNormals[i], failures);
        }

        CheckClose("normal_matrix(11, 1000, 1000)[999, 999]", NormalMatrix(11, 1000, 1000)[999, 999], 0.2820350876338368, failures);
        var counts = SparseCounts(91, 10000, 5000, 40, 20);
        var storage = (MathNet.Numerics.LinearAlgebra.Storage.SparseCompressedRowMatrixStorage<double>)counts.Storage;
        if (storage.ValueCount != 380154)
        {
            failures.Add($"sparse_counts(91, 10000, 5000, 40, 20) has {storage.ValueCount} entries, expected 380154");
        }

        CheckClose("sparse_counts(91, ...) sum", storage.Values.AsSpan(0, storage.ValueCount).ToArray().Sum(), 600025.0057, failures, 1e-10);
        int[] firstColumns = [2468, 3451, 4212];
        double[] firstValues = [1.9462225444611125, 1.5835596448980613, 1.5079591308376095];
        for (int k = 0; k < 3; k++)
        {
            if (storage.ColumnIndices[k] != firstColumns[k])
            {
                failures.Add($"sparse_counts(91, ...) row 0 entry {k} at column {storage.ColumnIndices[k]}, expected {firstColumns[k]}");
            }

            CheckClose($"sparse_counts(91, ...) row 0 value {k}", storage.Values[k], firstValues[k], failures);
        }

        int large = ((MathNet.Numerics.LinearAlgebra.Storage.SparseCompressedRowMatrixStorage<double>)SparseCounts(81, 20000, 50000, 30, 1).Storage).ValueCount;
        if (large != 599834)
        {
            failures.Add($"sparse_counts(81, 20000, 50000, 30, 1) has {large} entries, expected 599834");
        }

        return failures;
    }

    private static void CheckClose(string what, double actual, double expected, List<string> failures, double relative = 1e-14)
    {
        // .NET's Math.Log/Cos/Sin and numpy's vectorised ones differ by an ulp on some inputs; more is a real mismatch.
        if (!(Math.Abs(actual - expected) <= relative * Math.Abs(expected)))
        {
            failures.Add($"{what} = {actual:R}, expected {expected:R}");
        }
    }
}
