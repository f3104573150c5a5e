// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// Batch orthogonal matching pursuit (Rubinstein, Zibulevsky and Elad, "Efficient implementation of
/// the K-SVD algorithm using batch orthogonal matching pursuit", Technion CS-2008-08), as
/// scikit-learn's <c>orthogonal_mp_gram</c>: many signals coded against one dictionary from the
/// dictionary's Gram matrix and each signal's correlations only, in parallel over the signals.
/// </summary>
/// <remarks>
/// Each signal's pursuit is <see cref="OmpSolver.SolveGram"/>; signals are independent, so the
/// result does not depend on the number of threads. The dictionary holds atoms in rows
/// (atoms × features, as scikit-learn's <c>components_</c>).
/// </remarks>
internal static class BatchOmp
{
    /// <summary>Signals per parallel work item.</summary>
    private const int Chunk = 64;

    /// <summary>
    /// Codes signals given G = D·Dᵀ (atoms × atoms, column-major) and the correlations C = D·Xᵀ
    /// (atoms × signals, column-major: column s belongs to signal s). Returns the codes, atoms ×
    /// signals column-major. <paramref name="normsSquared"/> holds ‖x_s‖² per signal and is required
    /// with a <paramref name="tolerance"/> (on ‖x_s − Dᵀcode_s‖²), which then overrides
    /// <paramref name="nonzeroCoefficients"/>.
    /// </summary>
    public static double[] Encode(
        double[] gram,
        int atoms,
        double[] correlations,
        int signals,
        int nonzeroCoefficients,
        double? tolerance = null,
        double[]? normsSquared = null,
        CancellationToken cancellationToken = default)
    {
        if (tolerance is not null && normsSquared is null)
        {
            throw new ArgumentException("A tolerance needs the squared norms of the signals.", nameof(normsSquared));
        }

        int maxAtoms = tolerance is null ? Math.Min(nonzeroCoefficients, atoms) : atoms;
        var codes = new double[(long)atoms * signals];
        int chunks = (signals + Chunk - 1) / Chunk;
        using var scope = Parallelism.Enter(null, cancellationToken);
        Parallelism.For(
            chunks,
            () => new OmpSolver.Workspace(atoms, maxAtoms),
            (chunk, workspace) =>
            {
                int end = Math.Min(signals, (chunk + 1) * Chunk);
                for (int s = chunk * Chunk; s < end; s++)
                {
                    OmpSolver.SolveGram(
                        gram,
                        atoms,
                        atoms,
                        correlations.AsSpan(s * atoms, atoms),
                        normsSquared?[s] ?? double.NaN,
                        maxAtoms,
                        tolerance,
                        codes.AsSpan(s * atoms, atoms),
                        workspace);
                }
            });
        return codes;
    }

    /// <summary>
    /// Codes each row of <paramref name="x"/> (samples × features) against <paramref name="dictionary"/>
    /// (atoms × features) with at most <paramref name="nonzeroCoefficients"/> atoms, or to a squared
    /// residual of at most <paramref name="tolerance"/>; returns the codes, samples × atoms (as
    /// scikit-learn's <c>sparse_encode(..., algorithm='omp')</c>). Inputs are assumed validated.
    /// </summary>
    public static Matrix<double> Encode(Matrix<double> x, Matrix<double> dictionary, int nonzeroCoefficients, double? tolerance = null, CancellationToken cancellationToken = default)
    {
        using var scope = Parallelism.Enter(null, cancellationToken);
        int samples = x.RowCount, features = x.ColumnCount, atoms = dictionary.RowCount;
        var d = MatrixStorage.ColumnMajor(dictionary);
        var xs = MatrixStorage.ColumnMajor(x);
        var gram = new double[atoms * atoms];
        Gemm.Multiply(false, true, atoms, atoms, features, 1.0, d, atoms, d, atoms, 0.0, gram, atoms);
        var correlations = new double[(long)atoms * samples];
        Gemm.Multiply(false, true, atoms, samples, features, 1.0, d, atoms, xs, samples, 0.0, correlations, atoms);
        double[]? norms = null;
        if (tolerance is not null)
        {
            norms = new double[samples];
            for (int j = 0; j < features; j++)
            {
                var column = xs.AsSpan(j * samples, samples);
                for (int i = 0; i < samples; i++)
                {
                    norms[i] += column[i] * column[i];
                }
            }
        }

        var codes = Encode(gram, atoms, correlations, samples, nonzeroCoefficients, tolerance, norms, cancellationToken);
        return MatrixStorage.FromColumnMajor(atoms, samples, codes).Transpose();
    }
}
