// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Imaging;

/// <summary>
/// Fills the missing pixels of a grayscale image by sparse coding of its overlapping patches over a dictionary and
/// averaging of the patch estimates: a first pass codes each patch on its observed pixels only (the masked sparse coding of
/// Mairal, Elad and Sapiro, "Sparse representation for color image restoration", IEEE Trans. Image Processing 17(1), 2008),
/// later passes code the patches of the current estimate whole with a falling error bound, the observed pixels restored
/// after each (as the iterated sparse-approximation inpainting of Guleryuz, "Nonlinear approximation based image recovery
/// using adaptive sparse reconstructions and iterated denoising", IEEE Trans. Image Processing 15(3), 2006, with OMP for
/// the thresholding). The dictionary is given: a DCT dictionary, or one learned on the damaged patches by
/// <see cref="Decomposition.Ksvd"/> with missing values.
/// </summary>
/// <remarks>
/// <para>
/// Tolerances are root-mean-square errors per pixel, as a fraction of the range r (largest minus smallest) of the observed
/// intensities, so they do not depend on the intensity scale. With P later passes the bound of the first pass is
/// τ₀ = 5·<c>tolerance</c>·r and pass p's is <c>tolerance</c>·r·5^((P − p)/P), down to <c>tolerance</c>·r in the last.
/// </para>
/// <para>
/// First pass, for every patchHeight×patchWidth patch (stride 1, as <see cref="Patches.Extract2D"/>) with an observed
/// pixel: the mean m of its n observed pixels is removed; the atoms are restricted to those pixels and scaled to unit norm
/// there (atoms that vanish there are left out); orthogonal matching pursuit adds atoms until the squared residual is at
/// most n·τ₀² or min(<c>nonzeroCoefficients</c>, n) atoms are used; the estimate is m plus the full atoms with their
/// coefficients, weighted n/(1 + atoms used). Later passes: every patch of the current image, its mean removed, coded by
/// batch OMP over the unit-norm atoms to the squared residual (patch pixels)·τ_p² or <c>nonzeroCoefficients</c> atoms,
/// weighted 1/(1 + atoms used). After each pass a missing pixel is the weighted mean of the estimates that cover it, and the
/// observed pixels keep their values; a missing pixel that no estimate covers (a hole wider than a patch, in the first pass)
/// takes the mean of the observed pixels.
/// </para>
/// <para>Results do not depend on the number of threads.</para>
/// <code>
/// var dictionary = DctDictionary.Generate(64, 8);
/// Matrix&lt;double&gt; restored = PatchInpainting.Inpaint(damaged, mask, dictionary, 8, 8);
/// </code>
/// </remarks>
public static class PatchInpainting
{
    /// <summary>The tolerance of the first pass, as a multiple of the final one, when later passes follow.</summary>
    private const double StartFactor = 5.0;

    /// <summary>Fills the pixels of <paramref name="image"/> where <paramref name="mask"/> is 0.</summary>
    /// <param name="image">The image, rows × columns; its entries where the mask is 0 are ignored (they may be NaN). Not modified.</param>
    /// <param name="mask">1 where a pixel is observed, 0 where it is missing; the shape of <paramref name="image"/>. Not modified.</param>
    /// <param name="dictionary">The atoms, one flattened patch per row (atoms × patchHeight·patchWidth, pixel (r, s) at column r·patchWidth + s, as <see cref="Patches.Extract2D"/>); atoms need not be normalised. Not modified.</param>
    /// <param name="patchHeight">The patch height, 1 ≤ h ≤ image rows.</param>
    /// <param name="patchWidth">The patch width, 1 ≤ w ≤ image columns.</param>
    /// <param name="tolerance">The root-mean-square error per pixel at which the pursuits of the last pass stop, as a fraction of the range of the observed intensities, ≥ 0 (default 0.005; 0: stop on the atom count only).</param>
    /// <param name="nonzeroCoefficients">The most atoms per patch, ≥ 1; null (default) → min(max(⌊h·w / 10⌋, 1), atoms), as <see cref="Decomposition.SparseEncoder.Encode"/>. A patch of the first pass never uses more atoms than it has observed pixels.</param>
    /// <param name="iterations">The passes after the first, ≥ 0 (default 10; 0: the masked coding alone, at <paramref name="tolerance"/>).</param>
    /// <param name="cancellationToken">Checked between rows of patches and chunks of coded patches.</param>
    /// <returns>The inpainted image: the observed pixels as they are, the missing ones estimated.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="image"/> is empty; the mask's shape differs from the image's; the mask holds a value other than 0 or 1;
    /// no pixel is observed; an observed pixel is NaN or ±∞; the dictionary is empty, holds NaN or ±∞, or its column count
    /// is not patchHeight·patchWidth.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A patch side is below 1 or larger than the image, <paramref name="tolerance"/> is negative or not finite, <paramref name="nonzeroCoefficients"/> &lt; 1, or <paramref name="iterations"/> &lt; 0.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Matrix<double> Inpaint(
        Matrix<double> image,
        Matrix<double> mask,
        Matrix<double> dictionary,
        int patchHeight,
        int patchWidth,
        double tolerance = 0.005,
        int? nonzeroCoefficients = null,
        int iterations = 10,
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

