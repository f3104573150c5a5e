// SPDX-License-Identifier: BSD-3-Clause
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
/// The workspace (five arrays, 7n doubles) is allocated once per length and reused, so an ADMM loop that calls this
/// as its z-step allocates nothing per iteration. An instance is not thread-safe.
/// </para>
/// </remarks>
internal sealed class FusedLassoDp
{
    private readonly double[] _knot;
    private readonly double[] _slope;
    private readonly double[] _intercept;
    private readonly double[] _lower;
    private readonly double[] _upper;

    /// <summary>A workspace for signals of <paramref name="length"/> entries (≥ 0).</summary>
    public FusedLassoDp(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _knot = GC.AllocateUninitializedArray<double>(2 * length); // written before read, as knots are pushed
        _slope = GC.AllocateUninitializedArray<double>(2 * length);
        _intercept = GC.AllocateUninitializedArray<double>(2 * length);
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

        var knot = _knot;
        var slope = _slope;
        var intercept = _intercept;
        var lower = _lower;
        var upper = _upper;

        // Step 0: h₋₁ = 0, so g₀(θ) = θ − y₀ and the clip points are y₀ ∓ λ. The deque holds the knots in
        // [left, right] of arrays of 2n entries: each step pushes at most one knot at each end.
        double y0 = y[0];
        lower[0] = y0 - lambda;
        upper[0] = y0 + lambda;
        int left = n - 1, right = n;
        knot[left] = lower[0];
        slope[left] = 1.0;
        intercept[left] = lambda - y0;
        knot[right] = upper[0];
        slope[right] = -1.0;
        intercept[right] = lambda + y0;

        for (int i = 1; i < n; i++)
        {
            // gᵢ = hᵢ₋₁ + θ − yᵢ: left of every knot hᵢ₋₁ = −λ, right of every knot +λ.
            double yi = y[i];
            double aLeft = 1.0, bLeft = -lambda - yi;
            if (i == n - 1)
            {
                // The last point solves gₙ(θ) = 0.
                while (left <= right && (aLeft * knot[left]) + bLeft < 0.0)
                {
                    aLeft += slope[left];
                    bLeft += intercept[left];
                    left++;
                }

                theta[n - 1] = -bLeft / aLeft;
                break;
            }

            // θ⁻: from the left, past every knot where g < −λ (the clip flattens them away).
            while (left <= right && (aLeft * knot[left]) + bLeft < -lambda)
            {
                aLeft += slope[left];
                bLeft += intercept[left];
                left++;
            }

            // θ⁺: from the right, past every knot where g > λ.
            double aRight = 1.0, bRight = lambda - yi;
            while (left <= right && (aRight * knot[right]) + bRight > lambda)
            {
                aRight -= slope[right];
                bRight -= intercept[right];
                right--;
            }

            double lo = (-lambda - bLeft) / aLeft;
            double hi = (lambda - bRight) / aRight;
            lower[i] = lo;
            upper[i] = hi;

            // New end knots: −λ changes to g at θ⁻, g changes to +λ at θ⁺.
            left--;
            knot[left] = lo;
            slope[left] = aLeft;
            intercept[left] = bLeft + lambda;
            right++;
            knot[right] = hi;
            slope[right] = -aRight;
            intercept[right] = lambda - bRight;
        }

        for (int i = n - 2; i >= 0; i--)
        {
            theta[i] = Math.Clamp(theta[i + 1], lower[i], upper[i]);
        }
    }
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
