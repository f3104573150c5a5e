// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearAlgebra;

/// <summary>
/// The leading k singular triplets of a dense matrix, deterministic and accurate to about 1e-12
/// relative to the largest singular value, without a full SVD: subspace iteration with Rayleigh–Ritz
/// projection (Saad, "Numerical Methods for Large Eigenvalue Problems", 2nd ed., SIAM 2011, ch. 5)
/// on the smaller Gram matrix (XᵀX or XXᵀ) from a fixed start, run until the Ritz residuals of the
/// wanted pairs reach rounding level; then the one-sided Jacobi SVD (Hestenes 1958) of X projected
/// onto the converged subspace, so that small singular values are as accurate as X itself allows
/// (the square root of a Gram eigenvalue would lose half the digits).
/// </summary>
internal static class TruncatedSvd
{
    private const int Oversampling = 10;
    private const int MaxIterations = 1000;
    private const double ResidualTolerance = 1e-13;

    /// <summary>
    /// X ≈ U·diag(S)·Vᵀ for the column-major <paramref name="rows"/>×<paramref name="cols"/> matrix
    /// <paramref name="x"/>: U is rows×k, V is cols×k (both column-major, orthonormal columns), S
    /// descending. Requires 1 ≤ k ≤ min(rows, cols).
    /// </summary>
    public static (double[] U, double[] S, double[] V) Compute(ReadOnlySpan<double> x, int rows, int cols, int k)
    {
        bool rightSide = cols <= rows;
        int d = rightSide ? cols : rows;
        int p = Math.Min(d, k + Oversampling);
        var g = new double[d * d];
        if (rightSide)
        {
            Gram.Compute(rows, cols, x, rows, g);
        }
        else
        {
            Gemm.Multiply(false, true, rows, rows, cols, 1.0, x, rows, x, rows, 0.0, g, rows);
        }

        var q = Subspace(g, d, p, k);

        // B = X·V (right side) or Xᵀ·U (left side), d' × k; its one-sided Jacobi SVD gives both factors.
        int other = rightSide ? rows : cols;
        var b = new double[other * k];
        var basis = new double[d * k];
        Array.Copy(q, basis, d * k);
        if (rightSide)
        {
            Gemm.Multiply(false, false, rows, k, cols, 1.0, x, rows, basis, cols, 0.0, b, rows);
        }
        else
        {
            Gemm.Multiply(true, false, cols, k, rows, 1.0, x, rows, basis, rows, 0.0, b, cols);
        }

        var s = OneSidedJacobi(b, other, basis, d, k);
        return rightSide ? (b, s, basis) : (basis, s, b);
    }

    /// <summary>Orthonormal d×p basis whose first k columns are the leading eigenvectors of the symmetric g.</summary>
    private static double[] Subspace(double[] g, int d, int p, int k)
    {
        var q = new double[d * p];
        var rng = new SplitMix64(0x5EED_5EEDUL);
        rng.FillNormal(q);
        Orthonormalize(q, d, p);
        var z = new double[d * p];
        var t = new double[p * p];
        var vectors = new double[p * p];
        var values = new double[p];
        var qe = new double[d * p];
        var ze = new double[d * p];
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            Gemm.Multiply(false, false, d, p, d, 1.0, g, d, q, d, 0.0, z, d);
            Gemm.Multiply(true, false, p, p, d, 1.0, q, d, z, d, 0.0, t, p);
            SymmetricJacobi(t, p, values, vectors);
            Gemm.Multiply(false, false, d, p, p, 1.0, q, d, vectors, p, 0.0, qe, d);
            Gemm.Multiply(false, false, d, p, p, 1.0, z, d, vectors, p, 0.0, ze, d);
            double scale = Math.Max(Math.Abs(values[0]), double.Epsilon);
            double worst = 0.0;
            for (int j = 0; j < k; j++)
            {
                double r = 0.0;
                for (int i = 0; i < d; i++)
                {
                    double e = ze[i + (j * d)] - (values[j] * qe[i + (j * d)]);
                    r += e * e;
                }

                worst = Math.Max(worst, Math.Sqrt(r));
            }

            if (worst <= ResidualTolerance * scale || p == d)
            {
                return qe;
            }

            Array.Copy(ze, q, d * p);
            Orthonormalize(q, d, p);
        }

