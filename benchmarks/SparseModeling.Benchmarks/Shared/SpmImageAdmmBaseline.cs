// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Benchmarks.Shared;

/// <summary>
/// spm-image's way of running ADMM for the Lasso, written here as the benchmark baseline: the dense
/// inverse of the p×p matrix XᵀX/n + ρI computed at every fit with MathNet (<c>Inverse()</c>, as
/// spm-image's <c>np.linalg.inv</c>), then the same ADMM iterations as <c>LassoAdmm</c> (start
/// z = Xᵀy/n, the same residual stopping rule, so both run the same iterations) with a p×p
/// matrix–vector product per iteration. Only the linear algebra differs from the library's solver.
/// </summary>
internal static class SpmImageAdmmBaseline
{
    /// <summary>Fits with an intercept; returns the coefficients z, the intercept and the iterations.</summary>
    public static (Vector<double> Coefficients, double Intercept, int Iterations) Fit(Matrix<double> x, Vector<double> y, double alpha, double rho, double tolerance, int maxIterations)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var (xc, yc) = BenchmarkData.Centered(x, y);
        var xMean = x.ColumnSums() / n;
        double yMean = y.Average();

        // inv = (XᵀX/n + ρI)⁻¹; invXy = inv·Xᵀy/n; w = invXy + inv·ρ(z − u).
        var inverse = ((xc.TransposeThisAndMultiply(xc) / n) + (rho * Matrix<double>.Build.DenseIdentity(p))).Inverse();
        var q = xc.TransposeThisAndMultiply(yc) / n;
        var invQ = inverse * q;
        var z = q.Clone();
        var u = Vector<double>.Build.Dense(p);
        double qNorm = q.L2Norm();
        int iteration = 0;
        while (iteration < maxIterations)
        {
            iteration++;
            var w = invQ + (inverse * (rho * (z - u)));
            var zPrevious = z;
            var v = w + u;
            z = v.Map(t => t > alpha / rho ? t - (alpha / rho) : t < -alpha / rho ? t + (alpha / rho) : 0.0);
            u = v - z;
            double primal = (w - z).L2Norm();
            double dual = rho * (z - zPrevious).L2Norm();
            if (primal <= tolerance * ((qNorm / rho) + Math.Max(w.L2Norm(), z.L2Norm())) && dual <= tolerance * (qNorm + (rho * u.L2Norm())))
            {
                break;
            }
        }

        return (z, yMean - xMean.DotProduct(z), iteration);
    }
}
