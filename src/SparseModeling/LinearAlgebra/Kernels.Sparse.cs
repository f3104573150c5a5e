// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// The indexed kernels of compressed sparse storage (CSR rows, CSC columns): a dot product of stored entries with a
/// dense vector gathered at their indices, and the matching scatter update.
/// </summary>
/// <remarks>
/// Scalar by design. Each stored value meets a dense entry at an arbitrary index, so every element is an indirect
/// load (and, for the scatter, an indirect store); the SIMD forms are hardware gathers (AVX2 <c>vgatherdpd</c>,
/// 4 lanes; AVX-512 8 lanes) that issue one load per lane and, on the x86 cores this library targets, are no faster
/// than the scalar loads for the 10–100 entries of a document–term row or column, while the scatter has no
/// AVX2 form at all. The loops are unrolled by four with independent accumulators (the dot) so that the loads overlap.
/// Where compressed storage has contiguous work — the values of one column for its mean and centred squared norm —
/// the callers use the vectorised dense kernels (<see cref="Sum"/>, <see cref="SquaredDistanceFrom"/>) on the value
/// array instead.
/// </remarks>
internal static partial class Kernels
{
    /// <summary>Σₖ values[k]·dense[indices[k]]: a stored row (or column) times a dense vector.</summary>
    public static double GatherDot(ReadOnlySpan<double> values, ReadOnlySpan<int> indices, ReadOnlySpan<double> dense)
    {
        System.Diagnostics.Debug.Assert(values.Length == indices.Length, "one index per value");
        ref double v = ref MemoryMarshal.GetReference(values);
        ref int ix = ref MemoryMarshal.GetReference(indices);
        int n = values.Length;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        int k = 0;
        for (; k + 4 <= n; k += 4)
        {
            s0 += Unsafe.Add(ref v, k) * dense[Unsafe.Add(ref ix, k)];
            s1 += Unsafe.Add(ref v, k + 1) * dense[Unsafe.Add(ref ix, k + 1)];
            s2 += Unsafe.Add(ref v, k + 2) * dense[Unsafe.Add(ref ix, k + 2)];
            s3 += Unsafe.Add(ref v, k + 3) * dense[Unsafe.Add(ref ix, k + 3)];
        }

        for (; k < n; k++)
        {
            s0 += Unsafe.Add(ref v, k) * dense[Unsafe.Add(ref ix, k)];
        }

        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>dense[indices[k]] += a·values[k] for every k: a stored row (or column) scaled into a dense vector.</summary>
    public static void ScatterAxpy(double a, ReadOnlySpan<double> values, ReadOnlySpan<int> indices, Span<double> dense)
    {
        System.Diagnostics.Debug.Assert(values.Length == indices.Length, "one index per value");
        if (a == 0.0)
        {
            return;
        }

        ref double v = ref MemoryMarshal.GetReference(values);
        ref int ix = ref MemoryMarshal.GetReference(indices);
        int n = values.Length;
        int k = 0;
        for (; k + 4 <= n; k += 4)
        {
            dense[Unsafe.Add(ref ix, k)] += a * Unsafe.Add(ref v, k);
            dense[Unsafe.Add(ref ix, k + 1)] += a * Unsafe.Add(ref v, k + 1);
            dense[Unsafe.Add(ref ix, k + 2)] += a * Unsafe.Add(ref v, k + 2);
            dense[Unsafe.Add(ref ix, k + 3)] += a * Unsafe.Add(ref v, k + 3);
        }

        for (; k < n; k++)
        {
            dense[Unsafe.Add(ref ix, k)] += a * Unsafe.Add(ref v, k);
        }
    }
}
