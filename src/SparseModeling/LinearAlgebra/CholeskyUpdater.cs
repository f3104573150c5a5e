// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearAlgebra;

/// <summary>
/// A Cholesky factor L (LLᵀ = G_AA, the Gram matrix of an active set) maintained under appends and
/// removals, as LARS, the LARS-lasso and OMP need: appending a variable costs one forward
/// substitution (O(size²)); removing one re-triangularizes with Givens rotations (O(size²)).
/// </summary>
/// <remarks>
/// L is stored column-major with leading dimension <see cref="LeadingDimension"/>; only its lower
/// triangle (first <see cref="Size"/> rows and columns) is meaningful. The storage grows (and the
/// leading dimension with it) when an append exceeds the capacity. Not thread-safe.
/// </remarks>
internal sealed class CholeskyUpdater
{
    /// <summary>
    /// An append is refused when the new squared diagonal entry, diagonal − wᵀw, is at most this
    /// fraction of <c>diagonal</c>: the new variable is then (numerically) a combination of the active
    /// ones.
    /// </summary>
    public const double RelativeTolerance = 1e-12;

    private double[] _l;
    private double[] _work;
    private int _capacity;

    /// <summary>Creates an empty factor with room for <paramref name="capacity"/> variables before it grows.</summary>
    public CholeskyUpdater(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = Math.Max(1, capacity);
        _l = new double[_capacity * _capacity];
        _work = new double[_capacity];
    }

    /// <summary>The number of variables in the factor.</summary>
    public int Size { get; private set; }

    /// <summary>The leading dimension of <see cref="Factor"/> (the current capacity).</summary>
    public int LeadingDimension => _capacity;

    /// <summary>The storage of L: column-major, leading dimension <see cref="LeadingDimension"/>, lower triangle.</summary>
    public ReadOnlySpan<double> Factor => _l;

    /// <summary>
    /// Appends a variable whose Gram entries with the current variables are
    /// <paramref name="crossProducts"/> (length <see cref="Size"/>) and whose own squared norm is
    /// <paramref name="diagonal"/>. Returns false, leaving the factor unchanged, when the new variable
    /// is degenerate (collinear with the active ones, or the inputs are not finite).
    /// </summary>
    public bool TryAppend(ReadOnlySpan<double> crossProducts, double diagonal)
    {
        int k = Size;
        if (crossProducts.Length != k)
        {
            throw new ArgumentException($"{nameof(crossProducts)} has {crossProducts.Length} entries but the factor has {k} variables; they must agree.", nameof(crossProducts));
        }

        if (k == _capacity)
        {
            Grow(Math.Max(2 * _capacity, 4));
        }

        var w = _work.AsSpan(0, k);
        crossProducts.CopyTo(w);
        TriangularSolve.SolveLower(_l, k, _capacity, w);
        double rest = diagonal - Kernels.SquaredNorm(w);
        if (!(rest > RelativeTolerance * diagonal) || !double.IsFinite(rest))
        {
            return false;
        }

        for (int p = 0; p < k; p++)
        {
            _l[k + (p * _capacity)] = w[p];
        }

        _l[k + (k * _capacity)] = Math.Sqrt(rest);
        Size = k + 1;
        return true;
    }

    /// <summary>
    /// Removes variable <paramref name="index"/> (its row and column of the Gram matrix) from the
    /// factor; later variables move down by one position.
    /// </summary>
    public void Remove(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Size);
        int n = Size;
        int ld = _capacity;
        var l = _l.AsSpan();
        // Delete row `index`: every column moves its stored entries below that row up by one.
        for (int p = 0; p < n; p++)
        {
            int source = Math.Max(p, index + 1);
            int count = n - source;
            if (count > 0)
            {
                l.Slice(source + (p * ld), count).CopyTo(l.Slice(source - 1 + (p * ld), count));
            }
        }

        // Rows index..n−2 now have one entry right of the diagonal; rotate column pairs (j, j+1) to
        // zero it, which leaves L·Lᵀ unchanged.
        for (int j = index; j < n - 1; j++)
        {
            var left = l.Slice(j + (j * ld), n - 1 - j);
            var right = l.Slice(j + ((j + 1) * ld), n - 1 - j);
            double x = left[0];
            double y = right[0];
            double r = Math.Sqrt((x * x) + (y * y));
            if (r == 0.0)
            {
                continue;
            }

            double c = x / r;
            double s = y / r;
            left[0] = r;
            right[0] = 0.0;
            for (int i = 1; i < left.Length; i++)
            {
                double u = left[i];
                double v = right[i];
                left[i] = (c * u) + (s * v);
                right[i] = (c * v) - (s * u);
            }
        }

        // Clear the vacated last row and column.
        for (int p = 0; p < n; p++)
        {
            l[n - 1 + (p * ld)] = 0.0;
        }

        l.Slice((n - 1) * ld, n).Clear();
        Size = n - 1;
    }

    /// <summary>Empties the factor (keeping its storage), so that one updater can serve many problems in turn.</summary>
    public void Clear() => Size = 0;

    /// <summary>Solves (LLᵀ)·x = b in place on the first <see cref="Size"/> entries of <paramref name="b"/>.</summary>
    public void Solve(Span<double> b) => Cholesky.Solve(_l, Size, _capacity, b);

    private void Grow(int capacity)
    {
        var larger = new double[capacity * capacity];
        for (int p = 0; p < Size; p++)
        {
            _l.AsSpan(p * _capacity, Size).CopyTo(larger.AsSpan(p * capacity, Size));
        }

        _l = larger;
        _work = new double[capacity];
        _capacity = capacity;
    }
}
