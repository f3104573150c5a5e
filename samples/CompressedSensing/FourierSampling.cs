// SPDX-License-Identifier: BSD-3-Clause
using System.Numerics;
using MathNet.Numerics.IntegralTransforms;
using SparseModeling.LinearAlgebra;

namespace CompressedSensing;

/// <summary>
/// Undersampled k-space as a linear operator: A·x keeps the chosen lines (rows ky) of the unitary 2-D discrete Fourier
/// transform of a real image x (MathNet's FFT with symmetric scaling), as the real parts of all kept coefficients followed
/// by their imaginary parts; Aᵀ puts measurements back on their lines, zeros elsewhere, and takes the real part of the
/// inverse transform (the zero-filled reconstruction). The transform is unitary, so ‖A‖ ≤ 1.
/// </summary>
/// <remarks>The image is stored column by column (pixel (i, j) at i + j·size), as a MathNet matrix stores it.</remarks>
internal sealed class FourierSampling : ILinearOperator
{
    private readonly int _size;
    private readonly int[] _lines;

    /// <summary>An operator keeping <paramref name="lines"/> (distinct row indices of k-space) of a size×size image.</summary>
    public FourierSampling(int size, IEnumerable<int> lines)
    {
        _size = size;
        _lines = [.. lines.Order()];
    }

    /// <summary>The kept lines, ascending.</summary>
    public IReadOnlyList<int> Lines => _lines;

    /// <inheritdoc />
    public int RowCount => 2 * _lines.Length * _size;

    /// <inheritdoc />
    public int ColumnCount => _size * _size;

    /// <summary>
    /// The lines kept at a given fraction: every line within <paramref name="centralFraction"/>/2 of the zero frequency
    /// (the low frequencies that hold most of the energy), the rest drawn at random without replacement.
    /// </summary>
    public static FourierSampling Random(int size, double fraction, double centralFraction, int seed)
    {
        int total = (int)Math.Round(fraction * size);
        int half = (int)Math.Round(centralFraction * size / 2.0);
        var kept = new HashSet<int>();
        for (int k = -half; k <= half; k++)
        {
            kept.Add(((k % size) + size) % size);
        }

        var rng = new Random(seed);
        var others = Enumerable.Range(0, size).Where(line => !kept.Contains(line)).OrderBy(_ => rng.Next()).ToArray();
        foreach (int line in others.Take(Math.Max(0, total - kept.Count)))
        {
            kept.Add(line);
        }

        return new FourierSampling(size, kept);
    }

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        int n = _size, half = _lines.Length * n;
        var spectrum = new Complex[n * n];
        for (int p = 0; p < spectrum.Length; p++)
        {
            spectrum[p] = x[p];
        }

        Transform2D(spectrum, n, inverse: false);
        for (int l = 0; l < _lines.Length; l++)
        {
            for (int j = 0; j < n; j++)
            {
                var value = spectrum[_lines[l] + (j * n)];
                y[(l * n) + j] = value.Real;
                y[half + (l * n) + j] = value.Imaginary;
            }
        }
    }

    /// <summary>
    /// The unitary 2-D transform of a column-major n×n array in place, as 1-D transforms of every column and then of every
    /// row (MathNet's managed provider has no multidimensional transform).
    /// </summary>
    private static void Transform2D(Complex[] data, int n, bool inverse)
    {
        var line = new Complex[n];
        for (int j = 0; j < n; j++)
        {
            var column = data.AsSpan(j * n, n);
            column.CopyTo(line);
            Transform(line, inverse);
            line.CopyTo(column);
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                line[j] = data[i + (j * n)];
            }

            Transform(line, inverse);
            for (int j = 0; j < n; j++)
            {
                data[i + (j * n)] = line[j];
            }
        }
    }

    private static void Transform(Complex[] line, bool inverse)
    {
        if (inverse)
        {
            Fourier.Inverse(line, FourierOptions.Default);
        }
        else
        {
            Fourier.Forward(line, FourierOptions.Default);
        }
    }

    /// <inheritdoc />
    public void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x)
    {
        int n = _size, half = _lines.Length * n;
        var spectrum = new Complex[n * n];
        for (int l = 0; l < _lines.Length; l++)
        {
            for (int j = 0; j < n; j++)
            {
                spectrum[_lines[l] + (j * n)] = new Complex(y[(l * n) + j], y[half + (l * n) + j]);
            }
        }

        Transform2D(spectrum, n, inverse: true);
        for (int p = 0; p < spectrum.Length; p++)
        {
            x[p] = spectrum[p].Real;
        }
    }
}
