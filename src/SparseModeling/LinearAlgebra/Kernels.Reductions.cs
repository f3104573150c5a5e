// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
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
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => Reduce(x, y, default(DotStep));

    /// <summary>Σ xᵢ.</summary>
    public static double Sum(ReadOnlySpan<double> x) => Reduce(x, x, default(SumStep));

    /// <summary>‖x‖₂².</summary>
    public static double SquaredNorm(ReadOnlySpan<double> x) => Reduce(x, x, default(SquareStep));

    /// <summary>‖x‖₁.</summary>
    public static double Asum(ReadOnlySpan<double> x) => Reduce(x, x, default(AbsStep));

    private readonly struct DotStep : IReductionOperator
    {
        public Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y) => MultiplyAdd(x, y, acc);

        public Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y) => MultiplyAdd(x, y, acc);

        public Vector128<double> Step(Vector128<double> acc, Vector128<double> x, Vector128<double> y) => MultiplyAdd(x, y, acc);

        public double Step(double acc, double x, double y) => MultiplyAdd(x, y, acc);
    }

    private readonly struct SumStep : IReductionOperator
    {
        public Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y) => acc + x;

        public Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y) => acc + x;

        public Vector128<double> Step(Vector128<double> acc, Vector128<double> x, Vector128<double> y) => acc + x;

        public double Step(double acc, double x, double y) => acc + x;
    }

    private readonly struct SquareStep : IReductionOperator
    {
        public Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y) => MultiplyAdd(x, x, acc);

        public Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y) => MultiplyAdd(x, x, acc);

        public Vector128<double> Step(Vector128<double> acc, Vector128<double> x, Vector128<double> y) => MultiplyAdd(x, x, acc);

        public double Step(double acc, double x, double y) => MultiplyAdd(x, x, acc);
    }

    private readonly struct AbsStep : IReductionOperator
    {
        public Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y) => acc + Vector512.Abs(x);

        public Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y) => acc + Vector256.Abs(x);

        public Vector128<double> Step(Vector128<double> acc, Vector128<double> x, Vector128<double> y) => acc + Vector128.Abs(x);

        public double Step(double acc, double x, double y) => acc + Math.Abs(x);
    }
}
