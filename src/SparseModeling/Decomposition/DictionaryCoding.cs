// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Decomposition;

/// <summary>
/// The sparse coding and atom constraints of a dictionary learner's fit, shared by its loops: the Lasso coder and its α,
/// iteration limit and sign constraint, and whether atoms are kept non-negative.
/// </summary>
/// <param name="Algorithm">The coder (<see cref="SparseCodingAlgorithm.LassoLars"/> or <see cref="SparseCodingAlgorithm.LassoCd"/>).</param>
/// <param name="Alpha">α of the objective ½‖X − C·D‖²_F + α‖C‖₁.</param>
/// <param name="PositiveCode">Codes ≥ 0.</param>
/// <param name="MaxIterations">The coder's iteration limit per signal.</param>
/// <param name="PositiveDictionary">Atoms ≥ 0.</param>
/// <param name="OnIteration">The callback, or null.</param>
/// <param name="CancellationToken">Checked between iterations and inside the coder.</param>
/// <param name="DataExponent">
/// The power of two e by which the shell rescaled the data (docs/ARCHITECTURE.md, "Extreme scales"; 0 at ordinary scales):
/// <paramref name="Alpha"/> is then already in the rescaled units, and the objectives reported to the callback are brought
/// back to the caller's by 2^−2e.
/// </param>
internal sealed record DictionaryCoding(
    SparseCodingAlgorithm Algorithm,
    double Alpha,
    bool PositiveCode,
    int MaxIterations,
    bool PositiveDictionary,
    Action<DictionaryLearningIterationInfo>? OnIteration,
    CancellationToken CancellationToken,
    int DataExponent = 0)
{
    /// <summary>The codes (K × n column-major) of the rows of <paramref name="x"/> (n × m column-major) over the atoms-contiguous <paramref name="dictionary"/> (m × K column-major); <paramref name="initialCodes"/> warm-starts coordinate descent.</summary>
    public double[] Encode(double[] x, int samples, int features, double[] dictionary, int atoms, double[]? initialCodes = null) =>
        SparseEncoder.EncodeRaw(
            x,
            samples,
            features,
            DictionaryUpdate.Transpose(dictionary, features, atoms),
            atoms,
            Algorithm,
            null,
            Alpha,
            PositiveCode,
            MaxIterations,
            initialCodes,
            CancellationToken);

    /// <summary>The record of one iteration for the callback (only built when one is set).</summary>
    public void Report(int iteration, double objective, double change, double smoothed, double[] dictionary, int features, int atoms)
    {
        if (OnIteration is null)
        {
            return;
        }

        var components = DictionaryUpdate.Transpose(dictionary, features, atoms);
        OnIteration(new DictionaryLearningIterationInfo(iteration, Rescaling.Saturating(objective, -2 * DataExponent), change, Rescaling.Saturating(smoothed, -2 * DataExponent), MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(atoms, features, components)));
    }
}
