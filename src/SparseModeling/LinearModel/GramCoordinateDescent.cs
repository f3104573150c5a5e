// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The one coordinate-descent core on a Gram matrix: for any number of problems that share G (K×K, only read),
/// min over cᵢ of ½·cᵢᵀGcᵢ − qᵢᵀcᵢ + l1·‖cᵢ‖₁ + ½·l2·‖cᵢ‖² (cᵢ ≥ 0 when positive), cyclic passes over the coordinates
/// (<see cref="GramCoordinateSweep"/>, several problems per vector where that pays), stopping
/// <list type="bullet">
/// <item>on each problem's duality gap (scikit-learn's <c>enet_coordinate_descent_gram</c>: the gap is checked when a pass's
/// largest change is below tol times the largest coefficient, and the problem stops when it is below tol·‖yᵢ‖²):
/// <see cref="Solve"/> for one problem (the Gram phase of <see cref="CoordinateDescentSolver"/>, the masked coder of
/// <see cref="Decomposition.SparseEncoder"/>), <see cref="SolveMany"/> for many (the coordinate-descent coder of
/// <see cref="Decomposition.SparseEncoder"/>), each problem given exactly the arithmetic <see cref="Solve"/> gives it;</item>
/// <item>or on the projected-gradient violation of a pass, which <see cref="NonNegativeSweep"/> returns for the alternating NMF
/// loop to compare with that of its first iteration (coordinate descent and HALS; scikit-learn's <c>_update_cdnmf_fast</c>).</item>
/// </list>
/// </summary>
internal static class GramCoordinateDescent
{
    /// <summary>
    /// The most coordinates at which <see cref="SolveMany"/> runs problems side by side in a vector's lanes. A lane pass
    /// updates G·c of every lane (K multiply-adds a vector) whenever a coordinate changed in any lane, where one problem at a
    /// time updates only its own, K/width vectors; the lanes save the per-coordinate work of each problem instead. Measured
    /// (one thread, 2000 signals of 64 features over unit-norm random atoms, α from 0.3 to 2, the two schedules interleaved
    /// in one process): the lanes were 1.1–3× faster up to 64 coordinates (most where codes are dense), even at 100, and
    /// 1.2–2× slower from 128, where the column updates dominate.
    /// </summary>
    public const int MaxLaneCoordinates = 64;

    /// <summary>
    /// Cyclic (or random) coordinate descent for one problem on the Gram matrix G = XᵀX and q = Xᵀy (scikit-learn's
    /// <c>enet_coordinate_descent_gram</c>): the same passes as <see cref="CoordinateDescentSolver.SolveCyclic"/> at O(p²)
    /// each, warm-started from <paramref name="w"/>.
    /// </summary>
    public static CoordinateDescentSolver.Result Solve(ReadOnlySpan<double> gram, ReadOnlySpan<double> q, double yNormSquared, int p, Span<double> w, in CoordinateDescentSolver.Settings s)
    {
        var hw = new double[p];
        Product(gram, p, w, hw);
        double tol = s.Tolerance * yNormSquared;
        double gap = tol + 1.0;
        for (int iteration = 0; iteration < s.MaxIterations; iteration++)
        {
            s.CancellationToken.ThrowIfCancellationRequested();
            double wMax = 0.0, dwMax = 0.0;
            for (int f = 0; f < p; f++)
            {
                int j = s.Random is null ? f : s.Random.NextInt(p);
                double gjj = gram[(j * p) + j];
                if (gjj == 0.0)
                {
                    continue;
                }

                double wj = w[j];
                double tmp = q[j] - hw[j] + (wj * gjj);
                double updated = CoordinateDescentSolver.Update(tmp, gjj, s);
                if (updated != wj)
                {
                    Kernels.Axpy(updated - wj, gram.Slice(j * p, p), hw);
                    w[j] = updated;
                }

                dwMax = Math.Max(dwMax, Math.Abs(updated - wj));
                wMax = Math.Max(wMax, Math.Abs(updated));
            }

            bool check = wMax == 0.0 || dwMax / wMax < s.Tolerance || iteration == s.MaxIterations - 1;
            if (check)
            {
                gap = DualGap(q, hw, yNormSquared, w, s.L1, s.L2, s.Positive);
                CoordinateDescentSolver.EnsureFinite(gap, s.IterationOffset + iteration + 1);
            }

            if (s.OnIteration is not null)
            {
                double rNorm2 = yNormSquared + Kernels.Dot(w, hw) - (2.0 * Kernels.Dot(w, q));
                s.OnIteration(new CoordinateDescentIterationInfo(s.IterationOffset + iteration + 1, CoordinateDescentSolver.Objective(rNorm2, w, s) / s.Rows, check ? gap / s.Rows : double.NaN));
            }

            if (check && gap < tol)
            {
                return new CoordinateDescentSolver.Result(gap, iteration + 1, true);
            }
        }

        return new CoordinateDescentSolver.Result(gap, s.MaxIterations, false);
    }

