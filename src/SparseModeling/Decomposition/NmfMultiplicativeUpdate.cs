// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// Multiplicative updates for the β-divergence (Lee and Seung, NIPS 2001; Févotte and Idier, Neural
/// Comput. 23(9), 2011) in scikit-learn's order: W then H each iteration, the same exponent γ(β),
/// the same floors for zeros of W·H and of the denominators, the same zeroing of tiny factors, and
/// the same stopping rule (relative decrease of √(2·D_β) checked every 10 iterations).
/// </summary>
internal static class NmfMultiplicativeUpdate
{
    /// <summary>The float64 machine epsilon, below which scikit-learn zeroes factors for β ≤ 1.</summary>
    public const double Float64Epsilon = 2.220446049250313e-16;

    /// <summary>The exponent γ(β) of Févotte and Idier's maximisation–minimisation updates.</summary>
    public static double Gamma(double beta) => beta < 1.0 ? 1.0 / (2.0 - beta) : beta > 2.0 ? 1.0 / (beta - 1.0) : 1.0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NmfRun Run(NmfProblem problem, double[] wt, double[] h, NmfRegularization reg, NmfRunSettings settings)
    {
        double beta = problem.Beta;
        double gamma = Gamma(beta);
        var workspace = new NmfMuWorkspace(problem);
        var tracker = new NmfProgress(problem, wt, h, settings);
        int iteration = 0;
        bool converged = false;
        while (iteration < settings.MaxIterations)
        {
            settings.CancellationToken.ThrowIfCancellationRequested();
            iteration++;
            UpdateW(problem, wt, h, reg, gamma, workspace, hFixed: !settings.UpdateH);
            if (beta < 1.0)
            {
                ZeroBelow(wt, Float64Epsilon);
            }

            if (settings.UpdateH)
            {
                UpdateH(problem, wt, h, reg, gamma, workspace, online: null);
                if (beta <= 1.0)
                {
                    ZeroBelow(h, Float64Epsilon);
                }
            }

            if (tracker.AfterIteration(iteration, checkNow: iteration % 10 == 0))
            {
                converged = true;
                break;
            }
        }

        return new NmfRun(iteration, converged);
    }

    /// <summary>
    /// One multiplicative update of W (held as Wᵀ, K×n) with H fixed, as scikit-learn's
    /// <c>_multiplicative_update_w</c> (without the zeroing of tiny entries, which callers do as scikit-learn does).
    /// With <paramref name="hFixed"/>, the Frobenius terms H·Xᵀ and H·Hᵀ are computed once and kept in the
    /// workspace until <see cref="NmfMuWorkspace.FrobeniusCacheValid"/> is cleared.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UpdateW(NmfProblem problem, double[] wt, double[] h, NmfRegularization reg, double gamma, NmfMuWorkspace workspace, bool hFixed)
    {
        int n = problem.N, m = problem.M, k = problem.K;
        double beta = problem.Beta;
        if (beta == 2.0 && !problem.Masked)
        {
            if (!workspace.FrobeniusCacheValid)
            {
                problem.TimesFactor(h, workspace.NumW);
                FactorGemm.Gram(k, m, h, workspace.KK);
                workspace.FrobeniusCacheValid = hFixed;
            }

            FactorGemm.SymmetricTimes(k, n, workspace.KK, wt, workspace.DenW);
        }
        else
        {
            WTerms(problem, wt, h, workspace.NumW, workspace.DenW, workspace.Sums);
        }

        Apply(wt, workspace.NumW, workspace.DenW, beta == 1.0 && !problem.Masked ? workspace.Sums : null, reg.L1W, reg.L2W, gamma, null);
    }

