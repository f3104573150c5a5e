// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Cholesky factorization A = LLᵀ of a symmetric positive definite matrix in column-major storage,
/// and solves with the factor. Large matrices are factored by blocks (right-looking): factor a
/// diagonal block, solve the panel below it, and update the trailing matrix with the packed GEMM in
/// its lower-triangle (SYRK) mode.
/// </summary>
internal static class Cholesky
{
    /// <summary>Width of a diagonal block; matrices up to this size are factored unblocked.</summary>
    private const int BlockSize = 64;

    /// <summary>
    /// Overwrites the lower triangle of the n×n matrix <paramref name="a"/> (leading dimension
    /// <paramref name="lda"/>) with L such that LLᵀ = A; only the lower triangle is read and the strict
    /// upper triangle is left untouched. Returns false when A is not (numerically) positive definite,
    /// in which case the lower triangle holds a partial factorization.
    /// </summary>
    public static bool Factor(Span<double> a, int n, int lda)
    {
        TriangularSolve.Check(a.Length, n, lda, n);
        for (int kb = 0; kb < n; kb += BlockSize)
        {
            // The fit's cancellation, once per panel (the trailing update's GEMM checks it again per block).
            Parallelism.ThrowIfCancellationRequested();
            int nb = Math.Min(BlockSize, n - kb);
            var diagonal = a[(kb + (kb * lda))..];
            if (!FactorUnblocked(diagonal, nb, lda))
            {
                return false;
            }

            int rest = n - kb - nb;
            if (rest == 0)
            {
                break;
            }

            // Panel: A21 ← A21·L11⁻ᵀ, column by column.
            var panel = a[(kb + nb + (kb * lda))..];
            for (int j = 0; j < nb; j++)
            {
                var column = panel.Slice(j * lda, rest);
                for (int p = 0; p < j; p++)
                {
                    Kernels.Axpy(-diagonal[j + (p * lda)], panel.Slice(p * lda, rest), column);
                }

                Kernels.Scal(1.0 / diagonal[j + (j * lda)], column);
            }

            // Trailing update: A22 ← A22 − A21·A21ᵀ, lower triangle only.
            var trailing = a[(kb + nb + ((kb + nb) * lda))..];
            Gemm.Run(false, true, rest, rest, nb, -1.0, panel, lda, panel, lda, 1.0, trailing, lda, lowerOnly: true);
        }

        return true;
    }

    /// <summary>Solves (LLᵀ)·x = b in place for one right-hand side of <paramref name="n"/> entries.</summary>
    public static void Solve(ReadOnlySpan<double> l, int n, int ldl, Span<double> b)
    {
        TriangularSolve.SolveLower(l, n, ldl, b);
        TriangularSolve.SolveLowerTransposed(l, n, ldl, b);
    }

    /// <summary>
    /// Solves (LLᵀ)·X = B in place, where B is <paramref name="n"/>×<paramref name="nrhs"/> column-major
    /// with leading dimension <paramref name="ldb"/>.
    /// </summary>
    public static void Solve(ReadOnlySpan<double> l, int n, int ldl, Span<double> b, int nrhs, int ldb)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nrhs);
        if (ldb < Math.Max(1, n))
        {
            throw new ArgumentOutOfRangeException(nameof(ldb), $"ldb is {ldb} but must be at least {Math.Max(1, n)}.");
        }

        if (nrhs > 0 && b.Length < ((long)(nrhs - 1) * ldb) + n)
        {
            throw new ArgumentException($"{nameof(b)} has {b.Length} entries but {nrhs} columns of {n} with leading dimension {ldb} need {((long)(nrhs - 1) * ldb) + n}.", nameof(b));
        }

        for (int c = 0; c < nrhs; c++)
        {
            Solve(l, n, ldl, b.Slice(c * ldb, n));
        }
    }

    /// <summary>Left-looking column Cholesky of an n×n block (each column updated by AXPYs of the previous ones).</summary>
    private static bool FactorUnblocked(Span<double> a, int n, int lda)
    {
        for (int j = 0; j < n; j++)
        {
            var column = a.Slice(j + (j * lda), n - j);
            for (int p = 0; p < j; p++)
            {
                Kernels.Axpy(-a[j + (p * lda)], a.Slice(j + (p * lda), n - j), column);
            }

            double d = column[0];
            if (!(d > 0.0) || double.IsPositiveInfinity(d))
            {
                return false;
            }

            d = Math.Sqrt(d);
            column[0] = d;
            if (n - j > 1)
            {
                Kernels.Scal(1.0 / d, column[1..]);
            }
        }

        return true;
    }
}
