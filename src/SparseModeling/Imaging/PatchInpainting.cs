// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Imaging;

/// <summary>
/// Fills the missing pixels of a grayscale image by sparse coding of its overlapping patches over a dictionary, each patch
/// coded on its observed pixels only, and averaging of the patch estimates (the patch-based inpainting of Mairal, Elad and
/// Sapiro, "Sparse representation for color image restoration", IEEE Trans. Image Processing 17(1), 2008, with a given
/// dictionary — a DCT dictionary, or one learned on the damaged patches by <see cref="Decomposition.Ksvd"/> with
/// missing values).
/// </summary>
/// <remarks>
/// <para>
/// For every patchHeight×patchWidth patch of the image (stride 1, as <see cref="Patches.Extract2D"/>) with at least one
/// observed pixel: the mean m of its observed pixels is removed; the dictionary's atoms are restricted to the observed
/// pixels and scaled to unit norm there (atoms that vanish there are left out); orthogonal matching pursuit adds atoms
/// until the squared residual on the observed pixels is at most (observed pixels)·<c>tolerance</c>² or
/// <c>nonzeroCoefficients</c> atoms are used; the patch estimate is m plus the chosen full atoms with their coefficients.
/// Each pixel is then the mean of the estimates of the patches that cover it and have an observed pixel (patches without
/// one say nothing), and the observed pixels keep their values.
/// </para>
/// <para>
/// A missing pixel that no patch with an observed pixel covers (a hole wider than a patch) takes the mean of all observed
/// pixels. Results do not depend on the number of threads.
/// </para>
/// <code>
/// var dictionary = DctDictionary.Generate(64, 8);
/// Matrix&lt;double&gt; restored = PatchInpainting.Inpaint(damaged, mask, dictionary, 8, 8, tolerance: 0.01);
/// </code>
/// </remarks>
public static class PatchInpainting
{
    /// <summary>Fills the pixels of <paramref name="image"/> where <paramref name="mask"/> is 0.</summary>
    /// <param name="image">The image, rows × columns; its entries where the mask is 0 are ignored (they may be NaN). Not modified.</param>
    /// <param name="mask">1 where a pixel is observed, 0 where it is missing; the shape of <paramref name="image"/>. Not modified.</param>
    /// <param name="dictionary">The atoms, one flattened patch per row (atoms × patchHeight·patchWidth, pixel (r, s) at column r·patchWidth + s, as <see cref="Patches.Extract2D"/>); atoms need not be normalised. Not modified.</param>
    /// <param name="patchHeight">The patch height, 1 ≤ h ≤ image rows.</param>
    /// <param name="patchWidth">The patch width, 1 ≤ w ≤ image columns.</param>
    /// <param name="tolerance">The root-mean-square error per observed pixel at which a patch's pursuit stops, ≥ 0 (default 0: stop on the atom count only).</param>
    /// <param name="nonzeroCoefficients">The most atoms per patch, ≥ 1; null (default) → min(max(⌊h·w / 10⌋, 1), atoms), as <see cref="Decomposition.SparseEncoder.Encode"/>. A patch never uses more atoms than it has observed pixels.</param>
    /// <param name="cancellationToken">Checked between rows of patches.</param>
    /// <returns>The inpainted image: the observed pixels as they are, the missing ones estimated.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="image"/> is empty; the mask's shape differs from the image's; the mask holds a value other than 0 or 1;
    /// no pixel is observed; an observed pixel is NaN or ±∞; the dictionary is empty, holds NaN or ±∞, or its column count
    /// is not patchHeight·patchWidth.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A patch side is below 1 or larger than the image, <paramref name="tolerance"/> is negative or not finite, or <paramref name="nonzeroCoefficients"/> &lt; 1.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Matrix<double> Inpaint(
        Matrix<double> image,
        Matrix<double> mask,
        Matrix<double> dictionary,
        int patchHeight,
        int patchWidth,
        double tolerance = 0.0,
        int? nonzeroCoefficients = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(dictionary);
        int height = image.RowCount, width = image.ColumnCount;
        if (height == 0 || width == 0)
        {
            throw new ArgumentException($"{nameof(image)} is empty ({height}×{width}); at least one row and one column are needed.", nameof(image));
        }

        if (mask.RowCount != height || mask.ColumnCount != width)
        {
            throw new ArgumentException($"{nameof(mask)} is {mask.RowCount}×{mask.ColumnCount} but {nameof(image)} is {height}×{width}; they must agree.", nameof(mask));
        }

