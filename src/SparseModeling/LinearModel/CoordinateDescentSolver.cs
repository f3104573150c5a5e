// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The coordinate-descent core shared by <see cref="Lasso"/>, <see cref="ElasticNet"/> and
/// <see cref="LassoPath"/>. It minimises, in scikit-learn's internal scaling,
/// P(w) = ½‖y − Xw‖² + l1·‖w‖₁ + ½·l2·‖w‖² (l1 = n·α·ρ, l2 = n·α·(1 − ρ)),
/// and stops when the duality gap falls below tol·‖y‖².
/// </summary>
/// <remarks>
/// The data are a plug-in, <see cref="CoordinateDescentProblem"/>: the core asks it for column products and residual
/// updates and never touches X or the residual's layout, so dense column-major X
/// (<see cref="DenseCoordinateDescentProblem"/>) and sparse CSC X with scikit-learn's implicit centring
/// (<see cref="SparseCoordinateDescentProblem"/>) run the same passes, stopping rule and working sets.
/// </remarks>
/// <remarks>
/// Three strategies over the same update rule:
/// <list type="bullet">
/// <item><see cref="SolveCyclic"/> follows scikit-learn's <c>enet_coordinate_descent</c> pass for pass
/// (same order, same stopping test), so that it reproduces scikit-learn's digits.</item>
/// <item>Tall data moves to the precomputed Gram matrix (<see cref="GramCoordinateDescent.Solve"/>, scikit-learn's
/// <c>enet_coordinate_descent_gram</c>, the core shared with sparse coding and NMF): O(p²) per pass instead of O(np).</item>
/// <item><see cref="SolveWorkingSet"/> solves a sequence of small problems restricted to the
/// features most likely to be non-zero, checking the full duality gap between them (the
/// working-set strategy of Massias, Gramfort and Salmon, "Celer: a fast solver for the Lasso with
/// dual extrapolation", ICML 2018, and of glmnet's active sets): large sparse problems touch few
/// columns.</item>
/// </list>
/// </remarks>
internal static class CoordinateDescentSolver
{
    /// <summary>Problem sizes above which (features) the working-set strategy is used.</summary>
    public const int WorkingSetMinFeatures = 256;

    /// <summary>
    /// Tall problems run plain passes on X first and move to the Gram matrix only after this many passes
    /// (or p/8, whichever is more), counted over every solve on the problem (the α of a path): forming XᵀX
    /// costs n·p² — as much as p/2 passes — while most fits converge in a handful of passes.
    /// </summary>
    public const int GramSwitchPasses = 8;

    /// <summary>
    /// The smallest working set. Passes over a few hundred columns cost little next to one full
    /// Xᵀr, so starting at this size saves outer iterations (each a full Xᵀr) on sparse problems.
    /// </summary>
    public const int WorkingSetMinSize = 128;

    /// <summary>The outcome of a solve: the duality gap (internal scaling), passes run, and convergence.</summary>
    public readonly record struct Result(double Gap, int Iterations, bool Converged);

    /// <summary>Settings of one solve; <c>IterationOffset</c> is added to the pass numbers reported to <c>OnIteration</c> (a solve that continues another).</summary>
    public readonly record struct Settings(
        double L1,
        double L2,
        bool Positive,
        int MaxIterations,
        double Tolerance,
        SplitMix64? Random,
        Action<CoordinateDescentIterationInfo>? OnIteration,
        int Rows,
        CancellationToken CancellationToken,
        int IterationOffset = 0);

    /// <summary>Residual r = y − X̃w for a warm start, in the problem's residual representation.</summary>
    public static void Residual(CoordinateDescentProblem problem, ReadOnlySpan<double> w, Span<double> r)
    {
        problem.ResetResidual(r);
        for (int j = 0; j < problem.Columns; j++)
        {
            if (w[j] != 0.0)
            {
                problem.AddColumn(j, -w[j], r);
            }
        }
    }

