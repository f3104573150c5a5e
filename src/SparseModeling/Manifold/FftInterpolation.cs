// SPDX-License-Identifier: BSD-3-Clause
using System.Numerics.Tensors;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Manifold;

/// <summary>
/// The repulsive sums of t-SNE by polynomial interpolation on an equispaced grid and FFT convolution (Linderman, Rachh,
/// Hoskins, Steinerberger and Kluger, "Fast interpolation-based t-SNE for improved visualization of single-cell RNA-seq data",
/// Nature Methods 16, 2019 — FIt-SNE; the grid rules as openTSNE): the embedding's bounding square is cut into boxes of side
/// at most 1 (at least 50 per dimension), each with 4 interpolation nodes per dimension at its sub-interval centres, so that
/// the nodes form one equispaced grid. Each point spreads its charges onto its box's nodes with Lagrange weights, the
/// kernel sums between all nodes are circular convolutions on a zero-padded grid of 2·3·5-smooth side (computed by
/// <see cref="Fft"/>), and each point reads its potentials back with the same weights. O(n·16 + L²·log L) per evaluation
/// instead of O(n²).
/// </summary>
/// <remarks>
/// Two kernels: K_A = w·u (the force) with charges 1 and the coordinates, and K_B = w (the normaliser Z):
/// Σ_j w_ij·u_ij·(y_i − y_j) = y_i·(K_A∗1)(y_i) − (K_A∗y)(y_i), and only the total Z = Σ_ij w_ij is needed, which is
/// Σ_kl q_k·K_B(x_k − x_l)·q_l for the node charges q of 1s, read from q's spectrum by Parseval's identity (no convolution of
/// its own). So three real convolutions under K_A: y₀ and y₁ travel as one complex grid (real and imaginary parts), and the
/// charges 1 as a real grid convolved at half the cost of a complex one (<c>ConvolveReal2D</c>: two columns packed per
/// complex column, and only half the rows of its spectrum transformed, the other half being their conjugates), whose half
/// spectrum also gives Z. The two real, even kernels are transformed together as K_A + i·K_B (both spectra real). The
/// padding to twice the nodes is implicit in the transforms (<see cref="Fft"/>'s input and output prefixes): only the
/// corner of nodes is ever written or read in space; and the row transforms, the product with the kernel's spectrum and
/// the inverse row transforms are one pass over the grid (<see cref="Fft.RowsFiltered"/>): the spectra never leave the
/// cache.
/// </remarks>
internal sealed class FftRepulsion
{
    /// <summary>
    /// Interpolation nodes per box and dimension (openTSNE's <c>n_interpolation_points</c>, whose default is 3, is not used):
    /// with 3 the digits embedding ends at KL 0.801 against scikit-learn's Barnes–Hut 0.754, outside the 5% the tests demand
    /// (the near field interpolated to a few percent pulls the clusters together), with 4 at 0.775 — for a grid 4/3 as wide,
    /// about 1.8 times the transform work. Not a defect of the 3-node grid: the exact divergence of its final map (all pairs)
    /// is the 0.801 it reports, and the divergence follows the interpolation error, not the node count — 4 nodes in boxes of
    /// side 4/3 (the same node spacing as 3 in boxes of 1) end at 0.800, 6 in boxes of 2 at 0.781, 5 in boxes of 1 at 0.745,
    /// 6 in boxes of 1 at 0.740; higher orders on coarser boxes cost more to spread and read than their smaller grids save.
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
    private double[] _selfKernel = [];

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
    /// For every point i of <paramref name="y"/> (<paramref name="n"/> × dims, row-major): <paramref name="repulsion"/>[i] ≈
    /// Σ_j w_ij·u_ij·(y_i − y_j); returns Z ≈ Σ_{i≠j} w_ij (the grid's sum over all pairs of charges less each point's own
    /// term as the grid interpolates it, which differs from w_ii = 1 by the interpolation error that would otherwise add up
    /// n times in Z).
    /// </summary>
    /// <remarks>
    /// The grid: the box side h is 1 once the span reaches 50 (openTSNE's <c>ints_in_interval</c> = 1), below that the largest
    /// of the widths 2^(t/8) not above span / 50 (at least 50 boxes across the embedding, as openTSNE); the number of boxes
    /// is the smallest product of 2s, 3s and 5s that covers the span, and the padded grid side L = 2·<see cref="NodesPerBox"/>·boxes
    /// (a length <see cref="Fft"/> transforms). The kernel's transform depends on h and L only, so it is computed again only
    /// when the embedding outgrows them: on a large map only when the number of boxes steps up, so nearly all of the 100–150
    /// transforms of a fit fall in its first iterations, as the map grows from the PCA start's 10⁻⁴ through the ladder's
    /// steps on small grids. (Before, h = span / ⌈span⌉ rounded down to the ladder was often 2^(−1/8), a grid 9% wider
    /// per dimension than openTSNE's for no gain the tests need.)
    /// </remarks>
    public double Compute(double[] y, int n, double[] repulsion)
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
        double boxWidth = span >= MinBoxes * MaxBoxWidth
            ? MaxBoxWidth
            : Math.Min(MaxBoxWidth, Math.Pow(2.0, Math.Floor(LadderSteps * Math.Log2(span / MinBoxes)) / LadderSteps));
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

