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

    /// <summary>A dense problem: column-major X (n×p), y, and the squared column norms.</summary>
    public sealed class Problem
    {
        private double[]? _gram;
        private double[]? _xty;

        /// <summary>
        /// A problem on column-major <paramref name="x"/>; with <paramref name="columnMeans"/> the
        /// columns are centred implicitly (xⱼ − mⱼ) without a copy, and <paramref name="y"/> must be centred.
        /// <paramref name="columnNormsSquared"/> are the (centred) squared column norms if already known.
        /// </summary>
        public Problem(double[] x, int rows, int columns, double[] y, double[]? columnMeans = null, double[]? columnNormsSquared = null)
        {
            X = x;
            Rows = rows;
            Columns = columns;
            Y = y;
            Means = columnMeans;
            if (columnNormsSquared is null)
            {
                columnNormsSquared = new double[columns];
                if (columnMeans is null)
                {
                    ColumnStatistics.Compute(x, rows, columns, null, columnNormsSquared);
                }
                else
                {
                    for (int j = 0; j < columns; j++)
                    {
                        columnNormsSquared[j] = Kernels.SquaredDistanceFrom(Column(j), columnMeans[j]);
                    }
                }
            }

            ColumnNormsSquared = columnNormsSquared;
            YNormSquared = Kernels.SquaredNorm(y);
        }

        public double[] X { get; }

        public int Rows { get; }

        public int Columns { get; }

        public double[] Y { get; }

        public double[] ColumnNormsSquared { get; }

        public double YNormSquared { get; }

        /// <summary>The column means subtracted implicitly, or null when X is used as stored.</summary>
        public double[]? Means { get; }

        public ReadOnlySpan<double> Column(int j) => X.AsSpan(j * Rows, Rows);

        /// <summary>Whether the Gram strategy can pay: more samples than features and few enough features for a p×p matrix.</summary>
        public bool PrefersGram => Rows > Columns && Columns < WorkingSetMinFeatures;

        /// <summary>Whether the Gram matrix has been formed (by an earlier solve on this problem: a path).</summary>
        public bool HasGram => _gram is not null;

        /// <summary>
        /// The plain passes run so far by every solve on this problem. A path solves one problem for many α, each
        /// in a few warm-started passes: counted together they show when the Gram matrix pays.
        /// </summary>
        public int PlainPasses { get; set; }

        /// <summary>
        /// The Gram matrix X̃ᵀX̃ of the (centred) columns (p×p, column-major), computed on first use and kept for later
        /// solves (a path). With implicit centring it is formed from a centred copy, not as XᵀX − n·x̄x̄ᵀ, which cancels digits.
        /// </summary>
        public double[] Gram
        {
            get
            {
                if (_gram is null)
                {
                    var g = GC.AllocateUninitializedArray<double>(Columns * Columns); // every entry written by Gram.Compute
                    var x = Means is null ? X : CenteredData.CentredCopy(X, Rows, Columns, Means);
                    LinearAlgebra.Gram.Compute(Rows, Columns, x, Rows, g);
                    _gram = g;
                }

                return _gram;
            }
        }

        /// <summary>Xᵀy, computed on first use.</summary>
        public double[] XtY
        {
            get
            {
                if (_xty is null)
                {
                    var q = new double[Columns];
                    CorrelateAll(Y, q);
                    _xty = q;
                }

                return _xty;
            }
        }

        /// <summary>Xᵀr (of the centred columns) into <paramref name="destination"/>.</summary>
        public void CorrelateAll(ReadOnlySpan<double> r, Span<double> destination) =>
            CenteredData.CorrelateCentred(X, Rows, Columns, Means, r, destination);

        /// <summary>
        /// xⱼᵀr for the (centred) column j. A residual of centred data sums to zero, so the implicit
        /// centring needs no correction here.
        /// </summary>
        public double ColumnDot(int j, ReadOnlySpan<double> r) => Kernels.Dot(Column(j), r);

        /// <summary>r ← r + a·(xⱼ − mⱼ).</summary>
        public void AddColumn(int j, double a, Span<double> r)
        {
            if (Means is null)
            {
                Kernels.Axpy(a, Column(j), r);
            }
            else
            {
                Kernels.AxpyShift(a, Column(j), -a * Means[j], r);
            }
        }

        /// <summary>r ← r + a·(xⱼ − mⱼ), returning x_nextᵀr, in one pass.</summary>
        public double AddColumnDot(int j, double a, Span<double> r, int next) =>
            Kernels.AxpyShiftDot(a, Column(j), Means is null ? 0.0 : -a * Means[j], r, Column(next));
    }

    /// <summary>Residual r = y − Xw for a warm start.</summary>
    public static void Residual(Problem problem, ReadOnlySpan<double> w, Span<double> r)
    {
        problem.Y.CopyTo(r);
        for (int j = 0; j < problem.Columns; j++)
        {
            if (w[j] != 0.0)
            {
                problem.AddColumn(j, -w[j], r);
            }
        }
    }

    /// <summary>Picks the strategy for a problem: working sets for many features, Gram for tall data, otherwise cyclic.</summary>
    public static Result Solve(Problem problem, Span<double> w, in Settings settings)
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
    public static Result SolveCyclic(Problem problem, Span<double> w, in Settings s)
    {
        int p = problem.Columns;
        var r = new double[problem.Rows];
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
                problem.CorrelateAll(r, xta);
                gap = DualGap(problem, w, r, xta, s.L1, s.L2, s.Positive);
                EnsureFinite(gap, s.IterationOffset + iteration + 1);
            }

            Report(s, iteration + 1, w, r, check ? gap : double.NaN);
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
    public static Result SolveWorkingSet(Problem problem, Span<double> w, in Settings s)
    {
        int n = problem.Rows, p = problem.Columns;
        var r = new double[n];
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
            problem.CorrelateAll(r, xta);
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
    private static int InnerSolve(Problem problem, ReadOnlySpan<int> set, Span<double> w, double[] r, double[] xta, double innerTol, in Settings s, int passesSoFar)
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

            Report(s, passesSoFar + passes, w, r, restrictedGap);
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
    public static double DualGap(Problem problem, ReadOnlySpan<double> w, ReadOnlySpan<double> r, Span<double> xta, double l1, double l2, bool positive, ReadOnlySpan<int> set = default)
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

        return GapFrom(Kernels.SquaredNorm(r), Kernels.Dot(r, problem.Y), dualNorm, w, l1, l2);
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

    private static void Report(in Settings s, int iteration, ReadOnlySpan<double> w, ReadOnlySpan<double> r, double gap)
    {
        if (s.OnIteration is null)
        {
            return;
        }

        s.OnIteration(new CoordinateDescentIterationInfo(s.IterationOffset + iteration, Objective(Kernels.SquaredNorm(r), w, s) / s.Rows, gap / s.Rows));
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
