// SPDX-License-Identifier: BSD-3-Clause
// Defect detection by sparse coding, as in the spm-image talks: a dictionary learned on clean product images represents clean
// texture well and defects badly, so the reconstruction error of each patch is its anomaly score.
//   Training: 60 clean 128×128 crops of brick.png (top half), 8×8 patches with their means removed, K-SVD (64 atoms, 3 per patch).
//   Test: 30 crops of the bottom half with a defect painted in code — 10 scratches, 10 blobs, 10 stains, contrasts from faint to
//   strong — and 10 clean validation crops. Every overlapping patch is coded (OMP, 3 atoms); the per-pixel heat map averages
//   the squared errors of the patches over each pixel, and each 16×16 cell of an image is scored by its hottest pixel. The
//   threshold is the 99th percentile of the clean validation cells' scores (1% false alarms on clean texture).
//   Prints precision, recall, F1 and ROC AUC per defect type (a cell is a defect cell when the defect touches it), writes
//   out/anomaly_detection.png (test images and their heat maps), and exits with 1 unless every AUC ≥ 0.95 and the training
//   took under 5 s.
using System.Diagnostics;
using ImageReconstruction;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using SparseModeling.Imaging;

const int Size = 128, Patch = 8, Cell = 16, Atoms = 64, NonZeros = 3, TrainingImages = 60, PatchesPerImage = 100;
const double AucBar = 0.95, TrainingBar = 5.0;
string folder = SampleFolder();
string outputFolder = Path.Combine(folder, "out");
Directory.CreateDirectory(outputFolder);
var brick = Pictures.LoadGray(Path.Combine(AppContext.BaseDirectory, "data", "brick.png"));
var rng = new Random(2024);
Matrix<double> Crop(int rowLow, int rowHigh) => brick.SubMatrix(rng.Next(rowLow, rowHigh - Size + 1), Size, rng.Next(0, brick.ColumnCount - Size + 1), Size);

// Training: 60 clean crops from the top half; the test and validation crops come from the bottom half.
var training = Enumerable.Range(0, TrainingImages).Select(_ => Crop(0, 256)).ToList();
var clock = Stopwatch.StartNew();
var patches = Matrix<double>.Build.Dense(TrainingImages * PatchesPerImage, Patch * Patch);
for (int i = 0; i < TrainingImages; i++)
{
    patches.SetSubMatrix(i * PatchesPerImage, 0, Patches.Extract2D(training[i], Patch, Patch, PatchesPerImage, randomSeed: i));
}

RemoveMeans(patches);
var ksvd = new Ksvd { ComponentCount = Atoms, NonzeroCoefficients = NonZeros, MaxIterations = 5, InitialDictionary = DctDictionary.Generate(Atoms, Patch).NormalizeRows(2.0) }.Fit(patches);
double trainingSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"training: {TrainingImages} clean {Size}×{Size} crops of brick.png, {patches.RowCount} patches of {Patch}×{Patch}, K-SVD {Atoms} atoms × {NonZeros} per patch, {ksvd.Iterations} iterations: {trainingSeconds:F2} s");

// Validation: clean crops, for the threshold.
clock.Restart();
var validationScores = new List<double>();
for (int i = 0; i < 10; i++)
{
    validationScores.AddRange(CellScores(HeatMap(Crop(256, 512), ksvd.Components)));
}

validationScores.Sort();
double threshold = validationScores[(int)Math.Floor(0.99 * (validationScores.Count - 1))];
Console.WriteLine($"threshold: 99th percentile of {validationScores.Count} clean validation cells = {threshold:G4}");

