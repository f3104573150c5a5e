// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Imaging;

/// <summary>
/// Single-image super-resolution by coupled low- and high-resolution dictionaries (J. Yang, J. Wright, T. S. Huang and Y. Ma,
/// "Image super-resolution via sparse representation", IEEE Trans. Image Process. 19(11), 2861–2873, 2010): <see cref="Fit"/>
/// learns, from high-resolution training images, how the detail of a patch follows from the low-resolution image around it;
/// <see cref="Upscale"/> enlarges a new image by <see cref="Factor"/> with that knowledge.
/// </summary>
/// <remarks>
/// <para>
/// <b>Degradation model.</b> The low-resolution image is <see cref="Resampling.Downscale"/> of the high-resolution one (an
/// anti-aliasing Gaussian, then sampling every <see cref="Factor"/> pixels): training pairs are made from the training images
/// that way, and <see cref="Upscale"/> inverts it. An image degraded otherwise (another blur, compression) is upscaled too,
/// but less well.
/// </para>
/// <para>
/// <b>Training.</b> Each training image (cropped to a multiple of <see cref="Factor"/>) is downscaled and interpolated back
/// (<see cref="Resampling.UpscaleBicubic"/>). For <see cref="TrainingPatches"/> random <see cref="PatchSize"/>×<see cref="PatchSize"/>
/// positions, the low-resolution feature vector is the patch of the four derivative maps of the interpolation (first and second
/// differences across and down, filters [−1, 0, 1] and [1, 0, −2, 0, 1], as Yang et al. §III-C; 4p² entries) and the
/// high-resolution vector is the patch of the detail the interpolation misses (training image minus interpolation, p² entries).
/// Both are divided by the norm of the features (flat patches, with no features, are left out), the detail part is weighted so
/// that the two parts have the same mean energy, and one dictionary of <see cref="ComponentCount"/> joint atoms is learned for
/// the concatenated pairs (Yang et al.'s joint training, eq. 24) by K-SVD with <see cref="NonzeroCoefficients"/> atoms per
/// pair (batch OMP; Aharon, Elad and Bruckstein 2006), <see cref="MaxIterations"/> iterations at most. The low-resolution
/// halves of the atoms, each scaled to unit norm, are <see cref="LowResolutionDictionary"/>; the high-resolution atoms are then
/// refitted by least squares to the codes that the training features get over that dictionary alone (R. Zeyde, M. Elad and
/// M. Protter, "On single image scale-up using sparse-representations", 2010), since that is how they are used.
/// </para>
/// <para>
/// <b>Upscaling.</b> The image is interpolated bicubically; every overlapping patch of the interpolation (stride 1) gets the
/// code of its normalised features over <see cref="LowResolutionDictionary"/> (OMP, <see cref="NonzeroCoefficients"/> atoms),
/// its detail is the <see cref="HighResolutionDictionary"/> atoms with that code times the feature norm, and the averaged
/// details are added to the interpolation. Then, as Yang et al.'s global reconstruction constraint (§II-C),
/// <see cref="BackProjectionIterations"/> steps of iterative back-projection X ← X + B(Y − D(X)) (D the downscale, B the bicubic
/// interpolation) pull the result towards the images whose downscale is the given one.
/// </para>
/// <para>
/// The method is positively homogeneous: upscaling c·Y gives c times the upscaling of Y (c &gt; 0), and the dictionaries do not
/// depend on the scale of the training images. Images far from unit scale are brought to it by a power of two, exactly.
/// Intensities need not lie in [0, 1]; the result is not clipped to any range.
/// </para>
/// <code>
/// var model = new SparseSuperResolution { Factor = 2, RandomSeed = 0 }.Fit([trainingImage1, trainingImage2]);
/// Matrix&lt;double&gt; large = model.Upscale(small);                  // 2·rows × 2·columns
/// </code>
/// </remarks>
public sealed class SparseSuperResolution : IterativeEstimator, IRandomized, ISparsityConstrained
{
    /// <summary>The largest <see cref="Factor"/>.</summary>
    internal const int MaxFactor = 64;

    /// <summary>The most <see cref="BackProjectionIterations"/>.</summary>
    private const int MaxBackProjections = 1000;

