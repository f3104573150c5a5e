// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// Where <see cref="LarsSolver"/> gets the columns G[:, j] of the Gram matrix G = XᵀX: a
/// precomputed G (many samples, or many signals sharing one dictionary), or X itself, from which the
/// columns are computed in small batches as features join the active set.
/// </summary>
internal abstract class LarsGram
{
    private protected LarsGram(int features)
    {
        Features = features;
    }

    /// <summary>The number of features p (the length of every column).</summary>
    public int Features { get; }

    /// <summary>The whole p×p Gram matrix (column-major) when it is precomputed, else null.</summary>
    public virtual double[]? Full => null;

    /// <summary>
    /// How many columns one batch should hold: a batch reads X once however many columns it holds,
    /// so a few columns together cost much less than each alone.
    /// </summary>
    public virtual int BatchSize => 1;

    /// <summary>How many columns <see cref="ComputeColumns"/> has computed so far.</summary>
    public int ColumnsComputed { get; private protected set; }

    /// <summary>After this many computed columns the solver asks for the whole Gram matrix (<see cref="ComputeFull"/>).</summary>
    public virtual int PrecomputeAfter => int.MaxValue;

    /// <summary>Writes the columns of <paramref name="features"/> to <paramref name="destination"/> (each <see cref="Features"/> long, one after another).</summary>
    public abstract void ComputeColumns(ReadOnlySpan<int> features, Span<double> destination);

    /// <summary>The whole Gram matrix (p×p, column-major), or null when this source does not form it.</summary>
    public virtual double[]? ComputeFull() => Full;
}

/// <summary>A precomputed Gram matrix G (p×p, column-major, symmetric).</summary>
internal sealed class PrecomputedLarsGram : LarsGram
{
    private readonly double[] _gram;

    public PrecomputedLarsGram(double[] gram, int features)
        : base(features)
    {
        _gram = gram;
    }

    public override double[] Full => _gram;

    public override void ComputeColumns(ReadOnlySpan<int> features, Span<double> destination)
    {
        int p = Features;
        for (int q = 0; q < features.Length; q++)
        {
            _gram.AsSpan(features[q] * p, p).CopyTo(destination.Slice(q * p, p));
        }
    }
}

/// <summary>
/// Gram columns computed from the data X (n×p, column-major, the caller's storage, never written),
/// optionally centred implicitly: with column means x̄, G = (X − 1x̄ᵀ)ᵀ(X − 1x̄ᵀ) without forming the
/// centred matrix. A batch of k columns costs one pass over X (<see cref="NarrowGemm"/>).
/// </summary>
internal sealed class DataLarsGram : LarsGram
{
    private readonly double[] _x;
    private readonly int _rows;
    private readonly double[]? _means;
    private double[] _work = [];

    public DataLarsGram(double[] x, int rows, int features, double[]? means)
        : base(features)
    {
        _x = x;
        _rows = rows;
        _means = means;
    }

    public override int BatchSize => 8;

    /// <summary>
    /// With more samples than features the Gram matrix (n·p²/2 multiply-adds, as many as p/2 columns
    /// of n·p) is formed once half of its columns have been needed, so a long path costs at most about
    /// twice the cheaper of the two ways; with fewer samples it never is (a path has at most about n
    /// active features, and G is larger than X).
    /// </summary>
    public override int PrecomputeAfter => _rows > Features ? Math.Max(1, Features / 2) : int.MaxValue;

    /// <inheritdoc/>
    public override double[]? ComputeFull()
    {
        int n = _rows, p = Features;
        if (n <= p)
        {
            return null;
        }

        // On an explicitly centred copy: XᵀX − n·x̄x̄ᵀ would cancel digits when the means are large.
        var x = _means is null ? _x : CenteredData.CentredCopy(_x, n, p, _means);

        var g = GC.AllocateUninitializedArray<double>(p * p); // every entry written by Gram.Compute
        LinearAlgebra.Gram.Compute(n, p, x, n, g);
        return g;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void ComputeColumns(ReadOnlySpan<int> features, Span<double> destination)
    {
        int n = _rows, p = Features, k = features.Length;
        ColumnsComputed += k;
        if (_work.Length < n * k)
        {
            _work = new double[n * k];
        }

        // V = the centred columns x_j − x̄_j; then Gc[:, j] = Xᵀ·v_j − x̄·(1ᵀv_j), exact since
        // (X − 1x̄ᵀ)ᵀv = Xᵀv − x̄·Σv. Σv is zero up to rounding; it is kept for exactness.
        var v = _work.AsSpan(0, n * k);
        for (int q = 0; q < k; q++)
        {
            var column = v.Slice(q * n, n);
            _x.AsSpan(features[q] * n, n).CopyTo(column);
            if (_means is not null)
            {
                Kernels.AddScalar(-_means[features[q]], column);
            }
        }

        NarrowGemm.MultiplyTransposed(n, p, k, _x, n, v, n, destination, p);
        if (_means is not null)
        {
            for (int q = 0; q < k; q++)
            {
                CenteredData.SubtractMeanCorrelation(_means, v.Slice(q * n, n), destination.Slice(q * p, p));
            }
        }
    }
}
