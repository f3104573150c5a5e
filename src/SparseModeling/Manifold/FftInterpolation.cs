// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Manifold;

/// <summary>
/// The repulsive sums of t-SNE by polynomial interpolation on an equispaced grid and FFT convolution (Linderman, Rachh,
/// Hoskins, Steinerberger and Kluger, "Fast interpolation-based t-SNE for improved visualization of single-cell RNA-seq data",
/// Nature Methods 16, 2019 — FIt-SNE; the grid rules as openTSNE): the embedding's bounding square is cut into boxes of side
/// at most 1 (at least 50 per dimension), each with 4 interpolation nodes per dimension at its sub-interval centres, so that
/// the nodes form one equispaced grid. Each point spreads its charges onto its box's nodes with Lagrange weights, the
/// kernel sums between all nodes are one circular convolution on a zero-padded grid of power-of-two side (computed by
/// <see cref="Fft"/>), and each point reads its potentials back with the same weights. O(n·16 + L²·log L) per evaluation
/// instead of O(n²).
/// </summary>
/// <remarks>
/// Two kernels: K_A = w·u (the force) with charges 1 and the coordinates, and K_B = w (the normaliser Z) with charge 1:
/// Σ_j w_ij·u_ij·(y_i − y_j) = y_i·(K_A∗1)(y_i) − (K_A∗y)(y_i) and Σ_j w_ij = (K_B∗1)(y_i). The four real charge grids travel
/// as two complex ones (real and imaginary parts), and the two real, even kernels as one, whose transform is then K̂_A + i·K̂_B
/// with both parts real; the grid that pairs a K_A charge with a K_B charge is separated in the frequency domain by the
/// conjugate symmetry of real signals. The padding to twice the nodes is implicit in the transforms (<see cref="Fft"/>'s
/// input and output prefixes): only the corner of nodes is ever written or read in space.
/// </remarks>
internal sealed class FftRepulsion
{
    /// <summary>
    /// Interpolation nodes per box and dimension (openTSNE's <c>n_interpolation_points</c>, whose default is 3): with 3 the
    /// digits embedding ended at KL 0.802 against scikit-learn's Barnes–Hut 0.754 (the near field interpolated to a few percent
    /// pulls the clusters together), with 4 at 0.768, for a grid 4/3 as wide.
    /// </summary>
    internal const int NodesPerBox = 4;

    /// <summary>The fewest boxes per dimension (openTSNE's <c>min_num_intervals</c>).</summary>
    internal const int MinBoxes = 50;

    /// <summary>The widest box side (1/openTSNE's <c>ints_in_interval</c>).</summary>
    internal const double MaxBoxWidth = 1.0;

    /// <summary>Steps per octave of the ladder of box widths (widths 2^(t/8)): a grid, and its kernel transform, is reused until the embedding outgrows it.</summary>
    private const int LadderSteps = 8;

    private readonly int _dims;
    private readonly StudentT _kernel;
    private readonly double[] _lagrangeDenominators;
    private Fft.Plan? _plan;
    private double _boxWidth;
    private double[] _grid1Re = [];
    private double[] _grid1Im = [];
    private double[] _grid2Re = [];
    private double[] _grid2Im = [];
    private double[] _kernelA = [];
    private double[] _kernelB = [];
    private int[] _box = [];
    private double[] _weights = [];
    private int[] _rowOrder = [];
    private int[] _rowStart = [];

    /// <summary>For embeddings of <paramref name="dims"/> (1 or 2) dimensions.</summary>
    public FftRepulsion(int dims, StudentT kernel)
    {
        if (dims is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(dims), $"FFT interpolation embeds in 1 or 2 dimensions (was {dims}).");
        }