    /// <summary>Creates the estimator with its defaults: factor 2, 6×6 patches, 128 atoms, 3 atoms per patch, 10,000 training patches, 5 K-SVD iterations.</summary>
    public SparseSuperResolution()
    {
    }

    /// <summary>The enlargement per side, in [2, 64] (default 2); at most the smaller side of every training image.</summary>
    public int Factor { get; set; } = 2;

    /// <summary>The side p of the square patches on the high-resolution grid, ≥ 2 (default 6, Zeyde et al.'s 3×3 low-resolution patches at factor 2); at most the training images' sides.</summary>
    public int PatchSize { get; set; } = 6;

    /// <summary>The number of atoms K of the coupled dictionary, ≥ 1 (default 128); at most the number of training patches with features.</summary>
    public int ComponentCount { get; set; } = 128;

    /// <summary>Atoms per patch, in training and upscaling (default null → 3); in [1, <see cref="ComponentCount"/>].</summary>
    public int? NonzeroCoefficients { get; set; }

    /// <summary>The most patches drawn from the training images, ≥ 1 (default 10,000); all of them when there are fewer positions.</summary>
    public int TrainingPatches { get; set; } = 10_000;

    /// <summary>The most K-SVD iterations, ≥ 1 (default 5).</summary>
    public int MaxIterations { get; set; } = 5;

    /// <summary>K-SVD stops when its error changes by less than this fraction of the norm of the training vectors between iterations, ≥ 0 (default 10⁻⁴).</summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>Steps of iterative back-projection after the patch reconstruction, in [0, 1000] (default 20; 0 skips it; a few dozen reach the fixed point to the eye).</summary>
    public int BackProjectionIterations { get; set; } = 20;

    /// <summary>The seed of the training positions and of the starting atoms; null (default) draws a fresh seed at every fit.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>The low-resolution atoms (K × 4p², unit rows): derivative features of the interpolated patch.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> LowResolutionDictionary
    {
        get
        {
            var state = Fitted<SparseSuperResolutionState>(nameof(LowResolutionDictionary));
            return MatrixStorage.FromColumnMajor(state.ComponentCount, 4 * state.PatchSize * state.PatchSize, (double[])state.LowResolution.Clone());
        }
    }

    /// <summary>The high-resolution atoms (K × p²): the detail, row by row within the patch, that each low-resolution atom predicts.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> HighResolutionDictionary
    {
        get
        {
            var state = Fitted<SparseSuperResolutionState>(nameof(HighResolutionDictionary));
            return MatrixStorage.FromColumnMajor(state.ComponentCount, state.PatchSize * state.PatchSize, (double[])state.HighResolution.Clone());
        }
    }

    /// <summary>Learns the coupled dictionary from high-resolution training images.</summary>
    /// <param name="images">One or more training images (any sizes, each side at least <see cref="Factor"/> and <see cref="PatchSize"/>); not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between images and K-SVD steps; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="images"/> or one of its images is null.</exception>
    /// <exception cref="ArgumentException">There is no image, an image is empty or holds NaN or ±∞ (image, row and column named), or every training patch is flat.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A parameter is out of range, <see cref="Factor"/> or <see cref="PatchSize"/> is larger than a training image allows, or
    /// <see cref="ComponentCount"/> exceeds the training patches with features.
    /// </exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public SparseSuperResolution Fit(IReadOnlyList<Matrix<double>> images, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        CheckImages(images);
        int f = Factor, p = PatchSize, hd = p * p, ld = 4 * p * p;
        int smallest = images.Min(x => Math.Min(x.RowCount, x.ColumnCount));
        if (f > smallest)
        {
            throw Guard.OutOfRange(nameof(Factor), $"{nameof(Factor)} must be in [2, {smallest}], the smallest side of the training images (was {f}).");
        }

        int largestPatch = f * (smallest / f);
        if (p > largestPatch)
        {
            throw Guard.OutOfRange(nameof(PatchSize), $"{nameof(PatchSize)} must be in [2, {largestPatch}], the smallest side of the training images cut to a multiple of {nameof(Factor)} (was {p}).");
        }

