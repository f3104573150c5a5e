// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SkiaSharp;

namespace ImageReconstruction;

/// <summary>PNG input and output for the sample, with SkiaSharp (image I/O stays out of the library).</summary>
internal static class Pictures
{
    private const int Margin = 12, Caption = 22;

    /// <summary>A grayscale PNG as a matrix of intensities in [0, 1] (rows × columns).</summary>
    public static Matrix<double> LoadGray(string path)
    {
        using var bitmap = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} is not an image SkiaSharp can decode.");
        return Matrix<double>.Build.Dense(bitmap.Height, bitmap.Width, (i, j) =>
        {
            var c = bitmap.GetPixel(j, i);
            return ((0.2125 * c.Red) + (0.7154 * c.Green) + (0.0721 * c.Blue)) / 255.0;
        });
    }

    /// <summary>Images side by side, each with its caption, intensities clipped to [0, 1].</summary>
    public static void SaveImages(string path, IReadOnlyList<(string Caption, Matrix<double> Image)> images)
    {
        int h = images[0].Image.RowCount, w = images[0].Image.ColumnCount;
        using var bitmap = new SKBitmap((images.Count * (w + Margin)) + Margin, h + Caption + (2 * Margin));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        for (int k = 0; k < images.Count; k++)
        {
            int x0 = Margin + (k * (w + Margin)), y0 = Margin + Caption;
            Draw(bitmap, images[k].Image, x0, y0, 1, 0.0, 1.0);
            Text(canvas, images[k].Caption, x0, Margin + 14);
        }

        Save(bitmap, path);
    }

    /// <summary>The atoms of each dictionary as a grid of patches (each atom scaled to its own range), one grid per dictionary.</summary>
    public static void SaveAtoms(string path, IReadOnlyList<(string Caption, Matrix<double> Dictionary)> dictionaries, int patchSize)
    {
        const int Scale = 6, Gap = 2;
        int perRow = (int)Math.Ceiling(Math.Sqrt(dictionaries[0].Dictionary.RowCount));
        int grid = perRow * ((patchSize * Scale) + Gap);
        using var bitmap = new SKBitmap((dictionaries.Count * (grid + Margin)) + Margin, grid + Caption + (2 * Margin));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        for (int d = 0; d < dictionaries.Count; d++)
        {
            var dictionary = dictionaries[d].Dictionary;
            int x0 = Margin + (d * (grid + Margin)), y0 = Margin + Caption;
            for (int a = 0; a < dictionary.RowCount; a++)
            {
                var atom = Matrix<double>.Build.Dense(patchSize, patchSize, (i, j) => dictionary[a, (i * patchSize) + j]);
                double low = atom.Enumerate().Min(), high = atom.Enumerate().Max();
                Draw(bitmap, atom, x0 + ((a % perRow) * ((patchSize * Scale) + Gap)), y0 + ((a / perRow) * ((patchSize * Scale) + Gap)), Scale, low, high);
            }

            Text(canvas, dictionaries[d].Caption, x0, Margin + 14);
        }

        Save(bitmap, path);
    }

    private static void Draw(SKBitmap bitmap, Matrix<double> values, int x0, int y0, int scale, double low, double high)
    {
        double span = high > low ? high - low : 1.0;
        for (int i = 0; i < values.RowCount; i++)
        {
            for (int j = 0; j < values.ColumnCount; j++)
            {
                byte v = (byte)Math.Round(255.0 * Math.Clamp((values[i, j] - low) / span, 0.0, 1.0));
                var color = new SKColor(v, v, v);
                for (int di = 0; di < scale; di++)
                {
                    for (int dj = 0; dj < scale; dj++)
                    {
                        bitmap.SetPixel(x0 + (j * scale) + dj, y0 + (i * scale) + di, color);
                    }
                }
            }
        }
    }

    private static void Text(SKCanvas canvas, string text, int x, int y)
    {
        using var font = new SKFont(SKTypeface.Default, 14);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(text, x, y, SKTextAlign.Left, font, paint);
    }

    private static void Save(SKBitmap bitmap, string path)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}
