// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace Inpainting;

/// <summary>
/// The classical baseline: biharmonic inpainting (as scikit-image's <c>inpaint_biharmonic</c>). The missing pixels u solve
/// Δ²u = 0 with the observed pixels fixed, Δ the 5-point Laplacian with mirrored (Neumann) borders. Written as the
/// minimiser of ‖Δu‖² over the missing pixels, the system (Δ²)_UU·u_U = −(Δ²)_UK·u_K is symmetric positive definite and is
/// solved by conjugate gradients with a Jacobi preconditioner, matrix-free. In the interior the equations are
/// scikit-image's (its 13-point stencil is Δ∘Δ); only the rows within two pixels of the border differ slightly.
/// </summary>
internal static class Biharmonic
{
    /// <summary>The image with its missing pixels (mask 0) filled.</summary>
    public static Matrix<double> Inpaint(Matrix<double> image, Matrix<double> mask, double relativeTolerance = 1e-8, int maxIterations = 5000)
    {
        int h = image.RowCount, w = image.ColumnCount, n = h * w;
        var known = new double[n];
        var missing = new List<int>();
        for (int i = 0; i < h; i++)
        {
            for (int j = 0; j < w; j++)
            {
                if (mask[i, j] == 1.0)
                {
                    known[(i * w) + j] = image[i, j];
                }
                else
                {
                    missing.Add((i * w) + j);
                }
            }
        }

        int m = missing.Count;
        var full = new double[n];
        var lap = new double[n];
        var lap2 = new double[n];

        // b = −(Δ² u_K) on the missing pixels.
        Laplacian(known, lap, h, w);
        Laplacian(lap, lap2, h, w);
        var b = new double[m];
        var diagonal = new double[m];
        for (int k = 0; k < m; k++)
        {
            b[k] = -lap2[missing[k]];
            int p = missing[k], i = p / w, j = p % w;
            double degree = Degree(i, j, h, w);
            double sum = degree * degree;
            foreach (var (ni, nj) in Neighbours(i, j, h, w))
            {
                sum += 1.0;
            }

            diagonal[k] = sum;
        }

        // Preconditioned conjugate gradients on A = (Δ²)_UU from u_U = 0.
        var x = new double[m];
        var r = (double[])b.Clone();
        var z = new double[m];
        var d = new double[m];
        var ad = new double[m];
        for (int k = 0; k < m; k++)
        {
            z[k] = r[k] / diagonal[k];
        }

        z.CopyTo(d, 0);
        double rz = Dot(r, z), bNorm = Math.Sqrt(Dot(b, b));
        for (int iteration = 0; iteration < maxIterations && Math.Sqrt(Dot(r, r)) > relativeTolerance * bNorm; iteration++)
        {
            Array.Clear(full);
            for (int k = 0; k < m; k++)
            {
                full[missing[k]] = d[k];
            }

            Laplacian(full, lap, h, w);
            Laplacian(lap, lap2, h, w);
            for (int k = 0; k < m; k++)
            {
                ad[k] = lap2[missing[k]];
            }

            double alpha = rz / Dot(d, ad);
            for (int k = 0; k < m; k++)
            {
                x[k] += alpha * d[k];
                r[k] -= alpha * ad[k];
                z[k] = r[k] / diagonal[k];
            }

            double next = Dot(r, z);
            double beta = next / rz;
            rz = next;
            for (int k = 0; k < m; k++)
            {
                d[k] = z[k] + (beta * d[k]);
            }
        }

        var result = image.Clone();
        for (int k = 0; k < m; k++)
        {
            result[missing[k] / w, missing[k] % w] = x[k];
        }

        return result;
    }

    // (Δu)(p) = Σ over the neighbours q of p inside the image of (u_q − u_p): symmetric, so Δ² = ΔᵀΔ.
    private static void Laplacian(double[] u, double[] result, int h, int w)
    {
        for (int i = 0; i < h; i++)
        {
            for (int j = 0; j < w; j++)
            {
                int p = (i * w) + j;
                double c = u[p], sum = 0.0;
                if (i > 0)
                {
                    sum += u[p - w] - c;
                }

                if (i < h - 1)
                {
                    sum += u[p + w] - c;
                }

                if (j > 0)
                {
                    sum += u[p - 1] - c;
                }

                if (j < w - 1)
                {
                    sum += u[p + 1] - c;
                }

                result[p] = sum;
            }
        }
    }

    private static int Degree(int i, int j, int h, int w) => (i > 0 ? 1 : 0) + (i < h - 1 ? 1 : 0) + (j > 0 ? 1 : 0) + (j < w - 1 ? 1 : 0);

    private static IEnumerable<(int I, int J)> Neighbours(int i, int j, int h, int w)
    {
        if (i > 0)
        {
            yield return (i - 1, j);
        }

        if (i < h - 1)
        {
            yield return (i + 1, j);
        }

        if (j > 0)
        {
            yield return (i, j - 1);
        }

        if (j < w - 1)
        {
            yield return (i, j + 1);
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0.0;
        for (int k = 0; k < a.Length; k++)
        {
            sum += a[k] * b[k];
        }

        return sum;
    }
}
