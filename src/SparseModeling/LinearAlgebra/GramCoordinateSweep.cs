// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// The coordinate sweeps of coordinate descent on one shared Gram matrix G (K×K) for many independent problems at once,
/// min over fᵢ of ½·fᵢᵀGfᵢ − cᵢᵀfᵢ + l1·‖fᵢ‖₁ + ½·l2·‖fᵢ‖² (fᵢ ≥ 0 where asked): the rows of an NMF factor on the Gram
/// matrix of the other factor, the signals a dictionary codes. The two sweeps differ in how a coordinate's gradient is had:
/// <list type="bullet">
/// <item><see cref="NonNegativeRows"/> recomputes it, g = (G·fᵢ)[t] − cᵢ[t] + l1 + l2·fᵢ[t] (summed over the components in
/// order, as scikit-learn's <c>_update_cdnmf_fast</c>), and steps fᵢ[t] ← max(0, fᵢ[t] − g / (G[t, t] + l2)), returning
/// Σ|projected gradient|: K multiply-adds per coordinate and no state, for NMF's one pass per Gram product on dense factors.</item>
/// <item><see cref="ElasticNetPass"/> keeps hᵢ = G·fᵢ up to date, as scikit-learn's <c>enet_coordinate_descent_gram</c>:
/// tmp = cᵢ[t] − hᵢ[t] + fᵢ[t]·G[t, t], fᵢ[t] ← S(tmp, l1) / (G[t, t] + l2) (0 when positive and tmp &lt; 0), and
/// hᵢ ← hᵢ + Δ·G[:, t] only when the coordinate changed in some lane, for the many passes of a Lasso to its duality gap on
/// sparse codes, where most coordinates stay at 0 and cost no column.</item>
/// </list>
/// G is only read; l2 enters through the diagonal G[t, t] + l2 without writing it.
/// </summary>
/// <remarks>
/// Within a problem the updates are sequential (each reads the entries just updated), so a problem is a chain of K short
/// steps whose cost is latency and call overhead rather than arithmetic when K is small. Problems are independent, so
/// here a vector's lanes hold several of them, component-major (entry t of lane l at t·lanes + l), every component updated in
/// all of them at once with broadcasts of G. Every problem gets the same arithmetic in a lane as in a scalar loop, so
/// results do not depend on where a problem falls. Each sweep is one generic body over
/// <see cref="Kernels.IVectorWidth{TVector}"/>, compiled once per width; the width is picked once per call.
/// </remarks>
internal static class GramCoordinateSweep
{
    /// <summary>Buffers up to this many doubles live on the stack.</summary>
    private const int StackLimit = 1024;

    /// <summary>
    /// The problems one <see cref="ElasticNetPass"/> holds: a vector's lanes at the widest width the JIT accelerates (8 at
    /// 512 bits, 4 at 256, 2 at 128), 1 without hardware vectors.
    /// </summary>
    public static int SignalLanes =>
        Vector512.IsHardwareAccelerated ? Vector512<double>.Count
        : Vector256.IsHardwareAccelerated ? Vector256<double>.Count
        : Vector128.IsHardwareAccelerated ? Vector128<double>.Count
        : 1;