    /// <summary>Picks the strategy for a problem: working sets for many features, Gram for tall data, otherwise cyclic.</summary>
    public static Result Solve(CoordinateDescentProblem problem, Span<double> w, in Settings settings)
    {
        if (settings.Random is null && problem.Columns >= WorkingSetMinFeatures)
        {
            return SolveWorkingSet(problem, w, settings);
        }

        if (problem.PrefersGram)
        {
            // Plain passes first; only a problem that needs many passes (in this fit, or over all the fits of a
            // path on it) pays for the Gram matrix, and continues from where the passes stopped with the same
            // pass order.
            int plainPasses = Math.Max(GramSwitchPasses, problem.Columns / 8) - problem.PlainPasses;
            if (problem.HasGram || plainPasses <= 0)
            {
                return GramCoordinateDescent.Solve(problem.Gram, problem.XtY, problem.YNormSquared, problem.Columns, w, settings);
            }

            if (settings.MaxIterations <= plainPasses)
            {
                var only = SolveCyclic(problem, w, settings);
                problem.PlainPasses += only.Iterations;
                return only;
            }

            var plain = SolveCyclic(problem, w, settings with { MaxIterations = plainPasses });
            problem.PlainPasses += plain.Iterations;
            if (plain.Converged)
            {
                return plain;
            }

            var rest = GramCoordinateDescent.Solve(
                problem.Gram,
                problem.XtY,
                problem.YNormSquared,
                problem.Columns,
                w,
                settings with { MaxIterations = settings.MaxIterations - plainPasses, IterationOffset = settings.IterationOffset + plainPasses });
            return rest with { Iterations = plainPasses + rest.Iterations };
        }

        return SolveCyclic(problem, w, settings);
    }

    /// <summary>
    /// scikit-learn's cyclic (or random) coordinate descent, one full pass per iteration, with the
    /// duality gap checked when the largest coordinate change is small relative to the largest coordinate.
    /// </summary>
    public static Result SolveCyclic(CoordinateDescentProblem problem, Span<double> w, in Settings s)
    {
        int p = problem.Columns;
        var r = new double[problem.ResidualLength];
        Residual(problem, w, r);
        double tol = s.Tolerance * problem.YNormSquared;
        var norms = problem.ColumnNormsSquared;
        double gap = tol + 1.0;
        var xta = new double[p];
        for (int iteration = 0; iteration < s.MaxIterations; iteration++)
        {
            s.CancellationToken.ThrowIfCancellationRequested();
            double wMax = 0.0, dwMax = 0.0;
            for (int f = 0; f < p; f++)
            {
                int j = s.Random is null ? f : s.Random.NextInt(p);
                if (norms[j] == 0.0)
                {
                    continue;
                }

                double wj = w[j];
                double tmp = problem.ColumnDot(j, r) + (wj * norms[j]);
                double updated = Update(tmp, norms[j], s);
                if (updated != wj)
                {
                    problem.AddColumn(j, wj - updated, r);
                    w[j] = updated;
                }

                dwMax = Math.Max(dwMax, Math.Abs(updated - wj));
                wMax = Math.Max(wMax, Math.Abs(updated));
            }

            bool check = wMax == 0.0 || dwMax / wMax < s.Tolerance || iteration == s.MaxIterations - 1;
            if (check)
            {
                problem.CorrelateResidual(r, xta);
                gap = DualGap(problem, w, r, xta, s.L1, s.L2, s.Positive);
                EnsureFinite(gap, s.IterationOffset + iteration + 1);
            }

            Report(problem, s, iteration + 1, w, r, check ? gap : double.NaN);
            if (check && gap < tol)
            {
                return new Result(gap, iteration + 1, true);
            }
        }

        return new Result(gap, s.MaxIterations, false);
    }

