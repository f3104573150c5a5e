// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Benchmarks.Shared;

/// <summary>
/// The signal problems of the generalized Lasso family (X = I), built from the shared generator exactly as
/// <c>Reference/sweep_bench.py</c> builds them.
/// </summary>
internal static class SignalProblems
{
    /// <summary>The samples of the ADMM signal cases.</summary>
    public const int AdmmLength = 2000;

    /// <summary>
    /// <c>fused_lasso_admm_2000</c>: y = a piecewise-constant signal (0, 2, −1, 1 on quarters) + 0.3·normal(131, 2000);
    /// <see cref="FusedLassoAdmm"/> with α = 3/n, SparseCoefficient 0.1, TrendCoefficient 1, ρ = 100/n, no intercept.
    /// </summary>
    public static (Matrix<double> X, Vector<double> Y) Fused2000()
    {
        var z = BenchmarkData.Normal(131, AdmmLength);
        return (Matrix<double>.Build.DenseIdentity(AdmmLength), Vector<double>.Build.Dense(AdmmLength, i => (i < 500 ? 0.0 : i < 1000 ? 2.0 : i < 1500 ? -1.0 : 1.0) + (0.3 * z[i])));
    }

    /// <summary>
    /// <c>trend_filter_admm_2000</c>: y = sin(4πi/n) + a ramp from i = 1200 + 0.3·normal(132, 2000); <see cref="TrendFilteringAdmm"/>
    /// with α = 20/n, SparseCoefficient 0.1, TrendCoefficient 1, ρ = 100/n, no intercept.
    /// </summary>
    public static (Matrix<double> X, Vector<double> Y) Trend2000()
    {
        var z = BenchmarkData.Normal(132, AdmmLength);
        return (Matrix<double>.Build.DenseIdentity(AdmmLength), Vector<double>.Build.Dense(AdmmLength, i => Math.Sin(4.0 * Math.PI * i / AdmmLength) + (i > 1200 ? (i - 1200) / 400.0 : 0.0) + (0.3 * z[i])));
    }

    /// <summary><c>trend_filter_100000</c>: y = sin(8πi/n) + 0.3·normal(133, 100000), λ = 10, order 1.</summary>
    public static Vector<double> Trend100000()
    {
        const int n = 100_000;
        var z = BenchmarkData.Normal(133, n);
        return Vector<double>.Build.Dense(n, i => Math.Sin(8.0 * Math.PI * i / n) + (0.3 * z[i]));
    }

    /// <summary>An ADMM signal case's estimator, with the case's parameters and a fixed iteration count (tolerance 0).</summary>
    public static DifferenceLassoBase Estimator(bool fused, int iterations)
    {
        DifferenceLassoBase model = fused ? new FusedLassoAdmm() : new TrendFilteringAdmm();
        model.Alpha = (fused ? 3.0 : 20.0) / AdmmLength;
        model.SparseCoefficient = 0.1;
        model.TrendCoefficient = 1.0;
        model.Rho = 100.0 / AdmmLength;
        model.FitIntercept = false;
        model.Tolerance = 0.0;
        model.MaxIterations = iterations;
        return model;
    }

    /// <summary>(1/(2n))‖y − w‖² + α‖Dw‖₁ with D written out (spm-image's matrix).</summary>
    public static double Objective(DifferenceLassoBase model, Vector<double> y, Vector<double> w)
    {
        var r = y - w;
        return (r.DotProduct(r) / (2.0 * y.Count)) + (model.Alpha * (model.GenerateTransformMatrix(y.Count) * w).L1Norm());
    }

    /// <summary>½‖y − β‖² + λ‖D⁽ᵏ⁺¹⁾β‖₁ by plain loops.</summary>
    public static double TrendObjective(Vector<double> y, Vector<double> beta, double lambda, int order)
    {
        var d = beta.ToArray();
        int length = d.Length;
        for (int k = 0; k <= order; k++)
        {
            for (int i = 0; i < length - 1; i++)
            {
                d[i] = d[i + 1] - d[i];
            }

            length--;
        }

        return (0.5 * (y - beta).DotProduct(y - beta)) + (lambda * d.Take(length).Sum(Math.Abs));
    }
}
