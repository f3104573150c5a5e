// SPDX-License-Identifier: BSD-3-Clause
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Span-based vector kernels (BLAS level 1 and the fused updates the solvers need). Where
/// <see cref="TensorPrimitives"/> already does the job at full SIMD width it is called; the fused
/// kernels are written here with <see cref="Vector512"/>/<see cref="Vector256"/> and a scalar tail.
/// Kernels never allocate; callers check lengths once, kernels only assert them.
/// </summary>
internal static partial class Kernels
{
    /// <summary>y ← a·x + y.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        if (a != 0.0)
        {
            AxpyShift(a, x, 0.0, y);
        }
    }

    /// <summary>x ← a·x.</summary>
    public static void Scal(double a, Span<double> x) => TensorPrimitives.Multiply(x, a, x);

    /// <summary>‖x‖₂ (no rescaling against overflow: entries beyond ~1e154 overflow).</summary>
    public static double Nrm2(ReadOnlySpan<double> x) => x.IsEmpty ? 0.0 : TensorPrimitives.Norm(x);

    /// <summary>max |xᵢ| (0 for an empty span; NaN if any entry is NaN).</summary>
    public static double MaxAbs(ReadOnlySpan<double> x) => x.IsEmpty ? 0.0 : Math.Abs(TensorPrimitives.MaxMagnitude(x));

    /// <summary>‖x − y‖₂.</summary>
    public static double Distance(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => x.IsEmpty ? 0.0 : TensorPrimitives.Distance(x, y);

    /// <summary>x ← x + a (every entry).</summary>
    public static void AddScalar(double a, Span<double> x) => TensorPrimitives.Add(x, a, x);

    /// <summary>
    /// <see cref="IndexOfNonFinite"/> over a large array, scanned in one block per core; the first
    /// offending index overall is returned, as the serial scan would.
    /// </summary>
    public static int IndexOfNonFiniteParallel(double[] x)
    {
        const int ParallelThreshold = 1 << 18;
        if (x.Length < ParallelThreshold || Environment.ProcessorCount < 2)
        {
            return IndexOfNonFinite(x);
        }

        int blocks = Environment.ProcessorCount;
        var found = new int[blocks];
        Parallel.For(0, blocks, block =>
        {
            int start = (int)((long)x.Length * block / blocks);
            int end = (int)((long)x.Length * (block + 1) / blocks);
            int at = IndexOfNonFinite(x.AsSpan(start, end - start));
            found[block] = at < 0 ? -1 : start + at;
        });
        foreach (int at in found)
        {
            if (at >= 0)
            {
                return at;
            }
        }

        return -1;
    }

    /// <summary>The index of the first NaN or ±∞ entry, or −1 when every entry is finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int IndexOfNonFinite(ReadOnlySpan<double> x)
    {
        ref double start = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var v = Vector512.LoadUnsafe(ref start, (nuint)i);
                // v − v is 0 for finite v and NaN for NaN and ±∞.
                if (!Vector512.EqualsAll(v - v, Vector512<double>.Zero))
                {
                    break;
                }
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                if (!Vector256.EqualsAll(v - v, Vector256<double>.Zero))
                {
                    break;
                }
            }
        }

        for (; i < n; i++)
        {
            if (!double.IsFinite(x[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