    /// <summary>
    /// Sweeps rows <paramref name="i0"/>..<paramref name="i1"/> of <paramref name="f"/> (K-major) on the Gram matrix
    /// <paramref name="gram"/> (K×K, symmetric; its diagonal plus <paramref name="l2"/> is the step's curvature) and the
    /// cross products <paramref name="cross"/> (K-major like f), visiting components in <paramref name="order"/>.
    /// Returns Σ|projected gradient| over the entries visited.
    /// </summary>
    public static double NonNegativeRows(Span<double> f, int k, ReadOnlySpan<double> gram, ReadOnlySpan<double> cross, double l1, double l2, ReadOnlySpan<int> order, int i0, int i1)
    {
        if ((long)gram.Length < (long)k * k || order.Length < k || i0 < 0 || i1 < i0 || f.Length < (long)i1 * k || cross.Length < (long)i1 * k)
        {
            throw new ArgumentException($"Spans too short for rows {i0}..{i1} of {k} components.", nameof(f));
        }

        // G with l2 on its diagonal, in a copy (a K×K copy per call, next to K² multiply-adds per row), so that the
        // sweep itself is that of plain non-negative least squares on G + l2·I.
        scoped ReadOnlySpan<double> curvature = gram[..(k * k)];
        Span<double> shifted = l2 == 0.0 ? default : k * k <= StackLimit ? stackalloc double[k * k] : new double[k * k];
        if (l2 != 0.0)
        {
            curvature.CopyTo(shifted);
            for (int t = 0; t < k; t++)
            {
                shifted[t + (t * k)] += l2;
            }

            curvature = shifted;
        }

        double violation = 0.0;
        int i = i0;
        if (k > 0)
        {
            // As many rows as the widest accelerated width takes at once (two vectors' worth at 512 and 256 bits, one at 128);
            // fewer rows fall to a narrower width, and what is left over to the scalar rows.
            if (Vector512.IsHardwareAccelerated && i1 - i0 >= Lanes<Kernels.Width512, Vector512<double>>())
            {
                violation += Blocks<Kernels.Width512, Vector512<double>>(f, k, curvature, cross, l1, order, ref i, i1);
            }
            else if (Vector256.IsHardwareAccelerated && i1 - i0 >= Lanes<Kernels.Width256, Vector256<double>>())
            {
                violation += Blocks<Kernels.Width256, Vector256<double>>(f, k, curvature, cross, l1, order, ref i, i1);
            }
            else if (Vector128.IsHardwareAccelerated && i1 - i0 >= Lanes<Kernels.Width128, Vector128<double>>())
            {
                violation += Blocks<Kernels.Width128, Vector128<double>>(f, k, curvature, cross, l1, order, ref i, i1);
            }
        }

        for (; i < i1; i++)
        {
            violation += Row(f.Slice(i * k, k), k, curvature, cross.Slice(i * k, k), l1, order);
        }

        return violation;
    }

    /// <summary>
    /// One cyclic pass of elastic-net coordinate descent over components 0..K−1 of the <see cref="SignalLanes"/> problems
    /// held component-major in <paramref name="w"/> (the codes), <paramref name="hw"/> (G·w, kept up to date) and
    /// <paramref name="q"/> (the correlations c), entry t of lane l at t·<see cref="SignalLanes"/> + l. Components with
    /// G[t, t] = 0 are skipped. Writes each lane's largest |change| to <paramref name="change"/> and largest |code entry|
    /// after its update to <paramref name="magnitude"/> (over the components visited), scikit-learn's stopping measures.
    /// A lane holding zeros in all three stays at zero.
    /// </summary>
    public static void ElasticNetPass(Span<double> w, Span<double> hw, ReadOnlySpan<double> q, int k, ReadOnlySpan<double> gram, double l1, double l2, bool positive, Span<double> change, Span<double> magnitude)
    {
        int lanes = SignalLanes;
        long length = (long)k * lanes;
        if ((long)gram.Length < (long)k * k || w.Length < length || hw.Length < length || q.Length < length || change.Length < lanes || magnitude.Length < lanes)
        {
            throw new ArgumentException($"Spans too short for {k} components of {lanes} problems.", nameof(w));
        }

        if (Vector512.IsHardwareAccelerated)
        {
            Pass<Kernels.Width512, Vector512<double>>(w, hw, q, k, gram, l1, l2, positive, change, magnitude);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Pass<Kernels.Width256, Vector256<double>>(w, hw, q, k, gram, l1, l2, positive, change, magnitude);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Pass<Kernels.Width128, Vector128<double>>(w, hw, q, k, gram, l1, l2, positive, change, magnitude);
        }
        else
        {
            Pass<Kernels.ScalarWidth, double>(w, hw, q, k, gram, l1, l2, positive, change, magnitude);
        }
    }

