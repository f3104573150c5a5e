// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.Optimization;

namespace SparseModeling.Decomposition;

/// <remarks>Row-group sparse coding (the L2,1 norm) as a configuration of the ADMM core.</remarks>
public static partial class SparseEncoder
{
    /// <summary>
    /// Codes the rows of <paramref name="x"/> over <paramref name="dictionary"/> with row-group sparsity, as spm-image's
    /// <c>sparse_encode_with_l21_norm</c>: the codes W (samples × atoms) minimise
    /// (1/(2n))·‖X − W·D‖²_F + α·‖W‖₂,₁, where ‖W‖₂,₁ = Σ_k ‖W[:, k]‖₂ sums the norms of the code's columns — so whole
    /// atoms are switched off for every sample at once (a shared support), not single coefficients.
    /// </summary>
    /// <remarks>
    /// ADMM on the split W = Y (Boyd et al. 2011) with penalty τ/n, as spm-image: W ← (X·Dᵀ/n + (τ/n)(Y − U))(D·Dᵀ/n + (τ/n)I)⁻¹
    /// (one k×k Cholesky factor shared by every sample), Y ← the group soft threshold of W + U at α·n/τ, U ← U + W − Y, from
    /// spm-image's start W = Y = X·Dᵀ/n·(D·Dᵀ/n + (τ/n)I)⁻¹, U = 0. The result is the split variable Y, which has exact zero
    /// columns. spm-image runs a fixed number of iterations; this stops earlier when the residuals of Boyd et al. meet
    /// <paramref name="tolerance"/> (the scaled rule of the library's ADMM estimators) — pass 0 for spm-image's fixed count.
    /// </remarks>
    /// <param name="x">The signals, samples × features; not modified.</param>
    /// <param name="dictionary">The dictionary, atoms × features (atoms in rows); not modified.</param>
    /// <param name="alpha">The weight α ≥ 0 of the L2,1 norm (default 1, as spm-image).</param>
    /// <param name="tau">The augmented-Lagrangian penalty τ &gt; 0 before its division by the sample count (default 1, as spm-image).</param>
    /// <param name="maxIterations">The number of iterations, ≥ 1 (default 30, as spm-image).</param>
    /// <param name="tolerance">The tolerance of the residual stopping rule, ≥ 0 (default 1e-4; 0 runs all <paramref name="maxIterations"/>).</param>
    /// <param name="cancellationToken">Checked once per iteration.</param>
    /// <returns>The codes, samples × atoms.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A matrix is empty or holds NaN/±∞, or the feature counts differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is negative or not finite, <paramref name="tau"/> is not positive and finite, <paramref name="maxIterations"/> is below 1, or <paramref name="tolerance"/> is negative; or the system D·Dᵀ/n + (τ/n)I is not numerically positive definite (τ too small).</exception>
    /// <exception cref="ArithmeticException">The iteration produced non-finite residuals.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Matrix<double> EncodeL21(
        Matrix<double> x,
        Matrix<double> dictionary,
        double alpha = 1.0,
        double tau = 1.0,
        int maxIterations = 30,
        double tolerance = 1e-4,
        CancellationToken cancellationToken = default)
    {
        Guard.Samples(x);
        Guard.Samples(dictionary);
        if (dictionary.ColumnCount != x.ColumnCount)
        {
            throw new ArgumentException($"{nameof(dictionary)} has {dictionary.ColumnCount} features (columns) but {nameof(x)} has {x.ColumnCount}; they must agree.", nameof(dictionary));
        }

        Guard.AtLeast(alpha, 0.0);
        Guard.GreaterThan(tau, 0.0);
        Guard.AtLeast(maxIterations, 1);
        Guard.AtLeast(tolerance, 0.0);
        using var scope = Parallelism.Enter(null, cancellationToken);
        int samples = x.RowCount, features = x.ColumnCount, atoms = dictionary.RowCount;
        var d = MatrixStorage.ColumnMajor(dictionary);

        // H = D·Dᵀ/n for every sample; q = D·xᵢ/n per sample, atoms × samples (each sample's code contiguous).
        var h = new double[atoms * atoms];
        Gemm.Multiply(false, true, atoms, atoms, features, 1.0 / samples, d, atoms, d, atoms, 0.0, h, atoms);
        var q = new double[(long)atoms * samples];
        Gemm.Multiply(false, true, atoms, samples, features, 1.0 / samples, d, atoms, MatrixStorage.ColumnMajor(x), samples, 0.0, q, atoms);

        var system = new BlockDiagonalSystem(h, atoms, samples);
        var solver = new AdmmSolver(ConstraintOperator.Identity(atoms * samples), system, tau / samples, nameof(tau), samples);

        // spm-image's start: W = Y = (H + ρI)⁻¹q for every sample.
        var start = (double[])q.Clone();
        var z = new double[start.Length];
        system.Solve(start, z, 0.0);
        var state = new AdmmSolver.State(q, z);

        // Groups: atom k across all samples, entries k + i·atoms.
        var groups = new int[atoms][];
        for (int k = 0; k < atoms; k++)
        {
            groups[k] = new int[samples];
            for (int i = 0; i < samples; i++)
            {
                groups[k][i] = k + (i * atoms);
            }
        }

        var settings = new AdmmSolver.Settings(new GroupSoftThresholdProx(alpha, groups), maxIterations, tolerance)
        {
            CancellationToken = cancellationToken,
        };
        solver.Solve(state, settings);
        return MatrixStorage.FromColumnMajor(atoms, samples, state.Z).Transpose();
    }
}
