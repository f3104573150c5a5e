// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Imaging;

/// <summary>
/// Integer-factor resampling of grayscale images: the anti-aliased downscale that <see cref="SparseSuperResolution"/> learns
/// to invert, and bicubic upscaling (the classical baseline of super-resolution, and the first step of
/// <see cref="SparseSuperResolution.Upscale"/>).
/// </summary>
/// <remarks>
/// <para>
/// Both are separable: the same one-dimensional filter runs down the columns and then along the rows. Pixel centres are
/// aligned as scikit-image's <c>rescale</c> aligns them: output pixel r of a resampling by s sits at input position
/// (r + ½)/s − ½. Outside the image, pixels are mirrored about its edge (… c b a | a b c …, scikit-image's
/// <c>"symmetric"</c>, SciPy's <c>"reflect"</c>).
/// </para>
/// <para>
/// <see cref="Downscale"/> is scikit-image's <c>rescale(image, 1/factor, anti_aliasing=True)</c> in the interior of an
/// image whose sides are multiples of the factor (a Gaussian of σ = (factor − 1)/2, truncated at 4σ, then bilinear sampling at the output pixel centres); at the
/// edges scikit-image mirrors without repeating the edge pixel, so the outermost pixels differ slightly.
/// <see cref="UpscaleBicubic"/> is Keys' cubic convolution (R. Keys, "Cubic convolution interpolation for digital image
/// processing", IEEE Trans. ASSP 29(6), 1981) with a = −½: MATLAB's <c>imresize(…, 'bicubic')</c> without its antialiasing,
/// the baseline of Yang et al. (2010). It reproduces polynomials of degree up to 2 away from the edges. (scikit-image's
/// <c>rescale(…, order=3)</c> is a cubic B-spline interpolation instead: another interpolant, not computed here.)
/// </para>
/// </remarks>
public static class Resampling
{
    /// <summary>
    /// The image reduced by <paramref name="factor"/> in both directions after an anti-aliasing Gaussian blur (σ = (factor − 1)/2):
    /// the low-resolution image a camera with <paramref name="factor"/> times fewer pixels per side would record.
    /// </summary>
    /// <param name="image">The image, rows × columns; not modified.</param>
    /// <param name="factor">The reduction, ≥ 1 and at most the smaller side of the image (1 returns a copy).</param>
    /// <returns>The reduced image, ⌊rows / factor⌋ × ⌊columns / factor⌋ (trailing rows and columns that do not fill a block are dropped).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="image"/> is empty or holds NaN or ±∞ (named by row and column).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is below 1 or larger than the smaller side of the image.</exception>
    public static Matrix<double> Downscale(Matrix<double> image, int factor)
    {
        Guard.Samples(image);
        CheckFactor(factor, Math.Min(image.RowCount, image.ColumnCount));
        return DownscaleRaw(image, factor);
    }

    /// <summary>The image enlarged by <paramref name="factor"/> in both directions by bicubic (Keys, a = −½) interpolation.</summary>
    /// <param name="image">The image, rows × columns; not modified.</param>
    /// <param name="factor">The enlargement, ≥ 1 (1 returns a copy); the result must have fewer than 2³¹ rows and columns.</param>
    /// <returns>The enlarged image, (factor·rows) × (factor·columns).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="image"/> is empty, holds NaN or ±∞ (named by row and column), or the result would be too large.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is below 1.</exception>
    public static Matrix<double> UpscaleBicubic(Matrix<double> image, int factor)
    {
        Guard.Samples(image);
        Guard.AtLeast(factor, 1, nameof(factor));
        CheckEnlargedSize(image, factor, nameof(image));
        return UpscaleRaw(image, factor);
    }

    /// <summary><see cref="Downscale"/> without the checks.</summary>
    internal static Matrix<double> DownscaleRaw(Matrix<double> image, int factor)
    {
        var rows = DownscaleTaps(image.RowCount, factor);
        var columns = DownscaleTaps(image.ColumnCount, factor);
        return Separable(image, rows, columns);
    }

    /// <summary><see cref="UpscaleBicubic"/> without the checks.</summary>
    internal static Matrix<double> UpscaleRaw(Matrix<double> image, int factor) =>
        Separable(image, BicubicTaps(image.RowCount, factor), BicubicTaps(image.ColumnCount, factor));

    /// <summary>Throws unless the enlarged image fits in a matrix.</summary>
    internal static void CheckEnlargedSize(Matrix<double> image, int factor, string name)
    {
        if ((long)image.RowCount * factor > int.MaxValue || (long)image.ColumnCount * factor > int.MaxValue)
        {
            throw new ArgumentException($"{name} is {image.RowCount}×{image.ColumnCount}: enlarged {factor} times it would have 2³¹ rows or columns or more.", name);
        }
    }

    private static void CheckFactor(int factor, int side)
    {
        if (factor < 1 || factor > side)
        {
            throw Guard.OutOfRange(nameof(factor), $"{nameof(factor)} must be in [1, {side}], the smaller side of the image (was {factor}).");
        }
    }

    /// <summary>The input index of position <paramref name="i"/> mirrored into [0, n) (half-sample symmetric extension).</summary>
    internal static int Mirror(int i, int n)
    {
        int period = 2 * n;
        i %= period;
        if (i < 0)
        {
            i += period;
        }

        return i < n ? i : period - 1 - i;
    }