        // Positions: (image, top, left), numbered image by image, row by row; a random subset without repetition.
        var counts = images.Select(x => (long)((f * (x.RowCount / f)) - p + 1) * ((f * (x.ColumnCount / f)) - p + 1)).ToArray();
        long total = counts.Sum();
        var rng = new SplitMix64((ulong)(RandomSeed ?? Random.Shared.Next()));
        var chosen = Choose(total, (int)Math.Min(TrainingPatches, total), rng);
        int n = chosen.Length;

        int e = Rescaling.Exponent(images.Max(Rescaling.MaxAbs), -LinearScale.Band, LinearScale.Band);
        var detail = new double[(long)n * hd];
        var features = new double[(long)n * ld];
        long offset = 0;
        int next = 0;
        for (int i = 0; i < images.Count; i++)
        {
            Parallelism.ThrowIfCancellationRequested();
            int first = next;
            while (next < n && chosen[next] < offset + counts[i])
            {
                next++;
            }

            if (next > first)
            {
                Gather(images[i], e, chosen.AsSpan(first, next - first), offset, detail, features, n, first);
            }

            offset += counts[i];
        }

        // Normalise by the feature norms; flat patches (no features) carry nothing to learn and are dropped.
        var norms = CoupledDictionaryCore.Normalize(features, n, ld);
        var kept = Enumerable.Range(0, n).Where(s => norms[s] > 0.0).ToArray();
        if (kept.Length == 0)
        {
            throw new ArgumentException($"Every one of the {n} training patches is flat (constant after interpolation): there is no detail to learn from.", nameof(images));
        }

        int k = ComponentCount;
        Guard.InRange(k, 1, kept.Length, nameof(ComponentCount));
        int nonzero = NonzeroCoefficients ?? 3;
        Guard.InRange(nonzero, 1, k, nameof(NonzeroCoefficients));

        // The joined pairs [w·detail; features], w balancing the mean energies of the two parts.
        int m = kept.Length, width = hd + ld;
        double detailEnergy = 0.0;
        foreach (int s in kept)
        {
            for (int t = 0; t < hd; t++)
            {
                double v = detail[(t * (long)n) + s] / norms[s];
                detailEnergy += v * v;
            }
        }

        double weight = detailEnergy > 0.0 ? Math.Sqrt(m / detailEnergy) : 1.0;
        var joint = new double[(long)m * width];
        for (int r = 0; r < m; r++)
        {
            int s = kept[r];
            for (int t = 0; t < hd; t++)
            {
                joint[(t * (long)m) + r] = weight * detail[(t * (long)n) + s] / norms[s];
            }

            for (int t = 0; t < ld; t++)
            {
                joint[((hd + t) * (long)m) + r] = features[(t * (long)n) + s];
            }
        }

        // Start: K distinct training pairs, normalised (row-major K × width).
        var order = Enumerable.Range(0, m).ToArray();
        var start = new double[k * width];
        for (int a = 0; a < k; a++)
        {
            int pick = a + rng.NextInt(m - a);
            (order[a], order[pick]) = (order[pick], order[a]);
            double norm = 0.0;
            for (int t = 0; t < width; t++)
            {
                norm += joint[(t * (long)m) + order[a]] * joint[(t * (long)m) + order[a]];
            }

            norm = Math.Sqrt(norm);
            for (int t = 0; t < width; t++)
            {
                start[(a * width) + t] = joint[(t * (long)m) + order[a]] / norm;
            }
        }

