// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The power-of-two rescaling of a linear model's data (<see cref="Rescaling"/>): X is multiplied by
/// s = 2^<see cref="X"/> and y by t = 2^<see cref="Y"/>, each only when its largest absolute entry lies
/// outside [2^−<see cref="Band"/>, 2^(<see cref="Band"/> + 1)) (both exponents are 0, and nothing changes,
/// for data at ordinary scales). The objective (1/(2n))·‖ty − sXw′‖² + α′·‖w′‖₁ + (λ′/2)·‖w′‖² is t² times
/// the original one at w′ = (t/s)·w when α′ = s·t·α and λ′ = s²·λ, so the solver runs on the rescaled
/// data with the penalties scaled so, and its results come back as w = (s/t)·w′, b = b′/t, α = α′/(s·t),
/// and squared measures (duality gaps, residual sums of squares, objectives) divided by t².
/// </summary>
/// <param name="X">The exponent of the factor applied to X.</param>
/// <param name="Y">The exponent of the factor applied to y.</param>
/// <param name="XMagnitude">⌊log₂ max|xᵢⱼ|⌋ of the data as given (0 for all-zero X), rescaled or not.</param>
internal readonly record struct LinearScale(int X, int Y, int XMagnitude = 0)
{
    /// <summary>How far (in powers of two) a curvature parameter may lie from the scale of XᵀX/n (see <see cref="CheckedCurvature"/>).</summary>
    public const int CurvatureRange = 64;

    /// <summary>
    /// Data whose largest absolute entry lies in [2^−64, 2^65) are used as given. Within the band the
    /// squares of entries and the sums of n·p of them stay far inside the double range (2^±1022), as do
    /// the coefficients, whose scale is that of y over X (at most 2^130 apart).
    /// </summary>
    public const int Band = 64;

    /// <summary>Whether nothing is rescaled.</summary>
    public bool IsIdentity => X == 0 && Y == 0;

    /// <summary>The scaling of <paramref name="x"/> and the target entries <paramref name="y"/> (all targets of a multi-target fit).</summary>
    public static LinearScale Of(Matrix<double> x, ReadOnlySpan<double> y)
    {
        double max = Rescaling.MaxAbs(x);
        return new(Rescaling.Exponent(max, -Band, Band), Rescaling.Exponent(Rescaling.MaxAbs(y), -Band, Band), Magnitude(max));
    }

    /// <summary>The scaling of <paramref name="x"/> and <paramref name="y"/>.</summary>
    public static LinearScale Of(Matrix<double> x, Vector<double> y) => Of(x, y.AsArray() ?? y.ToArray());

    /// <summary>The scaling of <paramref name="x"/> and every target of <paramref name="targets"/>.</summary>
    public static LinearScale Of(Matrix<double> x, double[][] targets)
    {
        double max = 0.0;
        foreach (var target in targets)
        {
            max = Math.Max(max, Rescaling.MaxAbs(target));
        }

        double xMax = Rescaling.MaxAbs(x);
        return new(Rescaling.Exponent(xMax, -Band, Band), Rescaling.Exponent(max, -Band, Band), Magnitude(xMax));
    }

    /// <summary>sX (a copy), or <paramref name="x"/> itself when it is not rescaled.</summary>
    public Matrix<double> Apply(Matrix<double> x) => Rescaling.Scaled(x, X);

    /// <summary>ty (a copy), or <paramref name="y"/> itself when it is not rescaled.</summary>
    public Vector<double> Apply(Vector<double> y) => Rescaling.Scaled(y, Y);

    /// <summary>ty in place.</summary>
    public void ApplyInPlace(Span<double> y) => Rescaling.Scale(y, Y);

    /// <summary>
    /// The largest L1 penalty handed to a solver on rescaled data: far above α_max = ‖Xᵀy‖∞/n of any rescaled data
    /// (at most 2^131), so that a larger α, whose solution is 0 all the same, cannot overflow the solvers' sums.
    /// </summary>
    public const double PenaltyCap = 1.3407807929942597e154; // 2^512

    /// <summary>An L1 penalty (α, in the units of Xᵀy) for the rescaled data: s·t·α, at most <see cref="PenaltyCap"/> (α itself when nothing is rescaled).</summary>
    public double Penalty(double alpha) => X + Y == 0 ? alpha : Math.Min(Rescaling.Saturating(alpha, X + Y), PenaltyCap);

    /// <summary>An L1 penalty α′ of the rescaled data back in the caller's units: α′/(s·t).</summary>
    public double UnscalePenalty(double alpha) => Rescaling.Saturating(alpha, -(X + Y));

    /// <summary>A curvature (an L2 penalty, ADMM's ρ, a Lipschitz constant: the units of XᵀX) for the rescaled data: s²·λ.</summary>
    public double Curvature(double value) => Rescaling.Saturating(value, 2 * X);

    /// <summary>
    /// A curvature parameter <paramref name="value"/> (named <paramref name="name"/>: ADMM's ρ) for the rescaled data, s²·value;
    /// <see cref="ArgumentOutOfRangeException"/> when it lies more than 2^<see cref="CurvatureRange"/> away from the scale of
    /// XᵀX/n (that of the largest x² of the data as given). So far from it ADMM's residual rule, whose limits scale as ‖Xᵀy‖/(nρ)
    /// and ρ‖u‖, accepts any iterate after a step or never moves: a parameter out of scale, not a fit.
    /// </summary>
    public double CheckedCurvature(double value, string name)
    {
        int distance = Math.ILogB(value) - (2 * XMagnitude);
        if (Math.Abs(distance) > CurvatureRange)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} = {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} is out of scale for this data: XᵀX/n is of order 2^{2 * XMagnitude} (the largest |x| is about 2^{XMagnitude}), and {name} must lie within 2^±{CurvatureRange} of it for the residual stopping rule to mean anything. Choose {name} near the scale of XᵀX/n (1 suits standardised data).");
        }

        return Curvature(value);
    }

    private static int Magnitude(double max) => max == 0.0 || !double.IsFinite(max) ? 0 : Math.ILogB(max);

    /// <summary>A squared target measure (units of ‖y‖²) for the rescaled data: t²·v.</summary>
    public double TargetSquared(double value) => Rescaling.Saturating(value, 2 * Y);

    /// <summary>Coefficients w of the caller's units as the solver's w′ = (t/s)·w (for warm starts; a copy).</summary>
    public double[] ScaleCoefficients(ReadOnlySpan<double> w)
    {
        var scaled = w.ToArray();
        if (X != Y)
        {
            Rescaling.CheckedInPlace(scaled, Y - X, "warm-start coefficients");
        }

        return scaled;
    }

    /// <summary>The solver's coefficients w′ back in place as w = (s/t)·w′; <see cref="ArithmeticException"/> when they leave the double range.</summary>
    public void UnscaleCoefficients(Span<double> w)
    {
        if (X != Y)
        {
            Rescaling.CheckedInPlace(w, X - Y, "coefficients");
        }
    }

    /// <summary>An intercept b′ back as b = b′/t; <see cref="ArithmeticException"/> when it leaves the double range.</summary>
    public double UnscaleIntercept(double intercept) => Rescaling.Checked(intercept, -Y, "intercept");

    /// <summary>A squared measure (gap, residual sum of squares, objective) back as v′/t²; <see cref="ArithmeticException"/> naming <paramref name="what"/> when it overflows.</summary>
    public double UnscaleSquared(double value, string what) => Rescaling.Checked(value, -2 * Y, what);

    /// <summary>A squared measure for a progress report: v′/t², saturating instead of throwing.</summary>
    public double ReportSquared(double value) => Rescaling.Saturating(value, -2 * Y);
}