    /// <summary>
    /// One multiplicative update of H (K×m) with W fixed, as scikit-learn's <c>_multiplicative_update_h</c>
    /// (without the zeroing of tiny entries); with <paramref name="online"/>, the online form of Lefèvre, Bach
    /// and Févotte (2011) that scikit-learn's <c>MiniBatchNMF</c> uses: A ← ρA + H^(1/γ)·num, B ← ρB + den, H ← (A/B)^γ.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UpdateH(NmfProblem problem, double[] wt, double[] h, NmfRegularization reg, double gamma, NmfMuWorkspace workspace, NmfOnlineStatistics? online)
    {
        int n = problem.N, m = problem.M, k = problem.K;
        if (problem.Beta == 2.0 && !problem.Masked)
        {
            var numH = workspace.NumH;
            var denH = workspace.DenH;
            var kk = workspace.KK;
            problem.FactorTimes(wt, numH);
            FactorGemm.Gram(k, n, wt, kk);
            FactorGemm.SymmetricTimes(k, m, kk, h, denH);
            workspace.FrobeniusCacheValid = false;
            Apply(h, numH.AsSpan(0, k * m), denH.AsSpan(0, k * m), null, reg.L1H, reg.L2H, gamma, online is null ? null : new NmfOnlineBlock(online, 0));
        }
        else
        {
            UpdateHBlocks(problem, wt, h, workspace.NumH, workspace.DenH, workspace.Sums, reg, gamma, online);
        }
    }

    /// <summary>Sets the entries of <paramref name="f"/> below <paramref name="threshold"/> to zero (scikit-learn's stabilisation for β ≤ 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ZeroBelow(Span<double> f, double threshold)
    {
        for (int i = 0; i < f.Length; i++)
        {
            if (f[i] < threshold)
            {
                f[i] = 0.0;
            }
        }
    }

    /// <summary>Numerator (X·(WH)^(β−2))·Hᵀ and denominator ((WH)^(β−1))·Hᵀ of the W update, transposed (K×n), accumulated over column blocks; for KL the denominator is H's row sums (in <paramref name="sums"/>).</summary>
    private static void WTerms(NmfProblem problem, double[] wt, double[] h, double[] numW, double[] denW, double[] sums)
    {
        int n = problem.N, m = problem.M, k = problem.K;
        bool kullbackLeibler = problem.Beta == 1.0 && !problem.Masked;
        if (problem.Sparse is { } sparse)
        {
            // The numerator at the stored entries; the denominator (β ≠ 1) over all entries, from blocks of W·H.
            sparse.RowNumerator(k, wt, h, problem.Beta, numW);
            for (int j0 = 0; j0 < m && !kullbackLeibler; j0 += problem.BlockColumns)
            {
                int b = Math.Min(problem.BlockColumns, m - j0);
                problem.Model(wt, h, j0, b);
                DenominatorTerms(problem.P.AsSpan(0, n * b), problem.Beta);
                FactorGemm.FactorTimesTransposed(k, n, b, h.AsSpan(j0 * k, k * b), problem.P, n, denW, j0 > 0);
            }
        }

        for (int j0 = 0; j0 < m && problem.Sparse is null; j0 += problem.BlockColumns)
        {
            int b = Math.Min(problem.BlockColumns, m - j0);
            problem.Model(wt, h, j0, b);
            ElementTerms(problem, j0, b);
            bool accumulate = j0 > 0;
            var hb = h.AsSpan(j0 * k, k * b);
            FactorGemm.FactorTimesTransposed(k, n, b, hb, problem.P, n, numW, accumulate);
            if (!kullbackLeibler)
            {
                FactorGemm.FactorTimesTransposed(k, n, b, hb, problem.Q, n, denW, accumulate);
            }
        }

        if (kullbackLeibler)
        {
            Array.Clear(sums);
            for (int j = 0; j < m; j++)
            {
                for (int c = 0; c < k; c++)
                {
                    sums[c] += h[c + (j * k)];
                }
            }
        }
    }

