// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// The data and working storage of one NMF fit or transform. Layouts: X is n×m column-major; W is
/// held transposed (Wᵀ, K×n column-major, i.e. W row-major) and H is K×m column-major, so that the
/// K entries of one row of W or one column of H are contiguous for the coordinate-descent and
/// element-wise passes. β ≠ 2 works on column blocks of W·H so that no n×m array beyond one work
/// buffer is ever allocated.
/// </summary>
internal sealed class NmfProblem
{
    /// <summary>scikit-learn's EPSILON: the float32 machine epsilon, its floor for zeros of W·H.</summary>
    public const double Epsilon = 1.1920928955078125e-07;

    /// <summary>
    /// The X-dependent term of D_β at one entry with xᵢ &gt; <see cref="Epsilon"/> and model value pᵢ (a zero floored to
    /// <see cref="Epsilon"/>), β ≠ 2: xᵢ·log(xᵢ/pᵢ) − xᵢ (β = 1), xᵢ/pᵢ − log(xᵢ/pᵢ) (β = 0), else xᵢ^β − β·xᵢ·pᵢ^(β−1).
    /// Shared by the dense sum and the sum over a sparse X's stored entries.
    /// </summary>
    internal static double DivergenceTerm(double xi, double pi, double beta)
    {
        double ps = pi == 0.0 ? Epsilon : pi;
        if (beta == 1.0)
        {
            return (xi * Math.Log(xi / ps)) - xi;
        }

        if (beta == 0.0)
        {
            double r = xi / ps;
            return r - Math.Log(r);
        }

        return Math.Pow(xi, beta) - (beta * xi * Math.Pow(ps, beta - 1.0));
    }

    private const int MaxBlockColumns = 256;

    public NmfProblem(double[] x, int n, int m, int k, double beta, bool masked = false)
    {
        X = x;
        N = n;
        M = m;
        K = k;
        Beta = beta;
        Masked = masked;
        bool twoBuffers = masked || (beta != 1.0 && beta != 2.0);
        int block = Math.Min(m, MaxBlockColumns);
        if (twoBuffers && block == m && m > 1)
        {
            block = (m + 1) / 2;
        }

        BlockColumns = block;
        P = new double[checked(n * block)];
        Q = twoBuffers ? new double[n * block] : [];
    }

    /// <summary>
    /// A problem on sparse data: X is reached only through <paramref name="sparse"/>; for β ∉ {1, 2} one work buffer of
    /// n × <see cref="BlockColumns"/> holds blocks of W·H for the terms over all entries ((W·H)^(β−1), Σ(W·H)^β), none otherwise.
    /// </summary>
    public NmfProblem(NmfSparseData sparse, int k, double beta)
    {
        X = [];
        Sparse = sparse;
        N = sparse.N;
        M = sparse.M;
        K = k;
        Beta = beta;
        BlockColumns = Math.Min(M, MaxBlockColumns);
        P = beta is 1.0 or 2.0 ? [] : new double[checked(N * BlockColumns)];
        Q = [];
    }

    /// <summary>The sparse data, or null when X is dense (<see cref="X"/>).</summary>
    public NmfSparseData? Sparse { get; }

    /// <summary>X, n×m column-major (empty when the data are <see cref="Sparse"/>).</summary>
    public double[] X { get; }

    public int N { get; }

    public int M { get; }

    public int K { get; }

    public double Beta { get; }

    /// <summary>Whether X has missing (NaN) entries, which every sum over the data skips (weight 0).</summary>
    public bool Masked { get; }

    /// <summary>Columns of W·H processed at a time.</summary>
    public int BlockColumns { get; }

    /// <summary>Work buffer n × <see cref="BlockColumns"/> for W·H and the terms derived from it.</summary>
    public double[] P { get; }

    /// <summary>Second work buffer (β ∉ {1, 2}) for (W·H)^(β−1).</summary>
    public double[] Q { get; }

    /// <summary>P ← W·H[:, j0..j0+b) (n×b, leading dimension n).</summary>
    public void Model(double[] wt, double[] h, int j0, int b) =>
        Gemm.Multiply(true, false, N, b, K, 1.0, wt, K, h.AsSpan(j0 * K), K, 0.0, P, N);

    /// <summary>
    /// The β-divergence D_β(X ‖ W·H) exactly as scikit-learn's <c>_beta_divergence</c> computes it
    /// (entries of X at or below <see cref="Epsilon"/> skipped in the X-dependent sums for β ≠ 2, zeros of
    /// W·H floored to <see cref="Epsilon"/>); when <see cref="Masked"/>, the sums run over the observed (non-NaN) entries of X only.
    /// </summary>
    public double Divergence(double[] wt, double[] h)
    {
        if (Sparse is { } sparse)
        {
            return SparseDivergence(sparse, wt, h);
        }

        double beta = Beta;
        double sum = 0.0;
        double sumModelPower = 0.0;
        double count = 0.0;
        double observed = 0.0;
        double modelSum = 0.0;
        bool masked = Masked;
        for (int j0 = 0; j0 < M; j0 += BlockColumns)
        {
            int b = Math.Min(BlockColumns, M - j0);
            Model(wt, h, j0, b);
            var x = X.AsSpan(j0 * N, N * b);
            var p = P.AsSpan(0, N * b);
            if (beta == 2.0 && !masked)
            {
                double d = Kernels.Distance(x, p);
                sum += d * d;
                continue;
            }

            for (int i = 0; i < p.Length; i++)
            {
                double xi = x[i];
                double pi = p[i];
                if (masked)
                {
                    if (double.IsNaN(xi))
                    {
                        continue;
                    }

                    observed++;
                    modelSum += pi;
                    if (beta == 2.0)
                    {
                        sum += (xi - pi) * (xi - pi);
                        continue;
                    }
                }

                if (beta != 1.0 && beta != 0.0)
                {
                    sumModelPower += Math.Pow(pi, beta);
                }

                if (!(xi > Epsilon))
                {
                    continue;
                }

                count++;
                sum += DivergenceTerm(xi, pi, beta);
            }
        }

        if (beta == 2.0)
        {
            return sum / 2.0;
        }

        if (beta == 1.0 && masked)
        {
            return sum + modelSum;
        }

        if (beta == 0.0 && masked)
        {
            return sum - observed;
        }

        if (beta == 1.0)
        {
            return sum + ModelTotal(wt, h);
        }

        if (beta == 0.0)
        {
            return sum - ((double)N * M);
        }

        return (sum + ((beta - 1.0) * sumModelPower)) / (beta * (beta - 1.0));
    }

