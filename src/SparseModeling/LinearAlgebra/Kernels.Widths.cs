// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace SparseModeling.LinearAlgebra;

/// <remarks>
/// The vector widths as types, for the register-blocked kernels (<c>Gemv</c>, <c>NarrowGemm</c>,
/// <c>FactorGemm</c>, <c>GramCoordinateSweep</c>): such a kernel is one generic body <c>Kernel&lt;TWidth, TVector&gt;</c> over
/// <see cref="IVectorWidth{TVector}"/>, and its entry point picks <see cref="Width512"/>, <see cref="Width256"/>
/// or <see cref="Width128"/> once per call by what the JIT accelerates (<see cref="ScalarWidth"/> without hardware vectors),
/// and the body finishes the entries left over by its vector loop with scalars.
/// The JIT compiles one copy of the body per width (the type arguments are structs), in which every member
/// below is a constant or a single instruction: the body costs nothing over one written out per width.
/// Where the best register blocking depends on the width (how many accumulators cover the latency, how many
/// fit in the registers), the body branches on <see cref="IVectorWidth{TVector}.Count"/>, a constant.
/// </remarks>
internal static partial class Kernels
{
    /// <summary>
    /// One SIMD width of <see cref="double"/> lanes: the operations of a register-blocked kernel on vectors of
    /// type <typeparamref name="TVector"/> (<see cref="Vector512{T}"/>, <see cref="Vector256{T}"/> or
    /// <see cref="Vector128{T}"/> of <see cref="double"/>), as static members so that calls through a struct type
    /// argument are resolved and inlined at compile time.
    /// </summary>
    /// <typeparam name="TVector">The vector type of this width.</typeparam>
    internal unsafe interface IVectorWidth<TVector>
        where TVector : struct
    {
        /// <summary>Lanes per vector.</summary>
        static abstract int Count { get; }

        /// <summary>The vector of zeros.</summary>
        static abstract TVector Zero { get; }

        /// <summary>A vector with <paramref name="value"/> in every lane.</summary>
        static abstract TVector Broadcast(double value);

        /// <summary>The <see cref="Count"/> entries from <paramref name="source"/>[<paramref name="index"/>] (no bounds check).</summary>
        static abstract TVector Load(ref double source, nuint index);

        /// <summary>The <see cref="Count"/> entries at <paramref name="source"/>.</summary>
        static abstract TVector Load(double* source);

        /// <summary>Writes <paramref name="value"/> to <paramref name="destination"/>[<paramref name="index"/>] onward (no bounds check).</summary>
        static abstract void Store(TVector value, ref double destination, nuint index);

        /// <summary>Writes <paramref name="value"/> to <paramref name="destination"/> onward.</summary>
        static abstract void Store(TVector value, double* destination);

        /// <summary>a·b + c with <see cref="Kernels.MultiplyAdd(Vector512{double}, Vector512{double}, Vector512{double})"/>'s rounding (fused only where the hardware has FMA).</summary>
        static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

        /// <summary>a + b.</summary>
        static abstract TVector Add(TVector a, TVector b);

        /// <summary>The sum of the lanes.</summary>
        static abstract double Sum(TVector value);

        /// <summary>a − b.</summary>
        static abstract TVector Subtract(TVector a, TVector b);

        /// <summary>a / b.</summary>
        static abstract TVector Divide(TVector a, TVector b);

        /// <summary>a·b.</summary>
        static abstract TVector Multiply(TVector a, TVector b);

        /// <summary>√value in every lane (correctly rounded, as <see cref="Math.Sqrt(double)"/>).</summary>
        static abstract TVector Sqrt(TVector value);

        /// <summary>|value| in every lane.</summary>
        static abstract TVector Abs(TVector value);

        /// <summary>The lane-wise minimum, with the vector (or <see cref="Math.Min(double, double)"/>) semantics of this width.</summary>
        static abstract TVector Min(TVector a, TVector b);

        /// <summary><paramref name="ifZero"/> in the lanes where <paramref name="value"/> == 0, <paramref name="otherwise"/> in the others.</summary>
        static abstract TVector WhereZero(TVector value, TVector ifZero, TVector otherwise);

        /// <summary><paramref name="value"/> in the lanes where it is &gt; 0, +0 in the others (NaN included).</summary>
        static abstract TVector KeepPositive(TVector value);

        /// <summary>The lane-wise maximum, with the vector (or <see cref="Math.Max(double, double)"/>) semantics of this width.</summary>
        static abstract TVector Max(TVector a, TVector b);

        /// <summary><paramref name="ifGreater"/> in the lanes where <paramref name="a"/> &gt; <paramref name="b"/>, <paramref name="otherwise"/> in the others (NaN included).</summary>
        static abstract TVector WhereGreater(TVector a, TVector b, TVector ifGreater, TVector otherwise);

        /// <summary>Whether every lane of <paramref name="a"/> equals that of <paramref name="b"/> (false where either is NaN).</summary>
        static abstract bool EqualsAll(TVector a, TVector b);
    }

