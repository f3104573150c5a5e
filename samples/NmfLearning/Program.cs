// SPDX-License-Identifier: BSD-3-Clause
// NmfLearning: the two experiments of the seed article on non-negative matrix factorisation X ≈ W·H.
// (a) The image X[i, j] = sin(0.02πi)·cos(0.04πj) + 1 (+ 0.01) factorised with K = 5 under each of the
//     three divergences (multiplicative updates, NNDSVDa start, 200 iterations): out/nmf_divergences.png.
// (b) 80 noisy points on y = cos² x factorised with K = 2, watched through the per-iteration callback:
//     the reconstruction W·H and the two basis vectors (rows of H) as learning proceeds:
//     out/nmf_learning.gif (animation) and out/nmf_learning_frames.png (four of its frames).
using System.Diagnostics;
using NmfLearning;
using ScottPlot;
using SparseModeling.Decomposition;

var clock = Stopwatch.StartNew();
string outputFolder = Path.Combine(SampleFolder(), "out");
Directory.CreateDirectory(outputFolder);

// (a) One image, three divergences.
const int ImageComponents = 5;
var image = SeedData.SinCosImage();
Console.WriteLine($"(a) {image.RowCount} × {image.ColumnCount} image sin(0.02πi)·cos(0.04πj) + 1.01, K = {ImageComponents}, multiplicative updates, NNDSVDa start, 200 iterations");
Console.WriteLine("    (the reconstruction error √(2·D) measures each fit in its own divergence D; ‖X − WH‖/‖X‖ puts them on one scale)");
var fits = new List<ImageFactorisation>();
foreach (var (loss, title) in new[]
{
    (NmfLoss.Frobenius, "Frobenius (β = 2)"),
    (NmfLoss.KullbackLeibler, "Kullback–Leibler (β = 1)"),
    (NmfLoss.ItakuraSaito, "Itakura–Saito (β = 0)"),
})
{
    var divergence = new List<double>();
    var nmf = new Nmf
    {
        ComponentCount = ImageComponents,
        Loss = loss,
        Solver = NmfSolver.MultiplicativeUpdate,
        Init = NmfInit.NndsvdA,
        MaxIterations = 200,
        Tolerance = 0,
        OnIteration = info => divergence.Add(info.Objective),
    };
    var w = nmf.FitTransform(image);
    var reconstruction = nmf.InverseTransform(w);
    fits.Add(new ImageFactorisation(title, reconstruction, nmf.ReconstructionError, divergence));
    double relative = (image - reconstruction).FrobeniusNorm() / image.FrobeniusNorm();
    Console.WriteLine($"    {title,-26} reconstruction error √(2·D) = {nmf.ReconstructionError,-9:G6} ‖X − WH‖/‖X‖ = {relative:P3}");
}

string comparisonPath = Path.Combine(outputFolder, "nmf_divergences.png");
Figures.SaveImageComparison(comparisonPath, image, fits, ImageComponents);

// (b) Watching K = 2 factors learn 80 points in the plane.
const int FrameWidth = 640, FrameHeight = 560;
var points = SeedData.NoisyCosSquaredPoints(seed: 7);
var limits = new AxisLimits(0, 3.6, 0, 1.45);
var frames = new List<uint[]>();
var snapshots = new List<Plot>();
int[] snapshotIterations = [1, 4, 16, 300];
var learner = new Nmf
{
    ComponentCount = 2,
    Loss = NmfLoss.Frobenius,
    Solver = NmfSolver.MultiplicativeUpdate,
    Init = NmfInit.Random,
    RandomSeed = 3,
    MaxIterations = 300,
    Tolerance = 0,
    OnIteration = step =>
    {
        if (!IsFrame(step.Iteration))
        {
            return;
        }

        var frame = Figures.LearningFrame(points, step.W, step.H, step.Iteration, Math.Sqrt(2 * step.Objective), limits);
        frames.Add(Figures.Pixels(frame, FrameWidth, FrameHeight));
        if (snapshotIterations.Contains(step.Iteration))
        {
            snapshots.Add(frame);
        }
    },
};
learner.FitTransform(points);
Console.WriteLine($"(b) {points.RowCount} noisy points on y = cos² x, K = 2, Frobenius, random start: reconstruction error {learner.ReconstructionError:F4} after {learner.Iterations} iterations, {frames.Count} frames");

string gifPath = Path.Combine(outputFolder, "nmf_learning.gif");
GifWriter.Write(gifPath, FrameWidth, FrameHeight, frames, delayCentiseconds: 12, lastDelayCentiseconds: 200);
string stripPath = Path.Combine(outputFolder, "nmf_learning_frames.png");
Figures.SaveStrip(stripPath, snapshots, FrameWidth, FrameHeight);

Console.WriteLine();
Console.WriteLine("Wrote:");
Console.WriteLine($"  {comparisonPath}");
Console.WriteLine($"  {gifPath}");
Console.WriteLine($"  {stripPath}");
Console.WriteLine($"in {clock.Elapsed.TotalSeconds:F1} s.");

// Every iteration at first, when the factors move fast, then more and more sparsely.
static bool IsFrame(int iteration) =>
    iteration <= 10 || (iteration <= 40 && iteration % 3 == 1) || (iteration <= 100 && iteration % 10 == 0) || iteration % 25 == 0;

// The folder holding the sample's project file (out/ goes beside it), found from the executable's folder.
static string SampleFolder()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "NmfLearning.csproj")))
        {
            return folder.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
