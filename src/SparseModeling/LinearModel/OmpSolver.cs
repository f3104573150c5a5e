// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The orthogonal matching pursuit core (Pati, Rezaiifar and Krishnaprasad 1993) shared by
/// <see cref="OrthogonalMatchingPursuit"/> and <see cref="Decomposition.SparseEncoder"/>: atoms are chosen greedily by
/// their correlation with the residual, and the least-squares coefficients on the chosen atoms are
/// recomputed after each choice from a Cholesky factor of the chosen Gram block that grows by one
/// forward substitution per atom (<see cref="CholeskyUpdater.TryAppend"/>), never refactorised.
/// </summary>
/// <remarks>
/// Two forms, as scikit-learn's <c>orthogonal_mp</c>: <see cref="Solve"/> works on X itself (one
/// Xᵀr product per atom; best when samples ≤ features), <see cref="SolveGram"/> only on G = XᵀX and
/// Xᵀy (Rubinstein, Zibulevsky and Elad, "Efficient implementation of the K-SVD algorithm using
/// batch orthogonal matching pursuit", Technion CS-2008-08: the correlations are updated as
/// Xᵀy − G_A·γ and the residual norm as ‖y‖² − γᵀ(Xᵀy)_A, so no signal-sized vector is touched).
/// Both stop after <c>maxAtoms</c> atoms, when ‖r‖² ≤ tolerance (if one is given), when the residual
/// is numerically orthogonal to every unchosen atom (it is then zero, or nothing can reduce it), or
/// when the next atom is collinear with the chosen ones.
/// </remarks>
internal static class OmpSolver
{
    /// <summary>
    /// The residual counts as exhausted when the largest squared correlation is at most this fraction of
    /// the largest squared correlation with y itself (as scikit-learn's machine-epsilon test on the
    /// squared correlation, made scale-free).
    /// </summary>
    private const double ExhaustedRatio = 2.220446049250313e-16;

    /// <summary>Why the pursuit stopped.</summary>
    public enum Stop
    {
        /// <summary>The requested number of atoms was reached.</summary>
        AtomCount,

        /// <summary>‖r‖² fell to the tolerance.</summary>
        Tolerance,

        /// <summary>The residual is orthogonal to every unchosen atom (zero, or y has no component the atoms can explain).</summary>
        Exhausted,

        /// <summary>The best next atom is (numerically) a combination of the chosen ones.</summary>
        Collinear,
    }

    /// <summary>The outcome of one pursuit.</summary>
    /// <param name="Atoms">The number of atoms chosen.</param>
    /// <param name="ResidualSquaredNorm">‖y − Xw‖² at the end.</param>
    /// <param name="Reason">Why it stopped.</param>
    public readonly record struct Result(int Atoms, double ResidualSquaredNorm, Stop Reason)
    {
        /// <summary>
        /// Whether the stopping rule asked for was met: the atom count (or an exhausted residual, which
        /// no further atom can reduce) without a tolerance; ‖r‖² ≤ tolerance with one.
        /// </summary>
        public bool Converged(bool hasTolerance) => Reason == Stop.Tolerance || (!hasTolerance && Reason != Stop.Collinear);
    }

    /// <summary>The scratch memory of one pursuit over <c>features</c> atoms choosing at most <c>capacity</c>; reusable for many signals.</summary>
    public sealed class Workspace
    {
        public Workspace(int features, int capacity)
        {
            Factor = new CholeskyUpdater(capacity);
            Active = new int[capacity];
            Gamma = new double[capacity];
            Cross = new double[capacity];
            Correlation = new double[features];
            IsActive = new bool[features];
        }

        public CholeskyUpdater Factor { get; }

        public int[] Active { get; }

        public double[] Gamma { get; }

        public double[] Cross { get; }

        public double[] Correlation { get; }

        public bool[] IsActive { get; }
    }

