// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SkiaSharp;

namespace BackgroundSubtraction;

/// <summary>PNG input and output and the GIF frames of the sample, with SkiaSharp (image I/O stays out of the library).</summary>
internal static class Pictures
{
    private const int Margin = 10, Caption = 20, Scale = 2;

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

    /// <summary>
    /// A strip of panels: one row per selected frame, one column per caption, each panel an image with intensities in
    /// [0, 1] shown at twice its size; the captions head the columns, the frame numbers start the rows.
    /// </summary>
    public static void SaveStrip(string path, IReadOnlyList<string> captions, IReadOnlyList<(string Label, Matrix<double>[] Panels)> rows)
    {
        int h = rows[0].Panels[0].RowCount * Scale, w = rows[0].Panels[0].ColumnCount * Scale;
        const int Label = 70;
        using var bitmap = new SKBitmap(Label + (captions.Count * (w + Margin)) + Margin, Caption + Margin + (rows.Count * (h + Margin)));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        for (int c = 0; c < captions.Count; c++)
        {
            Text(canvas, captions[c], Label + (c * (w + Margin)), 15);
        }

        for (int r = 0; r < rows.Count; r++)
        {
            int y0 = Caption + Margin + (r * (h + Margin));
            Text(canvas, rows[r].Label, 4, y0 + (h / 2));
            for (int c = 0; c < rows[r].Panels.Length; c++)
            {
                Draw(bitmap, rows[r].Panels[c], Label + (c * (w + Margin)), y0, Scale);
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    /// <summary>One GIF frame: the panels side by side at their own size, as ARGB pixels row by row, with the frame's width.</summary>
    public static (uint[] Pixels, int Width, int Height) GifFrame(IReadOnlyList<Matrix<double>> panels)
    {
        const int Gap = 4;
        int h = panels[0].RowCount, w = panels[0].ColumnCount;
        int width = (panels.Count * w) + ((panels.Count - 1) * Gap);
        var pixels = new uint[width * h];
        Array.Fill(pixels, 0xFFFFFFFFu);
        for (int k = 0; k < panels.Count; k++)
        {
            for (int i = 0; i < h; i++)
            {
                for (int j = 0; j < w; j++)
                {
                    uint v = Gray(panels[k][i, j]);
                    pixels[(i * width) + (k * (w + Gap)) + j] = 0xFF000000u | (v << 16) | (v << 8) | v;
                }
            }
        }

        return (pixels, width, h);
    }

    private static uint Gray(double value) => (uint)Math.Round(255.0 * Math.Clamp(value, 0.0, 1.0));

    private static void Draw(SKBitmap bitmap, Matrix<double> image, int x0, int y0, int scale)
    {
        for (int i = 0; i < image.RowCount; i++)
        {
            for (int j = 0; j < image.ColumnCount; j++)
            {
                byte v = (byte)Gray(image[i, j]);
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
        using var font = new SKFont(SKTypeface.Default, 13);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(text, x, y, SKTextAlign.Left, font, paint);
    }
}
