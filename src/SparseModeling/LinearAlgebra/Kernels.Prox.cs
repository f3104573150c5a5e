// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <remarks>The element-wise kernels behind the proximal operators of the optimisation cores.</remarks>
internal static partial class Kernels
{
    /// <summary>
    /// result ← max(x − t, 0) element-wise: the proximal operator of t·‖z‖₁ restricted to z ≥ 0 (the
    /// projection onto the non-negative orthant when t = 0); <paramref name="result"/> may be
    /// <paramref name="x"/> itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NonNegativeSoftThreshold(ReadOnlySpan<double> x, double t, Span<double> result)
    {
        Debug.Assert(result.Length >= x.Length);
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double rs = ref MemoryMarshal.GetReference(result);
        int n = x.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var tv = Vector512.Create(t);
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                Vector512.Max(Vector512.LoadUnsafe(ref xs, (nuint)i) - tv, Vector512<double>.Zero).StoreUnsafe(ref rs, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var tv = Vector256.Create(t);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                Vector256.Max(Vector256.LoadUnsafe(ref xs, (nuint)i) - tv, Vector256<double>.Zero).StoreUnsafe(ref rs, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var tv = Vector128.Create(t);
            for (; i <= n - Vector128<double>.Count; i += Vector128<double>.Count)
            {
                Vector128.Max(Vector128.LoadUnsafe(ref xs, (nuint)i) - tv, Vector128<double>.Zero).StoreUnsafe(ref rs, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            double v = x[i] - t;
            result[i] = v > 0.0 ? v : 0.0;
        }
    }

    /// <summary>result ← x − y element-wise (the building block of the difference operators); <paramref name="result"/> may alias either input exactly.</summary>
    public static void Subtract(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result) => TensorPrimitives.Subtract(x, y, result);

    /// <summary>result ← x + y element-wise; <paramref name="result"/> may alias either input exactly.</summary>
    public static void Add(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result) => TensorPrimitives.Add(x, y, result);
}
