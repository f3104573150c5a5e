// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// Initial factors for <see cref="Nmf"/> as scikit-learn's <c>_initialize_nmf</c>: random, or the
/// non-negative double SVD family (Boutsidis and Gallopoulos, "SVD based initialization: a head
/// start for nonnegative matrix factorization", Pattern Recognition 41(4), 2008), here from a
/// deterministic truncated SVD (<see cref="TruncatedSvd"/>): exact to rounding level, except on large data
/// (from 512×512 entries) whose spectrum is too flat for the exact one to converge at the cost of the randomized
/// SVD that scikit-learn uses, which it then is (from a fixed seed).
/// Output layouts: Wᵀ (K×n) and H (K×m), column-major.
/// </summary>
internal static class NmfInitializer
{
    private const double Truncation = 1e-6;
    private const double TieTolerance = 1e-10;

    /// <summary>|N(0,1)|·√(mean/K) for H (drawn first, row by row) then W, as scikit-learn orders them.</summary>
    public static void Random(int n, int m, int k, double mean, SplitMix64 rng, double[] wt, double[] h)
    {
        double avg = Math.Sqrt(mean / k);
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < m; j++)
            {
                h[c + (j * k)] = avg * Math.Abs(rng.NextNormal());
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                wt[c + (i * k)] = avg * Math.Abs(rng.NextNormal());
            }
        }
    }

    /// <summary>
    /// NNDSVD of the n×m column-major x (K ≤ min(n, m)), then the variant's fill of its zeros. When the
    /// positive and negative parts of a singular pair are equally large (to 1e-10), the positive part is
    /// taken, or the negative one with <paramref name="negativeOnTie"/>.
    /// </summary>
    public static void Nndsvd(double[] x, int n, int m, int k, NmfInit variant, double mean, SplitMix64? rng, double[] wt, double[] h, bool negativeOnTie = false)
    {
        var (u, s, v) = TruncatedSvd.Compute(x, n, m, k);
        FromSvd(u, s, v, n, m, k, variant, mean, rng, wt, h, negativeOnTie);
    }

    /// <summary>
    /// NNDSVD of sparse data, from <see cref="TruncatedSvd.ComputeSparse"/>: the same decomposition as of the data dense
    /// (the same subspace iteration or randomized SVD, through sparse products), so the same start to rounding.
    /// </summary>
    public static void Nndsvd(NmfSparseData x, int k, NmfInit variant, double mean, SplitMix64? rng, double[] wt, double[] h)
    {
        var (u, s, v) = TruncatedSvd.ComputeSparse(x.Rows, x.Columns, k);
        FromSvd(u, s, v, x.N, x.M, k, variant, mean, rng, wt, h, negativeOnTie: false);
    }

    private static void FromSvd(double[] u, double[] s, double[] v, int n, int m, int k, NmfInit variant, double mean, SplitMix64? rng, double[] wt, double[] h, bool negativeOnTie)
    {

        // The leading singular pair of a non-negative matrix can be taken non-negative.
        double root = Math.Sqrt(s[0]);
        for (int i = 0; i < n; i++)
        {
            wt[i * k] = root * Math.Abs(u[i]);
        }

        for (int j = 0; j < m; j++)
        {
            h[j * k] = root * Math.Abs(v[j]);
        }

        for (int c = 1; c < k; c++)
        {
            var uc = u.AsSpan(c * n, n);
            var vc = v.AsSpan(c * m, m);
            double upPos = PartNorm(uc, positive: true), upNeg = PartNorm(uc, positive: false);
            double vpPos = PartNorm(vc, positive: true), vpNeg = PartNorm(vc, positive: false);
            double mPos = upPos * vpPos, mNeg = upNeg * vpNeg;
            // An exact tie (symmetric singular vectors, e.g. a sine over a whole period) is settled by rounding in
            // scikit-learn; here it is settled deterministically, toward the positive part unless asked otherwise.
            bool tie = Math.Abs(mPos - mNeg) <= TieTolerance * (mPos + mNeg);
            bool positive = tie ? !negativeOnTie : mPos > mNeg;
            double sigma = positive ? mPos : mNeg;
            double lambda = Math.Sqrt(s[c] * sigma);
            double su = positive ? upPos : upNeg, sv = positive ? vpPos : vpNeg;
            for (int i = 0; i < n; i++)
            {
                double part = positive ? Math.Max(uc[i], 0.0) : Math.Abs(Math.Min(uc[i], 0.0));
                wt[c + (i * k)] = lambda * (part / su);
            }

            for (int j = 0; j < m; j++)
            {
                double part = positive ? Math.Max(vc[j], 0.0) : Math.Abs(Math.Min(vc[j], 0.0));
                h[c + (j * k)] = lambda * (part / sv);
            }
        }

        Fill(wt, variant, mean, rng);
        Fill(h, variant, mean, rng);
    }

    private static void Fill(double[] f, NmfInit variant, double mean, SplitMix64? rng)
    {
        for (int i = 0; i < f.Length; i++)
        {
            // NaN (0/0 from an all-zero part) is truncated too, as numpy's W[W < eps] = 0 does not; it only occurs with σ = 0.
            if (!(f[i] >= Truncation))
            {
                f[i] = variant switch
                {
                    NmfInit.NndsvdA => mean,
                    NmfInit.NndsvdAr => Math.Abs(mean * rng!.NextNormal() / 100.0),
                    _ => 0.0,
                };
            }
        }
    }

    private static double PartNorm(ReadOnlySpan<double> x, bool positive)
    {
        double sum = 0.0;
        foreach (double v in x)
        {
            double part = positive ? Math.Max(v, 0.0) : Math.Min(v, 0.0);
            sum += part * part;
        }

        return Math.Sqrt(sum);
    }
}
