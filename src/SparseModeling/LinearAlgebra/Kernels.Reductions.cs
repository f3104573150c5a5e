// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <remarks>
/// The reductions that run once per column inside the solvers (Σxᵢyᵢ, Σxᵢ, Σxᵢ², Σ|xᵢ|) are our own
/// rather than <c>TensorPrimitives</c>: they are compiled fully optimised on first call
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>), whereas the package's IL starts in
/// tier 0 and runs several times slower for the first ~100 ms — the whole of a typical fit.
/// Four independent accumulators hide the FMA latency.
/// </remarks>
internal static partial class Kernels
{
    /// <summary>xᵀy.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => Reduce<DotStep>(x, y);

    /// <summary>Σ xᵢ.</summary>
    public static double Sum(ReadOnlySpan<double> x) => Reduce<SumStep>(x, x);

    /// <summary>‖x‖₂².</summary>
    public static double SquaredNorm(ReadOnlySpan<double> x) => Reduce<SquareStep>(x, x);

    /// <summary>‖x‖₁.</summary>
    public static double Asum(ReadOnlySpan<double> x) => Reduce<AbsStep>(x, x);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Reduce<TStep>(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
        where TStep : struct, IReductionStep
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The spans have {x.Length} and {y.Length} entries; they must agree.", nameof(y));
        }

        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double ys = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        int i = 0;
        double sum = 0.0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            var a0 = Vector512<double>.Zero;
            var a1 = Vector512<double>.Zero;
            var a2 = Vector512<double>.Zero;
            var a3 = Vector512<double>.Zero;
            for (; i <= n - 32; i += 32)
            {
                a0 = TStep.Step(a0, Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i));
                a1 = TStep.Step(a1, Vector512.LoadUnsafe(ref xs, (nuint)(i + 8)), Vector512.LoadUnsafe(ref ys, (nuint)(i + 8)));
                a2 = TStep.Step(a2, Vector512.LoadUnsafe(ref xs, (nuint)(i + 16)), Vector512.LoadUnsafe(ref ys, (nuint)(i + 16)));
                a3 = TStep.Step(a3, Vector512.LoadUnsafe(ref xs, (nuint)(i + 24)), Vector512.LoadUnsafe(ref ys, (nuint)(i + 24)));
            }

            for (; i <= n - 8; i += 8)
            {
                a0 = TStep.Step(a0, Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i));
            }

            sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            var a0 = Vector256<double>.Zero;
            var a1 = Vector256<double>.Zero;
            var a2 = Vector256<double>.Zero;
            var a3 = Vector256<double>.Zero;
            for (; i <= n - 16; i += 16)
            {
                a0 = TStep.Step(a0, Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i));
                a1 = TStep.Step(a1, Vector256.LoadUnsafe(ref xs, (nuint)(i + 4)), Vector256.LoadUnsafe(ref ys, (nuint)(i + 4)));
                a2 = TStep.Step(a2, Vector256.LoadUnsafe(ref xs, (nuint)(i + 8)), Vector256.LoadUnsafe(ref ys, (nuint)(i + 8)));
                a3 = TStep.Step(a3, Vector256.LoadUnsafe(ref xs, (nuint)(i + 12)), Vector256.LoadUnsafe(ref ys, (nuint)(i + 12)));
            }

            for (; i <= n - 4; i += 4)
            {
                a0 = TStep.Step(a0, Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i));
            }

            sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        }

        for (; i < n; i++)
        {
            sum = TStep.Step(sum, Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
        }

        return sum;
    }

    private interface IReductionStep
    {
        static abstract Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y);

        static abstract Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y);

        static abstract double Step(double acc, double x, double y);
    }

    private readonly struct DotStep : IReductionStep
    {
        public static Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y) => Vector512.FusedMultiplyAdd(x, y, acc);

        public static Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y) => Vector256.FusedMultiplyAdd(x, y, acc);

        public static double Step(double acc, double x, double y) => Math.FusedMultiplyAdd(x, y, acc);
    }

    private readonly struct SumStep : IReductionStep
    {
        public static Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y) => acc + x;

        public static Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y) => acc + x;

        public static double Step(double acc, double x, double y) => acc + x;
    }

    private readonly struct SquareStep : IReductionStep
    {
        public static Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y) => Vector512.FusedMultiplyAdd(x, x, acc);

        public static Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y) => Vector256.FusedMultiplyAdd(x, x, acc);

        public static double Step(double acc, double x, double y) => Math.FusedMultiplyAdd(x, x, acc);
    }

    private readonly struct AbsStep : IReductionStep
    {
        public static Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y) => acc + Vector512.Abs(x);

        public static Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y) => acc + Vector256.Abs(x);

        public static double Step(double acc, double x, double y) => acc + Math.Abs(x);
    }
}
