// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra.Storage;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// The leading k singular triplets of a dense matrix, deterministic, without a full SVD. Below
/// <see cref="RandomizedMinEntries"/> entries they are accurate to about 1e-12 relative to the largest
/// singular value: subspace iteration with Rayleigh–Ritz projection (Saad, "Numerical Methods for Large
/// Eigenvalue Problems", 2nd ed., SIAM 2011, ch. 5) on the smaller Gram matrix (XᵀX or XXᵀ) from a fixed
/// start, run until the Ritz residuals of the wanted pairs reach rounding level; then the one-sided
/// Jacobi SVD (Hestenes 1958) of X projected onto the converged subspace, so that small singular values
/// are as accurate as X itself allows (the square root of a Gram eigenvalue would lose half the digits).
/// On larger matrices the subspace iteration gets the cost of the randomized SVD as its budget and, when the
/// spectrum is too flat for it to converge within that, hands over to the randomized SVD (<see cref="ComputeRandomized"/>,
/// which scikit-learn's NNDSVD uses), as accurate as the spectrum's decay allows.
/// </summary>
/// <remarks>
/// Every iteration, Gram–Schmidt column and Jacobi sweep row observes the cancellation of the fit running on
/// this thread (<see cref="Parallelism.ThrowIfCancellationRequested"/>), as do the GEMM blocks.
/// </remarks>
internal static class TruncatedSvd
{
    private const int Oversampling = 10;
    private const int MaxIterations = 1000;
    private const double ResidualTolerance = 1e-13;

    /// <summary>
    /// From this many entries (512×512) the subspace iteration runs on a budget, the cost of the randomized SVD, and hands
    /// over to that when the budget is spent: on a flat spectrum the iteration to rounding level takes hundreds of
    /// iterations (seconds at 2000×1000, K = 50, against a third of a second). Below it every decomposition is exact.
    /// </summary>
    private const long RandomizedMinEntries = 1L << 18;

    /// <summary>
    /// How much slower the randomized SVD runs per multiply-add than the Gram matrix: its products are skinny (k + 10
    /// columns, half of them against Xᵀ) and re-orthonormalised after each; measured 2.6 at 2000×1000, K = 20 (142 ms for
    /// 9.6e8 multiply-adds, against 56 ms for the 1e9 of the Gram matrix).
    /// </summary>
    private const double RandomizedSlowdown = 2.5;

    /// <summary>The seed of every random start (fixed: the decomposition is deterministic).</summary>
    private const ulong Seed = 0x5EED_5EEDUL;

    /// <summary>
    /// X ≈ U·diag(S)·Vᵀ for the column-major <paramref name="rows"/>×<paramref name="cols"/> matrix
    /// <paramref name="x"/>: U is rows×k, V is cols×k (both column-major, orthonormal columns), S
    /// descending. Requires 1 ≤ k ≤ min(rows, cols).
    /// </summary>
    public static (double[] U, double[] S, double[] V) Compute(ReadOnlySpan<double> x, int rows, int cols, int k)
    {
        var (exact, budget, powerIterations) = Plan(rows, cols, k);
        if (exact)
        {
            return ComputeExact(x, rows, cols, k);
        }

        return (budget >= 1 ? TryComputeExact(x, rows, cols, k, budget) : null)
            ?? ComputeRandomized(x, rows, cols, k, powerIterations, Seed);
    }

    /// <summary>
    /// <see cref="Compute"/> of a sparse matrix, given as its compressed rows and the compressed-column copy of the same
    /// matrix, without forming it or its Gram matrix: the same choice between the subspace iteration and the randomized
    /// SVD, the same iterations and the same random starts, with every product X·Z and Xᵀ·Z taken through the sparse
    /// storage (the Gram matrix's products as Xᵀ·(X·Z) or X·(Xᵀ·Z)), so the result is that of the dense matrix to rounding.
    /// Memory: O((rows + cols)·(k + 10)).
    /// </summary>
    public static (double[] U, double[] S, double[] V) ComputeSparse(SparseCompressedRowMatrixStorage<double> x, CompressedColumns columns, int k)
    {
        int rows = x.RowCount, cols = x.ColumnCount;
        var operand = new SparseOperand(x, columns);
        var (exact, budget, powerIterations) = Plan(rows, cols, k);
        if (exact)
        {
            return TryComputeExact(operand, rows, cols, k, MaxIterations, lastIfUnconverged: true)!.Value;
        }

        return (budget >= 1 ? TryComputeExact(operand, rows, cols, k, budget) : null)
            ?? Randomized(operand, rows, cols, k, powerIterations, Seed);
    }