// Test: one painted defect per image.
var kinds = new[] { "scratch", "blob", "stain" };
var examples = new List<(string Caption, Matrix<double> Image)>();
bool pass = trainingSeconds < TrainingBar;
var allScores = new List<(double Score, bool Defect)>();
Console.WriteLine($"{"defect",-8} {"contrast",-11} {"cells",6} {"defect",7} {"precision",10} {"recall",7} {"F1",6} {"ROC AUC",8}");
foreach (string kind in kinds)
{
    var scored = new List<(double Score, bool Defect)>();
    double lowest = double.MaxValue, highest = 0.0;
    for (int i = 0; i < 10; i++)
    {
        var image = Crop(256, 512);
        double contrast = 0.15 + (0.04 * i); // faint to strong: 0.15 … 0.51
        (lowest, highest) = (Math.Min(lowest, contrast), Math.Max(highest, contrast));
        var mask = Paint(image, kind, contrast, rng);
        var heat = HeatMap(image, ksvd.Components);
        var scores = CellScores(heat);
        var labels = CellLabels(mask);
        for (int c = 0; c < scores.Length; c++)
        {
            scored.Add((scores[c], labels[c]));
        }

        if (i == 5)
        {
            examples.Add(($"{kind}, contrast {contrast:F2}", Zoom(image)));
            examples.Add(("error map", Zoom(heat.Map(v => Math.Min(1.0, v / (2.0 * threshold))))));
        }
    }

    allScores.AddRange(scored);
    var (precision, recall, f1, auc) = Measures(scored, threshold);
    Console.WriteLine($"{kind,-8} {lowest:F2}–{highest:F2} {scored.Count,6} {scored.Count(s => s.Defect),7} {precision,10:F3} {recall,7:F3} {f1,6:F3} {auc,8:F4}");
    pass &= auc >= AucBar;
}

var (allPrecision, allRecall, allF1, allAuc) = Measures(allScores, threshold);
Console.WriteLine($"{"all",-8} {"",-11} {allScores.Count,6} {allScores.Count(s => s.Defect),7} {allPrecision,10:F3} {allRecall,7:F3} {allF1,6:F3} {allAuc,8:F4}");
Console.WriteLine($"scoring: {clock.Elapsed.TotalSeconds:F2} s for 40 images");
string picture = Path.Combine(outputFolder, "anomaly_detection.png");
Pictures.SaveImages(picture, examples);
Console.WriteLine($"wrote {picture}");
if (!pass)
{
    Console.Error.WriteLine($"FAILED: a ROC AUC is below {AucBar} or the training took {trainingSeconds:F2} s (bar: {TrainingBar} s)");
    return 1;
}

return 0;

// The squared reconstruction error of every overlapping patch (means removed, OMP over the dictionary), averaged per pixel.
static Matrix<double> HeatMap(Matrix<double> image, Matrix<double> dictionary)
{
    var patches = Patches.Extract2D(image, Patch, Patch);
    RemoveMeans(patches);
    var codes = SparseEncoder.Encode(patches, dictionary, SparseCodingAlgorithm.Omp, NonZeros);
    var residual = patches - (codes * dictionary);
    var errors = residual.PointwisePower(2.0).RowSums();
    var constant = Matrix<double>.Build.Dense(patches.RowCount, Patch * Patch, (i, _) => errors[i]);
    return Patches.ReconstructFrom2D(constant, Patch, Patch, image.RowCount, image.ColumnCount);
}

// The hottest pixel of every 16×16 cell, cells row by row.
static double[] CellScores(Matrix<double> heat)
{
    int cells = heat.RowCount / Cell;
    var scores = new double[cells * cells];
    for (int i = 0; i < heat.RowCount; i++)
    {
        for (int j = 0; j < heat.ColumnCount; j++)
        {
            int c = ((i / Cell) * cells) + (j / Cell);
            scores[c] = Math.Max(scores[c], heat[i, j]);
        }
    }

    return scores;
}

// Whether the defect touches each cell.
static bool[] CellLabels(bool[,] mask)
{
    int cells = mask.GetLength(0) / Cell;
    var labels = new bool[cells * cells];
    for (int i = 0; i < mask.GetLength(0); i++)
    {
        for (int j = 0; j < mask.GetLength(1); j++)
        {
            labels[((i / Cell) * cells) + (j / Cell)] |= mask[i, j];
        }
    }

    return labels;
}

