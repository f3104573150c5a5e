// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// What <see cref="Nmf"/> reports after each iteration: the β-divergence D_β(X ‖ WH) (without the
/// regularisation terms) and copies of the current factors, to watch the factorisation learn.
/// </summary>
/// <param name="Iteration">One-based number of the iteration just completed.</param>
/// <param name="Objective">The β-divergence D_β(X ‖ WH) after this iteration (scikit-learn's <c>reconstruction_err_</c> is √(2·D_β)).</param>
/// <param name="StoppingMeasure">
/// The quantity the solver's stopping rule compares with the tolerance: for <see cref="Nmf"/>'s multiplicative
/// updates the relative error decrease of the 10-iteration check (NaN in other iterations); for coordinate
/// descent and HALS the projected-gradient violation relative to the first iteration's; for
/// <see cref="MiniBatchNmf"/> the relative change ‖H − H_previous‖_F / ‖H‖_F of the step.
/// </param>
/// <param name="W">A copy of the current W (samples × components); the callback may keep it.</param>
/// <param name="H">A copy of the current H (components × features); the callback may keep it.</param>
public sealed record NmfIterationInfo(int Iteration, double Objective, double StoppingMeasure, Matrix<double> W, Matrix<double> H)
    : IterationInfo(Iteration, Objective)
{
    /// <summary>Builds the record from the solvers' K-major factors (copies are made here, only when a callback is set).</summary>
    internal static NmfIterationInfo Create(int iteration, double divergence, double stoppingMeasure, double[] wt, double[] h, int n, int m, int k)
    {
        var w = Matrix<double>.Build.Dense(n, k);
        var wData = w.AsColumnMajorArray();
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                wData[i + (c * n)] = wt[c + (i * k)];
            }
        }

        var hCopy = Matrix<double>.Build.Dense(k, m, (double[])h.Clone());
        return new NmfIterationInfo(iteration, divergence, stoppingMeasure, w, hCopy);
    }
}