    /// <summary>
    /// <see cref="ElasticNetPass"/> at one width. Per lane it is scikit-learn's Gram update with this library's rounding:
    /// tmp = (q − h) + w·G[t, t]; S(tmp, l1) as <see cref="Kernels.SoftThreshold(double, double)"/> (x &gt; l1: x − l1;
    /// x &lt; −l1: x + l1; else +0), or x &gt; l1: x − l1, else +0 when positive; divided by G[t, t] + l2; h ← fma(Δ, G[:, t], h).
    /// A lane whose entry did not change keeps its bits (a lane of +0 stays +0 and of −0 stays −0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pass<TWidth, TVector>(Span<double> w, Span<double> hw, ReadOnlySpan<double> q, int k, ReadOnlySpan<double> gram, double l1, double l2, bool positive, Span<double> change, Span<double> magnitude)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        nuint lanes = (uint)TWidth.Count;
        ref double wb = ref MemoryMarshal.GetReference(w);
        ref double hb = ref MemoryMarshal.GetReference(hw);
        ref double qb = ref MemoryMarshal.GetReference(q);
        var zero = TWidth.Zero;
        var above = TWidth.Broadcast(l1);
        var below = TWidth.Broadcast(-l1);
        var changeMax = zero;
        var magnitudeMax = zero;
        for (int t = 0; t < k; t++)
        {
            var column = gram.Slice(t * k, k);
            double diagonal = column[t];
            if (diagonal == 0.0)
            {
                continue;
            }

            nuint at = (uint)t * lanes;
            var old = TWidth.Load(ref wb, at);
            var tmp = TWidth.Add(TWidth.Subtract(TWidth.Load(ref qb, at), TWidth.Load(ref hb, at)), TWidth.Multiply(old, TWidth.Broadcast(diagonal)));
            var negative = positive ? zero : TWidth.WhereGreater(below, tmp, TWidth.Add(tmp, above), zero);
            var updated = TWidth.Divide(TWidth.WhereGreater(tmp, above, TWidth.Subtract(tmp, above), negative), TWidth.Broadcast(diagonal + l2));
            var delta = TWidth.Subtract(updated, old);
            if (!TWidth.EqualsAll(updated, old))
            {
                TWidth.Store(TWidth.WhereZero(delta, old, updated), ref wb, at);
                ref double g = ref MemoryMarshal.GetReference(column);
                for (int r = 0; r < k; r++)
                {
                    nuint ar = (uint)r * lanes;
                    TWidth.Store(TWidth.MultiplyAdd(delta, TWidth.Broadcast(Unsafe.Add(ref g, r)), TWidth.Load(ref hb, ar)), ref hb, ar);
                }
            }

            changeMax = TWidth.Max(changeMax, TWidth.Abs(delta));
            magnitudeMax = TWidth.Max(magnitudeMax, TWidth.Abs(updated));
        }