    /// <summary>crossW (K×n) ← H·Xᵀ, for the dense or the sparse data.</summary>
    public void TimesFactor(double[] h, double[] crossW)
    {
        if (Sparse is { } sparse)
        {
            sparse.TimesFactor(K, h, crossW);
        }
        else
        {
            FactorGemm.FactorTimesTransposed(K, N, M, h, X, N, crossW);
        }
    }

    /// <summary>crossH (K×m) ← Wᵀ·X, for the dense or the sparse data.</summary>
    public void FactorTimes(double[] wt, double[] crossH)
    {
        if (Sparse is { } sparse)
        {
            sparse.FactorTimes(K, wt, crossH);
        }
        else
        {
            FactorGemm.FactorTransposedTimes(K, N, M, wt, X, N, crossH);
        }
    }

    /// <summary>
    /// D_β on sparse data, equal to <see cref="Divergence"/> on the same data dense: the X-dependent sums over the stored
    /// entries, and the terms over all entries in closed form (β = 2: ½(‖X‖² − 2⟨X, WH⟩ + ⟨WᵀW, HHᵀ⟩); β = 1: Σ(W·H);
    /// β = 0: n·m) or, for other β, Σ(W·H)^β over column blocks of W·H.
    /// </summary>
    private double SparseDivergence(NmfSparseData sparse, double[] wt, double[] h)
    {
        double beta = Beta;
        var model = sparse.ModelAtRows(K, wt, h);
        if (beta == 2.0)
        {
            var gw = new double[K * K];
            var gh = new double[K * K];
            FactorGemm.Gram(K, N, wt, gw);
            FactorGemm.Gram(K, M, h, gh);
            double modelNorm = Kernels.Dot(gw, gh);
            return Math.Max(sparse.SquaredNorm - (2.0 * sparse.Inner(model)) + modelNorm, 0.0) / 2.0;
        }

        double sum = sparse.StoredDivergence(model, beta);
        if (beta == 1.0)
        {
            return sum + ModelTotal(wt, h);
        }

        if (beta == 0.0)
        {
            return sum - ((double)N * M);
        }

        double sumModelPower = 0.0;
        for (int j0 = 0; j0 < M; j0 += BlockColumns)
        {
            int b = Math.Min(BlockColumns, M - j0);
            Model(wt, h, j0, b);
            foreach (double pi in P.AsSpan(0, N * b))
            {
                sumModelPower += Math.Pow(pi, beta);
            }
        }

        return (sum + ((beta - 1.0) * sumModelPower)) / (beta * (beta - 1.0));
    }

    /// <summary>Σ(W·H) = (column sums of W)·(row sums of H).</summary>
    private double ModelTotal(double[] wt, double[] h)
    {
        double total = 0.0;
        for (int c = 0; c < K; c++)
        {
            double ws = 0.0, hs = 0.0;
            for (int i = 0; i < N; i++)
            {
                ws += wt[c + (i * K)];
            }

            for (int j = 0; j < M; j++)
            {
                hs += h[c + (j * K)];
            }

            total += ws * hs;
        }

        return total;
    }

    /// <summary>
    /// The exception for a non-finite quantity of an NMF fit (<paramref name="what"/>, with its value and where),
    /// naming the likely cause: the powers of W·H for β ∉ {0, 1, 2}, otherwise an overflow of the factors.
    /// </summary>
    public static ArithmeticException Diverged(string what, double beta) =>
        new($"NMF diverged: {what}. " + (beta is 0.0 or 1.0 or 2.0
            ? "The factors or their products overflowed the double range."
            : $"With β = {beta.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} the powers (W·H)^(β−1) and (W·H)^(β−2) of this data leave the double range (for β < 0 the smallest entries of X decide); choose a β closer to [0, 2]."));

    /// <summary>Throws <see cref="Diverged"/> unless <paramref name="value"/> (<paramref name="what"/>, at <paramref name="iteration"/>) is finite.</summary>
    public void EnsureFinite(double value, string what, int iteration)
    {
        if (!double.IsFinite(value))
        {
            throw Diverged($"the {what} at iteration {iteration} is {value}", Beta);
        }
    }

    /// <summary>scikit-learn's <c>reconstruction_err_</c>: √(2·D_β), with D_β clipped at 0 for β ≠ 2.</summary>
    public static double ErrorFromDivergence(double divergence, double beta) =>
        beta == 2.0 ? Math.Sqrt(divergence * 2.0) : Math.Sqrt(2.0 * Math.Max(divergence, 0.0));
}