    private static void UpdateHBlocks(NmfProblem problem, double[] wt, double[] h, double[] numH, double[] denH, double[] sums, NmfRegularization reg, double gamma, NmfOnlineStatistics? online)
    {
        int n = problem.N, m = problem.M, k = problem.K;
        bool kullbackLeibler = problem.Beta == 1.0 && !problem.Masked;
        if (kullbackLeibler)
        {
            Array.Clear(sums);
            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < k; c++)
                {
                    sums[c] += wt[c + (i * k)];
                }
            }

            for (int c = 0; c < k; c++)
            {
                if (sums[c] == 0.0)
                {
                    sums[c] = 1.0;
                }
            }
        }

        // Sparse data: the numerator of every column at the stored entries, before any column of H changes.
        var sparse = problem.Sparse;
        sparse?.ColumnNumerator(k, wt, h, problem.Beta, numH);

        // Each block of H's columns depends only on W and the same block of X, so it is updated as soon as its terms are known.
        for (int j0 = 0; j0 < m; j0 += problem.BlockColumns)
        {
            int b = Math.Min(problem.BlockColumns, m - j0);
            int numOffset = 0;
            if (sparse is not null)
            {
                numOffset = j0 * k;
                if (!kullbackLeibler)
                {
                    problem.Model(wt, h, j0, b);
                    DenominatorTerms(problem.P.AsSpan(0, n * b), problem.Beta);
                    FactorGemm.FactorTransposedTimes(k, n, b, wt, problem.P, n, denH);
                }
            }
            else
            {
                problem.Model(wt, h, j0, b);
                ElementTerms(problem, j0, b);
                FactorGemm.FactorTransposedTimes(k, n, b, wt, problem.P, n, numH);
                if (!kullbackLeibler)
                {
                    FactorGemm.FactorTransposedTimes(k, n, b, wt, problem.Q, n, denH);
                }
            }

            Apply(h.AsSpan(j0 * k, k * b), numH.AsSpan(numOffset, k * b), denH.AsSpan(0, k * b), kullbackLeibler ? sums : null, reg.L1H, reg.L2H, gamma, online is null ? null : new NmfOnlineBlock(online, j0 * k));
        }
    }

    /// <summary>P (holding W·H for the block) ← X·(WH)^(β−2); Q ← (WH)^(β−1), with scikit-learn's floors.</summary>
    private static void ElementTerms(NmfProblem problem, int j0, int b)
    {
        int len = problem.N * b;
        var x = problem.X.AsSpan(j0 * problem.N, len);
        var p = problem.P.AsSpan(0, len);
        double beta = problem.Beta;
        if (problem.Masked)
        {
            MaskedTerms(x, p, problem.Q.AsSpan(0, len), beta);
            return;
        }

        if (beta == 1.0)
        {
            Kernels.DivideFloored(x, p, NmfProblem.Epsilon);
            return;
        }

        var q = problem.Q.AsSpan(0, len);
        if (beta == 0.0)
        {
            Kernels.ItakuraSaitoTerms(x, p, q, NmfProblem.Epsilon);
            return;
        }

        for (int i = 0; i < len; i++)
        {
            double wh = p[i];
            double forDenominator = beta < 1.0 && wh == 0.0 ? NmfProblem.Epsilon : wh;
            double forNumerator = beta < 2.0 && wh == 0.0 ? NmfProblem.Epsilon : wh;
            q[i] = Math.Pow(forDenominator, beta - 1.0);
            p[i] = Math.Pow(forNumerator, beta - 2.0) * x[i];
        }
    }

    /// <summary>p ← (W·H)^(β−1) in place over a block of W·H, with scikit-learn's floor of zeros for β &lt; 1 (the denominator terms of sparse data).</summary>
    private static void DenominatorTerms(Span<double> p, double beta)
    {
        for (int i = 0; i < p.Length; i++)
        {
            double wh = p[i];
            double forDenominator = beta < 1.0 && wh == 0.0 ? NmfProblem.Epsilon : wh;
            p[i] = beta == 0.0 ? 1.0 / forDenominator : Math.Pow(forDenominator, beta - 1.0);
        }
    }

    /// <summary>The weighted terms with missing entries: P ← X·(WH)^(β−2) and Q ← (WH)^(β−1) where X is observed, both 0 where it is NaN (weight 0), with the same floors.</summary>
    private static void MaskedTerms(ReadOnlySpan<double> x, Span<double> p, Span<double> q, double beta)
    {
        for (int i = 0; i < p.Length; i++)
        {
            double xi = x[i];
            if (double.IsNaN(xi))
            {
                p[i] = 0.0;
                q[i] = 0.0;
                continue;
            }

            double wh = p[i];
            double forDenominator = beta < 1.0 && wh == 0.0 ? NmfProblem.Epsilon : wh;
            double forNumerator = beta < 2.0 && wh == 0.0 ? NmfProblem.Epsilon : wh;
            q[i] = beta == 2.0 ? forDenominator : beta == 1.0 ? 1.0 : Math.Pow(forDenominator, beta - 1.0);
            p[i] = beta == 2.0 ? xi : beta == 1.0 ? xi / forNumerator : Math.Pow(forNumerator, beta - 2.0) * xi;
        }
    }

    /// <summary>
    /// f ← f·(num / den)^γ with den = base + l1 + l2·f (base from <paramref name="den"/>, or the per-component
    /// <paramref name="rowSums"/> when given), zero denominators floored as scikit-learn; with <paramref name="online"/>,
    /// the online form A ← ρA + f^(1/γ)·num, B ← ρB + den, f ← (A/B)^γ on the block's statistics.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Apply(Span<double> f, ReadOnlySpan<double> num, ReadOnlySpan<double> den, double[]? rowSums, double l1, double l2, double gamma, NmfOnlineBlock? online)
    {
        int k = rowSums?.Length ?? 1;
        Span<double> a = online is { } oa ? oa.Statistics.Numerator.AsSpan(oa.Offset, f.Length) : default;
        Span<double> b = online is { } ob ? ob.Statistics.Denominator.AsSpan(ob.Offset, f.Length) : default;
        double rho = online?.Statistics.Rho ?? 0.0;
        for (int i = 0; i < f.Length; i++)
        {
            double d = rowSums is null ? den[i] : rowSums[i % k];
            if (l1 > 0.0)
            {
                d += l1;
            }

            if (l2 > 0.0)
            {
                d += l2 * f[i];
            }

            if (d == 0.0)
            {
                d = NmfProblem.Epsilon;
            }

            if (online is not null)
            {
                double fi = f[i];
                double scaled = gamma == 1.0 ? fi : gamma == 0.5 ? fi * fi : Math.Pow(fi, 1.0 / gamma);
                a[i] = (a[i] * rho) + (num[i] * scaled);
                b[i] = (b[i] * rho) + d;
                double ratio = a[i] / b[i];
                f[i] = gamma == 1.0 ? ratio : gamma == 0.5 ? Math.Sqrt(ratio) : Math.Pow(ratio, gamma);
                continue;
            }

            double delta = num[i] / d;
            if (gamma != 1.0)
            {
                delta = gamma == 0.5 ? Math.Sqrt(delta) : Math.Pow(delta, gamma);
            }

            f[i] *= delta;
        }
    }
}

