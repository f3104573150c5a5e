// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearModel;

namespace SparseModeling.Decomposition;

/// <summary>
/// Cyclic coordinate descent for the Frobenius NMF objective (Cichocki and Phan, IEICE Trans. 2009;
/// Hsieh and Dhillon, KDD 2011) exactly as scikit-learn's <c>_fit_coordinate_descent</c>: each
/// iteration sweeps every entry of W, component by component, on the Gram matrices H·Hᵀ and X·Hᵀ, then
/// H the same way on Wᵀ·W and Xᵀ·W (<see cref="GramCoordinateDescent.NonNegativeSweep"/>); stops when the summed
/// projected-gradient violation of an iteration falls to <c>tolerance</c> times that of the first.
/// </summary>
internal static class NmfCoordinateDescent
{
    public static NmfRun Run(NmfProblem problem, double[] wt, double[] h, NmfRegularization reg, NmfRunSettings settings, SplitMix64? shuffle)
    {
        int k = problem.K;
        var order = new int[k];
        return NmfAlternatingLoop.Run(
            problem,
            wt,
            h,
            reg,
            settings,
            (f, rows, gram, cross, l1, l2) => GramCoordinateDescent.NonNegativeSweep(f, rows, k, gram, cross, l1, l2, Order(order, shuffle)),
            (f, rows, gram, cross, l1, l2) => GramCoordinateDescent.NonNegativeSweep(f, rows, k, gram, cross, l1, l2, Order(order, shuffle)));
    }

    private static int[] Order(int[] order, SplitMix64? shuffle)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (shuffle is not null)
        {
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = shuffle.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        return order;
    }
}
