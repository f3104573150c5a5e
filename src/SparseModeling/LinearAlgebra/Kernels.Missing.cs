// SPDX-License-Identifier: BSD-3-Clause
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <remarks>
/// Element-wise passes over data whose NaN entries mark missing values (HMLasso's pairwise statistics):
/// x == x is false exactly for NaN, so one comparison per vector selects the observed entries.
/// </remarks>
internal static partial class Kernels
{
    /// <summary>result ← 1 where x is observed (not NaN), 0 where it is NaN; <paramref name="result"/> may be <paramref name="x"/> itself.</summary>
    public static void ObservedIndicator(ReadOnlySpan<double> x, Span<double> result) => Map(x, result, default(ObservedIndicatorOperator));

    /// <summary>result ← x + <paramref name="shift"/> where x is observed, 0 where it is NaN (a centred, zero-filled copy); <paramref name="result"/> may be <paramref name="x"/> itself.</summary>
    public static void ShiftObserved(ReadOnlySpan<double> x, double shift, Span<double> result) => Map(x, result, new ShiftObservedOperator(shift));

    /// <summary>The index of the first +∞ or −∞ entry (NaN entries are skipped), or −1 when there is none.</summary>
    public static int IndexOfInfinity(ReadOnlySpan<double> x) => FindFirst(x, default(InfinityTest));

    /// <summary>Σ wᵢ·xᵢ²: a squared norm weighted entry by entry.</summary>
    public static double WeightedSquaredNorm(ReadOnlySpan<double> weights, ReadOnlySpan<double> x) => Reduce(weights, x, default(WeightedSquareStep));

    /// <summary>result ← xᵢ^<paramref name="exponent"/> (Math.Pow's values: 0^0 = 1), for the observation-ratio weights; <paramref name="result"/> may be <paramref name="x"/> itself.</summary>
    public static void Power(ReadOnlySpan<double> x, double exponent, Span<double> result)
    {
        if (!x.IsEmpty)
        {
            TensorPrimitives.Pow(x, exponent, result);
        }
    }

    /// <summary>1 where x == x (not NaN), else 0.</summary>
    private readonly struct ObservedIndicatorOperator : IUnaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x) => Vector512.Equals(x, x) & Vector512<double>.One;

        public Vector256<double> Invoke(Vector256<double> x) => Vector256.Equals(x, x) & Vector256<double>.One;

        public Vector128<double> Invoke(Vector128<double> x) => Vector128.Equals(x, x) & Vector128<double>.One;

        public double Invoke(double x) => double.IsNaN(x) ? 0.0 : 1.0;
    }

    /// <summary>x + shift where x == x (not NaN), else 0.</summary>
    private readonly struct ShiftObservedOperator(double shift) : IUnaryOperator
    {
        public Vector512<double> Invoke(Vector512<double> x) => Vector512.Equals(x, x) & (x + Vector512.Create(shift));

        public Vector256<double> Invoke(Vector256<double> x) => Vector256.Equals(x, x) & (x + Vector256.Create(shift));

        public Vector128<double> Invoke(Vector128<double> x) => Vector128.Equals(x, x) & (x + Vector128.Create(shift));

        public double Invoke(double x) => double.IsNaN(x) ? 0.0 : x + shift;
    }

    /// <summary>|x| = +∞ (false for NaN, which compares unequal to everything).</summary>
    private readonly struct InfinityTest : ITestOperator
    {
        public bool Any(Vector512<double> x) => Vector512.EqualsAny(Vector512.Abs(x), Vector512.Create(double.PositiveInfinity));

        public bool Any(Vector256<double> x) => Vector256.EqualsAny(Vector256.Abs(x), Vector256.Create(double.PositiveInfinity));

        public bool Any(Vector128<double> x) => Vector128.EqualsAny(Vector128.Abs(x), Vector128.Create(double.PositiveInfinity));

        public bool Test(double x) => double.IsInfinity(x);
    }

    /// <summary>acc + w·x².</summary>
    private readonly struct WeightedSquareStep : IReductionOperator
    {
        public Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y) => MultiplyAdd(x * y, y, acc);

        public Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y) => MultiplyAdd(x * y, y, acc);

        public Vector128<double> Step(Vector128<double> acc, Vector128<double> x, Vector128<double> y) => MultiplyAdd(x * y, y, acc);

        public double Step(double acc, double x, double y) => MultiplyAdd(x * y, y, acc);
    }
}