/// <summary>The buffers of the multiplicative updates for one <see cref="NmfProblem"/>, allocated once and reused across iterations.</summary>
internal sealed class NmfMuWorkspace
{
    public NmfMuWorkspace(NmfProblem problem)
    {
        int n = problem.N, m = problem.M, k = problem.K;
        NumW = new double[k * n];
        DenW = new double[k * n];
        KK = new double[k * k];
        NumH = new double[k * Math.Max(m, problem.BlockColumns)];
        DenH = new double[NumH.Length];
        Sums = new double[k];
    }

    public double[] NumW { get; }

    public double[] DenW { get; }

    public double[] KK { get; }

    public double[] NumH { get; }

    public double[] DenH { get; }

    public double[] Sums { get; }

    /// <summary>Whether <see cref="NumW"/> and <see cref="KK"/> hold H·Xᵀ and H·Hᵀ for the current H and X (Frobenius, H fixed).</summary>
    public bool FrobeniusCacheValid { get; set; }
}

/// <summary>
/// The sufficient statistics of the online multiplicative update of H (Lefèvre, Bach and Févotte 2011):
/// A (numerator) and B (denominator), both K×m column-major, and the forgetting weight ρ applied to them at each step.
/// </summary>
internal sealed record NmfOnlineStatistics(double[] Numerator, double[] Denominator, double Rho);

