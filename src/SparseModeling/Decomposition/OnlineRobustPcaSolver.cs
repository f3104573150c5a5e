// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// Online robust PCA by stochastic optimization (Feng, Xu and Yan, "Online robust PCA via stochastic optimization",
/// NIPS 2013, algorithm 1), one sample at a time: with the nuclear norm replaced by its factored form
/// ‖L·Rᵀ‖_* = min ½(‖L‖²_F + ‖R‖²_F), the problem min ½‖Z − L·Rᵀ − E‖²_F + λ₁/2·(‖L‖²_F + ‖R‖²_F) + λ₂‖E‖₁ separates
/// over the samples z once the basis L (features × K) is fixed. For each sample:
/// <list type="number">
/// <item>projection: (r, e) = argmin ½‖z − L·r − e‖² + λ₁/2‖r‖² + λ₂‖e‖₁, by alternating r ← (LᵀL + λ₁I)⁻¹Lᵀ(z − e)
/// and e ← soft-threshold(z − L·r, λ₂) from e = 0 (their algorithm 2) until z − L·r and e change by at most
/// tolerance·‖z‖;</item>
/// <item>statistics: A ← A + r·rᵀ (K × K), B ← B + (z − e)·rᵀ (features × K);</item>
/// <item>basis: L ← B·(A + λ₁I)⁻¹, the exact minimiser of their surrogate ½tr(Lᵀ(A + λ₁I)L) − tr(LᵀB) (they take one
/// pass of block coordinate descent towards it), by a K×K Cholesky factor.</item>
/// </list>
/// Memory: the basis and the statistics, O(features·K + K²), whatever the number of samples.
/// </summary>
/// <remarks>
/// The basis is held transposed, K × features column-major (the layout of <see cref="ComponentsTransformer.Components"/>),
/// so that B's transpose updates by one rank-one GEMM and the basis solve is one Cholesky solve with a right-hand side per
/// feature. The shell (<see cref="OnlineRobustPca"/>) owns validation, rescaling and the fitted state.
/// </remarks>
internal sealed class OnlineRobustPcaSolver
{
    /// <summary>The most alternations of one projection.</summary>
    internal const int MaxProjectionIterations = 1000;

    private readonly int _k;
    private readonly int _p;
    private readonly double _lambda1;
    private readonly double _lambda2;
    private readonly double _tolerance;

    /// <summary>A solver for samples of <paramref name="features"/> entries and a basis of <paramref name="components"/> vectors.</summary>
    public OnlineRobustPcaSolver(int features, int components, double lambda1, double lambda2, double tolerance)
    {
        _p = features;
        _k = components;
        _lambda1 = lambda1;
        _lambda2 = lambda2;
        _tolerance = tolerance;
    }

    /// <summary>
    /// One step of the algorithm on the sample <paramref name="z"/>: projection on the current basis, statistics, new
    /// basis. <paramref name="basis"/> (K × features), <paramref name="a"/> (K × K) and <paramref name="bt"/> (Bᵀ, K ×
    /// features) are updated in place. Returns the sample's cost ½‖z − L·r − e‖² + λ₁/2‖r‖² + λ₂‖e‖₁ under the basis
    /// it was projected on.
    /// </summary>
    public double Step(ReadOnlySpan<double> z, double[] basis, double[] a, double[] bt, Workspace workspace)
    {
        int k = _k, p = _p;
        Factor(basis, workspace);
        var r = workspace.Code;
        var e = workspace.Sparse;
        Project(z, basis, workspace, r, e);
        double cost = Cost(z, basis, r, e, workspace);

        // A ← A + r·rᵀ; Bᵀ ← Bᵀ + r·(z − e)ᵀ.
        for (int j = 0; j < k; j++)
        {
            Kernels.Axpy(r[j], r, a.AsSpan(j * k, k));
        }

        var residual = workspace.Residual;
        Kernels.Subtract(z, e, residual);
        Gemm.Multiply(false, true, k, p, 1, 1.0, r, k, residual, p, 1.0, bt, k);

        // L ← B·(A + λ₁I)⁻¹, that is Lᵀ = (A + λ₁I)⁻¹·Bᵀ.
        var factor = workspace.Factor;
        Array.Copy(a, factor, k * k);
        for (int j = 0; j < k; j++)
        {
            factor[j + (j * k)] += _lambda1;
        }

        if (!Cholesky.Factor(factor, k, k))
        {
            throw new ArithmeticException("Online robust PCA: A + λ₁I is not positive definite in floating point; the statistics or the penalty left the range of double precision.");
        }

        Array.Copy(bt, basis, k * p);
        Cholesky.Solve(factor, k, k, basis, p, k);
        return cost;
    }

