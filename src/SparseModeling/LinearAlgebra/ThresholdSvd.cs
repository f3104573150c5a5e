// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearAlgebra;

/// <summary>
/// The partial SVD of a singular value threshold, for a sequence of related matrices (the iterates of robust PCA): the
/// singular triplets of a tall A (m ≥ n) whose values exceed τ, without a full decomposition. The Gram matrix G = AᵀA
/// (<see cref="Gram"/>) is formed once per call; a block of p = k + 10 vectors is refined by subspace iteration with
/// Rayleigh–Ritz projection on G (Saad, "Numerical Methods for Large Eigenvalue Problems", 2nd ed., ch. 5) until the
/// Ritz pairs above τ² reach rounding level for the threshold's result (residual ≤ 10⁻¹³·θ₁, relaxed by the pair's filter
/// factor 1 − τ/σ near the threshold); then the SVD of A·V through its R factor
/// (<see cref="TallSkinnyQr"/>, one-sided Jacobi on R) gives the triplets to rounding relative to the largest value
/// (the left vectors of a value σ orthonormal to about ε·σ₁/σ). k follows the rank prediction of Lin,
/// Chen and Ma (2010): 10 at first, then one more than the count found in the previous call; when all k Ritz values lie
/// above τ² — they are lower bounds of the eigenvalues, so at least k singular values exceed τ — k grows by 5% of n and
/// the call continues, so that no singular value above τ is left out.
/// </summary>
/// <remarks>
/// <para>
/// Each call starts from the previous call's Ritz vectors (the iterates of an augmented Lagrangian method change little
/// between iterations), so that a few cheap steps on the n×n Gram matrix usually suffice; the first call starts from a
/// fixed pseudo-random block. Results are deterministic and do not depend on the number of threads (<see cref="Gemm"/>,
/// <see cref="Gram"/>). When k + 10 exceeds n/2 — the low-rank part is then not low-rank, as noisy data make it in the late
/// iterations — the block takes all n columns: one Jacobi eigendecomposition of the n×n Gram matrix costs less than a long
/// subspace iteration on a flat tail (Lin, Chen and Ma switch to a full SVD likewise when many triplets are wanted).
/// <see cref="FullDecompositions"/> counts those calls.
/// </para>
/// <para>The steps observe the cancellation of the fit running on this thread, as the GEMM blocks do.</para>
/// </remarks>
internal sealed class ThresholdSvd
{
    private const int Oversampling = 10;
    private const int InitialRank = 10;
    private const int MaxSteps = 1000;
    private const double ResidualTolerance = 1e-13;
    private const ulong Seed = 0x5EED_7A5DUL;

    private readonly int _m;
    private readonly int _n;
    private readonly double[] _gram;
    private readonly List<int> _sizes = [];
    private double[] _basis = [];
    private int _basisColumns;
    private int _predicted;

    /// <summary>Prepares the decompositions of m×n matrices (m ≥ n ≥ 1).</summary>
    public ThresholdSvd(int m, int n)
    {
        if (m < n || n < 1)
        {
            throw new ArgumentException($"ThresholdSvd needs a tall matrix with at least one column (was {m}×{n}).", nameof(m));
        }

        _m = m;
        _n = n;
        _gram = GC.AllocateUninitializedArray<double>(n * n); // written in full by every Gram computation
        _predicted = Math.Min(n, InitialRank);
    }

    /// <summary>The block sizes k of the decompositions so far, in order (a call that grew its block adds one entry per size).</summary>
    public IReadOnlyList<int> Sizes => _sizes;

    /// <summary>The subspace iteration steps taken so far (each one product with the n×n Gram matrix).</summary>
    public int Steps { get; private set; }

    /// <summary>How many of the decompositions covered the whole spectrum (k + 10 &gt; n/2).</summary>
    public int FullDecompositions { get; private set; }

    /// <summary>
    /// The triplets of the column-major m×n matrix <paramref name="a"/> with singular values above <paramref name="tau"/>:
    /// U (m × count) and V (n × count), column-major with orthonormal columns, and the values, descending.
    /// </summary>
    public (double[] U, double[] S, double[] V) Compute(ReadOnlySpan<double> a, double tau)
    {
        int m = _m, n = _n;
        Gram.Compute(m, n, a, m, _gram);
        double threshold = tau * tau;
        int k = _predicted;
        double[] ritz;
        double[] values;
        int count;
        while (true)
        {
            // A block beyond half of n would take many slow steps on a flat tail: the whole n×n Gram matrix is then cheaper.
            int p = Math.Min(n, k + Oversampling);
            p = 2 * p > n ? n : p;
            _sizes.Add(k);
            FullDecompositions += p == n ? 1 : 0;
            (ritz, values, count) = Iterate(p, k, threshold);
            if (count < k || k == n)
            {
                break;
            }

            k = Math.Min(n, count + Math.Max(1, (int)Math.Round(0.05 * n)));
        }

        // B = A·V for the Ritz vectors above τ², then B's SVD through its R factor: B = Q·R, R·W = U_R·Σ by one-sided Jacobi
        // on the c×c R (W orthogonal), so that B·W = Q·U_R·Σ gives U = B·W·Σ⁻¹ and the right vectors V·W, at O(m·c²) in
        // blocked Householder steps rather than O(m·c²) per Jacobi sweep over the tall B.
        var v = ritz.AsSpan(0, n * count).ToArray();
        if (count == 0)
        {
            _predicted = Math.Min(n, 1);
            return ([], [], []);
        }

        var b = new double[m * count];
        Gemm.Multiply(false, false, m, count, n, 1.0, a, m, v, n, 0.0, b, m);
        var r = TallSkinnyQr.R((double[])b.Clone(), m, count);
        var w = new double[count * count];
        for (int j = 0; j < count; j++)
        {
            w[j + (j * count)] = 1.0;
        }

        var sigma = TruncatedSvd.OneSidedJacobi(r, count, w, count, count);
        int above = 0;
        while (above < count && sigma[above] > tau)
        {
            above++;
        }

        _predicted = Math.Min(n, above + 1);
        var u = new double[m * above];
        var right = new double[n * above];
        if (above > 0)
        {
            Gemm.Multiply(false, false, m, above, count, 1.0, b, m, w, count, 0.0, u, m);
            Gemm.Multiply(false, false, n, above, count, 1.0, v, n, w, count, 0.0, right, n);
            for (int j = 0; j < above; j++)
            {
                Kernels.Scal(1.0 / sigma[j], u.AsSpan(j * m, m));
            }
        }

        return (u, sigma.AsSpan(0, above).ToArray(), right);
    }