    /// <summary>
    /// OMP on X (n×p column-major, leading dimension n) and y. Writes w (length p, every entry) and returns
    /// the outcome. <paramref name="tolerance"/> null: stop after <paramref name="maxAtoms"/> atoms.
    /// With <paramref name="means"/> (length p, else empty), X is centred implicitly — the pursuit runs on
    /// X − 1x̄ᵀ without a copy of X (<paramref name="y"/> must then be centred): the correlations are
    /// Xᵀr − x̄·Σr, and each chosen atom is centred once into a small buffer of the chosen columns, from
    /// which the Gram entries of the chosen block and the residual are formed exactly.
    /// </summary>
    public static Result Solve(ReadOnlySpan<double> x, int n, int p, ReadOnlySpan<double> y, ReadOnlySpan<double> means, int maxAtoms, double? tolerance, Span<double> w, CancellationToken cancellationToken)
    {
        int capacity = Math.Min(maxAtoms, p);
        var ws = new Workspace(p, capacity);
        var chosen = GC.AllocateUninitializedArray<double>(capacity * n); // column i is written when atom i is chosen, before it is read
        var xty = new double[p];
        CenteredData.CorrelateCentred(x, n, p, means, y, xty);
        var residual = y.ToArray();
        double rss = Kernels.SquaredNorm(residual);
        xty.CopyTo(ws.Correlation, 0);
        double threshold = ExhaustedRatio * Square(Kernels.MaxAbs(xty));
        EnsureFinite(rss, threshold, 0);
        int k = 0;
        Stop reason;
        while (true)
        {
            if (tolerance is { } tol && rss <= tol)
            {
                reason = Stop.Tolerance;
                break;
            }

            if (k == capacity)
            {
                reason = Stop.AtomCount;
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            int best = ArgMaxInactive(ws.Correlation, ws.IsActive, p);
            if (best < 0 || !(Square(ws.Correlation[best]) > threshold))
            {
                // NaN correlations are never chosen and would pass for an exhausted residual.
                EnsureFinite(ws.Correlation, k);
                reason = Stop.Exhausted;
                break;
            }

            var column = chosen.AsSpan(k * n, n);
            Kernels.AddScalar(x.Slice(best * n, n), means.IsEmpty ? 0.0 : -means[best], column);
            for (int i = 0; i < k; i++)
            {
                ws.Cross[i] = Kernels.Dot(chosen.AsSpan(i * n, n), column);
            }

            if (!ws.Factor.TryAppend(ws.Cross.AsSpan(0, k), Kernels.SquaredNorm(column)))
            {
                reason = Stop.Collinear;
                break;
            }

            ws.Active[k] = best;
            ws.IsActive[best] = true;
            k++;
            var gamma = ws.Gamma.AsSpan(0, k);
            for (int i = 0; i < k; i++)
            {
                gamma[i] = xty[ws.Active[i]];
            }

            ws.Factor.Solve(gamma);
            y.CopyTo(residual);
            for (int i = 0; i < k; i++)
            {
                Kernels.Axpy(-gamma[i], chosen.AsSpan(i * n, n), residual);
            }

            rss = Kernels.SquaredNorm(residual);
            EnsureFinite(rss, 0.0, k);
            CenteredData.CorrelateCentred(x, n, p, means, residual, ws.Correlation);
        }

        Scatter(ws, k, w);
        return new Result(k, rss, reason);
    }

    /// <summary>
    /// OMP from the Gram matrix G = XᵀX (p×p column-major, leading dimension <paramref name="ldg"/>)
    /// and c = Xᵀy only. <paramref name="yNormSquared"/> = ‖y‖² is needed for the tolerance and the
    /// reported residual norm (pass NaN when neither is wanted). Writes w (length p, every entry).
    /// </summary>
    public static Result SolveGram(ReadOnlySpan<double> gram, int p, int ldg, ReadOnlySpan<double> xty, double yNormSquared, int maxAtoms, double? tolerance, Span<double> w, Workspace ws)
    {
        int capacity = Math.Min(Math.Min(maxAtoms, p), ws.Active.Length);
        ws.Factor.Clear();
        Array.Clear(ws.IsActive);
        var correlation = ws.Correlation.AsSpan(0, p);
        xty.CopyTo(correlation);
        double threshold = ExhaustedRatio * Square(Kernels.MaxAbs(xty));
        double rss = yNormSquared;
        EnsureFinite(double.IsNaN(rss) ? 0.0 : rss, threshold, 0);
        int k = 0;
        Stop reason;
        while (true)
        {
            if (tolerance is { } tol && rss <= tol)
            {
                reason = Stop.Tolerance;
                break;
            }

            if (k == capacity)
            {
                reason = Stop.AtomCount;
                break;
            }

            // The fit's cancellation (ambient: SparseEncoder's branches carry it too), once per atom of k·p multiply-adds.
            Parallelism.ThrowIfCancellationRequested();
            int best = ArgMaxInactive(correlation, ws.IsActive, p);
            if (best < 0 || !(Square(correlation[best]) > threshold))
            {
                // NaN correlations are never chosen and would pass for an exhausted residual.
                EnsureFinite(correlation, k);
                reason = Stop.Exhausted;
                break;
            }

            var column = gram.Slice(best * ldg, p);
            for (int i = 0; i < k; i++)
            {
                ws.Cross[i] = column[ws.Active[i]];
            }

            if (!ws.Factor.TryAppend(ws.Cross.AsSpan(0, k), column[best]))
            {
                reason = Stop.Collinear;
                break;
            }

            ws.Active[k] = best;
            ws.IsActive[best] = true;
            k++;
            var gamma = ws.Gamma.AsSpan(0, k);
            double explained = 0.0;
            for (int i = 0; i < k; i++)
            {
                gamma[i] = xty[ws.Active[i]];
            }

            ws.Factor.Solve(gamma);
            xty.CopyTo(correlation);
            for (int i = 0; i < k; i++)
            {
                double c = xty[ws.Active[i]];
                explained += gamma[i] * c;
                Kernels.Axpy(-gamma[i], gram.Slice(ws.Active[i] * ldg, p), correlation);
            }

            rss = yNormSquared - explained;
            EnsureFinite(double.IsNaN(yNormSquared) ? explained : rss, 0.0, k);
        }

        Scatter(ws, k, w);
        return new Result(k, rss, reason);
    }

    /// <summary>
    /// Throws <see cref="ArithmeticException"/> when the residual norm or the exhaustion threshold is NaN or ±∞ after
    /// <paramref name="atoms"/> atoms: the products of the data overflowed, and no stopping test can be trusted.
    /// </summary>
    private static void EnsureFinite(double rss, double threshold, int atoms)
    {
        if (!double.IsFinite(rss) || !double.IsFinite(threshold))
        {
            throw new ArithmeticException($"Orthogonal matching pursuit reached a non-finite {(double.IsFinite(threshold) ? $"residual norm ({rss})" : $"correlation ({Math.Sqrt(threshold / ExhaustedRatio)})")} after {atoms} atoms: the products of the data overflowed the double range.");
        }
    }

    /// <summary>Throws <see cref="ArithmeticException"/> when a correlation is NaN or ±∞ after <paramref name="atoms"/> atoms.</summary>
    private static void EnsureFinite(ReadOnlySpan<double> correlation, int atoms)
    {
        int at = Kernels.IndexOfNonFinite(correlation);
        if (at >= 0)
        {
            throw new ArithmeticException($"Orthogonal matching pursuit reached a non-finite correlation ({correlation[at]}, feature {at}) after {atoms} atoms: the products of the data overflowed the double range.");
        }
    }

    private static void Scatter(Workspace ws, int k, Span<double> w)
    {
        w.Clear();
        for (int i = 0; i < k; i++)
        {
            w[ws.Active[i]] = ws.Gamma[i];
        }
    }

    /// <summary>The unchosen index of largest |c| (the first on ties), or −1 when every index is chosen.</summary>
    private static int ArgMaxInactive(ReadOnlySpan<double> c, bool[] isActive, int p)
    {
        int best = -1;
        double max = -1.0;
        for (int j = 0; j < p; j++)
        {
            double a = Math.Abs(c[j]);
            if (a > max && !isActive[j])
            {
                max = a;
                best = j;
            }
        }

        return best;
    }

    private static double Square(double v) => v * v;
}
