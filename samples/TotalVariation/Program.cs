// SPDX-License-Identifier: BSD-3-Clause
// Total-variation denoising ("smooth while keeping edges").
//   camera.png (512×512, intensities in [0, 1]) with Gaussian noise of σ = 0.1 is denoised by Chambolle's algorithm
//   (TotalVariation.Denoise, scikit-image's denoise_tv_chambolle) at three weights, and one noisy row of it by the exact
//   1-D algorithm (TotalVariation.Denoise1D, Condat). Writes out/tv_denoising.png (the original, the noisy image and the
//   denoised ones with their PSNR and SSIM) and out/tv_denoising_detail.png (a 256×256 detail of three of them), and
//   prints the numbers and the time of each step.
using System.Diagnostics;
using ImageReconstruction;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Imaging;

const double Sigma = 0.1;
string outputFolder = Path.Combine(SampleFolder(), "out");
Directory.CreateDirectory(outputFolder);

var image = Pictures.LoadGray(Path.Combine(AppContext.BaseDirectory, "data", "camera.png"));
var rng = new Random(0);
var noise = Matrix<double>.Build.Dense(image.RowCount, image.ColumnCount);
for (int j = 0; j < noise.ColumnCount; j++)
{
    for (int i = 0; i < noise.RowCount; i++)
    {
        noise[i, j] = Sigma * Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());
    }
}

var noisy = image + noise;
double psnrNoisy = ImageQuality.Psnr(image, noisy, 1.0), ssimNoisy = ImageQuality.Ssim(image, noisy, 1.0);
Console.WriteLine($"camera.png: {image.RowCount} × {image.ColumnCount}, intensities in [0, 1], Gaussian noise σ = {Sigma}");
Console.WriteLine($"noisy             : PSNR {psnrNoisy:F2} dB, SSIM {ssimNoisy:F4}");

var figure = new List<(string Caption, Matrix<double> Image)>
{
    ("original", image),
    ($"noisy: PSNR {psnrNoisy:F2} dB, SSIM {ssimNoisy:F3}", noisy),
};
string detailCaption = string.Empty;
foreach (double weight in new[] { 0.05, 0.1, 0.2 })
{
    var clock = Stopwatch.StartNew();
    var denoised = TotalVariation.Denoise(noisy, weight);
    double milliseconds = clock.Elapsed.TotalMilliseconds;
    double psnr = ImageQuality.Psnr(image, denoised, 1.0), ssim = ImageQuality.Ssim(image, denoised, 1.0);
    Console.WriteLine($"TV, weight {weight,-5}: PSNR {psnr:F2} dB, SSIM {ssim:F4} in {milliseconds:F0} ms");
    figure.Add(($"TV weight {weight}: PSNR {psnr:F2} dB, SSIM {ssim:F3}", denoised));
    if (weight == 0.1)
    {
        detailCaption = $"TV 0.1: {psnr:F2} dB, SSIM {ssim:F3}";
    }
}

// One row of the noisy image through the exact 1-D algorithm: a piecewise-constant profile.
var row = noisy.Row(300);
_ = TotalVariation.Denoise1D(row, 0.5);
var timer = Stopwatch.StartNew();
var profile = TotalVariation.Denoise1D(row, 0.5);
double rowMicroseconds = timer.Elapsed.TotalMicroseconds;
int segments = 1 + Enumerable.Range(1, profile.Count - 1).Count(i => profile[i] != profile[i - 1]);
double rowError = Math.Sqrt((profile - image.Row(300)).DotProduct(profile - image.Row(300)) / profile.Count);
double noisyError = Math.Sqrt((row - image.Row(300)).DotProduct(row - image.Row(300)) / row.Count);
Console.WriteLine($"row 300, exact 1-D TV (weight 0.5): {segments} constant pieces, RMS error {noisyError:F4} → {rowError:F4} in {rowMicroseconds:F0} µs (after a first call)");

string path = Path.Combine(outputFolder, "tv_denoising.png");
Pictures.SaveImages(path, figure);
Console.WriteLine($"wrote {path}");

// A 256×256 detail (the head and the camera) of the original, the noisy image and weight 0.1.
string detailPath = Path.Combine(outputFolder, "tv_denoising_detail.png");
Pictures.SaveImages(detailPath, [Detail("original", figure[0].Image), Detail($"noisy: {psnrNoisy:F2} dB, SSIM {ssimNoisy:F3}", figure[1].Image), Detail(detailCaption, figure[3].Image)]);
Console.WriteLine($"wrote {detailPath}");

static (string Caption, Matrix<double> Image) Detail(string caption, Matrix<double> image) => (caption, image.SubMatrix(40, 256, 120, 256));

static string SampleFolder()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "TotalVariation.csproj")))
        {
            return folder.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
