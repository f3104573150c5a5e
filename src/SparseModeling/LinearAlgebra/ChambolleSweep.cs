// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// The two passes of one iteration of Chambolle's projection algorithm for total-variation denoising (A. Chambolle, "An
/// algorithm for total variation minimization and applications", J. Math. Imaging Vis. 20, 89–97, 2004), on one column of
/// a column-major image (rows contiguous), in the arithmetic of scikit-image's <c>_denoise_tv_chambolle_nd</c>: the dual
/// field p = (p₀, p₁) holds a component along the rows (axis 0) and one along the columns (axis 1).
/// </summary>
/// <remarks>
/// Per entry the operations and their rounding are numpy's (no fused multiply-add in the values: d = (p₀[i−1] − (p₀[i] +
/// p₁[i])) + p₁[i, j−1], out = image + d; g = forward differences of out; n = √(g₀² + g₁²); p ← (p − τ·g)/(n·(τ/weight) + 1)),
/// so the iterates do not depend on the vector width. Only the two sums returned (Σd², Σn, for the stopping rule) are
/// accumulated per width and may differ in the last bits between widths. Each pass is one generic body over
/// <see cref="Kernels.IVectorWidth{TVector}"/> picked once per call.
/// </remarks>
internal static class ChambolleSweep
{
    /// <summary>
    /// One column of the image update: d[i] = (p₀[i−1] − (p₀[i] + p₁[i])) + p₁Left[i] (no p₀[i−1] term in row 0) and
    /// <paramref name="output"/>[i] = image[i] + d[i]; returns Σd². For the first column of the image pass a column of zeros as
    /// <paramref name="p1Left"/> (scikit-image adds nothing there; adding 0 changes no value).
    /// </summary>
    /// <param name="image">The column of the noisy image.</param>
    /// <param name="p0">The column of p₀ (differences along the rows).</param>
    /// <param name="p1">The column of p₁ (differences along the columns).</param>
    /// <param name="p1Left">The column of p₁ to the left (the previous column).</param>
    /// <param name="output">The column of the current estimate; overwritten.</param>
    public static double Divergence(ReadOnlySpan<double> image, ReadOnlySpan<double> p0, ReadOnlySpan<double> p1, ReadOnlySpan<double> p1Left, Span<double> output)
    {
        int n = image.Length;
        if (p0.Length != n || p1.Length != n || p1Left.Length != n || output.Length != n)
        {
            throw new ArgumentException($"The columns must all have {n} entries (p0 {p0.Length}, p1 {p1.Length}, p1Left {p1Left.Length}, output {output.Length}).", nameof(p0));
        }

        if (n == 0)
        {
            return 0.0;
        }

        ref double f = ref MemoryMarshal.GetReference(image);
        ref double a = ref MemoryMarshal.GetReference(p0);
        ref double b = ref MemoryMarshal.GetReference(p1);
        ref double l = ref MemoryMarshal.GetReference(p1Left);
        ref double o = ref MemoryMarshal.GetReference(output);
        if (Vector512.IsHardwareAccelerated)
        {
            return Divergence<Kernels.Width512, Vector512<double>>(ref f, ref a, ref b, ref l, ref o, n);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return Divergence<Kernels.Width256, Vector256<double>>(ref f, ref a, ref b, ref l, ref o, n);
        }

        return Vector128.IsHardwareAccelerated
            ? Divergence<Kernels.Width128, Vector128<double>>(ref f, ref a, ref b, ref l, ref o, n)
            : Divergence<Kernels.ScalarWidth, double>(ref f, ref a, ref b, ref l, ref o, n);
    }

