// SPDX-License-Identifier: BSD-3-Clause
// Structured sparsity on signals: the generalized Lasso family (fused Lasso, trend filtering) and robust denoising.
//   1. A noisy sine filtered by TrendFilteringAdmm (X = I, the spm-image talk's figure: true, observed, estimated).
//   2. A piecewise-constant signal by FusedLassoAdmm and by the exact 1-D solver (TrendFiltering.Denoise, order 0).
//   3. First against second order trend filtering (piecewise linear against piecewise quadratic) on one signal.
//   4. The curvature along a noisy closed contour (a rounded square with a notch, generated here), smoothed by trend
//      filtering so that its peaks (the corners) stand out.
//   5. A signal with outliers: LassoPrimalDual (an L1 data term) against the squared-loss fused Lasso.
// Writes out/trend_filtering_*.png and prints the fits' objectives, iterations and times.
using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using ScottPlot;
using SparseModeling.Imaging;
using SparseModeling.LinearModel;

string outputFolder = Path.Combine(SampleFolder(), "out");
Directory.CreateDirectory(outputFolder);
var written = new List<string>();

// 1. Noisy sine: y = sin(2πt) + 0.25·noise on 200 points; TrendFilteringAdmm with D = T (SparseCoefficient 0).
{
    const int n = 200;
    var noise = Normal(1, n);
    var t = Enumerable.Range(0, n).Select(i => (double)i / n).ToArray();
    var truth = t.Select(v => Math.Sin(2.0 * Math.PI * v)).ToArray();
    var observed = Vector<double>.Build.Dense(n, i => truth[i] + (0.25 * noise[i]));
    var model = new TrendFilteringAdmm { Alpha = 0.02, SparseCoefficient = 0.0, TrendCoefficient = 1.0, Rho = 0.05, FitIntercept = false, MaxIterations = 20_000, Tolerance = 1e-6 };
    var clock = Stopwatch.StartNew();
    model.Fit(Matrix<double>.Build.DenseIdentity(n), observed);
    Console.WriteLine($"1. noisy sine, n = {n}: TrendFilteringAdmm (α = {model.Alpha}, ρ = {model.Rho}) {model.Iterations} iterations, converged {model.Converged}, {clock.Elapsed.TotalMilliseconds:F0} ms; RMS error {Rms(observed.ToArray(), truth):F3} → {Rms(model.Coefficients.ToArray(), truth):F3}");
    var plot = new Plot();
    Points(plot, t, observed.ToArray(), "observed", Colors.Gray);
    Line(plot, t, truth, "true", Colors.Black, 2, dashed: true);
    Line(plot, t, model.Coefficients.ToArray(), "estimated (trend filtering)", Colors.C0, 2);
    Finish(plot, "Trend filtering of a noisy sine (TrendFilteringAdmm, X = I)", "t", "signal");
    written.Add(Save(plot, "trend_filtering_sine.png", 800, 450));
}

// 2. Piecewise-constant signal: the fused Lasso by ADMM (spm-image's class) and exactly (order 0, Condat's algorithm).
{
    const int n = 300;
    var noise = Normal(2, n);
    var truth = Enumerable.Range(0, n).Select(i => i < 60 ? 0.0 : i < 110 ? 1.5 : i < 200 ? -0.5 : i < 240 ? 2.0 : 0.5).ToArray();
    var observed = Vector<double>.Build.Dense(n, i => truth[i] + (0.4 * noise[i]));
    double lambda = 3.0;
    var model = new FusedLassoAdmm { Alpha = lambda / n, SparseCoefficient = 0.0, TrendCoefficient = 1.0, Rho = 0.2, FitIntercept = false, MaxIterations = 50_000, Tolerance = 1e-7 };
    var clock = Stopwatch.StartNew();
    model.Fit(Matrix<double>.Build.DenseIdentity(n), observed);
    double admmMs = clock.Elapsed.TotalMilliseconds;
    clock.Restart();
    var exact = TrendFiltering.Denoise(observed, lambda, order: 0);
    double exactMs = clock.Elapsed.TotalMilliseconds;
    double gap = (model.Coefficients - exact).AbsoluteMaximum();
    Console.WriteLine($"2. piecewise constant, n = {n}: FusedLassoAdmm {model.Iterations} iterations, converged {model.Converged}, {admmMs:F0} ms; exact (order 0) {exactMs:F2} ms; largest difference {gap:E1}; {Pieces(exact.ToArray())} constant pieces");
    var x = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
    var plot = new Plot();
    Points(plot, x, observed.ToArray(), "observed", Colors.Gray);
    Line(plot, x, truth, "true", Colors.Black, 2, dashed: true);
    Line(plot, x, model.Coefficients.ToArray(), "fused Lasso (FusedLassoAdmm)", Colors.C1, 4);
    Line(plot, x, exact.ToArray(), "fused Lasso, exact (TrendFiltering.Denoise, order 0)", Colors.C0, 1.5f);
    Finish(plot, $"Fused Lasso on a piecewise-constant signal (λ = {lambda})", "sample", "signal");
    written.Add(Save(plot, "trend_filtering_fused.png", 800, 450));
}

