// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Imaging;

/// <summary>
/// The exact minimiser of ½·Σ(xᵢ − yᵢ)² + λ·Σ|xᵢ₊₁ − xᵢ| by L. Condat's direct algorithm ("A direct algorithm for 1D total
/// variation denoising", IEEE Signal Process. Lett. 20(11), 1054–1057, 2013): one left-to-right scan that grows the current
/// segment while both of its candidate levels stay feasible and fixes a segment as soon as a jump up or down becomes
/// certain, backtracking to the last index where the chosen bound was met. O(n) in practice (worst case O(n²), which
/// needs contrived data), no allocation beyond the output.
/// </summary>
/// <remarks>
/// The optimality conditions the scan maintains (the taut-string view): with the running sum u_k = Σ_{i≤k}(yᵢ − xᵢ),
/// |u_k| ≤ λ for every k &lt; n − 1, u_k = ±λ where x jumps (the sign of the jump), and Σ(yᵢ − xᵢ) = 0. The current segment
/// starts at <c>k0</c>; <c>vMin</c>/<c>vMax</c> are the lowest and highest levels it can take (the level that makes the
/// lower/upper bound active), and <c>uMin</c>/<c>uMax</c> the running sums the scan has for them.
/// </remarks>
internal static class CondatSolver
{
    /// <summary>1/len for the segment lengths met most: a multiplication in the scan's recurrence instead of a division (three times its latency).</summary>
    private static readonly double[] Reciprocals = CreateReciprocals(1 << 14);

    /// <summary>Writes the minimiser for <paramref name="y"/> (n ≥ 1, finite) and λ = <paramref name="lambda"/> &gt; 0 to <paramref name="x"/>.</summary>
    public static void Solve(ReadOnlySpan<double> y, double lambda, Span<double> x)
    {
        int n = y.Length;
        if (x.Length != n || n == 0)
        {
            throw new ArgumentException($"The output has {x.Length} entries for a signal of {n}; they must agree and be at least 1.", nameof(x));
        }

        int last = n - 1;
        int k = 0, k0 = 0, kMinus = 0, kPlus = 0;
        double vMin = y[0] - lambda, vMax = y[0] + lambda;
        double uMin = lambda, uMax = -lambda;
        while (true)
        {
            if (k == last)
            {
                // The end of the signal: the running sum must come back to 0. If the lower level leaves it negative the
                // segment up to kMinus is fixed at vMin (a jump up follows it); if the upper level leaves it positive, the
                // segment up to kPlus is fixed at vMax; otherwise one level in between closes the segment.
                if (uMin < 0.0)
                {
                    Fill(x, ref k0, kMinus, vMin);
                    k = kMinus = k0;
                    vMin = y[k];
                    uMin = lambda;
                    uMax = vMin + uMin - vMax;
                    continue;
                }

                if (uMax > 0.0)
                {
                    Fill(x, ref k0, kPlus, vMax);
                    k = kPlus = k0;
                    vMax = y[k];
                    uMax = -lambda;
                    uMin = vMax + uMax - vMin;
                    continue;
                }

                vMin += uMin / (k - k0 + 1);
                Fill(x, ref k0, k, vMin);
                return;
            }

            double next = y[k + 1];
            uMin += next - vMin;
            if (uMin < -lambda)
            {
                // Even the lowest level overshoots: the segment ends at kMinus with a jump down.
                Fill(x, ref k0, kMinus, vMin);
                k = kMinus = kPlus = k0;
                vMin = y[k];
                vMax = vMin + (2.0 * lambda);
                uMin = lambda;
                uMax = -lambda;
                continue;
            }

            uMax += next - vMax;
            if (uMax > lambda)
            {
                // Even the highest level undershoots: the segment ends at kPlus with a jump up.
                Fill(x, ref k0, kPlus, vMax);
                k = kMinus = kPlus = k0;
                vMax = y[k];
                vMin = vMax - (2.0 * lambda);
                uMin = lambda;
                uMax = -lambda;
                continue;
            }

            // Both levels stay feasible: extend the segment, lowering vMin / raising vMax where a bound became active.
            k++;
            if (uMin >= lambda)
            {
                kMinus = k;
                vMin += (uMin - lambda) * Reciprocal(k - k0 + 1);
                uMin = lambda;
            }

            if (uMax <= -lambda)
            {
                kPlus = k;
                vMax += (uMax + lambda) * Reciprocal(k - k0 + 1);
                uMax = -lambda;
            }
        }
    }

    /// <summary>
    /// The minimiser for <paramref name="y"/> (n ≥ 1, finite) and λ = <paramref name="lambda"/> &gt; 0, with the constant
    /// mean written exactly from the weight at which the answer is constant on (<see cref="ConstantWeight"/>; Condat's
    /// levels y ± λ would lose digits to a huge λ). That weight is at least max|yᵢ − ȳ|/2 (each yᵢ − ȳ is the difference of
    /// two running sums, and max|yᵢ − ȳ| ≥ max|yᵢ| − |ȳ|), so below that the scan runs without computing it.
    /// </summary>
    public static void SolveOrConstant(ReadOnlySpan<double> y, double lambda, Span<double> x)
    {
        double mean = Kernels.Sum(y) / y.Length;
        // max|yᵢ − ȳ| ≥ max|yᵢ| − |ȳ|.
        double spread = Kernels.MaxAbs(y) - Math.Abs(mean);
        if (2.0 * lambda >= spread && lambda >= ConstantWeight(y, mean))
        {
            x.Fill(mean);
        }
        else
        {
            Solve(y, lambda, x);
        }
    }

    /// <summary>
    /// The smallest weight at which the 1-D minimiser is the constant mean: max_k |Σ_{i≤k}(yᵢ − ȳ)| over k &lt; n − 1 (the
    /// dual certificate of the constant is then feasible).
    /// </summary>
    public static double ConstantWeight(ReadOnlySpan<double> y, double mean)
    {
        // Two running sums, one per half, so that the additions form two independent chains; the second half starts from
        // the first half's total. The extremes are kept by predictable comparisons rather than Math.Max/Abs (NaN-aware).
        int n = y.Length;
        int half = n / 2;
        double offset = Kernels.Sum(y[..half]) - (half * mean);
        double first = 0.0, second = offset, low = 0.0, high = 0.0;
        double m = mean;
        for (int i = 0; i < half; i++)
        {
            first += y[i] - m;
            second += y[half + i] - m;
            if (first > high)
            {
                high = first;
            }

            if (first < low)
            {
                low = first;
            }

            // The last running sum (k = n − 1) is excluded: it is 0 up to rounding. For odd n the pairs end at n − 2.
            if (half + i < n - 1)
            {
                if (second > high)
                {
                    high = second;
                }

                if (second < low)
                {
                    low = second;
                }
            }
        }

        return Math.Max(high, -low);
    }

    /// <summary>1/<paramref name="length"/> for a length ≥ 1: from the table where it has it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Reciprocal(int length)
    {
        var table = Reciprocals;
        return (uint)length < (uint)table.Length ? table[length] : 1.0 / length;
    }

    private static double[] CreateReciprocals(int count)
    {
        var table = new double[count];
        for (int i = 1; i < count; i++)
        {
            table[i] = 1.0 / i;
        }

        return table;
    }

    /// <summary>x[k0..through] ← value (at least x[k0]); k0 moves past the filled range.</summary>
    private static void Fill(Span<double> x, ref int k0, int through, double value)
    {
        do
        {
            x[k0++] = value;
        }
        while (k0 <= through);
    }
}
