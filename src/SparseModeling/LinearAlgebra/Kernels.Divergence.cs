// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <remarks>
/// Element-wise passes of the β-divergence multiplicative updates (Févotte and Idier, Neural
/// Comput. 2011), each fused into one sweep over memory: p holds the model W·H on entry, and exact
/// zeros of it are replaced by scikit-learn's floor.
/// </remarks>
internal static partial class Kernels
{
    /// <summary>
    /// p[i] ← x[i] / p̃[i], where p̃ = p with exact zeros replaced by <paramref name="floor"/>: the
    /// Kullback–Leibler ratio X / (WH) of the multiplicative update, in place.
    /// </summary>
    public static void DivideFloored(ReadOnlySpan<double> x, Span<double> p, double floor) => Map(x, p, p, new DivideFlooredOperator(floor));

    /// <summary>
    /// With r = 1 / p̃ (p̃ = p with exact zeros replaced by <paramref name="floor"/>): q[i] ← r and
    /// p[i] ← r²·x[i]. These are (WH)^(β−1) and X·(WH)^(β−2) for the Itakura–Saito divergence (β = 0),
    /// the denominator and numerator terms of its multiplicative update, in one pass.
    /// </summary>
    public static void ItakuraSaitoTerms(ReadOnlySpan<double> x, Span<double> p, Span<double> q, double floor) => Map2(x, p, p, q, new ItakuraSaitoOperator(floor));

    /// <summary>x / (y, or the floor where y is exactly 0).</summary>
    private readonly struct DivideFlooredOperator(double floor) : IBinaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x, Vector512<double> y) =>
            x / Vector512.ConditionalSelect(Vector512.Equals(y, Vector512<double>.Zero), Vector512.Create(floor), y);

        public Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) =>
            x / Vector256.ConditionalSelect(Vector256.Equals(y, Vector256<double>.Zero), Vector256.Create(floor), y);

        public Vector128<double> Invoke(Vector128<double> x, Vector128<double> y) =>
            x / Vector128.ConditionalSelect(Vector128.Equals(y, Vector128<double>.Zero), Vector128.Create(floor), y);

        public double Invoke(double x, double y) => x / (y == 0.0 ? floor : y);
    }

    /// <summary>s = 1 / ỹ, r = s²·x, with ỹ = y or the floor where y is exactly 0.</summary>
    private readonly struct ItakuraSaitoOperator(double floor) : IBinaryPairOperator
    {
        public void Invoke(Vector512<double> x, Vector512<double> y, out Vector512<double> r, out Vector512<double> s)
        {
            s = Vector512<double>.One / Vector512.ConditionalSelect(Vector512.Equals(y, Vector512<double>.Zero), Vector512.Create(floor), y);
            r = s * s * x;
        }

        public void Invoke(Vector256<double> x, Vector256<double> y, out Vector256<double> r, out Vector256<double> s)
        {
            s = Vector256<double>.One / Vector256.ConditionalSelect(Vector256.Equals(y, Vector256<double>.Zero), Vector256.Create(floor), y);
            r = s * s * x;
        }

        public void Invoke(Vector128<double> x, Vector128<double> y, out Vector128<double> r, out Vector128<double> s)
        {
            s = Vector128<double>.One / Vector128.ConditionalSelect(Vector128.Equals(y, Vector128<double>.Zero), Vector128.Create(floor), y);
            r = s * s * x;
        }

        public void Invoke(double x, double y, out double r, out double s)
        {
            s = 1.0 / (y == 0.0 ? floor : y);
            r = s * s * x;
        }
    }
}
