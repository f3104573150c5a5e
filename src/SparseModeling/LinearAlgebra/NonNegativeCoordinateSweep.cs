// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// One cyclic coordinate-descent pass of the non-negative least-squares problem min ½‖fᵢ‖²_G − cᵢᵀfᵢ + l1·Σfᵢ, fᵢ ≥ 0,
/// over rows of a factor held K-major (row i is the K contiguous entries f[i·K ..]), as the NMF coordinate-descent and HALS
/// solvers sweep W and H: for each component t in order, g = −(cᵢ[t] − l1) + Σ_r G[t, r]·fᵢ[r] (summed over r in order,
/// as scikit-learn's <c>_update_cdnmf_fast</c>), then fᵢ[t] ← max(0, fᵢ[t] − g / G[t, t]).
/// </summary>
/// <remarks>
/// Within a row the updates are sequential (each gradient reads the entries just updated), so a row is a chain of K short
/// dot products whose cost is latency and call overhead rather than arithmetic when K is small. Rows are independent, so
/// here a vector's lanes hold several rows: a block of rows is transposed into a small buffer (component-major, lanes
/// contiguous), every component is updated in all of them at once with broadcasts of G, and the block is written back.
/// Every row gets the same arithmetic in a lane as in the scalar tail, so results do not depend on where a row falls.
/// The block is one generic body over <see cref="Kernels.IVectorWidth{TVector}"/>, compiled once per width; the width
/// (and with it how many rows a block holds) is picked once per call.
/// </remarks>
internal static class NonNegativeCoordinateSweep
{
    /// <summary>Buffers up to this many doubles live on the stack.</summary>
    private const int StackLimit = 1024;

    /// <summary>
    /// Sweeps rows <paramref name="i0"/>..<paramref name="i1"/> of <paramref name="f"/> (K-major) on the Gram matrix
    /// <paramref name="gram"/> (K×K, symmetric; its diagonal is the step's curvature) and the cross products
    /// <paramref name="cross"/> (K-major like f), visiting components in <paramref name="order"/>.
    /// Returns Σ|projected gradient| over the entries visited.
    /// </summary>
    public static double Rows(Span<double> f, int k, ReadOnlySpan<double> gram, ReadOnlySpan<double> cross, double l1, ReadOnlySpan<int> order, int i0, int i1)
    {
        if ((long)gram.Length < (long)k * k || order.Length < k || i0 < 0 || i1 < i0 || f.Length < (long)i1 * k || cross.Length < (long)i1 * k)
        {
            throw new ArgumentException($"Spans too short for rows {i0}..{i1} of {k} components.", nameof(f));
        }

        double violation = 0.0;
        int i = i0;
        if (k > 0)
        {
            // As many rows as the widest accelerated width takes at once (two vectors' worth at 512 and 256 bits, one at 128);
            // fewer rows fall to a narrower width, and what is left over to the scalar rows.
            if (Vector512.IsHardwareAccelerated && i1 - i0 >= Lanes<Kernels.Width512, Vector512<double>>())
            {
                violation += Blocks<Kernels.Width512, Vector512<double>>(f, k, gram, cross, l1, order, ref i, i1);
            }
            else if (Vector256.IsHardwareAccelerated && i1 - i0 >= Lanes<Kernels.Width256, Vector256<double>>())
            {
                violation += Blocks<Kernels.Width256, Vector256<double>>(f, k, gram, cross, l1, order, ref i, i1);
            }
            else if (Vector128.IsHardwareAccelerated && i1 - i0 >= Lanes<Kernels.Width128, Vector128<double>>())
            {
                violation += Blocks<Kernels.Width128, Vector128<double>>(f, k, gram, cross, l1, order, ref i, i1);
            }
        }

        for (; i < i1; i++)
        {
            violation += Row(f.Slice(i * k, k), k, gram, cross.Slice(i * k, k), l1, order);
        }

        return violation;
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

            double hess = g[t];
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
            double grad = -(cross[t] - l1);
            for (int r = 0; r < k; r++)
            {
                grad = Kernels.MultiplyAdd(g[r], row[r], grad);
            }

            double x = row[t];
            double projected = x == 0.0 ? Math.Min(grad, 0.0) : grad;
            violation += Math.Abs(projected);
            double hess = g[t];
            if (hess != 0.0)
            {
                double next = x - (grad / hess);
                row[t] = next > 0.0 ? next : 0.0;
            }
        }

        return violation;
    }
}
