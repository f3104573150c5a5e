// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Manifold;

/// <summary>
/// t-SNE's optimiser, scikit-learn's <c>_gradient_descent</c> run in phases (<c>_tsne</c>): per coordinate, the gain grows by
/// 0.2 where the step keeps its direction and shrinks by 0.8 where it turns (never below 0.01; Jacobs, "Increased rates of
/// convergence through learning rate adaptation", Neural Networks 1, 1988), the gradient is multiplied by the gain, and the
/// step is momentum·step − rate·gradient. Each phase restarts the gains and the step, with its own exaggeration of P and
/// momentum (early exaggeration 12 with momentum 0.5 for 250 iterations, then 1 with 0.8, by default). Every 50 iterations
/// (and at a phase's last) the divergence is computed: a phase ends when it has not improved on its best for more than its
/// patience, or when the gradient norm falls to the minimum. The gradient itself comes from a plug-in
/// (<see cref="ITSneGradient"/>): exact, Barnes–Hut or FFT interpolation, or the fixed-reference gradient of a transform.
/// </summary>
internal static class TSneSolver
{
    /// <summary>Iterations between divergence checks (scikit-learn's <c>_N_ITER_CHECK</c>).</summary>
    internal const int CheckInterval = 50;

    /// <summary>The smallest gain (scikit-learn's <c>min_gain</c>).</summary>
    private const double MinGain = 0.01;

    /// <summary>Runs the phases on <paramref name="y"/> (points × <paramref name="dims"/>, row-major), in place.</summary>
    public static Result Run(ITSneGradient gradient, double[] y, int dims, Settings settings)
    {
        int length = y.Length;
        var step = new double[length];
        var gains = new double[length];
        var g = new double[length];
        int iteration = 0;
        bool converged = false;
        double error = double.NaN;
        for (int ph = 0; ph < settings.Phases.Count; ph++)
        {
            var phase = settings.Phases[ph];
            if (phase.End <= iteration)
            {
                continue;
            }

            Array.Clear(step);
            Array.Fill(gains, 1.0);
            double best = double.MaxValue;
            int bestIteration = iteration;
            bool stopped = false;
            int i = iteration;
            for (; i < phase.End; i++)
            {
                Parallelism.ThrowIfCancellationRequested();
                bool check = (i + 1) % CheckInterval == 0;
                bool computeError = check || i == phase.End - 1 || settings.OnIteration is not null;
                error = gradient.Evaluate(y, g, phase.Exaggeration, computeError);
                if (settings.MaxPointGradientNorm is { } clip)
                {
                    Clip(g, dims, clip);
                }

                double squaredNorm = 0.0;
                for (int e = 0; e < length; e++)
                {
                    double ge = g[e];
                    double gain = step[e] * ge < 0.0 ? gains[e] + 0.2 : gains[e] * 0.8;
                    gain = Math.Max(gain, MinGain);
                    gains[e] = gain;
                    ge *= gain;
                    squaredNorm += ge * ge;
                    step[e] = (phase.Momentum * step[e]) - (settings.LearningRate * ge);
                    y[e] += step[e];
                }

                double norm = Math.Sqrt(squaredNorm);
                if (!double.IsFinite(norm) || (computeError && !double.IsFinite(error)))
                {
                    throw new ArithmeticException(
                        $"t-SNE diverged at iteration {i + 1}: the {(double.IsFinite(norm) ? "KL divergence" : "gradient norm")} is {(double.IsFinite(norm) ? error : norm)}.");
                }

                if (settings.OnIteration is { } report)
                {
                    var info = new TSneIterationInfo(i + 1, error, norm, phase.Exaggeration, y, dims);
                    try
                    {
                        report(info);
                    }
                    finally
                    {
                        info.Expire();
                    }
                }

                if (check)
                {
                    if (error < best)
                    {
                        best = error;
                        bestIteration = i;
                    }
                    else if (i - bestIteration > phase.Patience)
                    {
                        stopped = true;
                    }

                    if (norm <= settings.MinGradientNorm)
                    {
                        stopped = true;
                    }
                }

                if (stopped)
                {
                    break;
                }
            }

            // After a phase that stopped early the next starts at the following iteration (scikit-learn's it + 1).
            iteration = stopped ? i + 1 : phase.End;
            converged = stopped;
        }

        return new Result(iteration, converged, error);
    }

    /// <summary>Scales each point's gradient down to norm <paramref name="max"/> where it is larger (openTSNE's <c>max_grad_norm</c>).</summary>
    private static void Clip(double[] g, int dims, double max)
    {
        for (int i = 0; i < g.Length; i += dims)
        {
            double squared = 0.0;
            for (int a = 0; a < dims; a++)
            {
                squared += g[i + a] * g[i + a];
            }

            double norm = Math.Sqrt(squared);
            if (norm > max)
            {
                double scale = max / norm;
                for (int a = 0; a < dims; a++)
                {
                    g[i + a] *= scale;
                }
            }
        }
    }

    /// <summary>One phase of the schedule.</summary>
    /// <param name="End">The iteration (zero-based, exclusive) at which the phase ends.</param>
    /// <param name="Exaggeration">The factor of P.</param>
    /// <param name="Momentum">The momentum of the steps.</param>
    /// <param name="Patience">Iterations without improvement of the divergence after which the phase stops (scikit-learn's <c>n_iter_without_progress</c>).</param>
    internal readonly record struct Phase(int End, double Exaggeration, double Momentum, int Patience);

    /// <summary>The settings of a run.</summary>
    /// <param name="LearningRate">The step size.</param>
    /// <param name="MinGradientNorm">The gradient norm at or below which a phase stops.</param>
    /// <param name="Phases">The phases, in order.</param>
    /// <param name="OnIteration">The callback, or null.</param>
    /// <param name="MaxPointGradientNorm">The largest gradient norm of one point (larger ones are scaled down), or null for none.</param>
    internal sealed record Settings(double LearningRate, double MinGradientNorm, IReadOnlyList<Phase> Phases, Action<TSneIterationInfo>? OnIteration, double? MaxPointGradientNorm = null);

    /// <summary>What a run did.</summary>
    /// <param name="Iterations">The iterations run, all phases together.</param>
    /// <param name="Converged">Whether the last phase run stopped by its rules before its end.</param>
    /// <param name="LastError">The last divergence computed.</param>
    internal readonly record struct Result(int Iterations, bool Converged, double LastError);
}
