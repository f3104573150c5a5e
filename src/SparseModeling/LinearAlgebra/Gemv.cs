// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearAlgebra;

/// <summary>Matrix–vector products on column-major storage.</summary>
internal static class Gemv
{
    /// <summary>y ← alpha·A·x + beta·y for an m×n column-major A.</summary>
    public static void Multiply(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        var yv = y[..m];
        if (beta == 0.0)
        {
            yv.Clear();
        }
        else if (beta != 1.0)
        {
            Kernels.Scal(beta, yv);
        }

        for (int j = 0; j < n; j++)
        {
            Kernels.Axpy(alpha * x[j], a.Slice(j * lda, m), yv);
        }
    }

    /// <summary>y ← alpha·Aᵀ·x + beta·y for an m×n column-major A (y has n entries).</summary>
    public static void MultiplyTransposed(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        var xv = x[..m];
        for (int j = 0; j < n; j++)
        {
            double d = alpha * Kernels.Dot(a.Slice(j * lda, m), xv);
            y[j] = beta == 0.0 ? d : d + (beta * y[j]);
        }
    }
}