        return qe;
    }

    /// <summary>Modified Gram–Schmidt, twice (“twice is enough”); a column that vanishes is replaced by a unit vector orthogonal to the rest.</summary>
    private static void Orthonormalize(double[] q, int d, int p)
    {
        for (int j = 0; j < p; j++)
        {
            var cj = q.AsSpan(j * d, d);
            double before = Kernels.Nrm2(cj);
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < j; i++)
                {
                    var ci = q.AsSpan(i * d, d);
                    Kernels.Axpy(-Kernels.Dot(ci, cj), ci, cj);
                }
            }

            double norm = Kernels.Nrm2(cj);
            if (!(norm > 1e-10 * before) || norm == 0.0)
            {
                // Deflated: restart from coordinate vectors until one survives.
                for (int e = 0; e < d; e++)
                {
                    cj.Clear();
                    cj[(e + j) % d] = 1.0;
                    for (int pass = 0; pass < 2; pass++)
                    {
                        for (int i = 0; i < j; i++)
                        {
                            var ci = q.AsSpan(i * d, d);
                            Kernels.Axpy(-Kernels.Dot(ci, cj), ci, cj);
                        }
                    }

                    norm = Kernels.Nrm2(cj);
                    if (norm > 0.5)
                    {
                        break;
                    }
                }
            }

            Kernels.Scal(1.0 / norm, cj);
        }
    }

    /// <summary>Eigen-decomposition of the small symmetric p×p matrix a (destroyed) by cyclic Jacobi; values descending, vectors in columns.</summary>
    private static void SymmetricJacobi(double[] a, int p, double[] values, double[] vectors)
    {
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double m = 0.5 * (a[i + (j * p)] + a[j + (i * p)]);
                a[i + (j * p)] = m;
                a[j + (i * p)] = m;
            }
        }

        var v = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            v[i + (i * p)] = 1.0;
        }

        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0.0, diag = 0.0;
            for (int j = 0; j < p; j++)
            {
                diag += a[j + (j * p)] * a[j + (j * p)];
                for (int i = 0; i < j; i++)
                {
                    off += a[i + (j * p)] * a[i + (j * p)];
                }
            }

            if (off <= 1e-34 * diag || off == 0.0)
            {
                break;
            }

            for (int r = 0; r < p - 1; r++)
            {
                for (int c = r + 1; c < p; c++)
                {
                    double arc = a[r + (c * p)];
                    if (arc == 0.0)
                    {
                        continue;
                    }

                    double theta = (a[c + (c * p)] - a[r + (r * p)]) / (2.0 * arc);
                    double t = Math.Sign(theta == 0.0 ? 1.0 : theta) / (Math.Abs(theta) + Math.Sqrt(1.0 + (theta * theta)));
                    double cs = 1.0 / Math.Sqrt(1.0 + (t * t));
                    double sn = t * cs;
                    for (int i = 0; i < p; i++)
                    {
                        double air = a[i + (r * p)], aic = a[i + (c * p)];
                        a[i + (r * p)] = (cs * air) - (sn * aic);
                        a[i + (c * p)] = (sn * air) + (cs * aic);
                    }

                    for (int i = 0; i < p; i++)
                    {
                        double ari = a[r + (i * p)], aci = a[c + (i * p)];
                        a[r + (i * p)] = (cs * ari) - (sn * aci);
                        a[c + (i * p)] = (sn * ari) + (cs * aci);
                    }

                    for (int i = 0; i < p; i++)
                    {
                        double vir = v[i + (r * p)], vic = v[i + (c * p)];
                        v[i + (r * p)] = (cs * vir) - (sn * vic);
                        v[i + (c * p)] = (sn * vir) + (cs * vic);
                    }
                }
            }
        }

        var order = Enumerable.Range(0, p).OrderByDescending(i => a[i + (i * p)]).ThenBy(i => i).ToArray();
        for (int j = 0; j < p; j++)
        {
            values[j] = a[order[j] + (order[j] * p)];
            Array.Copy(v, order[j] * p, vectors, j * p, p);
        }
    }

    /// <summary>
    /// Orthogonalises the columns of the m×k matrix b by plane rotations, applying the same rotations
    /// to the columns of the d×k matrix basis; on return b's columns are σᵢ·uᵢ normalised to uᵢ, sorted
    /// by descending σ (returned).
    /// </summary>
    private static double[] OneSidedJacobi(double[] b, int m, double[] basis, int d, int k)
    {
        for (int sweep = 0; sweep < 100; sweep++)
        {
            bool rotated = false;
            for (int i = 0; i < k - 1; i++)
            {
                for (int j = i + 1; j < k; j++)
                {
                    var bi = b.AsSpan(i * m, m);
                    var bj = b.AsSpan(j * m, m);
                    double alpha = Kernels.SquaredNorm(bi);
                    double beta = Kernels.SquaredNorm(bj);
                    double gamma = Kernels.Dot(bi, bj);
                    if (gamma == 0.0 || Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta))
                    {
                        continue;
                    }

                    rotated = true;
                    double zeta = (beta - alpha) / (2.0 * gamma);
                    double t = Math.Sign(zeta == 0.0 ? 1.0 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1.0 + (zeta * zeta)));
                    double cs = 1.0 / Math.Sqrt(1.0 + (t * t));
                    double sn = cs * t;
                    Rotate(bi, bj, cs, sn);
                    Rotate(basis.AsSpan(i * d, d), basis.AsSpan(j * d, d), cs, sn);
                }
            }

            if (!rotated)
            {
                break;
            }
        }

        var sigma = new double[k];
        for (int j = 0; j < k; j++)
        {
            sigma[j] = Kernels.Nrm2(b.AsSpan(j * m, m));
        }

        var order = Enumerable.Range(0, k).OrderByDescending(j => sigma[j]).ThenBy(j => j).ToArray();
        var bs = (double[])b.Clone();
        var vs = (double[])basis.Clone();
        var s = new double[k];
        for (int j = 0; j < k; j++)
        {
            int o = order[j];
            s[j] = sigma[o];
            Array.Copy(vs, o * d, basis, j * d, d);
            var column = b.AsSpan(j * m, m);
            bs.AsSpan(o * m, m).CopyTo(column);
            if (s[j] > 0.0)
            {
                Kernels.Scal(1.0 / s[j], column);
            }
        }

        return s;
    }

    private static void Rotate(Span<double> x, Span<double> y, double cs, double sn)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i], yi = y[i];
            x[i] = (cs * xi) - (sn * yi);
            y[i] = (sn * xi) + (cs * yi);
        }
    }
}
