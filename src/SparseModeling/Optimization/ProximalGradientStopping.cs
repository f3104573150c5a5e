// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Optimization;

/// <summary>What a stopping rule of <see cref="ProximalGradientSolver"/> sees after each iteration.</summary>
/// <param name="Iteration">One-based number of the iteration just completed.</param>
/// <param name="X">The current iterate.</param>
/// <param name="AX">A·x of the current iterate.</param>
/// <param name="PreviousX">The previous iterate (the current one itself after a restart, which kept x).</param>
/// <param name="Objective">F at the current iterate.</param>
/// <param name="Change">F(previous) − F(current) (0 after a restart).</param>
/// <param name="Restarted">Whether this iteration discarded its step and reset the momentum.</param>
/// <param name="Last">Whether this is the last iteration allowed.</param>
internal readonly ref struct ProximalGradientProgress(
    int Iteration,
    ReadOnlySpan<double> X,
    ReadOnlySpan<double> AX,
    ReadOnlySpan<double> PreviousX,
    double Objective,
    double Change,
    bool Restarted,
    bool Last)
{
    /// <summary>One-based number of the iteration just completed.</summary>
    public int Iteration { get; } = Iteration;

    /// <summary>The current iterate.</summary>
    public ReadOnlySpan<double> X { get; } = X;

    /// <summary>A·x of the current iterate.</summary>
    public ReadOnlySpan<double> AX { get; } = AX;

    /// <summary>The previous iterate (the current one itself after a restart).</summary>
    public ReadOnlySpan<double> PreviousX { get; } = PreviousX;

    /// <summary>F at the current iterate.</summary>
    public double Objective { get; } = Objective;

    /// <summary>F(previous) − F(current) (0 after a restart).</summary>
    public double Change { get; } = Change;

    /// <summary>Whether this iteration discarded its step and reset the momentum.</summary>
    public bool Restarted { get; } = Restarted;

    /// <summary>Whether this is the last iteration allowed.</summary>
    public bool Last { get; } = Last;
}

/// <summary>
/// The stopping rule of <see cref="ProximalGradientSolver"/>: one instance per solve (it may keep
/// workspaces and counters).
/// </summary>
internal interface IProximalGradientStopping
{
    /// <summary>The last value the rule measured (+∞ before any): what a fit reports at the end.</summary>
    double Measure { get; }

    /// <summary>Whether to stop after this iteration; <paramref name="reported"/> is the value measured now, or NaN when the rule measured nothing this time.</summary>
    bool Check(in ProximalGradientProgress progress, out double reported);
}

/// <summary>
/// Stops when ‖x − x_prev‖ ≤ tol·‖x‖ (an exactly zero step counts as converged), for problems whose
/// duality gap is not cheap; never right after a restart, which keeps x by construction. Costs one
/// pass over x per iteration.
/// </summary>
internal sealed class RelativeChangeStopping(double tolerance) : IProximalGradientStopping
{
    /// <inheritdoc />
    public double Measure { get; private set; } = double.PositiveInfinity;

    /// <inheritdoc />
    public bool Check(in ProximalGradientProgress progress, out double reported)
    {
        if (progress.Restarted)
        {
            reported = double.NaN;
            return false;
        }

        double step = Kernels.Distance(progress.X, progress.PreviousX);
        double norm = Kernels.Nrm2(progress.X);
        Measure = step == 0.0 ? 0.0 : step / norm;
        reported = Measure;
        return step <= tolerance * norm;
    }
}
