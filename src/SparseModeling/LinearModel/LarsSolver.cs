// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// Least angle regression and its Lasso modification (Efron, Hastie, Johnstone and Tibshirani,
/// "Least angle regression", Ann. Statist. 32(2), 2004), on correlations c = Xᵀr kept up to date from
/// Gram columns: the shared core of <see cref="LarsPath"/>, <see cref="Lars"/>, <see cref="LassoLars"/>
/// and <see cref="LassoLarsIC"/>.
/// </summary>
/// <remarks>
/// <para>
/// At each knot the feature with the largest |cⱼ| among the inactive ones joins the active set A;
/// the Cholesky factor L of G_AA is extended by one row (<see cref="CholeskyUpdater.TryAppend"/>),
/// never refactorised. The equiangular direction w = A_A·G_AA⁻¹s (s the signs of the active
/// correlations, A_A = (sᵀG_AA⁻¹s)^(−1/2)) moves every active correlation down at the same rate A_A;
/// the correlations of all features change by a = G[:, A]·w (one GEMV over the cached Gram columns
/// of the active features), and the step γ is the smallest positive of (C − cⱼ)/(A_A − aⱼ) and
/// (C + cⱼ)/(A_A + aⱼ) over the inactive features, or C/A_A. In the Lasso modification a step is
/// cut short where an active coefficient reaches zero, and that feature leaves
/// (<see cref="CholeskyUpdater.Remove"/>).
/// </para>
/// <para>
/// The knots, their α = C/n, the order of the active set, the handling of exact ties (the first
/// feature in scikit-learn's internal order wins) and the interpolation to α_min follow
/// scikit-learn 1.2.1's <c>_lars_path_solver</c>, with four deliberate differences:
/// </para>
/// <list type="bullet">
/// <item>in LAR mode a coefficient that crosses zero is left to cross, as in the paper
/// (scikit-learn flips the sign of that feature's correlation and skips the next addition, after
/// which its path no longer has equal active correlations);</item>
/// <item>a feature that cannot join because it is (numerically) a combination of the active ones is
/// set aside until the next drop (scikit-learn zeroes its correlation);</item>
/// <item>the tolerance with which α is compared with α_min, scikit-learn's absolute 2⁻²³, shrinks
/// to 2⁻²³·α₀ when the first α is below 1 (scikit-learn returns w = 0 for data scaled so small that
/// α₀ ≤ 2⁻²³);</item>
/// <item>with positive coefficients, when the active correlations reach zero before any inactive
/// one catches up (all inactive correlations negative), the last α is that active level (0), not
/// the largest inactive correlation, so the final interpolation gives the positive Lasso solution
/// (scikit-learn interpolates towards a negative α there and stops short of it).</item>
/// </list>
/// <para>
/// Gram columns come from <see cref="LarsGram"/>: a precomputed G, or X, in which case a missing
/// column is computed together with those of the inactive features predicted to join next (the
/// smallest step lengths of the last step), so that a path of k steps reads X about k/8 times.
/// With more samples than features, once half of the columns have been computed the whole Gram
/// matrix is formed instead (a path that long will likely need most of it).
/// </para>
/// </remarks>
internal sealed class LarsSolver
{
    /// <summary>numpy's float32 tiny, added to denominators exactly as scikit-learn does.</summary>
    private const double Tiny32 = 1.1754943508222875e-38;

    /// <summary>2⁻²³ (float32 epsilon): scikit-learn's tolerance of the α_min comparison.</summary>
    private const double Float32Epsilon = 1.1920928955078125e-07;

    private readonly LarsGram _gram;
    private double[]? _full;
    private readonly Settings _settings;
    private readonly int _p;
    private readonly double[] _xy;
    private readonly double[] _c;
    private readonly int[] _order;
    private readonly double[] _coef;
    private readonly bool[] _excluded;
    private readonly double[] _blocked;
    private readonly double[] _a;
    private readonly double[] _priority;
    private readonly CholeskyUpdater _cholesky;
    private readonly List<double> _alphas = [];
    private readonly List<int[]> _knotIndices = [];
    private readonly List<double[]> _knotValues = [];

    // Active set: positions 0..active−1 of _order, with their signs and Gram columns (p × capacity).
    private int _capacity;
    private double[] _sign;
    private double[] _direction;
    private double[] _activeColumns;

    // Cache of Gram columns of inactive features (only when the Gram matrix is not precomputed).
    private readonly int[] _slotOf;
    private readonly double[] _pool = [];
    private readonly int[] _slotFeature = [];
    private readonly double[] _batchColumns = [];
    private readonly int[] _batchFeatures = [];

