// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using ImageReconstruction;
using Inpainting;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using SparseModeling.Imaging;

string folder = SampleFolder();
var full = Pictures.LoadGray(Path.Combine(AppContext.BaseDirectory, "data", "camera.png"));
var image = full.SubMatrix(128, 256, 128, 256);
double missingFraction = args.Length > 0 ? double.Parse(args[0]) : 0.5;
double tol = args.Length > 1 ? double.Parse(args[1]) : 0.01;
int k = args.Length > 2 ? int.Parse(args[2]) : 10;
string dict = args.Length > 3 ? args[3] : "odct";
var mask = RandomMask(image.RowCount, image.ColumnCount, missingFraction, 0);
var damaged = image.PointwiseMultiply(mask);
Console.WriteLine($"damaged {ImageQuality.Psnr(image, damaged, 1.0):F2}");
var clock = Stopwatch.StartNew();
var bih = Environment.GetEnvironmentVariable("NOB") is null ? Biharmonic.Inpaint(image, mask) : image;
Console.WriteLine($"biharmonic {ImageQuality.Psnr(image, bih, 1.0):F2} in {clock.Elapsed.TotalSeconds:F2}s");
int ps = int.Parse(Environment.GetEnvironmentVariable("PS") ?? "8");
var d = dict == "dct" ? DctDictionary.Generate(ps * ps, ps) : Odct(8, 16);
clock.Restart();
int iters = int.Parse(Environment.GetEnvironmentVariable("IT") ?? "10");
var ours = PatchInpainting.Inpaint(damaged, mask, d, ps, ps, tol, k, iters);
Console.WriteLine($"ours {dict} {ImageQuality.Psnr(image, ours, 1.0):F2} in {clock.Elapsed.TotalSeconds:F2}s");
if (args.Length > 4)
{
    // K-SVD on damaged patches with missing = NaN, init d.
    int n = int.Parse(args[4]);
    var p = Patches.Extract2D(damaged, 8, 8);
    var pm = Patches.Extract2D(mask, 8, 8);
    var rng = new Random(1);
    var rows = Enumerable.Range(0, n).Select(_ => rng.Next(p.RowCount)).ToArray();
    var train = Matrix<double>.Build.Dense(n, 64, (i, j) => pm[rows[i], j] == 1.0 ? p[rows[i], j] : double.NaN);
    for (int i = 0; i < n; i++)
    {
        double s = 0; int c = 0;
        for (int j = 0; j < 64; j++) if (!double.IsNaN(train[i, j])) { s += train[i, j]; c++; }
        for (int j = 0; j < 64; j++) if (!double.IsNaN(train[i, j])) train[i, j] -= s / c;
    }
    var dn = d.NormalizeRows(2.0);
    clock.Restart();
    var ksvd = new Ksvd { ComponentCount = d.RowCount, NonzeroCoefficients = int.Parse(args[5]), MaxIterations = int.Parse(args[6]), MissingValue = double.NaN, InitialDictionary = dn, Method = KsvdMethod.Approximate }.Fit(train);
    Console.WriteLine($"ksvd in {clock.Elapsed.TotalSeconds:F2}s errors {string.Join(",", ksvd.Errors.Select(e => e.ToString("F2")))}");
    clock.Restart();
    var ours2 = PatchInpainting.Inpaint(damaged, mask, ksvd.Components, 8, 8, tol, k, iters);
    Console.WriteLine($"ours ksvd {ImageQuality.Psnr(image, ours2, 1.0):F2} in {clock.Elapsed.TotalSeconds:F2}s");
}

static Matrix<double> RandomMask(int h, int w, double missing, int seed)
{
    var order = Enumerable.Range(0, h * w).ToArray();
    new Random(seed).Shuffle(order);
    var mask = Matrix<double>.Build.Dense(h, w, 1.0);
    for (int t = 0; t < (int)Math.Round(missing * h * w); t++)
    {
        mask[order[t] / w, order[t] % w] = 0.0;
    }

    return mask;
}

static Matrix<double> Odct(int p, int k)
{
    var one = Matrix<double>.Build.Dense(p, k, (i, u) => Math.Cos(i * u * Math.PI / k));
    for (int u = 1; u < k; u++)
    {
        var c = one.Column(u);
        c -= c.Sum() / p;
        one.SetColumn(u, c / c.L2Norm());
    }
    one.SetColumn(0, one.Column(0) / one.Column(0).L2Norm());
    var d = Matrix<double>.Build.Dense(k * k, p * p);
    for (int u = 0; u < k; u++)
        for (int v = 0; v < k; v++)
            for (int i = 0; i < p; i++)
                for (int j = 0; j < p; j++)
                    d[(u * k) + v, (i * p) + j] = one[i, u] * one[j, v];
    return d;
}

static string SampleFolder()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "Inpainting.csproj")))
        {
            return folder.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
