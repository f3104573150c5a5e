// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.Imaging;

namespace SparseModeling.Optimization;

/// <summary>
/// g(z) = λ·Σ|zᵢ₊₁ − zᵢ| (the 1-D total variation): its prox is the 1-D fused Lasso, solved exactly by Condat's direct
/// algorithm (<see cref="CondatSolver"/>, the core of <see cref="TotalVariation.Denoise1D"/>). The z-step of the
/// trend-filtering ADMM of Ramdas and Tibshirani; allocates nothing per call.
/// </summary>
/// <param name="weight">λ ≥ 0.</param>
internal sealed class FusedLassoProx(double weight) : IProximalOperator
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

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> v, double t, Span<double> result) => Solve(v, weight * t, result);

    /// <inheritdoc />
    public double Value(ReadOnlySpan<double> z)
    {
        double sum = 0.0;
        for (int i = 1; i < z.Length; i++)
        {
            sum += Math.Abs(z[i] - z[i - 1]);
        }

        return weight * sum;
    }
}
