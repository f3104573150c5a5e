// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using ScottPlot;
using SkiaSharp;

namespace NmfLearning;

/// <summary>One factorisation of the image for the comparison figure.</summary>
/// <param name="Title">The divergence's name, e.g. "Kullback–Leibler (β = 1)".</param>
/// <param name="Reconstruction">W·H.</param>
/// <param name="Error">The estimator's reconstruction error.</param>
/// <param name="Divergence">The divergence after each iteration, as the callback reported it.</param>
internal sealed record ImageFactorisation(string Title, Matrix<double> Reconstruction, double Error, IReadOnlyList<double> Divergence);

/// <summary>The sample's pictures, drawn with ScottPlot.</summary>
internal static class Figures
{
    private static readonly Color[] SeriesColors = [Colors.C0, Colors.C1, Colors.C2, Colors.C3];

    /// <summary>
    /// The original image and its reconstructions in the top row; the learning curves and the residual
    /// X − W·H of each reconstruction in the bottom row.
    /// </summary>
    public static void SaveImageComparison(string path, Matrix<double> original, IReadOnlyList<ImageFactorisation> fits, int components)
    {
        int columns = fits.Count + 1;
        var figure = new Multiplot();
        figure.AddPlots(2 * columns); // makes 2 × columns plots in all
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(2, columns);

        var range = new ScottPlot.Range(original.Enumerate().Min(), original.Enumerate().Max());
        Image(figure.GetPlot(0), original, $"Original X ({original.RowCount} × {original.ColumnCount})\nsin(0.02πi)·cos(0.04πj) + 1.01", range, new ScottPlot.Colormaps.Viridis());
        for (int f = 0; f < fits.Count; f++)
        {
            var fit = fits[f];
            var residual = original - fit.Reconstruction;
            double relative = residual.FrobeniusNorm() / original.FrobeniusNorm();
            Image(figure.GetPlot(f + 1), fit.Reconstruction, $"{fit.Title}: W·H, K = {components}\nerror √(2D) {fit.Error:G3}, ‖X − WH‖/‖X‖ {relative:P2}", range, new ScottPlot.Colormaps.Viridis());
            double largest = Math.Max(residual.Enumerate().Max(Math.Abs), 1e-300);
            Image(figure.GetPlot(columns + f + 1), residual, $"{fit.Title}: residual X − W·H\nlargest |residual| {largest:G3}", new ScottPlot.Range(-largest, largest), new ScottPlot.Colormaps.Balance());
        }

        var curves = figure.GetPlot(columns);
        for (int f = 0; f < fits.Count; f++)
        {
            var divergence = fits[f].Divergence;
            double first = divergence[0];
            double[] iterations = [.. Enumerable.Range(1, divergence.Count).Select(i => (double)i)];
            double[] relative = [.. divergence.Select(d => Math.Log10(Math.Max(d / first, 1e-300)))];
            var line = curves.Add.ScatterLine(iterations, relative, SeriesColors[f % SeriesColors.Length]);
            line.LineWidth = 2;
            line.LegendText = fits[f].Title;
        }

        curves.Title("Learning curves (multiplicative updates)");
        curves.XLabel("iteration");
        curves.YLabel("log₁₀ (divergence / divergence after iteration 1)");
        curves.ShowLegend(Alignment.UpperRight);

        figure.SavePng(path, 520 * columns, 860);
    }

    /// <summary>
    /// One frame of the learning animation: the data points, their reconstruction W·H and the two basis
    /// vectors (rows of H) drawn from the origin, on fixed axes so that frames line up.
    /// </summary>
    public static Plot LearningFrame(Matrix<double> data, Matrix<double> w, Matrix<double> h, int iteration, double error, AxisLimits limits)
    {
        var plot = new Plot();
        var reconstruction = w * h;

        var observed = plot.Add.ScatterPoints(data.Column(0).ToArray(), data.Column(1).ToArray(), Colors.Gray);
        observed.MarkerSize = 6;
        observed.LegendText = "data X (80 noisy points on y = cos² x)";

        var fitted = plot.Add.ScatterPoints(reconstruction.Column(0).ToArray(), reconstruction.Column(1).ToArray(), Colors.C0);
        fitted.MarkerSize = 6;
        fitted.MarkerShape = MarkerShape.OpenCircle;
        fitted.LegendText = "reconstruction W·H";

        for (int k = 0; k < h.RowCount; k++)
        {
            var color = SeriesColors[(k + 1) % SeriesColors.Length];
            // W·H is unchanged when row k of H is scaled by c and column k of W by 1/c, so only the direction
            // of a basis vector means something: it is drawn with unit length.
            double length = Math.Max(Math.Sqrt((h[k, 0] * h[k, 0]) + (h[k, 1] * h[k, 1])), 1e-300);
            var tip = new Coordinates(h[k, 0] / length, h[k, 1] / length);
            // The ray through the basis vector: W·H can only reach the cone between the two rays.
            double reach = 2 * Math.Max(limits.Right, limits.Top);
            var ray = plot.Add.Line(0, 0, tip.X * reach, tip.Y * reach);
            ray.LineColor = color.WithAlpha(0.5);
            ray.LinePattern = LinePattern.Dashed;
            ray.LineWidth = 1.5f;
            var arrow = plot.Add.Arrow(new Coordinates(0, 0), tip);
            arrow.ArrowFillColor = color;
            arrow.ArrowLineColor = color;
            arrow.ArrowWidth = 3;
            arrow.ArrowheadWidth = 14;
            arrow.ArrowheadLength = 14;
            arrow.LegendText = $"basis vector h{k + 1} = row {k + 1} of H (direction)";
        }

        plot.Title($"NMF with K = 2, iteration {iteration}\nreconstruction error {error:F4}");
        plot.XLabel("x");
        plot.YLabel("y");
        plot.Axes.SetLimits(limits);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>The frame's pixels as ARGB words, row by row, for <see cref="GifWriter"/>.</summary>
    public static uint[] Pixels(Plot plot, int width, int height)
    {
        byte[] png = plot.GetImage(width, height).GetImageBytes(ImageFormat.Png);
        using var bitmap = SKBitmap.Decode(png);
        return [.. bitmap.Pixels.Select(c => (uint)c)];
    }

    /// <summary>Several frames side by side in one PNG.</summary>
    public static void SaveStrip(string path, IReadOnlyList<Plot> frames, int frameWidth, int frameHeight)
    {
        var strip = new Multiplot(frames[0]);
        foreach (var frame in frames.Skip(1))
        {
            strip.AddPlot(frame);
        }

        strip.Layout = new ScottPlot.MultiplotLayouts.Columns();
        strip.SavePng(path, frameWidth * frames.Count, frameHeight);
    }

    private static void Image(Plot plot, Matrix<double> values, string title, ScottPlot.Range range, IColormap colormap)
    {
        var heatmap = plot.Add.Heatmap(values.ToArray());
        heatmap.Colormap = colormap;
        heatmap.ManualRange = range;
        plot.Add.ColorBar(heatmap);
        plot.Axes.InvertY(); // row 0 at the top, as images are shown
        plot.Title(title);
        plot.XLabel("column j");
        plot.YLabel("row i");
    }
}
