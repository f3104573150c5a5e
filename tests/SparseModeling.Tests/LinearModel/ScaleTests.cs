// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

/// <summary>
/// The extreme-scale cases of issue 10 for the linear models, one test each (the general property is in
/// <see cref="ScaleChecks"/>): data scaled by 1e150 or 1e300 gives the unscaled answer scaled, or a clear error.
/// </summary>
public class ScaleTests
{
    [Fact]
    public void LassoAdmm_Times1e150_WithRhoScaled_GivesTheUnscaledCoefficients()
    {
        // Was: about twice the true coefficients, Converged after 1 iteration ("Rho too small" for every ρ with an intercept).
        var (x, y) = Problem();
        var reference = new LassoAdmm { Alpha = 0.05, Tolerance = 1e-10, MaxIterations = 100_000 }.Fit(x, y);
        var scaled = new LassoAdmm { Alpha = 0.05 * 1e300, Rho = 1e300, Tolerance = 1e-10, MaxIterations = 100_000 }.Fit(x * 1e150, y * 1e150);
        Assert.True(scaled.Converged);
        Assert.True(scaled.Iterations > 1);
        AssertClose(reference.Coefficients, scaled.Coefficients, 1e-7);
        Assert.Equal(reference.Intercept * 1e150, scaled.Intercept, 1e-7 * Math.Abs(reference.Intercept) * 1e150);
    }

