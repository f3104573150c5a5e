// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra.Storage;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// The mini-batch NMF solver of <see cref="MiniBatchNmf"/>: online multiplicative updates (Lefèvre, Bach and
/// Févotte, "Online algorithms for nonnegative matrix factorization with the Itakura-Saito divergence",
/// WASPAA 2011) with scikit-learn 1.2 <c>MiniBatchNMF</c>'s semantics. Each step takes one multiplicative
/// update of the batch's rows of W (or solves for them, with fresh restarts), then updates H from running sums
/// A, B of the H update's numerators and denominators forgotten at the rate ρ (<see cref="NmfMultiplicativeUpdate.UpdateH"/>
/// with <see cref="NmfOnlineStatistics"/>). Missing entries (NaN) are handled by the weighted updates of
/// <see cref="NmfMultiplicativeUpdate"/> when the problem is masked.
/// </summary>
internal sealed class NmfMiniBatch
{
    private readonly NmfMiniBatchSettings _s;

    public NmfMiniBatch(NmfMiniBatchSettings settings)
    {
        _s = settings;
    }

    /// <summary>The outcome of <see cref="Run"/>: the final Wᵀ, the training error √(2·D_β), epochs and steps taken, convergence and the online statistics.</summary>
    public sealed record Result(double[] Wt, double ReconstructionError, int Epochs, int Steps, bool Converged, NmfOnlineStatistics Statistics);

    /// <summary>The online statistics A = H, B = 1 that a first fit or partial fit starts from, with ρ = ForgetFactor^(batch/n).</summary>
    public NmfOnlineStatistics StartStatistics(double[] h, int n)
    {
        var ones = new double[h.Length];
        Array.Fill(ones, 1.0);
        return new NmfOnlineStatistics((double[])h.Clone(), ones, Math.Pow(_s.ForgetFactor, (double)Math.Min(_s.BatchSize, n) / n));
    }