    private LarsSolver(LarsGram gram, ReadOnlySpan<double> xy, Settings settings)
    {
        _gram = gram;
        _full = gram.Full;
        _settings = settings;
        _p = gram.Features;
        int p = _p;
        _xy = xy.ToArray();
        _c = xy.ToArray();
        _order = new int[p];
        for (int j = 0; j < p; j++)
        {
            _order[j] = j;
        }

        _coef = new double[p];
        _excluded = new bool[p];
        _blocked = new double[p];
        _a = new double[p];
        _priority = new double[p];
        _capacity = Math.Max(1, Math.Min(p, Math.Min(settings.MaxIterations, 32)));
        _sign = new double[_capacity];
        _direction = new double[_capacity];
        _activeColumns = GC.AllocateUninitializedArray<double>(p * _capacity);
        _cholesky = new CholeskyUpdater(_capacity);
        _slotOf = new int[_full is null ? p : 0];
        if (_full is null)
        {
            Array.Fill(_slotOf, -1);
            int batch = Math.Max(1, Math.Min(gram.BatchSize, p));
            int slots = Math.Min(p, 4 * batch);
            _pool = GC.AllocateUninitializedArray<double>(p * slots);
            _slotFeature = new int[slots];
            Array.Fill(_slotFeature, -1);
            _batchColumns = GC.AllocateUninitializedArray<double>(p * batch);
            _batchFeatures = new int[batch];
        }
    }

    /// <summary>Why the path ended.</summary>
    internal enum StopReason
    {
        /// <summary>α reached α_min (or every correlation vanished).</summary>
        AlphaReached,

        /// <summary>The step limit was reached first.</summary>
        MaxIterations,

        /// <summary>Rounding took over (α rose again in Lasso mode, or the active Gram matrix became numerically singular).</summary>
        NumericalLimit,
    }

