// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// The dictionary step shared by <see cref="DictionaryLearning"/> and <see cref="MiniBatchDictionaryLearning"/>: one pass of
/// block coordinate descent over the atoms on the sufficient statistics A = ΣcᵀC (atoms × atoms) and B = ΣxᵀC
/// (features × atoms), as scikit-learn 1.2's <c>_update_dict</c> (Mairal, Bach, Ponce and Sapiro, "Online learning for
/// matrix factorization and sparse coding", JMLR 11, 2010, Algorithm 2). For atom k in order:
/// d_k ← d_k + (b_k − D·a_k) / A_kk (the other atoms as already updated), clipped at 0 with a positive dictionary, then
/// projected onto the unit ball, d_k ← d_k / max(‖d_k‖, 1). An atom with A_kk ≤ 10⁻⁶ (almost never used) is re-drawn
/// instead: a random row of the data plus Gaussian noise of 0.01 times that row's standard deviation (1 when it is 0),
/// so that no atom stays at zero.
/// </summary>
/// <remarks>
/// The dictionary is held atoms-contiguous (features × atoms column-major, i.e. D row-major) so that each atom and
/// each update is a contiguous span; D·a_k is one GEMV. Also here: the starts both learners share (the SVD start with
/// scikit-learn's sign convention) and the objective ½‖X − C·D‖²_F + α‖C‖₁.
/// </remarks>
internal static class DictionaryUpdate
{
    /// <summary>An atom whose A_kk is at most this is re-drawn from the data (scikit-learn's and SPAMS's 1e-6).</summary>
    internal const double UnusedAtomThreshold = 1e-6;

    /// <summary>
    /// Updates every atom of <paramref name="dictionary"/> in place (see the class remarks); returns how many were re-drawn and
    /// marks them in <paramref name="redrawn"/> (the batch learner zeroes their codes, as scikit-learn does).
    /// </summary>
    /// <param name="dictionary">The atoms, features × atoms column-major (atom k at [k·features, (k+1)·features)).</param>
    /// <param name="features">m.</param>
    /// <param name="atoms">K.</param>
    /// <param name="a">A, K × K column-major, symmetric (column k is read as a_k).</param>
    /// <param name="b">B, m × K column-major.</param>
    /// <param name="data">Rows to re-draw unused atoms from, <paramref name="samples"/> × m column-major.</param>
    /// <param name="samples">The rows of <paramref name="data"/>.</param>
    /// <param name="positive">Whether atoms are clipped at 0.</param>
    /// <param name="random">The generator of the re-draws.</param>
    /// <param name="redrawn">K flags, set for the re-drawn atoms (others left false).</param>
    public static int UpdateAtoms(
        Span<double> dictionary,
        int features,
        int atoms,
        ReadOnlySpan<double> a,
        ReadOnlySpan<double> b,
        ReadOnlySpan<double> data,
        int samples,
        bool positive,
        SplitMix64 random,
        Span<bool> redrawn)
    {
        var step = new double[features];
        int count = 0;
        for (int k = 0; k < atoms; k++)
        {
            var atom = dictionary.Slice(k * features, features);
            double akk = a[(k * atoms) + k];
            if (akk > UnusedAtomThreshold)
            {
                // step = b_k − D·a_k; d_k += step / A_kk.
                b.Slice(k * features, features).CopyTo(step);
                Gemv.Multiply(features, atoms, -1.0, dictionary, features, a.Slice(k * atoms, atoms), 1.0, step);
                Kernels.Axpy(1.0 / akk, step, atom);
            }
            else
            {
                Redraw(atom, data, samples, features, random);
                redrawn[k] = true;
                count++;
            }

            if (positive)
            {
                Kernels.NonNegativeSoftThreshold(atom, 0.0, atom);
            }

            double norm = Kernels.Nrm2(atom);
            if (norm > 1.0)
            {
                Kernels.Scal(1.0 / norm, atom);
            }
        }

        return count;
    }