// 3. First against second order on one signal (a ramp, a bend and a bump): piecewise linear against piecewise quadratic.
{
    const int n = 500;
    var noise = Normal(3, n);
    var t = Enumerable.Range(0, n).Select(i => (double)i / n).ToArray();
    var truth = t.Select(v => v < 0.3 ? 2.0 * v : v < 0.6 ? 0.6 - (4.0 * (v - 0.3) * (v - 0.3)) : 0.24 + (0.5 * Math.Exp(-Math.Pow((v - 0.8) / 0.06, 2)))).ToArray();
    var observed = Vector<double>.Build.Dense(n, i => truth[i] + (0.08 * noise[i]));
    var first = TrendFiltering.Denoise(observed, 2.0, order: 1);
    var second = TrendFiltering.Denoise(observed, 20.0, order: 2);
    Console.WriteLine($"3. orders, n = {n}: RMS error observed {Rms(observed.ToArray(), truth):F4}, order 1 (λ = 2) {Rms(first.ToArray(), truth):F4}, order 2 (λ = 20) {Rms(second.ToArray(), truth):F4}");
    var plot = new Plot();
    Points(plot, t, observed.ToArray(), "observed", Colors.Gray);
    Line(plot, t, truth, "true", Colors.Black, 2, dashed: true);
    Line(plot, t, first.ToArray(), "order 1: piecewise linear", Colors.C0, 2);
    Line(plot, t, second.ToArray(), "order 2: piecewise quadratic", Colors.C3, 2);
    Finish(plot, "Trend filtering: first against second order", "t", "signal");
    written.Add(Save(plot, "trend_filtering_orders.png", 800, 450));
}

// 4. Curvature along a noisy closed contour: a rounded square |x|⁸ + |y|⁸ = 1 with a notch, 600 points, noise 0.004.
{
    const int n = 600;
    var (cx, cy) = Contour(n);
    var nx = Normal(4, n);
    var ny = Normal(5, n);
    var px = Enumerable.Range(0, n).Select(i => cx[i] + (0.004 * nx[i])).ToArray();
    var py = Enumerable.Range(0, n).Select(i => cy[i] + (0.004 * ny[i])).ToArray();
    var trueCurvature = Curvature(cx, cy, 1);
    var raw = Curvature(px, py, 3);

    // The contour is closed: filter three copies end to end and keep the middle one, so that no end effect appears.
    var tripled = Vector<double>.Build.Dense(3 * n, i => raw[i % n]);
    var clock = Stopwatch.StartNew();
    var smoothed = TrendFiltering.Denoise(tripled, 30.0, order: 1).SubVector(n, n).ToArray();
    double ms = clock.Elapsed.TotalMilliseconds;
    var peaks = Enumerable.Range(0, n).Where(i => smoothed[i] > 4.0 && smoothed[i] >= smoothed[(i + n - 1) % n] && smoothed[i] > smoothed[(i + 1) % n]).ToArray();
    Console.WriteLine($"4. contour curvature, n = {n}: trend filtering (order 1, λ = 30) in {ms:F1} ms; {peaks.Length} curvature peaks above 4 at samples {string.Join(", ", peaks)}");

    var figure = new Multiplot();
    figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
    var contour = figure.GetPlot(0);
    Points(contour, px, py, "noisy contour", Colors.Gray);
    var marks = contour.Add.ScatterPoints(peaks.Select(i => px[i]).ToArray(), peaks.Select(i => py[i]).ToArray(), Colors.Red);
    marks.MarkerSize = 12;
    marks.LegendText = "curvature peaks";
    contour.Axes.SquareUnits();
    Finish(contour, "A noisy closed contour", "x", "y");
    figure.AddPlot(new Plot());
    var curves = figure.GetPlot(1);
    var index = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
    Line(curves, index, raw, "curvature of the noisy points", Colors.Gray, 1);
    Line(curves, index, trueCurvature, "true curvature", Colors.Black, 2, dashed: true);
    Line(curves, index, smoothed, "smoothed by trend filtering", Colors.C0, 2);
    var peakMarks = curves.Add.ScatterPoints(peaks.Select(i => (double)i).ToArray(), peaks.Select(i => smoothed[i]).ToArray(), Colors.Red);
    peakMarks.MarkerSize = 10;
    curves.Axes.SetLimitsY(-10, 25);
    Finish(curves, "Curvature along the contour", "point along the contour", "curvature");
    string path = Path.Combine(outputFolder, "trend_filtering_contour.png");
    figure.SavePng(path, 1400, 560);
    written.Add(path);
}

