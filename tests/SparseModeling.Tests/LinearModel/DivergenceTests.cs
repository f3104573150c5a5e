// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;
using SparseModeling.Optimization;

namespace SparseModeling.Tests.LinearModel;

/// <summary>
/// Divergence is detected (issue 10): every iterative solver of the linear models checks its iterate for non-finite
/// values at its stopping test and throws <see cref="ArithmeticException"/> naming the likely cause, leaving the model as
/// it was; NaN never decides a stopping test. The solver-level tests hand the cores data that the estimators would have
/// rescaled, to reach the checks themselves.
/// </summary>
public class DivergenceTests
{
    [Fact]
    public void LassoIsta_StepSizeFarAboveOneOverL_ThrowsNamingTheStepAndOneOverL()
    {
        // Was: 1000 iterations to NaN coefficients, no exception.
        var (x, y) = LassoIstaTests.WideProblem(5, 30, 20);
        var model = new LassoIsta { Alpha = 0.05 }.Fit(x, y);
        var before = model.Coefficients.ToArray();
        model.StepSize = 1e300;
        var e = Assert.Throws<ArithmeticException>(() => model.Fit(x, y));
        Assert.Contains("diverged", e.Message, StringComparison.Ordinal);
        Assert.Contains("StepSize 1E+300 exceeds 1/L = ", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Coefficients.ToArray());
    }

    [Fact]
    public void LassoIsta_StepSizeSomewhatAboveOneOverL_DivergesWithTheRatioInTheMessage()
    {
        var (x, y) = LassoIstaTests.WideProblem(6, 30, 20);
        double lipschitz = ProximalGradientSolver.LargestEigenvalue(new DenseLinearOperator(CentredCopy(x)));
        var model = new LassoIsta { Alpha = 1e-4, StepSize = 3.0 / lipschitz, Accelerated = false, MaxIterations = 100_000 };
        var e = Assert.Throws<ArithmeticException>(() => model.Fit(x, y));
        Assert.Contains("exceeds 1/L", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => model.Coefficients);
    }

    [Fact]
    public void LassoIsta_OperatorStartsReturningNaN_ThrowsNamingTheIteration()
    {
        // Was: 1000 iterations to NaN coefficients, no exception. The step is given, so every product is an iteration's:
        // the first A·x is the start's, the eighth is iteration 7's.
        var (x, y) = LassoIstaTests.WideProblem(7, 30, 20);
        var dense = new DenseLinearOperator(x);
        double step = 1.0 / (ProximalGradientSolver.LargestEigenvalue(dense) * ProximalGradientSolver.LipschitzMargin);
        var model = new LassoIsta { Alpha = 0.01, StepSize = step, Tolerance = 0.0 }.Fit(dense, y);
        var before = model.Coefficients.ToArray();
        var e = Assert.Throws<ArithmeticException>(() => model.Fit(new FailingOperator(dense, failingApply: 8), y));
        Assert.Contains("operator returned NaN at iteration 7", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Coefficients.ToArray());

        var transposed = Assert.Throws<ArithmeticException>(() => model.Fit(new FailingOperator(dense, failingTranspose: 5), y));
        Assert.Contains("NaN", transposed.Message, StringComparison.Ordinal);
        Assert.Contains("Aᵀr", transposed.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Coefficients.ToArray());
    }

