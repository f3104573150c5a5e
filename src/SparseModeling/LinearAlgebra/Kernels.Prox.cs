// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <remarks>The element-wise kernels behind the proximal operators of the optimisation cores.</remarks>
internal static partial class Kernels
{
    /// <summary>The soft-thresholding operator S(x, t) = sign(x)·max(|x| − t, 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SoftThreshold(double x, double t) =>
        x > t ? x - t : x < -t ? x + t : 0.0;

    /// <summary>result ← S(x, t) element-wise; <paramref name="result"/> may be <paramref name="x"/> itself.</summary>
    public static void SoftThreshold(ReadOnlySpan<double> x, double t, Span<double> result) => Map(x, result, new SoftThresholdOperator(t));

    /// <summary>
    /// result ← max(x − t, 0) element-wise: the proximal operator of t·‖z‖₁ restricted to z ≥ 0 (the
    /// projection onto the non-negative orthant when t = 0); <paramref name="result"/> may be
    /// <paramref name="x"/> itself.
    /// </summary>
    public static void NonNegativeSoftThreshold(ReadOnlySpan<double> x, double t, Span<double> result) => Map(x, result, new NonNegativeSoftThresholdOperator(t));

    /// <summary>result ← x − y element-wise (the building block of the difference operators); <paramref name="result"/> may alias either input exactly.</summary>
    public static void Subtract(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result) => Map(x, y, result, default(SubtractOperator));

    /// <summary>result ← x + y element-wise; <paramref name="result"/> may alias either input exactly.</summary>
    public static void Add(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result) => Map(x, y, result, default(AddOperator));

    /// <summary>result ← x ∘ y element-wise (a diagonal matrix times a vector); <paramref name="result"/> may alias either input exactly.</summary>
    public static void Multiply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result) => Map(x, y, result, default(MultiplyOperator));

    /// <summary>x·y.</summary>
    private readonly struct MultiplyOperator : IBinaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x, Vector512<double> y) => x * y;

        public Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) => x * y;

        public Vector128<double> Invoke(Vector128<double> x, Vector128<double> y) => x * y;

        public double Invoke(double x, double y) => x * y;
    }

    /// <summary>x − y.</summary>
    private readonly struct SubtractOperator : IBinaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x, Vector512<double> y) => x - y;

        public Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) => x - y;

        public Vector128<double> Invoke(Vector128<double> x, Vector128<double> y) => x - y;

        public double Invoke(double x, double y) => x - y;
    }

    /// <summary>x + y.</summary>
    private readonly struct AddOperator : IBinaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x, Vector512<double> y) => x + y;

        public Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) => x + y;

        public Vector128<double> Invoke(Vector128<double> x, Vector128<double> y) => x + y;

        public double Invoke(double x, double y) => x + y;
    }

    /// <summary>S(x, t) as max(x − t, 0) + min(x + t, 0): exactly one of the two is non-zero when t ≥ 0.</summary>
    private readonly struct SoftThresholdOperator(double t) : IUnaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x)
        {
            var tv = Vector512.Create(t);
            return Vector512.Max(x - tv, Vector512<double>.Zero) + Vector512.Min(x + tv, Vector512<double>.Zero);
        }

        public Vector256<double> Invoke(Vector256<double> x)
        {
            var tv = Vector256.Create(t);
            return Vector256.Max(x - tv, Vector256<double>.Zero) + Vector256.Min(x + tv, Vector256<double>.Zero);
        }

        public Vector128<double> Invoke(Vector128<double> x)
        {
            var tv = Vector128.Create(t);
            return Vector128.Max(x - tv, Vector128<double>.Zero) + Vector128.Min(x + tv, Vector128<double>.Zero);
        }

        public double Invoke(double x) => SoftThreshold(x, t);
    }

    /// <summary>max(x − t, 0).</summary>
    private readonly struct NonNegativeSoftThresholdOperator(double t) : IUnaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x) => Vector512.Max(x - Vector512.Create(t), Vector512<double>.Zero);

        public Vector256<double> Invoke(Vector256<double> x) => Vector256.Max(x - Vector256.Create(t), Vector256<double>.Zero);

        public Vector128<double> Invoke(Vector128<double> x) => Vector128.Max(x - Vector128.Create(t), Vector128<double>.Zero);

        public double Invoke(double x)
        {
            double v = x - t;
            return v > 0.0 ? v : 0.0;
        }
    }
}
