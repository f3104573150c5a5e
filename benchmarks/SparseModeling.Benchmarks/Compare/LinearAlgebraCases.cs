// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>Compare cases of the kernel layer, each the twin of a <c>reference_bench.py</c> case.</summary>
internal static class LinearAlgebraCases
{
    public static IEnumerable<CompareCase> All =>
    [
        new CompareCase("gemm_1000", "SparseModeling.Gemm", () =>
        {
            const int N = 1000;
            var (matrixA, matrixB) = Problems.Gemm(N);
            var a = matrixA.AsColumnMajorArray();
            var b = matrixB.AsColumnMajorArray();
            var c = new double[N * N];
            return PreparedCase.Of(
                () =>
                {
                    Gemm.Multiply(false, false, N, N, N, 1.0, a, N, b, N, 0.0, c, N);
                    return c;
                },
                (product, timing) =>
                {
                    CheckProduct(a, b, product, N);
                    return new JsonObject { ["gflops_median"] = 2.0 * N * N * N / timing.MedianSeconds / 1e9 };
                });
        }),
    ];

    /// <summary>Spot-checks entries of C = A·B (column-major, n×n) against plain dot products, so a fast wrong GEMM cannot pass.</summary>
    private static void CheckProduct(double[] a, double[] b, double[] c, int n)
    {
        var generator = new SplitMix64(1);
        for (int t = 0; t < 64; t++)
        {
            int i = generator.NextInt(n), j = generator.NextInt(n);
            double expected = 0.0, scale = 0.0;
            for (int l = 0; l < n; l++)
            {
                double term = a[(l * n) + i] * b[(j * n) + l];
                expected += term;
                scale += Math.Abs(term);
            }

            if (!(Math.Abs(c[(j * n) + i] - expected) <= 1e-12 * scale))
            {
                throw new InvalidOperationException($"gemm_1000: C[{i}, {j}] = {c[(j * n) + i]:R} but the dot product gives {expected:R}.");
            }
        }
    }
}
