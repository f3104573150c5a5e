// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Imaging;

/// <summary>
/// Full-reference image quality: the peak signal-to-noise ratio and the structural similarity index (SSIM, Wang, Bovik,
/// Sheikh and Simoncelli, "Image quality assessment: from error visibility to structural similarity", IEEE Trans. Image
/// Process. 13(4), 600–612, 2004), computed as scikit-image 0.19's <c>peak_signal_noise_ratio</c> and
/// <c>structural_similarity</c> with their defaults.
/// </summary>
/// <remarks>
/// Images are <see cref="Matrix{T}"/> of rows × columns, compared entry by entry; both measures are symmetric in the two
/// images. <c>dataRange</c> is the distance between the smallest and the largest value a pixel can take (255 for 8-bit
/// images, 1 for images scaled to [0, 1]); scikit-image guesses it from the array's type, which a matrix of doubles does not
/// tell, so here it is always given.
/// <code>
/// double psnr = ImageQuality.Psnr(original, restored, dataRange: 255);   // dB
/// double ssim = ImageQuality.Ssim(original, restored, dataRange: 255);   // ≤ 1, 1 for identical images
/// </code>
/// </remarks>
public static class ImageQuality
{
    /// <summary>
    /// The peak signal-to-noise ratio 10·log₁₀(dataRange² / MSE) in decibels, MSE the mean squared difference of the
    /// pixels, as scikit-image's <c>peak_signal_noise_ratio(a, b, data_range=dataRange)</c>.
    /// </summary>
    /// <param name="a">An image (the reference); not modified.</param>
    /// <param name="b">An image of the same size (the one measured); not modified.</param>
    /// <param name="dataRange">The range of pixel values, &gt; 0 (255 for 8-bit images, 1 for [0, 1]).</param>
    /// <returns>The PSNR in dB; +∞ when the images are equal.</returns>
    /// <exception cref="ArgumentNullException">An image is null.</exception>
    /// <exception cref="ArgumentException">An image is empty or holds NaN or ±∞, or the sizes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dataRange"/> is not a finite positive number.</exception>
    public static double Psnr(Matrix<double> a, Matrix<double> b, double dataRange)
    {
        CheckImages(a, b);
        Guard.GreaterThan(dataRange, 0.0);
        int rows = a.RowCount, cols = a.ColumnCount;
        var x = MatrixStorage.ColumnMajor(a);
        var y = MatrixStorage.ColumnMajor(b);
        var difference = new double[rows];
        double sum = 0.0;
        for (int j = 0; j < cols; j++)
        {
            Kernels.Subtract(x.AsSpan(j * rows, rows), y.AsSpan(j * rows, rows), difference);
            sum += Kernels.SquaredNorm(difference);
        }

        double mse = sum / ((double)rows * cols);
        return mse == 0.0 ? double.PositiveInfinity : 10.0 * Math.Log10(dataRange * dataRange / mse);
    }

