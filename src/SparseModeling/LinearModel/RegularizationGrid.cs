// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;

namespace SparseModeling.LinearModel;

/// <summary>The α grids of the path estimators (<see cref="LassoPath"/>, <see cref="AdmmPath"/>, <see cref="LassoCV"/>).</summary>
internal static class RegularizationGrid
{
    /// <summary>numpy's <c>finfo(float64).resolution</c>: scikit-learn's grid when α_max vanishes.</summary>
    private const double Resolution = 1e-15;

    /// <summary>
    /// scikit-learn's <c>_alpha_grid</c> from α_max: <c>numpy.logspace(log10(ε·α_max), log10(α_max), count)</c>
    /// in decreasing order (the first value is α_max itself); all <c>1e-15</c> when α_max ≤ 1e-15
    /// (y orthogonal to every feature: the whole path is zero).
    /// </summary>
    public static double[] LogSpaced(double alphaMax, int count, double epsilon)
    {
        var grid = new double[count];
        if (!(alphaMax > Resolution))
        {
            Array.Fill(grid, Resolution);
            return grid;
        }

        double lo = Math.Log10(alphaMax * epsilon), hi = Math.Log10(alphaMax);
        double step = count == 1 ? 0.0 : (hi - lo) / (count - 1);
        for (int i = 0; i < count; i++)
        {
            double exponent = i == count - 1 ? hi : lo + (i * step);
            grid[count - 1 - i] = Math.Pow(10.0, exponent);
        }

        return grid;
    }

    /// <summary>
    /// A copy of user-given α values sorted in decreasing order; <see cref="ArgumentException"/> when
    /// empty, <see cref="ArgumentOutOfRangeException"/> naming the index for a negative or non-finite value.
    /// </summary>
    public static double[] Checked(IEnumerable<double> alphas, string name)
    {
        var grid = alphas.ToArray();
        if (grid.Length == 0)
        {
            throw new ArgumentException($"{name} is empty; give at least one value or null for the default grid.", name);
        }

        for (int k = 0; k < grid.Length; k++)
        {
            if (!(grid[k] >= 0.0) || double.IsPositiveInfinity(grid[k]))
            {
                throw Guard.OutOfRange(name, $"{name} must be finite and ≥ 0 but has {grid[k].ToString("R", CultureInfo.InvariantCulture)} at index {k}.");
            }
        }

        Array.Sort(grid, (a, b) => b.CompareTo(a));
        return grid;
    }
}
