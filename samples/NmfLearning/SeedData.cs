// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;

namespace NmfLearning;

/// <summary>The two data sets of the seed article.</summary>
internal static class SeedData
{
    /// <summary>
    /// The 100 × 200 image X[i, j] = sin(0.02πi)·cos(0.04πj) + 1, plus 0.01 so that every entry is
    /// positive and the Itakura–Saito divergence is defined (the test fixture uses the same image).
    /// </summary>
    public static Matrix<double> SinCosImage() =>
        Matrix<double>.Build.Dense(100, 200, (i, j) => (Math.Sin(0.02 * Math.PI * i) * Math.Cos(0.04 * Math.PI * j)) + 1.01);

    /// <summary>
    /// 80 points (x, y) with x evenly spaced on [0, π] and y = cos²(x) plus Gaussian noise (σ = 0.1),
    /// one point per row; y is reflected at zero (|y|) so that every entry is non-negative.
    /// </summary>
    public static Matrix<double> NoisyCosSquaredPoints(int seed)
    {
        const int Count = 80;
        var rng = new MersenneTwister(seed);
        return Matrix<double>.Build.Dense(Count, 2, (i, j) =>
        {
            double x = Math.PI * i / (Count - 1);
            return j == 0 ? x : Math.Abs((Math.Cos(x) * Math.Cos(x)) + Normal.Sample(rng, 0.0, 0.1));
        });
    }
}