    /// <summary>
    /// Subspace iteration of a p-column block on the Gram matrix from the warm start; returns the Ritz vectors (n × p,
    /// descending), their values and how many exceed <paramref name="threshold"/>. Stops when the pairs above it have
    /// converged, or at once when k of them exceed it (the caller then grows k).
    /// </summary>
    private (double[] Vectors, double[] Values, int Count) Iterate(int p, int k, double threshold)
    {
        int n = _n;
        var q = Start(p);
        var z = new double[n * p];
        var t = new double[p * p];
        var rotation = new double[p * p];
        var values = new double[p];
        var qe = new double[n * p];
        var ze = new double[n * p];
        int count = 0;
        for (int step = 0; step < MaxSteps; step++)
        {
            Parallelism.ThrowIfCancellationRequested();
            Steps++;
            Gemm.Multiply(false, false, n, p, n, 1.0, _gram, n, q, n, 0.0, z, n);
            Gemm.Multiply(true, false, p, p, n, 1.0, q, n, z, n, 0.0, t, p);
            TruncatedSvd.SymmetricJacobi(t, p, values, rotation);
            Gemm.Multiply(false, false, n, p, p, 1.0, q, n, rotation, p, 0.0, qe, n);
            Gemm.Multiply(false, false, n, p, p, 1.0, z, n, rotation, p, 0.0, ze, n);
            count = 0;
            while (count < p && values[count] > threshold)
            {
                count++;
            }

            if (p == n || (count >= k && k < n))
            {
                break;
            }

            if (Converged(qe, ze, values, count, p, threshold))
            {
                break;
            }

            Array.Copy(ze, q, n * p);
            TruncatedSvd.Orthonormalize(q, n, p);
        }

        _basis = qe;
        _basisColumns = p;
        return (qe, values, count);
    }

    /// <summary>
    /// Whether the Ritz pairs above the threshold are accurate enough for the threshold's result, and none is missing. The
    /// thresholded part is A·V·diag(1 − τ/σ)·Vᵀ: a pair enters it weighted by its filter factor f = 1 − τ/σ, which vanishes at
    /// the threshold (and rotations within a cluster of equal factors change nothing), so each pair's residual ‖G·v − θ·v‖
    /// must fall to 10⁻¹³·θ₁/f — rounding level for the leading pairs, less for those near the threshold, which would
    /// otherwise take many steps on a flat tail. The next pair must have converged too or lie below the threshold by more
    /// than its residual (an eigenvalue lies within the residual of every Ritz value, so none above the threshold hides behind it).
    /// </summary>
    private bool Converged(double[] qe, double[] ze, double[] values, int count, int p, double threshold)
    {
        double tolerance = ResidualTolerance * Math.Max(Math.Abs(values[0]), double.Epsilon);
        double tau = Math.Sqrt(threshold);
        for (int j = 0; j < count; j++)
        {
            double filter = 1.0 - (tau / Math.Sqrt(values[j]));
            if (!(Residual(qe, ze, values[j], j) * filter <= tolerance))
            {
                return false;
            }
        }

        if (count == p)
        {
            return true;
        }

        double next = Residual(qe, ze, values[count], count);
        return next <= tolerance || values[count] + next <= threshold;
    }

    /// <summary>‖G·v_j − θ_j·v_j‖ from the rotated block (ze = G·qe).</summary>
    private double Residual(double[] qe, double[] ze, double value, int j)
    {
        int n = _n;
        double r = 0.0;
        for (int i = 0; i < n; i++)
        {
            double e = ze[i + (j * n)] - (value * qe[i + (j * n)]);
            r += e * e;
        }

        return Math.Sqrt(r);
    }

    /// <summary>An orthonormal n×p start: the previous call's Ritz vectors, completed by fixed pseudo-random columns.</summary>
    private double[] Start(int p)
    {
        int n = _n;
        var q = new double[n * p];
        int kept = Math.Min(p, _basisColumns);
        Array.Copy(_basis, q, n * kept);
        if (kept < p)
        {
            new SplitMix64(Seed + (ulong)kept).FillNormal(q.AsSpan(n * kept));
        }

        TruncatedSvd.Orthonormalize(q, n, p);
        return q;
    }
}
