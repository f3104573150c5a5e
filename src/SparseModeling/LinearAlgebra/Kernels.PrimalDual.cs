// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <remarks>
/// The element-wise steps of the preconditioned primal–dual method (Pock and Chambolle 2011) for L1 terms: a
/// dual ascent step projected onto the box [−1, 1] (the prox of the conjugate of ‖·‖₁), and the primal step
/// fused with its extrapolation, each one pass over memory.
/// </remarks>
internal static partial class Kernels
{
    /// <summary>y ← clamp(y + a·x, −1, 1) element-wise: a dual step of an L1 term, projected onto its unit ball.</summary>
    public static void ClippedAxpy(double a, ReadOnlySpan<double> x, Span<double> y) => Map(x, y, y, new ClippedAxpyOperator(a));

    /// <summary>
    /// u ← u − τ·t and ū ← u − 2τ·t (the new iterate and its extrapolation 2·u_new − u_old) in one pass, with the old u
    /// read once; <paramref name="u"/> is updated in place.
    /// </summary>
    public static void PrimalStep(double tau, ReadOnlySpan<double> t, Span<double> u, Span<double> extrapolated) =>
        Map2(t, u, u, extrapolated, new PrimalStepOperator(tau));

    /// <summary>min(max(a·x + y, −1), 1).</summary>
    private readonly struct ClippedAxpyOperator(double a) : IBinaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x, Vector512<double> y) =>
            Vector512.Min(Vector512.Max(MultiplyAdd(Vector512.Create(a), x, y), Vector512.Create(-1.0)), Vector512<double>.One);

        public Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) =>
            Vector256.Min(Vector256.Max(MultiplyAdd(Vector256.Create(a), x, y), Vector256.Create(-1.0)), Vector256<double>.One);

        public Vector128<double> Invoke(Vector128<double> x, Vector128<double> y) =>
            Vector128.Min(Vector128.Max(MultiplyAdd(Vector128.Create(a), x, y), Vector128.Create(-1.0)), Vector128<double>.One);

        public double Invoke(double x, double y) => Math.Min(Math.Max(MultiplyAdd(a, x, y), -1.0), 1.0);
    }

    /// <summary>r = u − τt, s = u − 2τt (x = t, y = u).</summary>
    private readonly struct PrimalStepOperator(double tau) : IBinaryPairOperator
    {
        public void Invoke(Vector512<double> x, Vector512<double> y, out Vector512<double> r, out Vector512<double> s)
        {
            r = MultiplyAdd(Vector512.Create(-tau), x, y);
            s = MultiplyAdd(Vector512.Create(-2.0 * tau), x, y);
        }

        public void Invoke(Vector256<double> x, Vector256<double> y, out Vector256<double> r, out Vector256<double> s)
        {
            r = MultiplyAdd(Vector256.Create(-tau), x, y);
            s = MultiplyAdd(Vector256.Create(-2.0 * tau), x, y);
        }

        public void Invoke(Vector128<double> x, Vector128<double> y, out Vector128<double> r, out Vector128<double> s)
        {
            r = MultiplyAdd(Vector128.Create(-tau), x, y);
            s = MultiplyAdd(Vector128.Create(-2.0 * tau), x, y);
        }

        public void Invoke(double x, double y, out double r, out double s)
        {
            r = MultiplyAdd(-tau, x, y);
            s = MultiplyAdd(-2.0 * tau, x, y);
        }
    }
}
