// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// The outer loop shared by the Frobenius solvers that work on Gram products (coordinate descent and
/// HALS): each iteration forms H·Hᵀ and X·Hᵀ and sweeps W, then Wᵀ·W and Wᵀ·X and sweeps H; it stops
/// when the summed projected-gradient violation of an iteration falls to the tolerance times that of
/// the first, as scikit-learn's <c>_fit_coordinate_descent</c>.
/// </summary>
internal static class NmfAlternatingLoop
{
    /// <summary>
    /// Sweeps one factor f (K×rows, K-major) on its Gram matrix and cross products (the regularisation
    /// l1, l2 applied inside); returns the projected-gradient violation.
    /// </summary>
    public delegate double FactorSweep(double[] f, int rows, double[] gram, double[] cross, double l1, double l2);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NmfRun Run(NmfProblem problem, double[] wt, double[] h, NmfRegularization reg, NmfRunSettings settings, FactorSweep sweepW, FactorSweep sweepH)
    {
        int n = problem.N, m = problem.M, k = problem.K;
        var gram = new double[k * k];
        var crossW = new double[k * n];
        var crossH = settings.UpdateH ? new double[k * m] : [];
        double initialViolation = 0.0;
        int iteration = 0;
        bool converged = false;
        while (iteration < settings.MaxIterations)
        {
            settings.CancellationToken.ThrowIfCancellationRequested();
            iteration++;

            // W: on the Gram matrix H·Hᵀ and X·Hᵀ, stored K×n (the sweep applies l1 and l2 without writing either).
            FactorGemm.Gram(k, m, h, gram);
            problem.TimesFactor(h, crossW);
            double violation = sweepW(wt, n, gram, crossW, reg.L1W, reg.L2W);
            if (settings.UpdateH)
            {
                FactorGemm.Gram(k, n, wt, gram);
                problem.FactorTimes(wt, crossH);
                violation += sweepH(h, m, gram, crossH, reg.L1H, reg.L2H);
            }

            // NaN compares false and an infinite first violation makes every later ratio 0: neither may stop the fit.
            problem.EnsureFinite(violation, "projected-gradient violation", iteration);
            if (iteration == 1)
            {
                initialViolation = violation;
            }

            bool stop = initialViolation == 0.0 || violation / initialViolation <= settings.Tolerance;
            if (settings.OnIteration is { } callback)
            {
                NmfIterationInfo.Report(callback, iteration, initialViolation == 0.0 ? 0.0 : violation / initialViolation, () => problem.Divergence(wt, h), wt, h, n, m, k);
            }

            if (stop)
            {
                converged = true;
                break;
            }
        }

        return new NmfRun(iteration, converged);
    }
}