    /// <summary>
    /// A SIMD width whose vectors can also be used by halves, in half-width instructions: <c>FactorGemm</c> keeps four
    /// components of a 512-bit kernel in the lower half of an accumulator (a 256-bit vector).
    /// </summary>
    /// <typeparam name="TVector">The vector type of this width.</typeparam>
    internal unsafe interface IHalvableVectorWidth<TVector> : IVectorWidth<TVector>
        where TVector : struct
    {
        /// <summary>The <see cref="IVectorWidth{TVector}.Count"/>/2 entries at <paramref name="source"/> in the lower half of a vector (the upper half is undefined).</summary>
        static abstract TVector LoadLower(double* source);

        /// <summary>Writes the lower half of <paramref name="value"/> to <paramref name="destination"/> onward.</summary>
        static abstract void StoreLower(TVector value, double* destination);

        /// <summary>a·b + c in the lower halves only, in half-width instructions, with the half width's <see cref="IVectorWidth{TVector}.MultiplyAdd"/> (the upper half of the result is undefined).</summary>
        static abstract TVector MultiplyAddLower(TVector a, TVector b, TVector c);
    }

    /// <summary>512-bit vectors (AVX-512): eight lanes.</summary>
    internal readonly unsafe struct Width512 : IHalvableVectorWidth<Vector512<double>>
    {
        /// <inheritdoc/>
        public static int Count => Vector512<double>.Count;

        /// <inheritdoc/>
        public static Vector512<double> Zero => Vector512<double>.Zero;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Broadcast(double value) => Vector512.Create(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Load(ref double source, nuint index) => Vector512.LoadUnsafe(ref source, index);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Load(double* source) => Vector512.Load(source);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<double> value, ref double destination, nuint index) => value.StoreUnsafe(ref destination, index);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<double> value, double* destination) => value.Store(destination);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) =>
            Fma.IsSupported || AdvSimd.Arm64.IsSupported ? Vector512.FusedMultiplyAdd(a, b, c) : (a * b) + c;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Sum(Vector512<double> value) => Vector512.Sum(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Divide(Vector512<double> a, Vector512<double> b) => a / b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Sqrt(Vector512<double> value) => Vector512.Sqrt(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Abs(Vector512<double> value) => Vector512.Abs(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Min(Vector512<double> a, Vector512<double> b) => Vector512.Min(a, b);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> WhereZero(Vector512<double> value, Vector512<double> ifZero, Vector512<double> otherwise) =>
            Vector512.ConditionalSelect(Vector512.Equals(value, Vector512<double>.Zero), ifZero, otherwise);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> KeepPositive(Vector512<double> value) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(value, Vector512<double>.Zero), value, Vector512<double>.Zero);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Max(Vector512<double> a, Vector512<double> b) => Vector512.Max(a, b);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> WhereGreater(Vector512<double> a, Vector512<double> b, Vector512<double> ifGreater, Vector512<double> otherwise) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(a, b), ifGreater, otherwise);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool EqualsAll(Vector512<double> a, Vector512<double> b) => Vector512.EqualsAll(a, b);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> LoadLower(double* source) => Vector256.Load(source).ToVector512Unsafe();

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreLower(Vector512<double> value, double* destination) => value.GetLower().Store(destination);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> MultiplyAddLower(Vector512<double> a, Vector512<double> b, Vector512<double> c) =>
            Width256.MultiplyAdd(a.GetLower(), b.GetLower(), c.GetLower()).ToVector512Unsafe();
    }

    /// <summary>256-bit vectors (AVX2): four lanes.</summary>
    internal readonly unsafe struct Width256 : IHalvableVectorWidth<Vector256<double>>
    {
        /// <inheritdoc/>
        public static int Count => Vector256<double>.Count;

        /// <inheritdoc/>
        public static Vector256<double> Zero => Vector256<double>.Zero;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Broadcast(double value) => Vector256.Create(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Load(ref double source, nuint index) => Vector256.LoadUnsafe(ref source, index);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Load(double* source) => Vector256.Load(source);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<double> value, ref double destination, nuint index) => value.StoreUnsafe(ref destination, index);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<double> value, double* destination) => value.Store(destination);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
            Fma.IsSupported || AdvSimd.Arm64.IsSupported ? Vector256.FusedMultiplyAdd(a, b, c) : (a * b) + c;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Sum(Vector256<double> value) => Vector256.Sum(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Divide(Vector256<double> a, Vector256<double> b) => a / b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Sqrt(Vector256<double> value) => Vector256.Sqrt(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Abs(Vector256<double> value) => Vector256.Abs(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Min(Vector256<double> a, Vector256<double> b) => Vector256.Min(a, b);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> WhereZero(Vector256<double> value, Vector256<double> ifZero, Vector256<double> otherwise) =>
            Vector256.ConditionalSelect(Vector256.Equals(value, Vector256<double>.Zero), ifZero, otherwise);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> KeepPositive(Vector256<double> value) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(value, Vector256<double>.Zero), value, Vector256<double>.Zero);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Max(Vector256<double> a, Vector256<double> b) => Vector256.Max(a, b);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> WhereGreater(Vector256<double> a, Vector256<double> b, Vector256<double> ifGreater, Vector256<double> otherwise) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(a, b), ifGreater, otherwise);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool EqualsAll(Vector256<double> a, Vector256<double> b) => Vector256.EqualsAll(a, b);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> LoadLower(double* source) => Vector128.Load(source).ToVector256Unsafe();

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreLower(Vector256<double> value, double* destination) => value.GetLower().Store(destination);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> MultiplyAddLower(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
            Width128.MultiplyAdd(a.GetLower(), b.GetLower(), c.GetLower()).ToVector256Unsafe();
    }

    /// <summary>128-bit vectors (SSE2 on x86 without AVX, NEON on ARM64): two lanes.</summary>
    internal readonly unsafe struct Width128 : IHalvableVectorWidth<Vector128<double>>
    {
        /// <inheritdoc/>
        public static int Count => Vector128<double>.Count;

        /// <inheritdoc/>
        public static Vector128<double> Zero => Vector128<double>.Zero;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Broadcast(double value) => Vector128.Create(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Load(ref double source, nuint index) => Vector128.LoadUnsafe(ref source, index);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Load(double* source) => Vector128.Load(source);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector128<double> value, ref double destination, nuint index) => value.StoreUnsafe(ref destination, index);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector128<double> value, double* destination) => value.Store(destination);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) =>
            Fma.IsSupported || AdvSimd.Arm64.IsSupported ? Vector128.FusedMultiplyAdd(a, b, c) : (a * b) + c;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Sum(Vector128<double> value) => Vector128.Sum(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Subtract(Vector128<double> a, Vector128<double> b) => a - b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Divide(Vector128<double> a, Vector128<double> b) => a / b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Multiply(Vector128<double> a, Vector128<double> b) => a * b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Sqrt(Vector128<double> value) => Vector128.Sqrt(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Abs(Vector128<double> value) => Vector128.Abs(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Min(Vector128<double> a, Vector128<double> b) => Vector128.Min(a, b);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> WhereZero(Vector128<double> value, Vector128<double> ifZero, Vector128<double> otherwise) =>
            Vector128.ConditionalSelect(Vector128.Equals(value, Vector128<double>.Zero), ifZero, otherwise);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> KeepPositive(Vector128<double> value) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(value, Vector128<double>.Zero), value, Vector128<double>.Zero);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Max(Vector128<double> a, Vector128<double> b) => Vector128.Max(a, b);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> WhereGreater(Vector128<double> a, Vector128<double> b, Vector128<double> ifGreater, Vector128<double> otherwise) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(a, b), ifGreater, otherwise);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool EqualsAll(Vector128<double> a, Vector128<double> b) => Vector128.EqualsAll(a, b);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> LoadLower(double* source) => Vector128.CreateScalarUnsafe(*source);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreLower(Vector128<double> value, double* destination) => *destination = value.ToScalar();

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> MultiplyAddLower(Vector128<double> a, Vector128<double> b, Vector128<double> c) =>
            Vector128.CreateScalarUnsafe(ScalarWidth.MultiplyAdd(a.ToScalar(), b.ToScalar(), c.ToScalar()));
    }

    /// <summary>
    /// One lane: plain <see cref="double"/> arithmetic, for runtimes without hardware vectors. A generic kernel run at this
    /// width does every entry in its vector loop, in the order its scalar tail would.
    /// </summary>
    internal readonly unsafe struct ScalarWidth : IVectorWidth<double>
    {
        /// <inheritdoc/>
        public static int Count => 1;

        /// <inheritdoc/>
        public static double Zero => 0.0;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Broadcast(double value) => value;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Load(ref double source, nuint index) => Unsafe.Add(ref source, index);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Load(double* source) => *source;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(double value, ref double destination, nuint index) => Unsafe.Add(ref destination, index) = value;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(double value, double* destination) => *destination = value;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double MultiplyAdd(double a, double b, double c) =>
            Fma.IsSupported || AdvSimd.Arm64.IsSupported ? Math.FusedMultiplyAdd(a, b, c) : (a * b) + c;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Add(double a, double b) => a + b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Sum(double value) => value;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Subtract(double a, double b) => a - b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Divide(double a, double b) => a / b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Multiply(double a, double b) => a * b;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Sqrt(double value) => Math.Sqrt(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Abs(double value) => Math.Abs(value);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Min(double a, double b) => Math.Min(a, b);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double WhereZero(double value, double ifZero, double otherwise) => value == 0.0 ? ifZero : otherwise;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double KeepPositive(double value) => value > 0.0 ? value : 0.0;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Max(double a, double b) => Math.Max(a, b);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double WhereGreater(double a, double b, double ifGreater, double otherwise) => a > b ? ifGreater : otherwise;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool EqualsAll(double a, double b) => a == b;
    }
}
