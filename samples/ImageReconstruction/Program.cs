// SPDX-License-Identifier: BSD-3-Clause
// Sparse coding of image patches over a fixed and a learned dictionary.
//   camera.png (512×512), 8×8 patches with their means removed, 5 atoms per patch out of 64:
//   (1) the DCT dictionary as it is; (2) K-SVD started from it, trained on 10,000 random patches; (3) mini-batch
//   dictionary learning (Mairal et al.) from the same start on the same patches.
//   Every overlapping patch of the image is coded and the image rebuilt by averaging the patches.
//   Writes out/dictionaries.png (the 64 atoms of each dictionary) and out/reconstruction.png (the original and the
//   two reconstructions with their PSNR and SSIM), and prints the numbers and the time of each step.
using System.Diagnostics;
using ImageReconstruction;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using SparseModeling.Imaging;

const int PatchSize = 8, Atoms = 64, NonZeros = 5, TrainingPatches = 10_000;
string folder = SampleFolder();
string outputFolder = Path.Combine(folder, "out");
Directory.CreateDirectory(outputFolder);

var image = Pictures.LoadGray(Path.Combine(AppContext.BaseDirectory, "data", "camera.png"));
Console.WriteLine($"camera.png: {image.RowCount} × {image.ColumnCount}, intensities scaled to [0, 1]; {PatchSize}×{PatchSize} patches, {NonZeros} of {Atoms} atoms per patch");

var dct = DctDictionary.Generate(Atoms, PatchSize).NormalizeRows(2.0);

var clock = Stopwatch.StartNew();
var training = Patches.Extract2D(image, PatchSize, PatchSize, TrainingPatches, randomSeed: 0);
RemoveMeans(training);
var ksvd = new Ksvd { ComponentCount = Atoms, NonzeroCoefficients = NonZeros, MaxIterations = 10, Method = KsvdMethod.Normal, InitialDictionary = dct }.Fit(training);
double trainSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"K-SVD: {TrainingPatches} patches, {ksvd.Iterations} iterations in {trainSeconds:F2} s; error {ksvd.Errors[0]:F1} → {ksvd.Errors[^1]:F1}");

clock.Restart();
var online = new MiniBatchDictionaryLearning { ComponentCount = Atoms, Alpha = 0.02, BatchSize = 256, MaxIterations = 5, InitialDictionary = dct, RandomSeed = 0 }.Fit(training);
double onlineSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"Mini-batch dictionary learning: {TrainingPatches} patches, {online.Iterations} epochs ({online.StepCount} steps of 256) in {onlineSeconds:F2} s");

var results = new List<(string Name, Matrix<double> Image, double Psnr, double Ssim)> { ("original", image, double.PositiveInfinity, 1.0) };
foreach (var (name, dictionary) in new[] { ("DCT", dct), ("K-SVD", ksvd.Components), ("mini-batch", online.Components) })
{
    clock.Restart();
    var rebuilt = Rebuild(image, dictionary);
    double seconds = clock.Elapsed.TotalSeconds;
    double psnr = ImageQuality.Psnr(image, rebuilt, 1.0), ssim = ImageQuality.Ssim(image, rebuilt, 1.0);
    Console.WriteLine($"{name,-10} dictionary: every patch coded and the image rebuilt in {seconds:F2} s; PSNR {psnr:F2} dB, SSIM {ssim:F4}");
    results.Add(($"{name}: PSNR {psnr:F2} dB, SSIM {ssim:F3}", rebuilt, psnr, ssim));
}

string atomsPath = Path.Combine(outputFolder, "dictionaries.png");
Pictures.SaveAtoms(atomsPath, [("DCT (start)", dct), ("K-SVD (learned)", ksvd.Components), ("mini-batch (learned)", online.Components)], PatchSize);
string imagesPath = Path.Combine(outputFolder, "reconstruction.png");
Pictures.SaveImages(imagesPath, [.. results.Select(r => (r.Name, r.Image))]);
Console.WriteLine($"wrote {atomsPath}");
Console.WriteLine($"wrote {imagesPath}");

// Codes every overlapping patch (means removed and added back) with 5 atoms by batch OMP and averages the patches.
static Matrix<double> Rebuild(Matrix<double> image, Matrix<double> dictionary)
{
    var patches = Patches.Extract2D(image, PatchSize, PatchSize);
    var means = RemoveMeans(patches);
    var coder = new SparseCoder { Dictionary = dictionary, TransformNonzeroCoefficients = NonZeros }.Fit(patches);
    var approximation = coder.InverseTransform(coder.Transform(patches));
    var values = approximation.AsColumnMajorArray();
    for (int j = 0; j < approximation.ColumnCount; j++)
    {
        for (int i = 0; i < approximation.RowCount; i++)
        {
            values[(j * approximation.RowCount) + i] += means[i];
        }
    }

    return Patches.ReconstructFrom2D(approximation, PatchSize, PatchSize, image.RowCount, image.ColumnCount);
}

// Subtracts each row's mean in place and returns the means.
static double[] RemoveMeans(Matrix<double> patches)
{
    int rows = patches.RowCount, columns = patches.ColumnCount;
    var values = patches.AsColumnMajorArray();
    var means = new double[rows];
    for (int j = 0; j < columns; j++)
    {
        for (int i = 0; i < rows; i++)
        {
            means[i] += values[(j * rows) + i] / columns;
        }
    }

    for (int j = 0; j < columns; j++)
    {
        for (int i = 0; i < rows; i++)
        {
            values[(j * rows) + i] -= means[i];
        }
    }

    return means;
}

static string SampleFolder()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "ImageReconstruction.csproj")))
        {
            return folder.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
