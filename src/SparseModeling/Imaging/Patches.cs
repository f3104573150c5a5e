// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Imaging;

/// <summary>
/// Cuts a grayscale image into patches and puts patches back together: every overlapping patch with averaging on the
/// way back (scikit-learn's <c>extract_patches_2d</c> and <c>reconstruct_from_patches_2d</c>), or a grid of
/// non-overlapping patches (spm-image's <c>extract_simple_patches_2d</c> and <c>reconstruct_from_simple_patches_2d</c>).
/// </summary>
/// <remarks>
/// An image is a <see cref="Matrix{T}"/> of rows × columns. Patches are the rows of a matrix, one flattened patch per
/// row, read row by row within the patch (pixel (r, s) of a patch at column r·patchWidth + s), as scikit-learn's
/// <c>patches.reshape(n_patches, -1)</c>; patch positions are listed row by row over the image (top-left corner (i, j)
/// at row i·n_w + j). Such a matrix is the sample matrix the dictionary learners and <see cref="Decomposition.DctDictionary"/>
/// expect: samples in rows, pixels in columns.
/// <code>
/// Matrix&lt;double&gt; patches = Patches.Extract2D(image, 8, 8);             // 255,025 × 64 for a 512×512 image
/// // … denoise the rows (sparse coding on a dictionary) …
/// Matrix&lt;double&gt; restored = Patches.ReconstructFrom2D(patches, 8, 8, 512, 512);
/// </code>
/// The copies run on raw arrays, split across the cores for large images; no input is modified.
/// </remarks>
public static class Patches
{
    /// <summary>Below this many output entries the copies run on one thread.</summary>
    private const long ParallelThreshold = 1L << 16;

    /// <summary>
    /// All overlapping patchHeight×patchWidth patches of <paramref name="image"/> (stride 1), or a random subset of them, as
    /// scikit-learn's <c>extract_patches_2d(image, (patchHeight, patchWidth), max_patches, random_state)</c>.
    /// </summary>
    /// <param name="image">The image, rows × columns; not modified.</param>
    /// <param name="patchHeight">The patch height, 1 ≤ h ≤ image rows.</param>
    /// <param name="patchWidth">The patch width, 1 ≤ w ≤ image columns.</param>
    /// <param name="maxPatches">
    /// Null (default): every patch, (rows − h + 1)·(columns − w + 1) of them, in row-major order of their top-left corner.
    /// Otherwise min(maxPatches, that count) patches at random positions drawn independently (with replacement: a patch
    /// may repeat), as scikit-learn draws them (all row offsets, then all column offsets; the random generator is this
    /// library's, so the positions differ from scikit-learn's for the same seed).
    /// </param>
    /// <param name="randomSeed">The seed of the random positions (only with <paramref name="maxPatches"/>); null draws a fresh seed.</param>
    /// <returns>The patches: one per row, h·w columns (pixel (r, s) of a patch at column r·w + s).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="image"/> is empty or holds NaN or ±∞ (named by row and column).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A patch side is below 1 or larger than the image, or <paramref name="maxPatches"/> &lt; 1.</exception>
    public static Matrix<double> Extract2D(Matrix<double> image, int patchHeight, int patchWidth, int? maxPatches = null, int? randomSeed = null)
    {
        Guard.Samples(image);
        int height = image.RowCount, width = image.ColumnCount;
        CheckPatchSide(patchHeight, height, "height");
        CheckPatchSide(patchWidth, width, "width");
        if (maxPatches is int max)
        {
            Guard.AtLeast(max, 1, nameof(maxPatches));
        }

        int rowPositions = height - patchHeight + 1, columnPositions = width - patchWidth + 1;
        long all = (long)rowPositions * columnPositions;
        long count = maxPatches is int limit ? Math.Min(limit, all) : all;
        int features = patchHeight * patchWidth;
        CheckSize(count, features, nameof(maxPatches));
        int n = (int)count;
        var source = RowMajor(MatrixStorage.ColumnMajor(image), height, width);
        var patches = GC.AllocateUninitializedArray<double>(n * features);
        if (maxPatches is null)
        {
            // Column (r, s) of the result, for the patches of one row of positions, is one contiguous run of an image row.
            For(features, (long)n * features, c =>
            {
                int r = c / patchWidth, s = c % patchWidth;
                for (int i = 0; i < rowPositions; i++)
                {
                    source.AsSpan(((i + r) * width) + s, columnPositions).CopyTo(patches.AsSpan((c * n) + (i * columnPositions), columnPositions));
                }
            });
        }
        else
        {
            var rng = new SplitMix64((ulong)(randomSeed ?? Random.Shared.Next()));
            var rowsAt = new int[n];
            var columnsAt = new int[n];
            for (int t = 0; t < n; t++)
            {
                rowsAt[t] = rng.NextInt(rowPositions);
            }

            for (int t = 0; t < n; t++)
            {
                columnsAt[t] = rng.NextInt(columnPositions);
            }

            // Blocks of patches, so that the image rows a block reads stay in cache while all its columns are written.
            const int Block = 256;
            For((n + Block - 1) / Block, (long)n * features, block =>
            {
                int t0 = block * Block, t1 = Math.Min(n, t0 + Block);
                for (int c = 0; c < features; c++)
                {
                    int r = c / patchWidth, s = c % patchWidth;
                    var column = patches.AsSpan(c * n, n);
                    for (int t = t0; t < t1; t++)
                    {
                        column[t] = source[((rowsAt[t] + r) * width) + columnsAt[t] + s];
                    }
                }
            });
        }

        return MatrixStorage.FromColumnMajor(n, features, patches);
    }