        _dims = dims;
        _kernel = kernel;
        _lagrangeDenominators = new double[NodesPerBox];
        for (int k = 0; k < NodesPerBox; k++)
        {
            double product = 1.0;
            for (int l = 0; l < NodesPerBox; l++)
            {
                if (l != k)
                {
                    product *= Node(k) - Node(l);
                }
            }

            _lagrangeDenominators[k] = product;
        }
    }

    /// <summary>The grid side L of the last evaluation (for tests and diagnostics).</summary>
    public int GridLength => _plan?.Length ?? 0;

    /// <summary>How many times the kernel's transform has been computed (for tests and diagnostics).</summary>
    public int KernelTransforms { get; private set; }

    /// <summary>
    /// For every point i of <paramref name="y"/> (<paramref name="n"/> × dims, row-major): <paramref name="z"/>[i] ≈ Σ_j w_ij
    /// (the point itself included, w_ii = 1) and <paramref name="repulsion"/>[i] ≈ Σ_j w_ij·u_ij·(y_i − y_j).
    /// </summary>
    /// <remarks>
    /// The grid: the box side h is the largest of the widths 2^(t/8) not above span / max(50, ⌈span⌉) (so at most 1, and
    /// at least 50 boxes across the embedding, as openTSNE), the number of boxes the smallest product of 2s, 3s and 5s that
    /// covers the span, and the padded grid side L = 2·3·boxes (a length <see cref="Fft"/> transforms). The kernel's transform
    /// depends on h and L only, so it is computed again only when the embedding outgrows them.
    /// </remarks>
    public void Compute(double[] y, int n, double[] z, double[] repulsion)
    {
        int dims = _dims;
        double[] low = [double.PositiveInfinity, double.PositiveInfinity];
        double[] high = [double.NegativeInfinity, double.NegativeInfinity];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < dims; a++)
            {
                low[a] = Math.Min(low[a], y[(i * dims) + a]);
                high[a] = Math.Max(high[a], y[(i * dims) + a]);
            }
        }

        double span = 0.0;
        for (int a = 0; a < dims; a++)
        {
            span = Math.Max(span, high[a] - low[a]);
        }

        span = Math.Max(span, 1e-100);
        double required = Math.Max(MinBoxes, Math.Ceiling(span / MaxBoxWidth));
        double boxWidth = Math.Pow(2.0, Math.Floor(LadderSteps * Math.Log2(span / required)) / LadderSteps);
        int boxes = Fft.NextSmooth((int)Math.Min(1 << 22, Math.Ceiling(span / boxWidth)));
        int length = 2 * NodesPerBox * boxes;
        int nodes = boxes * NodesPerBox;
        Prepare(n, length);
        if (_boxWidth != boxWidth || KernelTransforms == 0)
        {
            _boxWidth = boxWidth;
            KernelSpectrum(length, nodes, boxWidth / NodesPerBox);
        }

        // Each point's box and Lagrange weights (NodesPerBox per dimension).
        Parallelism.For((n + 1023) / 1024, block =>
        {
            for (int i = block * 1024, end = Math.Min(n, i + 1024); i < end; i++)
            {
                int box = 0;
                for (int a = 0; a < dims; a++)
                {
                    double t = (y[(i * dims) + a] - low[a]) / boxWidth;
                    int b = Math.Clamp((int)Math.Floor(t), 0, boxes - 1);
                    box = (box * boxes) + b;
                    Lagrange(t - b, _weights.AsSpan(((i * dims) + a) * NodesPerBox, NodesPerBox));
                }

                _box[i] = box;
            }
        });

        if (dims == 1)
        {
            Compute1D(y, n, length, nodes, z, repulsion);
        }
        else
        {
            Compute2D(y, n, boxes, length, nodes, z, repulsion);
        }
    }

    /// <summary>The position of node k in a box of unit side.</summary>
    private static double Node(int k) => (k + 0.5) / NodesPerBox;

    /// <summary>The Lagrange basis of the box's nodes at local coordinate <paramref name="t"/> ∈ [0, 1].</summary>
    private void Lagrange(double t, Span<double> weights)
    {
        for (int k = 0; k < NodesPerBox; k++)
        {
            double product = 1.0;
            for (int l = 0; l < NodesPerBox; l++)
            {
                if (l != k)
                {
                    product *= t - Node(l);
                }
            }

            weights[k] = product / _lagrangeDenominators[k];
        }
    }

    private void Prepare(int n, int length)
    {
        if (_box.Length < n)
        {
            _box = new int[n];
            _weights = new double[n * _dims * NodesPerBox];
            _rowOrder = new int[n];
        }

        if (_plan is null || _plan.Length != length)
        {
            _plan = new Fft.Plan(length);
            long size = _dims == 1 ? length : (long)length * length;
            _grid1Re = new double[size];
            _grid1Im = new double[size];
            _grid2Re = new double[size];
            _grid2Im = new double[size];
            _kernelA = new double[size];
            _kernelB = new double[size];
            _rowStart = new int[(length / (2 * NodesPerBox)) + 1];
            KernelTransforms = 0;
        }
    }

    /// <summary>K̂_A and K̂_B on the padded grid, from one complex transform of K_A + i·K_B (both real and even, so both spectra are real).</summary>
    private void KernelSpectrum(int length, int nodes, double spacing)
    {
        KernelTransforms++;
        var re = _grid1Re;
        var im = _grid1Im;
        var kernel = _kernel;
        if (_dims == 1)
        {
            for (int r = 0; r < length; r++)
            {
                int offset = r < nodes ? r : (r > length - nodes ? r - length : int.MinValue);
                (re[r], im[r]) = offset == int.MinValue ? (0.0, 0.0) : KernelValues(kernel, spacing * spacing * offset * offset);
            }

            Fft.Columns(_plan!, re, im, 1, 0, 1, inverse: false);
        }
        else
        {
            Parallelism.For(length, r =>
            {
                int dr = r < nodes ? r : (r > length - nodes ? r - length : int.MinValue);
                for (int c = 0; c < length; c++)
                {
                    int dc = c < nodes ? c : (c > length - nodes ? c - length : int.MinValue);
                    (re[(r * length) + c], im[(r * length) + c]) = dr == int.MinValue || dc == int.MinValue
                        ? (0.0, 0.0)
                        : KernelValues(kernel, spacing * spacing * (((double)dr * dr) + ((double)dc * dc)));
                }
            });
            Fft.Columns(_plan!, re, im, length, 0, length, inverse: false);
            Fft.Rows(_plan!, re, im, length, 0, length, inverse: false);
        }

        Array.Copy(re, _kernelA, _kernelA.Length);
        Array.Copy(im, _kernelB, _kernelB.Length);
    }

    /// <summary>(K_A, K_B) = (w·u, w) at squared distance <paramref name="d2"/>.</summary>
    private static (double A, double B) KernelValues(StudentT kernel, double d2)
    {
        double u = kernel.U(d2);
        double w = kernel.W(u);
        return (w * u, w);
    }

    /// <summary>
    /// The circular convolution of the <paramref name="nodes"/> × <paramref name="nodes"/> charges in the corner of the
    /// L × L grid (re, im) with the kernels: forward transform (columns, then rows, the padding read as zeros), the kernels'
    /// spectra applied (<paramref name="split"/>: the real part under K_A and the imaginary part under K_B), inverse transform
    /// of the corner only (unscaled).
    /// </summary>
    private void Convolve2D(double[] re, double[] im, int length, int nodes, bool split)
    {
        var plan = _plan!;
        Fft.Columns(plan, re, im, length, 0, nodes, inverse: false, inputRows: nodes);
        Fft.Rows(plan, re, im, length, 0, length, inverse: false, inputColumns: nodes);
        if (split)
        {
            MultiplySplit(re, im, length, length);
        }
        else
        {
            MultiplyReal(re, im, _kernelA);
        }

        Fft.Rows(plan, re, im, length, 0, length, inverse: true, outputColumns: nodes);
        Fft.Columns(plan, re, im, length, 0, nodes, inverse: true, outputRows: nodes);
    }

    private void Compute2D(double[] y, int n, int boxes, int length, int nodes, double[] z, double[] repulsion)
    {
        const int P = NodesPerBox;

        // Points by box row (the box along dimension 0), stable: each row of boxes writes its own rows of nodes.
        var rowStart = _rowStart;
        Array.Clear(rowStart);
        for (int i = 0; i < n; i++)
        {
            rowStart[(_box[i] / boxes) + 1]++;
        }

        for (int b = 0; b < boxes; b++)
        {
            rowStart[b + 1] += rowStart[b];
        }

        var fill = rowStart[..boxes];
        for (int i = 0; i < n; i++)
        {
            _rowOrder[fill[_box[i] / boxes]++] = i;
        }

        // Charges: grid 1 = (1, y₀) for K_A, grid 2 = (y₁ for K_A, 1 for K_B).
        var g1Re = _grid1Re;
        var g1Im = _grid1Im;
        var g2Re = _grid2Re;
        var g2Im = _grid2Im;
        Parallelism.For(boxes, row =>
        {
            for (int r = row * P; r < (row + 1) * P; r++)
            {
                Array.Clear(g1Re, r * length, nodes);
                Array.Clear(g1Im, r * length, nodes);
                Array.Clear(g2Re, r * length, nodes);
                Array.Clear(g2Im, r * length, nodes);
            }

            for (int q = rowStart[row]; q < rowStart[row + 1]; q++)
            {
                int i = _rowOrder[q];
                int bx = _box[i] / boxes, by = _box[i] % boxes;
                var wx = _weights.AsSpan(i * 2 * P, P);
                var wy = _weights.AsSpan(((i * 2) + 1) * P, P);
                double y0 = y[2 * i], y1 = y[(2 * i) + 1];
                for (int kx = 0; kx < P; kx++)
                {
                    int rowOffset = (((bx * P) + kx) * length) + (by * P);
                    for (int ky = 0; ky < P; ky++)
                    {
                        double weight = wx[kx] * wy[ky];
                        int at = rowOffset + ky;
                        g1Re[at] += weight;
                        g1Im[at] += weight * y0;
                        g2Re[at] += weight * y1;
                        g2Im[at] += weight;
                    }
                }
            }
        });

        Convolve2D(g1Re, g1Im, length, nodes, split: false);
        Convolve2D(g2Re, g2Im, length, nodes, split: true);

        double scale = 1.0 / ((double)length * length);
        Parallelism.For((n + 1023) / 1024, block =>
        {
            for (int i = block * 1024, end = Math.Min(n, i + 1024); i < end; i++)
            {
                int bx = _box[i] / boxes, by = _box[i] % boxes;
                var wx = _weights.AsSpan(i * 2 * P, P);
                var wy = _weights.AsSpan(((i * 2) + 1) * P, P);
                double one = 0.0, first = 0.0, second = 0.0, normaliser = 0.0;
                for (int kx = 0; kx < P; kx++)
                {
                    int rowOffset = (((bx * P) + kx) * length) + (by * P);
                    for (int ky = 0; ky < P; ky++)
                    {
                        double weight = wx[kx] * wy[ky];
                        int at = rowOffset + ky;
                        one += weight * g1Re[at];
                        first += weight * g1Im[at];
                        second += weight * g2Re[at];
                        normaliser += weight * g2Im[at];
                    }
                }

                z[i] = normaliser * scale;
                repulsion[2 * i] = ((y[2 * i] * one) - first) * scale;
                repulsion[(2 * i) + 1] = ((y[(2 * i) + 1] * one) - second) * scale;
            }
        });
    }

    private void Compute1D(double[] y, int n, int length, int nodes, double[] z, double[] repulsion)
    {
        const int P = NodesPerBox;
        var plan = _plan!;
        var g1Re = _grid1Re;
        var g1Im = _grid1Im;
        var g2Re = _grid2Re;
        var g2Im = _grid2Im;
        Array.Clear(g1Re, 0, nodes);
        Array.Clear(g1Im, 0, nodes);
        Array.Clear(g2Re, 0, nodes);
        Array.Clear(g2Im, 0, nodes);
        for (int i = 0; i < n; i++)
        {
            var wx = _weights.AsSpan(i * P, P);
            for (int k = 0; k < P; k++)
            {
                int at = (_box[i] * P) + k;
                g1Re[at] += wx[k];
                g1Im[at] += wx[k] * y[i];
                g2Im[at] += wx[k];
            }
        }

        Fft.Columns(plan, g1Re, g1Im, 1, 0, 1, inverse: false, inputRows: nodes);
        MultiplyReal(g1Re, g1Im, _kernelA);
        Fft.Columns(plan, g1Re, g1Im, 1, 0, 1, inverse: true, outputRows: nodes);
        Fft.Columns(plan, g2Re, g2Im, 1, 0, 1, inverse: false, inputRows: nodes);
        MultiplySplit(g2Re, g2Im, 1, length);
        Fft.Columns(plan, g2Re, g2Im, 1, 0, 1, inverse: true, outputRows: nodes);
        double scale = 1.0 / length;
        for (int i = 0; i < n; i++)
        {
            var wx = _weights.AsSpan(i * P, P);
            double one = 0.0, first = 0.0, normaliser = 0.0;
            for (int k = 0; k < P; k++)
            {
                int at = (_box[i] * P) + k;
                one += wx[k] * g1Re[at];
                first += wx[k] * g1Im[at];
                normaliser += wx[k] * g2Im[at];
            }

            z[i] = normaliser * scale;
            repulsion[i] = ((y[i] * one) - first) * scale;
        }
    }

    /// <summary>F ← K̂_A·F (both charges of the grid under K_A).</summary>
    private static void MultiplyReal(double[] re, double[] im, double[] spectrum)
    {
        int length = spectrum.Length;
        Parallelism.For((length + 65535) / 65536, block =>
        {
            for (int e = block * 65536, end = Math.Min(length, e + 65536); e < end; e++)
            {
                re[e] *= spectrum[e];
                im[e] *= spectrum[e];
            }
        });
    }

    /// <summary>
    /// F = FFT(a + i·b) with a under K_A and b under K_B: H(k) = ((K̂_A + K̂_B)/2)·F(k) + ((K̂_A − K̂_B)/2)·conj(F(−k)), so that the
    /// inverse transform is (K_A∗a) + i·(K_B∗b). The spectrum is <paramref name="rows"/> × <paramref name="cols"/>; frequencies
    /// pair with their negatives modulo the sides, and each pair is updated together.
    /// </summary>
    private void MultiplySplit(double[] re, double[] im, int rows, int cols)
    {
        var ka = _kernelA;
        var kb = _kernelB;
        Parallelism.For(rows, r =>
        {
            int nr = r == 0 ? 0 : rows - r;
            if (nr < r)
            {
                return; // the pair was done with row nr
            }

            for (int c = 0; c < cols; c++)
            {
                int nc = c == 0 ? 0 : cols - c;
                int e = (r * cols) + c, f = (nr * cols) + nc;
                if (nr == r && nc < c)
                {
                    continue; // done with column nc of this self-paired row
                }

                double a = (ka[e] + kb[e]) / 2.0, b = (ka[e] - kb[e]) / 2.0;
                double fr = re[e], fi = im[e], gr = re[f], gi = im[f];

                // H(k) = a·F(k) + b·conj(F(−k)); H(−k) = a·F(−k) + b·conj(F(k)) (the kernels are even: a, b equal at ±k).
                re[e] = (a * fr) + (b * gr);
                im[e] = (a * fi) - (b * gi);
                if (f != e)
                {
                    re[f] = (a * gr) + (b * fr);
                    im[f] = (a * gi) - (b * fi);
                }
            }
        });
    }
}