        if (patchHeight < 1 || patchHeight > height)
        {
            throw Guard.OutOfRange(nameof(patchHeight), $"{nameof(patchHeight)} must be in [1, {height}] (the image rows) (was {patchHeight}).");
        }

        if (patchWidth < 1 || patchWidth > width)
        {
            throw Guard.OutOfRange(nameof(patchWidth), $"{nameof(patchWidth)} must be in [1, {width}] (the image columns) (was {patchWidth}).");
        }

        if (!double.IsFinite(tolerance) || tolerance < 0.0)
        {
            throw Guard.OutOfRange(nameof(tolerance), $"{nameof(tolerance)} must be finite and ≥ 0 (was {tolerance}).");
        }

        if (nonzeroCoefficients is { } nonzero)
        {
            Guard.AtLeast(nonzero, 1, nameof(nonzeroCoefficients));
        }

        int features = patchHeight * patchWidth;
        Guard.Samples(dictionary);
        if (dictionary.ColumnCount != features)
        {
            throw new ArgumentException($"{nameof(dictionary)} has {dictionary.ColumnCount} columns but a {patchHeight}×{patchWidth} patch has {features} pixels; they must agree.", nameof(dictionary));
        }

        var pixels = MatrixStorage.ColumnMajor(image);
        var observed = MatrixStorage.ColumnMajor(mask);
        double observedSum = 0.0;
        long observedCount = 0;
        for (int j = 0; j < width; j++)
        {
            for (int i = 0; i < height; i++)
            {
                double m = observed[i + (j * height)];
                if (m == 1.0)
                {
                    double v = pixels[i + (j * height)];
                    if (!double.IsFinite(v))
                    {
                        throw new ArgumentException($"{nameof(image)} must be finite where {nameof(mask)} is 1 but has {v} at row {i}, column {j}.", nameof(image));
                    }

                    observedSum += v;
                    observedCount++;
                }
                else if (m != 0.0)
                {
                    throw new ArgumentException($"{nameof(mask)} must hold only 0 (missing) and 1 (observed) but has {m} at row {i}, column {j}.", nameof(mask));
                }
            }
        }

        if (observedCount == 0)
        {
            throw new ArgumentException($"{nameof(mask)} is 0 everywhere: no pixel of the {height}×{width} image is observed, so there is nothing to inpaint from.", nameof(mask));
        }