    /// <summary>
    /// The start from the data's SVD X = U·S·Vᵀ with scikit-learn's sign rule (<c>svd_flip</c>: the largest-magnitude
    /// entry of each column of U made positive): the dictionary is the first K rows of S·Vᵀ, and the codes the first K
    /// columns of U; when K exceeds the rank bound min(n, m), the rest are zero (atoms the first dictionary update
    /// re-draws). Returns the dictionary atoms-contiguous (m × K column-major) and the codes K × n column-major (each
    /// sample's code contiguous), or null codes when <paramref name="withCodes"/> is false.
    /// </summary>
    public static (double[] Dictionary, double[]? Codes) SvdStart(double[] x, int samples, int features, int atoms, bool withCodes)
    {
        int r = Math.Min(atoms, Math.Min(samples, features));
        var (u, s, v) = TruncatedSvd.Compute(x, samples, features, r);
        var dictionary = new double[features * atoms];
        var codes = withCodes ? new double[(long)atoms * samples] : null;
        for (int j = 0; j < r; j++)
        {
            var uj = u.AsSpan(j * samples, samples);
            int largest = 0;
            for (int i = 1; i < samples; i++)
            {
                if (Math.Abs(uj[i]) > Math.Abs(uj[largest]))
                {
                    largest = i;
                }
            }

            double sign = uj[largest] < 0.0 ? -1.0 : 1.0;
            var atom = dictionary.AsSpan(j * features, features);
            Kernels.Axpy(sign * s[j], v.AsSpan(j * features, features), atom);
            if (codes is not null)
            {
                for (int i = 0; i < samples; i++)
                {
                    codes[j + ((long)i * atoms)] = sign * uj[i];
                }
            }
        }

        return (dictionary, codes);
    }

    /// <summary>
    /// ½‖X − C·D‖²_F + α‖C‖₁ for X (n × m column-major), codes C given K × n column-major and the dictionary atoms-contiguous
    /// (m × K column-major); <paramref name="residual"/> (n·m entries) receives X − C·D.
    /// </summary>
    public static double Objective(double[] x, int samples, int features, double[] codes, double[] dictionary, int atoms, double alpha, double[] residual)
    {
        Array.Copy(x, residual, (long)samples * features);
        Gemm.Multiply(true, true, samples, features, atoms, -1.0, codes, atoms, dictionary, features, 1.0, residual, samples);
        return (0.5 * Kernels.SquaredNorm(residual.AsSpan(0, samples * features))) + (alpha * Kernels.Asum(codes.AsSpan(0, atoms * samples)));
    }

    /// <summary>The atoms-contiguous dictionary (m × K column-major) as scikit-learn's components (K × m column-major), or back.</summary>
    public static double[] Transpose(ReadOnlySpan<double> source, int rows, int cols)
    {
        var result = new double[source.Length];
        for (int j = 0; j < cols; j++)
        {
            for (int i = 0; i < rows; i++)
            {
                result[j + (i * cols)] = source[i + (j * rows)];
            }
        }

        return result;
    }

    /// <summary>A random row of the data plus N(0, (0.01·σ)²) noise per entry, σ the row's standard deviation (1 if it is 0).</summary>
    private static void Redraw(Span<double> atom, ReadOnlySpan<double> data, int samples, int features, SplitMix64 random)
    {
        int row = random.NextInt(samples);
        for (int j = 0; j < features; j++)
        {
            atom[j] = data[row + (j * samples)];
        }

        double mean = Kernels.Sum(atom) / features;
        double deviation = Math.Sqrt(Kernels.SquaredDistanceFrom(atom, mean) / features);
        double level = 0.01 * (deviation == 0.0 ? 1.0 : deviation);
        for (int j = 0; j < features; j++)
        {
            atom[j] += level * random.NextNormal();
        }
    }
}