    /// <summary>
    /// Runs the path on correlations <paramref name="xy"/> = Xᵀy. <paramref name="yNormSquared"/>
    /// (‖y‖²) is used only for the objective reported to the callback.
    /// </summary>
    public static Output Solve(LarsGram gram, ReadOnlySpan<double> xy, double yNormSquared, Settings settings) =>
        new LarsSolver(gram, xy, settings).Run(yNormSquared);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Output Run(double yNormSquared)
    {
        int p = _p;
        var s = _settings;
        bool lasso = s.Method == LarsMethod.Lasso;
        bool positive = s.Positive;
        double n = s.SampleCount;
        for (int j = 0; j < p; j++)
        {
            _priority[j] = -(positive ? _c[j] : Math.Abs(_c[j]));
        }

        int active = 0, iterations = 0;
        bool drop = false;
        double previousAlpha = 0.0, tolerance = 0.0, rss = yNormSquared, level = 0.0;
        var dropPositions = new List<int>();
        StopReason stop;
        while (true)
        {
            s.CancellationToken.ThrowIfCancellationRequested();

            // C: the largest (absolute) correlation among the candidates, first in _order on ties.
            int at = -1;
            double cMax = 0.0;
            for (int t = active; t < p; t++)
            {
                int j = _order[t];
                if (_excluded[j])
                {
                    continue;
                }

                double v = positive ? _c[j] : Math.Abs(_c[j]);
                if (at < 0 || v > cMax)
                {
                    at = t;
                    cMax = v;
                }
            }

            if (positive && active > 0 && level > cMax)
            {
                // The active correlations can fall below every inactive one only at the end of a positive
                // path (all inactive correlations negative): α is the active level then, not the largest
                // inactive correlation (which scikit-learn uses, interpolating the last knot wrongly).
                cMax = level;
            }

            double alpha = cMax / n;
            if (!double.IsFinite(alpha))
            {
                throw new ArithmeticException($"LARS reached a non-finite correlation ({cMax}) at step {iterations}: the products of the data overflowed the double range.");
            }

            if (iterations == 0)
            {
                tolerance = Float32Epsilon * Math.Min(Math.Abs(alpha), 1.0);
            }

            if (alpha <= s.AlphaMin + tolerance)
            {
                if (Math.Abs(alpha - s.AlphaMin) > tolerance && iterations > 0)
                {
                    AddInterpolatedKnot(s.AlphaMin, (previousAlpha - s.AlphaMin) / (previousAlpha - alpha), active);
                }
                else
                {
                    AddKnot(s.AlphaMin, active);
                }

                stop = StopReason.AlphaReached;
                break;
            }

            if (iterations >= s.MaxIterations || active >= p)
            {
                AddKnot(alpha, active);
                stop = StopReason.MaxIterations;
                break;
            }

            if (!drop || active == 0)
            {
                int j = _order[at];
                var column = Column(j, active);
                EnsureCapacity(active + 1);
                var cross = _direction.AsSpan(0, active);
                for (int k = 0; k < active; k++)
                {
                    cross[k] = column[_order[k]];
                }

                if (!double.IsFinite(column[j]))
                {
                    throw new ArithmeticException($"LARS met a non-finite Gram entry ({column[j]}) for feature {j} at step {iterations}: the products of the data overflowed the double range.");
                }

                if (!_cholesky.TryAppend(cross, column[j]))
                {
                    // Numerically in the span of the active features: set aside until a feature leaves.
                    _excluded[j] = true;
                    _blocked[j] = double.PositiveInfinity;
                    _priority[j] = double.PositiveInfinity;
                    continue;
                }

                _blocked[j] = double.PositiveInfinity;

                (_order[active], _order[at]) = (_order[at], _order[active]);
                _sign[active] = positive ? 1.0 : Math.Sign(_c[j]);
                column.CopyTo(_activeColumns.AsSpan(active * p, p));
                Release(j);
                active++;
            }

            AddKnot(alpha, active);
            if (lasso && iterations > 0 && previousAlpha < alpha)
            {
                // Rounding in the correlation updates now exceeds what is left of them.
                stop = StopReason.NumericalLimit;
                break;
            }

            previousAlpha = alpha;

            // The equiangular direction: w = A·G_AA⁻¹s with A = (sᵀG_AA⁻¹s)^(−1/2).
            var w = _direction.AsSpan(0, active);
            _sign.AsSpan(0, active).CopyTo(w);
            _cholesky.Solve(w);
            double sGs = Kernels.Dot(w, _sign.AsSpan(0, active));
            if (!(sGs > 0.0) || !double.IsFinite(sGs))
            {
                stop = StopReason.NumericalLimit;
                break;
            }

            double aa = 1.0 / Math.Sqrt(sGs);
            Kernels.Scal(aa, w);

            // a = G[:, A]·w: how fast every correlation moves along the direction.
            Gemv.Multiply(p, active, 1.0, _activeColumns, p, w, 0.0, _a);

            // The step: to where the first inactive correlation catches up (or all reach zero).
            double gamma = Math.Min(cMax / aa, Kernels.LarsStepLengths(cMax, aa, Tiny32, _c, _a, _blocked, positive, _priority));

            // The Lasso modification: stop where an active coefficient reaches zero.
            drop = false;
            dropPositions.Clear();
            double zMin = double.PositiveInfinity;
            for (int k = 0; k < active; k++)
            {
                double z = -_coef[_order[k]] / (w[k] + Tiny32);
                if (z > 0.0 && z < zMin)
                {
                    zMin = z;
                }
            }

            if (lasso && zMin < gamma)
            {
                gamma = zMin;
                drop = true;
                for (int k = active - 1; k >= 0; k--)
                {
                    if (-_coef[_order[k]] / (w[k] + Tiny32) == zMin)
                    {
                        dropPositions.Add(k);
                    }
                }
            }

            iterations++;
            level = cMax - (gamma * aa);
            rss += (gamma * gamma) - (2.0 * gamma * cMax / aa);
            for (int k = 0; k < active; k++)
            {
                _coef[_order[k]] += gamma * w[k];
            }

            Kernels.Axpy(-gamma, _a, _c);

            if (drop)
            {
                active = Drop(dropPositions, active);
            }

            if (s.OnIteration is { } callback)
            {
                double l1 = 0.0;
                for (int k = 0; k < active; k++)
                {
                    l1 += Math.Abs(_coef[_order[k]]);
                }

                double nextAlpha = level / n;
                callback(new LarsIterationInfo(iterations, (Math.Max(rss, 0.0) / (2.0 * n)) + (nextAlpha * l1), nextAlpha, active));
            }
        }

        return BuildOutput(active, iterations, stop);
    }

