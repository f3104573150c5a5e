// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SparseModeling.Optimization;

/// <summary>
/// The exact 1-D fused Lasso (total-variation denoising of a signal) in O(n) by dynamic programming (Johnson,
/// "A dynamic programming algorithm for the fused lasso and L0-segmentation", J. Comput. Graph. Stat. 2013):
/// θ = argmin ½Σ(yᵢ − θᵢ)² + λΣ|θᵢ₊₁ − θᵢ|.
/// </summary>
/// <remarks>
/// <para>
/// The forward pass carries the derivative hᵢ of the best cost of θ₁..θᵢ as a function of θᵢ₊₁. With
/// gᵢ(θ) = hᵢ₋₁(θ) + θ − yᵢ (non-decreasing, piecewise linear, slope ≥ 1), minimising over θᵢ given θᵢ₊₁ clips gᵢ to
/// [−λ, λ]: hᵢ is −λ left of θ⁻ᵢ (where gᵢ = −λ), gᵢ between, +λ right of θ⁺ᵢ, and the best θᵢ is θᵢ₊₁ clamped to
/// [θ⁻ᵢ, θ⁺ᵢ]. hᵢ is stored as a deque of knots, each with the change of slope and intercept that crossing it adds;
/// finding θ⁻ (θ⁺) pops the knots that the clip removes from the left (right) end and pushes one new knot there, so
/// each knot is pushed and popped once: O(n) in all. The last θₙ solves gₙ = 0, and the backward pass clamps.
/// </para>
/// <para>
/// The workspace (2n knots of three doubles and 2n clip points) is allocated once per length and reused, so an ADMM loop that calls this
/// as its z-step allocates nothing per iteration. An instance is not thread-safe.
/// </para>
/// </remarks>
internal sealed class FusedLassoDp
{
    private readonly Knot[] _knots;
    private readonly double[] _lower;
    private readonly double[] _upper;

    /// <summary>A workspace for signals of <paramref name="length"/> entries (≥ 0).</summary>
    public FusedLassoDp(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _knots = GC.AllocateUninitializedArray<Knot>(2 * length); // written before read, as knots are pushed
        _lower = GC.AllocateUninitializedArray<double>(length);
        _upper = GC.AllocateUninitializedArray<double>(length);
    }

    /// <summary>The signal length this workspace serves.</summary>
    public int Length { get; }

    /// <summary>
    /// θ ← argmin ½‖y − θ‖² + λ·Σ|θᵢ₊₁ − θᵢ| for <paramref name="y"/> of <see cref="Length"/> entries and λ ≥ 0;
    /// <paramref name="theta"/> may be <paramref name="y"/> itself.
    /// </summary>
    public void Solve(ReadOnlySpan<double> y, double lambda, Span<double> theta)
    {
        int n = Length;
        if (y.Length != n || theta.Length != n)
        {
            throw new ArgumentException($"y and theta must have {n} entries (have {y.Length} and {theta.Length}).", nameof(y));
        }

        if (n <= 1 || lambda == 0.0)
        {
            y.CopyTo(theta);
            return;
        }

        // The deque holds the knots in [left, right] of an array of 2n: each step pushes at most one at each end. Indices
        // stay in range by construction (left ≥ 1, right ≤ 2n − 2), so the loops index without bounds checks.
        ref Knot knots = ref MemoryMarshal.GetArrayDataReference(_knots);
        ref double lower = ref MemoryMarshal.GetArrayDataReference(_lower);
        ref double upper = ref MemoryMarshal.GetArrayDataReference(_upper);
        ref double source = ref MemoryMarshal.GetReference(y);

        // Step 0: h₋₁ = 0, so g₀(θ) = θ − y₀ and the clip points are y₀ ∓ λ.
        double y0 = source;
        lower = y0 - lambda;
        upper = y0 + lambda;
        int left = n - 1, right = n;
        Unsafe.Add(ref knots, left) = new Knot(lower, 1.0, lambda - y0);
        Unsafe.Add(ref knots, right) = new Knot(upper, -1.0, lambda + y0);

        for (int i = 1; i < n - 1; i++)
        {
            // gᵢ = hᵢ₋₁ + θ − yᵢ: left of every knot hᵢ₋₁ = −λ, right of every knot +λ.
            double yi = Unsafe.Add(ref source, i);

            // θ⁻: from the left, past every knot where g < −λ (the clip flattens them away).
            double aLeft = 1.0, bLeft = -lambda - yi;
            while (left <= right)
            {
                ref Knot k = ref Unsafe.Add(ref knots, left);
                if ((aLeft * k.Position) + bLeft >= -lambda)
                {
                    break;
                }

                aLeft += k.Slope;
                bLeft += k.Intercept;
                left++;
            }

            // θ⁺: from the right, past every knot where g > λ.
            double aRight = 1.0, bRight = lambda - yi;
            while (left <= right)
            {
                ref Knot k = ref Unsafe.Add(ref knots, right);
                if ((aRight * k.Position) + bRight <= lambda)
                {
                    break;
                }

                aRight -= k.Slope;
                bRight -= k.Intercept;
                right--;
            }

            double lo = (-lambda - bLeft) / aLeft;
            double hi = (lambda - bRight) / aRight;
            Unsafe.Add(ref lower, i) = lo;
            Unsafe.Add(ref upper, i) = hi;

            // New end knots: −λ changes to g at θ⁻, g changes to +λ at θ⁺.
            Unsafe.Add(ref knots, --left) = new Knot(lo, aLeft, bLeft + lambda);
            Unsafe.Add(ref knots, ++right) = new Knot(hi, -aRight, lambda - bRight);
        }

        // The last point solves gₙ(θ) = 0; the backward pass clamps.
        double a = 1.0, b = -lambda - Unsafe.Add(ref source, n - 1);
        while (left <= right)
        {
            ref Knot k = ref Unsafe.Add(ref knots, left);
            if ((a * k.Position) + b >= 0.0)
            {
                break;
            }

            a += k.Slope;
            b += k.Intercept;
            left++;
        }

        ref double result = ref MemoryMarshal.GetReference(theta);
        double next = -b / a;
        Unsafe.Add(ref result, n - 1) = next;
        for (int i = n - 2; i >= 0; i--)
        {
            next = Math.Clamp(next, Unsafe.Add(ref lower, i), Unsafe.Add(ref upper, i));
            Unsafe.Add(ref result, i) = next;
        }
    }

    /// <summary>A knot of the piecewise-linear derivative: crossing it from left to right adds Slope·θ + Intercept.</summary>
    private readonly record struct Knot(double Position, double Slope, double Intercept);
}

/// <summary>
/// g(z) = λ·Σ|zᵢ₊₁ − zᵢ| (the 1-D total variation): its prox is the 1-D fused Lasso, solved exactly by
/// <see cref="FusedLassoDp"/>. The z-step of the trend-filtering ADMM of Ramdas and Tibshirani.
/// </summary>
internal sealed class FusedLassoProx(double weight, int length) : IProximalOperator
{
    private readonly FusedLassoDp _dp = new(length);

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> v, double t, Span<double> result) => _dp.Solve(v, weight * t, result);

    /// <inheritdoc />
    public double Value(ReadOnlySpan<double> z)
    {
        double sum = 0.0;
        for (int i = 1; i < z.Length; i++)
        {
            sum += Math.Abs(z[i] - z[i - 1]);
        }

        return weight * sum;
    }
}
