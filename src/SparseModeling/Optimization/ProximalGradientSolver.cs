// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Optimization;

/// <summary>
/// The proximal-gradient core (of <see cref="LassoIsta"/> and the next families): ISTA, or FISTA (Beck
/// and Teboulle, "A fast iterative shrinkage-thresholding algorithm for linear inverse problems", SIAM
/// J. Imaging Sci. 2009) with the monotone function-value restart of O'Donoghue and Candès ("Adaptive
/// restart for accelerated gradient schemes", Found. Comput. Math. 2015), for
/// F(w) = (1/(2n))·‖y − Aw‖² + g(w) with A given only through its products and g through its prox —
/// the same <see cref="IProximalOperator"/> as the z-step of <see cref="AdmmSolver"/>, called with
/// t = the step — and a pluggable stopping rule (<see cref="IProximalGradientStopping"/>: the Lasso
/// duality gap of the Lasso configuration, or <see cref="RelativeChangeStopping"/> for problems
/// without a cheap gap).
/// </summary>
/// <remarks>
/// Each iteration costs one product A·x (at the new iterate) and one Aᵀ·r (at the momentum point):
/// A·v of the momentum point v = x + β(x − x_prev) is the same combination of A·x and A·x_prev, so
/// the objective of every iterate comes without a further product. The stopping rule sees the
/// iterate, its image, the previous iterate and the objective after every iteration; what it reports
/// goes to the callback's <see cref="ProximalGradientIterationInfo.DualGap"/> (NaN when it measured
/// nothing in that iteration).
/// </remarks>
internal static class ProximalGradientSolver
{
    /// <summary>The step 1/L is taken with L this much above the power-iteration estimate, which approaches λ_max from below.</summary>
    public const double LipschitzMargin = 1.01;

    /// <summary>The fixed seed of the power iteration's start vector, so that fits are reproducible.</summary>
    private const ulong PowerIterationSeed = 0x5EED_15A7;

    /// <summary>
    /// Settings of one solve. <c>StepName</c> names the parameter the step came from (null when it is 1/L from
    /// <see cref="LargestEigenvalue"/>) and <c>StepUnit</c> converts steps to that parameter's units, for the
    /// message of a divergence.
    /// </summary>
    public readonly record struct Settings(
        IProximalOperator Prox,
        double Step,
        bool Accelerated,
        int MaxIterations,
        IProximalGradientStopping Stopping,
        Action<ProximalGradientIterationInfo>? OnIteration,
        CancellationToken CancellationToken,
        string? StepName = null,
        double StepUnit = 1.0);

    /// <summary>The outcome: the stopping rule's last measure (for the Lasso rule the duality gap in the 1/n scaling of the objective), iterations run, convergence.</summary>
    public readonly record struct Result(double Gap, int Iterations, bool Converged);

    /// <summary>
    /// The largest eigenvalue of AᵀA/n by the power method from a fixed pseudo-random start, run until
    /// the estimate changes by less than 1e-10 relatively (at most <paramref name="maxIterations"/> steps).
    /// The estimate ‖Bv‖ for a unit v never exceeds λ_max.
    /// </summary>
    public static double LargestEigenvalue(ILinearOperator a, int maxIterations = 1000, CancellationToken cancellationToken = default)
    {
        int m = a.RowCount, p = a.ColumnCount;
        var v = new double[p];
        new SplitMix64(PowerIterationSeed).FillNormal(v);
        var av = new double[m];
        var bv = new double[p];
        double norm = Kernels.Nrm2(v);
        Kernels.Scal(1.0 / norm, v);
        double estimate = 0.0;
        for (int k = 0; k < maxIterations; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            a.Apply(v, av);
            a.ApplyTranspose(av, bv);
            double next = Kernels.Nrm2(bv) / m;
            if (!double.IsFinite(next))
            {
                throw new ArithmeticException($"The power iteration for the Lipschitz constant L (the largest eigenvalue of AᵀA/n) reached {next} at step {k + 1}: {(IndexOfNaN(av) >= 0 || IndexOfNaN(bv) >= 0 ? "the operator returned NaN for a finite input" : "the products overflowed the double range")}");
            }

            if (next == 0.0)
            {
                return 0.0;
            }

            bool done = Math.Abs(next - estimate) <= 1e-10 * next;
            estimate = next;
            if (done)
            {
                break;
            }

            bv.CopyTo(v, 0);
            Kernels.Scal(1.0 / (next * m), v);
        }

        return estimate;
    }