    /// <summary>
    /// Working-set coordinate descent: the full correlations Xᵀr give the duality gap and a score per
    /// feature; the current non-zeros plus the most violating zeros form a working set, on which
    /// cyclic passes run until the restricted gap is a fraction of the full one; repeat with a set at
    /// least twice the support (doubling the previous set when an outer iteration failed to halve the
    /// gap) until the full gap is below tolerance — checked only after at least one pass, as scikit-learn.
    /// </summary>
    public static Result SolveWorkingSet(CoordinateDescentProblem problem, Span<double> w, in Settings s)
    {
        int p = problem.Columns;
        var r = new double[problem.ResidualLength];
        Residual(problem, w, r);
        double tol = s.Tolerance * problem.YNormSquared;
        var norms = problem.ColumnNormsSquared;
        var xta = new double[p];
        var score = new double[p];
        var order = new int[p];
        var set = new int[p];
        int wsSize = 0;
        int passes = 0;
        double gap = double.PositiveInfinity;
        double previousGap = double.PositiveInfinity;
        while (true)
        {
            s.CancellationToken.ThrowIfCancellationRequested();
            problem.CorrelateResidual(r, xta);
            gap = DualGap(problem, w, r, xta, s.L1, s.L2, s.Positive);
            EnsureFinite(gap, s.IterationOffset + passes);

            // At least one pass, as scikit-learn: a warm start (the previous α of a path) can already be
            // within tol·‖y‖² of the new optimum when the residual is small, and accepting it unchanged
            // freezes the rest of the path at that solution.
            if (gap < tol && passes > 0)
            {
                return new Result(gap, passes, true);
            }

            if (passes >= s.MaxIterations)
            {
                return new Result(gap, passes, false);
            }

            // Score: non-zeros always in; zeros by how far their correlation exceeds the threshold.
            int support = 0;
            for (int j = 0; j < p; j++)
            {
                order[j] = j;
                if (w[j] != 0.0)
                {
                    score[j] = double.PositiveInfinity;
                    support++;
                }
                else if (norms[j] == 0.0)
                {
                    score[j] = double.NegativeInfinity;
                }
                else
                {
                    double c = s.Positive ? xta[j] : Math.Abs(xta[j]);
                    score[j] = (c - s.L1) / Math.Sqrt(norms[j]);
                }
            }

            // Twice the support (at least the minimum); doubled as celer does when an outer iteration
            // failed to halve the gap, which guarantees the set eventually covers what is needed.
            bool stalled = gap > 0.5 * previousGap;
            previousGap = gap;
            wsSize = Math.Min(p, Math.Max(Math.Max(2 * support, stalled ? 2 * wsSize : 0), WorkingSetMinSize));
            SelectLargest(score, order, wsSize);
            int size = 0;
            for (int k = 0; k < wsSize; k++)
            {
                if (!double.IsNegativeInfinity(score[order[k]]))
                {
                    set[size++] = order[k];
                }
            }

            Array.Sort(set, 0, size);
            double innerTol = Math.Max(0.3 * gap, 0.5 * tol);
            passes += InnerSolve(problem, set.AsSpan(0, size), w, r, xta, innerTol, s, passes);
        }
    }

    /// <summary>Cyclic passes over the working set until its restricted duality gap is below <paramref name="innerTol"/>.</summary>
    private static int InnerSolve(CoordinateDescentProblem problem, ReadOnlySpan<int> set, Span<double> w, double[] r, double[] xta, double innerTol, in Settings s, int passesSoFar)
    {
        var norms = problem.ColumnNormsSquared;
        int passes = 0;
        while (passesSoFar + passes < s.MaxIterations)
        {
            s.CancellationToken.ThrowIfCancellationRequested();
            double wMax = 0.0, dwMax = 0.0;
            double tmp = problem.ColumnDot(set[0], r);
            for (int k = 0; k < set.Length; k++)
            {
                // tmp holds xⱼᵀr for j = set[k]; the residual update of j is fused with the next column's dot.
                int j = set[k];
                double wj = w[j];
                double updated = Update(tmp + (wj * norms[j]), norms[j], s);
                bool last = k + 1 == set.Length;
                if (updated != wj)
                {
                    w[j] = updated;
                    if (last)
                    {
                        problem.AddColumn(j, wj - updated, r);
                    }
                    else
                    {
                        tmp = problem.AddColumnDot(j, wj - updated, r, set[k + 1]);
                    }
                }
                else if (!last)
                {
                    tmp = problem.ColumnDot(set[k + 1], r);
                }

                dwMax = Math.Max(dwMax, Math.Abs(updated - wj));
                wMax = Math.Max(wMax, Math.Abs(updated));
            }

            passes++;
            double restrictedGap = double.NaN;
            if (wMax == 0.0 || dwMax / wMax < s.Tolerance || passes % 10 == 0)
            {
                for (int k = 0; k < set.Length; k++)
                {
                    xta[set[k]] = problem.ColumnDot(set[k], r);
                }

                restrictedGap = DualGap(problem, w, r, xta, s.L1, s.L2, s.Positive, set);
            }

            Report(problem, s, passesSoFar + passes, w, r, restrictedGap);
            if (restrictedGap < innerTol)
            {
                break;
            }
        }

        return passes;
    }

