// SPDX-License-Identifier: BSD-3-Clause
// 2× super-resolution of camera.png by coupled low/high-resolution dictionaries (Yang, Wright, Huang and Ma 2010):
//   the library's SparseSuperResolution is trained on images other than the test image — brick.png and generated pictures of
//   shapes — then camera.png, downscaled 2× with anti-aliasing (Resampling.Downscale), is enlarged back and compared with the
//   original: against bicubic interpolation (the classical baseline) and bicubic plus back-projection alone (no dictionary).
//   Writes out/super_resolution.png (original, low resolution, bicubic, ours) and out/super_resolution_detail.png (a detail
//   magnified), prints PSNR and SSIM of each, and exits with 1 unless ours is at least 0.5 dB above bicubic.
using System.Diagnostics;
using ImageReconstruction;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Imaging;

const int Factor = 2;
const double Bar = 0.5;
string folder = SampleFolder();
string outputFolder = Path.Combine(folder, "out");
Directory.CreateDirectory(outputFolder);

var camera = Pictures.LoadGray(Path.Combine(AppContext.BaseDirectory, "data", "camera.png"));
var brick = Pictures.LoadGray(Path.Combine(AppContext.BaseDirectory, "data", "brick.png"));
var training = new List<Matrix<double>> { brick };
for (int i = 0; i < 4; i++)
{
    training.Add(Shapes(256, seed: 100 + i));
}

Console.WriteLine($"training: brick.png {brick.RowCount}×{brick.ColumnCount} and {training.Count - 1} generated 256×256 pictures of shapes; test: camera.png {camera.RowCount}×{camera.ColumnCount}, downscaled {Factor}× and enlarged back");

var clock = Stopwatch.StartNew();
var model = new SparseSuperResolution { Factor = Factor, RandomSeed = 0 }.Fit(training);
Console.WriteLine($"SparseSuperResolution: {model.ComponentCount} atoms of {model.PatchSize}×{model.PatchSize} patches, {model.Iterations} K-SVD iterations, trained in {clock.Elapsed.TotalSeconds:F1} s");

var low = Resampling.Downscale(camera, Factor);
clock.Restart();
var bicubic = Resampling.UpscaleBicubic(low, Factor);
double bicubicSeconds = clock.Elapsed.TotalSeconds;
clock.Restart();
var backProjected = bicubic.Clone();
for (int step = 0; step < model.BackProjectionIterations; step++)
{
    backProjected += Resampling.UpscaleBicubic(low - Resampling.Downscale(backProjected, Factor), Factor);
}

double backProjectionSeconds = clock.Elapsed.TotalSeconds;
clock.Restart();
var ours = model.Upscale(low);
double oursSeconds = clock.Elapsed.TotalSeconds;

var rows = new List<(string Name, Matrix<double> Image, double Psnr, double Ssim)>();
foreach (var (name, image, seconds) in new[] { ("bicubic", bicubic, bicubicSeconds), ("bicubic + back-projection", backProjected, backProjectionSeconds), ("sparse coding (ours)", ours, oursSeconds) })
{
    double psnr = ImageQuality.Psnr(camera, image, 1.0), ssim = ImageQuality.Ssim(camera, image, 1.0);
    Console.WriteLine($"{name,-26} PSNR {psnr:F2} dB, SSIM {ssim:F4} ({seconds:F2} s)");
    rows.Add((name, image, psnr, ssim));
}

double gain = rows[2].Psnr - rows[0].Psnr;
Console.WriteLine($"ours − bicubic: {gain:+0.00;-0.00} dB (bar: ≥ +{Bar} dB); SSIM {rows[2].Ssim:F4} vs {rows[0].Ssim:F4}");

var nearest = Matrix<double>.Build.Dense(camera.RowCount, camera.ColumnCount, (i, j) => low[i / Factor, j / Factor]);
string picture = Path.Combine(outputFolder, "super_resolution.png");
Pictures.SaveImages(picture, [("original", camera), ($"low resolution ({low.RowCount}×{low.ColumnCount})", nearest), ($"bicubic: {rows[0].Psnr:F2} dB", bicubic), ($"ours: {rows[2].Psnr:F2} dB", ours)]);
const int Top = 60, Left = 180, Side = 128, Zoom = 3;
Matrix<double> Detail(Matrix<double> image) => Matrix<double>.Build.Dense(Side * Zoom, Side * Zoom, (i, j) => image[Top + (i / Zoom), Left + (j / Zoom)]);
string detail = Path.Combine(outputFolder, "super_resolution_detail.png");
Pictures.SaveImages(detail, [("original", Detail(camera)), ("low resolution", Detail(nearest)), ("bicubic", Detail(bicubic)), ("ours", Detail(ours))]);
Console.WriteLine($"wrote {picture}");
Console.WriteLine($"wrote {detail}");
if (gain < Bar)
{
    Console.Error.WriteLine($"FAILED: ours is {gain:F2} dB above bicubic, below the bar of {Bar} dB");
    return 1;
}

return 0;

// A picture of random shapes (ellipses and rotated rectangles of random grey levels) drawn at 4× and averaged down, so that
// edges are anti-aliased as a camera records them: training material with edges of every orientation and contrast.
static Matrix<double> Shapes(int size, int seed)
{
    var rng = new Random(seed);
    const int Super = 4;
    int n = size * Super;
    var canvas = new double[n, n];
    double background = rng.NextDouble();
    for (int i = 0; i < n; i++)
    {
        for (int j = 0; j < n; j++)
        {
            canvas[i, j] = background;
        }
    }

    for (int s = 0; s < 40; s++)
    {
        double cy = rng.NextDouble() * n, cx = rng.NextDouble() * n, a = (0.02 + (0.15 * rng.NextDouble())) * n, b = (0.02 + (0.15 * rng.NextDouble())) * n;
        double angle = rng.NextDouble() * Math.PI, value = rng.NextDouble(), cos = Math.Cos(angle), sin = Math.Sin(angle);
        bool ellipse = rng.Next(2) == 0;
        int r = (int)Math.Ceiling(Math.Max(a, b));
        for (int i = Math.Max(0, (int)cy - r); i < Math.Min(n, (int)cy + r); i++)
        {
            for (int j = Math.Max(0, (int)cx - r); j < Math.Min(n, (int)cx + r); j++)
            {
                double u = (((j - cx) * cos) + ((i - cy) * sin)) / a, v = ((-(j - cx) * sin) + ((i - cy) * cos)) / b;
                if (ellipse ? (u * u) + (v * v) <= 1.0 : Math.Abs(u) <= 1.0 && Math.Abs(v) <= 1.0)
                {
                    canvas[i, j] = value;
                }
            }
        }
    }

    return Matrix<double>.Build.Dense(size, size, (i, j) =>
    {
        double sum = 0.0;
        for (int di = 0; di < Super; di++)
        {
            for (int dj = 0; dj < Super; dj++)
            {
                sum += canvas[(i * Super) + di, (j * Super) + dj];
            }
        }

        return sum / (Super * Super);
    });
}

static string SampleFolder()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "SuperResolution.csproj")))
        {
            return folder.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