    /// <summary>Minimises F from the start <paramref name="w"/> (overwritten with the result), stopping when the rule says so.</summary>
    public static Result Solve(ILinearOperator a, ReadOnlySpan<double> y, Span<double> w, in Settings s)
    {
        int m = a.RowCount, p = a.ColumnCount;
        var x = w.ToArray();
        var ax = new double[m];
        a.Apply(x, ax);
        var v = (double[])x.Clone();
        var av = (double[])ax.Clone();
        var xNew = new double[p];
        var axNew = new double[m];
        var r = new double[m];
        var grad = new double[p];
        double fx = Objective(y, ax, x, s.Prox, r);
        if (!double.IsFinite(fx))
        {
            throw Diverged(a, s, 0, fx, x, ax, grad);
        }

        double t = 1.0;
        bool plain = true;
        for (int iteration = 1; iteration <= s.MaxIterations; iteration++)
        {
            s.CancellationToken.ThrowIfCancellationRequested();

            // Proximal gradient step from the momentum point: x⁺ = prox_{step·g}(v + (step/n)·Aᵀ(y − Av)).
            Residual(y, av, r);
            a.ApplyTranspose(r, grad);
            v.CopyTo(xNew, 0);
            Kernels.Axpy(s.Step / m, grad, xNew);

            s.Prox.Apply(xNew, s.Step, xNew);
            a.Apply(xNew, axNew);
            double fNew = Objective(y, axNew, xNew, s.Prox, r);
            if (!double.IsFinite(fNew))
            {
                // Checked before the step is accepted or rejected: NaN compares false, and would be accepted.
                throw Diverged(a, s, iteration, fNew, xNew, axNew, grad);
            }

            double change;
            bool restarted = s.Accelerated && fNew > fx && !plain;
            if (restarted)
            {
                // Restart: drop the step that raised the objective and the momentum; the next step is a
                // plain proximal-gradient step from x, which cannot raise it (step ≤ 1/L) beyond rounding,
                // so it is always accepted (rejecting it on rounding noise would stall the iteration).
                t = 1.0;
                x.CopyTo(v, 0);
                ax.CopyTo(av, 0);
                plain = true;
                change = 0.0;
            }
            else
            {
                double tNext = s.Accelerated ? 0.5 * (1.0 + Math.Sqrt(1.0 + (4.0 * t * t))) : 1.0;
                double beta = s.Accelerated ? (t - 1.0) / tNext : 0.0;
                plain = beta == 0.0;
                Extrapolate(xNew, x, beta, v);
                Extrapolate(axNew, ax, beta, av);

                (x, xNew) = (xNew, x);
                (ax, axNew) = (axNew, ax);
                change = fx - fNew;
                fx = fNew;
                t = tNext;
            }

            var progress = new ProximalGradientProgress(iteration, x, ax, restarted ? x : xNew, fx, change, restarted, iteration == s.MaxIterations);
            bool converged = s.Stopping.Check(progress, out double reported);
            s.OnIteration?.Invoke(new ProximalGradientIterationInfo(iteration, fx, reported, restarted));
            if (converged)
            {
                x.CopyTo(w);
                return new Result(s.Stopping.Measure, iteration, true);
            }
        }

        x.CopyTo(w);
        return new Result(s.Stopping.Measure, s.MaxIterations, false);
    }

    /// <summary>
    /// The exception for the non-finite <paramref name="objective"/> at iteration <paramref name="iteration"/> (0: the
    /// start) of the new iterate <paramref name="x"/>, whose image is <paramref name="ax"/> and whose gradient step used
    /// <paramref name="grad"/> = Aᵀr at a finite momentum point, naming the likely cause: the operator (NaN in A·x for a
    /// finite x, or in Aᵀr), or a step above 1/L.
    /// </summary>
    private static ArithmeticException Diverged(ILinearOperator a, in Settings s, int iteration, double objective, ReadOnlySpan<double> x, ReadOnlySpan<double> ax, ReadOnlySpan<double> grad)
    {
        string where = iteration == 0 ? "at the start" : $"at iteration {iteration}";
        if (Kernels.IndexOfNonFinite(x) < 0 && IndexOfNaN(ax) is int bad and >= 0)
        {
            return new ArithmeticException($"The operator returned NaN {where}: entry {bad} of A·x is NaN for a finite x. The operator must map finite inputs to finite outputs.");
        }

        if (iteration > 0 && IndexOfNaN(grad) is int badGradient and >= 0)
        {
            return new ArithmeticException($"The operator returned NaN {where}: entry {badGradient} of Aᵀr is NaN for a finite r. The operator must map finite inputs to finite outputs.");
        }

        string name = s.StepName ?? "the step 1/L";
        string cause;
        try
        {
            double lipschitz = LargestEigenvalue(a, cancellationToken: s.CancellationToken);
            double limit = 1.0 / lipschitz;
            cause = s.Step > limit
                ? $"{name} {s.Step * s.StepUnit:R} exceeds 1/L = {limit * s.StepUnit:R} (L the largest eigenvalue of AᵀA/n), so the iterates grow without bound; use a step of at most 1/L, or leave it unset"
                : $"{name} {s.Step * s.StepUnit:R} is within 1/L = {limit * s.StepUnit:R}, yet the iterate overflowed the double range";
        }
        catch (ArithmeticException e)
        {
            cause = e.Message;
        }

        return new ArithmeticException($"Proximal gradient diverged {where} (the objective is {objective}): {cause}.");
    }

    private static int IndexOfNaN(ReadOnlySpan<double> x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>v ← x + β(x − x_prev).</summary>
    private static void Extrapolate(ReadOnlySpan<double> x, ReadOnlySpan<double> previous, double beta, Span<double> v)
    {
        x.CopyTo(v);
        if (beta != 0.0)
        {
            Kernels.Scal(1.0 + beta, v);
            Kernels.Axpy(-beta, previous, v);
        }
    }

    /// <summary>F(x) = (1/(2n))‖y − Ax‖² + g(x), leaving y − Ax in <paramref name="r"/>.</summary>
    private static double Objective(ReadOnlySpan<double> y, ReadOnlySpan<double> ax, ReadOnlySpan<double> x, IProximalOperator g, Span<double> r)
    {
        Residual(y, ax, r);
        return (0.5 * Kernels.SquaredNorm(r) / y.Length) + g.Value(x);
    }

    /// <summary>r ← y − Ax.</summary>
    internal static void Residual(ReadOnlySpan<double> y, ReadOnlySpan<double> ax, Span<double> r)
    {
        y.CopyTo(r);
        Kernels.Axpy(-1.0, ax, r);
    }
}