    /// <summary>
    /// Throws <see cref="ArithmeticException"/> when a duality gap is NaN or ±∞: the iterate or the residual left
    /// the double range, and neither a converged nor a last iterate can be reported.
    /// </summary>
    internal static void EnsureFinite(double gap, int pass)
    {
        if (!double.IsFinite(gap))
        {
            throw new ArithmeticException($"Coordinate descent resulted in non-finite parameter values: the duality gap after pass {pass} is {gap}; the coefficients or the residual overflowed.");
        }
    }

    /// <summary>The coordinate minimiser: S(tmp, l1)/(‖xⱼ‖² + l2), clipped at 0 when positive.</summary>
    internal static double Update(double tmp, double normSquared, in Settings s)
    {
        if (s.Positive && tmp < 0.0)
        {
            return 0.0;
        }

        return Kernels.SoftThreshold(tmp, s.L1) / (normSquared + s.L2);
    }

    /// <summary>
    /// The duality gap of scikit-learn's <c>enet_coordinate_descent</c> from r = y − Xw and xta = Xᵀr
    /// (overwritten with Xᵀr − l2·w); restricted to <paramref name="set"/> when given.
    /// </summary>
    public static double DualGap(CoordinateDescentProblem problem, ReadOnlySpan<double> w, ReadOnlySpan<double> r, Span<double> xta, double l1, double l2, bool positive, ReadOnlySpan<int> set = default)
    {
        double dualNorm = 0.0;
        if (set.IsEmpty)
        {
            for (int j = 0; j < xta.Length; j++)
            {
                double v = xta[j] - (l2 * w[j]);
                xta[j] = v;
                dualNorm = Math.Max(dualNorm, positive ? v : Math.Abs(v));
            }
        }
        else
        {
            foreach (int j in set)
            {
                double v = xta[j] - (l2 * w[j]);
                xta[j] = v;
                dualNorm = Math.Max(dualNorm, positive ? v : Math.Abs(v));
            }
        }

        return GapFrom(problem.ResidualNormSquared(r), problem.ResidualDotY(r), dualNorm, w, l1, l2);
    }

    /// <summary>
    /// The gap P(w) − D(θ) for the dual point θ = r·min(1, l1/‖Xᵀr − l2·w‖∞), from ‖r‖², rᵀy and that
    /// dual norm (scikit-learn's formula, shared by the dense and Gram solvers).
    /// </summary>
    internal static double GapFrom(double rNorm2, double ry, double dualNorm, ReadOnlySpan<double> w, double l1, double l2)
    {
        double constant = dualNorm > l1 ? l1 / dualNorm : 1.0;
        double gap = dualNorm > l1 ? 0.5 * (rNorm2 + (rNorm2 * constant * constant)) : rNorm2;
        return gap + (l1 * Kernels.Asum(w)) - (constant * ry) + (0.5 * l2 * (1.0 + (constant * constant)) * Kernels.SquaredNorm(w));
    }

    private static void Report(CoordinateDescentProblem problem, in Settings s, int iteration, ReadOnlySpan<double> w, ReadOnlySpan<double> r, double gap)
    {
        if (s.OnIteration is null)
        {
            return;
        }

        s.OnIteration(new CoordinateDescentIterationInfo(s.IterationOffset + iteration, Objective(problem.ResidualNormSquared(r), w, s) / s.Rows, gap / s.Rows));
    }

    /// <summary>The internal-scale objective ½‖r‖² + l1‖w‖₁ + ½l2‖w‖².</summary>
    internal static double Objective(double rNorm2, ReadOnlySpan<double> w, in Settings s) =>
        (0.5 * rNorm2) + (s.L1 * Kernels.Asum(w)) + (0.5 * s.L2 * Kernels.SquaredNorm(w));

    /// <summary>Moves the <paramref name="k"/> largest scores' indices to the front of <paramref name="order"/> (quickselect).</summary>
    private static void SelectLargest(double[] score, int[] order, int k)
    {
        if (k >= order.Length)
        {
            return;
        }

        int lo = 0, hi = order.Length - 1;
        while (lo < hi)
        {
            double pivot = score[order[(lo + hi) >>> 1]];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (score[order[i]] > pivot)
                {
                    i++;
                }

                while (score[order[j]] < pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (order[i], order[j]) = (order[j], order[i]);
                    i++;
                    j--;
                }
            }

            if (k - 1 <= j)
            {
                hi = j;
            }
            else if (k - 1 >= i)
            {
                lo = i;
            }
            else
            {
                break;
            }
        }
    }
}
