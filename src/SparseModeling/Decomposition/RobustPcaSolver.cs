// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// Principal component pursuit, min ‖L‖_* + λ‖S‖₁ subject to L + S = X, by the inexact augmented Lagrangian method of
/// Lin, Chen and Ma ("The augmented Lagrange multiplier method for exact recovery of corrupted low-rank matrices",
/// arXiv:1009.5055, 2010, algorithm 5, as their <c>inexact_alm_rpca.m</c>): with the multiplier Y and the penalty μ,
/// each iteration takes
/// <code>
/// S ← S_{λ/μ}(X − L + Y/μ)            (soft threshold, element-wise)
/// L ← D_{1/μ}(X − S + Y/μ)            (singular value threshold)
/// Y ← Y + μ·(X − L − S),  μ ← min(ρ·μ, μ̄)
/// </code>
/// from Y₀ = X / max(‖X‖₂, ‖X‖_∞/λ), μ₀ = c/‖X‖₂ (c = 1.25), μ̄ = 10⁷·μ₀, ρ = 1.5, L₀ = S₀ = 0, until
/// ‖X − L − S‖_F / ‖X‖_F ≤ tolerance. The estimator shell is <see cref="RobustPca"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Partial singular value thresholds.</b> Only the singular triplets above the threshold are computed, as Lin, Chen and
/// Ma do with PROPACK: <see cref="ThresholdSvd"/> (the Gram matrix of the short side, subspace iteration warm-started from
/// the previous iteration's vectors, a one-sided Jacobi SVD of the projection — no full SVD) with their rank prediction
/// (10 triplets at first, then one more than the rank found). Where all requested values lie above the threshold, the
/// block grows by 5% of min(m, n) within the same iteration, so that every threshold is exact (their code keeps the
/// truncated one and grows only the next prediction).
/// </para>
/// <para>
/// A wide X is decomposed as Xᵀ (one transposed copy), so that the Gram matrix is the smaller XᵀX on the short side
/// (<see cref="Gram"/>, half the work of a general product); the problem is symmetric under transposition. Workspace:
/// four m×n arrays besides X (S, Y, L and one for the threshold's input and the residual), plus the transposed copy.
/// </para>
/// </remarks>
internal static class RobustPcaSolver
{
    /// <summary>The settings of one solve.</summary>
    /// <param name="Lambda">λ &gt; 0, the weight of ‖S‖₁.</param>
    /// <param name="MaxIterations">The most iterations (≥ 1).</param>
    /// <param name="Tolerance">Stop when ‖X − L − S‖_F / ‖X‖_F ≤ this.</param>
    /// <param name="InitialMuScale">c in μ₀ = c/‖X‖₂.</param>
    /// <param name="MuGrowth">ρ ≥ 1.</param>
    /// <param name="MaxMuRatio">μ̄/μ₀ ≥ 1.</param>
    /// <param name="OnIteration">Called after each iteration, or null.</param>
    /// <param name="CancellationToken">Checked once per iteration (the kernels observe the fit's token too).</param>
    internal sealed record Settings(
        double Lambda,
        int MaxIterations,
        double Tolerance,
        double InitialMuScale,
        double MuGrowth,
        double MaxMuRatio,
        Action<RobustPcaIterationInfo>? OnIteration,
        CancellationToken CancellationToken);

    /// <summary>The decomposition, in the orientation of the input: L = U·diag(σ)·Vᵀ and S.</summary>
    /// <param name="U">rows × rank, column-major, orthonormal columns.</param>
    /// <param name="SingularValues">The rank singular values of L, descending, all &gt; 0.</param>
    /// <param name="V">cols × rank, column-major, orthonormal columns.</param>
    /// <param name="Rank">The rank of L.</param>
    /// <param name="Sparse">S, rows × cols, column-major.</param>
    /// <param name="RelativeResidual">‖X − L − S‖_F / ‖X‖_F of the last iteration.</param>
    /// <param name="Iterations">The iterations run.</param>
    /// <param name="Converged">Whether the tolerance was met.</param>
    /// <param name="DecompositionSizes">The number of triplets k of every partial SVD of the solve, in order (the spectral norm's first).</param>
    /// <param name="FullDecompositions">How many of them computed every singular value (k + the subspace's oversampling ≥ min(m, n)).</param>
    internal sealed record Result(
        double[] U,
        double[] SingularValues,
        double[] V,
        int Rank,
        double[] Sparse,
        double RelativeResidual,
        int Iterations,
        bool Converged,
        IReadOnlyList<int> DecompositionSizes,
        int FullDecompositions);

