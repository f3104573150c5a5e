// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace BackgroundSubtraction;

/// <summary>
/// A synthetic surveillance video with a known answer: a static textured background (brick.png, 4×4-averaged to 128×128
/// and cropped to the frame) under slowly varying illumination — a global gain and a horizontal light gradient that drifts —
/// with four objects moving across it and bouncing off the borders, plus Gaussian sensor noise. The objects occlude the
/// background, and the pixels they cover are the ground truth of the foreground.
/// </summary>
internal sealed class SyntheticVideo
{
    private readonly Matrix<double> _texture;

    public SyntheticVideo(Matrix<double> brick, int height, int width, int frameCount, int seed)
    {
        Height = height;
        Width = width;
        FrameCount = frameCount;

        // 4×4 block means of the 512×512 texture, the top-left height × width of them.
        _texture = Matrix<double>.Build.Dense(height, width, (i, j) =>
        {
            double sum = 0.0;
            for (int di = 0; di < 4; di++)
            {
                for (int dj = 0; dj < 4; dj++)
                {
                    sum += brick[(4 * i) + di, (4 * j) + dj];
                }
            }

            return sum / 16.0;
        });

        var random = new Random(seed);
        Frames = Matrix<double>.Build.Dense(frameCount, height * width);
        Backgrounds = Matrix<double>.Build.Dense(frameCount, height * width);
        Masks = new bool[frameCount, height * width];
        for (int t = 0; t < frameCount; t++)
        {
            RenderFrame(t, random);
        }
    }

    /// <summary>The sample's frame height, width and length, and the seed of its noise.</summary>
    public const int SampleHeight = 96, SampleWidth = 128, SampleFrameCount = 120, SampleSeed = 7;

    /// <summary>A pixel is foreground where the sparse part's magnitude exceeds this.</summary>
    public const double ForegroundThreshold = 0.1;

    /// <summary>The sample's video (<see cref="SampleHeight"/> × <see cref="SampleWidth"/>, <see cref="SampleFrameCount"/> frames) on the brick texture (intensities in [0, 1]).</summary>
    public static SyntheticVideo Sample(Matrix<double> brick) => new(brick, SampleHeight, SampleWidth, SampleFrameCount, SampleSeed);

    public int Height { get; }

    public int Width { get; }

    public int FrameCount { get; }

    /// <summary>The video: one frame per row, pixels row by row (the layout <c>RobustPca</c> takes: samples in rows).</summary>
    public Matrix<double> Frames { get; }

    /// <summary>The true background of every frame (without objects and noise), in the layout of <see cref="Frames"/>.</summary>
    public Matrix<double> Backgrounds { get; }

    /// <summary>The true foreground: the pixels an object covers, per frame.</summary>
    public bool[,] Masks { get; }

    /// <summary>
    /// Precision and recall of the foreground mask |<paramref name="sparse"/>| &gt; <see cref="ForegroundThreshold"/> (frames
    /// in rows, as <see cref="Frames"/>) against the objects' true pixels, over frames [<paramref name="first"/>, <paramref name="end"/>).
    /// </summary>
    public (double Precision, double Recall) Score(Matrix<double> sparse, int first, int end)
    {
        long truePositive = 0, falsePositive = 0, falseNegative = 0;
        for (int t = first; t < end; t++)
        {
            for (int p = 0; p < Height * Width; p++)
            {
                bool detected = Math.Abs(sparse[t, p]) > ForegroundThreshold, truth = Masks[t, p];
                truePositive += detected && truth ? 1 : 0;
                falsePositive += detected && !truth ? 1 : 0;
                falseNegative += !detected && truth ? 1 : 0;
            }
        }

        return (truePositive / (double)Math.Max(1, truePositive + falsePositive), truePositive / (double)Math.Max(1, truePositive + falseNegative));
    }

    /// <summary>Frame t as an image (height × width).</summary>
    public Matrix<double> Image(Matrix<double> rows, int t) => Matrix<double>.Build.Dense(Height, Width, (i, j) => rows[t, (i * Width) + j]);

    private void RenderFrame(int t, Random random)
    {
        // Illumination: a gain of 0.9 ± 0.1 over the video and a left-to-right gradient of ±0.05 that swings back and forth.
        double phase = 2.0 * Math.PI * t / FrameCount;
        double gain = 0.9 + (0.1 * Math.Sin(phase));
        double tilt = 0.05 * Math.Cos(1.5 * phase);
        for (int i = 0; i < Height; i++)
        {
            for (int j = 0; j < Width; j++)
            {
                double background = (gain * _texture[i, j]) + (tilt * ((2.0 * j / (Width - 1)) - 1.0));
                int p = (i * Width) + j;
                Backgrounds[t, p] = background;
                double value = background;
                foreach (var shape in Objects)
                {
                    if (shape.Covers(t, i, j, Height, Width, out double intensity))
                    {
                        value = intensity;
                        Masks[t, p] = true;
                    }
                }

                Frames[t, p] = value + (0.015 * Normal(random));
            }
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());

    /// <summary>The four moving objects: a bright disc, a dark square, a striped ellipse and a small dark bar.</summary>
    private static readonly MovingObject[] Objects =
    [
        new(Kind.Disc, 20, 10, 1.7, 0.6, 9, 9, 1.0),
        new(Kind.Square, 60, 90, -1.1, 0.9, 7, 7, 0.02),
        new(Kind.Ellipse, 45, 40, 0.8, -1.3, 6, 12, 0.95),
        new(Kind.Square, 80, 110, -2.4, 0.0, 3, 9, 0.08),
    ];

    private enum Kind
    {
        Disc,
        Square,
        Ellipse,
    }

    /// <summary>An object at (row, column) + t·(rowSpeed, columnSpeed), reflected at the borders; half-sizes in pixels.</summary>
    private sealed record MovingObject(Kind Shape, double Row, double Column, double RowSpeed, double ColumnSpeed, double HalfHeight, double HalfWidth, double Intensity)
    {
        public bool Covers(int t, int i, int j, int height, int width, out double intensity)
        {
            double ci = Bounce(Row + (RowSpeed * t), HalfHeight, height);
            double cj = Bounce(Column + (ColumnSpeed * t), HalfWidth, width);
            double di = (i - ci) / HalfHeight, dj = (j - cj) / HalfWidth;
            bool inside = Shape == Kind.Square ? Math.Abs(di) <= 1.0 && Math.Abs(dj) <= 1.0 : (di * di) + (dj * dj) <= 1.0;

            // The ellipse is striped (two intensities), the others uniform.
            intensity = Shape == Kind.Ellipse && ((int)Math.Floor((i - ci) / 3.0) & 1) == 0 ? Intensity - 0.07 : Intensity;
            return inside;
        }

        /// <summary>A coordinate moving freely, reflected into [half, size − 1 − half].</summary>
        private static double Bounce(double x, double half, int size)
        {
            double low = half, span = size - 1 - (2.0 * half);
            double u = (x - low) % (2.0 * span);
            if (u < 0.0)
            {
                u += 2.0 * span;
            }

            return low + (u <= span ? u : (2.0 * span) - u);
        }
    }
}
