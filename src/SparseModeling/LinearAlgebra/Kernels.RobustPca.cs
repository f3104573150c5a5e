// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <remarks>
/// The element-wise steps of principal component pursuit by the inexact augmented Lagrangian method
/// (<c>Decomposition/RobustPcaSolver</c>): each is one pass over the m×n iterates where Level-1 kernels would take
/// two to four.
/// </remarks>
internal static partial class Kernels
{
    /// <summary>
    /// The sparse step: s ← S(m − l + c·y, t) element-wise (S the soft threshold), returning Σ|sᵢ|. The inputs are
    /// read, not written; <paramref name="s"/> may not alias them.
    /// </summary>
    public static double SparseStep(ReadOnlySpan<double> m, ReadOnlySpan<double> l, ReadOnlySpan<double> y, double c, double t, Span<double> s) =>
        MapReduce(m, l, y, s, new SparseStepOperator(c, t));

    /// <summary>The input of the singular value threshold: a ← m − s + c·y element-wise; <paramref name="a"/> may not alias the inputs.</summary>
    public static void ShiftedDifference(ReadOnlySpan<double> m, ReadOnlySpan<double> s, ReadOnlySpan<double> y, double c, Span<double> a) =>
        MapReduce(m, s, y, a, new ShiftedDifferenceOperator(c));

    /// <summary>The constraint residual: z ← m − l − s element-wise; <paramref name="z"/> may not alias the inputs.</summary>
    public static void Residual(ReadOnlySpan<double> m, ReadOnlySpan<double> l, ReadOnlySpan<double> s, Span<double> z) =>
        MapReduce(m, l, s, z, default(ResidualOperator));

    /// <summary>r = S(x − y + c·z, t), accumulating |r| (partial sums are non-negative, so the loop's final combination of accumulators adds them).</summary>
    private readonly struct SparseStepOperator(double c, double t) : IMapReduceOperator
    {
        public double Seed => 0.0;

        public Vector512<double> Map(Vector512<double> x, Vector512<double> y, Vector512<double> z)
        {
            var v = MultiplyAdd(Vector512.Create(c), z, x - y);
            var tv = Vector512.Create(t);
            return Vector512.Max(v - tv, Vector512<double>.Zero) + Vector512.Min(v + tv, Vector512<double>.Zero);
        }

        public Vector256<double> Map(Vector256<double> x, Vector256<double> y, Vector256<double> z)
        {
            var v = MultiplyAdd(Vector256.Create(c), z, x - y);
            var tv = Vector256.Create(t);
            return Vector256.Max(v - tv, Vector256<double>.Zero) + Vector256.Min(v + tv, Vector256<double>.Zero);
        }

        public Vector128<double> Map(Vector128<double> x, Vector128<double> y, Vector128<double> z)
        {
            var v = MultiplyAdd(Vector128.Create(c), z, x - y);
            var tv = Vector128.Create(t);
            return Vector128.Max(v - tv, Vector128<double>.Zero) + Vector128.Min(v + tv, Vector128<double>.Zero);
        }

        public double Map(double x, double y, double z) => SoftThreshold(MultiplyAdd(c, z, x - y), t);

        public Vector512<double> Accumulate(Vector512<double> acc, Vector512<double> r, Vector512<double> z) => acc + Vector512.Abs(r);

        public Vector256<double> Accumulate(Vector256<double> acc, Vector256<double> r, Vector256<double> z) => acc + Vector256.Abs(r);

        public Vector128<double> Accumulate(Vector128<double> acc, Vector128<double> r, Vector128<double> z) => acc + Vector128.Abs(r);

        public double Accumulate(double acc, double r, double z) => acc + Math.Abs(r);

        public double Finish(Vector512<double> acc) => Vector512.Sum(acc);

        public double Finish(Vector256<double> acc) => Vector256.Sum(acc);

        public double Finish(Vector128<double> acc) => Vector128.Sum(acc);
    }

    /// <summary>r = x − y + c·z; nothing accumulated.</summary>
    private readonly struct ShiftedDifferenceOperator(double c) : IMapReduceOperator
    {
        public double Seed => 0.0;

        public Vector512<double> Map(Vector512<double> x, Vector512<double> y, Vector512<double> z) => MultiplyAdd(Vector512.Create(c), z, x - y);

        public Vector256<double> Map(Vector256<double> x, Vector256<double> y, Vector256<double> z) => MultiplyAdd(Vector256.Create(c), z, x - y);

        public Vector128<double> Map(Vector128<double> x, Vector128<double> y, Vector128<double> z) => MultiplyAdd(Vector128.Create(c), z, x - y);

        public double Map(double x, double y, double z) => MultiplyAdd(c, z, x - y);

        public Vector512<double> Accumulate(Vector512<double> acc, Vector512<double> r, Vector512<double> z) => acc;

        public Vector256<double> Accumulate(Vector256<double> acc, Vector256<double> r, Vector256<double> z) => acc;

        public Vector128<double> Accumulate(Vector128<double> acc, Vector128<double> r, Vector128<double> z) => acc;

        public double Accumulate(double acc, double r, double z) => acc;

        public double Finish(Vector512<double> acc) => 0.0;

        public double Finish(Vector256<double> acc) => 0.0;

        public double Finish(Vector128<double> acc) => 0.0;
    }

    /// <summary>r = (x − y) − z; nothing accumulated.</summary>
    private readonly struct ResidualOperator : IMapReduceOperator
    {
        public double Seed => 0.0;

        public Vector512<double> Map(Vector512<double> x, Vector512<double> y, Vector512<double> z) => x - y - z;

        public Vector256<double> Map(Vector256<double> x, Vector256<double> y, Vector256<double> z) => x - y - z;

        public Vector128<double> Map(Vector128<double> x, Vector128<double> y, Vector128<double> z) => x - y - z;

        public double Map(double x, double y, double z) => x - y - z;

        public Vector512<double> Accumulate(Vector512<double> acc, Vector512<double> r, Vector512<double> z) => acc;

        public Vector256<double> Accumulate(Vector256<double> acc, Vector256<double> r, Vector256<double> z) => acc;

        public Vector128<double> Accumulate(Vector128<double> acc, Vector128<double> r, Vector128<double> z) => acc;

        public double Accumulate(double acc, double r, double z) => acc;

        public double Finish(Vector512<double> acc) => 0.0;

        public double Finish(Vector256<double> acc) => 0.0;

        public double Finish(Vector128<double> acc) => 0.0;
    }
}
