// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Optimization;

/// <summary>
/// g(z) = the indicator of {Z : Z + S ⪰ εI} for z viewed as a symmetric column-major p×p matrix Z and a fixed
/// symmetric shift S: the set of residuals B = Σ − S of the matrices Σ whose eigenvalues are all at least the floor ε.
/// Its prox (for any t) is the projection Π(V + S) − S, computed from the eigendecomposition V + S = QΛQᵀ as
/// V + Σ_{λ_k &lt; ε} (ε − λ_k)·q_k·q_kᵀ: only the eigenvalues below the floor are raised to it. A V + S already above
/// the floor comes back unchanged, found by a Cholesky factorisation of V + S − εI without the eigendecomposition; the
/// rank-k correction is one GEMM (lower triangle, mirrored, so that a symmetric V gives an exactly symmetric result).
/// The z-step of the weighted PSD projection of HMLasso's pairwise covariance.
/// </summary>
/// <remarks>
/// The eigendecomposition is MathNet's managed symmetric EVD (Householder tridiagonalisation and implicit QL), O(p³)
/// per step: correct, and fast enough for the hundreds of features HMLasso is used with; a faster symmetric
/// eigensolver belongs in LinearAlgebra when it is timed at larger p.
/// </remarks>
internal sealed class PsdProjectionProx : IProximalOperator
{
    private readonly double[] _shift;
    private readonly int _order;
    private readonly double _floor;
    private readonly double[] _matrix;
    private readonly double[] _factor;

    /// <summary>The projection for p×p matrices (vectors of p² entries) shifted by <paramref name="shift"/> (kept, not copied), with eigenvalue floor <paramref name="floor"/> ≥ 0.</summary>
    public PsdProjectionProx(double[] shift, int order, double floor)
    {
        if (shift.Length != order * order)
        {
            throw new ArgumentException($"The shift has {shift.Length} entries; a {order}×{order} matrix needs {order * order}.", nameof(shift));
        }

        _shift = shift;
        _order = order;
        _floor = floor;
        _matrix = new double[order * order];
        _factor = new double[order * order];
    }

    /// <summary>The number of eigenvalues raised to the floor by the last <see cref="Apply"/>.</summary>
    public int LastCorrectionRank { get; private set; }

    /// <summary>result ← Π(V + S) − S; <paramref name="result"/> may be <paramref name="v"/> itself; <paramref name="t"/> is ignored (an indicator's prox is its projection).</summary>
    public void Apply(ReadOnlySpan<double> v, double t, Span<double> result)
    {
        int p = _order;
        Kernels.Add(v[..(p * p)], _shift, _matrix);
        v[..(p * p)].CopyTo(result);

        // V + S − εI positive definite (a Cholesky factorisation, a fraction of an eigendecomposition's cost): nothing to
        // raise, the common case of a pairwise covariance that is already positive definite.
        _matrix.CopyTo(_factor, 0);
        for (int j = 0; j < p; j++)
        {
            _factor[j + (j * p)] -= _floor;
        }

        if (Cholesky.Factor(_factor, p, p))
        {
            LastCorrectionRank = 0;
            return;
        }

        Parallelism.ThrowIfCancellationRequested();
        var evd = Matrix<double>.Build.Dense(p, p, _matrix).Evd(Symmetricity.Symmetric);
        Parallelism.ThrowIfCancellationRequested();
        var eigenvalues = evd.EigenValues;
        var vectors = MatrixStorage.ColumnMajor(evd.EigenVectors);
        int k = 0;
        for (int j = 0; j < p; j++)
        {
            if (eigenvalues[j].Real < _floor)
            {
                k++;
            }
        }

        LastCorrectionRank = k;
        if (k == 0)
        {
            return;
        }

        // A = Q₋·diag(ε − λ₋), B = Q₋ (p×k each); result += A·Bᵀ on and below the diagonal, then mirrored.
        var a = new double[p * k];
        var b = new double[p * k];
        int column = 0;
        for (int j = 0; j < p; j++)
        {
            double lambda = eigenvalues[j].Real;
            if (lambda < _floor)
            {
                var q = vectors.AsSpan(j * p, p);
                q.CopyTo(b.AsSpan(column * p, p));
                q.CopyTo(a.AsSpan(column * p, p));
                Kernels.Scal(_floor - lambda, a.AsSpan(column * p, p));
                column++;
            }
        }

        Gemm.Run(false, true, p, p, k, 1.0, a, p, b, p, 1.0, result, p, lowerOnly: true);
        Gram.MirrorLower(result, p, p);
    }

    /// <summary>0: the prox only returns points of the set (the indicator's value there).</summary>
    public double Value(ReadOnlySpan<double> z) => 0.0;
}