        double scale = Math.Sqrt(Kernels.SquaredNorm(joint));
        var (low, high, result) = CoupledDictionaryCore.Learn(MatrixStorage.FromColumnMajor(m, width, joint), weight, start, k, p, nonzero, MaxIterations, Tolerance * scale, cancellationToken);
        Commit(new SparseSuperResolutionState(low, high, k, p, f, result.Iterations, result.Converged));
        return this;
    }

    /// <summary>Enlarges <paramref name="image"/> by the fitted factor.</summary>
    /// <param name="image">The low-resolution image; enlarged, it must be at least as large as the fitted patches; not modified.</param>
    /// <returns>The high-resolution image, (factor·rows) × (factor·columns).</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="image"/> is empty, holds NaN or ±∞ (row and column named), or is too small or too large for the fitted factor and patch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BackProjectionIterations"/> is outside [0, 1000].</exception>
    /// <exception cref="ArithmeticException">The result cannot be represented in doubles (an image near the largest double).</exception>
    public Matrix<double> Upscale(Matrix<double> image)
    {
        using var scope = BeginWork();
        var state = Fitted<SparseSuperResolutionState>(nameof(Upscale));
        Guard.InRange(BackProjectionIterations, 0, MaxBackProjections, nameof(BackProjectionIterations));
        Guard.Samples(image);
        int f = state.Factor, p = state.PatchSize;
        Resampling.CheckEnlargedSize(image, f, nameof(image));
        if ((long)image.RowCount * f < p || (long)image.ColumnCount * f < p)
        {
            throw new ArgumentException($"{nameof(image)} is {image.RowCount}×{image.ColumnCount}: enlarged {f} times it is smaller than the model's {p}×{p} patches.", nameof(image));
        }

        int e = Rescaling.Exponent(Rescaling.MaxAbs(image), -LinearScale.Band, LinearScale.Band);
        var result = CoupledDictionaryCore.Reconstruct(
            Rescaling.Scaled(image, e),
            state.LowResolution,
            state.HighResolution,
            state.ComponentCount,
            p,
            f,
            Math.Min(NonzeroCoefficients ?? 3, state.ComponentCount),
            BackProjectionIterations);
        Rescaling.CheckedInPlace(MatrixStorage.ColumnMajor(result), -e, "upscaled image");
        return result;
    }

    private protected override EstimatorState ReadState(ModelReader reader) => SparseSuperResolutionState.Read(reader);

    private protected override void ValidateParameters()
    {
        Guard.InRange(Factor, 2, MaxFactor, nameof(Factor));
        Guard.AtLeast(PatchSize, 2, nameof(PatchSize));
        Guard.AtLeast(ComponentCount, 1, nameof(ComponentCount));
        if (NonzeroCoefficients is { } nonzero)
        {
            Guard.InRange(nonzero, 1, ComponentCount, nameof(NonzeroCoefficients));
        }

        Guard.AtLeast(TrainingPatches, 1, nameof(TrainingPatches));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
        Guard.InRange(BackProjectionIterations, 0, MaxBackProjections, nameof(BackProjectionIterations));
    }

    /// <summary>Null checks, at least one image, none empty, every pixel finite (image, row and column named).</summary>
    private static void CheckImages(IReadOnlyList<Matrix<double>> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            throw new ArgumentException("images is empty; at least one training image is needed.", nameof(images));
        }

        for (int i = 0; i < images.Count; i++)
        {
            var image = images[i] ?? throw new ArgumentNullException(nameof(images), $"images[{i}] is null.");
            if (image.RowCount == 0 || image.ColumnCount == 0)
            {
                throw new ArgumentException($"images[{i}] is empty ({image.RowCount}×{image.ColumnCount}).", nameof(images));
            }

            var values = MatrixStorage.ColumnMajor(image);
            int at = Kernels.IndexOfNonFiniteParallel(values);
            if (at >= 0)
            {
                throw new ArgumentException($"images[{i}] must be finite but has {values[at].ToString(CultureInfo.InvariantCulture)} at row {at % image.RowCount}, column {at / image.RowCount}.", nameof(images));
            }
        }
    }

    /// <summary><paramref name="count"/> distinct numbers of [0, <paramref name="total"/>), ascending (all of them when count = total; Floyd's sampling otherwise).</summary>
    private static long[] Choose(long total, int count, SplitMix64 rng)
    {
        if (count == total)
        {
            var all = new long[count];
            for (int i = 0; i < count; i++)
            {
                all[i] = i;
            }

            return all;
        }

        var set = new HashSet<long>(count);
        for (long j = total - count; j < total; j++)
        {
            long t = (long)(rng.NextUInt64() % (ulong)(j + 1));
            set.Add(set.Contains(t) ? j : t);
        }

        var chosen = set.ToArray();
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>
    /// The training vectors of one image at its chosen positions (numbers from <paramref name="offset"/>): detail rows into
    /// <paramref name="detail"/> and feature rows into <paramref name="features"/> (column-major, <paramref name="n"/> rows),
    /// from row <paramref name="first"/> on.
    /// </summary>
    private void Gather(Matrix<double> image, int exponent, ReadOnlySpan<long> positions, long offset, double[] detail, double[] features, int n, int first)
    {
        int f = Factor, p = PatchSize;
        int rows = f * (image.RowCount / f), columns = f * (image.ColumnCount / f);
        var high = Rescaling.Scaled(image.SubMatrix(0, rows, 0, columns), exponent);
        var mid = Resampling.UpscaleRaw(Resampling.DownscaleRaw(high, f), f);
        var m = MatrixStorage.ColumnMajor(mid);
        var h = MatrixStorage.ColumnMajor(high);
        var maps = CoupledDictionaryCore.FeatureMaps(m, rows, columns);
        int across = columns - p + 1;
        for (int q = 0; q < positions.Length; q++)
        {
            if ((q & 1023) == 0)
            {
                Parallelism.ThrowIfCancellationRequested();
            }

            long local = positions[q] - offset;
            int top = (int)(local / across), left = (int)(local % across), sample = first + q;
            CoupledDictionaryCore.GatherFeatures(maps, rows, top, left, p, features, n, sample);
            for (int r = 0; r < p; r++)
            {
                for (int s = 0; s < p; s++)
                {
                    int at = ((left + s) * rows) + top + r;
                    detail[((long)((r * p) + s) * n) + sample] = h[at] - m[at];
                }
            }
        }
    }
}

