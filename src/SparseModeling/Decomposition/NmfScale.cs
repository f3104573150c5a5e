// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Decomposition;

/// <summary>
/// The power-of-two rescaling of NMF data (<see cref="Rescaling"/>): X is multiplied by 4^<see cref="E"/> and
/// W and H by 2^<see cref="E"/> each (so that W·H follows X), only when the largest entry of X lies outside
/// [2^<see cref="Low"/>, 2^(<see cref="High"/> + 1)); at ordinary scales <see cref="E"/> is 0 and nothing changes.
/// D_β(cX ‖ cY) = c^β·D_β(X ‖ Y), so the penalties are scaled to keep the objective proportional: the L1 terms
/// by c^(β − ½), the L2 terms by c^(β − 1) (c = 4^E). The multiplicative updates, coordinate descent and HALS
/// are then equivariant (they keep how W and H share the scale); so are the random start, NNDSVD and a custom
/// start, while the fills of NNDSVDa/NNDSVDar (the mean of X, in the units of X rather than of the factors)
/// and scikit-learn's absolute floors (2^−23 for zeros of W·H, 10^−6 for the NNDSVD truncation) act as they do
/// on data whose largest entry is of order one.
/// </summary>
/// <param name="E">The exponent of the factors' scale: X is multiplied by 2^(2E).</param>
internal readonly record struct NmfScale(int E)
{
    /// <summary>
    /// The lower end of the band: below 2^−16 the floors that scikit-learn's updates use for zeros (2^−23 on W·H,
    /// 10^−6 on the NNDSVD factors, entries of X at or below 2^−23 skipped in D_β for β ≠ 2) would be of the
    /// order of the data itself.
    /// </summary>
    public const int Low = -16;

    /// <summary>The upper end of the band: up to 2^65 the powers x^β (|β| ≤ <see cref="NmfBase.MaxBeta"/>) and their sums stay finite.</summary>
    public const int High = 64;

    /// <summary>Whether nothing is rescaled.</summary>
    public bool IsIdentity => E == 0;

    /// <summary>The rescaling of <paramref name="data"/> (missing entries, NaN, skipped).</summary>
    public static NmfScale Of(ReadOnlySpan<double> data) =>
        new(Rescaling.Exponent(Rescaling.MaxAbs(data), Low, High) >> 1);

    /// <summary>The rescaling of data whose largest |x| is <paramref name="maxAbs"/>.</summary>
    public static NmfScale OfMaxAbs(double maxAbs) =>
        new(Rescaling.Exponent(maxAbs, Low, High) >> 1);

    /// <summary>The data multiplied by 4^E (a copy), or <paramref name="data"/> itself at E = 0.</summary>
    public double[] Data(double[] data) => IsIdentity ? data : Rescaling.ScaledCopy(data, 2 * E);

    /// <summary>A factor (W or H, in the caller's units) multiplied by 2^E in place.</summary>
    public void Factor(Span<double> factor) => Rescaling.Scale(factor, E);

    /// <summary>A factor back in the caller's units (divided by 2^E) in place; <see cref="ArithmeticException"/> naming <paramref name="what"/> when it leaves the double range.</summary>
    public void UnscaleFactor(Span<double> factor, string what) => Rescaling.CheckedInPlace(factor, -E, what);

    /// <summary>The regularisation for the rescaled data: L1 terms times c^(β − ½), L2 terms times c^(β − 1), c = 4^E.</summary>
    public NmfRegularization Regularization(NmfRegularization reg, double beta)
    {
        if (IsIdentity)
        {
            return reg;
        }

        double l1 = E * ((2.0 * beta) - 1.0), l2 = 2.0 * E * (beta - 1.0);
        return new NmfRegularization(Power(reg.L1W, l1), Power(reg.L1H, l1), Power(reg.L2W, l2), Power(reg.L2H, l2));
    }

    /// <summary>A β-divergence of the rescaled data in the caller's units: divided by c^β (saturating).</summary>
    public double Divergence(double divergence, double beta) => IsIdentity ? divergence : Power(divergence, -2.0 * E * beta);

    /// <summary>√(2·D_β) of the rescaled data in the caller's units (divided by c^(β/2)); <see cref="ArithmeticException"/> when it overflows.</summary>
    public double Error(double error, double beta)
    {
        if (IsIdentity)
        {
            return error;
        }

        double scaled = Power(error, -E * beta);
        if (scaled == double.MaxValue && error != 0.0)
        {
            throw new ArithmeticException($"The reconstruction error cannot be represented in double precision: it scales as the data to the power β/2 = {beta / 2.0}, and the data were rescaled by 4^{E} to fit.");
        }

        return scaled;
    }

    /// <summary><paramref name="report"/> receiving the records of the rescaled problem converted to the caller's units (W, H and the divergence); <paramref name="report"/> itself at E = 0.</summary>
    public Action<NmfIterationInfo>? Report(Action<NmfIterationInfo>? report, double beta)
    {
        if (IsIdentity || report is null)
        {
            return report;
        }

        var scale = this;
        // The record's values stay lazy: converted when the callback reads them.
        return info => report(info.InUnits(divergence => scale.Divergence(divergence, beta), -scale.E));
    }

    /// <summary>
    /// Converts the online statistics of the mini-batch H update (A, B: H = (A/B)^γ, with A accumulating H^(1/γ)·num and B
    /// the denominators, whose units are 2^(E·(2β − 1)) times the caller's) in place: to the caller's units with
    /// <paramref name="toCaller"/>, saturating (values beyond the double range are caught by <see cref="CheckStatistics"/>
    /// when a later partial fit needs them), or from them.
    /// </summary>
    public void Statistics(Span<double> numerator, Span<double> denominator, double beta, bool toCaller)
    {
        if (IsIdentity)
        {
            return;
        }

        double sign = toCaller ? -1.0 : 1.0;
        double units = E * ((2.0 * beta) - 1.0);
        double a = sign * (units + (E / NmfMultiplicativeUpdate.Gamma(beta))), b = sign * units;
        for (int i = 0; i < numerator.Length; i++)
        {
            numerator[i] = Power(numerator[i], a);
            denominator[i] = Power(denominator[i], b);
        }
    }

    /// <summary>
    /// Throws <see cref="ArithmeticException"/> unless statistics converted by <see cref="Statistics"/> (to this scale) are
    /// usable: finite and unsaturated, every denominator positive, and the largest numerator and denominator normal
    /// doubles (entries far below the largest may have lost digits that are below its rounding).
    /// </summary>
    public static void CheckStatistics(ReadOnlySpan<double> numerator, ReadOnlySpan<double> denominator)
    {
        double maxA = Rescaling.MaxAbs(numerator), maxB = Rescaling.MaxAbs(denominator);
        int zero = denominator.IndexOf(0.0);
        if (!double.IsFinite(maxA) || !double.IsFinite(maxB) || maxA == double.MaxValue || maxB == double.MaxValue
            || (maxA != 0.0 && !double.IsNormal(maxA)) || !double.IsNormal(maxB) || zero >= 0)
        {
            throw new ArithmeticException($"The online statistics of the fitted model (largest numerator {maxA}, largest denominator {maxB}{(zero >= 0 ? $", a zero denominator at {zero}" : string.Empty)}) cannot be carried to the scale of this batch in double precision: the model was fitted on data of a very different scale. Fit anew, or rescale the data.");
        }
    }

    /// <summary>value·2^exponent, saturating at <see cref="double.MaxValue"/>, for a possibly fractional exponent.</summary>
    private static double Power(double value, double exponent)
    {
        if (value == 0.0 || exponent == 0.0)
        {
            return value;
        }

        double whole = Math.Floor(exponent);
        double scaled = whole > 4096.0 || whole < -4096.0
            ? (whole > 0.0 ? double.PositiveInfinity : 0.0) * Math.Sign(value)
            : Math.ScaleB(value, (int)whole);
        if (exponent != whole)
        {
            scaled *= Math.Pow(2.0, exponent - whole);
        }

        return double.IsInfinity(scaled) ? Math.CopySign(double.MaxValue, scaled) : scaled;
    }
}
