// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <remarks>The fused updates of coordinate descent: one pass over memory where BLAS would take two.</remarks>
internal static partial class Kernels
{
    /// <summary>
    /// The fused residual update of coordinate descent: y ← y − a·x, returning zᵀy of the updated y,
    /// in one pass over memory (x is the column just updated, z the next column to visit).
    /// </summary>
    public static double AxpyDot(double a, ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> z) =>
        AxpyShiftDot(-a, x, 0.0, y, z);

    /// <summary>y ← y + a·x + c (every entry), in one pass: the residual update for an implicitly centred column (c = −a·mean).</summary>
    public static void AxpyShift(double a, ReadOnlySpan<double> x, double c, Span<double> y) => Map(x, y, y, new AxpyShiftOperator(a, c));

    /// <summary>
    /// y ← y + a·x + c, returning zᵀy of the updated y, in one pass over memory: the residual update
    /// of coordinate descent for the column x just changed (c = −a·mean for an implicitly centred
    /// column, 0 otherwise) fused with the correlation of the next column z.
    /// </summary>
    public static double AxpyShiftDot(double a, ReadOnlySpan<double> x, double c, Span<double> y, ReadOnlySpan<double> z) =>
        MapReduce(x, y, z, y, new AxpyShiftDotOperator(a, c));

    /// <summary>Σ (xᵢ − c)²: the squared norm of a column centred at c, without forming it.</summary>
    public static double SquaredDistanceFrom(ReadOnlySpan<double> x, double c) => Reduce(x, x, new SquaredDistanceStep(c));

    /// <summary>a·x + (y + c).</summary>
    private readonly struct AxpyShiftOperator(double a, double c) : IBinaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x, Vector512<double> y) => MultiplyAdd(Vector512.Create(a), x, y + Vector512.Create(c));

        public Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) => MultiplyAdd(Vector256.Create(a), x, y + Vector256.Create(c));

        public Vector128<double> Invoke(Vector128<double> x, Vector128<double> y) => MultiplyAdd(Vector128.Create(a), x, y + Vector128.Create(c));

        public double Invoke(double x, double y) => MultiplyAdd(a, x, y + c);
    }

    /// <summary>r = a·x + (y + c), accumulating r·z.</summary>
    private readonly struct AxpyShiftDotOperator(double a, double c) : IMapReduceOperator
    {
        public double Seed => 0.0;

        public Vector512<double> Map(Vector512<double> x, Vector512<double> y, Vector512<double> z) => MultiplyAdd(Vector512.Create(a), x, y + Vector512.Create(c));

        public Vector256<double> Map(Vector256<double> x, Vector256<double> y, Vector256<double> z) => MultiplyAdd(Vector256.Create(a), x, y + Vector256.Create(c));

        public Vector128<double> Map(Vector128<double> x, Vector128<double> y, Vector128<double> z) => MultiplyAdd(Vector128.Create(a), x, y + Vector128.Create(c));

        public double Map(double x, double y, double z) => MultiplyAdd(a, x, y + c);

        public Vector512<double> Accumulate(Vector512<double> acc, Vector512<double> r, Vector512<double> z) => MultiplyAdd(r, z, acc);

        public Vector256<double> Accumulate(Vector256<double> acc, Vector256<double> r, Vector256<double> z) => MultiplyAdd(r, z, acc);

        public Vector128<double> Accumulate(Vector128<double> acc, Vector128<double> r, Vector128<double> z) => MultiplyAdd(r, z, acc);

        public double Accumulate(double acc, double r, double z) => MultiplyAdd(r, z, acc);

        public double Finish(Vector512<double> acc) => Vector512.Sum(acc);

        public double Finish(Vector256<double> acc) => Vector256.Sum(acc);

        public double Finish(Vector128<double> acc) => Vector128.Sum(acc);
    }

    /// <summary>acc + (x − c)².</summary>
    private readonly struct SquaredDistanceStep(double c) : IReductionOperator
    {
        public Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y)
        {
            var d = x - Vector512.Create(c);
            return MultiplyAdd(d, d, acc);
        }

        public Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y)
        {
            var d = x - Vector256.Create(c);
            return MultiplyAdd(d, d, acc);
        }

        public Vector128<double> Step(Vector128<double> acc, Vector128<double> x, Vector128<double> y)
        {
            var d = x - Vector128.Create(c);
            return MultiplyAdd(d, d, acc);
        }

        public double Step(double acc, double x, double y)
        {
            double d = x - c;
            return MultiplyAdd(d, d, acc);
        }
    }
}
