// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Optimization;

/// <summary>
/// A closed convex g with a cheap proximal operator prox_{t·g}(v) = argmin_z g(z) + (1/(2t))·‖z − v‖²:
/// the z-step of <see cref="AdmmSolver"/> (t = 1/ρ) and the step of <see cref="ProximalGradientSolver"/>
/// (t = the gradient step). Implementations hold their weight (α) and any structure (groups, shape).
/// </summary>
internal interface IProximalOperator
{
    /// <summary>result ← prox_{t·g}(v); <paramref name="result"/> may be <paramref name="v"/> itself.</summary>
    void Apply(ReadOnlySpan<double> v, double t, Span<double> result);

    /// <summary>g(z) (finite on the domain; the proximal operators here only return points of it).</summary>
    double Value(ReadOnlySpan<double> z);
}

/// <summary>g(z) = λ·‖z‖₁: soft thresholding S(v, λt).</summary>
internal sealed class SoftThresholdProx(double weight) : IProximalOperator
{
    /// <summary>λ ≥ 0.</summary>
    public double Weight => weight;

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> v, double t, Span<double> result) => Kernels.SoftThreshold(v, weight * t, result);

    /// <inheritdoc />
    public double Value(ReadOnlySpan<double> z) => weight * Kernels.Asum(z);
}

/// <summary>
/// g(z) = λ·‖z‖₁ + ι(z ≥ 0): max(v − λt, 0) element-wise; with λ = 0 the projection onto the
/// non-negative orthant.
/// </summary>
internal sealed class NonNegativeSoftThresholdProx(double weight) : IProximalOperator
{
    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> v, double t, Span<double> result) => Kernels.NonNegativeSoftThreshold(v, weight * t, result);

    /// <inheritdoc />
    public double Value(ReadOnlySpan<double> z) => weight * Kernels.Asum(z);
}

/// <summary>
/// g(z) = λ·Σ_g c_g·‖z_g‖₂ over disjoint groups of indices (the group Lasso, L2,1): block soft
/// thresholding z_g = max(1 − λc_g·t/‖v_g‖, 0)·v_g; entries in no group pass through unchanged.
/// </summary>
internal sealed class GroupSoftThresholdProx : IProximalOperator
{
    private readonly double _weight;
    private readonly int[][] _groups;
    private readonly double[] _groupWeights;

    /// <summary>Groups of indices (disjoint, each in range of the vectors it will see); group weights c_g default to 1 (pass √|g| for the usual scaling).</summary>
    public GroupSoftThresholdProx(double weight, int[][] groups, double[]? groupWeights = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groupWeights is not null && groupWeights.Length != groups.Length)
        {
            throw new ArgumentException($"groupWeights has {groupWeights.Length} entries but there are {groups.Length} groups.", nameof(groupWeights));
        }

        var seen = new HashSet<int>();
        for (int g = 0; g < groups.Length; g++)
        {
            foreach (int i in groups[g])
            {
                if (i < 0 || !seen.Add(i))
                {
                    throw new ArgumentException($"groups[{g}] holds index {i}, which is negative or already in an earlier group; groups must be disjoint.", nameof(groups));
                }
            }
        }

        _weight = weight;
        _groups = groups;
        _groupWeights = groupWeights ?? Enumerable.Repeat(1.0, groups.Length).ToArray();
    }

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> v, double t, Span<double> result)
    {
        v.CopyTo(result);

        for (int g = 0; g < _groups.Length; g++)
        {
            double norm = 0.0;
            foreach (int i in _groups[g])
            {
                norm += result[i] * result[i];
            }

            norm = Math.Sqrt(norm);
            double threshold = _weight * _groupWeights[g] * t;
            double scale = norm > threshold ? 1.0 - (threshold / norm) : 0.0;
            foreach (int i in _groups[g])
            {
                result[i] *= scale;
            }
        }
    }

    /// <inheritdoc />
    public double Value(ReadOnlySpan<double> z)
    {
        double sum = 0.0;
        for (int g = 0; g < _groups.Length; g++)
        {
            double norm = 0.0;
            foreach (int i in _groups[g])
            {
                norm += z[i] * z[i];
            }

            sum += _groupWeights[g] * Math.Sqrt(norm);
        }

        return _weight * sum;
    }
}

/// <summary>
/// g(Z) = λ·‖Z‖_* (the nuclear norm) of z viewed as a column-major r×c matrix: singular-value
/// thresholding Z = U·diag(max(σ − λt, 0))·Vᵀ (Cai, Candès and Shen, "A singular value thresholding
/// algorithm for matrix completion", SIAM J. Optim. 2010), the low-rank step of robust PCA. It uses
/// MathNet's managed thin SVD (<c>Matrix.Svd(true)</c>): correct, but not a measured hot path yet —
/// a faster SVD belongs in LinearAlgebra when robust PCA is timed.
/// </summary>
internal sealed class SingularValueThresholdProx : IProximalOperator
{
    private readonly double _weight;
    private readonly int _rows;
    private readonly int _columns;

    /// <summary>The nuclear-norm prox for r×c matrices stored column-major in vectors of r·c entries.</summary>
    public SingularValueThresholdProx(double weight, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        _weight = weight;
        _rows = rows;
        _columns = columns;
    }

    /// <summary>The rank of the last result of <see cref="Apply"/> (singular values kept).</summary>
    public int LastRank { get; private set; }

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> v, double t, Span<double> result)
    {
        var svd = Matrix<double>.Build.Dense(_rows, _columns, v[..(_rows * _columns)].ToArray()).Svd(true);
        var u = MatrixStorage.ColumnMajor(svd.U);
        var vt = svd.VT;
        var s = svd.S;
        double threshold = _weight * t;
        result = result[..(_rows * _columns)];
        result.Clear();
        int rank = 0;
        for (int k = 0; k < s.Count; k++)
        {
            double sigma = s[k] - threshold;
            if (!(sigma > 0.0))
            {
                break;
            }

            rank++;

            // result += σ·u_k·v_kᵀ, column by column.
            var uk = u.AsSpan(k * _rows, _rows);
            for (int j = 0; j < _columns; j++)
            {
                Kernels.Axpy(sigma * vt[k, j], uk, result.Slice(j * _rows, _rows));
            }
        }

        LastRank = rank;
    }

    /// <inheritdoc />
    public double Value(ReadOnlySpan<double> z)
    {
        var s = Matrix<double>.Build.Dense(_rows, _columns, z[..(_rows * _columns)].ToArray()).Svd(false).S;
        return _weight * s.Sum();
    }
}

/// <summary>
/// A block-separable g(z) = Σ_k g_k(z_k) over consecutive slices of z (robust PCA: the nuclear norm on
/// the low-rank block, λ‖·‖₁ on the sparse block): the prox acts slice by slice.
/// </summary>
internal sealed class SeparableProx : IProximalOperator
{
    private readonly (int Length, IProximalOperator Prox)[] _blocks;

    /// <summary>The blocks in order, each with its length.</summary>
    public SeparableProx(params (int Length, IProximalOperator Prox)[] blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        _blocks = blocks;
    }

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> v, double t, Span<double> result)
    {
        int start = 0;
        foreach (var (length, prox) in _blocks)
        {
            prox.Apply(v.Slice(start, length), t, result.Slice(start, length));
            start += length;
        }
    }

    /// <inheritdoc />
    public double Value(ReadOnlySpan<double> z)
    {
        double sum = 0.0;
        int start = 0;
        foreach (var (length, prox) in _blocks)
        {
            sum += prox.Value(z.Slice(start, length));
            start += length;
        }

        return sum;
    }
}