    /// <summary>Removes the active features at <paramref name="positions"/> (descending); returns the new active count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Drop(List<int> positions, int active)
    {
        int p = _p;
        foreach (int k in positions)
        {
            _coef[_order[k]] = 0.0;
        }

        // Their correlations afresh from Xᵀy and the remaining coefficients, as scikit-learn does.
        foreach (int k in positions)
        {
            int j = _order[k];
            var column = _activeColumns.AsSpan(k * p, p);
            double sum = 0.0;
            for (int q = 0; q < active; q++)
            {
                int i = _order[q];
                sum += column[i] * _coef[i];
            }

            _c[j] = _xy[j] - sum;
        }

        foreach (int k in positions)
        {
            int j = _order[k];
            _cholesky.Remove(k);
            Keep(j, _activeColumns.AsSpan(k * p, p));
            int moved = active - 1 - k;
            Array.Copy(_order, k + 1, _order, k, moved);
            Array.Copy(_sign, k + 1, _sign, k, moved);
            Array.Copy(_activeColumns, (k + 1) * p, _activeColumns, k * p, moved * p);
            _order[active - 1] = j;
            _priority[j] = 0.0;
            _blocked[j] = 0.0;
            active--;
        }

        // A feature set aside as degenerate may be independent of the smaller active set.
        for (int j = 0; j < p; j++)
        {
            if (_excluded[j])
            {
                _excluded[j] = false;
                _blocked[j] = 0.0;
            }
        }

        return active;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddKnot(double alpha, int active)
    {
        var indices = _order.AsSpan(0, active).ToArray();
        var values = new double[active];
        for (int k = 0; k < active; k++)
        {
            values[k] = _coef[indices[k]];
        }

        _alphas.Add(alpha);
        _knotIndices.Add(indices);
        _knotValues.Add(values);
    }

    /// <summary>
    /// The last knot at α_min, between the previous knot (coefficients w₀) and the current
    /// coefficients w₁ (the path is linear in between): w₀ + t·(w₁ − w₀).
    /// </summary>
    private void AddInterpolatedKnot(double alpha, double t, int active)
    {
        var previous = new Dictionary<int, double>();
        var lastIndices = _knotIndices[^1];
        var lastValues = _knotValues[^1];
        for (int k = 0; k < lastIndices.Length; k++)
        {
            previous[lastIndices[k]] = lastValues[k];
        }

        var indices = new List<int>(active + lastIndices.Length);
        var values = new List<double>(active + lastIndices.Length);
        for (int k = 0; k < active; k++)
        {
            int j = _order[k];
            double w0 = previous.Remove(j, out double v) ? v : 0.0;
            indices.Add(j);
            values.Add(w0 + (t * (_coef[j] - w0)));
        }

        // Features that left at the last step (now 0): their value shrinks linearly to 0.
        for (int k = 0; k < lastIndices.Length; k++)
        {
            if (previous.TryGetValue(lastIndices[k], out double w0))
            {
                indices.Add(lastIndices[k]);
                values.Add(w0 + (t * (_coef[lastIndices[k]] - w0)));
            }
        }

        _alphas.Add(alpha);
        _knotIndices.Add([.. indices]);
        _knotValues.Add([.. values]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Output BuildOutput(int active, int iterations, StopReason stop)
    {
        int p = _p, knots = _alphas.Count;
        var path = new double[p * knots];
        for (int k = 0; k < knots; k++)
        {
            var indices = _knotIndices[k];
            var values = _knotValues[k];
            for (int q = 0; q < indices.Length; q++)
            {
                path[(k * p) + indices[q]] = values[q];
            }
        }

        return new Output([.. _alphas], _order.AsSpan(0, active).ToArray(), path, knots, iterations, stop);
    }

    private void EnsureCapacity(int size)
    {
        if (size <= _capacity)
        {
            return;
        }

        int capacity = Math.Min(_p, Math.Max(size, 2 * _capacity));
        Array.Resize(ref _sign, capacity);
        Array.Resize(ref _direction, capacity);
        var columns = GC.AllocateUninitializedArray<double>(_p * capacity);
        _activeColumns.AsSpan(0, _p * _capacity).CopyTo(columns);
        _activeColumns = columns;
        _capacity = capacity;
    }

    /// <summary>The Gram column of feature <paramref name="j"/>, computing a batch when it is not cached.</summary>
    private ReadOnlySpan<double> Column(int j, int active)
    {
        int p = _p;
        if (_full is not null)
        {
            return _full.AsSpan(j * p, p);
        }

        if (_slotOf[j] < 0)
        {
            if (_gram.ColumnsComputed + _batchFeatures.Length > _gram.PrecomputeAfter && _gram.ComputeFull() is { } full)
            {
                // The path has visited enough features that the whole Gram matrix is now the cheaper way.
                _full = full;
                return _full.AsSpan(j * p, p);
            }

            FillBatch(j, active);
        }

        return _pool.AsSpan(_slotOf[j] * p, p);
    }

    /// <summary>
    /// Computes the column of <paramref name="j"/> together with those of the uncached candidates
    /// most likely to join next (smallest step length at the last step; largest |c| before the
    /// first), in one pass over X.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillBatch(int j, int active)
    {
        int p = _p;
        int size = Math.Min(_batchFeatures.Length, p - active);
        if (_settings.Method == LarsMethod.Lar)
        {
            size = Math.Min(size, Math.Max(1, _settings.MaxIterations - active));
        }

        var features = _batchFeatures;
        features[0] = j;
        int count = 1;

        // Keep the best size − 1 candidates in features[1..count), sorted by priority.
        for (int t = active; t < p && size > 1; t++)
        {
            int v = _order[t];
            if (v == j || _excluded[v] || _slotOf[v] >= 0)
            {
                continue;
            }

            double key = _priority[v];
            if (count == size && !(key < _priority[features[count - 1]]))
            {
                continue;
            }

            int q = count == size ? count - 1 : count++;
            while (q > 1 && key < _priority[features[q - 1]])
            {
                features[q] = features[q - 1];
                q--;
            }

            features[q] = v;
        }

        MakeRoom(count);
        var columns = _batchColumns.AsSpan(0, count * p);
        _gram.ComputeColumns(features.AsSpan(0, count), columns);
        for (int q = 0; q < count; q++)
        {
            Store(features[q], columns.Slice(q * p, p));
        }
    }

    /// <summary>Caches the Gram column of a feature that has left the active set (it often returns).</summary>
    private void Keep(int j, ReadOnlySpan<double> column)
    {
        if (_full is null && _slotOf[j] < 0)
        {
            MakeRoom(1);
            Store(j, column);
        }
    }

    private void Store(int j, ReadOnlySpan<double> column)
    {
        int slot = Array.IndexOf(_slotFeature, -1);
        _slotFeature[slot] = j;
        _slotOf[j] = slot;
        column.CopyTo(_pool.AsSpan(slot * _p, _p));
    }

    /// <summary>Frees a feature's cache slot once its column lives in the active block.</summary>
    private void Release(int j)
    {
        if (_full is null && _slotOf[j] >= 0)
        {
            _slotFeature[_slotOf[j]] = -1;
            _slotOf[j] = -1;
        }
    }

    /// <summary>Evicts the cached columns least likely to be needed (largest priority) until <paramref name="count"/> slots are free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MakeRoom(int count)
    {
        while (true)
        {
            int free = 0, worst = -1;
            for (int slot = 0; slot < _slotFeature.Length; slot++)
            {
                int v = _slotFeature[slot];
                if (v < 0)
                {
                    free++;
                }
                else if (worst < 0 || _priority[v] > _priority[_slotFeature[worst]])
                {
                    worst = slot;
                }
            }

            if (free >= count || worst < 0)
            {
                return;
            }

            _slotOf[_slotFeature[worst]] = -1;
            _slotFeature[worst] = -1;
        }
    }

    /// <summary>The solver's parameters.</summary>
    /// <param name="Method">LAR or the Lasso modification.</param>
    /// <param name="AlphaMin">The path stops at this α (interpolating the last knot).</param>
    /// <param name="MaxIterations">The most steps.</param>
    /// <param name="Positive">Coefficients constrained to be ≥ 0 (Lasso only).</param>
    /// <param name="SampleCount">n, the scale of α = C/n.</param>
    /// <param name="OnIteration">Called after every step, with the Lasso objective at the new knot and its α as the gap.</param>
    /// <param name="CancellationToken">Checked before every step.</param>
    internal readonly record struct Settings(
        LarsMethod Method,
        double AlphaMin,
        int MaxIterations,
        bool Positive,
        double SampleCount,
        Action<LarsIterationInfo>? OnIteration,
        CancellationToken CancellationToken);

    /// <summary>The path.</summary>
    /// <param name="Alphas">α at every knot.</param>
    /// <param name="Active">The active features at the end, in order of joining.</param>
    /// <param name="Path">The coefficients at every knot, p × knots, column-major.</param>
    /// <param name="Knots">The number of knots.</param>
    /// <param name="Iterations">The steps taken.</param>
    /// <param name="Stop">Why the path ended.</param>
    internal sealed record Output(double[] Alphas, int[] Active, double[] Path, int Knots, int Iterations, StopReason Stop)
    {
        /// <summary>The coefficients at the last knot (a copy).</summary>
        public double[] Final(int features) => Path.AsSpan((Knots - 1) * features, features).ToArray();
    }
}