        Guard.AtLeast(iterations, 0);

        int features = patchHeight * patchWidth;
        Guard.Samples(dictionary);
        if (dictionary.ColumnCount != features)
        {
            throw new ArgumentException($"{nameof(dictionary)} has {dictionary.ColumnCount} columns but a {patchHeight}×{patchWidth} patch has {features} pixels; they must agree.", nameof(dictionary));
        }

        var pixels = MatrixStorage.ColumnMajor(image);
        var observed = MatrixStorage.ColumnMajor(mask);
        double observedSum = 0.0, observedMin = double.PositiveInfinity, observedMax = double.NegativeInfinity;
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
                    observedMin = Math.Min(observedMin, v);
                    observedMax = Math.Max(observedMax, v);
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
        var d = MatrixStorage.ColumnMajor(dictionary);
        var byColumn = MatrixStorage.ColumnMajor(dictionary.Transpose());
        var normalized = new double[d.Length];
        for (int a = 0; a < atoms; a++)
        {
            double norm = Math.Sqrt(Kernels.SquaredNorm(byColumn.AsSpan(a * features, features)));
            for (int f = 0; f < features; f++)
            {
                normalized[a + (f * atoms)] = norm > 0.0 ? d[a + (f * atoms)] / norm : 0.0;
            }
        }

        using var scope = Parallelism.Enter(null, cancellationToken);
        var core = new Core(RowMajor(pixels, height, width), RowMajor(observed, height, width), height, width, patchHeight, patchWidth, byColumn, atoms, maxAtoms);
        double range = observedMax - observedMin, fallback = observedSum / observedCount;
        double final = tolerance * range, first = iterations == 0 ? final : StartFactor * final;
        var (estimates, weights) = core.MaskedPass(first * first);
        var result = core.Average(estimates, weights, fallback);
        for (int pass = 1; pass <= iterations; pass++)
        {
            // τ falls geometrically from StartFactor·tolerance in the first pass to tolerance in the last.
            double tau = final * Math.Pow(StartFactor, (double)(iterations - pass) / iterations);
            (estimates, weights) = core.FullPass(result, normalized, tau * tau);
            result = core.Average(estimates, weights, fallback);
        }

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
    /// The work on row-major copies of the image and the mask, the dictionary (atoms × features, column-major) and its
    /// transpose (features × atoms, column-major: atom a's pixels contiguous). Patch estimates are stored patch by patch
    /// (patch t's pixels contiguous, patches in <see cref="Patches.Extract2D"/>'s order), each with a weight (0: no estimate).
    /// </summary>
    private sealed class Core(double[] image, double[] mask, int height, int width, int patchHeight, int patchWidth, double[] atomsByColumn, int atoms, int maxAtoms)
    {
        private readonly int _features = patchHeight * patchWidth;
        private readonly int _rowPositions = height - patchHeight + 1;
        private readonly int _columnPositions = width - patchWidth + 1;

        private int PatchCount => _rowPositions * _columnPositions;

        /// <summary>The first pass: every patch coded on its observed pixels, one row of positions per task.</summary>
        public (double[] Estimates, double[] Weights) MaskedPass(double toleranceSquared)
        {
            var estimates = GC.AllocateUninitializedArray<double>(checked(PatchCount * _features));
            var weights = new double[PatchCount];
            Parallelism.For(_rowPositions, () => new Scratch(_features, atoms), (i, scratch) =>
            {
                for (int j = 0; j < _columnPositions; j++)
                {
                    int t = (i * _columnPositions) + j;
                    weights[t] = EstimatePatch(i, j, toleranceSquared, estimates.AsSpan(t * _features, _features), scratch);
                }
            });
            return (estimates, weights);
        }

