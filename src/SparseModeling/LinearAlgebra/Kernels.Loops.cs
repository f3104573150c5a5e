// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace SparseModeling.LinearAlgebra;

/// <remarks>
/// The one kernel pattern of this layer, as <c>TensorPrimitives</c> is built: an operator is a small
/// struct with a <see cref="Vector512{T}"/>, a <see cref="Vector256{T}"/>, a <see cref="Vector128{T}"/>
/// and a scalar member (its parameters, such as a threshold, are its fields), and one shared loop per
/// shape runs it at the widest width the JIT accelerates, then finishes the tail with the scalar member.
/// The shapes: <see cref="Map{TOp}(ReadOnlySpan{double}, Span{double}, TOp)"/> (unary),
/// <see cref="Map{TOp}(ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double}, TOp)"/> (binary),
/// <see cref="Map2{TOp}"/> (binary with two outputs), <see cref="Reduce{TOp}"/> (a sum over two inputs,
/// four accumulators), <see cref="MapReduce{TOp}"/> (a ternary map fused with a reduction of its result)
/// and <see cref="FindFirst{TOp}"/> (the first entry that meets a test). A kernel is then one operator
/// struct, and every kernel has all four paths: Vector128 is what ARM64 (NEON) and x86 without AVX run.
/// Within one width the order of the arithmetic is fixed, so results are reproducible on one machine;
/// reductions may differ in the last bits between widths.
/// The register-blocked kernels (<c>Gemv</c>, <c>NarrowGemm</c>, <c>FactorGemm</c>, <c>GramCoordinateSweep</c>) are
/// not element-wise, so they do not fit these shapes; each is instead one generic body over the vector width
/// (<see cref="IVectorWidth{TVector}"/> in <c>Kernels.Widths.cs</c>), compiled by the JIT once per width; the GEMM
/// micro-kernels are per width by design,
/// because their register blocking differs by width (<c>Gemm.MicroKernel.cs</c>).
/// </remarks>
internal static partial class Kernels
{
    /// <summary>
    /// a·b + c in one rounding where the hardware has a fused multiply-add, otherwise a product and a sum (x86
    /// without FMA, where the fused form would run in software, element by element): every kernel of one run
    /// rounds the same way. Every kernel's multiply-adds go through these four overloads. (The test is written
    /// out in each: behind a shared property the JIT did not fold it, and the 128-bit GEMM ran 3× slower.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) =>
        Fma.IsSupported || AdvSimd.Arm64.IsSupported ? Vector512.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>a·b + c, fused where the hardware has a fused multiply-add (see the 512-bit overload).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported || AdvSimd.Arm64.IsSupported ? Vector256.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>a·b + c, fused where the hardware has a fused multiply-add (see the 512-bit overload).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) =>
        Fma.IsSupported || AdvSimd.Arm64.IsSupported ? Vector128.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>a·b + c, fused where the hardware has a fused multiply-add (see the 512-bit overload).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double MultiplyAdd(double a, double b, double c) =>
        Fma.IsSupported || AdvSimd.Arm64.IsSupported ? Math.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>An element-wise operator of one input.</summary>
    internal interface IUnaryOperator
    {
        Vector512<double> Invoke(Vector512<double> x);

        Vector256<double> Invoke(Vector256<double> x);

        Vector128<double> Invoke(Vector128<double> x);

        double Invoke(double x);
    }

    /// <summary>An element-wise operator of two inputs.</summary>
    internal interface IBinaryOperator
    {
        Vector512<double> Invoke(Vector512<double> x, Vector512<double> y);

        Vector256<double> Invoke(Vector256<double> x, Vector256<double> y);

        Vector128<double> Invoke(Vector128<double> x, Vector128<double> y);

        double Invoke(double x, double y);
    }

    /// <summary>An element-wise operator of two inputs with two outputs.</summary>
    internal interface IBinaryPairOperator
    {
        void Invoke(Vector512<double> x, Vector512<double> y, out Vector512<double> r, out Vector512<double> s);

        void Invoke(Vector256<double> x, Vector256<double> y, out Vector256<double> r, out Vector256<double> s);

        void Invoke(Vector128<double> x, Vector128<double> y, out Vector128<double> r, out Vector128<double> s);

        void Invoke(double x, double y, out double r, out double s);
    }

    /// <summary>One step of a sum over two inputs: acc + f(x, y).</summary>
    internal interface IReductionOperator
    {
        Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y);

        Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y);

        Vector128<double> Step(Vector128<double> acc, Vector128<double> x, Vector128<double> y);

        double Step(double acc, double x, double y);
    }

    /// <summary>
    /// A ternary element-wise map r = f(x, y, z) fused with a reduction acc ⊕ g(r, z) that starts at
    /// <see cref="Seed"/> and is folded horizontally by <c>Finish</c>.
    /// </summary>
    internal interface IMapReduceOperator
    {
        double Seed { get; }

        Vector512<double> Map(Vector512<double> x, Vector512<double> y, Vector512<double> z);

        Vector256<double> Map(Vector256<double> x, Vector256<double> y, Vector256<double> z);

        Vector128<double> Map(Vector128<double> x, Vector128<double> y, Vector128<double> z);

        double Map(double x, double y, double z);

        Vector512<double> Accumulate(Vector512<double> acc, Vector512<double> r, Vector512<double> z);

        Vector256<double> Accumulate(Vector256<double> acc, Vector256<double> r, Vector256<double> z);

        Vector128<double> Accumulate(Vector128<double> acc, Vector128<double> r, Vector128<double> z);

        double Accumulate(double acc, double r, double z);

        double Finish(Vector512<double> acc);

        double Finish(Vector256<double> acc);

        double Finish(Vector128<double> acc);
    }

    /// <summary>A test on entries: whether any entry of a vector (or the entry) meets it.</summary>
    internal interface ITestOperator
    {
        bool Any(Vector512<double> x);

        bool Any(Vector256<double> x);

        bool Any(Vector128<double> x);

        bool Test(double x);
    }

    /// <summary>result[i] ← op(x[i]); <paramref name="result"/> may be <paramref name="x"/> itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Map<TOp>(ReadOnlySpan<double> x, Span<double> result, TOp op)
        where TOp : struct, IUnaryOperator
    {
        Debug.Assert(result.Length >= x.Length);
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double rs = ref MemoryMarshal.GetReference(result);
        int n = x.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref rs, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref rs, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<double>.Count; i += Vector128<double>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref rs, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref rs, i) = op.Invoke(Unsafe.Add(ref xs, i));
        }
    }

    /// <summary>result[i] ← op(x[i], y[i]); <paramref name="result"/> may be <paramref name="x"/> or <paramref name="y"/> itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Map<TOp>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result, TOp op)
        where TOp : struct, IBinaryOperator
    {
        Debug.Assert(y.Length == x.Length && result.Length >= x.Length);
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double ys = ref MemoryMarshal.GetReference(y);
        ref double rs = ref MemoryMarshal.GetReference(result);
        int n = x.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref rs, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref rs, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<double>.Count; i += Vector128<double>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref rs, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref rs, i) = op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
        }
    }

    /// <summary>(r[i], s[i]) ← op(x[i], y[i]); <paramref name="r"/> may be <paramref name="y"/> itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Map2<TOp>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> r, Span<double> s, TOp op)
        where TOp : struct, IBinaryPairOperator
    {
        Debug.Assert(y.Length == x.Length && r.Length >= x.Length && s.Length >= x.Length);
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double ys = ref MemoryMarshal.GetReference(y);
        ref double rs = ref MemoryMarshal.GetReference(r);
        ref double ss = ref MemoryMarshal.GetReference(s);
        int n = x.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i), out var ri, out var si);
                si.StoreUnsafe(ref ss, (nuint)i);
                ri.StoreUnsafe(ref rs, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i), out var ri, out var si);
                si.StoreUnsafe(ref ss, (nuint)i);
                ri.StoreUnsafe(ref rs, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<double>.Count; i += Vector128<double>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i), out var ri, out var si);
                si.StoreUnsafe(ref ss, (nuint)i);
                ri.StoreUnsafe(ref rs, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), out double ri, out double si);
            Unsafe.Add(ref ss, i) = si;
            Unsafe.Add(ref rs, i) = ri;
        }
    }

    /// <summary>
    /// Σ op(xᵢ, yᵢ) with four independent accumulators per width (hiding the FMA latency), folded as
    /// (a0 + a1) + (a2 + a3), then the scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Reduce<TOp>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, TOp op)
        where TOp : struct, IReductionOperator
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
            const int w = 8;
            var a0 = Vector512<double>.Zero;
            var a1 = Vector512<double>.Zero;
            var a2 = Vector512<double>.Zero;
            var a3 = Vector512<double>.Zero;
            for (; i <= n - (4 * w); i += 4 * w)
            {
                a0 = op.Step(a0, Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i));
                a1 = op.Step(a1, Vector512.LoadUnsafe(ref xs, (nuint)(i + w)), Vector512.LoadUnsafe(ref ys, (nuint)(i + w)));
                a2 = op.Step(a2, Vector512.LoadUnsafe(ref xs, (nuint)(i + (2 * w))), Vector512.LoadUnsafe(ref ys, (nuint)(i + (2 * w))));
                a3 = op.Step(a3, Vector512.LoadUnsafe(ref xs, (nuint)(i + (3 * w))), Vector512.LoadUnsafe(ref ys, (nuint)(i + (3 * w))));
            }

            for (; i <= n - w; i += w)
            {
                a0 = op.Step(a0, Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i));
            }

            sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            const int w = 4;
            var a0 = Vector256<double>.Zero;
            var a1 = Vector256<double>.Zero;
            var a2 = Vector256<double>.Zero;
            var a3 = Vector256<double>.Zero;
            for (; i <= n - (4 * w); i += 4 * w)
            {
                a0 = op.Step(a0, Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i));
                a1 = op.Step(a1, Vector256.LoadUnsafe(ref xs, (nuint)(i + w)), Vector256.LoadUnsafe(ref ys, (nuint)(i + w)));
                a2 = op.Step(a2, Vector256.LoadUnsafe(ref xs, (nuint)(i + (2 * w))), Vector256.LoadUnsafe(ref ys, (nuint)(i + (2 * w))));
                a3 = op.Step(a3, Vector256.LoadUnsafe(ref xs, (nuint)(i + (3 * w))), Vector256.LoadUnsafe(ref ys, (nuint)(i + (3 * w))));
            }

            for (; i <= n - w; i += w)
            {
                a0 = op.Step(a0, Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i));
            }

            sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<double>.Count)
        {
            const int w = 2;
            var a0 = Vector128<double>.Zero;
            var a1 = Vector128<double>.Zero;
            var a2 = Vector128<double>.Zero;
            var a3 = Vector128<double>.Zero;
            for (; i <= n - (4 * w); i += 4 * w)
            {
                a0 = op.Step(a0, Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i));
                a1 = op.Step(a1, Vector128.LoadUnsafe(ref xs, (nuint)(i + w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + w)));
                a2 = op.Step(a2, Vector128.LoadUnsafe(ref xs, (nuint)(i + (2 * w))), Vector128.LoadUnsafe(ref ys, (nuint)(i + (2 * w))));
                a3 = op.Step(a3, Vector128.LoadUnsafe(ref xs, (nuint)(i + (3 * w))), Vector128.LoadUnsafe(ref ys, (nuint)(i + (3 * w))));
            }

            for (; i <= n - w; i += w)
            {
                a0 = op.Step(a0, Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i));
            }

            sum = Vector128.Sum((a0 + a1) + (a2 + a3));
        }

        for (; i < n; i++)
        {
            sum = op.Step(sum, Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
        }

        return sum;
    }

    /// <summary>
    /// r[i] ← op.Map(x[i], y[i], z[i]) while accumulating op.Accumulate(acc, r[i], z[i]) in two
    /// alternating accumulators per width (combined as op.Accumulate(a0, a1, 1) before the horizontal fold:
    /// a0 + a1 for a dot product, min(a0, a1) for a minimum), then the scalar
    /// tail; returns the reduction. <paramref name="r"/> may be <paramref name="y"/> itself (an in-place update).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double MapReduce<TOp>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, Span<double> r, TOp op)
        where TOp : struct, IMapReduceOperator
    {
        Debug.Assert(y.Length == x.Length && z.Length == x.Length && r.Length >= x.Length);
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double ys = ref MemoryMarshal.GetReference(y);
        ref double zs = ref MemoryMarshal.GetReference(z);
        ref double rs = ref MemoryMarshal.GetReference(r);
        int n = x.Length;
        int i = 0;
        double acc = op.Seed;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            const int w = 8;
            var a0 = Vector512.Create(op.Seed);
            var a1 = a0;
            for (; i <= n - (2 * w); i += 2 * w)
            {
                var z0 = Vector512.LoadUnsafe(ref zs, (nuint)i);
                var z1 = Vector512.LoadUnsafe(ref zs, (nuint)(i + w));
                var r0 = op.Map(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i), z0);
                var r1 = op.Map(Vector512.LoadUnsafe(ref xs, (nuint)(i + w)), Vector512.LoadUnsafe(ref ys, (nuint)(i + w)), z1);
                r0.StoreUnsafe(ref rs, (nuint)i);
                r1.StoreUnsafe(ref rs, (nuint)(i + w));
                a0 = op.Accumulate(a0, r0, z0);
                a1 = op.Accumulate(a1, r1, z1);
            }

            for (; i <= n - w; i += w)
            {
                var z0 = Vector512.LoadUnsafe(ref zs, (nuint)i);
                var r0 = op.Map(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i), z0);
                r0.StoreUnsafe(ref rs, (nuint)i);
                a0 = op.Accumulate(a0, r0, z0);
            }

            acc = op.Finish(op.Accumulate(a0, a1, Vector512<double>.One));
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            const int w = 4;
            var a0 = Vector256.Create(op.Seed);
            var a1 = a0;
            for (; i <= n - (2 * w); i += 2 * w)
            {
                var z0 = Vector256.LoadUnsafe(ref zs, (nuint)i);
                var z1 = Vector256.LoadUnsafe(ref zs, (nuint)(i + w));
                var r0 = op.Map(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i), z0);
                var r1 = op.Map(Vector256.LoadUnsafe(ref xs, (nuint)(i + w)), Vector256.LoadUnsafe(ref ys, (nuint)(i + w)), z1);
                r0.StoreUnsafe(ref rs, (nuint)i);
                r1.StoreUnsafe(ref rs, (nuint)(i + w));
                a0 = op.Accumulate(a0, r0, z0);
                a1 = op.Accumulate(a1, r1, z1);
            }

            for (; i <= n - w; i += w)
            {
                var z0 = Vector256.LoadUnsafe(ref zs, (nuint)i);
                var r0 = op.Map(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i), z0);
                r0.StoreUnsafe(ref rs, (nuint)i);
                a0 = op.Accumulate(a0, r0, z0);
            }

            acc = op.Finish(op.Accumulate(a0, a1, Vector256<double>.One));
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<double>.Count)
        {
            const int w = 2;
            var a0 = Vector128.Create(op.Seed);
            var a1 = a0;
            for (; i <= n - (2 * w); i += 2 * w)
            {
                var z0 = Vector128.LoadUnsafe(ref zs, (nuint)i);
                var z1 = Vector128.LoadUnsafe(ref zs, (nuint)(i + w));
                var r0 = op.Map(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i), z0);
                var r1 = op.Map(Vector128.LoadUnsafe(ref xs, (nuint)(i + w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + w)), z1);
                r0.StoreUnsafe(ref rs, (nuint)i);
                r1.StoreUnsafe(ref rs, (nuint)(i + w));
                a0 = op.Accumulate(a0, r0, z0);
                a1 = op.Accumulate(a1, r1, z1);
            }

            for (; i <= n - w; i += w)
            {
                var z0 = Vector128.LoadUnsafe(ref zs, (nuint)i);
                var r0 = op.Map(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i), z0);
                r0.StoreUnsafe(ref rs, (nuint)i);
                a0 = op.Accumulate(a0, r0, z0);
            }

            acc = op.Finish(op.Accumulate(a0, a1, Vector128<double>.One));
        }

        for (; i < n; i++)
        {
            double zi = Unsafe.Add(ref zs, i);
            double ri = op.Map(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), zi);
            Unsafe.Add(ref rs, i) = ri;
            acc = op.Accumulate(acc, ri, zi);
        }

        return acc;
    }

    /// <summary>The index of the first entry that meets the test, or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int FindFirst<TOp>(ReadOnlySpan<double> x, TOp op)
        where TOp : struct, ITestOperator
    {
        ref double xs = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        int i = 0;

        // The vector loops stop at the first vector holding a match; the scalar loop then finds its index.
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<double>.Count && !op.Any(Vector512.LoadUnsafe(ref xs, (nuint)i)); i += Vector512<double>.Count)
            {
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<double>.Count && !op.Any(Vector256.LoadUnsafe(ref xs, (nuint)i)); i += Vector256<double>.Count)
            {
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<double>.Count && !op.Any(Vector128.LoadUnsafe(ref xs, (nuint)i)); i += Vector128<double>.Count)
            {
            }
        }

        for (; i < n; i++)
        {
            if (op.Test(Unsafe.Add(ref xs, i)))
            {
                return i;
            }
        }

        return -1;
    }
}
