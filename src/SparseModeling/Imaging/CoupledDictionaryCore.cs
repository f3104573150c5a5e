// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Imaging;

/// <summary>
/// The arithmetic of <see cref="SparseSuperResolution"/>: the low-resolution features (first and second derivatives of the
/// bicubic interpolation, Yang et al. 2010, §III-C) and high-resolution targets (the detail the interpolation misses) of
/// p×p patches on the high-resolution grid, each pair divided by the norm of its features; the coupled dictionary learned by
/// K-SVD (<see cref="KsvdSolver"/>) on the joined pairs; and the reconstruction: code every overlapping patch's features
/// over the low-resolution atoms by batch OMP, add the high-resolution atoms with those codes to the interpolation,
/// average the overlaps, and back-project onto the low-resolution image.
/// </summary>
internal static class CoupledDictionaryCore
{
    /// <summary>Patch rows coded per block of <see cref="Reconstruct"/> (bounds the memory of the features).</summary>
    private const int BandRows = 32;

    /// <summary>The four derivative maps of <paramref name="m"/> (rows × columns, column-major), mirrored at the edges.</summary>
    internal static double[][] FeatureMaps(double[] m, int rows, int columns)
    {
        var maps = new double[4][];
        for (int g = 0; g < 4; g++)
        {
            maps[g] = new double[m.Length];
        }

        for (int j = 0; j < columns; j++)
        {
            Parallelism.ThrowIfCancellationRequested();
            for (int i = 0; i < rows; i++)
            {
                double At(int r, int c) => m[(Resampling.Mirror(c, columns) * rows) + Resampling.Mirror(r, rows)];
                double centre = m[(j * rows) + i];
                int at = (j * rows) + i;
                maps[0][at] = At(i, j + 1) - At(i, j - 1);
                maps[1][at] = At(i + 1, j) - At(i - 1, j);
                maps[2][at] = At(i, j - 2) - (2.0 * centre) + At(i, j + 2);
                maps[3][at] = At(i - 2, j) - (2.0 * centre) + At(i + 2, j);
            }
        }

        return maps;
    }

    /// <summary>Copies the features of the patch at (<paramref name="top"/>, <paramref name="left"/>) into row <paramref name="sample"/> of a column-major samples × 4p² matrix.</summary>
    internal static void GatherFeatures(double[][] maps, int rows, int top, int left, int p, Span<double> destination, int samples, int sample)
    {
        int feature = 0;
        foreach (var map in maps)
        {
            for (int r = 0; r < p; r++)
            {
                for (int s = 0; s < p; s++)
                {
                    destination[(feature++ * samples) + sample] = map[((left + s) * rows) + top + r];
                }
            }
        }
    }

    /// <summary>
    /// Learns the coupled dictionary from joined training pairs (rows of <paramref name="joint"/>, n × (p² + 4p²), the
    /// high-resolution part first and weighted by <paramref name="weight"/>): K-SVD from <paramref name="start"/>, then the
    /// low-resolution parts normalised and the high-resolution atoms refitted by least squares to the codes of the
    /// low-resolution features alone (Zeyde, Elad and Protter 2010), which is how <see cref="Reconstruct"/> uses them.
    /// </summary>
    internal static (double[] Low, double[] High, KsvdSolver.Result Ksvd) Learn(
        Matrix<double> joint, double weight, double[] start, int k, int p, int nonzero, int maxIterations, double tolerance, CancellationToken cancellationToken)
    {
        int n = joint.RowCount, hd = p * p, ld = 4 * p * p, f = hd + ld;
        var settings = new KsvdSolver.Settings(nonzero, maxIterations, tolerance, KsvdMethod.Approximate, ReplaceUnusedAtoms: true, null, cancellationToken);
        var result = KsvdSolver.Run(joint, null, start, k, settings);

        // The low-resolution atoms (K × 4p², column-major), each scaled to unit norm; an atom with no low-resolution part is
        // replaced by the features of a training patch so that OMP never meets a zero atom.
        var x = MatrixStorage.ColumnMajor(joint);
        var low = new double[k * ld];
        for (int a = 0; a < k; a++)
        {
            double norm = 0.0;
            for (int t = 0; t < ld; t++)
            {
                double v = start[(a * f) + hd + t];
                norm += v * v;
            }

            bool empty = !(norm > 0.0);
            norm = empty ? 0.0 : Math.Sqrt(norm);
            for (int t = 0; t < ld; t++)
            {
                low[(t * k) + a] = empty ? x[((hd + t) * n) + (a % n)] : start[(a * f) + hd + t] / norm;
            }
        }

        // Codes of the training features over the low-resolution atoms, then the high-resolution atoms H = argmin ‖Y − C·H‖²:
        // (CᵀC + εI)·H = CᵀY, ε a trace-relative ridge for atoms that no code uses.
        var features = new double[(long)n * ld];
        Array.Copy(x, (long)hd * n, features, 0, (long)n * ld);
        var codes = SparseEncoder.EncodeRaw(features, n, ld, low, k, SparseCodingAlgorithm.Omp, nonzero, null, false, 1000, null, cancellationToken);
        var gram = new double[k * k];
        Gemm.Multiply(false, true, k, k, n, 1.0, codes, k, codes, k, 0.0, gram, k);
        var rhs = new double[k * hd];
        Gemm.Multiply(false, false, k, hd, n, 1.0, codes, k, x, n, 0.0, rhs, k);
        double trace = 0.0;
        for (int a = 0; a < k; a++)
        {
            trace += gram[(a * k) + a];
        }

        double ridge = Math.Max(trace / k, 1.0) * 1e-8;
        for (int a = 0; a < k; a++)
        {
            gram[(a * k) + a] += ridge;
        }

        Parallelism.ThrowIfCancellationRequested();
        if (!Cholesky.Factor(gram, k, k))
        {
            throw new ArithmeticException("The Gram matrix of the training codes is not positive definite: the high-resolution atoms cannot be fitted.");
        }

        Cholesky.Solve(gram, k, k, rhs, hd, k);
        Kernels.Scal(1.0 / weight, rhs);
        return (low, rhs, result);
    }

