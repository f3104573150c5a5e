// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Element-wise passes of the β-divergence multiplicative updates (Févotte and Idier, Neural
/// Comput. 2011), each fused into one sweep over memory: p holds the model W·H on entry.
/// </summary>
internal static partial class Kernels
{
    /// <summary>
    /// p[i] ← x[i] / p̃[i], where p̃ = p with exact zeros replaced by <paramref name="floor"/>: the
    /// Kullback–Leibler ratio X / (WH) of the multiplicative update, in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DivideFloored(ReadOnlySpan<double> x, Span<double> p, double floor)
    {
        Debug.Assert(x.Length == p.Length);
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double ps = ref MemoryMarshal.GetReference(p);
        int n = p.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var f = Vector512.Create(floor);
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var v = Vector512.LoadUnsafe(ref ps, (nuint)i);
                v = Vector512.ConditionalSelect(Vector512.Equals(v, Vector512<double>.Zero), f, v);
                (Vector512.LoadUnsafe(ref xs, (nuint)i) / v).StoreUnsafe(ref ps, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var f = Vector256.Create(floor);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref ps, (nuint)i);
                v = Vector256.ConditionalSelect(Vector256.Equals(v, Vector256<double>.Zero), f, v);
                (Vector256.LoadUnsafe(ref xs, (nuint)i) / v).StoreUnsafe(ref ps, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            double v = p[i] == 0.0 ? floor : p[i];
            p[i] = x[i] / v;
        }
    }

    /// <summary>
    /// With r = 1 / p̃ (p̃ = p with exact zeros replaced by <paramref name="floor"/>): q[i] ← r and
    /// p[i] ← r²·x[i]. These are (WH)^(β−1) and X·(WH)^(β−2) for the Itakura–Saito divergence (β = 0),
    /// the denominator and numerator terms of its multiplicative update, in one pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ItakuraSaitoTerms(ReadOnlySpan<double> x, Span<double> p, Span<double> q, double floor)
    {
        Debug.Assert(x.Length == p.Length && q.Length == p.Length);
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double ps = ref MemoryMarshal.GetReference(p);
        ref double qs = ref MemoryMarshal.GetReference(q);
        int n = p.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var f = Vector512.Create(floor);
            var one = Vector512.Create(1.0);
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var v = Vector512.LoadUnsafe(ref ps, (nuint)i);
                var r = one / Vector512.ConditionalSelect(Vector512.Equals(v, Vector512<double>.Zero), f, v);
                r.StoreUnsafe(ref qs, (nuint)i);
                (r * r * Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ps, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var f = Vector256.Create(floor);
            var one = Vector256.Create(1.0);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref ps, (nuint)i);
                var r = one / Vector256.ConditionalSelect(Vector256.Equals(v, Vector256<double>.Zero), f, v);
                r.StoreUnsafe(ref qs, (nuint)i);
                (r * r * Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ps, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            double r = 1.0 / (p[i] == 0.0 ? floor : p[i]);
            q[i] = r;
            p[i] = r * r * x[i];
        }
    }
}
