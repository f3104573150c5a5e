// SPDX-License-Identifier: BSD-3-Clause
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Span-based vector kernels (BLAS level 1 and the fused updates the solvers need). Where
/// <see cref="TensorPrimitives"/> already does the job at full SIMD width it is called; the other
/// kernels are operator structs run by the shared loops of <c>Kernels.Loops.cs</c> (Vector512, Vector256,
/// Vector128 and a scalar tail).
/// Kernels never allocate; callers check lengths once, kernels only assert them.
/// </summary>
internal static partial class Kernels
{
    /// <summary>y ← a·x + y.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        if (a != 0.0)
        {
            AxpyShift(a, x, 0.0, y);
        }
    }

    /// <summary>x ← a·x.</summary>
    public static void Scal(double a, Span<double> x) => Map(x, x, new ScaleOperator(a));

    /// <summary>‖x‖₂ (no rescaling against overflow: entries beyond ~1e154 overflow).</summary>
    public static double Nrm2(ReadOnlySpan<double> x) => x.IsEmpty ? 0.0 : TensorPrimitives.Norm(x);

    /// <summary>max |xᵢ| (0 for an empty span; NaN if any entry is NaN).</summary>
    public static double MaxAbs(ReadOnlySpan<double> x) => x.IsEmpty ? 0.0 : Math.Abs(TensorPrimitives.MaxMagnitude(x));

    /// <summary>‖x − y‖₂.</summary>
    public static double Distance(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => x.IsEmpty ? 0.0 : TensorPrimitives.Distance(x, y);

    /// <summary>x ← x + a (every entry).</summary>
    public static void AddScalar(double a, Span<double> x) => Map(x, x, new AddScalarOperator(a));

    /// <summary>result ← x + a (every entry); <paramref name="result"/> may be <paramref name="x"/> itself.</summary>
    public static void AddScalar(ReadOnlySpan<double> x, double a, Span<double> result) => Map(x, result, new AddScalarOperator(a));

    /// <summary>
    /// <see cref="IndexOfNonFinite"/> over a large array, scanned in one block per core; the first
    /// offending index overall is returned, as the serial scan would.
    /// </summary>
    public static int IndexOfNonFiniteParallel(double[] x)
    {
        const int ParallelThreshold = 1 << 18;
        if (x.Length < ParallelThreshold || Parallelism.Degree < 2)
        {
            return IndexOfNonFinite(x);
        }

        int blocks = Parallelism.Degree;
        var found = new int[blocks];
        Parallelism.For(blocks, block =>
        {
            int start = (int)((long)x.Length * block / blocks);
            int end = (int)((long)x.Length * (block + 1) / blocks);
            int at = IndexOfNonFinite(x.AsSpan(start, end - start));
            found[block] = at < 0 ? -1 : start + at;
        });
        foreach (int at in found)
        {
            if (at >= 0)
            {
                return at;
            }
        }

        return -1;
    }

    /// <summary>The index of the first NaN or ±∞ entry, or −1 when every entry is finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<double> x) => FindFirst(x, default(NonFiniteTest));

    /// <summary>a·x.</summary>
    private readonly struct ScaleOperator(double a) : IUnaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x) => x * Vector512.Create(a);

        public Vector256<double> Invoke(Vector256<double> x) => x * Vector256.Create(a);

        public Vector128<double> Invoke(Vector128<double> x) => x * Vector128.Create(a);

        public double Invoke(double x) => x * a;
    }

    /// <summary>x + a.</summary>
    private readonly struct AddScalarOperator(double a) : IUnaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x) => x + Vector512.Create(a);

        public Vector256<double> Invoke(Vector256<double> x) => x + Vector256.Create(a);

        public Vector128<double> Invoke(Vector128<double> x) => x + Vector128.Create(a);

        public double Invoke(double x) => x + a;
    }

    /// <summary>NaN or ±∞: x − x is 0 for finite x and NaN otherwise.</summary>
    private readonly struct NonFiniteTest : ITestOperator
    {
        public bool Any(Vector512<double> x) => !Vector512.EqualsAll(x - x, Vector512<double>.Zero);

        public bool Any(Vector256<double> x) => !Vector256.EqualsAll(x - x, Vector256<double>.Zero);

        public bool Any(Vector128<double> x) => !Vector128.EqualsAll(x - x, Vector128<double>.Zero);

        public bool Test(double x) => !double.IsFinite(x);
    }
}