    /// <summary>
    /// Fits from the start Wᵀ (K×n) and H (K×m, updated in place) over epochs of mini-batches: contiguous slices of
    /// one row permutation drawn from <paramref name="permutationSeed"/> (rows in order when one batch holds them all).
    /// </summary>
    public Result Run(NmfInput data, int k, double beta, double[] wt, double[] h, ulong permutationSeed)
    {
        int n = data.N, m = data.M;
        bool masked = data.Masked;
        int batch = Math.Min(_s.BatchSize, n);
        int stepsPerEpoch = (n + batch - 1) / batch;
        var statistics = StartStatistics(h, n);

        // One permutation of the rows, cut into contiguous batches that every epoch visits in the same order.
        int[]? order = null;
        if (stepsPerEpoch > 1)
        {
            order = new int[n];
            for (int i = 0; i < n; i++)
            {
                order[i] = i;
            }

            var rng = new SplitMix64(permutationSeed ^ 0x9E3779B97F4A7C15UL);
            for (int i = n - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        var full = new BatchSlot(data, batch, k, beta, direct: order is null);
        int remainder = n - ((stepsPerEpoch - 1) * batch);
        var last = remainder == batch ? full : new BatchSlot(data, remainder, k, beta, direct: false);
        var hPrevious = (double[])h.Clone();
        var monitor = new CostMonitor(n, _s.Tolerance, _s.MaxNoImprovement);
        long maxSteps = (long)_s.MaxEpochs * stepsPerEpoch;
        long step = 0;
        bool converged = false;
        while (step < maxSteps)
        {
            _s.CancellationToken.ThrowIfCancellationRequested();
            int start = (int)(step % stepsPerEpoch) * batch;
            var slot = start + batch <= n ? full : last;
            slot.Load(data, order, start, wt);
            double cost = Step(slot, h, statistics, _s.FreshRestarts);
            slot.Store(order, start, wt);
            step++;

            // NaN compares false: a non-finite cost would count as "no improvement" and end the fit as converged.
            slot.Problem.EnsureFinite(cost, "mini-batch cost", (int)Math.Min(step, int.MaxValue));
            double change = RelativeChange(h, hPrevious);
            bool stop = monitor.Converged(step, slot.Rows, cost, change);
            if (_s.OnIteration is { } callback)
            {
                NmfIterationInfo.Report(callback, (int)Math.Min(step, int.MaxValue), change, () => cost, slot.Wt, h, slot.Rows, m, k);
            }

            if (stop)
            {
                converged = true;
                break;
            }

            h.CopyTo(hPrevious, 0);
        }

        var whole = new BatchSlot(data, n, k, beta, direct: true);
        if (_s.FreshRestarts)
        {
            SolveW(whole, h, _s.TransformMaxIterations);
            wt = whole.Wt;
        }

        double error = NmfProblem.ErrorFromDivergence(whole.Problem.Divergence(wt, h), beta);
        whole.Problem.EnsureFinite(error, "reconstruction error", (int)Math.Min(step, int.MaxValue));
        int epochs = (int)((step + stepsPerEpoch - 1) / stepsPerEpoch);
        return new Result(wt, error, epochs, (int)Math.Min(step, int.MaxValue), converged, statistics);
    }


    /// <summary>One partial-fit step on a whole batch: W solved from a flat start, then the online H update.</summary>
    public void PartialFitStep(NmfInput data, int k, double beta, double[] h, NmfOnlineStatistics statistics)
    {
        _s.CancellationToken.ThrowIfCancellationRequested();
        var slot = new BatchSlot(data, data.N, k, beta, direct: true);
        slot.Problem.EnsureFinite(Step(slot, h, statistics, fresh: true), "mini-batch cost", 1);
        NmfBase.EnsureFinite(h, "H", beta);
    }

    /// <summary>W (as Wᵀ, K×n) for <paramref name="data"/> with H fixed, as scikit-learn's <c>_solve_W</c> (for <c>transform</c>).</summary>
    public double[] SolveW(NmfInput data, int k, double beta, double[] h)
    {
        var slot = new BatchSlot(data, data.N, k, beta, direct: true);
        SolveW(slot, h, _s.TransformMaxIterations);
        NmfBase.EnsureFinite(slot.Wt, "W", beta);
        return slot.Wt;
    }

    /// <summary>‖a − b‖ / ‖a‖ (NaN when a = 0, which never meets a tolerance).</summary>
    private static double RelativeChange(ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        Kernels.Distance(a, b) / Kernels.Nrm2(a);

    /// <summary>One mini-batch step on the slot's rows (its X and Wᵀ loaded): the W update (or solve), the batch cost, the online H update.</summary>
    private double Step(BatchSlot slot, double[] h, NmfOnlineStatistics statistics, bool fresh)
    {
        var problem = slot.Problem;
        double beta = problem.Beta;
        double gamma = NmfMultiplicativeUpdate.Gamma(beta);
        var reg = _s.Regularization(slot.Rows, problem.M, problem.Beta);
        if (fresh)
        {
            SolveW(slot, h, _s.FreshRestartsMaxIterations);
        }
        else
        {
            slot.Workspace.FrobeniusCacheValid = false;
            NmfMultiplicativeUpdate.UpdateW(problem, slot.Wt, h, reg, gamma, slot.Workspace, hFixed: false);
        }

        if (beta < 1.0)
        {
            NmfMultiplicativeUpdate.ZeroBelow(slot.Wt, NmfMultiplicativeUpdate.Float64Epsilon);
        }

        double cost = problem.Divergence(slot.Wt, h)
            + (reg.L1W * Kernels.Sum(slot.Wt)) + (reg.L1H * Kernels.Sum(h))
            + (reg.L2W * Kernels.SquaredNorm(slot.Wt)) + (reg.L2H * Kernels.SquaredNorm(h));
        cost /= slot.Rows;
        NmfMultiplicativeUpdate.UpdateH(problem, slot.Wt, h, reg, gamma, slot.Workspace, statistics);
        if (beta <= 1.0)
        {
            NmfMultiplicativeUpdate.ZeroBelow(h, NmfMultiplicativeUpdate.Float64Epsilon);
        }

        return cost;
    }

    /// <summary>scikit-learn's <c>_solve_W</c>: W from √(mean(X)/K), multiplicative updates with H fixed until the relative change of W is at most the tolerance.</summary>
    private void SolveW(BatchSlot slot, double[] h, int maxIterations)
    {
        var problem = slot.Problem;
        int k = problem.K;
        double mean = problem.Sparse is { } sparse ? sparse.Mean : NmfBase.Mean(problem.X.AsSpan(0, slot.Rows * problem.M));
        double average = Math.Sqrt(mean / k);
        var wt = slot.Wt;
        Array.Fill(wt, average);
        wt.CopyTo(slot.WPrevious, 0);
        var reg = _s.Regularization(slot.Rows, problem.M, problem.Beta);
        double gamma = NmfMultiplicativeUpdate.Gamma(problem.Beta);
        slot.Workspace.FrobeniusCacheValid = false;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            NmfMultiplicativeUpdate.UpdateW(problem, wt, h, reg, gamma, slot.Workspace, hFixed: true);
            if (_s.Tolerance > 0.0 && RelativeChange(wt, slot.WPrevious) <= _s.Tolerance)
            {
                break;
            }

            wt.CopyTo(slot.WPrevious, 0);
        }

        slot.Workspace.FrobeniusCacheValid = false;
    }

    /// <summary>
    /// The buffers of one mini-batch size, allocated once per fit: the batch's rows of X (n_b × m, column-major;
    /// or the caller's whole X when <c>direct</c>), its Wᵀ (K × n_b), the previous Wᵀ for the W solve, and the
    /// workspace of the multiplicative updates. Sparse data: the batch's rows are gathered into compressed rows of their
    /// own at each load (O(stored entries of the batch)), and the problem is made anew on them.
    /// </summary>
    private sealed class BatchSlot
    {
        private readonly bool _direct;
        private readonly double _beta;

        public BatchSlot(NmfInput x, int rows, int k, double beta, bool direct)
        {
            _direct = direct;
            _beta = beta;
            Rows = rows;
            int m = x.M;
            Problem = direct ? x.Problem(k, beta)
                : x.Sparse is not null ? new NmfProblem(new NmfSparseData(Gather(x.Sparse, null, 0, rows)), k, beta)
                : new NmfProblem(new double[checked(rows * m)], rows, m, k, beta, x.Masked);
            Workspace = new NmfMuWorkspace(Problem);
            Wt = new double[k * rows];
            WPrevious = new double[k * rows];
        }

        public int Rows { get; }

        public NmfProblem Problem { get; private set; }

        public NmfMuWorkspace Workspace { get; }

        public double[] Wt { get; }

        public double[] WPrevious { get; }

        /// <summary>Copies the batch's rows order[start..start+Rows) (or start.. when order is null) of X (n×m) and of Wᵀ into the slot.</summary>
        public void Load(NmfInput data, int[]? order, int start, double[] wt)
        {
            int k = Problem.K, m = Problem.M, rows = Rows;
            if (!_direct && data.Sparse is { } sparse)
            {
                Problem = new NmfProblem(new NmfSparseData(Gather(sparse, order, start, rows)), k, _beta);
            }
            else if (!_direct)
            {
                var x = data.Dense!;
                int n = data.N;
                var xb = Problem.X;
                for (int j = 0; j < m; j++)
                {
                    int source = j * n, target = j * rows;
                    for (int r = 0; r < rows; r++)
                    {
                        xb[target + r] = x[source + Row(order, start, r)];
                    }
                }
            }

            for (int r = 0; r < rows; r++)
            {
                wt.AsSpan(Row(order, start, r) * k, k).CopyTo(Wt.AsSpan(r * k, k));
            }
        }

        /// <summary>The rows order[start..start+rows) (or start.. when order is null) of sparse X as compressed rows of their own.</summary>
        private static SparseCompressedRowMatrixStorage<double> Gather(NmfSparseData x, int[]? order, int start, int rows)
        {
            var source = x.Rows;
            var pointers = new int[rows + 1];
            for (int r = 0; r < rows; r++)
            {
                int i = Row(order, start, r);
                pointers[r + 1] = pointers[r] + (source.RowPointers[i + 1] - source.RowPointers[i]);
            }

            var columns = new int[pointers[rows]];
            var values = new double[pointers[rows]];
            for (int r = 0; r < rows; r++)
            {
                int i = Row(order, start, r), from = source.RowPointers[i], length = pointers[r + 1] - pointers[r];
                Array.Copy(source.ColumnIndices, from, columns, pointers[r], length);
                Array.Copy(source.Values, from, values, pointers[r], length);
            }

            return SparseCompressedRowMatrixStorage<double>.OfCompressedSparseRowFormat(rows, x.M, values.Length, pointers, columns, values);
        }

        /// <summary>Writes the slot's Wᵀ back to the batch's rows of the full Wᵀ.</summary>
        public void Store(int[]? order, int start, double[] wt)
        {
            int k = Problem.K;
            for (int r = 0; r < Rows; r++)
            {
                Wt.AsSpan(r * k, k).CopyTo(wt.AsSpan(Row(order, start, r) * k, k));
            }
        }

        private static int Row(int[]? order, int start, int r) => order is null ? start + r : order[start + r];
    }

    /// <summary>scikit-learn's <c>_minibatch_convergence</c>: the change of H and an exponentially weighted average of the batch costs.</summary>
    private sealed class CostMonitor(int samples, double tolerance, int? maxNoImprovement)
    {
        private double? _average;
        private double? _best;
        private int _noImprovement;

        public bool Converged(long step, int rows, double cost, double change)
        {
            // The first step is ignored: H has only just moved from its start.
            if (step == 1)
            {
                return false;
            }

            double alpha = Math.Min((double)rows / (samples + 1), 1.0);
            _average = _average is double a ? (a * (1.0 - alpha)) + (cost * alpha) : cost;
            if (tolerance > 0.0 && change <= tolerance)
            {
                return true;
            }

            if (_best is null || _average < _best)
            {
                _noImprovement = 0;
                _best = _average;
            }
            else
            {
                _noImprovement++;
            }

            return maxNoImprovement is int patience && _noImprovement >= patience;
        }
    }
}

/// <summary>The settings of <see cref="NmfMiniBatch"/>, as <see cref="MiniBatchNmf"/>'s parameters document them.</summary>
internal sealed record NmfMiniBatchSettings(
    int BatchSize,
    int MaxEpochs,
    double Tolerance,
    int? MaxNoImprovement,
    double ForgetFactor,
    bool FreshRestarts,
    int FreshRestartsMaxIterations,
    int TransformMaxIterations,
    double AlphaW,
    double AlphaH,
    double L1Ratio,
    Action<NmfIterationInfo>? OnIteration,
    CancellationToken CancellationToken)
{
    /// <summary>The rescaling of the data the solver runs on (<see cref="NmfScale"/>; the identity at ordinary scales).</summary>
    public NmfScale Scale { get; init; }

    /// <summary>The regularisation of a batch of <paramref name="rows"/> samples, for the rescaled data.</summary>
    public NmfRegularization Regularization(int rows, int m, double beta) => Scale.Regularization(NmfRegularization.Scaled(rows, m, AlphaW, AlphaH, L1Ratio), beta);
}