    [Fact]
    public void LassoIsta_OperatorReturningNaNInThePowerIteration_ThrowsArithmeticNamingTheOperator()
    {
        var (x, y) = LassoIstaTests.WideProblem(8, 30, 20);
        var e = Assert.Throws<ArithmeticException>(() => new LassoIsta().Fit(new FailingOperator(new DenseLinearOperator(x), failingApply: 3), y));
        Assert.Contains("power iteration", e.Message, StringComparison.Ordinal);
        Assert.Contains("operator returned NaN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CoordinateDescentSolver_OverflowingData_ThrowsInsteadOfReportingANaNGap()
    {
        // The solver on data the estimators would rescale: column norms and residual overflow.
        int n = 20, p = 5;
        var rng = new SplitMix64(1);
        var x = Enumerable.Range(0, n * p).Select(_ => 1e200 * rng.NextNormal()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => 1e200 * rng.NextNormal()).ToArray();
        var problem = new DenseCoordinateDescentProblem(x, n, p, y);
        var settings = new CoordinateDescentSolver.Settings(1.0, 0.0, false, 100, 1e-4, null, null, n, CancellationToken.None);
        var e = Assert.Throws<ArithmeticException>(() => CoordinateDescentSolver.Solve(problem, new double[p], settings));
        Assert.Contains("non-finite parameter values", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArithmeticException>(() => GramCoordinateDescent.Solve(new double[] { double.PositiveInfinity }, [1.0], double.PositiveInfinity, 1, new double[1], settings));
    }

    [Fact]
    public void LarsSolver_NonFiniteCorrelations_Throws()
    {
        var gram = new double[] { double.PositiveInfinity, 0.0, 0.0, 1.0 };
        var settings = new LarsSolver.Settings(LarsMethod.Lasso, 0.0, 10, false, 10, null, CancellationToken.None);
        Assert.Throws<ArithmeticException>(() => LarsSolver.Solve(new PrecomputedLarsGram(gram, 2), [double.PositiveInfinity, 1.0], 1.0, settings));
        var e = Assert.Throws<ArithmeticException>(() => LarsSolver.Solve(new PrecomputedLarsGram(gram, 2), [2.0, 1.0], 1.0, settings));
        Assert.Contains("non-finite Gram entry", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OmpSolver_NonFiniteCorrelations_ThrowsInsteadOfStoppingAsExhausted()
    {
        // Was: the exhaustion threshold became ∞, every atom looked exhausted, and 0 atoms were reported as converged.
        var gram = new double[] { 1.0, 0.0, 0.0, 1.0 };
        var workspace = new OmpSolver.Workspace(2, 2);
        var e = Assert.Throws<ArithmeticException>(() => OmpSolver.SolveGram(gram, 2, 2, [1e300 * 1e10, 1.0], 1.0, 2, null, new double[2], workspace));
        Assert.Contains("non-finite", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArithmeticException>(() => OmpSolver.Solve(new double[] { 1e200, 1e200 }, 2, 1, [1e200, 1e200], [], 1, null, new double[1], CancellationToken.None));
    }

    [Fact]
    public void AdmmSolver_NonFiniteResiduals_ThrowInsteadOfConverging()
    {
        // Was: ‖q‖ = ∞ made both residual limits ∞, and the first iterate "converged".
        var identity = ConstraintOperator.Identity(2);
        var system = new DenseCholeskySystem([1.0, 0.0, 0.0, 1.0], 2, identity);
        var solver = new AdmmSolver(identity, system, 1.0, "rho");
        var state = new AdmmSolver.State([double.MaxValue, double.MaxValue], [0.0, 0.0]);
        var e = Assert.Throws<ArithmeticException>(() => solver.Solve(state, new AdmmSolver.Settings(new SoftThresholdProx(0.1), 100, 1e-4)));
        Assert.Contains("non-finite residuals at iteration 1", e.Message, StringComparison.Ordinal);
    }

    private static Matrix<double> CentredCopy(Matrix<double> x)
    {
        var copy = x.Clone();
        for (int j = 0; j < copy.ColumnCount; j++)
        {
            double mean = copy.Column(j).Average();
            copy.SetColumn(j, copy.Column(j) - mean);
        }

        return copy;
    }

    /// <summary>An operator that writes NaN into its output from its <c>failingApply</c>-th product A·x (or <c>failingTranspose</c>-th Aᵀy) on.</summary>
    private sealed class FailingOperator(ILinearOperator inner, int failingApply = int.MaxValue, int failingTranspose = int.MaxValue) : ILinearOperator
    {
        private int _applies;
        private int _transposes;

        public int RowCount => inner.RowCount;

        public int ColumnCount => inner.ColumnCount;

        public void Apply(ReadOnlySpan<double> x, Span<double> y)
        {
            inner.Apply(x, y);
            if (++_applies >= failingApply)
            {
                y[0] = double.NaN;
            }
        }

        public void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x)
        {
            inner.ApplyTranspose(y, x);
            if (++_transposes >= failingTranspose)
            {
                x[0] = double.NaN;
            }
        }
    }
}