    /// <summary>
    /// Whether the subspace iteration runs to rounding level unconditionally, or else its iteration budget and the power
    /// iterations of the randomized SVD that takes over when the budget is spent.
    /// </summary>
    private static (bool Exact, int Budget, int PowerIterations) Plan(int rows, int cols, int k)
    {
        int d = Math.Min(rows, cols);
        if ((long)rows * cols < RandomizedMinEntries || k + Oversampling >= d)
        {
            return (true, MaxIterations, 0);
        }

        // scikit-learn's n_iter='auto': 7 power iterations for few components, 4 otherwise.
        int powerIterations = k < 0.1 * d ? 7 : 4;

        // The subspace iteration converges in a few iterations when the spectrum falls after the k-th value (NMF's
        // usual data: low rank plus noise), and is then as cheap as the randomized SVD and exact; on a flat spectrum it
        // can take hundreds. It gets the randomized SVD's cost as its budget and hands over when that is spent, so a
        // decomposition costs at most about twice the randomized one. Costs are counted in multiply-adds, the randomized
        // SVD's weighted by RandomizedSlowdown.
        double l = k + Oversampling, other = Math.Max(rows, cols);
        double randomized = RandomizedSlowdown * ((2.0 * powerIterations) + 2.0) * rows * cols * l;
        double gram = (double)d * d * other / (cols <= rows ? 2.0 : 1.0);
        double iteration = ((double)d * d * l) + (5.0 * d * l * l);
        int budget = (int)Math.Min(MaxIterations, Math.Floor((randomized - gram) / iteration));
        return (false, budget, powerIterations);
    }

    /// <summary>The subspace iteration of <see cref="Compute"/>, to rounding level (or its last iterate after the iteration limit) whatever the size.</summary>
    internal static (double[] U, double[] S, double[] V) ComputeExact(ReadOnlySpan<double> x, int rows, int cols, int k) =>
        TryComputeExact(x, rows, cols, k, MaxIterations, lastIfUnconverged: true)!.Value;

