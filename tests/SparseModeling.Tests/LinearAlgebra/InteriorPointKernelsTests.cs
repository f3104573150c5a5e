// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.Intrinsics;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

/// <summary>
/// The element-wise passes of the box-QP interior-point method, at every width (512, 256, 128 bits and scalar) and through the
/// dispatching entry points, against plain loops written from their definitions (slacks and multipliers' steps divided out,
/// not the kernels' rearrangements).
/// </summary>
public class InteriorPointKernelsTests
{
    private const double Lambda = 1.3;

    private const int Widths = 5; // 0: the entry point, 1–4: 512, 256, 128 bits, scalar

    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        foreach (int n in (int[])[1, 2, 5, 7, 33, 1000])
        {
            for (int width = 0; width < Widths; width++)
            {
                data.Add(n, width);
            }
        }

        return data;
    }

    /// <summary>A random interior point: |ν| &lt; λ (some close to the bounds), μ &gt; 0, b, and two directions.</summary>
    private static (double[] B, double[] Nu, double[] Mu1, double[] Mu2, double[] Affine, double[] Direction) Point(int n)
    {
        var nu = Reference.Random(n, 41);
        var mu1 = Reference.Random(n, 42, 0.01);
        var mu2 = Reference.Random(n, 43, 0.01);
        for (int i = 0; i < n; i++)
        {
            nu[i] *= 2.0 * Lambda * (i % 5 == 0 ? 0.999 : 0.7);
        }

        return (Reference.Random(n, 44), nu, mu1, mu2, Reference.Random(n, 45), Reference.Random(n, 46));
    }

    private static void AssertClose(double expected, double actual, double scale, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1.0, scale), $"{what}: {actual} against {expected}");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Residual_EveryWidthAndBandwidth_MatchesPlainLoop(int n, int width)
    {
        var (b, nu, mu1, mu2, _, _) = Point(n);
        foreach (double[] toeplitz in new double[][] { [2.0, -1.0], [6.0, -4.0, 1.0], [20.0, -15.0, 6.0, -1.0], [3.0] })
        {
            int w = toeplitz.Length - 1;
            var g = new double[n];
            var r1 = new double[n];
            var r2 = new double[n];
            var delta = new double[n];
            var sums = Residual(width, toeplitz, b, nu, mu1, mu2, g, r1, r2, delta);
            double gap = 0.0, quadratic = 0.0, l1 = 0.0, complementarity = 0.0, scale = 0.0;
            for (int i = 0; i < n; i++)
            {
                double product = 0.0;
                for (int j = Math.Max(0, i - w); j <= Math.Min(n - 1, i + w); j++)
                {
                    product += toeplitz[Math.Abs(i - j)] * nu[j];
                }

                double gi = b[i] - product;
                AssertClose(gi, g[i], 10.0, $"g[{i}], w = {w}");
                AssertClose(1.0 / (Lambda - nu[i]), r1[i], 1.0 / (Lambda - nu[i]), $"r1[{i}]");
                AssertClose(1.0 / (Lambda + nu[i]), r2[i], 1.0 / (Lambda + nu[i]), $"r2[{i}]");
                double d = (mu1[i] / (Lambda - nu[i])) + (mu2[i] / (Lambda + nu[i]));
                AssertClose(d, delta[i], d, $"delta[{i}]");
                gap += (Lambda * Math.Abs(gi)) - (nu[i] * gi);
                quadratic += nu[i] * product;
                l1 += Math.Abs(gi);
                complementarity += (mu1[i] * (Lambda - nu[i])) + (mu2[i] * (Lambda + nu[i]));
                scale += 10.0;
            }

            AssertClose(gap, sums.Gap, scale, "gap");
            AssertClose(quadratic, sums.Quadratic, scale, "νᵀAν");
            AssertClose(l1, sums.AbsoluteSum, scale, "‖g‖₁");
            AssertClose(complementarity, sums.Complementarity, scale, "complementarity");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AffineStep_EveryWidth_MatchesPlainLoop(int n, int width)
    {
        var (_, nu, mu1, mu2, affine, _) = Point(n);
        var (r1, r2) = Reciprocals(nu);
        var (inverseStep, quadratic) = AffineStep(width, affine, mu1, mu2, r1, r2);

        // The longest step by its definition: the first bound crossed by s₁ − α·dν, s₂ + α·dν and μ + α·dμ.
        double longest = 1.0, expectedQuadratic = 0.0;
        for (int i = 0; i < n; i++)
        {
            double dv = affine[i], s1 = Lambda - nu[i], s2 = Lambda + nu[i];
            double d1 = -mu1[i] + (mu1[i] * dv / s1), d2 = -mu2[i] - (mu2[i] * dv / s2);
            longest = Longest(longest, s1, s2, dv, mu1[i], d1, mu2[i], d2);
            expectedQuadratic += dv * (d2 - d1);
        }

        AssertClose(longest, 1.0 / inverseStep, 1.0, "longest step");
        AssertClose(expectedQuadratic, quadratic, 100.0 * n, "Σ dν·(dμ₂ − dμ₁)");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CorrectorPasses_EveryWidth_MatchPlainLoop(int n, int width)
    {
        var (b, nu, mu1, mu2, affine, direction) = Point(n);
        var (r1, r2) = Reciprocals(nu);
        const double Target = 0.37;
        var rhs = new double[n];
        CorrectorRhs(width, Target, affine, mu1, mu2, r1, r2, b, rhs);
        double inverseStep = CorrectorStep(width, Target, direction, affine, mu1, mu2, r1, r2);
        var (newNu, newMu1, newMu2) = ((double[])nu.Clone(), (double[])mu1.Clone(), (double[])mu2.Clone());
        const double Alpha = 0.61;
        Update(width, Alpha, Target, direction, affine, newMu1, newMu2, r1, r2, newNu);

        double longest = 1.0;
        for (int i = 0; i < n; i++)
        {
            double s1 = Lambda - nu[i], s2 = Lambda + nu[i], da = affine[i], dv = direction[i];
            double a1 = -mu1[i] + (mu1[i] * da / s1), a2 = -mu2[i] - (mu2[i] * da / s2);
            double p1 = Target + (a1 * da), p2 = Target - (a2 * da);
            double expectedRhs = b[i] - (p1 / s1) + (p2 / s2);
            AssertClose(expectedRhs, rhs[i], Math.Abs(p1 / s1) + Math.Abs(p2 / s2), $"rhs[{i}]");
            double d1 = -mu1[i] + ((p1 + (mu1[i] * dv)) / s1), d2 = -mu2[i] + ((p2 - (mu2[i] * dv)) / s2);
            longest = Longest(longest, s1, s2, dv, mu1[i], d1, mu2[i], d2);
            AssertClose(nu[i] + (Alpha * dv), newNu[i], 1.0, $"ν[{i}]");
            AssertClose(mu1[i] + (Alpha * d1), newMu1[i], Math.Abs(d1) + mu1[i], $"μ₁[{i}]");
            AssertClose(mu2[i] + (Alpha * d2), newMu2[i], Math.Abs(d2) + mu2[i], $"μ₂[{i}]");
        }

        AssertClose(longest, 1.0 / inverseStep, 1.0, "longest corrector step");
    }

    [Fact]
    public void Residual_LengthsDiffer_Throws()
    {
        var a = new double[4];
        var c = new double[3];
        Assert.Throws<ArgumentException>(() => Kernels.BoxQpResidual([2.0, -1.0], a, a, a, a, 1.0, a, a, c, a));
        Assert.Throws<ArgumentException>(() => Kernels.BoxQpResidual([], a, a, a, a, 1.0, a, a, a, a));
        Assert.Throws<ArgumentException>(() => Kernels.BoxQpAffineStep(a, a, c, a, a));
    }

    private static (double[] R1, double[] R2) Reciprocals(double[] nu) =>
        (nu.Select(v => 1.0 / (Lambda - v)).ToArray(), nu.Select(v => 1.0 / (Lambda + v)).ToArray());

    /// <summary>The longest α ≤ <paramref name="longest"/> keeping s₁ − α·dν, s₂ + α·dν, μ₁ + α·dμ₁ and μ₂ + α·dμ₂ positive, by divisions.</summary>
    private static double Longest(double longest, double s1, double s2, double dv, double mu1, double dmu1, double mu2, double dmu2)
    {
        if (dv > 0.0)
        {
            longest = Math.Min(longest, s1 / dv);
        }

        if (dv < 0.0)
        {
            longest = Math.Min(longest, -s2 / dv);
        }

        if (dmu1 < 0.0)
        {
            longest = Math.Min(longest, -mu1 / dmu1);
        }

        if (dmu2 < 0.0)
        {
            longest = Math.Min(longest, -mu2 / dmu2);
        }

        return longest;
    }

    private static Kernels.BoxQpSums Residual(int width, double[] toeplitz, double[] b, double[] nu, double[] mu1, double[] mu2, double[] g, double[] r1, double[] r2, double[] delta) => width switch
    {
        0 => Kernels.BoxQpResidual(toeplitz, b, nu, mu1, mu2, Lambda, g, r1, r2, delta),
        1 => Kernels.BoxQpResidual<Kernels.Width512, Vector512<double>>(toeplitz, b, nu, mu1, mu2, Lambda, g, r1, r2, delta),
        2 => Kernels.BoxQpResidual<Kernels.Width256, Vector256<double>>(toeplitz, b, nu, mu1, mu2, Lambda, g, r1, r2, delta),
        3 => Kernels.BoxQpResidual<Kernels.Width128, Vector128<double>>(toeplitz, b, nu, mu1, mu2, Lambda, g, r1, r2, delta),
        _ => Kernels.BoxQpResidual<Kernels.ScalarWidth, double>(toeplitz, b, nu, mu1, mu2, Lambda, g, r1, r2, delta),
    };

    private static (double, double) AffineStep(int width, double[] dv, double[] mu1, double[] mu2, double[] r1, double[] r2) => width switch
    {
        0 => Kernels.BoxQpAffineStep(dv, mu1, mu2, r1, r2),
        1 => Kernels.BoxQpAffineStep<Kernels.Width512, Vector512<double>>(dv, mu1, mu2, r1, r2),
        2 => Kernels.BoxQpAffineStep<Kernels.Width256, Vector256<double>>(dv, mu1, mu2, r1, r2),
        3 => Kernels.BoxQpAffineStep<Kernels.Width128, Vector128<double>>(dv, mu1, mu2, r1, r2),
        _ => Kernels.BoxQpAffineStep<Kernels.ScalarWidth, double>(dv, mu1, mu2, r1, r2),
    };

    private static void CorrectorRhs(int width, double target, double[] affine, double[] mu1, double[] mu2, double[] r1, double[] r2, double[] g, double[] rhs)
    {
        switch (width)
        {
            case 0: Kernels.BoxQpCorrectorRhs(target, affine, mu1, mu2, r1, r2, g, rhs); break;
            case 1: Kernels.BoxQpCorrectorRhs<Kernels.Width512, Vector512<double>>(target, affine, mu1, mu2, r1, r2, g, rhs); break;
            case 2: Kernels.BoxQpCorrectorRhs<Kernels.Width256, Vector256<double>>(target, affine, mu1, mu2, r1, r2, g, rhs); break;
            case 3: Kernels.BoxQpCorrectorRhs<Kernels.Width128, Vector128<double>>(target, affine, mu1, mu2, r1, r2, g, rhs); break;
            default: Kernels.BoxQpCorrectorRhs<Kernels.ScalarWidth, double>(target, affine, mu1, mu2, r1, r2, g, rhs); break;
        }
    }

    private static double CorrectorStep(int width, double target, double[] direction, double[] affine, double[] mu1, double[] mu2, double[] r1, double[] r2) => width switch
    {
        0 => Kernels.BoxQpCorrectorStep(target, direction, affine, mu1, mu2, r1, r2),
        1 => Kernels.BoxQpCorrectorStep<Kernels.Width512, Vector512<double>>(target, direction, affine, mu1, mu2, r1, r2),
        2 => Kernels.BoxQpCorrectorStep<Kernels.Width256, Vector256<double>>(target, direction, affine, mu1, mu2, r1, r2),
        3 => Kernels.BoxQpCorrectorStep<Kernels.Width128, Vector128<double>>(target, direction, affine, mu1, mu2, r1, r2),
        _ => Kernels.BoxQpCorrectorStep<Kernels.ScalarWidth, double>(target, direction, affine, mu1, mu2, r1, r2),
    };

    private static void Update(int width, double alpha, double target, double[] direction, double[] affine, double[] mu1, double[] mu2, double[] r1, double[] r2, double[] nu)
    {
        switch (width)
        {
            case 0: Kernels.BoxQpUpdate(alpha, target, direction, affine, mu1, mu2, r1, r2, nu); break;
            case 1: Kernels.BoxQpUpdate<Kernels.Width512, Vector512<double>>(alpha, target, direction, affine, mu1, mu2, r1, r2, nu); break;
            case 2: Kernels.BoxQpUpdate<Kernels.Width256, Vector256<double>>(alpha, target, direction, affine, mu1, mu2, r1, r2, nu); break;
            case 3: Kernels.BoxQpUpdate<Kernels.Width128, Vector128<double>>(alpha, target, direction, affine, mu1, mu2, r1, r2, nu); break;
            default: Kernels.BoxQpUpdate<Kernels.ScalarWidth, double>(alpha, target, direction, affine, mu1, mu2, r1, r2, nu); break;
        }
    }
}