    /// <summary>
    /// Rebuilds an image from all its overlapping patches, each pixel the mean of the patches that cover it, as
    /// scikit-learn's <c>reconstruct_from_patches_2d</c> (and bit for bit the same: the patches are summed in the same
    /// order). The inverse of <see cref="Extract2D"/> without <c>maxPatches</c>.
    /// </summary>
    /// <remarks>
    /// A pixel is divided by the number of patches that cover it. Where a patch side exceeds the number of positions
    /// along it (a patch more than about half the image), scikit-learn up to 1.8 divides by too much (its issue #10910,
    /// fixed by pull request #33643); this method counts correctly, as the fixed version does.
    /// </remarks>
    /// <param name="patches">Every patch of the image in the order <see cref="Extract2D"/> lists them: (imageHeight − h + 1)·(imageWidth − w + 1) rows of h·w columns; not modified.</param>
    /// <param name="patchHeight">The patch height h ≥ 1.</param>
    /// <param name="patchWidth">The patch width w ≥ 1.</param>
    /// <param name="imageHeight">The image height, at least h.</param>
    /// <param name="imageWidth">The image width, at least w.</param>
    /// <returns>The image, imageHeight × imageWidth.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="patches"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="patches"/> is empty, holds NaN or ±∞, or its shape does not match the patch and image sizes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or a patch is larger than the image.</exception>
    public static Matrix<double> ReconstructFrom2D(Matrix<double> patches, int patchHeight, int patchWidth, int imageHeight, int imageWidth)
    {
        ArgumentNullException.ThrowIfNull(patches);
        CheckImageSize(imageHeight, imageWidth);
        CheckPatchSide(patchHeight, imageHeight, "height");
        CheckPatchSide(patchWidth, imageWidth, "width");
        int rowPositions = imageHeight - patchHeight + 1, columnPositions = imageWidth - patchWidth + 1;
        CheckPatchMatrix(patches, (long)rowPositions * columnPositions, patchHeight, patchWidth, "every overlapping patch");
        int n = patches.RowCount;
        var data = MatrixStorage.ColumnMajor(patches);
        var image = new double[imageHeight * imageWidth];

        // Each image row is summed by one thread, over the patches in scikit-learn's order (top-left corner (i, j) row by
        // row: i ascending, then j ascending, that is s descending for a fixed pixel), then divided by the overlap count.
        For(imageHeight, (long)n * patchHeight * patchWidth, y =>
        {
            var row = image.AsSpan(y * imageWidth, imageWidth);
            for (int i = Math.Max(0, y - patchHeight + 1); i <= Math.Min(y, rowPositions - 1); i++)
            {
                int r = y - i;
                for (int s = patchWidth - 1; s >= 0; s--)
                {
                    var target = row.Slice(s, columnPositions);
                    Kernels.Add(target, data.AsSpan((((r * patchWidth) + s) * n) + (i * columnPositions), columnPositions), target);
                }
            }

            int rowCover = Math.Min(Math.Min(y + 1, patchHeight), Math.Min(rowPositions, imageHeight - y));
            for (int x = 0; x < imageWidth; x++)
            {
                row[x] /= rowCover * Math.Min(Math.Min(x + 1, patchWidth), Math.Min(columnPositions, imageWidth - x));
            }
        });

        return ColumnMajorMatrix(image, imageHeight, imageWidth);
    }

