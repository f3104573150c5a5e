// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests.LinearModel;

public class LassoIstaTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(1.0)]
    public void Fit_Diabetes_ConvergesToCoordinateDescentOptimum(double alpha)
    {
        var (x, y) = TestData.Diabetes;
        var cd = new Lasso { Alpha = alpha, Tolerance = 1e-14, MaxIterations = 1_000_000 }.Fit(x, y);
        var fista = new LassoIsta { Alpha = alpha, Tolerance = 1e-14, MaxIterations = 1_000_000 }.Fit(x, y);
        Assert.True(fista.Converged);

        // Coefficients of order 10²–10³ on ill-conditioned data: 1e-6 relative to the largest one.
        double scale = Math.Max(1.0, cd.Coefficients.InfinityNorm());
        AssertClose(cd.Coefficients, fista.Coefficients, 1e-6 * scale);
        Assert.Equal(cd.Intercept, fista.Intercept, 1e-6 * scale);
        Assert.True(Math.Abs(Objective(x, y, fista.Coefficients, fista.Intercept, alpha) - Objective(x, y, cd.Coefficients, cd.Intercept, alpha)) < 1e-6);
    }

    [Fact]
    public void Fit_RandomWideProblem_ConvergesToCoordinateDescentOptimum()
    {
        var (x, y) = WideProblem(3, 60, 300);
        double alpha = 0.05;
        var cd = new Lasso { Alpha = alpha, Tolerance = 1e-14, MaxIterations = 1_000_000 }.Fit(x, y);
        var fista = new LassoIsta { Alpha = alpha, Tolerance = 1e-14, MaxIterations = 1_000_000 }.Fit(x, y);
        Assert.True(fista.Converged);
        AssertClose(cd.Coefficients, fista.Coefficients, 1e-6);
        Assert.Equal(cd.Intercept, fista.Intercept, 1e-6);
    }

    [Fact]
    public void Fit_PlainIsta_ReachesSameOptimumWithMoreIterations()
    {
        var (x, y) = WideProblem(4, 40, 120);
        var fista = new LassoIsta { Alpha = 0.05, Tolerance = 1e-10, MaxIterations = 1_000_000 }.Fit(x, y);
        var ista = new LassoIsta { Alpha = 0.05, Tolerance = 1e-10, MaxIterations = 1_000_000, Accelerated = false }.Fit(x, y);
        Assert.True(fista.Converged && ista.Converged);
        AssertClose(ista.Coefficients, fista.Coefficients, 1e-4);
        Assert.True(fista.Iterations < ista.Iterations, $"FISTA took {fista.Iterations} iterations, ISTA {ista.Iterations}");
    }

    [Fact]
    public void OnIteration_Accelerated_ObjectiveNeverIncreases()
    {
        // Diabetes is ill-conditioned, so FISTA without restart oscillates; the restart must keep the objective monotone.
        var (x, y) = TestData.Diabetes;
        var infos = new List<ProximalGradientIterationInfo>();
        var model = new LassoIsta { Alpha = 0.01, Tolerance = 1e-12, MaxIterations = 100_000, OnIteration = infos.Add }.Fit(x, y);
        Assert.Equal(model.Iterations, infos.Count);
        for (int k = 1; k < infos.Count; k++)
        {
            // A plain proximal-gradient step (taken after a restart) cannot raise the objective beyond rounding.
            Assert.True(infos[k].Objective <= infos[k - 1].Objective * (1.0 + 1e-14), $"objective rose at iteration {k + 1}: {infos[k - 1].Objective} → {infos[k].Objective}");
        }

        Assert.Equal(Objective(x, y, model.Coefficients, model.Intercept, 0.01), infos[^1].Objective, 1e-9);
        Assert.Equal(model.DualGap, infos[^1].DualGap);
    }

    [Fact]
    public void Fit_Converged_DualGapBelowTolerance()
    {
        var (x, y) = TestData.Diabetes;
        var model = new LassoIsta { Alpha = 0.1, Tolerance = 1e-6, MaxIterations = 100_000 }.Fit(x, y);
        var yc = y - y.Average();
        Assert.True(model.Converged);
        Assert.True(model.DualGap <= 1e-6 * yc.DotProduct(yc) / y.Count);
        Assert.True(model.DualGap >= 0.0);
    }

    [Fact]
    public void Fit_SubsampledCosineOperator_RecoversSparseSignal()
    {
        // Compressed sensing: 80 of 256 DCT coefficients of an 8-sparse signal.
        var (a, signal) = SensingProblem(7, 256, 80, 8);
        var y = Vector<double>.Build.Dense(a.RowCount);
        a.Apply(signal.AsArray(), y.AsArray());
        var model = new LassoIsta { Alpha = 1e-4, Tolerance = 1e-10, MaxIterations = 100_000 }.Fit(a, y);
        var w = model.Coefficients;
        Assert.True(model.Converged);
        Assert.Equal(0.0, model.Intercept);
        Assert.True((w - signal).L2Norm() / signal.L2Norm() < 0.01, $"relative error {(w - signal).L2Norm() / signal.L2Norm()}");
        for (int j = 0; j < w.Count; j++)
        {
            Assert.True(signal[j] != 0.0 || Math.Abs(w[j]) < 1e-2, $"spurious coefficient {w[j]} at {j}");
        }
    }

    [Fact]
    public void Fit_Operator_EqualsDenseFitOfItsExplicitMatrix()
    {
        var (a, signal) = SensingProblem(8, 128, 50, 5);
        var y = Vector<double>.Build.Dense(a.RowCount);
        a.Apply(signal.AsArray(), y.AsArray());
        var explicitMatrix = Matrix<double>.Build.Dense(a.RowCount, a.ColumnCount);
        var unit = new double[a.ColumnCount];
        var column = new double[a.RowCount];
        for (int j = 0; j < a.ColumnCount; j++)
        {
            unit[j] = 1.0;
            a.Apply(unit, column);
            unit[j] = 0.0;
            explicitMatrix.SetColumn(j, column);
        }

        var matrixFree = new LassoIsta { Alpha = 1e-3, Tolerance = 1e-13, MaxIterations = 100_000 }.Fit(a, y);
        var dense = new LassoIsta { Alpha = 1e-3, Tolerance = 1e-13, MaxIterations = 100_000, FitIntercept = false }.Fit(explicitMatrix, y);
        Assert.True(matrixFree.Converged && dense.Converged);
        AssertClose(dense.Coefficients, matrixFree.Coefficients, 1e-8);
        Assert.Equal(dense.Predict(explicitMatrix).ToArray(), matrixFree.Predict(explicitMatrix).ToArray(), (u, v) => Math.Abs(u - v) < 1e-8);
    }

    [Fact]
    public void Fit_GivenStepSize_IsUsedAndConverges()
    {
        var (x, y) = WideProblem(5, 30, 50);
        // Plain ISTA, whose progress per iteration is proportional to the step: half the step takes more
        // iterations. (FISTA's restarts make its iteration count not monotone in the step.)
        var automatic = new LassoIsta { Alpha = 0.1, Accelerated = false, Tolerance = 1e-10, MaxIterations = 100_000 }.Fit(x, y);
        var xc = x - Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => x.Column(j).Average());
        double lambdaMax = xc.TransposeThisAndMultiply(xc).Evd().EigenValues.Real().Maximum() / x.RowCount;
        var half = new LassoIsta { Alpha = 0.1, Accelerated = false, Tolerance = 1e-10, MaxIterations = 100_000, StepSize = 0.5 / lambdaMax }.Fit(x, y);
        Assert.True(automatic.Converged && half.Converged);
        AssertClose(automatic.Coefficients, half.Coefficients, 1e-5);
        Assert.True(half.Iterations > automatic.Iterations, $"half step: {half.Iterations} iterations, automatic step: {automatic.Iterations}");
    }

    [Fact]
    public void Fit_BadParameters_ThrowNamedOutOfRange()
    {
        var (x, y) = WideProblem(6, 20, 10);
        Assert.Equal("Alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoIsta { Alpha = -1 }.Fit(x, y)).ParamName);
        Assert.Equal("StepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoIsta { StepSize = 0 }.Fit(x, y)).ParamName);
        Assert.Equal("StepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoIsta { StepSize = double.NaN }.Fit(x, y)).ParamName);
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoIsta { MaxIterations = 0 }.Fit(x, y)).ParamName);
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoIsta { Tolerance = -1e-3 }.Fit(x, y)).ParamName);
    }

    [Fact]
    public void Fit_OperatorBadInput_ThrowsNamedExceptionAndKeepsModel()
    {
        var (a, signal) = SensingProblem(9, 64, 20, 3);
        var y = Vector<double>.Build.Dense(a.RowCount);
        a.Apply(signal.AsArray(), y.AsArray());
        var model = new LassoIsta { Alpha = 1e-3 }.Fit(a, y);
        var before = model.Coefficients;

        Assert.Equal("a", Assert.Throws<ArgumentNullException>(() => model.Fit((ILinearOperator)null!, y)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => model.Fit(a, null!)).ParamName);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(a, Vector<double>.Build.Dense(a.RowCount + 1)));
        Assert.Equal("y", e.ParamName);
        Assert.Contains($"{a.RowCount + 1}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{a.RowCount}", e.Message, StringComparison.Ordinal);
        var bad = y.Clone();
        bad[3] = double.NaN;
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => model.Fit(a, bad)).ParamName);
        Assert.True(double.IsNaN(bad[3]));
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => model.Fit(new SubsampledCosine(16, []), Vector<double>.Build.Dense(0))).ParamName);
        Assert.Equal(before.ToArray(), model.Coefficients.ToArray());
    }

    [Fact]
    public void Fit_AlphaAboveAlphaMax_AllZero()
    {
        var (x, y) = WideProblem(10, 30, 40);
        var xc = x - Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => x.Column(j).Average());
        double alphaMax = xc.TransposeThisAndMultiply(y - y.Average()).AbsoluteMaximum() / x.RowCount;
        var model = new LassoIsta { Alpha = 1.001 * alphaMax }.Fit(x, y);
        Assert.All(model.Coefficients, c => Assert.Equal(0.0, c));
        Assert.Equal(y.Average(), model.Intercept, 1e-12);
        Assert.True(model.Converged);
    }

    [Fact]
    public void Fit_Cancelled_ThrowsAndKeepsPreviousModel()
    {
        var (x, y) = TestData.Diabetes;
        var model = new LassoIsta { Alpha = 0.1 }.Fit(x, y);
        var before = model.Coefficients;
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => model.Fit(x, y, cts.Token));
        Assert.Equal(before.ToArray(), model.Coefficients.ToArray());
    }

    internal static double Objective(Matrix<double> x, Vector<double> y, Vector<double> w, double b, double alpha)
    {
        var r = y - (x * w) - b;
        return (r.DotProduct(r) / (2.0 * y.Count)) + (alpha * w.L1Norm());
    }

    internal static void AssertClose(Vector<double> expected, Vector<double> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int j = 0; j < expected.Count; j++)
        {
            Assert.True(Math.Abs(expected[j] - actual[j]) <= tolerance, $"coef[{j}]: expected {expected[j]}, got {actual[j]}");
        }
    }

    /// <summary>A wide random regression problem with a sparse truth, an offset and a little noise.</summary>
    internal static (Matrix<double> X, Vector<double> Y) WideProblem(ulong seed, int n, int p)
    {
        var rng = new SplitMix64(seed);
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => rng.NextNormal());
        var w = Vector<double>.Build.Dense(p, j => j % 7 == 0 && j < 50 ? (j % 2 == 0 ? 1.5 : -2.0) : 0.0);
        var y = (x * w) + Vector<double>.Build.Dense(n, i => 2.0 + (0.05 * rng.NextNormal()));
        return (x, y);
    }

    private static (SubsampledCosine A, Vector<double> Signal) SensingProblem(ulong seed, int size, int measurements, int nonzeros)
    {
        var rng = new SplitMix64(seed);
        var order = Enumerable.Range(0, size).ToArray();
        for (int i = size - 1; i > 0; i--)
        {
            int k = rng.NextInt(i + 1);
            (order[i], order[k]) = (order[k], order[i]);
        }

        var rows = order[..measurements];
        Array.Sort(rows);
        var signal = Vector<double>.Build.Dense(size);
        for (int k = 0; k < nonzeros; k++)
        {
            signal[order[measurements + k]] = (rng.NextDouble() < 0.5 ? -1.0 : 1.0) * (1.0 + rng.NextDouble());
        }

        return (new SubsampledCosine(size, rows), signal);
    }

    /// <summary>
    /// A = √(N/m)·S·C: the rows <c>rows</c> of the orthonormal DCT-II of size N, evaluated from the
    /// definition through a table of cos(πq/(2N)), q = 0..4N − 1 (the matrix itself never exists),
    /// scaled so that the columns have unit norm on average.
    /// </summary>
    private sealed class SubsampledCosine : ILinearOperator
    {
        private readonly int _size;
        private readonly int[] _rows;
        private readonly double[] _cos;

        public SubsampledCosine(int size, int[] rows)
        {
            _size = size;
            _rows = rows;
            _cos = new double[4 * size];
            for (int q = 0; q < _cos.Length; q++)
            {
                _cos[q] = Math.Cos(Math.PI * q / (2.0 * size));
            }
        }

        public int RowCount => _rows.Length;

        public int ColumnCount => _size;

        public void Apply(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int r = 0; r < _rows.Length; r++)
            {
                double sum = 0.0;
                for (int j = 0; j < _size; j++)
                {
                    sum += Entry(_rows[r], j) * x[j];
                }

                y[r] = sum;
            }
        }

        public void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x)
        {
            for (int j = 0; j < _size; j++)
            {
                double sum = 0.0;
                for (int r = 0; r < _rows.Length; r++)
                {
                    sum += Entry(_rows[r], j) * y[r];
                }

                x[j] = sum;
            }
        }

        // √(c_k/N)·cos(π(2j + 1)k/(2N))·√(N/m), c_0 = 1, c_k = 2.
        private double Entry(int k, int j) =>
            Math.Sqrt((k == 0 ? 1.0 : 2.0) / _rows.Length) * _cos[(2 * j + 1) * k % _cos.Length];
    }
}