// Paints one defect into the image (in place) and returns its footprint (pixels changed by more than a quarter of the contrast).
//   scratch: a thin straight line, 1–2 px wide and 30–80 px long, lighter or darker;
//   blob: a filled ellipse of radius 3–8 px with a soft edge;
//   stain: an irregular spot of radius 8–16 px, darker, mottled inside (uneven absorption, pixel by pixel) with a darker rim.
static bool[,] Paint(Matrix<double> image, string kind, double contrast, Random rng)
{
    int n = image.RowCount;
    var change = new double[n, n];
    double cy = 24 + (rng.NextDouble() * (n - 48)), cx = 24 + (rng.NextDouble() * (n - 48));
    double sign = rng.Next(2) == 0 ? -1.0 : 1.0;
    switch (kind)
    {
        case "scratch":
            {
                double angle = rng.NextDouble() * Math.PI, half = 15 + (rng.NextDouble() * 25), width = 0.5 + (rng.NextDouble() * 0.5);
                double dy = Math.Sin(angle), dx = Math.Cos(angle);
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double along = ((i - cy) * dy) + ((j - cx) * dx), across = Math.Abs((-(i - cy) * dx) + ((j - cx) * dy));
                        if (Math.Abs(along) <= half)
                        {
                            change[i, j] = sign * contrast * Math.Clamp(width + 0.5 - across, 0.0, 1.0);
                        }
                    }
                }

                break;
            }

        case "blob":
            {
                double a = 3 + (rng.NextDouble() * 5), b = 3 + (rng.NextDouble() * 5), angle = rng.NextDouble() * Math.PI;
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double u = (((j - cx) * Math.Cos(angle)) + ((i - cy) * Math.Sin(angle))) / a, v = ((-(j - cx) * Math.Sin(angle)) + ((i - cy) * Math.Cos(angle))) / b;
                        double r = Math.Sqrt((u * u) + (v * v));
                        change[i, j] = sign * contrast * Math.Clamp((1.0 - r) * 4.0, 0.0, 1.0);
                    }
                }

                break;
            }

        default:
            {
                double radius = 8 + (rng.NextDouble() * 8);
                var phases = Enumerable.Range(0, 4).Select(_ => rng.NextDouble() * 2 * Math.PI).ToArray();
                var mottle = new double[n, n];
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        mottle[i, j] = rng.NextDouble();
                    }
                }

                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double theta = Math.Atan2(i - cy, j - cx);
                        double edge = radius * (1.0 + (0.2 * Math.Sin((3 * theta) + phases[0])) + (0.1 * Math.Sin((5 * theta) + phases[1])));
                        double r = Math.Sqrt(((i - cy) * (i - cy)) + ((j - cx) * (j - cx))) / edge;
                        if (r > 1.0)
                        {
                            continue;
                        }

                        double rim = Math.Exp(-Math.Pow((1.0 - r) * edge / 1.5, 2.0));
                        change[i, j] = -contrast * Math.Max(rim, mottle[i, j]) * Math.Clamp((1.0 - r) * edge, 0.0, 1.0);
                    }
                }

                break;
            }
    }

    var mask = new bool[n, n];
    for (int i = 0; i < n; i++)
    {
        for (int j = 0; j < n; j++)
        {
            image[i, j] = Math.Clamp(image[i, j] + change[i, j], 0.0, 1.0);
            mask[i, j] = Math.Abs(change[i, j]) > 0.25 * contrast;
        }
    }

    return mask;
}

// Precision, recall and F1 at the threshold, and the ROC AUC (the probability that a defect cell outscores a clean one, ties half).
static (double Precision, double Recall, double F1, double Auc) Measures(List<(double Score, bool Defect)> scored, double threshold)
{
    int tp = scored.Count(s => s.Defect && s.Score > threshold), fp = scored.Count(s => !s.Defect && s.Score > threshold);
    int positives = scored.Count(s => s.Defect), negatives = scored.Count - positives;
    double precision = tp + fp == 0 ? 0.0 : tp / (double)(tp + fp), recall = positives == 0 ? 0.0 : tp / (double)positives;
    double f1 = precision + recall == 0.0 ? 0.0 : 2.0 * precision * recall / (precision + recall);
    var ranked = scored.OrderBy(s => s.Score).ToList();
    double rankSum = 0.0;
    for (int i = 0; i < ranked.Count;)
    {
        int j = i;
        while (j < ranked.Count && ranked[j].Score == ranked[i].Score)
        {
            j++;
        }

        double rank = ((i + 1) + j) / 2.0; // the mean rank of a run of ties
        rankSum += rank * ranked.Skip(i).Take(j - i).Count(s => s.Defect);
        i = j;
    }

    double auc = (rankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    return (precision, recall, f1, auc);
}

// Subtracts each row's mean in place.
static void RemoveMeans(Matrix<double> patches)
{
    var means = patches.RowSums() / patches.ColumnCount;
    for (int j = 0; j < patches.ColumnCount; j++)
    {
        patches.SetColumn(j, patches.Column(j) - means);
    }
}

// The image enlarged 2× (nearest neighbour) for the picture.
static Matrix<double> Zoom(Matrix<double> image) => Matrix<double>.Build.Dense(2 * image.RowCount, 2 * image.ColumnCount, (i, j) => image[i / 2, j / 2]);

static string SampleFolder()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "AnomalyDetection.csproj")))
        {
            return folder.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
