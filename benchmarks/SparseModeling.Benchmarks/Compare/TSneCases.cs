// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Manifold;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// t-SNE against scikit-learn's Barnes–Hut <c>TSNE</c> (perplexity 30, PCA start, learning rate 'auto', 1000 iterations):
/// the digits (quality: trustworthiness at k = 10 and the KL divergence), the shared 20,000 × 50 clusters with FFT
/// interpolation, and 100,000 × 50 clusters with <see cref="TSneMethod.Auto"/> (no reference: scikit-learn takes far too
/// long there; the case reports its peak working set).
/// </summary>
internal static class TSneCases
{
    public static IEnumerable<CompareCase> All =>
    [
        new CompareCase("tsne_digits", "SparseModeling.TSne(Auto → BarnesHut)", () =>
        {
            var x = Digits();
            var tsne = new TSne { Perplexity = 30, Init = TSneInit.Pca, RandomSeed = 0 };
            return PreparedCase.Of(
                () => tsne.FitTransform(x),
                (embedding, _) => new JsonObject
                {
                    ["trustworthiness_k10"] = Trustworthiness.Compute(x, embedding, 10),
                    ["kl_divergence"] = tsne.KlDivergence,
                    ["method"] = tsne.EffectiveMethod.ToString(),
                });
        }),
        new CompareCase("tsne_20000x50", "SparseModeling.TSne(FftInterpolation)", () =>
        {
            var x = Clusters(71, 72, 20_000);
            var tsne = new TSne { Perplexity = 30, Init = TSneInit.Pca, RandomSeed = 0, Method = TSneMethod.FftInterpolation };
            return PreparedCase.Of(
                () => tsne.FitTransform(x),
                (_, _) => new JsonObject { ["kl_divergence"] = tsne.KlDivergence });
        }),
        new CompareCase("tsne_100000x50", "SparseModeling.TSne(Auto → FftInterpolation)", () =>
        {
            var x = Clusters(171, 172, 100_000);
            var tsne = new TSne { Perplexity = 30, Init = TSneInit.Pca, RandomSeed = 0 };
            return PreparedCase.Of(
                () => tsne.FitTransform(x),
                (_, _) =>
                {
                    using var process = Process.GetCurrentProcess();
                    return new JsonObject
                    {
                        ["kl_divergence"] = tsne.KlDivergence,
                        ["method"] = tsne.EffectiveMethod.ToString(),
                        ["peak_working_set_mb"] = Math.Round(process.PeakWorkingSet64 / (1024.0 * 1024.0)),
                        ["input_mb"] = Math.Round(x.RowCount * (double)x.ColumnCount * 8 / (1024.0 * 1024.0)),
                    };
                });
        }, ReferenceSource.None),
    ];

    /// <summary>
    /// <c>tsne_20000x50</c>'s problem at any size: 10 Gaussian clusters in 50 dimensions, centres 4·normal_matrix(centreSeed, 10,
    /// 50), samples normal_matrix(sampleSeed, n, 50) plus the centre of their tenth (rows in blocks of n / 10).
    /// </summary>
    private static Matrix<double> Clusters(ulong centreSeed, ulong sampleSeed, int n)
    {
        var centres = 4.0 * BenchmarkData.NormalMatrix(centreSeed, 10, 50);
        var x = BenchmarkData.NormalMatrix(sampleSeed, n, 50);
        int block = n / 10;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 50; j++)
            {
                x[i, j] += centres[i / block, j];
            }
        }

        return x;
    }

    /// <summary>The digits (1797 × 64) from <c>../shared/data/digits.csv</c>, looked for upwards from the current directory.</summary>
    private static Matrix<double> Digits()
    {
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            string path = Path.Combine(folder.FullName, "shared", "data", "digits.csv");
            if (File.Exists(path))
            {
                var rows = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
                return Matrix<double>.Build.Dense(rows.Length, 64, (i, j) => double.Parse(rows[i][j], CultureInfo.InvariantCulture));
            }
        }

        throw new FileNotFoundException($"Could not find shared/data/digits.csv in {Directory.GetCurrentDirectory()} or any directory above it.");
    }
}
