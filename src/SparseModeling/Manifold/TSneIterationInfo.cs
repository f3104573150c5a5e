// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Manifold;

/// <summary>
/// What <see cref="TSne"/> reports after each gradient step: the KL divergence, the norm of the step's gradient, the
/// exaggeration in force and, on demand, the current embedding.
/// </summary>
/// <param name="Iteration">One-based number of the iteration just completed (the early-exaggeration phase counts).</param>
/// <param name="Objective">
/// The KL divergence at the start of this iteration, as scikit-learn's <c>error</c>: Σ α·p·log(α·p/q) with α the exaggeration
/// (the KL divergence itself once α = 1); for Barnes–Hut and FFT interpolation with their approximate Z.
/// </param>
/// <param name="GradientNorm">‖g‖ of the gradient after the per-coordinate gains, the quantity of scikit-learn's <c>min_grad_norm</c> test.</param>
/// <param name="Exaggeration">The factor α applied to P in this iteration.</param>
public sealed record TSneIterationInfo(int Iteration, double Objective, double GradientNorm, double Exaggeration)
    : IterationInfo(Iteration, Objective)
{
    private readonly double[]? _embedding;
    private readonly int _dims;
    private bool _expired;

    /// <summary>Creates the record over the solver's live embedding (read only while the callback runs).</summary>
    internal TSneIterationInfo(int iteration, double objective, double gradientNorm, double exaggeration, double[] embedding, int dims)
        : this(iteration, objective, gradientNorm, exaggeration)
    {
        _embedding = embedding;
        _dims = dims;
    }

    /// <summary>The KL divergence reported (the same as <see cref="IterationInfo.Objective"/>).</summary>
    public double KlDivergence => Objective;

    /// <summary>
    /// A copy of the embedding after this iteration (samples × components). It is copied only when asked for, so a callback
    /// that does not call it costs nothing; it can be called only while the callback runs (the fit moves on afterwards).
    /// </summary>
    /// <returns>A new matrix the caller may keep.</returns>
    /// <exception cref="InvalidOperationException">Called after the callback returned.</exception>
    public Matrix<double> GetEmbedding()
    {
        if (_embedding is null || _expired)
        {
            throw new InvalidOperationException("The embedding of an iteration can be read only inside the OnIteration callback that received it.");
        }

        int n = _embedding.Length / _dims;
        return Matrix<double>.Build.Dense(n, _dims, (i, a) => _embedding[(i * _dims) + a]);
    }

    /// <summary>Ends access to the live embedding (after the callback returns).</summary>
    internal void Expire() => _expired = true;
}
