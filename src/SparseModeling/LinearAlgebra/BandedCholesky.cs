// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Cholesky factorization A = LLᵀ of a symmetric positive definite band matrix with half-bandwidth
/// b (Aᵢⱼ = 0 when |i − j| &gt; b), and solves with the factor, in O(n·b²) and O(n·b) operations.
/// Storage is the lower band, column by column (LAPACK's <c>dpbtrf</c> lower layout): entry (i, j)
/// with j ≤ i ≤ j + b lives at <c>band[(i − j) + j·(b + 1)]</c>; the slots past the last row are
/// ignored. The loops are scalar: the bands this serves (b = 1, 2 for difference operators) are too
/// narrow for SIMD to pay, and the solves are recurrences; for repeated solves b = 1 and 2 have loops that multiply
/// by the reciprocal diagonal.
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

    /// <summary>
    /// Solves (LLᵀ)·x = b in place as <see cref="Solve(ReadOnlySpan{double}, int, int, Span{double})"/>, multiplying by
    /// <paramref name="inverseDiagonal"/> (1/Lᵢᵢ, from <see cref="InvertDiagonal"/>) instead of dividing by Lᵢᵢ: the
    /// solves are recurrences, and a division's latency is three times a multiplication's. For repeated solves with one
    /// factor (ADMM on a signal); results differ from the dividing solve by rounding only.
    /// </summary>
    public static void Solve(ReadOnlySpan<double> band, ReadOnlySpan<double> inverseDiagonal, int n, int bandwidth, Span<double> b)
    {
        Check(band.Length, n, bandwidth, nameof(band));
        if (b.Length != n || inverseDiagonal.Length < n)
        {
            throw new ArgumentException($"{nameof(b)} has {b.Length} entries and the inverse diagonal {inverseDiagonal.Length} but the system has order {n}.", nameof(b));
        }

        if (bandwidth == 1)
        {
            SolveBidiagonal(band, inverseDiagonal, n, b);
            return;
        }

        if (bandwidth == 2)
        {
            SolveTridiagonal(band, inverseDiagonal, n, b);
            return;
        }

        Solve(band, n, bandwidth, b);
    }

    /// <summary>1/Lᵢᵢ for the factor <paramref name="band"/> from <see cref="Factor"/>, into <paramref name="inverseDiagonal"/> (n entries).</summary>
    public static void InvertDiagonal(ReadOnlySpan<double> band, int n, int bandwidth, Span<double> inverseDiagonal)
    {
        Check(band.Length, n, bandwidth, nameof(band));
        int ld = bandwidth + 1;
        for (int i = 0; i < n; i++)
        {
            inverseDiagonal[i] = 1.0 / band[i * ld];
        }
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

    /// <summary>The reciprocal solve for half-bandwidth 1 (L bidiagonal: differences of order 1), without index bounds.</summary>
    private static void SolveBidiagonal(ReadOnlySpan<double> band, ReadOnlySpan<double> inverseDiagonal, int n, Span<double> b)
    {
        if (n == 0)
        {
            return;
        }

        ref double l = ref MemoryMarshal.GetReference(band);
        ref double r = ref MemoryMarshal.GetReference(inverseDiagonal);
        ref double x = ref MemoryMarshal.GetReference(b);

        // L·y = b: yᵢ = (bᵢ − L_{i,i−1}·yᵢ₋₁)/Lᵢᵢ, with L_{i,i−1} at band[1 + (i − 1)·2].
        double previous = x * r;
        x = previous;
        for (int i = 1; i < n; i++)
        {
            ref double xi = ref Unsafe.Add(ref x, i);
            previous = (xi - (Unsafe.Add(ref l, (2 * i) - 1) * previous)) * Unsafe.Add(ref r, i);
            xi = previous;
        }

        // Lᵀ·x = y: xᵢ = (yᵢ − L_{i+1,i}·xᵢ₊₁)/Lᵢᵢ.
        double next = previous * Unsafe.Add(ref r, n - 1);
        Unsafe.Add(ref x, n - 1) = next;
        for (int i = n - 2; i >= 0; i--)
        {
            ref double xi = ref Unsafe.Add(ref x, i);
            next = (xi - (Unsafe.Add(ref l, (2 * i) + 1) * next)) * Unsafe.Add(ref r, i);
            xi = next;
        }
    }

    /// <summary>The reciprocal solve for half-bandwidth 2 (differences of order 2), as <see cref="SolveBidiagonal"/>.</summary>
    private static void SolveTridiagonal(ReadOnlySpan<double> band, ReadOnlySpan<double> inverseDiagonal, int n, Span<double> b)
    {
        if (n < 2)
        {
            for (int i = 0; i < n; i++)
            {
                b[i] *= inverseDiagonal[i] * inverseDiagonal[i];
            }

            return;
        }

        ref double l = ref MemoryMarshal.GetReference(band);
        ref double r = ref MemoryMarshal.GetReference(inverseDiagonal);
        ref double x = ref MemoryMarshal.GetReference(b);

        // L·y = b: yᵢ = (bᵢ − L_{i,i−2}·yᵢ₋₂ − L_{i,i−1}·yᵢ₋₁)/Lᵢᵢ; L_{i,i−1} at band[1 + 3(i − 1)], L_{i,i−2} at band[2 + 3(i − 2)].
        double y2 = x * r;
        x = y2;
        ref double x1 = ref Unsafe.Add(ref x, 1);
        double y1 = (x1 - (Unsafe.Add(ref l, 1) * y2)) * Unsafe.Add(ref r, 1);
        x1 = y1;
        for (int i = 2; i < n; i++)
        {
            ref double xi = ref Unsafe.Add(ref x, i);
            double yi = (xi - (Unsafe.Add(ref l, 2 + (3 * (i - 2))) * y2) - (Unsafe.Add(ref l, 1 + (3 * (i - 1))) * y1)) * Unsafe.Add(ref r, i);
            xi = yi;
            y2 = y1;
            y1 = yi;
        }

        // Lᵀ·x = y: xᵢ = (yᵢ − L_{i+1,i}·xᵢ₊₁ − L_{i+2,i}·xᵢ₊₂)/Lᵢᵢ.
        double z2 = y1 * Unsafe.Add(ref r, n - 1);
        Unsafe.Add(ref x, n - 1) = z2;
        ref double xn2 = ref Unsafe.Add(ref x, n - 2);
        double z1 = (xn2 - (Unsafe.Add(ref l, 1 + (3 * (n - 2))) * z2)) * Unsafe.Add(ref r, n - 2);
        xn2 = z1;
        for (int i = n - 3; i >= 0; i--)
        {
            ref double xi = ref Unsafe.Add(ref x, i);
            double value = (xi - (Unsafe.Add(ref l, 1 + (3 * i)) * z1) - (Unsafe.Add(ref l, 2 + (3 * i)) * z2)) * Unsafe.Add(ref r, i);
            xi = value;
            z2 = z1;
            z1 = value;
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
