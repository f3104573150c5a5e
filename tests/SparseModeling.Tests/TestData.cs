// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Tests;

/// <summary>Loads the data sets and scikit-learn fixtures copied into TestData/.</summary>
internal static class TestData
{
    private static readonly Lazy<(Matrix<double> X, Vector<double> Y)> DiabetesData = new(LoadDiabetes);

    private static readonly Lazy<(Matrix<double> X, int[] Labels)> DigitsData = new(LoadDigits);

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "TestData", file);

    /// <summary>The diabetes data: 442×10 features and the target.</summary>
    public static (Matrix<double> X, Vector<double> Y) Diabetes => (DiabetesData.Value.X.Clone(), DiabetesData.Value.Y.Clone());

    /// <summary>The digits: 1797 samples × 64 pixels (0–16) and their labels (0–9).</summary>
    public static (Matrix<double> X, int[] Labels) Digits => (DigitsData.Value.X.Clone(), (int[])DigitsData.Value.Labels.Clone());

    public static JsonElement Fixture(string file)
    {
        using var stream = File.OpenRead(PathOf(file));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    /// <summary>
    /// <c>sparse_regression(seed, n, p, k)</c> of ../shared/BENCHMARKS.md: X = normal_matrix(seed, n, p) (filled row by
    /// row); w[:k] = normal(k) from generator(seed + 1), the rest 0; y = X·w + 0.01·normal(n) from generator(seed + 2).
    /// </summary>
    public static (Matrix<double> X, Vector<double> Y) SparseRegression(ulong seed, int n, int p, int k)
    {
        var generator = new SplitMix64(seed);
        var data = new double[n * p];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++)
            {
                data[(j * n) + i] = generator.NextNormal();
            }
        }

        var x = Matrix<double>.Build.Dense(n, p, data);
        var head = new double[k];
        new SplitMix64(seed + 1).FillNormal(head);
        var noise = new double[n];
        new SplitMix64(seed + 2).FillNormal(noise);
        var y = (x.SubMatrix(0, n, 0, k) * Vector<double>.Build.DenseOfArray(head)) + (0.01 * Vector<double>.Build.DenseOfArray(noise));
        return (x, y);
    }

    private static (Matrix<double>, int[]) LoadDigits()
    {
        var lines = File.ReadAllLines(PathOf("digits.csv")).Skip(1).Where(l => l.Length > 0).ToArray();
        var x = Matrix<double>.Build.Dense(lines.Length, 64);
        var labels = new int[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split(',');
            for (int j = 0; j < 64; j++)
            {
                x[i, j] = double.Parse(parts[j], CultureInfo.InvariantCulture);
            }

            labels[i] = int.Parse(parts[64], CultureInfo.InvariantCulture);
        }

        return (x, labels);
    }

    private static (Matrix<double>, Vector<double>) LoadDiabetes()
    {
        var lines = File.ReadAllLines(PathOf("diabetes.csv")).Skip(1).Where(l => l.Length > 0).ToArray();
        var x = Matrix<double>.Build.Dense(lines.Length, 10);
        var y = Vector<double>.Build.Dense(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split(',');
            for (int j = 0; j < 10; j++)
            {
                x[i, j] = double.Parse(parts[j], CultureInfo.InvariantCulture);
            }

            y[i] = double.Parse(parts[10], CultureInfo.InvariantCulture);
        }

        return (x, y);
    }
}