        TWidth.Store(changeMax, ref MemoryMarshal.GetReference(change), 0);
        TWidth.Store(magnitudeMax, ref MemoryMarshal.GetReference(magnitude), 0);
    }

    /// <summary>
    /// Rows per block at width <typeparamref name="TWidth"/>: two vectors' worth where a vector holds 4 or more lanes (two
    /// independent chains of multiply-adds, so their latencies overlap), one vector's worth at 128 bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Lanes<TWidth, TVector>()
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct => TWidth.Count >= 4 ? 2 * TWidth.Count : TWidth.Count;

    /// <summary>
    /// Sweeps whole blocks of <see cref="Lanes{TWidth, TVector}"/> rows from <paramref name="i"/> on while they fit below
    /// <paramref name="i1"/>, advancing <paramref name="i"/> past them; returns Σ|projected gradient| over them.
    /// </summary>
    private static double Blocks<TWidth, TVector>(Span<double> f, int k, ReadOnlySpan<double> gram, ReadOnlySpan<double> cross, double l1, ReadOnlySpan<int> order, ref int i, int i1)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        int lanes = Lanes<TWidth, TVector>();
        int size = 2 * k * lanes;
        Span<double> buffer = size <= StackLimit ? stackalloc double[size] : new double[size];
        var total = TWidth.Zero;
        for (; i + lanes <= i1; i += lanes)
        {
            Gather(f, cross, k, l1, i, lanes, buffer);
            total = TWidth.Add(total, Block<TWidth, TVector>(buffer, k, gram, order));
            Scatter(buffer, f, k, i, lanes);
        }

        return TWidth.Sum(total);
    }

    /// <summary>The buffer: f's block component-major (entry r of lane l at r·lanes + l), then −(c − l1) the same way.</summary>
    private static void Gather(ReadOnlySpan<double> f, ReadOnlySpan<double> cross, int k, double l1, int i, int lanes, Span<double> buffer)
    {
        int offset = k * lanes;
        for (int l = 0; l < lanes; l++)
        {
            var row = f.Slice((i + l) * k, k);
            var c = cross.Slice((i + l) * k, k);
            for (int r = 0; r < k; r++)
            {
                buffer[(r * lanes) + l] = row[r];
                buffer[offset + (r * lanes) + l] = -(c[r] - l1);
            }
        }
    }

    private static void Scatter(ReadOnlySpan<double> buffer, Span<double> f, int k, int i, int lanes)
    {
        for (int l = 0; l < lanes; l++)
        {
            var row = f.Slice((i + l) * k, k);
            for (int r = 0; r < k; r++)
            {
                row[r] = buffer[(r * lanes) + l];
            }
        }
    }

    /// <summary>
    /// One block of the buffer (<see cref="Lanes{TWidth, TVector}"/> rows, in one or two vectors per component), every
    /// component updated in all its rows at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TVector Block<TWidth, TVector>(Span<double> buffer, int k, ReadOnlySpan<double> gram, ReadOnlySpan<int> order)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        int lanes = TWidth.Count;
        bool two = lanes >= 4;
        int rows = two ? 2 * lanes : lanes;
        var block = buffer.Slice(0, 2 * k * rows);
        ref double fb = ref MemoryMarshal.GetReference(block);
        ref double cb = ref Unsafe.Add(ref fb, k * rows);
        var violation = TWidth.Zero;
        var zero = TWidth.Zero;
        for (int s = 0; s < k; s++)
        {
            int t = order[s];
            if ((uint)t >= (uint)k)
            {
                ThrowComponentOutOfRange(t, k);
            }

            var g = gram.Slice(t * k, k);
            double hess = g[t];
            nuint at = (uint)(t * rows);
            var grad0 = TWidth.Load(ref cb, at);
            var grad1 = two ? TWidth.Load(ref cb, at + (nuint)lanes) : zero;
            for (int r = 0; r < k; r++)
            {
                var gr = TWidth.Broadcast(g[r]);
                nuint ar = (uint)(r * rows);
                grad0 = TWidth.MultiplyAdd(gr, TWidth.Load(ref fb, ar), grad0);
                if (two)
                {
                    grad1 = TWidth.MultiplyAdd(gr, TWidth.Load(ref fb, ar + (nuint)lanes), grad1);
                }
            }

            var x0 = TWidth.Load(ref fb, at);
            violation = TWidth.Add(violation, TWidth.Abs(TWidth.WhereZero(x0, TWidth.Min(grad0, zero), grad0)));
            var x1 = zero;
            if (two)
            {
                x1 = TWidth.Load(ref fb, at + (nuint)lanes);
                violation = TWidth.Add(violation, TWidth.Abs(TWidth.WhereZero(x1, TWidth.Min(grad1, zero), grad1)));
            }

            if (hess != 0.0)
            {
                var h = TWidth.Broadcast(hess);
                TWidth.Store(TWidth.KeepPositive(TWidth.Subtract(x0, TWidth.Divide(grad0, h))), ref fb, at);
                if (two)
                {
                    TWidth.Store(TWidth.KeepPositive(TWidth.Subtract(x1, TWidth.Divide(grad1, h))), ref fb, at + (nuint)lanes);
                }
            }
        }

        return violation;
    }

    [DoesNotReturn]
    private static void ThrowComponentOutOfRange(int t, int k) =>
        throw Guard.OutOfRange(nameof(t), $"A component in the order is not below {k} (was {t}).");

    /// <summary>One row, with the same arithmetic as a lane of the vector blocks.</summary>
    private static double Row(Span<double> row, int k, ReadOnlySpan<double> gram, ReadOnlySpan<double> cross, double l1, ReadOnlySpan<int> order)
    {
        double violation = 0.0;
        for (int s = 0; s < k; s++)
        {
            int t = order[s];
            var g = gram.Slice(t * k, k);
            double hess = g[t];
            double grad = -(cross[t] - l1);
            for (int r = 0; r < k; r++)
            {
                grad = Kernels.MultiplyAdd(g[r], row[r], grad);
            }

            double x = row[t];
            double projected = x == 0.0 ? Math.Min(grad, 0.0) : grad;
            violation += Math.Abs(projected);
            if (hess != 0.0)
            {
                double next = x - (grad / hess);
                row[t] = next > 0.0 ? next : 0.0;
            }
        }

        return violation;
    }
}