    /// <summary>
    /// Projects every row of the column-major n×features <paramref name="x"/> on the fixed <paramref name="basis"/>: codes
    /// (n × K) and sparse parts (n × features), both column-major; the rows in parallel, each as <see cref="Step"/>'s
    /// projection.
    /// </summary>
    public void ProjectAll(double[] x, int n, double[] basis, double[] codes, double[]? sparse)
    {
        int k = _k, p = _p;
        var shared = new Workspace(k, p);
        Factor(basis, shared);
        Parallelism.For(
            n,
            () => new Workspace(k, p),
            (i, workspace) =>
            {
                Array.Copy(shared.Factor, workspace.Factor, k * k);
                var z = workspace.Sample;
                for (int j = 0; j < p; j++)
                {
                    z[j] = x[i + (j * n)];
                }

                Project(z, basis, workspace, workspace.Code, workspace.Sparse);

                for (int j = 0; j < k; j++)
                {
                    codes[i + (j * n)] = workspace.Code[j];
                }

                if (sparse is not null)
                {
                    for (int j = 0; j < p; j++)
                    {
                        sparse[i + (j * n)] = workspace.Sparse[j];
                    }
                }
            });
    }

    /// <summary>The Cholesky factor of LᵀL + λ₁I into the workspace.</summary>
    private void Factor(double[] basis, Workspace workspace)
    {
        int k = _k, p = _p;
        var factor = workspace.Factor;
        Gemm.Multiply(false, true, k, k, p, 1.0, basis, k, basis, k, 0.0, factor, k);
        for (int j = 0; j < k; j++)
        {
            factor[j + (j * k)] += _lambda1;
        }

        if (!Cholesky.Factor(factor, k, k))
        {
            throw new ArithmeticException("Online robust PCA: LᵀL + λ₁I is not positive definite in floating point; the basis or the penalty left the range of double precision.");
        }
    }

    /// <summary>The alternating projection of <paramref name="z"/> (the factor of LᵀL + λ₁I in the workspace); true when it converged.</summary>
    private bool Project(ReadOnlySpan<double> z, double[] basis, Workspace workspace, Span<double> r, Span<double> e)
    {
        int k = _k, p = _p;
        var projected = workspace.Projected;   // Lᵀz
        var rhs = workspace.Rhs;
        var fit = workspace.Residual;          // z − L·r
        var previous = workspace.Previous;
        Gemv.Multiply(k, p, 1.0, basis, k, z, 0.0, projected);
        e.Clear();
        fit.AsSpan().Clear();
        double bound = _tolerance * Kernels.Nrm2(z);
        for (int iteration = 0; iteration < MaxProjectionIterations; iteration++)
        {
            // r ← (LᵀL + λ₁I)⁻¹·Lᵀ(z − e).
            Gemv.Multiply(k, p, -1.0, basis, k, e, 0.0, rhs);
            Kernels.Add(rhs, projected, rhs);
            Cholesky.Solve(workspace.Factor, k, k, rhs);
            rhs.AsSpan().CopyTo(r);

            // e ← soft-threshold(z − L·r, λ₂), and the change of both.
            fit.AsSpan().CopyTo(previous);
            z.CopyTo(fit);
            Gemv.MultiplyTransposed(k, p, -1.0, basis, k, r, 1.0, fit);
            double fitChange = Kernels.Distance(fit, previous);
            e.CopyTo(previous);
            Kernels.SoftThreshold(fit, _lambda2, e);
            double sparseChange = Kernels.Distance(e, previous);
            if (Math.Max(fitChange, sparseChange) <= bound)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>½‖z − L·r − e‖² + λ₁/2‖r‖² + λ₂‖e‖₁ (z − L·r is in the workspace's residual after a projection).</summary>
    private double Cost(ReadOnlySpan<double> z, double[] basis, ReadOnlySpan<double> r, ReadOnlySpan<double> e, Workspace workspace)
    {
        var fit = workspace.Residual;
        double misfit = 0.0;
        for (int j = 0; j < _p; j++)
        {
            double d = fit[j] - e[j];
            misfit += d * d;
        }

        return (0.5 * misfit) + (0.5 * _lambda1 * Kernels.SquaredNorm(r)) + (_lambda2 * Kernels.Asum(e));
    }

    /// <summary>The buffers of one projection (one per thread).</summary>
    internal sealed class Workspace(int k, int p)
    {
        public double[] Factor { get; } = new double[k * k];

        public double[] Code { get; } = new double[k];

        public double[] Sparse { get; } = new double[p];

        public double[] Sample { get; } = new double[p];

        public double[] Projected { get; } = new double[k];

        public double[] Rhs { get; } = new double[k];

        public double[] Residual { get; } = new double[p];

        public double[] Previous { get; } = new double[p];
    }
}
