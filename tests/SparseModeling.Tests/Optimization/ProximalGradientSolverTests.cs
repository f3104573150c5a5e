// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;
using SparseModeling.Optimization;
using SparseModeling.Tests.LinearModel;

namespace SparseModeling.Tests.Optimization;

public class ProximalGradientSolverTests
{
    private static ProximalGradientSolver.Result Solve(ILinearOperator a, double[] y, double[] w, IProximalOperator prox, IProximalGradientStopping stopping)
    {
        double step = 1.0 / (ProximalGradientSolver.LargestEigenvalue(a) * ProximalGradientSolver.LipschitzMargin);
        return ProximalGradientSolver.Solve(a, y, w, new ProximalGradientSolver.Settings(prox, step, true, 1_000_000, stopping, null, default));
    }

    [Fact]
    public void RelativeChangeRule_Lasso_ReachesCoordinateDescentOptimum()
    {
        var (x, y) = LassoIstaTests.WideProblem(31, 40, 100);
        const double alpha = 0.05;
        var cd = new Lasso { Alpha = alpha, FitIntercept = false, Tolerance = 1e-14, MaxIterations = 1_000_000 }.Fit(x, y);
        var w = new double[x.ColumnCount];
        var result = Solve(new DenseLinearOperator(x), y.ToArray(), w, new SoftThresholdProx(alpha), new RelativeChangeStopping(1e-12));
        Assert.True(result.Converged);
        Assert.True(result.Gap <= 1e-12);
        LassoIstaTests.AssertClose(cd.Coefficients, Vector<double>.Build.Dense(w), 1e-7);
    }

    [Fact]
    public void RelativeChangeRule_NonNegativeProx_SatisfiesKkt()
    {
        // min (1/(2n))‖y − Xw‖² + α‖w‖₁ s.t. w ≥ 0: with g = −Xᵀ(y − Xw)/n, g_j = −α where w_j > 0 and g_j ≥ −α where w_j = 0.
        var (x, y) = LassoIstaTests.WideProblem(32, 60, 30);
        const double alpha = 0.01;
        var w = new double[30];
        var result = Solve(new DenseLinearOperator(x), y.ToArray(), w, new NonNegativeSoftThresholdProx(alpha), new RelativeChangeStopping(1e-13));
        Assert.True(result.Converged);
        var gradient = -x.TransposeThisAndMultiply(y - (x * Vector<double>.Build.Dense(w))) / x.RowCount;
        int positive = 0;
        for (int j = 0; j < w.Length; j++)
        {
            Assert.True(w[j] >= 0.0);
            if (w[j] > 0.0)
            {
                positive++;
                Assert.Equal(-alpha, gradient[j], 1e-8);
            }
            else
            {
                Assert.True(gradient[j] >= -alpha - 1e-8);
            }
        }

        Assert.InRange(positive, 1, w.Length - 1);
    }

    [Fact]
    public void RelativeChangeRule_AfterRestart_DoesNotStop()
    {
        var rule = new RelativeChangeStopping(1e-3);
        double[] x = [1.0, 2.0];
        Assert.False(rule.Check(new ProximalGradientProgress(5, x, x, x, 1.0, 0.0, true, false), out double reported));
        Assert.True(double.IsNaN(reported));
        Assert.True(rule.Check(new ProximalGradientProgress(6, x, x, x, 1.0, 0.0, false, false), out reported));
        Assert.Equal(0.0, reported);
        Assert.False(rule.Check(new ProximalGradientProgress(7, x, x, [1.0, 1.9], 1.0, 0.0, false, false), out reported));
        Assert.Equal(0.1 / Math.Sqrt(5.0), reported, 1e-15);
    }
}