    /// <summary>
    /// One column of the dual update, in place: g₀[i] = out[i+1] − out[i] (0 in the last row), g₁[i] = outRight[i] − out[i],
    /// n = √(g₀² + g₁²), p ← (p − τ·g)/(n·<paramref name="tauOverWeight"/> + 1); returns Σn. For the last column of the image
    /// pass the column itself as <paramref name="outputRight"/> (g₁ is then exactly 0, as scikit-image has it there).
    /// </summary>
    /// <param name="output">The column of the current estimate.</param>
    /// <param name="outputRight">The column of the estimate to the right (the next column).</param>
    /// <param name="p0">The column of p₀; updated.</param>
    /// <param name="p1">The column of p₁; updated.</param>
    /// <param name="tau">The step τ (1/4 in two dimensions).</param>
    /// <param name="tauOverWeight">τ divided by the weight, computed once by the caller.</param>
    public static double Projection(ReadOnlySpan<double> output, ReadOnlySpan<double> outputRight, Span<double> p0, Span<double> p1, double tau, double tauOverWeight)
    {
        int n = output.Length;
        if (outputRight.Length != n || p0.Length != n || p1.Length != n)
        {
            throw new ArgumentException($"The columns must all have {n} entries (outputRight {outputRight.Length}, p0 {p0.Length}, p1 {p1.Length}).", nameof(p0));
        }

        if (n == 0)
        {
            return 0.0;
        }

        ref double o = ref MemoryMarshal.GetReference(output);
        ref double r = ref MemoryMarshal.GetReference(outputRight);
        ref double a = ref MemoryMarshal.GetReference(p0);
        ref double b = ref MemoryMarshal.GetReference(p1);
        if (Vector512.IsHardwareAccelerated)
        {
            return Projection<Kernels.Width512, Vector512<double>>(ref o, ref r, ref a, ref b, n, tau, tauOverWeight);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return Projection<Kernels.Width256, Vector256<double>>(ref o, ref r, ref a, ref b, n, tau, tauOverWeight);
        }

        return Vector128.IsHardwareAccelerated
            ? Projection<Kernels.Width128, Vector128<double>>(ref o, ref r, ref a, ref b, n, tau, tauOverWeight)
            : Projection<Kernels.ScalarWidth, double>(ref o, ref r, ref a, ref b, n, tau, tauOverWeight);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Divergence<TWidth, TVector>(ref double image, ref double p0, ref double p1, ref double left, ref double output, int n)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        // Row 0 has no p₀[i−1] term.
        double d0 = -(p0 + p1) + left;
        output = image + d0;
        double sum = d0 * d0;
        int i = 1;
        var acc = TWidth.Zero;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            var s = TWidth.Add(TWidth.Load(ref p0, (nuint)i), TWidth.Load(ref p1, (nuint)i));
            var d = TWidth.Add(TWidth.Subtract(TWidth.Load(ref p0, (nuint)(i - 1)), s), TWidth.Load(ref left, (nuint)i));
            TWidth.Store(TWidth.Add(TWidth.Load(ref image, (nuint)i), d), ref output, (nuint)i);
            acc = TWidth.MultiplyAdd(d, d, acc);
        }

        sum += TWidth.Sum(acc);
        for (; i < n; i++)
        {
            double d = (Unsafe.Add(ref p0, i - 1) - (Unsafe.Add(ref p0, i) + Unsafe.Add(ref p1, i))) + Unsafe.Add(ref left, i);
            Unsafe.Add(ref output, i) = Unsafe.Add(ref image, i) + d;
            sum = Kernels.MultiplyAdd(d, d, sum);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Projection<TWidth, TVector>(ref double output, ref double right, ref double p0, ref double p1, int n, double tau, double tauOverWeight)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        var t = TWidth.Broadcast(tau);
        var c = TWidth.Broadcast(tauOverWeight);
        var one = TWidth.Broadcast(1.0);
        var acc = TWidth.Zero;
        int last = n - 1;
        int i = 0;
        for (; i <= last - TWidth.Count; i += TWidth.Count)
        {
            var o = TWidth.Load(ref output, (nuint)i);
            var g0 = TWidth.Subtract(TWidth.Load(ref output, (nuint)(i + 1)), o);
            var g1 = TWidth.Subtract(TWidth.Load(ref right, (nuint)i), o);
            var norm = TWidth.Sqrt(TWidth.Add(TWidth.Multiply(g0, g0), TWidth.Multiply(g1, g1)));
            acc = TWidth.Add(acc, norm);
            var denominator = TWidth.Add(TWidth.Multiply(norm, c), one);
            TWidth.Store(TWidth.Divide(TWidth.Subtract(TWidth.Load(ref p0, (nuint)i), TWidth.Multiply(t, g0)), denominator), ref p0, (nuint)i);
            TWidth.Store(TWidth.Divide(TWidth.Subtract(TWidth.Load(ref p1, (nuint)i), TWidth.Multiply(t, g1)), denominator), ref p1, (nuint)i);
        }

        double sum = TWidth.Sum(acc);
        for (; i < n; i++)
        {
            double o = Unsafe.Add(ref output, i);
            double g0 = i < last ? Unsafe.Add(ref output, i + 1) - o : 0.0;
            double g1 = Unsafe.Add(ref right, i) - o;
            double norm = Math.Sqrt((g0 * g0) + (g1 * g1));
            sum += norm;
            double denominator = (norm * tauOverWeight) + 1.0;
            Unsafe.Add(ref p0, i) = (Unsafe.Add(ref p0, i) - (tau * g0)) / denominator;
            Unsafe.Add(ref p1, i) = (Unsafe.Add(ref p1, i) - (tau * g1)) / denominator;
        }

        return sum;
    }
}