    /// <summary>
    /// The high-resolution image (Factor·rows × Factor·columns, column-major) from the low-resolution <paramref name="image"/>:
    /// bicubic interpolation plus the averaged detail patches predicted by the coupled dictionary, then
    /// <paramref name="backProjections"/> steps X ← X + B(Y − D(X)) (B bicubic, D the downscale).
    /// </summary>
    internal static Matrix<double> Reconstruct(Matrix<double> image, double[] low, double[] high, int k, int p, int factor, int nonzero, int backProjections)
    {
        var mid = Resampling.UpscaleRaw(image, factor);
        int rows = mid.RowCount, columns = mid.ColumnCount, hd = p * p, ld = 4 * p * p;
        var m = MatrixStorage.ColumnMajor(mid);
        var maps = FeatureMaps(m, rows, columns);
        var sum = new double[m.Length];
        int positionsDown = rows - p + 1, positionsAcross = columns - p + 1;
        int bands = (positionsDown + BandRows - 1) / BandRows;
        var bandSums = new double[bands][];

        // Bands of patch rows in parallel; each band adds its patches into its own image, summed below in band order so that
        // the result does not depend on the number of threads.
        Parallelism.For(bands, band =>
        {
            int first = band * BandRows, count = Math.Min(BandRows, positionsDown - first), samples = count * positionsAcross;
            var features = new double[(long)samples * ld];
            for (int r = 0; r < count; r++)
            {
                for (int c = 0; c < positionsAcross; c++)
                {
                    GatherFeatures(maps, rows, first + r, c, p, features, samples, (r * positionsAcross) + c);
                }
            }

            var norms = Normalize(features, samples, ld);
            var codes = SparseEncoder.EncodeRaw(features, samples, ld, low, k, SparseCodingAlgorithm.Omp, nonzero, null, false, 1000, null, CancellationToken.None);
            var detail = new double[(long)hd * samples];
            Gemm.Multiply(true, false, hd, samples, k, 1.0, high, k, codes, k, 0.0, detail, hd);
            var local = new double[(long)rows * columns];
            for (int s = 0; s < samples; s++)
            {
                int top = first + (s / positionsAcross), left = s % positionsAcross;
                double norm = norms[s];
                for (int t = 0; t < hd; t++)
                {
                    local[((left + (t % p)) * rows) + top + (t / p)] += norm * detail[((long)s * hd) + t];
                }
            }

            bandSums[band] = local;
        });

        foreach (var local in bandSums)
        {
            Kernels.Axpy(1.0, local, sum);
        }

        for (int j = 0; j < columns; j++)
        {
            int across = Math.Min(Math.Min(j + 1, p), Math.Min(columns - j, p));
            across = Math.Min(across, positionsAcross);
            for (int i = 0; i < rows; i++)
            {
                int down = Math.Min(Math.Min(i + 1, p), Math.Min(rows - i, p));
                down = Math.Min(down, positionsDown);
                m[(j * rows) + i] += sum[(j * rows) + i] / (down * across);
            }
        }

        var x = MatrixStorage.FromColumnMajor(rows, columns, m);
        for (int step = 0; step < backProjections; step++)
        {
            var difference = image - Resampling.DownscaleRaw(x, factor);
            x += Resampling.UpscaleRaw(difference, factor);
        }

        return x;
    }

    /// <summary>Divides each row of a column-major samples × features matrix by its norm (rows of norm 0 stay 0) and returns the norms.</summary>
    internal static double[] Normalize(double[] x, int samples, int features)
    {
        var norms = new double[samples];
        for (int t = 0; t < features; t++)
        {
            var column = x.AsSpan(t * samples, samples);
            for (int s = 0; s < samples; s++)
            {
                norms[s] += column[s] * column[s];
            }
        }

        var inverse = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            norms[s] = Math.Sqrt(norms[s]);
            inverse[s] = norms[s] > 0.0 ? 1.0 / norms[s] : 0.0;
        }

        for (int t = 0; t < features; t++)
        {
            var column = x.AsSpan(t * samples, samples);
            for (int s = 0; s < samples; s++)
            {
                column[s] *= inverse[s];
            }
        }

        return norms;
    }
}