        int atoms = dictionary.RowCount;
        int maxAtoms = Math.Min(nonzeroCoefficients ?? Math.Max(features / 10, 1), atoms);
        var core = new Core(
            RowMajor(pixels, height, width),
            RowMajor(observed, height, width),
            height,
            width,
            patchHeight,
            patchWidth,
            MatrixStorage.ColumnMajor(dictionary.Transpose()),
            atoms,
            tolerance * tolerance,
            maxAtoms);
        using var scope = Parallelism.Enter(null, cancellationToken);
        var result = core.Run(observedSum / observedCount);
        return Matrix<double>.Build.Dense(height, width, (i, j) => result[(i * width) + j]);
    }

    private static double[] RowMajor(double[] columnMajor, int height, int width)
    {
        var result = new double[columnMajor.Length];
        for (int j = 0; j < width; j++)
        {
            for (int i = 0; i < height; i++)
            {
                result[(i * width) + j] = columnMajor[i + (j * height)];
            }
        }

        return result;
    }

    /// <summary>
    /// The work on row-major copies of the image and the mask and the transposed dictionary (features × atoms, column-major:
    /// atom a's pixels contiguous).
    /// </summary>
    private sealed class Core(double[] image, double[] mask, int height, int width, int patchHeight, int patchWidth, double[] atomsByColumn, int atoms, double toleranceSquared, int maxAtoms)
    {
        private readonly int _features = patchHeight * patchWidth;
        private readonly int _rowPositions = height - patchHeight + 1;
        private readonly int _columnPositions = width - patchWidth + 1;

        /// <summary>The inpainted image, row-major; <paramref name="fallback"/> where no informative patch covers a missing pixel.</summary>
        public double[] Run(double fallback)
        {
            // Phase 1: every patch's estimate (NaN in its first entry when it has no observed pixel), one row of positions per
            // task; phase 2: each image row averaged by one thread over the patches in a fixed order.
            var estimates = GC.AllocateUninitializedArray<double>(checked(_rowPositions * _columnPositions * _features));
            Parallelism.For(_rowPositions, () => new Scratch(_features, atoms), (i, scratch) =>
            {
                for (int j = 0; j < _columnPositions; j++)
                {
                    EstimatePatch(i, j, estimates.AsSpan(((i * _columnPositions) + j) * _features, _features), scratch);
                }
            });

            var result = new double[height * width];
            Parallelism.For(height, y =>
            {
                var sum = result.AsSpan(y * width, width);
                var count = new int[width];
                for (int i = Math.Max(0, y - patchHeight + 1); i <= Math.Min(y, _rowPositions - 1); i++)
                {
                    int r = y - i;
                    for (int j = 0; j < _columnPositions; j++)
                    {
                        var patch = estimates.AsSpan(((i * _columnPositions) + j) * _features, _features);
                        if (double.IsNaN(patch[0]))
                        {
                            continue;
                        }

                        for (int s = 0; s < patchWidth; s++)
                        {
                            sum[j + s] += patch[(r * patchWidth) + s];
                            count[j + s]++;
                        }
                    }
                }

                for (int x = 0; x < width; x++)
                {
                    int at = (y * width) + x;
                    sum[x] = mask[at] == 1.0 ? image[at] : count[x] > 0 ? sum[x] / count[x] : fallback;
                }
            });

            return result;
        }

        /// <summary>Writes the estimate of the patch with top-left corner (i, j) into <paramref name="estimate"/> (NaN first when it has no observed pixel).</summary>
        private void EstimatePatch(int i, int j, Span<double> estimate, Scratch scratch)
        {
            var index = scratch.Index;
            int n = 0;
            double mean = 0.0;
            for (int r = 0; r < patchHeight; r++)
            {
                int at = ((i + r) * width) + j;
                for (int s = 0; s < patchWidth; s++)
                {
                    if (mask[at + s] == 1.0)
                    {
                        index[n++] = (r * patchWidth) + s;
                        mean += image[at + s];
                    }
                }
            }

            if (n == 0)
            {
                estimate[0] = double.NaN;
                return;
            }

            mean /= n;
            estimate.Fill(mean);
            var signal = scratch.Signal.AsSpan(0, n);
            for (int o = 0; o < n; o++)
            {
                int f = index[o];
                signal[o] = image[((i + (f / patchWidth)) * width) + j + (f % patchWidth)] - mean;
            }

            double signalNorm = Kernels.SquaredNorm(signal);
            double target = n * toleranceSquared;
            if (signalNorm <= target)
            {
                return;
            }

            // The atoms on the observed pixels, scaled to unit norm there; atoms that vanish there are left out.
            var sub = scratch.Sub;
            var kept = scratch.Kept;
            var norms = scratch.Norms;
            int p = 0;
            for (int a = 0; a < atoms; a++)
            {
                var atom = atomsByColumn.AsSpan(a * _features, _features);
                var column = sub.AsSpan(p * n, n);
                for (int o = 0; o < n; o++)
                {
                    column[o] = atom[index[o]];
                }

                double norm = Math.Sqrt(Kernels.SquaredNorm(column));
                if (norm > 0.0)
                {
                    Kernels.Scal(1.0 / norm, column);
                    kept[p] = a;
                    norms[p] = norm;
                    p++;
                }
            }

            if (p == 0)
            {
                return;
            }

            var code = scratch.Code.AsSpan(0, p);
            OmpSolver.Solve(sub.AsSpan(0, p * n), n, p, signal, [], Math.Min(maxAtoms, n), toleranceSquared > 0.0 ? target : null, code, Parallelism.Token);
            for (int q = 0; q < p; q++)
            {
                if (code[q] != 0.0)
                {
                    Kernels.Axpy(code[q] / norms[q], atomsByColumn.AsSpan(kept[q] * _features, _features), estimate);
                }
            }
        }
    }

    /// <summary>The scratch memory of one thread.</summary>
    private sealed class Scratch(int features, int atoms)
    {
        public int[] Index { get; } = new int[features];

        public double[] Signal { get; } = new double[features];

        public double[] Sub { get; } = new double[features * atoms];

        public int[] Kept { get; } = new int[atoms];

        public double[] Norms { get; } = new double[atoms];

        public double[] Code { get; } = new double[atoms];
    }
}