    /// <summary>
    /// <see cref="Solve"/> for every problem i on the same G (K×K): qᵢ = <paramref name="correlations"/>[i·K ..] and
    /// ‖yᵢ‖² = <paramref name="normsSquared"/>[i], each warm-started from <paramref name="codes"/>[i·K ..] (zeros for a cold
    /// start), which receives its solution. Up to <see cref="MaxLaneCoordinates"/> coordinates the problems share the passes
    /// <see cref="GramCoordinateSweep.SignalLanes"/> at a time (<see cref="GramCoordinateSweep.ElasticNetPass"/>), a problem
    /// that stops handing its lane to the next; above, they are solved one after another. Either way each gets the arithmetic
    /// of <see cref="Solve"/>, bit for bit. Cyclic order only, and no callback (<paramref name="s"/>'s <c>Random</c> and
    /// <c>OnIteration</c> are ignored); observes the ambient cancellation (<see cref="Parallelism.ThrowIfCancellationRequested"/>)
    /// once per pass of the lanes or per problem, and the token of <paramref name="s"/> once per pass.
    /// </summary>
    public static void SolveMany(ReadOnlySpan<double> gram, int k, ReadOnlySpan<double> correlations, ReadOnlySpan<double> normsSquared, Span<double> codes, in CoordinateDescentSolver.Settings s)
    {
        int problems = normsSquared.Length;
        int lanes = GramCoordinateSweep.SignalLanes;
        if (lanes == 1 || problems == 1 || k > MaxLaneCoordinates)
        {
            for (int i = 0; i < problems; i++)
            {
                Parallelism.ThrowIfCancellationRequested();
                Solve(gram, correlations.Slice(i * k, k), normsSquared[i], k, codes.Slice(i * k, k), s);
            }

            return;
        }

        // The lanes' state, component-major (entry t of lane l at t·lanes + l); a lane without a problem holds zeros.
        var w = new double[k * lanes];
        var hw = new double[k * lanes];
        var q = new double[k * lanes];
        var change = new double[lanes];
        var magnitude = new double[lanes];
        var problem = new int[lanes];
        Array.Fill(problem, -1);
        var passes = new int[lanes];
        var code = new double[k];
        var product = new double[k];
        int next = 0, active = 0;
        for (int lane = 0; lane < lanes; lane++)
        {
            Assign(lane, gram, correlations, codes);
        }

        while (active > 0)
        {
            Parallelism.ThrowIfCancellationRequested();
            s.CancellationToken.ThrowIfCancellationRequested();
            GramCoordinateSweep.ElasticNetPass(w, hw, q, k, gram, s.L1, s.L2, s.Positive, change, magnitude);
            for (int lane = 0; lane < lanes; lane++)
            {
                int i = problem[lane];
                if (i < 0)
                {
                    continue;
                }

                int pass = ++passes[lane];
                bool done = pass >= s.MaxIterations;
                if (magnitude[lane] == 0.0 || change[lane] / magnitude[lane] < s.Tolerance || done)
                {
                    for (int t = 0; t < k; t++)
                    {
                        code[t] = w[(t * lanes) + lane];
                        product[t] = hw[(t * lanes) + lane];
                    }

                    double gap = DualGap(correlations.Slice(i * k, k), product, normsSquared[i], code, s.L1, s.L2, s.Positive);
                    CoordinateDescentSolver.EnsureFinite(gap, s.IterationOffset + pass);
                    if (done || gap < s.Tolerance * normsSquared[i])
                    {
                        code.CopyTo(codes.Slice(i * k, k));
                        active--;
                        Assign(lane, gram, correlations, codes);
                    }
                }
            }
        }

        // The next problem (its start, G·start and its correlations) into the lane, or zeros when none is left.
        void Assign(int lane, ReadOnlySpan<double> gram, ReadOnlySpan<double> correlations, ReadOnlySpan<double> codes)
        {
            if (next == problems)
            {
                problem[lane] = -1;
                for (int t = 0; t < k; t++)
                {
                    w[(t * lanes) + lane] = 0.0;
                    hw[(t * lanes) + lane] = 0.0;
                    q[(t * lanes) + lane] = 0.0;
                }

                return;
            }

            int i = next++;
            active++;
            problem[lane] = i;
            passes[lane] = 0;
            var start = codes.Slice(i * k, k);
            Product(gram, k, start, product);

            var qi = correlations.Slice(i * k, k);
            for (int t = 0; t < k; t++)
            {
                w[(t * lanes) + lane] = start[t];
                hw[(t * lanes) + lane] = product[t];
                q[(t * lanes) + lane] = qi[t];
            }
        }
    }

