// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

internal static partial class Kernels
{
    /// <summary>The soft-thresholding operator S(x, t) = sign(x)·max(|x| − t, 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SoftThreshold(double x, double t) =>
        x > t ? x - t : x < -t ? x + t : 0.0;

    /// <summary>result ← S(x, t) element-wise; <paramref name="result"/> may be <paramref name="x"/> itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SoftThreshold(ReadOnlySpan<double> x, double t, Span<double> result)
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
                var v = Vector512.LoadUnsafe(ref xs, (nuint)i);
                // max(v − t, 0) + min(v + t, 0): exactly one of the two is non-zero when t ≥ 0.
                var r = Vector512.Max(v - tv, Vector512<double>.Zero) + Vector512.Min(v + tv, Vector512<double>.Zero);
                r.StoreUnsafe(ref rs, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var tv = Vector256.Create(t);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xs, (nuint)i);
                var r = Vector256.Max(v - tv, Vector256<double>.Zero) + Vector256.Min(v + tv, Vector256<double>.Zero);
                r.StoreUnsafe(ref rs, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            result[i] = SoftThreshold(x[i], t);
        }
    }

    /// <summary>
    /// The fused residual update of coordinate descent: y ← y − a·x, returning zᵀy of the updated y,
    /// in one pass over memory (x is the column just updated, z the next column to visit).
    /// </summary>
    public static double AxpyDot(double a, ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> z) =>
        AxpyShiftDot(-a, x, 0.0, y, z);

    /// <summary>y ← y + a·x + c (every entry), in one pass: the residual update for an implicitly centred column (c = −a·mean).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AxpyShift(double a, ReadOnlySpan<double> x, double c, Span<double> y)
    {
        Debug.Assert(x.Length == y.Length);
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double ys = ref MemoryMarshal.GetReference(y);
        int n = y.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var av = Vector512.Create(a);
            var cv = Vector512.Create(c);
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var v = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i) + cv);
                v.StoreUnsafe(ref ys, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var av = Vector256.Create(a);
            var cv = Vector256.Create(c);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i) + cv);
                v.StoreUnsafe(ref ys, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            y[i] = Math.FusedMultiplyAdd(a, x[i], y[i] + c);
        }
    }

    /// <summary>
    /// y ← y + a·x + c, returning zᵀy of the updated y, in one pass over memory: the residual update
    /// of coordinate descent for the column x just changed (c = −a·mean for an implicitly centred
    /// column, 0 otherwise) fused with the correlation of the next column z.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double AxpyShiftDot(double a, ReadOnlySpan<double> x, double c, Span<double> y, ReadOnlySpan<double> z)
    {
        Debug.Assert(x.Length == y.Length && z.Length == y.Length);
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double ys = ref MemoryMarshal.GetReference(y);
        ref double zs = ref MemoryMarshal.GetReference(z);
        int n = y.Length;
        int i = 0;
        double sum = 0.0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            var av = Vector512.Create(a);
            var cv = Vector512.Create(c);
            var acc0 = Vector512<double>.Zero;
            var acc1 = Vector512<double>.Zero;
            for (; i <= n - (2 * Vector512<double>.Count); i += 2 * Vector512<double>.Count)
            {
                var y0 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i) + cv);
                var y1 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref xs, (nuint)(i + 8)), Vector512.LoadUnsafe(ref ys, (nuint)(i + 8)) + cv);
                y0.StoreUnsafe(ref ys, (nuint)i);
                y1.StoreUnsafe(ref ys, (nuint)(i + 8));
                acc0 = Vector512.FusedMultiplyAdd(y0, Vector512.LoadUnsafe(ref zs, (nuint)i), acc0);
                acc1 = Vector512.FusedMultiplyAdd(y1, Vector512.LoadUnsafe(ref zs, (nuint)(i + 8)), acc1);
            }

            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var y0 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i) + cv);
                y0.StoreUnsafe(ref ys, (nuint)i);
                acc0 = Vector512.FusedMultiplyAdd(y0, Vector512.LoadUnsafe(ref zs, (nuint)i), acc0);
            }

            sum = Vector512.Sum(acc0 + acc1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            var av = Vector256.Create(a);
            var cv = Vector256.Create(c);
            var acc0 = Vector256<double>.Zero;
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var y0 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i) + cv);
                y0.StoreUnsafe(ref ys, (nuint)i);
                acc0 = Vector256.FusedMultiplyAdd(y0, Vector256.LoadUnsafe(ref zs, (nuint)i), acc0);
            }

            sum = Vector256.Sum(acc0);
        }

        for (; i < n; i++)
        {
            double v = Math.FusedMultiplyAdd(a, x[i], y[i] + c);
            y[i] = v;
            sum = Math.FusedMultiplyAdd(v, z[i], sum);
        }

        return sum;
    }

    /// <summary>Σ (xᵢ − c)²: the squared norm of a column centred at c, without forming it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredDistanceFrom(ReadOnlySpan<double> x, double c)
    {
        ref double xs = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        int i = 0;
        double sum = 0.0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            var cv = Vector512.Create(c);
            var acc = Vector512<double>.Zero;
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var d = Vector512.LoadUnsafe(ref xs, (nuint)i) - cv;
                acc = Vector512.FusedMultiplyAdd(d, d, acc);
            }

            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            var cv = Vector256.Create(c);
            var acc = Vector256<double>.Zero;
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var d = Vector256.LoadUnsafe(ref xs, (nuint)i) - cv;
                acc = Vector256.FusedMultiplyAdd(d, d, acc);
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            double d = x[i] - c;
            sum = Math.FusedMultiplyAdd(d, d, sum);
        }

        return sum;
    }
}