// 5. Outliers: LassoPrimalDual minimises ‖Du‖₁ + α‖u − y‖₁ (L1 data term) and leaves the outliers out; the squared-loss
//    fused Lasso (½‖u − y‖² + λ‖Du‖₁) is pulled towards them.
{
    const int n = 400;
    var noise = Normal(6, n);
    var rng = new Random(7);
    var truth = Enumerable.Range(0, n).Select(i => i < 100 ? 0.0 : i < 250 ? 1.0 : i < 320 ? -0.5 : 0.5).ToArray();
    var observed = Vector<double>.Build.Dense(n, i => truth[i] + (0.1 * noise[i]));
    var outliers = Enumerable.Range(0, 20).Select(_ => rng.Next(n)).Distinct().ToArray();
    foreach (int i in outliers)
    {
        observed[i] += (rng.NextDouble() < 0.5 ? -1.0 : 1.0) * (2.0 + (2.0 * rng.NextDouble()));
    }

    var clock = Stopwatch.StartNew();
    var robust = new LassoPrimalDual { Filter = [1.0, -1.0], Alpha = 0.5, MaxIterations = 20_000, Tolerance = 1e-6 }.Fit(observed);
    double robustMs = clock.Elapsed.TotalMilliseconds;
    var squared = TrendFiltering.Denoise(observed, 2.0, order: 0);
    Console.WriteLine($"5. outliers ({outliers.Length} of {n}): LassoPrimalDual (L1 data, α = 0.5) {robust.Iterations} iterations, converged {robust.Converged}, {robustMs:F0} ms, RMS error {Rms(robust.Coefficients.ToArray(), truth):F3}; squared-loss fused Lasso (λ = 2) RMS error {Rms(squared.ToArray(), truth):F3}");
    var x = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
    var plot = new Plot();
    Points(plot, x, observed.ToArray(), "observed (with outliers)", Colors.Gray);
    Line(plot, x, truth, "true", Colors.Black, 2, dashed: true);
    Line(plot, x, squared.ToArray(), "squared loss: fused Lasso (λ = 2)", Colors.C1, 2);
    Line(plot, x, robust.Coefficients.ToArray(), "L1 loss: LassoPrimalDual, filter [1, −1] (α = 0.5)", Colors.C0, 2);
    plot.Axes.SetLimitsY(-4.5, 4.5);
    Finish(plot, "A signal with outliers: L1 against squared data term", "sample", "signal");
    written.Add(Save(plot, "trend_filtering_outliers.png", 800, 450));
}

foreach (string path in written)
{
    Console.WriteLine($"wrote {path}");
}

// A rounded square |x|⁸ + |y|⁸ = 1 (corners of high curvature) with a shallow notch on its right side, sampled at n
// points evenly spaced in angle.
static (double[] X, double[] Y) Contour(int n)
{
    var x = new double[n];
    var y = new double[n];
    for (int i = 0; i < n; i++)
    {
        double theta = 2.0 * Math.PI * i / n;
        double c = Math.Cos(theta), s = Math.Sin(theta);
        double r = 1.0 / Math.Pow(Math.Pow(Math.Abs(c), 8) + Math.Pow(Math.Abs(s), 8), 0.125);
        double angle = Math.Atan2(Math.Sin(theta), Math.Cos(theta));
        r -= 0.12 * Math.Exp(-Math.Pow(angle / 0.12, 2));
        x[i] = r * c;
        y[i] = r * s;
    }

    return (x, y);
}

// The curvature at each point of a closed polygon: the turning angle between the chords to the points `step` before and
// after, over the mean of their lengths.
static double[] Curvature(double[] x, double[] y, int step)
{
    int n = x.Length;
    var kappa = new double[n];
    for (int i = 0; i < n; i++)
    {
        int a = (i + n - step) % n, b = (i + step) % n;
        double ux = x[i] - x[a], uy = y[i] - y[a], vx = x[b] - x[i], vy = y[b] - y[i];
        double turn = Math.Atan2((ux * vy) - (uy * vx), (ux * vx) + (uy * vy));
        kappa[i] = turn / (0.5 * (Math.Sqrt((ux * ux) + (uy * uy)) + Math.Sqrt((vx * vx) + (vy * vy))));
    }

    return kappa;
}

static double[] Normal(int seed, int n)
{
    var rng = new Random(seed);
    return Enumerable.Range(0, n).Select(_ => Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble())).ToArray();
}

static double Rms(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (u, v) => (u - v) * (u - v)).Average());

static int Pieces(double[] v) => 1 + Enumerable.Range(1, v.Length - 1).Count(i => Math.Abs(v[i] - v[i - 1]) > 1e-9);

static void Points(Plot plot, double[] x, double[] y, string label, Color color)
{
    var points = plot.Add.ScatterPoints(x, y, color);
    points.MarkerSize = 4;
    points.LegendText = label;
}

static void Line(Plot plot, double[] x, double[] y, string label, Color color, float width, bool dashed = false)
{
    var line = plot.Add.ScatterLine(x, y, color);
    line.LineWidth = width;
    line.LegendText = label;
    if (dashed)
    {
        line.LinePattern = LinePattern.Dashed;
    }
}

static void Finish(Plot plot, string title, string xLabel, string yLabel)
{
    plot.Title(title);
    plot.XLabel(xLabel);
    plot.YLabel(yLabel);
    plot.ShowLegend(Alignment.UpperRight);
}

string Save(Plot plot, string name, int width, int height)
{
    string path = Path.Combine(outputFolder, name);
    plot.SavePng(path, width, height);
    return path;
}

static string SampleFolder()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "TrendFiltering.csproj")))
        {
            return folder.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