    /// <summary>
    /// One pass over every entry of the non-negative factor f (K×rows, K-major) on G and the cross products C (K×rows):
    /// f[t, i] ← max(0, f[t, i] − g/(G[t,t] + l2)) with g = (G·f[:, i])[t] + l2·f[t, i] − C[t, i] + l1
    /// (<see cref="GramCoordinateSweep.NonNegativeRows"/>, several rows per vector); returns the summed projected-gradient
    /// violation. Rows are independent (the update of row i reads only row i), so they are split across cores; the
    /// components of a row are visited in <paramref name="order"/>. G is only read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double NonNegativeSweep(double[] f, int rows, int k, double[] gram, double[] cross, double l1, double l2, int[] order)
    {
        const int Chunk = 256;

        // Rows·K² multiply-adds at which a sweep is split across cores: with several rows per vector a chunk of 256
        // rows at K = 32 takes tens of microseconds, below which handing chunks to other threads costs more than it saves.
        const long ParallelThreshold = 1L << 18;
        int chunks = (rows + Chunk - 1) / Chunk;
        var partial = new double[chunks];
        void RunChunk(int c)
        {
            int i0 = c * Chunk, i1 = Math.Min(rows, i0 + Chunk);
            partial[c] = GramCoordinateSweep.NonNegativeRows(f, k, gram, cross, l1, l2, order, i0, i1);
        }

        if (chunks > 1 && (long)rows * k * k >= ParallelThreshold)
        {
            Parallelism.For(chunks, RunChunk);
        }
        else
        {
            for (int c = 0; c < chunks; c++)
            {
                RunChunk(c);
            }
        }

        double total = 0.0;
        foreach (double v in partial)
        {
            total += v;
        }

        return total;
    }

    /// <summary>G·w into <paramref name="product"/>: a GEMV, or zeros for a cold start (w = 0).</summary>
    private static void Product(ReadOnlySpan<double> gram, int p, ReadOnlySpan<double> w, Span<double> product)
    {
        if (w.IndexOfAnyExcept(0.0) < 0)
        {
            product.Clear();
        }
        else
        {
            Gemv.Multiply(p, p, 1.0, gram, p, w, 0.0, product);
        }
    }

    /// <summary>The duality gap of <c>enet_coordinate_descent_gram</c> from q = Xᵀy and hw = Gw.</summary>
    private static double DualGap(ReadOnlySpan<double> q, ReadOnlySpan<double> hw, double yNormSquared, ReadOnlySpan<double> w, double l1, double l2, bool positive)
    {
        double dualNorm = 0.0;
        for (int j = 0; j < q.Length; j++)
        {
            double v = q[j] - hw[j] - (l2 * w[j]);
            dualNorm = Math.Max(dualNorm, positive ? v : Math.Abs(v));
        }

        double qw = Kernels.Dot(w, q);
        double rNorm2 = yNormSquared + Kernels.Dot(w, hw) - (2.0 * qw);
        return CoordinateDescentSolver.GapFrom(rNorm2, yNormSquared - qw, dualNorm, w, l1, l2);
    }
}