    /// <summary>
    /// The mean structural similarity index of two images, as scikit-image's
    /// <c>structural_similarity(a, b, data_range=dataRange, win_size=windowSize)</c> with its other defaults.
    /// </summary>
    /// <param name="a">An image; not modified.</param>
    /// <param name="b">An image of the same size; not modified.</param>
    /// <param name="dataRange">The range of pixel values, &gt; 0 (255 for 8-bit images, 1 for [0, 1]).</param>
    /// <param name="windowSize">The side of the square sliding window: odd, at least 3 and at most the smaller image side (default 7, scikit-image's).</param>
    /// <returns>The mean SSIM, at most 1 (1 for identical images).</returns>
    /// <remarks>
    /// For every w×w window (uniform weights) the local means μ, sample variances σ² and sample covariance σ_ab (normalised
    /// by w² − 1, scikit-image's default <c>use_sample_covariance=True</c>) give
    /// SSIM = (2μ_aμ_b + C₁)(2σ_ab + C₂) / ((μ_a² + μ_b² + C₁)(σ_a² + σ_b² + C₂)) with C₁ = (0.01·dataRange)² and
    /// C₂ = (0.03·dataRange)²; the result is the mean over the windows that lie wholly inside the image (scikit-image
    /// filters the whole image and then crops a border of (w − 1)/2 pixels, which keeps exactly these windows). Wang et
    /// al. use an 11×11 Gaussian window and population covariances instead; scikit-image's defaults are kept here so that
    /// the numbers agree with it.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An image is null.</exception>
    /// <exception cref="ArgumentException">An image is empty or holds NaN or ±∞, or the sizes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dataRange"/> is not a finite positive number, or <paramref name="windowSize"/> is even, below 3 or larger than an image side.</exception>
    public static double Ssim(Matrix<double> a, Matrix<double> b, double dataRange, int windowSize = 7)
    {
        CheckImages(a, b);
        Guard.GreaterThan(dataRange, 0.0);
        int rows = a.RowCount, cols = a.ColumnCount;
        if (windowSize < 3 || windowSize % 2 == 0 || windowSize > Math.Min(rows, cols))
        {
            throw Guard.OutOfRange(
                nameof(windowSize),
                $"{nameof(windowSize)} must be odd, at least 3 and at most the smaller image side, {Math.Min(rows, cols).ToString(CultureInfo.InvariantCulture)} (was {windowSize.ToString(CultureInfo.InvariantCulture)}).");
        }

        var x = MatrixStorage.ColumnMajor(a);
        var y = MatrixStorage.ColumnMajor(b);
        int w = windowSize;
        int windowRows = rows - w + 1, windowCols = cols - w + 1;

        // Window sums in two passes: down each image column (sums over w consecutive rows, for the five moments), then
        // across w consecutive columns. Column sums are kept for all columns; each window column is then independent.
        var columnSums = new double[5 * cols * windowRows];
        ForColumns(rows, cols, cols, j =>
            ColumnWindowSums(x.AsSpan(j * rows, rows), y.AsSpan(j * rows, rows), w, columnSums.AsSpan(5 * j * windowRows, 5 * windowRows)));

        double count = (double)w * w;
        double covarianceNorm = count / (count - 1.0);
        double c1 = 0.01 * dataRange * (0.01 * dataRange);
        double c2 = 0.03 * dataRange * (0.03 * dataRange);
        var columnTotals = new double[windowCols];
        ForColumns(rows, cols, windowCols, j =>
        {
            var sums = new double[5 * windowRows];
            for (int t = 0; t < w; t++)
            {
                Kernels.Add(sums, columnSums.AsSpan(5 * (j + t) * windowRows, 5 * windowRows), sums);
            }

            double total = 0.0;
            for (int i = 0; i < windowRows; i++)
            {
                double ux = sums[i] / count, uy = sums[windowRows + i] / count;
                double uxx = sums[(2 * windowRows) + i] / count, uyy = sums[(3 * windowRows) + i] / count, uxy = sums[(4 * windowRows) + i] / count;
                double vx = covarianceNorm * (uxx - (ux * ux));
                double vy = covarianceNorm * (uyy - (uy * uy));
                double vxy = covarianceNorm * (uxy - (ux * uy));
                double numerator = ((2.0 * ux * uy) + c1) * ((2.0 * vxy) + c2);
                double denominator = ((ux * ux) + (uy * uy) + c1) * (vx + vy + c2);
                total += numerator / denominator;
            }

            columnTotals[j] = total;
        });

        double sum = 0.0;
        foreach (double t in columnTotals)
        {
            sum += t;
        }

        return sum / ((double)windowRows * windowCols);
    }

    /// <summary>
    /// For one image column: the sums of a, b, a², b² and a·b over every run of <paramref name="w"/> consecutive rows,
    /// written as five blocks of (rows − w + 1) entries.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnWindowSums(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int w, Span<double> sums)
    {
        int windowRows = a.Length - w + 1;
        for (int i = 0; i < windowRows; i++)
        {
            double sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0;
            for (int t = i; t < i + w; t++)
            {
                double u = a[t], v = b[t];
                sa += u;
                sb += v;
                saa += u * u;
                sbb += v * v;
                sab += u * v;
            }

            sums[i] = sa;
            sums[windowRows + i] = sb;
            sums[(2 * windowRows) + i] = saa;
            sums[(3 * windowRows) + i] = sbb;
            sums[(4 * windowRows) + i] = sab;
        }
    }

    /// <summary>One thread for small images, all cores for large ones.</summary>
    /// <summary>body(0 … count − 1): through the library's one level of parallelism for images of at least 2¹⁵ pixels, serially below.</summary>
    private static void ForColumns(int rows, int cols, int count, Action<int> body)
    {
        if ((long)rows * cols >= 1L << 15)
        {
            Parallelism.For(count, body);
            return;
        }

        for (int j = 0; j < count; j++)
        {
            body(j);
        }
    }

    private static void CheckImages(Matrix<double> a, Matrix<double> b, [CallerArgumentExpression(nameof(a))] string? nameA = null, [CallerArgumentExpression(nameof(b))] string? nameB = null)
    {
        Guard.Samples(a, nameA);
        Guard.Samples(b, nameB);
        if (a.RowCount != b.RowCount || a.ColumnCount != b.ColumnCount)
        {
            throw new ArgumentException($"{nameB} is {b.RowCount}×{b.ColumnCount} but {nameA} is {a.RowCount}×{a.ColumnCount}; the images must have the same size.", nameB);
        }
    }
}