        /// <summary>
        /// A later pass: every patch of the current image (missing pixels filled) coded whole, means removed, by batch OMP over
        /// the dictionary with unit-norm atoms (<paramref name="normalized"/>) until the squared residual is at most
        /// features·τ²; weight 1/(1 + atoms used).
        /// </summary>
        public (double[] Estimates, double[] Weights) FullPass(double[] current, double[] normalized, double toleranceSquared)
        {
            var patches = MatrixStorage.ColumnMajor(Patches.Extract2D(Matrix<double>.Build.Dense(width, height, current).Transpose(), patchHeight, patchWidth));
            int n = PatchCount;
            var means = new double[n];
            for (int f = 0; f < _features; f++)
            {
                Kernels.Add(means, patches.AsSpan(f * n, n), means);
            }

            Kernels.Scal(1.0 / _features, means);
            for (int f = 0; f < _features; f++)
            {
                var column = patches.AsSpan(f * n, n);
                Kernels.Subtract(column, means, column);
            }

            // Batch OMP (Rubinstein, Zibulevsky and Elad): the Gram matrix and all correlations by GEMM, then each patch from its
            // column of correlations, stopping at the bound or the atom count (both, unlike SparseEncoder's OMP, where a
            // tolerance replaces the count).
            var gram = new double[atoms * atoms];
            Gemm.Multiply(false, true, atoms, atoms, _features, 1.0, normalized, atoms, normalized, atoms, 0.0, gram, atoms);
            var correlations = new double[(long)atoms * n];
            Gemm.Multiply(false, true, atoms, n, _features, 1.0, normalized, atoms, patches, n, 0.0, correlations, atoms);
            var norms = new double[n];
            for (int f = 0; f < _features; f++)
            {
                var column = patches.AsSpan(f * n, n);
                for (int t = 0; t < n; t++)
                {
                    norms[t] += column[t] * column[t];
                }
            }

            var codes = new double[(long)atoms * n];
            var weights = new double[n];
            double bound = _features * toleranceSquared;
            int capacity = Math.Min(maxAtoms, atoms);
            Parallelism.For(_rowPositions, () => new OmpSolver.Workspace(atoms, capacity), (i, workspace) =>
            {
                for (int t = i * _columnPositions; t < (i + 1) * _columnPositions; t++)
                {
                    var outcome = OmpSolver.SolveGram(gram, atoms, atoms, correlations.AsSpan(t * atoms, atoms), norms[t], capacity, bound, codes.AsSpan(t * atoms, atoms), workspace);
                    weights[t] = 1.0 / (1 + outcome.Atoms);
                }
            });

            var estimates = GC.AllocateUninitializedArray<double>(checked(n * _features));
            Gemm.Multiply(true, false, _features, n, atoms, 1.0, normalized, atoms, codes, atoms, 0.0, estimates, _features);
            for (int t = 0; t < n; t++)
            {
                Kernels.AddScalar(means[t], estimates.AsSpan(t * _features, _features));
            }

            return (estimates, weights);
        }

        /// <summary>
        /// Each pixel the weighted mean of the estimates of the patches that cover it (each image row by one thread, over the
        /// patches in a fixed order); observed pixels keep their values, and <paramref name="fallback"/> fills a missing pixel
        /// no estimate covers. Row-major.
        /// </summary>
        public double[] Average(double[] estimates, double[] weights, double fallback)
        {
            var result = new double[height * width];
            Parallelism.For(height, y =>
            {
                var sum = result.AsSpan(y * width, width);
                var count = new double[width];
                for (int i = Math.Max(0, y - patchHeight + 1); i <= Math.Min(y, _rowPositions - 1); i++)
                {
                    int r = y - i;
                    for (int j = 0; j < _columnPositions; j++)
                    {
                        int t = (i * _columnPositions) + j;
                        double weight = weights[t];
                        if (weight == 0.0)
                        {
                            continue;
                        }

                        var row = estimates.AsSpan((t * _features) + (r * patchWidth), patchWidth);
                        for (int s = 0; s < patchWidth; s++)
                        {
                            sum[j + s] += weight * row[s];
                            count[j + s] += weight;
                        }
                    }
                }

                for (int x = 0; x < width; x++)
                {
                    int at = (y * width) + x;
                    sum[x] = mask[at] == 1.0 ? image[at] : count[x] > 0.0 ? sum[x] / count[x] : fallback;
                }
            });

            return result;
        }

        /// <summary>Writes the masked estimate of the patch with top-left corner (i, j) into <paramref name="estimate"/> and returns its weight (0: no observed pixel, no estimate).</summary>
        private double EstimatePatch(int i, int j, double toleranceSquared, Span<double> estimate, Scratch scratch)
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
                return 0.0;
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
                return Weight(n, 0);
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
                return Weight(n, 0);
            }

            var code = scratch.Code.AsSpan(0, p);
            var outcome = OmpSolver.Solve(sub.AsSpan(0, p * n), n, p, signal, [], Math.Min(maxAtoms, n), toleranceSquared > 0.0 ? target : null, code, Parallelism.Token);
            for (int q = 0; q < p; q++)
            {
                if (code[q] != 0.0)
                {
                    Kernels.Axpy(code[q] / norms[q], atomsByColumn.AsSpan(kept[q] * _features, _features), estimate);
                }
            }

            return Weight(n, outcome.Atoms);
        }

        /// <summary>A masked estimate's weight: its observed pixels over one plus its atoms (sparser and better-observed patches count more).</summary>
        private static double Weight(int observed, int used) => observed / (1.0 + used);
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
