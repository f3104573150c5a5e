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
/// narrow for SIMD to pay, and the solves are recurrences; for repeated solves b = 1 and 2 have loops on the factor
/// rearranged by <see cref="PrepareSolves"/>.
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

    /// <summary>The length of the <see cref="PrepareSolves"/> array for order <paramref name="n"/> and half-bandwidth <paramref name="bandwidth"/>: n·(2b + 1).</summary>
    public static int SolveFactorLength(int n, int bandwidth) => n * ((2 * bandwidth) + 1);

    /// <summary>
    /// The factor rearranged for repeated solves (<see cref="Solve(ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, Span{double})"/>):
    /// per row i, in order, 1/Lᵢᵢ, the forward multipliers L_{i,i−k}/Lᵢᵢ and the backward multipliers L_{i+k,i}/Lᵢᵢ
    /// (k = 1..b; 0 past the ends), <see cref="SolveFactorLength"/> entries in all.
    /// </summary>
    public static void PrepareSolves(ReadOnlySpan<double> band, int n, int bandwidth, Span<double> factors)
    {
        Check(band.Length, n, bandwidth, nameof(band));
        int ld = bandwidth + 1, row = (2 * bandwidth) + 1;
        if (factors.Length < SolveFactorLength(n, bandwidth))
        {
            throw new ArgumentException($"{nameof(factors)} has {factors.Length} entries but order {n} with half-bandwidth {bandwidth} needs {SolveFactorLength(n, bandwidth)}.", nameof(factors));
        }

        for (int i = 0; i < n; i++)
        {
            double r = 1.0 / band[i * ld];
            var f = factors.Slice(i * row, row);
            f[0] = r;
            for (int k = 1; k <= bandwidth; k++)
            {
                f[k] = i - k >= 0 ? band[k + ((i - k) * ld)] * r : 0.0;
                f[bandwidth + k] = i + k < n ? band[k + (i * ld)] * r : 0.0;
            }
        }
    }

    /// <summary>
    /// Solves (LLᵀ)·x = b in place as <see cref="Solve(ReadOnlySpan{double}, int, int, Span{double})"/>, with the
    /// multipliers of <see cref="PrepareSolves"/>: yᵢ = bᵢ/Lᵢᵢ − Σₖ (L_{i,i−k}/Lᵢᵢ)·yᵢ₋ₖ, so that the recurrence carries one
    /// fused multiply–add from one entry to the next instead of a multiply, a subtraction and a division (the solves are
    /// latency-bound). For repeated solves with one factor (ADMM on a signal); results differ from the dividing solve by
    /// rounding only.
    /// </summary>
    public static void Solve(ReadOnlySpan<double> band, ReadOnlySpan<double> factors, int n, int bandwidth, Span<double> b)
    {
        Check(band.Length, n, bandwidth, nameof(band));
        if (b.Length != n || factors.Length < SolveFactorLength(n, bandwidth))
        {
            throw new ArgumentException($"{nameof(b)} has {b.Length} entries and the solve factors {factors.Length} but the system has order {n}.", nameof(b));
        }

        if (bandwidth == 1)
        {
            SolveBidiagonal(factors, n, b);
            return;
        }

        if (bandwidth == 2)
        {
            SolveTridiagonal(factors, n, b);
            return;
        }

        Solve(band, n, bandwidth, b);
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

    /// <summary>The multiplier solve for half-bandwidth 1 (L bidiagonal: differences of order 1); rows of 3: r, f, g.</summary>
    private static void SolveBidiagonal(ReadOnlySpan<double> factors, int n, Span<double> b)
    {
        if (n == 0)
        {
            return;
        }

        ref double f = ref MemoryMarshal.GetReference(factors);
        ref double x = ref MemoryMarshal.GetReference(b);

        // L·y = b: yᵢ = bᵢ·rᵢ − fᵢ·yᵢ₋₁ (f₀ = 0).
        double previous = 0.0;
        for (int i = 0; i < n; i++)
        {
            ref double xi = ref Unsafe.Add(ref x, i);
            ref double fi = ref Unsafe.Add(ref f, 3 * i);
            previous = MultiplySubtract(xi * fi, Unsafe.Add(ref fi, 1), previous);
            xi = previous;
        }

        // Lᵀ·x = y: xᵢ = yᵢ·rᵢ − gᵢ·xᵢ₊₁ (g at the last row 0).
        double next = 0.0;
        for (int i = n - 1; i >= 0; i--)
        {
            ref double xi = ref Unsafe.Add(ref x, i);
            ref double fi = ref Unsafe.Add(ref f, 3 * i);
            next = MultiplySubtract(xi * fi, Unsafe.Add(ref fi, 2), next);
            xi = next;
        }
    }

    /// <summary>The multiplier solve for half-bandwidth 2 (differences of order 2); rows of 5: r, f₁, f₂, g₁, g₂.</summary>
    private static void SolveTridiagonal(ReadOnlySpan<double> factors, int n, Span<double> b)
    {
        ref double f = ref MemoryMarshal.GetReference(factors);
        ref double x = ref MemoryMarshal.GetReference(b);

        // L·y = b: yᵢ = bᵢ·rᵢ − f₂ᵢ·yᵢ₋₂ − f₁ᵢ·yᵢ₋₁; the yᵢ₋₂ term is off the critical path.
        double y2 = 0.0, y1 = 0.0;
        for (int i = 0; i < n; i++)
        {
            ref double xi = ref Unsafe.Add(ref x, i);
            ref double fi = ref Unsafe.Add(ref f, 5 * i);
            double yi = MultiplySubtract(MultiplySubtract(xi * fi, Unsafe.Add(ref fi, 2), y2), Unsafe.Add(ref fi, 1), y1);
            xi = yi;
            y2 = y1;
            y1 = yi;
        }

        // Lᵀ·x = y: xᵢ = yᵢ·rᵢ − g₂ᵢ·xᵢ₊₂ − g₁ᵢ·xᵢ₊₁.
        double z2 = 0.0, z1 = 0.0;
        for (int i = n - 1; i >= 0; i--)
        {
            ref double xi = ref Unsafe.Add(ref x, i);
            ref double fi = ref Unsafe.Add(ref f, 5 * i);
            double value = MultiplySubtract(MultiplySubtract(xi * fi, Unsafe.Add(ref fi, 4), z2), Unsafe.Add(ref fi, 3), z1);
            xi = value;
            z2 = z1;
            z1 = value;
        }
    }

    /// <summary>c − a·b, fused where the hardware has it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double MultiplySubtract(double c, double a, double b) => Kernels.MultiplyAdd(-a, b, c);

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
