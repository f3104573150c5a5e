// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearAlgebra;

/// <summary>
/// In-place solves with a lower-triangular matrix L (column-major, leading dimension ldl), one
/// right-hand side; only the lower triangle of the storage is read. Both directions walk L by
/// contiguous columns (an AXPY per column forward, a dot per column backward).
/// </summary>
internal static class TriangularSolve
{
    /// <summary>b ← L⁻¹·b (forward substitution) on the first <paramref name="n"/> entries of <paramref name="b"/>.</summary>
    public static void SolveLower(ReadOnlySpan<double> l, int n, int ldl, Span<double> b)
    {
        Check(l.Length, n, ldl, b.Length);
        for (int j = 0; j < n; j++)
        {
            double xj = b[j] / l[j + (j * ldl)];
            b[j] = xj;
            int below = n - j - 1;
            if (below > 0)
            {
                Kernels.Axpy(-xj, l.Slice(j + 1 + (j * ldl), below), b.Slice(j + 1, below));
            }
        }
    }

    /// <summary>b ← L⁻ᵀ·b (backward substitution with Lᵀ) on the first <paramref name="n"/> entries of <paramref name="b"/>.</summary>
    public static void SolveLowerTransposed(ReadOnlySpan<double> l, int n, int ldl, Span<double> b)
    {
        Check(l.Length, n, ldl, b.Length);
        for (int j = n - 1; j >= 0; j--)
        {
            int below = n - j - 1;
            double sum = b[j];
            if (below > 0)
            {
                sum -= Kernels.Dot(l.Slice(j + 1 + (j * ldl), below), b.Slice(j + 1, below));
            }

            b[j] = sum / l[j + (j * ldl)];
        }
    }

    internal static void Check(int lLength, int n, int ldl, int bLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (ldl < Math.Max(1, n))
        {
            throw new ArgumentOutOfRangeException(nameof(ldl), $"ldl is {ldl} but must be at least {Math.Max(1, n)}.");
        }

        if (n > 0 && lLength < ((long)(n - 1) * ldl) + n)
        {
            throw LengthError("l", $"l has {lLength} entries but a {n}×{n} factor with leading dimension {ldl} needs {((long)(n - 1) * ldl) + n}.");
        }

        if (bLength < n)
        {
            throw LengthError("b", $"b has {bLength} entries but {n} are needed.");
        }
    }

    private static ArgumentException LengthError(string name, string message) => new(message, name);
}