    [Fact]
    public void LassoAdmm_RhoOutOfScaleForTheData_ThrowsNamingRho()
    {
        // ρ = 1 against XᵀX/n of order 1e300: the residual rule would accept the first iterate.
        var (x, y) = Problem();
        var model = new LassoAdmm { Alpha = 0.05 }.Fit(x, y);
        var before = model.Coefficients.ToArray();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x * 1e150, y * 1e150));
        Assert.Equal("Rho", e.ParamName);
        Assert.Contains("out of scale", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Coefficients.ToArray());
        Assert.Equal("rho", Assert.Throws<ArgumentOutOfRangeException>(() => AdmmPath.Compute(x * 1e150, y * 1e150, alphaCount: 3)).ParamName);
    }

    [Fact]
    public void AdmmPath_Times1e150_WithRhoScaled_ConvergesAtEveryAlphaToTheUnscaledPath()
    {
        // Was: every α marked converged after 1 iteration.
        var (x, y) = Problem();
        var reference = AdmmPath.Compute(x, y, alphaCount: 5, tolerance: 1e-10, maxIterations: 100_000);
        var scaled = AdmmPath.Compute(x * 1e150, y * 1e150, alphaCount: 5, rho: 1e300, tolerance: 1e-10, maxIterations: 100_000);
        Assert.All(scaled.Iterations, iterations => Assert.True(iterations > 1));
        Assert.All(scaled.Converged, Assert.True);
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(reference.Alphas[k] * 1e300, scaled.Alphas[k], 1e-12 * reference.Alphas[k] * 1e300);
            AssertClose(reference.Coefficients.Column(k), scaled.Coefficients.Column(k), 1e-6);
        }
    }

    [Fact]
    public void OrthogonalMatchingPursuit_Times1e150_ChoosesTheSameAtoms()
    {
        // Was: all zeros, Converged after 0 iterations.
        var (x, y) = Problem();
        var reference = new OrthogonalMatchingPursuit { NonzeroCoefficients = 3 }.Fit(x, y);
        foreach (double c in new[] { 1e150, 1e-300 })
        {
            var scaled = new OrthogonalMatchingPursuit { NonzeroCoefficients = 3 }.Fit(x * c, y * c);
            Assert.Equal(3, scaled.Iterations);
            Assert.True(scaled.Converged);
            AssertClose(reference.Coefficients, scaled.Coefficients, 1e-12);
        }

        // At 1e300 the atoms are found too, but ‖y − Xw − b‖² (of order 1e600) has no double.
        var e = Assert.Throws<ArithmeticException>(() => new OrthogonalMatchingPursuit { NonzeroCoefficients = 3 }.Fit(x * 1e300, y * 1e300));
        Assert.Contains("residual squared norm cannot be represented", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1e150)]
    [InlineData(1e300)]
    [InlineData(1e-300)]
    public void CoordinateDescent_ExtremeScale_GivesTheUnscaledCoefficientsWithAFiniteGap(double c)
    {
        // Was: zero coefficients and a NaN duality gap (Lasso, ElasticNet, LassoCV).
        var (x, y) = Problem();
        var lasso = new Lasso { Alpha = 0.05 }.Fit(x, y);
        var scaledLasso = new Lasso { Alpha = 0.05 * c }.Fit(x * c, y);
        Assert.True(scaledLasso.Converged);
        Assert.True(double.IsFinite(scaledLasso.DualGap));
        AssertClose(lasso.Coefficients, scaledLasso.Coefficients * c, 1e-10);

        var net = new ElasticNet { Alpha = 0.05 }.Fit(x, y);
        if (c > 1e200)
        {
            // y of order 1e300: the coefficients are fine, but the duality gap (of order 1e−4·‖y‖²/n) exceeds the doubles.
            var e = Assert.Throws<ArithmeticException>(() => new ElasticNet { Alpha = 0.05 }.Fit(x * c, y * c));
            Assert.Contains("duality gap cannot be represented", e.Message, StringComparison.Ordinal);
        }
        else
        {
            // Converged or not (at 1e150 α is nearly 0 for this data, where the gap stalls at the residual), a finite gap.
            var scaledNet = new ElasticNet { Alpha = 0.05 }.Fit(x * c, y * c);
            Assert.True(double.IsFinite(scaledNet.DualGap));
            Assert.All(scaledNet.Coefficients.ToArray(), w => Assert.True(double.IsFinite(w)));
        }

        // ElasticNet on (cX, cy) at the same α is a different problem unless c = 1; at α·c² it is the same one.
        if (c * c is var c2 && double.IsFinite(c2) && c2 > 0.0)
        {
            var equivalent = new ElasticNet { Alpha = 0.05 * c2 }.Fit(x * c, y * c);
            AssertClose(net.Coefficients, equivalent.Coefficients, 1e-10);
        }

        var cv = new LassoCV { Folds = 3, AlphaCount = 10 }.Fit(x * c, y);
        Assert.True(double.IsFinite(cv.DualGap));
        Assert.Contains(cv.Coefficients.ToArray(), w => w != 0.0);
    }

    [Fact]
    public void LarsFamily_Times1e150_FollowTheUnscaledPath()
    {
        // Was: zeros with Converged = true.
        var (x, y) = Problem();
        const double c = 1e150;
        AssertClose(new Lars().Fit(x, y).Coefficients, new Lars().Fit(x * c, y * c).Coefficients, 1e-10);
        var lassoLars = new LassoLars { Alpha = 0.05 * c * c }.Fit(x * c, y * c);
        Assert.True(lassoLars.Converged);
        AssertClose(new LassoLars { Alpha = 0.05 }.Fit(x, y).Coefficients, lassoLars.Coefficients, 1e-10);
        var ic = new LassoLarsIC().Fit(x * c, y * c);
        AssertClose(new LassoLarsIC().Fit(x, y).Coefficients, ic.Coefficients, 1e-10);
        var path = LarsPath.Compute(x * c, y * c, LarsMethod.Lasso);
        var referencePath = LarsPath.Compute(x, y, LarsMethod.Lasso);
        Assert.Equal(referencePath.Alphas.Count, path.Alphas.Count);
        AssertClose(referencePath.Alphas * (c * c), path.Alphas, 1e-10);
    }

    [Fact]
    public void LassoIsta_Times1e300_FitsInsteadOfBlamingAnOperator()
    {
        // Was: ArgumentException naming an "operator" argument a that Fit(matrix) never takes.
        var (x, y) = Problem();
        var reference = new LassoIsta { Alpha = 0.05, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x, y);
        var scaled = new LassoIsta { Alpha = 0.05 * 1e300, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x * 1e300, y);
        Assert.True(scaled.Converged);
        AssertClose(reference.Coefficients, scaled.Coefficients * 1e300, 1e-6);
    }

    [Fact]
    public void LassoAdmm_MultiTarget_Times1e150_GivesEveryTargetsUnscaledCoefficients()
    {
        var (x, y) = Problem();
        var targets = Matrix<double>.Build.DenseOfColumnVectors(y, y * 0.5 + 1.0);
        var reference = new LassoAdmm { Alpha = 0.05, Tolerance = 1e-10, MaxIterations = 100_000 }.Fit(x, targets);
        var scaled = new LassoAdmm { Alpha = 0.05 * 1e300, Rho = 1e300, Tolerance = 1e-10, MaxIterations = 100_000 }.Fit(x * 1e150, targets * 1e150);
        Assert.True(scaled.Converged);
        for (int k = 0; k < 2; k++)
        {
            AssertClose(reference.CoefficientMatrix.Row(k), scaled.CoefficientMatrix.Row(k), 1e-7);
        }

        AssertClose(reference.Intercepts * 1e150, scaled.Intercepts, 1e-7);
    }

    [Fact]
    public void OnIteration_ExtremeScale_ReportsInTheCallersUnits()
    {
        var (x, y) = Problem();
        const double c = 1e150;
        var gaps = new List<double>();
        var lasso = new Lasso { Alpha = 0.05 * c, OnIteration = info => gaps.Add(info.DualGap) }.Fit(x, y * c);
        Assert.Equal(lasso.DualGap, gaps[^1], 1e-12 * Math.Abs(lasso.DualGap));

        var objectives = new List<double>();
        var ista = new LassoIsta { Alpha = 0.05 * c, OnIteration = info => objectives.Add(info.Objective) }.Fit(x, y * c);
        var r = (y * c) - (x * ista.Coefficients) - ista.Intercept;
        double objective = (r.DotProduct(r) / (2.0 * y.Count)) + (0.05 * c * ista.Coefficients.L1Norm());
        Assert.Equal(objective, objectives[^1], 1e-9 * objective);

        var alphas = new List<double>();
        var lars = new LassoLars { Alpha = 0.05 * c, OnIteration = info => alphas.Add(info.Alpha) }.Fit(x, y * c);
        // Each step reports the α of the knot it reached (the last one before the path is cut at α).
        Assert.Equal(lars.Alphas.Skip(1).Take(alphas.Count - 1), alphas.Take(alphas.Count - 1), new Relative(1e-12));

        var residuals = new List<double>();
        var admm = new LassoAdmm { Alpha = 0.05 * c, OnIteration = info => residuals.Add(info.PrimalResidual) }.Fit(x, y * c);
        Assert.True(residuals[^1] <= 1e-4 * c * admm.Coefficients.L2Norm() * 10.0, $"last primal residual {residuals[^1]}");
        Assert.True(residuals[^1] > 1e-20 * c, $"last primal residual {residuals[^1]} is not in the units of the coefficients");
    }

    [Fact]
    public void Coefficients_NotRepresentable_ThrowClearArithmeticException()
    {
        // y/X of order 1e600: no double holds the coefficients.
        var (x, y) = Problem();
        foreach (Func<IRegressor> create in new Func<IRegressor>[] { () => new Lasso { Alpha = 1e-3 }, () => new Lars(), () => new OrthogonalMatchingPursuit(), () => new LassoIsta { Alpha = 1e-3 } })
        {
            var model = create();
            var e = Assert.Throws<ArithmeticException>(() => model.Fit(x * 1e-300, y * 1e300));
            Assert.Contains("coefficients", e.Message, StringComparison.Ordinal);
            Assert.Contains("cannot be represented", e.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() => model.Predict(x));
        }
    }

    /// <summary>
    /// scikit-learn's <c>test_enet_nonfinite_params</c>: X = float64 max × uniform (10×2), whose column sums overflow, and
    /// y ∈ {0, 1}. scikit-learn raises "Coordinate descent iterations resulted in non-finite parameter values"; here the data
    /// are rescaled, and the coefficients, of order 1/max, fall below the normal doubles: a clear error, never a NaN intercept.
    /// </summary>
    [Fact]
    public void ElasticNet_EntriesNearDoubleMaxValue_ThrowsArithmeticException()
    {
        var rng = new SplitMix64(0);
        var x = Matrix<double>.Build.Dense(10, 2, (i, j) => double.MaxValue * rng.NextDouble());
        var y = Vector<double>.Build.Dense(10, i => rng.NextInt(2));
        var model = new ElasticNet { Alpha = 0.1 };
        var e = Assert.Throws<ArithmeticException>(() => model.Fit(x, y));
        Assert.Contains("cannot be represented", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => model.Intercept);

        // The same data one binade lower has representable coefficients and a finite intercept.
        var lower = new ElasticNet { Alpha = 0.1 }.Fit(x * 1e-10, y);
        Assert.True(double.IsFinite(lower.Intercept));
        Assert.All(lower.Coefficients.ToArray(), w => Assert.True(double.IsFinite(w)));
    }

    /// <summary>40×6 with three relevant features, an offset and noise.</summary>
    private static (Matrix<double> X, Vector<double> Y) Problem()
    {
        var rng = new SplitMix64(99);
        var x = Matrix<double>.Build.Dense(40, 6, (i, j) => rng.NextNormal());
        var w = Vector<double>.Build.DenseOfArray([1.5, 0.0, -2.0, 0.0, 0.7, 0.0]);
        return (x, (x * w) + 3.0 + Vector<double>.Build.Dense(40, _ => 0.2 * rng.NextNormal()));
    }

    private sealed class Relative(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance * Math.Max(Math.Abs(a), Math.Abs(b));

        public int GetHashCode(double obj) => 0;
    }

    private static void AssertClose(Vector<double> expected, Vector<double> actual, double relative)
    {
        double scale = expected.AbsoluteMaximum();
        for (int j = 0; j < expected.Count; j++)
        {
            Assert.True(Math.Abs(expected[j] - actual[j]) <= relative * scale, $"[{j}]: expected {expected[j]:R}, got {actual[j]:R}");
        }
    }
}
