// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// The loop of <see cref="DictionaryLearning"/>, as scikit-learn 1.2's <c>dict_learning</c>: each iteration codes every
/// sample over the current dictionary (<see cref="SparseEncoder"/>, coordinate descent warm-started from the previous codes),
/// then updates the atoms once on A = CᵀC and B = XᵀC (<see cref="DictionaryUpdate"/>; the codes of a re-drawn atom are
/// zeroed), then evaluates E = ½‖X − C·D‖²_F + α‖C‖₁; it stops when E_previous − E &lt; tolerance · E.
/// </summary>
internal static class DictionaryAlternatingLoop
{
    /// <summary>The result: the atoms-contiguous dictionary (m × K column-major), the codes (K × n column-major), the objective per iteration, and whether the stopping rule was met.</summary>
    public sealed record Result(double[] Dictionary, double[] Codes, double[] Errors, bool Converged);

    /// <param name="x">The data, n × m column-major (read only).</param>
    /// <param name="samples">n.</param>
    /// <param name="features">m.</param>
    /// <param name="atoms">K.</param>
    /// <param name="dictionary">The start, m × K column-major (atoms contiguous); updated in place.</param>
    /// <param name="codes">The starting codes (K × n column-major) for coordinate descent's warm start, or null.</param>
    /// <param name="maxIterations">The most iterations.</param>
    /// <param name="tolerance">The relative decrease of the objective below which the loop stops.</param>
    /// <param name="coding">The coder, constraints, callback and cancellation.</param>
    /// <param name="random">The generator of atom re-draws.</param>
    public static Result Run(
        double[] x,
        int samples,
        int features,
        int atoms,
        double[] dictionary,
        double[]? codes,
        int maxIterations,
        double tolerance,
        DictionaryCoding coding,
        SplitMix64 random)
    {
        var a = new double[atoms * atoms];
        var b = new double[features * atoms];
        var residual = new double[(long)samples * features];
        var previous = new double[dictionary.Length];
        var redrawn = new bool[atoms];
        var errors = new List<double>();
        bool converged = false;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            coding.CancellationToken.ThrowIfCancellationRequested();
            codes = coding.Encode(x, samples, features, dictionary, atoms, codes);

            // A = CᵀC and B = XᵀC from the codes held K × n.
            Gemm.Multiply(false, true, atoms, atoms, samples, 1.0, codes, atoms, codes, atoms, 0.0, a, atoms);
            Gemm.Multiply(true, true, features, atoms, samples, 1.0, x, samples, codes, atoms, 0.0, b, features);
            Array.Copy(dictionary, previous, dictionary.Length);
            Array.Clear(redrawn);
            if (DictionaryUpdate.UpdateAtoms(dictionary, features, atoms, a, b, x, samples, coding.PositiveDictionary, random, redrawn) > 0)
            {
                for (int k = 0; k < atoms; k++)
                {
                    if (redrawn[k])
                    {
                        for (long i = 0; i < samples; i++)
                        {
                            codes[k + (i * atoms)] = 0.0;
                        }
                    }
                }
            }

            double error = DictionaryUpdate.Objective(x, samples, features, codes, dictionary, atoms, coding.Alpha, residual);
            errors.Add(error);
            coding.Report(iteration + 1, error, Kernels.Distance(dictionary, previous) / atoms, double.NaN, dictionary, features, atoms);
            if (iteration > 0 && errors[^2] - error < tolerance * error)
            {
                converged = true;
                break;
            }
        }

        return new Result(dictionary, codes!, [.. errors], converged);
    }
}
