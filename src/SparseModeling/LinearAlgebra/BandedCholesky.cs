// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Cholesky factorization A = LLᵀ of a symmetric positive definite band matrix with half-bandwidth
/// b (Aᵢⱼ = 0 when |i − j| &gt; b), and solves with the factor, in O(n·b²) and O(n·b) operations.
/// Storage is the lower band, column by column (LAPACK's <c>dpbtrf</c> lower layout): entry (i, j)
/// with j ≤ i ≤ j + b lives at <c>band[(i − j) + j·(b + 1)]</c>; the slots past the last row are
/// ignored. The loops are scalar: the bands this serves (b = 1, 2 for difference operators) are too
/// narrow for SIMD to pay.
/// </summary>
internal static class BandedCholesky
{
    /// <summary>
    /// Overwrites the lower band of the n×n matrix with L such that LLᵀ = A. Returns false when A is not
    /// (numerically) positive definite; the band then holds a partial factorization.
    /// </summary>
    public static bool Factor(Span<double> band, int n, int bandwidth)
    {
        Check(band.Length, n, bandwidth, nameof(band));
        int ld = bandwidth + 1;
        for (int j = 0; j < n; j++)
        {
            // Diagonal: d = A_jj − Σ_k L_jk² over the band.
            double d = band[j * ld];
            for (int k = Math.Max(0, j - bandwidth); k < j; k++)
            {
                double l = band[(j - k) + (k * ld)];
                d -= l * l;
            }

            if (!(d > 0.0) || double.IsPositiveInfinity(d))
            {
                return false;
            }

            d = Math.Sqrt(d);
            band[j * ld] = d;

            // Below the diagonal: L_ij = (A_ij − Σ_k L_ik·L_jk) / L_jj for i ≤ j + b.
            int last = Math.Min(n - 1, j + bandwidth);
            for (int i = j + 1; i <= last; i++)
            {
                double s = band[(i - j) + (j * ld)];
                for (int k = Math.Max(0, i - bandwidth); k < j; k++)
                {
                    s -= band[(i - k) + (k * ld)] * band[(j - k) + (k * ld)];
                }

                band[(i - j) + (j * ld)] = s / d;
            }
        }

        return true;
    }

    /// <summary>Solves (LLᵀ)·x = b in place for one right-hand side of <paramref name="n"/> entries, with L from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> band, int n, int bandwidth, Span<double> b)
    {
        Check(band.Length, n, bandwidth, nameof(band));
        if (b.Length != n)
        {
            throw new ArgumentException($"{nameof(b)} has {b.Length} entries but the system has order {n}.", nameof(b));
        }

        int ld = bandwidth + 1;

        // L·y = b.
        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int k = Math.Max(0, i - bandwidth); k < i; k++)
            {
                s -= band[(i - k) + (k * ld)] * b[k];
            }

            b[i] = s / band[i * ld];
        }

        // Lᵀ·x = y.
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            int last = Math.Min(n - 1, i + bandwidth);
            for (int k = i + 1; k <= last; k++)
            {
                s -= band[(k - i) + (i * ld)] * b[k];
            }

            b[i] = s / band[i * ld];
        }
    }

    private static void Check(int length, int n, int bandwidth, string bandName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(bandwidth);
        if ((long)length < (long)n * (bandwidth + 1))
        {
            throw new ArgumentException($"The band has {length} entries but order {n} with half-bandwidth {bandwidth} needs {(long)n * (bandwidth + 1)}.", bandName);
        }
    }
}