/// <summary>The statistics of one column block of H, starting at <paramref name="Offset"/>.</summary>
internal readonly record struct NmfOnlineBlock(NmfOnlineStatistics Statistics, int Offset);

/// <summary>Scaled regularisation of the NMF objective, as scikit-learn's <c>_compute_regularization</c>.</summary>
internal readonly record struct NmfRegularization(double L1W, double L1H, double L2W, double L2H)
{
    /// <summary>The terms for n samples and m features: L1 = m·α_W·ρ and n·α_H·ρ, L2 = m·α_W·(1 − ρ) and n·α_H·(1 − ρ).</summary>
    public static NmfRegularization Scaled(int n, int m, double alphaW, double alphaH, double l1Ratio) =>
        new(m * alphaW * l1Ratio, n * alphaH * l1Ratio, m * alphaW * (1.0 - l1Ratio), n * alphaH * (1.0 - l1Ratio));
}

/// <summary>Settings shared by the NMF solvers.</summary>
internal sealed record NmfRunSettings(int MaxIterations, double Tolerance, bool UpdateH, Action<NmfIterationInfo>? OnIteration, CancellationToken CancellationToken);

/// <summary>What a solver run reports.</summary>
internal readonly record struct NmfRun(int Iterations, bool Converged);

/// <summary>
/// scikit-learn's stopping rule for the multiplicative updates — every 10 iterations, stop when
/// (previous error − error) / initial error &lt; tolerance, errors being √(2·D_β) — and the
/// per-iteration callback (which computes the divergence only when the callback reads it).
/// </summary>
internal sealed class NmfProgress
{
    private readonly NmfProblem _problem;
    private readonly double[] _wt;
    private readonly double[] _h;
    private readonly NmfRunSettings _settings;
    private readonly double _initialError;
    private double _previousError;

    public NmfProgress(NmfProblem problem, double[] wt, double[] h, NmfRunSettings settings)
    {
        _problem = problem;
        _wt = wt;
        _h = h;
        _settings = settings;
        if (settings.Tolerance > 0.0)
        {
            _initialError = NmfProblem.ErrorFromDivergence(problem.Divergence(wt, h), problem.Beta);
            problem.EnsureFinite(_initialError, "reconstruction error", 0);
            _previousError = _initialError;
        }
    }

    /// <summary>Reports the iteration; returns true when the stopping rule is met.</summary>
    public bool AfterIteration(int iteration, bool checkNow)
    {
        bool stop = false;
        double divergence = double.NaN;
        double gap = double.NaN;
        if (_settings.Tolerance > 0.0 && checkNow)
        {
            divergence = _problem.Divergence(_wt, _h);
            double error = NmfProblem.ErrorFromDivergence(divergence, _problem.Beta);
            _problem.EnsureFinite(error, "reconstruction error", iteration);
            gap = (_previousError - error) / _initialError;
            stop = gap < _settings.Tolerance;
            _previousError = error;
        }

        if (_settings.OnIteration is { } callback)
        {
            // The divergence the check computed is reused; otherwise it is computed only if the callback reads it.
            var problem = _problem;
            double[] wt = _wt, h = _h;
            Func<double> objective = double.IsNaN(divergence) ? () => problem.Divergence(wt, h) : () => divergence;
            NmfIterationInfo.Report(callback, iteration, gap, objective, wt, h, problem.N, problem.M, problem.K);
        }

        return stop;
    }
}