/// <summary>
/// The FFT-interpolation gradient (FIt-SNE): attraction exactly over the sparse P, repulsion and Z from
/// <see cref="FftRepulsion"/> (Z = Σ_i z_i − n, without the points' own terms).
/// </summary>
internal sealed class FftGradient : ITSneGradient
{
    private readonly SparseAffinities _p;
    private readonly int _dims;
    private readonly StudentT _kernel;
    private readonly FftRepulsion _repulsionSums;
    private readonly double[] _attraction;
    private readonly double[] _repulsion;
    private readonly double[] _z;

    /// <summary>Over the sparse P, for an embedding of <paramref name="dims"/> (1 or 2) dimensions.</summary>
    public FftGradient(SparseAffinities p, int dims, StudentT kernel)
    {
        _p = p;
        _dims = dims;
        _kernel = kernel;
        _repulsionSums = new FftRepulsion(dims, kernel);
        _attraction = new double[p.Count * dims];
        _repulsion = new double[p.Count * dims];
        _z = new double[p.Count];
    }

    /// <inheritdoc/>
    public double Evaluate(double[] y, double[] gradient, double exaggeration, bool computeError)
    {
        int n = _p.Count;
        _repulsionSums.Compute(y, n, _z, _repulsion);
        double z = -n;
        foreach (double zi in _z)
        {
            z += zi;
        }

        double pLogW = SparseGradient.Attraction(_p, y, _dims, _kernel, _attraction, computeError);
        return SparseGradient.Assemble(_attraction, _repulsion, z, _kernel, exaggeration, gradient, computeError, _p.PLogP, pLogW);
    }
}
