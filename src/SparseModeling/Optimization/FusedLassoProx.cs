// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.Imaging;

namespace SparseModeling.Optimization;

/// <summary>
/// The prox of g(z) = λ·Σ|zᵢ₊₁ − zᵢ| (the 1-D total variation), the 1-D fused Lasso, solved exactly by Condat's direct
/// algorithm (<see cref="CondatSolver"/>, the core of <see cref="TotalVariation.Denoise1D"/>): order 0 of
/// <see cref="TrendFiltering"/>. (It was also the α-step of the Ramdas–Tibshirani ADMM that trend filtering of higher
/// orders ran on before the interior-point core; the ADMM plug-in went with it.)
/// </summary>
internal static class FusedLassoProx
{
    /// <summary>
    /// θ ← argmin ½‖v − θ‖² + λ·Σ|θᵢ₊₁ − θᵢ| for v of at least one entry and λ ≥ 0 (0 copies v); from the weight at
    /// which the answer is constant on, the mean exactly (Condat's levels y ± λ would lose digits to a huge λ).
    /// <paramref name="theta"/> may be <paramref name="v"/> itself.
    /// </summary>
    public static void Solve(ReadOnlySpan<double> v, double lambda, Span<double> theta)
    {
        if (lambda == 0.0 || v.Length == 1)
        {
            v.CopyTo(theta);
        }
        else
        {
            CondatSolver.SolveOrConstant(v, lambda, theta);
        }
    }
}
