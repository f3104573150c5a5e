// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearAlgebra;

/// <summary>
/// The R factor of a tall matrix by Householder reflections on row blocks, in parallel, then on the stacked block
/// factors (TSQR: Demmel, Grigori, Hoemmen and Langou, "Communication-optimal parallel and sequential QR and LU
/// factorizations", SIAM J. Sci. Comput. 34(1), 2012). Q is not formed. Householder QR is backward stable, so the
/// singular values and right singular vectors of R are those of the matrix to rounding relative to its norm: a tall
/// n×m matrix reduces to an m×m one before an SVD, at O(n·m²) cost in cache-sized blocks.
/// </summary>
internal static class TallSkinnyQr
{
    /// <summary>Rows per block (at least 2m): a block of 64 columns is 1 MiB, about what a core's L2 cache holds.</summary>
    private const int BlockRows = 2048;

    /// <summary>
    /// R (min(n, m) × m, column-major, upper triangular or trapezoidal) with A = QR for the column-major n×m
    /// <paramref name="a"/>, which is overwritten. Blocks depend only on the shape, so the result does not depend on
    /// the number of threads.
    /// </summary>
    public static double[] R(double[] a, int n, int m)
    {
        int rowsPerBlock = Math.Max(BlockRows, 2 * m);
        int blocks = Math.Max(1, n / rowsPerBlock);
        var starts = new int[blocks + 1];
        var offsets = new int[blocks + 1];
        for (int b = 0; b <= blocks; b++)
        {
            starts[b] = (int)((long)n * b / blocks);
        }

        for (int b = 0; b < blocks; b++)
        {
            offsets[b + 1] = offsets[b] + Math.Min(m, starts[b + 1] - starts[b]);
        }

        int stackedRows = offsets[blocks];
        var stacked = new double[stackedRows * m];
        Parallelism.For(blocks, b =>
        {
            int r0 = starts[b], rows = starts[b + 1] - r0;
            Factor(a, n, r0, rows, m);
            for (int k = 0; k < m; k++)
            {
                int top = Math.Min(k + 1, rows);
                a.AsSpan((k * n) + r0, top).CopyTo(stacked.AsSpan((k * stackedRows) + offsets[b], top));
            }
        });

        return blocks == 1 ? stacked : R(stacked, stackedRows, m);
    }

    /// <summary>
    /// Householder QR in place of the rows r0 … r0 + rows − 1 of the column-major matrix <paramref name="a"/> (leading
    /// dimension <paramref name="ld"/>, <paramref name="m"/> columns): on return R is on and above the block's diagonal
    /// (the reflectors below it are not needed). Reflectors as LAPACK's dlarfg: β = −sign(α)·‖x‖, τ = (β − α)/β.
    /// </summary>
    private static void Factor(double[] a, int ld, int r0, int rows, int m)
    {
        int steps = Math.Min(rows, m);
        for (int k = 0; k < steps; k++)
        {
            var x = a.AsSpan((k * ld) + r0 + k, rows - k);
            double norm = Kernels.Nrm2(x);
            if (norm == 0.0)
            {
                continue;
            }

            double alpha = x[0];
            double beta = alpha >= 0.0 ? -norm : norm;
            double tau = (beta - alpha) / beta;
            var v = x[1..];
            Kernels.Scal(1.0 / (alpha - beta), v);
            x[0] = beta;
            for (int j = k + 1; j < m; j++)
            {
                var y = a.AsSpan((j * ld) + r0 + k, rows - k);
                double w = tau * (y[0] + Kernels.Dot(v, y[1..]));
                y[0] -= w;
                Kernels.Axpy(-w, v, y[1..]);
            }
        }
    }
}
