// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
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
        if (k > 0 && Vector512.IsHardwareAccelerated && i1 - i0 >= 2 * Vector512<double>.Count)
        {
            int lanes = 2 * Vector512<double>.Count;
            int size = 2 * k * lanes;
            Span<double> buffer = size <= StackLimit ? stackalloc double[size] : new double[size];
            var total = Vector512<double>.Zero;
            for (; i + lanes <= i1; i += lanes)
            {
                Gather(f, cross, k, l1, i, lanes, buffer);
                total += Block512(buffer, k, gram, order);
                Scatter(buffer, f, k, i, lanes);
            }

            violation += Vector512.Sum(total);
        }
        else if (k > 0 && Vector256.IsHardwareAccelerated && i1 - i0 >= 2 * Vector256<double>.Count)
        {
            int lanes = 2 * Vector256<double>.Count;
            int size = 2 * k * lanes;
            Span<double> buffer = size <= StackLimit ? stackalloc double[size] : new double[size];
            var total = Vector256<double>.Zero;
            for (; i + lanes <= i1; i += lanes)
            {
                Gather(f, cross, k, l1, i, lanes, buffer);
                total += Block256(buffer, k, gram, order);
                Scatter(buffer, f, k, i, lanes);
            }

            violation += Vector256.Sum(total);
        }
        else if (k > 0 && Vector128.IsHardwareAccelerated && i1 - i0 >= Vector128<double>.Count)
        {
            int lanes = Vector128<double>.Count;
            int size = 2 * k * lanes;
            Span<double> buffer = size <= StackLimit ? stackalloc double[size] : new double[size];
            var total = Vector128<double>.Zero;
            for (; i + lanes <= i1; i += lanes)
            {
                Gather(f, cross, k, l1, i, lanes, buffer);
                total += Block128(buffer, k, gram, order);
                Scatter(buffer, f, k, i, lanes);
            }

            violation += Vector128.Sum(total);
        }

        for (; i < i1; i++)
        {
            violation += Row(f.Slice(i * k, k), k, gram, cross.Slice(i * k, k), l1, order);
        }

        return violation;
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

    /// <summary>16 rows of the buffer in two Vector512s (two independent chains of multiply-adds, so their latencies overlap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector512<double> Block512(Span<double> buffer, int k, ReadOnlySpan<double> gram, ReadOnlySpan<int> order)
    {
        const int Lanes = 8;
        const int Rows = 2 * Lanes;
        var fb = buffer.Slice(0, k * Rows);
        var cb = buffer.Slice(k * Rows, k * Rows);
        var violation = Vector512<double>.Zero;
        var zero = Vector512<double>.Zero;
        for (int s = 0; s < k; s++)
        {
            int t = order[s];
            var g = gram.Slice(t * k, k);
            var grad0 = Vector512.Create(cb.Slice(t * Rows, Lanes));
            var grad1 = Vector512.Create(cb.Slice((t * Rows) + Lanes, Lanes));
            for (int r = 0; r < k; r++)
            {
                var gr = Vector512.Create(g[r]);
                grad0 = Kernels.MultiplyAdd(gr, Vector512.Create(fb.Slice(r * Rows, Lanes)), grad0);
                grad1 = Kernels.MultiplyAdd(gr, Vector512.Create(fb.Slice((r * Rows) + Lanes, Lanes)), grad1);
            }

            var x0 = Vector512.Create(fb.Slice(t * Rows, Lanes));
            var x1 = Vector512.Create(fb.Slice((t * Rows) + Lanes, Lanes));
            violation += Vector512.Abs(Vector512.ConditionalSelect(Vector512.Equals(x0, zero), Vector512.Min(grad0, zero), grad0));
            violation += Vector512.Abs(Vector512.ConditionalSelect(Vector512.Equals(x1, zero), Vector512.Min(grad1, zero), grad1));
            double hess = g[t];
            if (hess != 0.0)
            {
                var h = Vector512.Create(hess);
                var next0 = x0 - (grad0 / h);
                var next1 = x1 - (grad1 / h);
                Vector512.ConditionalSelect(Vector512.GreaterThan(next0, zero), next0, zero).CopyTo(fb.Slice(t * Rows, Lanes));
                Vector512.ConditionalSelect(Vector512.GreaterThan(next1, zero), next1, zero).CopyTo(fb.Slice((t * Rows) + Lanes, Lanes));
            }
        }

        return violation;
    }

    /// <summary>8 rows of the buffer in two Vector256s (two independent chains of multiply-adds, so their latencies overlap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> Block256(Span<double> buffer, int k, ReadOnlySpan<double> gram, ReadOnlySpan<int> order)
    {
        const int Lanes = 4;
        const int Rows = 2 * Lanes;
        var fb = buffer.Slice(0, k * Rows);
        var cb = buffer.Slice(k * Rows, k * Rows);
        var violation = Vector256<double>.Zero;
        var zero = Vector256<double>.Zero;
        for (int s = 0; s < k; s++)
        {
            int t = order[s];
            var g = gram.Slice(t * k, k);
            var grad0 = Vector256.Create(cb.Slice(t * Rows, Lanes));
            var grad1 = Vector256.Create(cb.Slice((t * Rows) + Lanes, Lanes));
            for (int r = 0; r < k; r++)
            {
                var gr = Vector256.Create(g[r]);
                grad0 = Kernels.MultiplyAdd(gr, Vector256.Create(fb.Slice(r * Rows, Lanes)), grad0);
                grad1 = Kernels.MultiplyAdd(gr, Vector256.Create(fb.Slice((r * Rows) + Lanes, Lanes)), grad1);
            }

            var x0 = Vector256.Create(fb.Slice(t * Rows, Lanes));
            var x1 = Vector256.Create(fb.Slice((t * Rows) + Lanes, Lanes));
            violation += Vector256.Abs(Vector256.ConditionalSelect(Vector256.Equals(x0, zero), Vector256.Min(grad0, zero), grad0));
            violation += Vector256.Abs(Vector256.ConditionalSelect(Vector256.Equals(x1, zero), Vector256.Min(grad1, zero), grad1));
            double hess = g[t];
            if (hess != 0.0)
            {
                var h = Vector256.Create(hess);
                var next0 = x0 - (grad0 / h);
                var next1 = x1 - (grad1 / h);
                Vector256.ConditionalSelect(Vector256.GreaterThan(next0, zero), next0, zero).CopyTo(fb.Slice(t * Rows, Lanes));
                Vector256.ConditionalSelect(Vector256.GreaterThan(next1, zero), next1, zero).CopyTo(fb.Slice((t * Rows) + Lanes, Lanes));
            }
        }

        return violation;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector128<double> Block128(Span<double> buffer, int k, ReadOnlySpan<double> gram, ReadOnlySpan<int> order)
    {
        const int Lanes = 2;
        var fb = buffer.Slice(0, k * Lanes);
        var cb = buffer.Slice(k * Lanes, k * Lanes);
        var violation = Vector128<double>.Zero;
        for (int s = 0; s < k; s++)
        {
            int t = order[s];
            var g = gram.Slice(t * k, k);
            var grad = Vector128.Create(cb.Slice(t * Lanes, Lanes));
            for (int r = 0; r < k; r++)
            {
                grad = Kernels.MultiplyAdd(Vector128.Create(g[r]), Vector128.Create(fb.Slice(r * Lanes, Lanes)), grad);
            }

            var x = Vector128.Create(fb.Slice(t * Lanes, Lanes));
            var projected = Vector128.ConditionalSelect(Vector128.Equals(x, Vector128<double>.Zero), Vector128.Min(grad, Vector128<double>.Zero), grad);
            violation += Vector128.Abs(projected);
            double hess = g[t];
            if (hess != 0.0)
            {
                var next = x - (grad / Vector128.Create(hess));
                Vector128.ConditionalSelect(Vector128.GreaterThan(next, Vector128<double>.Zero), next, Vector128<double>.Zero).CopyTo(fb.Slice(t * Lanes, Lanes));
            }
        }

        return violation;
    }

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
