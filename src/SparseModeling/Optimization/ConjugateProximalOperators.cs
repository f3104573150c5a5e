// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Optimization;

/// <summary>
/// The conjugate of F(g) = radius·Σᵢ‖(g₀ᵢ, g₁ᵢ)‖₂ (isotropic total variation of an image whose gradient g is, the two
/// components stored one after the other, N entries each): F* is the indicator of the points whose every pair lies in the
/// disk of that radius, and its proximal operator, for any step, is the projection onto that set. The dual step of
/// <see cref="PrimalDualSolver"/> for a total-variation term.
/// </summary>
internal sealed class DiskProjectionProx(double radius) : IProximalOperator
{
    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> v, double t, Span<double> result)
    {
        int n = v.Length / 2;
        v.CopyTo(result);
        Kernels.ProjectOntoDisks(result[..n], result.Slice(n, n), radius);
    }

    /// <inheritdoc />
    public double Value(ReadOnlySpan<double> z) => 0.0;
}

/// <summary>
/// The conjugate of F(r) = ½‖r − y‖² (a least-squares data term on the measurements): F*(s) = ½‖s‖² + ⟨s, y⟩, whose
/// proximal operator is prox_{t·F*}(v) = (v − t·y)/(1 + t). The dual step of <see cref="PrimalDualSolver"/> for the data.
/// </summary>
internal sealed class SquaredLossConjugateProx(double[] y) : IProximalOperator
{
    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> v, double t, Span<double> result)
    {
        v.CopyTo(result);
        Kernels.Axpy(-t, y, result);
        Kernels.Scal(1.0 / (1.0 + t), result);
    }

    /// <inheritdoc />
    public double Value(ReadOnlySpan<double> z) => (0.5 * Kernels.SquaredNorm(z)) + Kernels.Dot(z, y);
}