    /// <summary>The subspace iteration, or null when it has not converged within <paramref name="maxIterations"/> (unless <paramref name="lastIfUnconverged"/>).</summary>
    private static (double[] U, double[] S, double[] V)? TryComputeExact(ReadOnlySpan<double> x, int rows, int cols, int k, int maxIterations, bool lastIfUnconverged = false)
    {
        bool rightSide = cols <= rows;
        int d = rightSide ? cols : rows;
        int p = Math.Min(d, k + Oversampling);
        var g = GC.AllocateUninitializedArray<double>(d * d); // every entry written by the Gram matrix or the GEMM (β = 0)
        if (rightSide)
        {
            Gram.Compute(rows, cols, x, rows, g);
        }
        else
        {
            Gemm.Multiply(false, true, rows, rows, cols, 1.0, x, rows, x, rows, 0.0, g, rows);
        }

        var q = Subspace((qi, z) => Gemm.Multiply(false, false, d, p, d, 1.0, g, d, qi, d, 0.0, z, d), d, p, k, maxIterations, lastIfUnconverged);
        if (q is null)
        {
            return null;
        }

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

    /// <summary>The subspace iteration on sparse data: the Gram matrix applied as two sparse products, never formed.</summary>
    private static (double[] U, double[] S, double[] V)? TryComputeExact(SparseOperand x, int rows, int cols, int k, int maxIterations, bool lastIfUnconverged = false)
    {
        bool rightSide = cols <= rows;
        int d = rightSide ? cols : rows;
        int other = rightSide ? rows : cols;
        int p = Math.Min(d, k + Oversampling);
        var inner = new double[other * p];

        // G·Q = Xᵀ·(X·Q) (right side) or X·(Xᵀ·Q) (left side).
        var q = Subspace(
            (qi, z) =>
            {
                x.Times(!rightSide, qi, p, inner);
                x.Times(rightSide, inner, p, z);
            },
            d,
            p,
            k,
            maxIterations,
            lastIfUnconverged);
        if (q is null)
        {
            return null;
        }

        var b = new double[other * k];
        var basis = new double[d * k];
        Array.Copy(q, basis, d * k);
        x.Times(!rightSide, basis, k, b);
        var s = OneSidedJacobi(b, other, basis, d, k);
        return rightSide ? (b, s, basis) : (basis, s, b);
    }

    /// <summary>
    /// The randomized SVD of Halko, Martinsson and Tropp ("Finding structure with randomness", SIAM Review 53(2), 2011,
    /// algorithms 4.4 and 5.1) as scikit-learn's <c>randomized_svd</c>: an orthonormal basis Q of the range of
    /// A·Ω for a Gaussian Ω of k + 10 columns (from <see cref="SplitMix64"/>(<paramref name="seed"/>)), refined by
    /// <paramref name="powerIterations"/> power iterations A·(Aᵀ·Q), each product re-orthonormalised (QR by twice-applied
    /// Gram–Schmidt); then the exact SVD of the small Qᵀ·A. A is X, or Xᵀ when X is wide, so that the small SVD is of
    /// the shorter side. Deterministic for a given seed; accurate where the spectrum decays past the k-th value.
    /// </summary>
    internal static (double[] U, double[] S, double[] V) ComputeRandomized(ReadOnlySpan<double> x, int rows, int cols, int k, int powerIterations, ulong seed) =>
        Randomized(new DenseOperand(x, rows, cols), rows, cols, k, powerIterations, seed);

    /// <summary><see cref="ComputeRandomized"/> on any operand (dense or sparse).</summary>
    private static (double[] U, double[] S, double[] V) Randomized<T>(scoped T x, int rows, int cols, int k, int powerIterations, ulong seed)
        where T : IOperand, allows ref struct
    {
        bool transposed = rows < cols;
        int ar = transposed ? cols : rows, ac = transposed ? rows : cols;
        int l = Math.Min(ac, k + Oversampling);
        var q = new double[ar * l];
        var z = new double[ac * l];
        new SplitMix64(seed).FillNormal(z);
        x.Times(transposed, z, l, q);
        Orthonormalize(q, ar, l);
        for (int iteration = 0; iteration < powerIterations; iteration++)
        {
            x.Times(!transposed, q, l, z);
            Orthonormalize(z, ac, l);
            x.Times(transposed, z, l, q);
            Orthonormalize(q, ar, l);
        }

        // Bᵀ = Aᵀ·Q (ac × l); one-sided Jacobi turns it into V·Σ = Bᵀ·J for an orthogonal J, so that
        // B = J·Σ·Vᵀ and A ≈ Q·B = (Q·J)·Σ·Vᵀ.
        x.Times(!transposed, q, l, z);
        var rotation = new double[l * l];
        for (int i = 0; i < l; i++)
        {
            rotation[i + (i * l)] = 1.0;
        }

        var sigma = OneSidedJacobi(z, ac, rotation, l, l);
        var u = new double[ar * k];
        Gemm.Multiply(false, false, ar, k, l, 1.0, q, ar, rotation, l, 0.0, u, ar);
        var v = z.AsSpan(0, ac * k).ToArray();
        var s = sigma.AsSpan(0, k).ToArray();
        return transposed ? (v, s, u) : (u, s, v);
    }

    /// <summary>A matrix X (rows × cols) known through its products with column-major blocks of vectors.</summary>
    private interface IOperand
    {
        /// <summary>result ← X·z (z cols × l, result rows × l), or Xᵀ·z (z rows × l, result cols × l) when <paramref name="transposed"/>.</summary>
        void Times(bool transposed, double[] z, int l, double[] result);
    }

    /// <summary>A dense column-major X, through <see cref="Gemm"/>.</summary>
    private readonly ref struct DenseOperand : IOperand
    {
        private readonly ReadOnlySpan<double> _x;
        private readonly int _rows;
        private readonly int _cols;

        public DenseOperand(ReadOnlySpan<double> x, int rows, int cols)
        {
            _x = x;
            _rows = rows;
            _cols = cols;
        }

        public void Times(bool transposed, double[] z, int l, double[] result)
        {
            if (transposed)
            {
                Gemm.Multiply(true, false, _cols, l, _rows, 1.0, _x, _rows, z, _rows, 0.0, result, _cols);
            }
            else
            {
                Gemm.Multiply(false, false, _rows, l, _cols, 1.0, _x, _rows, z, _cols, 0.0, result, _rows);
            }
        }
    }

    /// <summary>
    /// A sparse X: X·z through its compressed rows, Xᵀ·z through its compressed columns. The block z is turned row-major
    /// first, so that each stored entry meets one contiguous row of it (<see cref="SparseProducts.TimesFactor"/>) rather than
    /// l scattered entries, and the result turned back; the two scratch blocks are kept between calls.
    /// </summary>
    private sealed class SparseOperand(SparseCompressedRowMatrixStorage<double> rows, CompressedColumns columns) : IOperand
    {
        private double[] _input = [];
        private double[] _output = [];

        public void Times(bool transposed, double[] z, int l, double[] result)
        {
            int inner = transposed ? rows.RowCount : rows.ColumnCount;
            int outer = transposed ? rows.ColumnCount : rows.RowCount;
            int size = Math.Max(rows.RowCount, rows.ColumnCount) * l;
            if (_input.Length < size)
            {
                _input = new double[size];
                _output = new double[size];
            }

            for (int c = 0; c < l; c++)
            {
                for (int i = 0; i < inner; i++)
                {
                    _input[c + (i * l)] = z[i + (c * inner)];
                }
            }

            if (transposed)
            {
                SparseProducts.TimesFactor(columns.Columns, columns.ColumnPointers, columns.RowIndices, columns.Values, l, _input, _output);
            }
            else
            {
                SparseProducts.TimesFactor(rows.RowCount, rows.RowPointers, rows.ColumnIndices, rows.Values, l, _input, _output);
            }

            for (int c = 0; c < l; c++)
            {
                for (int i = 0; i < outer; i++)
                {
                    result[i + (c * outer)] = _output[c + (i * l)];
                }
            }
        }
    }

    /// <summary>Orthonormal d×p basis whose first k columns are the leading eigenvectors of the symmetric Gram matrix that <paramref name="applyGram"/> multiplies (z ← G·q).</summary>
    private static double[]? Subspace(Action<double[], double[]> applyGram, int d, int p, int k, int maxIterations, bool lastIfUnconverged)
    {
        var q = new double[d * p];
        var rng = new SplitMix64(Seed);
        rng.FillNormal(q);
        Orthonormalize(q, d, p);
        var z = new double[d * p];
        var t = new double[p * p];
        var vectors = new double[p * p];
        var values = new double[p];
        var qe = new double[d * p];
        var ze = new double[d * p];
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Parallelism.ThrowIfCancellationRequested();
            applyGram(q, z);
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

        return lastIfUnconverged ? qe : null;
    }

    /// <summary>Modified Gram–Schmidt, twice (“twice is enough”); a column that vanishes is replaced by a unit vector orthogonal to the rest.</summary>
    internal static void Orthonormalize(double[] q, int d, int p)
    {
        for (int j = 0; j < p; j++)
        {
            Parallelism.ThrowIfCancellationRequested();
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
    internal static void SymmetricJacobi(double[] a, int p, double[] values, double[] vectors)
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
                Parallelism.ThrowIfCancellationRequested();
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
    internal static double[] OneSidedJacobi(double[] b, int m, double[] basis, int d, int k)
    {
        for (int sweep = 0; sweep < 100; sweep++)
        {
            bool rotated = false;
            for (int i = 0; i < k - 1; i++)
            {
                Parallelism.ThrowIfCancellationRequested();
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
