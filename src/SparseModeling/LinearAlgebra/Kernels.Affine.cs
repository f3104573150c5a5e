// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>Per-feature affine maps of the scalers (standardisation and its inverse), rounded as scikit-learn's two array steps.</summary>
internal static partial class Kernels
{
    /// <summary>result[i] ← (x[i] − shift) / divisor: a subtraction, then a true division (not a product with 1/divisor), as NumPy's <c>X -= mean; X /= scale</c>; <paramref name="result"/> may be <paramref name="x"/>.</summary>
    public static void ShiftDivide(ReadOnlySpan<double> x, double shift, double divisor, Span<double> result) => Map(x, result, new ShiftDivideOperator(shift, divisor));

    /// <summary>result[i] ← x[i]·scale + shift with two roundings (never fused), as NumPy's <c>X *= scale; X += mean</c>; <paramref name="result"/> may be <paramref name="x"/>.</summary>
    public static void ScaleShift(ReadOnlySpan<double> x, double scale, double shift, Span<double> result) => Map(x, result, new ScaleShiftOperator(scale, shift));

    /// <summary>(x − shift) / divisor.</summary>
    private readonly struct ShiftDivideOperator(double shift, double divisor) : IUnaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x) => (x - Vector512.Create(shift)) / Vector512.Create(divisor);

        public Vector256<double> Invoke(Vector256<double> x) => (x - Vector256.Create(shift)) / Vector256.Create(divisor);

        public Vector128<double> Invoke(Vector128<double> x) => (x - Vector128.Create(shift)) / Vector128.Create(divisor);

        public double Invoke(double x) => (x - shift) / divisor;
    }

    /// <summary>x·scale + shift, two roundings.</summary>
    private readonly struct ScaleShiftOperator(double scale, double shift) : IUnaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x) => (x * Vector512.Create(scale)) + Vector512.Create(shift);

        public Vector256<double> Invoke(Vector256<double> x) => (x * Vector256.Create(scale)) + Vector256.Create(shift);

        public Vector128<double> Invoke(Vector128<double> x) => (x * Vector128.Create(scale)) + Vector128.Create(shift);

        public double Invoke(double x) => (x * scale) + shift;
    }
}