/// <summary>The fitted state of <see cref="SparseSuperResolution"/>.</summary>
/// <param name="LowResolution">The low-resolution atoms, K × 4p² column-major, unit rows.</param>
/// <param name="HighResolution">The high-resolution atoms, K × p² column-major.</param>
/// <param name="ComponentCount">K.</param>
/// <param name="PatchSize">p.</param>
/// <param name="Factor">The enlargement the model was trained for.</param>
/// <param name="Iterations">The K-SVD iterations run.</param>
/// <param name="Converged">Whether K-SVD met its tolerance.</param>
internal sealed record SparseSuperResolutionState(double[] LowResolution, double[] HighResolution, int ComponentCount, int PatchSize, int Factor, int Iterations, bool Converged)
    : IterativeState(Iterations, Converged)
{
    /// <summary>Reads and checks a saved state: K ≥ 1, p in [2, 4096], factor in [2, 64], arrays of K·4p² and K·p² finite entries, every low-resolution atom of unit norm.</summary>
    internal static SparseSuperResolutionState Read(ModelReader reader)
    {
        var low = reader.Doubles(nameof(LowResolution), SavedValue.Finite);
        var high = reader.Doubles(nameof(HighResolution), SavedValue.Finite);
        int k = reader.Int(nameof(ComponentCount), 1);
        int p = reader.Int(nameof(PatchSize), 2, 4096);
        int factor = reader.Int(nameof(Factor), 2, SparseSuperResolution.MaxFactor);
        reader.Length(nameof(LowResolution), low.Length, (long)k * 4 * p * p, $"{nameof(ComponentCount)}·4·{nameof(PatchSize)}² = {(long)k * 4 * p * p}");
        reader.Length(nameof(HighResolution), high.Length, (long)k * p * p, $"{nameof(ComponentCount)}·{nameof(PatchSize)}² = {(long)k * p * p}");
        for (int a = 0; a < k; a++)
        {
            double norm = 0.0;
            for (int t = 0; t < 4 * p * p; t++)
            {
                norm += low[(t * k) + a] * low[(t * k) + a];
            }

            if (!(Math.Abs(Math.Sqrt(norm) - 1.0) <= 1e-9))
            {
                throw reader.Invalid(nameof(LowResolution), $"has atom {a} of norm {ModelReader.Format(Math.Sqrt(norm))} but every atom must have norm 1");
            }
        }

        return new SparseSuperResolutionState(low, high, k, p, factor, reader.Int(nameof(Iterations), 0), reader.Bool(nameof(Converged)));
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(LowResolution), LowResolution);
        writer.Doubles(nameof(HighResolution), HighResolution);
        writer.Int(nameof(ComponentCount), ComponentCount);
        writer.Int(nameof(PatchSize), PatchSize);
        writer.Int(nameof(Factor), Factor);
        base.Write(writer);
    }
}
