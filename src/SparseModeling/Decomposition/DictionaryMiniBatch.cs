// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// The online loop of <see cref="MiniBatchDictionaryLearning"/>, as scikit-learn 1.2's <c>MiniBatchDictionaryLearning</c>
/// (<c>_minibatch_step</c>, <c>_update_inner_stats</c>, <c>_check_convergence</c>; Mairal, Bach, Ponce and Sapiro, JMLR 11,
/// 2010, Algorithm 1 with the mini-batch weights of section 3.4.3). A step codes its batch X_b (r rows) over the current
/// dictionary, then forgets and accumulates the sufficient statistics
/// A ← β·A + C_bᵀC_b / r and B ← β·B + X_bᵀC_b / r, with θ = (t + 1)·r for a step index t &lt; r − 1 and θ = r² + t + 1 − r
/// after, β = (θ + 1 − r)/(θ + 1), and updates the atoms once on A and B (<see cref="DictionaryUpdate"/>). The state between
/// steps is only D, A and B: O(K² + K·m) whatever the number of samples seen.
/// </summary>
internal sealed class DictionaryMiniBatch(DictionaryCoding coding)
{
    /// <summary>The result of a fit: the statistics, the steps and epochs run, and whether a stopping rule ended it.</summary>
    public sealed record Result(double[] A, double[] B, long Steps, int Epochs, bool Converged);

    /// <summary>
    /// Fits by epochs over the rows of <paramref name="x"/>: the rows are visited in one order (a permutation drawn from
    /// <paramref name="seed"/> when <paramref name="shuffle"/>, else as given), cut into batches of
    /// <paramref name="batchSize"/> rows (the last of an epoch may be smaller), cycled for up to <paramref name="maxEpochs"/> epochs.
    /// After the first min(100, n / r) steps, the fit stops when ‖D − D_previous‖_F / K ≤ <paramref name="tolerance"/> (when it
    /// is &gt; 0) or when the exponentially weighted average of the batch costs (weight r / (n + 1)) has not reached a new
    /// minimum for <paramref name="maxNoImprovement"/> steps (when set), as scikit-learn's <c>_check_convergence</c>.
    /// </summary>
    /// <param name="x">The data, n × m column-major (read only).</param>
    /// <param name="samples">n.</param>
    /// <param name="features">m.</param>
    /// <param name="atoms">K.</param>
    /// <param name="dictionary">The start, m × K column-major (atoms contiguous); updated in place.</param>
    /// <param name="batchSize">Rows per batch, ≤ n.</param>
    /// <param name="maxEpochs">The most epochs.</param>
    /// <param name="shuffle">Whether the rows are visited in a random order.</param>
    /// <param name="tolerance">The dictionary-change tolerance (0 disables).</param>
    /// <param name="maxNoImprovement">The no-improvement patience, or null.</param>
    /// <param name="seed">The seed of the order and of the atom re-draws.</param>
    public Result Run(double[] x, int samples, int features, int atoms, double[] dictionary, int batchSize, int maxEpochs, bool shuffle, double tolerance, int? maxNoImprovement, int seed)
    {
        var order = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            order[i] = i;
        }

        if (shuffle)
        {
            var random = new SplitMix64((ulong)seed);
            for (int i = samples - 1; i > 0; i--)
            {
                int j = random.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        int stepsPerEpoch = (samples + batchSize - 1) / batchSize;
        long totalSteps = (long)maxEpochs * stepsPerEpoch;
        var a = new double[atoms * atoms];
        var b = new double[features * atoms];
        var previous = (double[])dictionary.Clone();
        var batch = new double[(long)batchSize * features];
        double smoothed = double.NaN, smoothedMin = double.NaN;
        int noImprovement = 0;
        long step = 0;
        bool converged = false;
        while (step < totalSteps)
        {
            coding.CancellationToken.ThrowIfCancellationRequested();
            int start = (int)(step % stepsPerEpoch) * batchSize;
            int rows = Math.Min(batchSize, samples - start);
            var data = rows == batchSize ? batch : new double[rows * features];
            for (int j = 0; j < features; j++)
            {
                var column = x.AsSpan(j * samples, samples);
                var target = data.AsSpan(j * rows, rows);
                for (int r = 0; r < rows; r++)
                {
                    target[r] = column[order[start + r]];
                }
            }

            double cost = Step(data, rows, features, atoms, dictionary, a, b, step, seed);
            step++;

            // scikit-learn's _check_convergence: the first min(100, n / r) steps only feed the statistics.
            double change = Kernels.Distance(dictionary, previous) / atoms;
            bool stop = false;
            if (step > Math.Min(100.0, samples / (double)rows))
            {
                double weight = Math.Min(rows / (samples + 1.0), 1.0);
                smoothed = double.IsNaN(smoothed) ? cost : (smoothed * (1.0 - weight)) + (cost * weight);
                if (tolerance > 0.0 && change <= tolerance)
                {
                    stop = true;
                }
                else
                {
                    if (double.IsNaN(smoothedMin) || smoothed < smoothedMin)
                    {
                        noImprovement = 0;
                        smoothedMin = smoothed;
                    }
                    else
                    {
                        noImprovement++;
                    }

                    stop = maxNoImprovement is int patience && noImprovement >= patience;
                }
            }

            coding.Report((int)Math.Min(step, int.MaxValue), cost, change, smoothed, dictionary, features, atoms);
            if (stop)
            {
                converged = true;
                break;
            }

            Array.Copy(dictionary, previous, dictionary.Length);
        }

        int epochs = (int)((step + stepsPerEpoch - 1) / stepsPerEpoch);
        return new Result(a, b, step, epochs, converged);
    }

    /// <summary>
    /// One mini-batch step (scikit-learn's <c>_minibatch_step</c>) on <paramref name="batch"/> (r × m column-major) as step
    /// number <paramref name="step"/> (0-based, counting every earlier step): codes it, accumulates A and B, updates the atoms
    /// in place; returns the batch cost (½‖X_b − C_b·D‖²_F + α‖C_b‖₁) / r with the codes found before the update.
    /// </summary>
    public double Step(double[] batch, int rows, int features, int atoms, double[] dictionary, double[] a, double[] b, long step, int seed)
    {
        var codes = coding.Encode(batch, rows, features, dictionary, atoms);
        double cost = DictionaryUpdate.Objective(batch, rows, features, codes, dictionary, atoms, coding.Alpha, new double[(long)rows * features]) / rows;

        double theta = step < rows - 1 ? (step + 1.0) * rows : ((double)rows * rows) + step + 1.0 - rows;
        double beta = (theta + 1.0 - rows) / (theta + 1.0);
        Gemm.Multiply(false, true, atoms, atoms, rows, 1.0 / rows, codes, atoms, codes, atoms, beta, a, atoms);
        Gemm.Multiply(true, true, features, atoms, rows, 1.0 / rows, batch, rows, codes, atoms, beta, b, features);
        DictionaryUpdate.UpdateAtoms(dictionary, features, atoms, a, b, batch, rows, coding.PositiveDictionary, StepRandom(seed, step), new bool[atoms]);
        return cost;
    }

    /// <summary>The generator of step <paramref name="step"/>'s atom re-draws: a function of the seed and the step alone, so that partial fits continue a fit's sequence without saving a generator.</summary>
    private static SplitMix64 StepRandom(int seed, long step) =>
        new(new SplitMix64(unchecked(((ulong)(uint)seed << 32) ^ ((ulong)step * 0xD1B54A32D192ED03UL))).NextUInt64());
}
