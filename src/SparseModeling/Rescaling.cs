// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling;

/// <summary>
/// Power-of-two rescaling of data far from unit scale, shared by the estimator families (see
/// docs/ARCHITECTURE.md, "Extreme scales"). Data whose largest absolute entry lies in a family's band
/// [2^low, 2^(high + 1)) is used exactly as given, so that fits at ordinary scales are bit for bit what
/// they were; data outside it is multiplied by the power of two that brings its largest entry to [1, 2)
/// before the solver runs, and the results are scaled back. Multiplying by a power of two is exact
/// (barring underflow of entries 2^52 times below the largest), so the solver sees the same numbers up
/// to their exponents, and sums of squares of the rescaled data can neither overflow nor underflow.
/// </summary>
internal static class Rescaling
{
    /// <summary>
    /// The exponent e with 2^e·<paramref name="maxAbs"/> in [1, 2) when <paramref name="maxAbs"/> lies outside
    /// [2^<paramref name="low"/>, 2^(<paramref name="high"/> + 1)); 0 when it lies inside, is 0, or is not finite.
    /// </summary>
    public static int Exponent(double maxAbs, int low, int high)
    {
        if (maxAbs == 0.0 || !double.IsFinite(maxAbs))
        {
            return 0;
        }

        int e = Math.ILogB(maxAbs);
        return e < low || e > high ? -e : 0;
    }

    /// <summary>max |xᵢⱼ| over the entries of <paramref name="x"/>, NaN entries skipped (0 when there is none).</summary>
    public static double MaxAbs(Matrix<double> x) => SparseStorage.Of(x) is { } sparse ? SparseStorage.MaxAbs(sparse) : MaxAbs(MatrixStorage.ColumnMajor(x));

    /// <summary>max |xᵢ|, NaN entries skipped (0 when there is none).</summary>
    public static double MaxAbs(ReadOnlySpan<double> x)
    {
        double max = Kernels.MaxAbs(x);
        if (!double.IsNaN(max))
        {
            return max;
        }

        max = 0.0;
        foreach (double v in x)
        {
            if (Math.Abs(v) > max)
            {
                max = Math.Abs(v);
            }
        }

        return max;
    }

    /// <summary><paramref name="x"/> multiplied by 2^<paramref name="exponent"/>, in place.</summary>
    public static void Scale(Span<double> x, int exponent)
    {
        // 2^e is a double only for |e| ≤ 1023; larger shifts (from subnormal data) are taken in two steps.
        while (exponent != 0)
        {
            int step = Math.Clamp(exponent, -1000, 1000);
            Kernels.Scal(Math.ScaleB(1.0, step), x);
            exponent -= step;
        }
    }

    /// <summary>A copy of <paramref name="x"/> multiplied by 2^<paramref name="exponent"/>.</summary>
    public static double[] ScaledCopy(ReadOnlySpan<double> x, int exponent)
    {
        var copy = x.ToArray();
        Scale(copy, exponent);
        return copy;
    }

    /// <summary>A copy of <paramref name="x"/> multiplied by 2^<paramref name="exponent"/> (sparse when <paramref name="x"/> is stored compressed by rows, dense otherwise), or <paramref name="x"/> itself when the exponent is 0.</summary>
    public static Matrix<double> Scaled(Matrix<double> x, int exponent) =>
        exponent == 0 ? x
        : SparseStorage.Of(x) is { } sparse ? SparseStorage.Scaled(sparse, exponent)
        : MatrixStorage.FromColumnMajor(x.RowCount, x.ColumnCount, ScaledCopy(MatrixStorage.ColumnMajor(x), exponent));

    /// <summary>A copy of <paramref name="y"/> multiplied by 2^<paramref name="exponent"/>, or <paramref name="y"/> itself when the exponent is 0.</summary>
    public static Vector<double> Scaled(Vector<double> y, int exponent) =>
        exponent == 0 ? y : Vector<double>.Build.Dense(ScaledCopy(y.AsArray() ?? y.ToArray(), exponent));

    /// <summary><paramref name="value"/>·2^<paramref name="exponent"/> (exactly <paramref name="value"/> when the exponent is 0), saturating at ±<see cref="double.MaxValue"/>.</summary>
    public static double Saturating(double value, int exponent)
    {
        if (exponent == 0)
        {
            return value;
        }

        double scaled = Math.ScaleB(value, exponent);
        return double.IsInfinity(scaled) ? Math.CopySign(double.MaxValue, scaled) : scaled;
    }

    /// <summary>
    /// <paramref name="value"/>·2^<paramref name="exponent"/> (exactly <paramref name="value"/> when the exponent is 0), or an
    /// <see cref="ArithmeticException"/> naming <paramref name="what"/> when the result overflows the double range.
    /// </summary>
    public static double Checked(double value, int exponent, string what)
    {
        if (exponent == 0)
        {
            return value;
        }

        double scaled = Math.ScaleB(value, exponent);
        if (double.IsInfinity(scaled) && double.IsFinite(value))
        {
            throw Unrepresentable(what, value, exponent);
        }

        return scaled;
    }

    /// <summary>
    /// Multiplies <paramref name="values"/> by 2^<paramref name="exponent"/> in place, or throws
    /// <see cref="ArithmeticException"/> naming <paramref name="what"/> when the largest of them overflows the
    /// double range or falls below the smallest normal double 2^−1022. Entries below the largest may then
    /// underflow to subnormals or 0, with an error below the largest one's rounding error (2^−1075 ≤ 2^−53 of it).
    /// </summary>
    public static void CheckedInPlace(Span<double> values, int exponent, string what)
    {
        if (exponent == 0)
        {
            return;
        }

        double max = MaxAbs(values);
        if (max != 0.0 && double.IsFinite(max))
        {
            int e = Math.ILogB(max) + exponent;
            if (e > 1023 || e < -1022)
            {
                throw Unrepresentable(what, max, exponent);
            }
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.ScaleB(values[i], exponent);
        }
    }

    private static ArithmeticException Unrepresentable(string what, double value, int exponent) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"The {what} cannot be represented in double precision: the data were rescaled by a power of two to fit, and scaling the result back ({value:R} × 2^{exponent}) leaves the double range. The scales of the inputs are too far apart for this result."));
}