    /// <summary>Blur by a Gaussian of σ = (f − 1)/2 (truncated at 4σ, as SciPy) then bilinear sampling at f·r + (f − 1)/2.</summary>
    private static Taps DownscaleTaps(int n, int factor)
    {
        int outputs = n / factor;
        double sigma = (factor - 1) / 2.0;
        int radius = (int)((4.0 * sigma) + 0.5);
        var gaussian = new double[(2 * radius) + 1];
        for (int t = -radius; t <= radius; t++)
        {
            gaussian[t + radius] = sigma > 0.0 ? Math.Exp(-(t * t) / (2.0 * sigma * sigma)) : 1.0;
        }

        double total = gaussian.Sum();
        for (int t = 0; t < gaussian.Length; t++)
        {
            gaussian[t] /= total;
        }

        // The sampling position f·r + (f − 1)/2 is a pixel (odd f) or the midpoint of two (even f): one or two blurred pixels.
        int[] centres = factor % 2 == 1 ? [(factor - 1) / 2] : [(factor / 2) - 1, factor / 2];
        var taps = new Taps(outputs, (centres.Length * gaussian.Length) + 1);
        var weights = new Dictionary<int, double>();
        for (int r = 0; r < outputs; r++)
        {
            weights.Clear();
            foreach (int offset in centres)
            {
                int centre = (factor * r) + offset;
                for (int t = -radius; t <= radius; t++)
                {
                    int at = Mirror(centre + t, n);
                    weights[at] = weights.GetValueOrDefault(at) + (gaussian[t + radius] / centres.Length);
                }
            }

            int k = 0;
            foreach (var (at, w) in weights.OrderBy(p => p.Key))
            {
                taps.Set(r, k++, at, w);
            }
        }

        return taps;
    }

    /// <summary>Keys' cubic convolution kernel (a = −½) at the input positions around (r + ½)/f − ½.</summary>
    private static Taps BicubicTaps(int n, int factor)
    {
        int outputs = n * factor;
        var taps = new Taps(outputs, 4);
        for (int r = 0; r < outputs; r++)
        {
            double x = ((r + 0.5) / factor) - 0.5;
            int first = (int)Math.Floor(x) - 1;
            for (int k = 0; k < 4; k++)
            {
                taps.Set(r, k, Mirror(first + k, n), Keys(x - (first + k)));
            }
        }

        return taps;
    }

    private static double Keys(double t)
    {
        const double A = -0.5;
        t = Math.Abs(t);
        return t <= 1.0 ? ((((A + 2.0) * t) - (A + 3.0)) * t * t) + 1.0
            : t < 2.0 ? (((((A * t) - (5.0 * A)) * t) + (8.0 * A)) * t) - (4.0 * A)
            : 0.0;
    }

    /// <summary>Applies <paramref name="rows"/> down every column, then <paramref name="columns"/> along every row.</summary>
    private static Matrix<double> Separable(Matrix<double> image, Taps rows, Taps columns)
    {
        int n = image.RowCount, m = image.ColumnCount;
        var source = MatrixStorage.ColumnMajor(image);

        // Down the columns: column j of the input (contiguous) to column j of the intermediate (rows.Count × m).
        var middle = new double[(long)rows.Count * m];
        for (int j = 0; j < m; j++)
        {
            Parallelism.ThrowIfCancellationRequested();
            var input = source.AsSpan(j * n, n);
            var output = middle.AsSpan(j * rows.Count, rows.Count);
            for (int r = 0; r < rows.Count; r++)
            {
                output[r] = rows.Apply(r, input, 1);
            }
        }

        // Along the rows: output column c is a weighted sum of a few intermediate columns.
        int outRows = rows.Count;
        var result = new double[(long)outRows * columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            Parallelism.ThrowIfCancellationRequested();
            var output = result.AsSpan(c * outRows, outRows);
            for (int k = 0; k < columns.Width; k++)
            {
                double w = columns.Weight(c, k);
                if (w != 0.0)
                {
                    Kernels.Axpy(w, middle.AsSpan(columns.Index(c, k) * outRows, outRows), output);
                }
            }
        }

        return MatrixStorage.FromColumnMajor(outRows, columns.Count, result);
    }

    /// <summary>A one-dimensional resampling: for each output position, <see cref="Width"/> input indices and weights (unused taps weigh 0).</summary>
    private sealed class Taps(int count, int width)
    {
        private readonly int[] _index = new int[count * width];
        private readonly double[] _weight = new double[count * width];

        public int Count => count;

        public int Width => width;

        public int Index(int output, int k) => _index[(output * width) + k];

        public double Weight(int output, int k) => _weight[(output * width) + k];

        public void Set(int output, int k, int index, double weight)
        {
            _index[(output * width) + k] = index;
            _weight[(output * width) + k] = weight;
        }

        public double Apply(int output, ReadOnlySpan<double> input, int stride)
        {
            double sum = 0.0;
            int at = output * width;
            for (int k = 0; k < width; k++)
            {
                sum += _weight[at + k] * input[_index[at + k] * stride];
            }

            return sum;
        }
    }
}
