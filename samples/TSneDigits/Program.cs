// SPDX-License-Identifier: BSD-3-Clause
// TSneDigits: t-SNE maps of the handwritten digits and of a larger set.
// (a) The 1797 digits (8×8 pixels) embedded in 2-D with perplexity 30 and the PCA start, by Barnes–Hut (what
//     TSneMethod.Auto picks at this size; FFT interpolation's grid costs more than the tree on so few points); prints
//     the time, KL divergence and trustworthiness (k = 10), and draws the map coloured by the digit: out/tsne_digits.png.
// (b) 20,000 points in 50 dimensions (10 Gaussian clusters) embedded with FFT interpolation, what Auto picks from
//     10,000 samples on: prints the time, KL divergence and peak working set and draws the map: out/tsne_clusters.png.
//     `dotnet run -c Release --project samples/TSneDigits -- 100000` embeds that many points instead.
using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using ScottPlot;
using SparseModeling.Manifold;

string outputFolder = Path.Combine(SampleFolder(), "out");
Directory.CreateDirectory(outputFolder);

// (a) The digits.
var (digits, labels) = LoadDigits(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv"));
Console.WriteLine($"(a) digits: {digits.RowCount} samples × {digits.ColumnCount} pixels, perplexity 30, PCA start, 1000 iterations");
var tsne = new TSne { Perplexity = 30, Init = TSneInit.Pca, RandomSeed = 0 };
var clock = Stopwatch.StartNew();
var embedding = tsne.FitTransform(digits);
double seconds = clock.Elapsed.TotalSeconds;
double trust = Trustworthiness.Compute(digits, embedding, 10);
Console.WriteLine($"    {tsne.EffectiveMethod,-16} {seconds,6:F2} s   KL {tsne.KlDivergence:F4}   trustworthiness(k = 10) {trust:F4}");
string digitsPath = Path.Combine(outputFolder, "tsne_digits.png");
var digitsPlot = new Plot();
Scatter(digitsPlot, embedding, labels, 10, $"digits, {tsne.EffectiveMethod}: {seconds:F1} s, KL {tsne.KlDivergence:F3}, trustworthiness {trust:F3}", "digit ", 4);
digitsPlot.SavePng(digitsPath, 700, 640);
Console.WriteLine($"    wrote {digitsPath}");

// (b) 20,000 points (or the number given): Auto picks FFT interpolation.
const int Clusters = 10, Dimensions = 50;
int points = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var (cloud, cluster) = GaussianClusters(points, Clusters, Dimensions, seed: 7);
Console.WriteLine($"(b) {points:N0} points in {Dimensions} dimensions ({Clusters} Gaussian clusters), Method = Auto");
var large = new TSne { Perplexity = 30, Init = TSneInit.Pca, RandomSeed = 0 };
var largeClock = Stopwatch.StartNew();
var largeMap = large.FitTransform(cloud);
double largeSeconds = largeClock.Elapsed.TotalSeconds;
using (var process = Process.GetCurrentProcess())
{
    Console.WriteLine($"    {large.EffectiveMethod,-16} {largeSeconds,6:F2} s   KL {large.KlDivergence:F4}   peak working set {process.PeakWorkingSet64 / (1024.0 * 1024.0):F0} MB (the data: {points * (double)Dimensions * 8 / (1024.0 * 1024.0):F0} MB)");
}

string clustersPath = Path.Combine(outputFolder, "tsne_clusters.png");
var clustersPlot = new Plot();
Scatter(clustersPlot, largeMap, cluster, Clusters, $"{points:N0} points, {large.EffectiveMethod}: {largeSeconds:F1} s, KL {large.KlDivergence:F3}", "cluster ", 2);
clustersPlot.SavePng(clustersPath, 700, 640);
Console.WriteLine($"    wrote {clustersPath}");

static void Scatter(Plot plot, Matrix<double> embedding, int[] classes, int classCount, string title, string legend, float markerSize)
{
    var palette = new ScottPlot.Palettes.Category10();
    for (int c = 0; c < classCount; c++)
    {
        var rows = Enumerable.Range(0, classes.Length).Where(i => classes[i] == c).ToArray();
        var markers = plot.Add.ScatterPoints(rows.Select(i => embedding[i, 0]).ToArray(), rows.Select(i => embedding[i, 1]).ToArray(), palette.GetColor(c));
        markers.MarkerSize = markerSize;
        markers.LegendText = legend + c.ToString(CultureInfo.InvariantCulture);
    }

    plot.Title(title, 13);
    plot.ShowLegend(Edge.Right);
}

static (Matrix<double> X, int[] Labels) LoadDigits(string path)
{
    var rows = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
    var x = Matrix<double>.Build.Dense(rows.Length, 64, (i, j) => double.Parse(rows[i][j], CultureInfo.InvariantCulture));
    return (x, rows.Select(r => int.Parse(r[64], CultureInfo.InvariantCulture)).ToArray());
}

static (Matrix<double> X, int[] Labels) GaussianClusters(int n, int clusters, int dimensions, int seed)
{
    var random = new Random(seed);
    double Normal() => Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
    var centres = Matrix<double>.Build.Dense(clusters, dimensions, (_, _) => 4.0 * Normal());
    var labels = Enumerable.Range(0, n).Select(i => i % clusters).ToArray();
    var x = Matrix<double>.Build.Dense(n, dimensions);
    for (int i = 0; i < n; i++)
    {
        for (int j = 0; j < dimensions; j++)
        {
            x[i, j] = centres[labels[i], j] + Normal();
        }
    }

    return (x, labels);
}

static string SampleFolder()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "TSneDigits.csproj")))
        {
            return folder.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