    /// <summary>
    /// The non-overlapping patches of a grid laid from the top-left corner, as spm-image's <c>extract_simple_patches_2d</c>:
    /// ⌊rows/h⌋·⌊columns/w⌋ patches, row by row over the grid. Where a side is not a multiple of the patch side, the
    /// remaining bottom rows or right columns are left out (spm-image logs a warning and drops them too).
    /// </summary>
    /// <param name="image">The image, rows × columns; not modified.</param>
    /// <param name="patchHeight">The patch height, 1 ≤ h ≤ image rows.</param>
    /// <param name="patchWidth">The patch width, 1 ≤ w ≤ image columns.</param>
    /// <returns>The patches: one per row, h·w columns (pixel (r, s) of a patch at column r·w + s).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="image"/> is empty or holds NaN or ±∞ (named by row and column).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A patch side is below 1 or larger than the image.</exception>
    public static Matrix<double> ExtractSimple2D(Matrix<double> image, int patchHeight, int patchWidth)
    {
        Guard.Samples(image);
        int height = image.RowCount, width = image.ColumnCount;
        CheckPatchSide(patchHeight, height, "height");
        CheckPatchSide(patchWidth, width, "width");
        int gridRows = height / patchHeight, gridColumns = width / patchWidth;
        int n = gridRows * gridColumns, features = patchHeight * patchWidth;
        var source = MatrixStorage.ColumnMajor(image);
        var patches = new double[n * features];
        For(features, (long)n * features, c =>
        {
            int r = c / patchWidth, s = c % patchWidth;
            var column = patches.AsSpan(c * n, n);
            for (int i = 0; i < gridRows; i++)
            {
                for (int j = 0; j < gridColumns; j++)
                {
                    column[(i * gridColumns) + j] = source[(i * patchHeight) + r + (((j * patchWidth) + s) * height)];
                }
            }
        });

        return MatrixStorage.FromColumnMajor(n, features, patches);
    }

    /// <summary>
    /// Puts the grid of non-overlapping patches of <see cref="ExtractSimple2D"/> back into an image, as spm-image's
    /// <c>reconstruct_from_simple_patches_2d</c>: pixels outside the grid (the remainder where a side is not a multiple of
    /// the patch side) are 0.
    /// </summary>
    /// <param name="patches">⌊imageHeight/h⌋·⌊imageWidth/w⌋ patches of h·w columns, in the order <see cref="ExtractSimple2D"/> lists them; not modified.</param>
    /// <param name="patchHeight">The patch height h ≥ 1.</param>
    /// <param name="patchWidth">The patch width w ≥ 1.</param>
    /// <param name="imageHeight">The image height, at least h.</param>
    /// <param name="imageWidth">The image width, at least w.</param>
    /// <returns>The image, imageHeight × imageWidth.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="patches"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="patches"/> is empty, holds NaN or ±∞, or its shape does not match the patch and image sizes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or a patch is larger than the image.</exception>
    public static Matrix<double> ReconstructSimple2D(Matrix<double> patches, int patchHeight, int patchWidth, int imageHeight, int imageWidth)
    {
        ArgumentNullException.ThrowIfNull(patches);
        CheckImageSize(imageHeight, imageWidth);
        CheckPatchSide(patchHeight, imageHeight, "height");
        CheckPatchSide(patchWidth, imageWidth, "width");
        int gridRows = imageHeight / patchHeight, gridColumns = imageWidth / patchWidth;
        CheckPatchMatrix(patches, (long)gridRows * gridColumns, patchHeight, patchWidth, "the grid of non-overlapping patches");
        int n = patches.RowCount;
        var data = MatrixStorage.ColumnMajor(patches);
        var image = new double[imageHeight * imageWidth];
        For(imageWidth, (long)n * patchHeight * patchWidth, x =>
        {
            int j = x / patchWidth, s = x % patchWidth;
            if (j >= gridColumns)
            {
                return;
            }

            var column = image.AsSpan(x * imageHeight, imageHeight);
            for (int y = 0; y < gridRows * patchHeight; y++)
            {
                int i = y / patchHeight, r = y % patchHeight;
                column[y] += data[(((r * patchWidth) + s) * n) + (i * gridColumns) + j];
            }
        });

        return MatrixStorage.FromColumnMajor(imageHeight, imageWidth, image);
    }

