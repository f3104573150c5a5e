// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;
using SparseModeling.Optimization;

namespace SparseModeling.LinearModel;

/// <summary>
/// The Lasso as a configuration of <see cref="AdmmSolver"/>, shared by <see cref="LassoAdmm"/> and
/// <see cref="AdmmPath"/>: (1/(2n))·‖y − Xw‖² + α·‖z‖₁ subject to w = z (D = I), the x-update by
/// dense Cholesky of XᵀX/n + ρI (n ≥ p) or through the Woodbury identity on the n×n system (n &lt; p),
/// soft thresholding as the z-step, the scaled residual rule, and the start z = Xᵀy/n, u = 0 of
/// spm-image.
/// </summary>
internal static class LassoAdmmConfiguration
{
    /// <summary>The solver for column-major X (n×p, read but not copied: keep it unchanged while the solver is used), factored once for ρ.</summary>
    /// <exception cref="ArgumentOutOfRangeException">ρ is too small for the data; the exception names <paramref name="rhoName"/> and ρ·<paramref name="rhoUnit"/> (ρ in the caller's units when the data were rescaled).</exception>
    public static AdmmSolver CreateSolver(double[] x, int n, int p, double rho, string rhoName, double rhoUnit = 1.0)
    {
        var identity = ConstraintOperator.Identity(p);
        IAdmmSystem system = n < p ? new WoodburySystem(x, n, p) : DenseCholeskySystem.FromData(x, n, p, identity);
        return new AdmmSolver(identity, system, rho, rhoName, rhoUnit);
    }

    /// <summary>The starting state of target <paramref name="y"/> (n entries, centred if an intercept is fitted): q = z = Xᵀy/n, u = 0.</summary>
    public static AdmmSolver.State Start(double[] x, int n, int p, double[] y)
    {
        var q = new double[p];
        Gemv.MultiplyTransposed(n, p, 1.0 / n, x, n, y, 0.0, q);
        return new AdmmSolver.State(q, (double[])q.Clone());
    }

    /// <summary>The settings of one solve at <paramref name="alpha"/>; the callback receives (1/(2n))‖y − Xz‖² + α‖z‖₁ at z.</summary>
    public static AdmmSolver.Settings Settings(
        double[] x,
        int n,
        int p,
        double[] y,
        double alpha,
        int maxIterations,
        double tolerance,
        Action<AdmmIterationInfo>? onIteration,
        CancellationToken cancellationToken)
    {
        var prox = new SoftThresholdProx(alpha);
        AdmmSolver.Objective? objective = null;
        if (onIteration is not null)
        {
            var fit = new double[n];
            objective = (w, z) =>
            {
                y.CopyTo(fit, 0);
                Gemv.Multiply(n, p, -1.0, x, n, z, 1.0, fit);
                return (0.5 * Kernels.SquaredNorm(fit) / n) + prox.Value(z);
            };
        }

        return new AdmmSolver.Settings(prox, maxIterations, tolerance)
        {
            Objective = objective,
            OnIteration = onIteration,
            CancellationToken = cancellationToken,
        };
    }
}
