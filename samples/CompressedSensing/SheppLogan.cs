// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace CompressedSensing;

/// <summary>
/// The Shepp–Logan head phantom (L. A. Shepp and B. F. Logan, "The Fourier reconstruction of a head section", IEEE Trans.
/// Nucl. Sci. 21(3), 1974) with the higher-contrast intensities of P. Toft's modified version (the one scikit-image's
/// <c>shepp_logan_phantom</c> draws): ten ellipses whose intensities add up, values in [0, 1].
/// </summary>
internal static class SheppLogan
{
    /// <summary>Intensity, semi-axes a and b, centre (x, y) and rotation in degrees, on the square [−1, 1]² (y up).</summary>
    private static readonly (double Intensity, double A, double B, double X, double Y, double Degrees)[] Ellipses =
    [
        (1.0, 0.69, 0.92, 0.0, 0.0, 0.0),
        (-0.8, 0.6624, 0.874, 0.0, -0.0184, 0.0),
        (-0.2, 0.11, 0.31, 0.22, 0.0, -18.0),
        (-0.2, 0.16, 0.41, -0.22, 0.0, 18.0),
        (0.1, 0.21, 0.25, 0.0, 0.35, 0.0),
        (0.1, 0.046, 0.046, 0.0, 0.1, 0.0),
        (0.1, 0.046, 0.046, 0.0, -0.1, 0.0),
        (0.1, 0.046, 0.023, -0.08, -0.605, 0.0),
        (0.1, 0.023, 0.023, 0.0, -0.606, 0.0),
        (0.1, 0.023, 0.046, 0.06, -0.605, 0.0),
    ];

    /// <summary>The phantom on a <paramref name="size"/>×<paramref name="size"/> grid of pixel centres.</summary>
    public static Matrix<double> Generate(int size) => Matrix<double>.Build.Dense(size, size, (i, j) =>
    {
        double x = ((2.0 * j) + 1.0 - size) / size;
        double y = (size - 1.0 - (2.0 * i)) / size;
        double value = 0.0;
        foreach (var (intensity, a, b, x0, y0, degrees) in Ellipses)
        {
            double angle = degrees * Math.PI / 180.0;
            double u = ((x - x0) * Math.Cos(angle)) + ((y - y0) * Math.Sin(angle));
            double v = (-(x - x0) * Math.Sin(angle)) + ((y - y0) * Math.Cos(angle));
            if (((u * u) / (a * a)) + ((v * v) / (b * b)) <= 1.0)
            {
                value += intensity;
            }
        }

        return Math.Clamp(value, 0.0, 1.0);
    });
}