    private static void CheckPatchSide(int side, int limit, string dimension)
    {
        string name = dimension == "height" ? "patchHeight" : "patchWidth";
        if (side < 1 || side > limit)
        {
            throw Guard.OutOfRange(name, $"{name} must be between 1 and the image {dimension}, {limit} (was {side}).");
        }
    }

    private static void CheckImageSize(int imageHeight, int imageWidth)
    {
        Guard.AtLeast(imageHeight, 1);
        Guard.AtLeast(imageWidth, 1);
        CheckSize(imageHeight, imageWidth, nameof(imageHeight));
    }

    /// <summary>A matrix of rows × columns doubles must fit in one array.</summary>
    private static void CheckSize(long rows, int columns, string name)
    {
        if (rows * columns > Array.MaxLength)
        {
            throw Guard.OutOfRange(name, $"{rows}×{columns} entries do not fit in one array (set by {name}); ask for fewer or smaller patches or a smaller image.");
        }
    }

    private static void CheckPatchMatrix(Matrix<double> patches, long expectedRows, int patchHeight, int patchWidth, string what)
    {
        if (patches.ColumnCount != patchHeight * patchWidth || patches.RowCount != expectedRows)
        {
            throw new ArgumentException(
                $"{nameof(patches)} is {patches.RowCount}×{patches.ColumnCount} but {what} of a {patchHeight}×{patchWidth} patch size needs {expectedRows}×{patchHeight * patchWidth}.",
                nameof(patches));
        }

        Guard.Samples(patches);
    }

    /// <summary>Runs body(0 … count − 1) in parallel when the work (<paramref name="size"/> entries) is large enough to pay for it.</summary>
    private static void For(int count, long size, Action<int> body)
    {
        if (size >= ParallelThreshold && count > 1)
        {
            Parallelism.For(count, body);
            return;
        }

        for (int i = 0; i < count; i++)
        {
            body(i);
        }
    }

    /// <summary>A row-major copy of the column-major rows×cols <paramref name="data"/> (an image row becomes contiguous).</summary>
    private static double[] RowMajor(double[] data, int rows, int cols)
    {
        var result = new double[data.Length];
        Transpose(data, rows, cols, result);
        return result;
    }

    /// <summary>The rows×cols matrix whose row-major entries are <paramref name="rowMajor"/>.</summary>
    private static Matrix<double> ColumnMajorMatrix(double[] rowMajor, int rows, int cols)
    {
        var result = new double[rowMajor.Length];
        Transpose(rowMajor, cols, rows, result);
        return MatrixStorage.FromColumnMajor(rows, cols, result);
    }

    /// <summary>result (cols×rows, column-major) ← the transpose of the column-major rows×cols <paramref name="a"/>, in cache-sized tiles.</summary>
    private static void Transpose(double[] a, int rows, int cols, double[] result)
    {
        const int Tile = 32;
        int tileColumns = (cols + Tile - 1) / Tile;
        For(tileColumns, (long)rows * cols, tile =>
        {
            int j0 = tile * Tile, j1 = Math.Min(cols, j0 + Tile);
            for (int i0 = 0; i0 < rows; i0 += Tile)
            {
                int i1 = Math.Min(rows, i0 + Tile);
                for (int j = j0; j < j1; j++)
                {
                    for (int i = i0; i < i1; i++)
                    {
                        result[j + (i * cols)] = a[i + (j * rows)];
                    }
                }
            }
        });
    }
}
