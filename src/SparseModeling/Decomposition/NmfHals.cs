// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearModel;

namespace SparseModeling.Decomposition;

/// <summary>
/// Hierarchical alternating least squares for the Frobenius objective (Cichocki and Phan, "Fast local
/// algorithms for large scale nonnegative matrix and tensor factorizations", IEICE Trans.
/// Fundamentals E92-A(3), 2009), accelerated as Gillis and Glineur ("Accelerated multiplicative
/// updates and hierarchical ALS algorithms for nonnegative matrix factorization", Neural Comput.
/// 24(4), 2012): the Gram products X·Hᵀ and H·Hᵀ cost about m/K column sweeps of W, so several sweeps
/// of W are made per product (until a sweep changes W ten times less than the first), then the same
/// for H. Stops as coordinate descent does, on the projected-gradient violation of the first sweeps.
/// </summary>
internal static class NmfHals
{
    private const int MaxInnerSweeps = 10;
    private const double InnerRatio = 0.01;

    public static NmfRun Run(NmfProblem problem, double[] wt, double[] h, NmfRegularization reg, NmfRunSettings settings)
    {
        int n = problem.N, m = problem.M, k = problem.K;
        var order = new int[k];
        for (int i = 0; i < k; i++)
        {
            order[i] = i;
        }

        int innerW = Math.Clamp(1 + (m / (2 * k)), 1, MaxInnerSweeps);
        int innerH = Math.Clamp(1 + (n / (2 * k)), 1, MaxInnerSweeps);
        return NmfAlternatingLoop.Run(
            problem,
            wt,
            h,
            reg,
            settings,
            (f, rows, gram, cross, l1, l2) => Sweeps(f, rows, k, gram, cross, l1, l2, order, innerW),
            (f, rows, gram, cross, l1, l2) => Sweeps(f, rows, k, gram, cross, l1, l2, order, innerH));
    }

    /// <summary>Up to <paramref name="sweeps"/> coordinate sweeps on the same Gram products; returns the first sweep's violation.</summary>
    private static double Sweeps(double[] f, int rows, int k, double[] gram, double[] cross, double l1, double l2, int[] order, int sweeps)
    {
        double first = GramCoordinateDescent.NonNegativeSweep(f, rows, k, gram, cross, l1, l2, order);
        for (int s = 1; s < sweeps; s++)
        {
            if (GramCoordinateDescent.NonNegativeSweep(f, rows, k, gram, cross, l1, l2, order) <= InnerRatio * first)
            {
                break;
            }
        }

        return first;
    }
}
