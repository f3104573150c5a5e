// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <remarks>
/// The element-wise steps of the primal–dual method (Chambolle and Pock 2011, diagonally preconditioned as Pock and
/// Chambolle 2011) for L1 terms: a dual ascent step projected onto the box [−b, b] (the prox of the conjugate of b·‖·‖₁,
/// optionally of b·‖· + c‖₁), and the primal step fused with its extrapolation, with one step or one per entry; each one
/// pass over memory.
/// </remarks>
internal static partial class Kernels
{
    /// <summary>y ← clamp(y + a·x, −bound, bound) element-wise: a dual step of an L1 term, projected onto its ball.</summary>
    public static void ClippedAxpy(double a, ReadOnlySpan<double> x, Span<double> y, double bound) => Map(x, y, y, new ClippedAxpyOperator(a, bound));

    /// <summary>
    /// y ← clamp(y + a·(x + shift), −bound, bound) element-wise: the dual step of bound·‖z + shift‖₁ (its conjugate's prox
    /// at y + a·x).
    /// </summary>
    public static void ClippedAxpy(double a, ReadOnlySpan<double> x, ReadOnlySpan<double> shift, Span<double> y, double bound)
    {
        if (x.Length != y.Length || shift.Length != y.Length)
        {
            throw new ArgumentException($"x ({x.Length}), shift ({shift.Length}) and y ({y.Length}) differ in length.", nameof(x));
        }

        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double cs = ref MemoryMarshal.GetReference(shift);
        ref double ys = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated)
        {
            ShiftedClippedAxpy<Width512, Vector512<double>>(a, ref xs, ref cs, ref ys, y.Length, bound);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            ShiftedClippedAxpy<Width256, Vector256<double>>(a, ref xs, ref cs, ref ys, y.Length, bound);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            ShiftedClippedAxpy<Width128, Vector128<double>>(a, ref xs, ref cs, ref ys, y.Length, bound);
        }
        else
        {
            ShiftedClippedAxpy<ScalarWidth, double>(a, ref xs, ref cs, ref ys, y.Length, bound);
        }
    }

    /// <summary>
    /// u ← u − τ·t and ū ← u − 2τ·t (the new iterate and its extrapolation 2·u_new − u_old) in one pass, with the old u
    /// read once; <paramref name="u"/> is updated in place.
    /// </summary>
    public static void PrimalStep(double tau, ReadOnlySpan<double> t, Span<double> u, Span<double> extrapolated) =>
        Map2(t, u, u, extrapolated, new PrimalStepOperator(tau));

    /// <summary>
    /// u ← u − τ∘t and ū ← u − 2τ∘t with a step τ_j per entry (a diagonal preconditioner), in one pass;
    /// <paramref name="u"/> is updated in place.
    /// </summary>
    public static void PrimalStep(ReadOnlySpan<double> steps, ReadOnlySpan<double> t, Span<double> u, Span<double> extrapolated)
    {
        if (steps.Length != u.Length || t.Length != u.Length || extrapolated.Length != u.Length)
        {
            throw new ArgumentException($"steps ({steps.Length}), t ({t.Length}), u ({u.Length}) and the extrapolation ({extrapolated.Length}) differ in length.", nameof(steps));
        }

        ref double ss = ref MemoryMarshal.GetReference(steps);
        ref double ts = ref MemoryMarshal.GetReference(t);
        ref double us = ref MemoryMarshal.GetReference(u);
        ref double es = ref MemoryMarshal.GetReference(extrapolated);
        if (Vector512.IsHardwareAccelerated)
        {
            DiagonalPrimalStep<Width512, Vector512<double>>(ref ss, ref ts, ref us, ref es, u.Length);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            DiagonalPrimalStep<Width256, Vector256<double>>(ref ss, ref ts, ref us, ref es, u.Length);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            DiagonalPrimalStep<Width128, Vector128<double>>(ref ss, ref ts, ref us, ref es, u.Length);
        }
        else
        {
            DiagonalPrimalStep<ScalarWidth, double>(ref ss, ref ts, ref us, ref es, u.Length);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShiftedClippedAxpy<TWidth, TVector>(double a, ref double x, ref double shift, ref double y, int n, double bound)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        var av = TWidth.Broadcast(a);
        var upper = TWidth.Broadcast(bound);
        var lower = TWidth.Broadcast(-bound);
        int i = 0;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            var sum = TWidth.Add(TWidth.Load(ref x, (nuint)i), TWidth.Load(ref shift, (nuint)i));
            var v = TWidth.MultiplyAdd(av, sum, TWidth.Load(ref y, (nuint)i));
            TWidth.Store(TWidth.Min(TWidth.Max(v, lower), upper), ref y, (nuint)i);
        }

        for (; i < n; i++)
        {
            double v = MultiplyAdd(a, Unsafe.Add(ref x, i) + Unsafe.Add(ref shift, i), Unsafe.Add(ref y, i));
            Unsafe.Add(ref y, i) = Math.Min(Math.Max(v, -bound), bound);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DiagonalPrimalStep<TWidth, TVector>(ref double steps, ref double t, ref double u, ref double extrapolated, int n)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        int i = 0;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            var step = TWidth.Multiply(TWidth.Load(ref steps, (nuint)i), TWidth.Load(ref t, (nuint)i));
            var old = TWidth.Load(ref u, (nuint)i);
            var updated = TWidth.Subtract(old, step);
            TWidth.Store(updated, ref u, (nuint)i);
            TWidth.Store(TWidth.Subtract(updated, step), ref extrapolated, (nuint)i);
        }

        for (; i < n; i++)
        {
            double step = Unsafe.Add(ref steps, i) * Unsafe.Add(ref t, i);
            double updated = Unsafe.Add(ref u, i) - step;
            Unsafe.Add(ref u, i) = updated;
            Unsafe.Add(ref extrapolated, i) = updated - step;
        }
    }

    /// <summary>min(max(a·x + y, −bound), bound).</summary>
    private readonly struct ClippedAxpyOperator(double a, double bound) : IBinaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x, Vector512<double> y) =>
            Vector512.Min(Vector512.Max(MultiplyAdd(Vector512.Create(a), x, y), Vector512.Create(-bound)), Vector512.Create(bound));

        public Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) =>
            Vector256.Min(Vector256.Max(MultiplyAdd(Vector256.Create(a), x, y), Vector256.Create(-bound)), Vector256.Create(bound));

        public Vector128<double> Invoke(Vector128<double> x, Vector128<double> y) =>
            Vector128.Min(Vector128.Max(MultiplyAdd(Vector128.Create(a), x, y), Vector128.Create(-bound)), Vector128.Create(bound));

        public double Invoke(double x, double y) => Math.Min(Math.Max(MultiplyAdd(a, x, y), -bound), bound);
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