        return dims == 1 ? Compute1D(y, n, length, nodes, repulsion) : Compute2D(y, n, boxes, length, nodes, repulsion);
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
            if (_grid1Re.Length < size)
            {
                // Grown with a margin, so that a growing embedding does not reallocate at every new grid side.
                long capacity = Math.Max(size, Math.Min(Array.MaxLength, _grid1Re.Length + (_grid1Re.Length / 2)));
                _grid1Re = new double[capacity];
                _grid1Im = new double[capacity];
                _grid2Re = new double[capacity];
                _grid2Im = new double[capacity];
                _kernelA = new double[capacity];
                _kernelB = new double[capacity];
            }

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
            // The kernel is even along both axes, and so is its spectrum: only columns 0 … L/2 are transformed (column L − c
            // is column c), then only rows 0 … L/2 (row L − r is row r) — half the transforms and half the kernel values.
            int half = (length / 2) + 1;
            Parallelism.For(length, r =>
            {
                int dr = r < nodes ? r : (r > length - nodes ? r - length : int.MinValue);
                for (int c = 0; c < half; c++)
                {
                    int dc = c < nodes ? c : (c > length - nodes ? c - length : int.MinValue);
                    (re[(r * length) + c], im[(r * length) + c]) = dr == int.MinValue || dc == int.MinValue
                        ? (0.0, 0.0)
                        : KernelValues(kernel, spacing * spacing * (((double)dr * dr) + ((double)dc * dc)));
                }
            });
            Fft.Columns(_plan!, re, im, length, 0, half, inverse: false);
            Parallelism.For(half, r =>
            {
                for (int c = half; c < length; c++)
                {
                    re[(r * length) + c] = re[(r * length) + length - c];
                    im[(r * length) + c] = im[(r * length) + length - c];
                }
            });
            Fft.Rows(_plan!, re, im, length, 0, half, inverse: false);
            Parallelism.For(length - half, k =>
            {
                int r = half + k;
                Array.Copy(re, (length - r) * length, re, r * length, length);
                Array.Copy(im, (length - r) * length, im, r * length, length);
            });
        }

        int size = _dims == 1 ? length : length * length;
        Array.Copy(re, _kernelA, size);
        Array.Copy(im, _kernelB, size);

        // K_B between the nodes of one box (offsets 0 … P − 1 per dimension), for the points' own terms.
        int p = NodesPerBox;
        _selfKernel = new double[_dims == 1 ? p : p * p];
        for (int dx = 0; dx < p; dx++)
        {
            if (_dims == 1)
            {
                _selfKernel[dx] = KernelValues(kernel, spacing * spacing * dx * dx).B;
                continue;
            }

            for (int dy = 0; dy < p; dy++)
            {
                _selfKernel[(dx * p) + dy] = KernelValues(kernel, spacing * spacing * ((double)(dx * dx) + (dy * dy))).B;
            }
        }
    }

    /// <summary>c[d] = Σ_{k, l : |k − l| = d} weights[k]·weights[l] for d = 0 … P − 1: the weight of each node gap in a point's self term.</summary>
    private static void NodeGapWeights(ReadOnlySpan<double> weights, Span<double> gaps)
    {
        gaps.Clear();
        for (int k = 0; k < weights.Length; k++)
        {
            gaps[0] += weights[k] * weights[k];
            for (int l = k + 1; l < weights.Length; l++)
            {
                gaps[l - k] += 2.0 * weights[k] * weights[l];
            }
        }
    }

    /// <summary>
    /// Σ_kl weights[k]·weights[l]·table[|k − l|] over the box's nodes k, l: the interpolated kernel between a point and itself
    /// in one dimension.
    /// </summary>
    private static double SelfSum(ReadOnlySpan<double> weights, ReadOnlySpan<double> table)
    {
        double sum = 0.0;
        for (int k = 0; k < weights.Length; k++)
        {
            for (int l = 0; l < weights.Length; l++)
            {
                sum += weights[k] * weights[l] * table[Math.Abs(k - l)];
            }
        }

        return sum;
    }

    /// <summary>(K_A, K_B) = (w·u, w) at squared distance <paramref name="d2"/>.</summary>
    private static (double A, double B) KernelValues(StudentT kernel, double d2)
    {
        double u = kernel.U(d2);
        double w = kernel.W(u);
        return (w * u, w);
    }

    /// <summary>
    /// The circular convolution of the real <paramref name="nodes"/> × <paramref name="nodes"/> charges R in the corner of the
    /// L × L grid with K_A, at about half the work of a complex one (a real-to-complex transform built on the complex one):
    /// the charges arrive packed, column c of R in the real part and column c + h in the imaginary part of column c
    /// (h = ⌈nodes/2⌉); the transforms of those h columns are separated by the conjugate symmetry of real signals into the
    /// spectra of all columns, for the rows of frequency 0 … L/2 only (the others are their conjugates), which alone are
    /// transformed along the rows, multiplied by K̂_A and transformed back; the columns are packed again in pairs, the missing
    /// rows filled in as conjugates, and h inverse column transforms return the result packed as the charges came (unscaled).
    /// Returns Σ_f |R̂(f)|²·K̂_B(f) over the whole L × L spectrum (L² times Σ_kl r_k·K_B(x_k − x_l)·r_l, by Parseval's identity),
    /// read from the rows 0 … L/2 on the way: each of rows 1 … L/2 − 1 stands for its conjugate row too (K̂_B is even).
    /// </summary>
    private double ConvolveReal2D(double[] re, double[] im, int length, int nodes)
    {
        var plan = _plan!;
        int h = (nodes + 1) / 2, wide = 2 * h, rows = (length / 2) + 1;
        Fft.Columns(plan, re, im, length, 0, h, inverse: false, inputRows: nodes);

        // Row k ≤ L/2 of the column spectra: X(k) = (C(k) + conj C(−k))/2 for column c, Y(k) = (C(k) − conj C(−k))/(2i) for
        // column c + h. Row L − k (> L/2 when 0 < k < L/2) is read and never written, so the rows run independently.
        Parallelism.For(rows, k =>
        {
            int rowK = k * length, rowN = (k == 0 ? 0 : length - k) * length;
            for (int c = 0; c < h; c++)
            {
                double zr = re[rowK + c], zi = im[rowK + c], wr = re[rowN + c], wi = im[rowN + c];
                re[rowK + c] = 0.5 * (zr + wr);
                im[rowK + c] = 0.5 * (zi - wi);
                re[rowK + h + c] = 0.5 * (zi + wi);
                im[rowK + h + c] = 0.5 * (wr - zr);
            }
        });

        var rowEnergies = new double[rows];
        Fft.RowsFiltered(plan, re, im, length, 0, rows, wide, wide, (sRe, sIm, first, width) =>
        {
            Energies(sRe, sIm, length, first, width, rowEnergies);
            Multiply(sRe, sIm, length, first, width);
        });

        // Packed again: D(k) = G(k, c) + i·G(k, c + h), with G(L − k, ·) = conj G(k, ·) as the result is real.
        Parallelism.For(rows, k =>
        {
            int rowK = k * length, rowN = (length - k) * length;
            bool mirrored = k != 0 && 2 * k != length;
            for (int c = 0; c < h; c++)
            {
                double ar = re[rowK + c], ai = im[rowK + c], br = re[rowK + h + c], bi = im[rowK + h + c];
                re[rowK + c] = ar - bi;
                im[rowK + c] = ai + br;
                if (mirrored)
                {
                    re[rowN + c] = ar + bi;
                    im[rowN + c] = br - ai;
                }
            }
        });

        Fft.Columns(plan, re, im, length, 0, h, inverse: true, outputRows: nodes);
        double energy = 0.0;
        for (int k = 0; k < rows; k++)
        {
            energy += (k == 0 || 2 * k == length ? 1.0 : 2.0) * rowEnergies[k];
        }

        return energy;
    }

    /// <summary>
    /// Multiplies a strip of row spectra in the scratch layout of <see cref="Fft.RowsFiltered"/> (rows
    /// <paramref name="first"/> … + <paramref name="width"/>, frequency c of row first + w at c·width + w) by K̂_A: row r's
    /// K̂_A(r, c) is read as K̂_A(c, r) at c·L + r, the kernel (a function of dx² + dy² on a square grid) and so its spectrum
    /// being symmetric, which makes the strip's factors contiguous.
    /// </summary>
    private void Multiply(double[] re, double[] im, int length, int first, int width)
    {
        var ka = _kernelA;
        for (int c = 0; c < length; c++)
        {
            var factors = ka.AsSpan((c * length) + first, width);
            var stripRe = re.AsSpan(c * width, width);
            var stripIm = im.AsSpan(c * width, width);
            TensorPrimitives.Multiply(stripRe, factors, stripRe);
            TensorPrimitives.Multiply(stripIm, factors, stripIm);
        }
    }

    /// <summary>
    /// Σ_c |X(r, c)|²·K̂_B(r, c) of each row r of a strip of row spectra in <see cref="Multiply"/>'s layout, into
    /// <paramref name="energies"/>[r], summed over c in order (so the value does not depend on the strips or the threads).
    /// </summary>
    private void Energies(double[] re, double[] im, int length, int first, int width, double[] energies)
    {
        var kb = _kernelB;
        for (int w = 0; w < width; w++)
        {
            double sum = 0.0;
            for (int c = 0; c < length; c++)
            {
                double xr = re[(c * width) + w], xi = im[(c * width) + w];
                sum += ((xr * xr) + (xi * xi)) * kb[(c * length) + first + w];
            }

            energies[first + w] = sum;
        }
    }

    private double Compute2D(double[] y, int n, int boxes, int length, int nodes, double[] repulsion)
    {
        const int P = NodesPerBox;
        int h = (nodes + 1) / 2;

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

        // Charges: grid 1 = y₀ + i·y₁, grid 2 = the 1s with its columns c and c + h packed as one complex column.
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
                Array.Clear(g2Re, r * length, h);
                Array.Clear(g2Im, r * length, h);
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
                    int rowOffset = ((bx * P) + kx) * length;
                    for (int ky = 0; ky < P; ky++)
                    {
                        double weight = wx[kx] * wy[ky];
                        int column = (by * P) + ky, at = rowOffset + column;
                        g1Re[at] += weight * y0;
                        g1Im[at] += weight * y1;
                        if (column < h)
                        {
                            g2Re[at] += weight;
                        }
                        else
                        {
                            g2Im[at - h] += weight;
                        }
                    }
                }
            }
        });


        // Grid 1 under K_A (both parts, the row transforms and the product in one pass); grid 2 under K_A, with
        // Σ_kl q_k·K_B(x_k − x_l)·q_l read from its spectrum on the way.
        var plan = _plan!;
        Fft.Columns(plan, g1Re, g1Im, length, 0, nodes, inverse: false, inputRows: nodes);
        Fft.RowsFiltered(plan, g1Re, g1Im, length, 0, length, nodes, nodes, (sRe, sIm, first, width) => Multiply(sRe, sIm, length, first, width));
        Fft.Columns(plan, g1Re, g1Im, length, 0, nodes, inverse: true, outputRows: nodes);
        double pairs = ConvolveReal2D(g2Re, g2Im, length, nodes);

        double scale = 1.0 / ((double)length * length);
        int blocks = (n + 1023) / 1024;
        var selfSums = new double[blocks];
        Parallelism.For(blocks, block =>
        {
            Span<double> cx = stackalloc double[P];
            Span<double> cy = stackalloc double[P];
            double selfSum = 0.0;
            for (int q = block * 1024, end = Math.Min(n, q + 1024); q < end; q++)
            {
                int i = _rowOrder[q];
                int bx = _box[i] / boxes, by = _box[i] % boxes;
                var wx = _weights.AsSpan(i * 2 * P, P);
                var wy = _weights.AsSpan(((i * 2) + 1) * P, P);
                double one = 0.0, first = 0.0, second = 0.0;
                for (int kx = 0; kx < P; kx++)
                {
                    int rowOffset = ((bx * P) + kx) * length;
                    for (int ky = 0; ky < P; ky++)
                    {
                        double weight = wx[kx] * wy[ky];
                        int column = (by * P) + ky, at = rowOffset + column;
                        first += weight * g1Re[at];
                        second += weight * g1Im[at];
                        one += weight * (column < h ? g2Re[at] : g2Im[at - h]);
                    }
                }

                // The point's own term as the grid interpolates it (not exactly w_ii = 1), to be taken out of Z:
                // Σ_{dx,dy} cx[dx]·cy[dy]·K_B(dx, dy) with c[d] = Σ_{|k−l| = d} w_k·w_l per dimension.
                NodeGapWeights(wx, cx);
                NodeGapWeights(wy, cy);
                double self = 0.0;
                for (int dx = 0; dx < P; dx++)
                {
                    double row = 0.0;
                    for (int dy = 0; dy < P; dy++)
                    {
                        row += cy[dy] * _selfKernel[(dx * P) + dy];
                    }

                    self += cx[dx] * row;
                }

                selfSum += self;
                repulsion[2 * i] = ((y[2 * i] * one) - first) * scale;
                repulsion[(2 * i) + 1] = ((y[(2 * i) + 1] * one) - second) * scale;
            }

            selfSums[block] = selfSum;
        });

        double z = pairs * scale;
        foreach (double selfSum in selfSums)
        {
            z -= selfSum;
        }

        return z;
    }

    private double Compute1D(double[] y, int n, int length, int nodes, double[] repulsion)
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
        MultiplyReal(g1Re, g1Im, _kernelA, length);
        Fft.Columns(plan, g1Re, g1Im, 1, 0, 1, inverse: true, outputRows: nodes);
        Fft.Columns(plan, g2Re, g2Im, 1, 0, 1, inverse: false, inputRows: nodes);
        MultiplySplit(g2Re, g2Im, 1, length);
        Fft.Columns(plan, g2Re, g2Im, 1, 0, 1, inverse: true, outputRows: nodes);
        double scale = 1.0 / length;
        double z = 0.0;
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

            z += (normaliser * scale) - SelfSum(wx, _selfKernel);
            repulsion[i] = ((y[i] * one) - first) * scale;
        }

        return z;
    }

    /// <summary>F ← K̂_A·F on the first <paramref name="length"/> entries (both charges of the grid under K_A).</summary>
    private static void MultiplyReal(double[] re, double[] im, double[] spectrum, int length)
    {
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
/// <see cref="FftRepulsion"/>.
/// </summary>
internal sealed class FftGradient : ITSneGradient
{
    private readonly SparseAffinities _p;
    private readonly int _dims;
    private readonly StudentT _kernel;
    private readonly FftRepulsion _repulsionSums;
    private readonly double[] _attraction;
    private readonly double[] _repulsion;

    /// <summary>Over the sparse P, for an embedding of <paramref name="dims"/> (1 or 2) dimensions.</summary>
    public FftGradient(SparseAffinities p, int dims, StudentT kernel)
    {
        _p = p;
        _dims = dims;
        _kernel = kernel;
        _repulsionSums = new FftRepulsion(dims, kernel);
        _attraction = new double[p.Count * dims];
        _repulsion = new double[p.Count * dims];
    }

    /// <inheritdoc/>
    public double Evaluate(double[] y, double[] gradient, double exaggeration, bool computeError)
    {
        int n = _p.Count;
        double z = _repulsionSums.Compute(y, n, _repulsion);

        double pLogW = SparseGradient.Attraction(_p, y, _dims, _kernel, _attraction, computeError);
        return SparseGradient.Assemble(_attraction, _repulsion, z, _kernel, exaggeration, gradient, computeError, _p.PLogP, pLogW);
    }
}