    /// <summary>Decomposes the column-major <paramref name="rows"/>×<paramref name="cols"/> matrix <paramref name="x"/> (read, never written).</summary>
    public static Result Run(double[] x, int rows, int cols, Settings settings)
    {
        bool transposed = rows < cols;
        int m = transposed ? cols : rows, n = transposed ? rows : cols, d = n;
        long size = (long)m * n;
        double[] data = transposed ? DictionaryUpdate.Transpose(x, rows, cols) : x;
        var sizes = new List<int>();
        int full = 0;

        double norm = Kernels.Nrm2(data);
        if (norm == 0.0)
        {
            // X = 0: L = S = 0 is the solution, with no iteration.
            return new Result([], [], [], 0, new double[size], 0.0, 0, true, sizes, full);
        }

        CheckFinite(norm, "‖X‖_F");
        double spectral = TruncatedSvd.ComputeExact(data, m, n, 1).S[0];
        sizes.Add(1);
        full += 1 + 10 >= d ? 1 : 0;
        CheckFinite(spectral, "‖X‖₂");
        double lambda = settings.Lambda;
        double dual = Math.Max(spectral, Kernels.MaxAbs(data) / lambda);
        double mu = settings.InitialMuScale / spectral;
        double muMax = mu * settings.MaxMuRatio;

        var y = GC.AllocateUninitializedArray<double>(checked((int)size));
        Kernels.ShiftDivide(data, 0.0, dual, y);
        var s = GC.AllocateUninitializedArray<double>(y.Length); // written in full by the first sparse step
        var l = new double[y.Length];
        var work = GC.AllocateUninitializedArray<double>(y.Length);

        var threshold = new ThresholdSvd(m, n);
        double[] u = [], sigma = [], v = [];
        int rank = 0, iteration = 0;
        double residual = double.PositiveInfinity;
        bool converged = false;
        while (iteration < settings.MaxIterations)
        {
            settings.CancellationToken.ThrowIfCancellationRequested();
            iteration++;
            double inverseMu = 1.0 / mu;
            double sparseNorm = Kernels.SparseStep(data, l, y, inverseMu, lambda * inverseMu, s);
            Kernels.ShiftedDifference(data, s, y, inverseMu, work);

            // The singular value threshold D_τ, τ = 1/μ, on the triplets above τ only.
            (u, sigma, v) = threshold.Compute(work, inverseMu);
            rank = sigma.Length;
            double nuclear = 0.0;
            for (int j = 0; j < rank; j++)
            {
                sigma[j] -= inverseMu;
                nuclear += sigma[j];
            }

            LowRank(u, sigma, v, m, n, rank, l);
            Kernels.Residual(data, l, s, work);
            residual = Kernels.Nrm2(work) / norm;
            CheckFinite(residual, "relative residual ‖X − L − S‖_F / ‖X‖_F");
            Kernels.Axpy(mu, work, y);
            settings.OnIteration?.Invoke(new RobustPcaIterationInfo(iteration, nuclear + (lambda * sparseNorm), residual, rank, mu));
            mu = Math.Min(mu * settings.MuGrowth, muMax);
            if (residual <= settings.Tolerance)
            {
                converged = true;
                break;
            }
        }

        var left = u.AsSpan(0, m * rank).ToArray();
        var right = v.AsSpan(0, n * rank).ToArray();
        var values = sigma.AsSpan(0, rank).ToArray();
        sizes.AddRange(threshold.Sizes);
        full += threshold.FullDecompositions;
        var sparse = transposed ? DictionaryUpdate.Transpose(s, m, n) : s;
        return transposed
            ? new Result(right, values, left, rank, sparse, residual, iteration, converged, sizes, full)
            : new Result(left, values, right, rank, sparse, residual, iteration, converged, sizes, full);
    }

    /// <summary>
    /// L ← U·diag(σ)·Vᵀ for the first <paramref name="rank"/> columns of the column-major U (m × ·) and V (n × ·): the
    /// columns of U scaled by σ into a copy, then one GEMM (zero when the rank is 0). The fit and
    /// <see cref="RobustPca.LowRank"/> build L with this one function.
    /// </summary>
    internal static void LowRank(ReadOnlySpan<double> u, ReadOnlySpan<double> sigma, ReadOnlySpan<double> v, int m, int n, int rank, Span<double> l)
    {
        if (rank == 0)
        {
            l.Clear();
            return;
        }

        var scaled = GC.AllocateUninitializedArray<double>(m * rank);
        for (int j = 0; j < rank; j++)
        {
            Kernels.ScaleShift(u.Slice(j * m, m), sigma[j], 0.0, scaled.AsSpan(j * m, m));
        }

        Gemm.Multiply(false, true, m, n, rank, 1.0, scaled, m, v, n, 0.0, l, m);
    }

    private static void CheckFinite(double value, string what)
    {
        if (!double.IsFinite(value))
        {
            throw new ArithmeticException($"Robust PCA: the {what} is {value}; the data or the iterates left the double range.");
        }
    }
}
