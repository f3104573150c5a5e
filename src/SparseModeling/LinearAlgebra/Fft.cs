// SPDX-License-Identifier: BSD-3-Clause
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>
/// Fast Fourier transforms of many signals at once, of any length whose prime factors are 2, 3 and 5: the self-sorting
/// mixed-radix algorithm of Stockham (radix-4, 2, 3 and 5 passes; Cochran et al., "What is the fast Fourier transform?",
/// Proc. IEEE 55(10), 1967; no digit-reversal permutation), on split storage (real and imaginary parts in two arrays).
/// The signals are the columns (<see cref="Columns"/>) or the rows (<see cref="Rows"/>) of a row-major block; a strip of
/// them is gathered into a small scratch buffer laid out index by index, so that a butterfly combines whole rows of the
/// strip: every path (512, 256, 128 bits and scalar, one generic body over <see cref="Kernels.IVectorWidth{TVector}"/>) is
/// plain vector arithmetic with the twiddle factors broadcast, all passes of a strip stay in the cache, and strips run in
/// parallel. Gathering rows transposes them in the cache, so a two-dimensional transform is a column pass and a row pass
/// with no transposition of the whole array. Zero padding is implicit: entries past an input prefix are read as zeros and
/// only an output prefix is written back.
/// </summary>
/// <remarks>
/// Forward: X[k] = Σ_t x[t]·e^(−2πi·tk/L); inverse: the same with e^(+2πi·tk/L) and no 1/L (the caller scales). Each signal
/// is transformed by the same arithmetic whatever the strip it falls in and however many threads run, so results do not
/// depend on the degree of parallelism.
/// </remarks>
internal static class Fft
{
    /// <summary>
    /// The most bytes of a strip's scratch (two buffers, both parts): about a level-2 cache of 1 MB (a pass streams through
    /// one buffer into the other). A strip holds an odd number of groups of 8 signals, at most 7: with 16, 32, 48 or 64
    /// signals a scratch row is 2^k·128 bytes, and the passes' strides of many rows fall on few cache sets — the 20k t-SNE's
    /// grid transforms at L = 800 and 864 ran 30–80% slower with strips of 16 or 32 than with 24 or 40 (one thread, minimum
    /// of 40 runs).
    /// </summary>
    private const int StripBytes = 1100 * 1024;

    /// <summary>Columns per block of the transposing gather and scatter of <see cref="Rows"/>: a block's scratch rows stay in the level-1 cache.</summary>
    private const int TransposeBlock = 32;

    /// <summary>Whether <paramref name="length"/> ≥ 1 has no prime factor but 2, 3 and 5 (a length this class transforms).</summary>
    public static bool IsSmooth(int length)
    {
        if (length < 1)
        {
            return false;
        }

        foreach (int p in (ReadOnlySpan<int>)[2, 3, 5])
        {
            while (length % p == 0)
            {
                length /= p;
            }
        }

        return length == 1;
    }

    /// <summary>The smallest length ≥ <paramref name="value"/> (≥ 1) with no prime factor but 2, 3 and 5.</summary>
    public static int NextSmooth(int value)
    {
        int length = Math.Max(1, value);
        while (!IsSmooth(length))
        {
            length++;
        }

        return length;
    }

    /// <summary>
    /// Transforms columns [<paramref name="c0"/>, <paramref name="c1"/>) of the <see cref="Plan.Length"/>-row block whose row r
    /// starts at r·<paramref name="stride"/>, in place: rows from <paramref name="inputRows"/> on are read as zeros (they need
    /// not hold zeros), and only rows below <paramref name="outputRows"/> are written.
    /// </summary>
    public static void Columns(Plan plan, double[] re, double[] im, int stride, int c0, int c1, bool inverse, int? inputRows = null, int? outputRows = null)
    {
        Check(plan, re, im);
        int length = plan.Length;
        int rowsIn = inputRows ?? length, rowsOut = outputRows ?? length;
        long needed = ((long)(Math.Max(rowsIn, rowsOut) - 1) * stride) + c1;
        if (c0 < 0 || c1 < c0 || rowsIn < 0 || rowsIn > length || rowsOut < 0 || rowsOut > length || re.Length < needed || im.Length < needed)
        {
            throw new ArgumentException($"The block ({length} rows, stride {stride}, columns [{c0}, {c1}), rows {rowsIn} in and {rowsOut} out) does not fit the arrays ({re.Length}, {im.Length}).");
        }

        var prune = PruningOf(length, rowsIn);
        Run(plan, re, im, c1 - c0, inverse, prune, null, (scratchRe, scratchIm, first, width) =>
        {
            // Under input pruning, input row r goes to rows 2r and 2r + 1: the first pass (radix 2, upper half zero) done.
            int rows = prune == Pruning.Input ? length / 2 : length, copies = prune == Pruning.Input ? 2 : 1;
            for (int r = 0; r < rows; r++)
            {
                for (int copy = 0; copy < copies; copy++)
                {
                    var toRe = scratchRe.AsSpan(((r * copies) + copy) * width, width);
                    var toIm = scratchIm.AsSpan(((r * copies) + copy) * width, width);
                    if (r < rowsIn)
                    {
                        re.AsSpan((r * stride) + c0 + first, width).CopyTo(toRe);
                        im.AsSpan((r * stride) + c0 + first, width).CopyTo(toIm);
                    }
                    else
                    {
                        toRe.Clear();
                        toIm.Clear();
                    }
                }
            }
        }, (resultRe, resultIm, first, width) =>
        {
            for (int r = 0; r < rowsOut; r++)
            {
                resultRe.AsSpan(r * width, width).CopyTo(re.AsSpan((r * stride) + c0 + first, width));
                resultIm.AsSpan(r * width, width).CopyTo(im.AsSpan((r * stride) + c0 + first, width));
            }
        });
    }

    /// <summary>
    /// Transforms rows [<paramref name="r0"/>, <paramref name="r1"/>), each a signal of <see cref="Plan.Length"/> entries starting
    /// at r·<paramref name="stride"/>, in place: entries from <paramref name="inputColumns"/> on are read as zeros, and only entries
    /// below <paramref name="outputColumns"/> are written.
    /// </summary>
    public static void Rows(Plan plan, double[] re, double[] im, int stride, int r0, int r1, bool inverse, int? inputColumns = null, int? outputColumns = null) =>
        RowPasses(plan, re, im, stride, r0, r1, inverse, inputColumns, outputColumns, null);

    /// <summary>
    /// Filters rows [<paramref name="r0"/>, <paramref name="r1"/>) (as <see cref="Rows(Plan, double[], double[], int, int, int, bool, int?, int?)"/>)
    /// in one pass over the array: each strip of rows is transformed forward (entries from <paramref name="inputColumns"/> on
    /// read as zeros), handed to <paramref name="filter"/> in the scratch, and transformed back (inverse, unscaled), and
    /// only entries below <paramref name="outputColumns"/> are written: a convolution along the rows without the spectra
    /// ever leaving the cache. The filter is called once per strip with (real part, imaginary part, first row less
    /// <paramref name="r0"/>, rows in the strip): the spectrum of row r0 + first + w at frequency c is at c·width + w (width
    /// the last argument); it works in place, on its strip only.
    /// </summary>
    public static void RowsFiltered(Plan plan, double[] re, double[] im, int stride, int r0, int r1, int inputColumns, int outputColumns, Strip filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        RowPasses(plan, re, im, stride, r0, r1, inverse: false, inputColumns, outputColumns, filter);
    }

    /// <summary>The row transforms, forward then back through <paramref name="filter"/> where it is not null.</summary>
    private static void RowPasses(Plan plan, double[] re, double[] im, int stride, int r0, int r1, bool inverse, int? inputColumns, int? outputColumns, Strip? filter)
    {
        Check(plan, re, im);
        int length = plan.Length;
        int colsIn = inputColumns ?? length, colsOut = outputColumns ?? length;
        long needed = r1 == r0 ? 0 : ((long)(r1 - 1) * stride) + Math.Max(colsIn, colsOut);
        if (r0 < 0 || r1 < r0 || colsIn < 0 || colsIn > length || colsOut < 0 || colsOut > length || re.Length < needed || im.Length < needed)
        {
            throw new ArgumentException($"The rows [{r0}, {r1}) of {length} entries (stride {stride}, {colsIn} in, {colsOut} out) do not fit the arrays ({re.Length}, {im.Length}).");
        }

        var prune = PruningOf(length, colsIn);
        Run(plan, re, im, r1 - r0, inverse, prune, filter, (scratchRe, scratchIm, first, width) =>
        {
            // Transposed in blocks of columns, so that the scratch rows written stay in the level-1 cache; under input
            // pruning, entry c goes to rows 2c and 2c + 1 (the first pass, radix 2 on a zero upper half, done).
            int copies = prune == Pruning.Input ? 2 : 1;
            for (int cb = 0; cb < colsIn; cb += TransposeBlock)
            {
                int cEnd = Math.Min(colsIn, cb + TransposeBlock);
                for (int w = 0; w < width; w++)
                {
                    int row = (r0 + first + w) * stride;
                    for (int c = cb; c < cEnd; c++)
                    {
                        double xr = re[row + c], xi = im[row + c];
                        int at = (c * copies * width) + w;
                        scratchRe[at] = xr;
                        scratchIm[at] = xi;
                        if (copies == 2)
                        {
                            scratchRe[at + width] = xr;
                            scratchIm[at + width] = xi;
                        }
                    }
                }
            }

            scratchRe.AsSpan(colsIn * copies * width, (length - (colsIn * copies)) * width).Clear();
            scratchIm.AsSpan(colsIn * copies * width, (length - (colsIn * copies)) * width).Clear();
        }, (resultRe, resultIm, first, width) =>
        {
            for (int cb = 0; cb < colsOut; cb += TransposeBlock)
            {
                int cEnd = Math.Min(colsOut, cb + TransposeBlock);
                for (int w = 0; w < width; w++)
                {
                    int row = (r0 + first + w) * stride;
                    for (int c = cb; c < cEnd; c++)
                    {
                        re[row + c] = resultRe[(c * width) + w];
                        im[row + c] = resultIm[(c * width) + w];
                    }
                }
            }
        });
    }

    private static void Check(Plan plan, double[] re, double[] im)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(re);
        ArgumentNullException.ThrowIfNull(im);
    }

    /// <summary>
    /// Cuts <paramref name="signals"/> signals into strips and runs gather, the passes (in the order <paramref name="prune"/>
    /// calls for) and scatter on each, in parallel; with a <paramref name="filter"/>, the filter and the passes of the other
    /// direction come between the passes and the scatter.
    /// </summary>
    private static void Run(Plan plan, double[] re, double[] im, int signals, bool inverse, Pruning prune, Strip? filter, Strip gather, Strip scatter)
    {
        if (signals == 0)
        {
            return;
        }

        int length = plan.Length;
        int eighths = Math.Clamp(StripBytes / (256 * length), 1, 7);
        int stripWidth = 8 * (eighths % 2 == 0 ? eighths - 1 : eighths);
        int strips = (signals + stripWidth - 1) / stripWidth;
        // The scratch comes from the shared pool, strip by strip: fresh arrays per call (a megabyte of the large-object heap,
        // zeroed, per thread) cost the 20k t-SNE's grid transforms about as much as the passes of a small one.
        Parallelism.For(strips, s =>
        {
            int first = s * stripWidth, width = Math.Min(stripWidth, signals - first);
            var pool = ArrayPool<double>.Shared;
            double[][] scratch = [pool.Rent(length * width), pool.Rent(length * width), pool.Rent(length * width), pool.Rent(length * width)];
            try
            {
                RunStrip(plan, inverse, prune, filter, gather, scatter, scratch, first, width);
            }
            finally
            {
                foreach (double[] buffer in scratch)
                {
                    pool.Return(buffer);
                }
            }
        });
    }

    /// <summary>Gather, the passes (and the filter with the passes back) and scatter of one strip in <paramref name="scratch"/> (four buffers of at least L·width entries).</summary>
    private static void RunStrip(Plan plan, bool inverse, Pruning prune, Strip? filter, Strip gather, Strip scatter, double[][] scratch, int first, int width)
    {
        gather(scratch[0], scratch[1], first, width);
        bool inSecond = Transform(plan, scratch[0], scratch[1], scratch[2], scratch[3], width, inverse, prune);
        if (filter is not null)
        {
            int at = inSecond ? 2 : 0, other = inSecond ? 0 : 2;
            filter(scratch[at], scratch[at + 1], first, width);
            inSecond ^= Transform(plan, scratch[at], scratch[at + 1], scratch[other], scratch[other + 1], width, !inverse, Pruning.None);
        }

        scatter(inSecond ? scratch[2] : scratch[0], inSecond ? scratch[3] : scratch[1], first, width);
    }

    /// <summary>
    /// All passes on a strip of <paramref name="width"/> signals laid out index by index in (aRe, aIm) (under
    /// <see cref="Pruning.Input"/>, as the first pass leaves them); returns whether the result is in (bRe, bIm).
    /// </summary>
    private static unsafe bool Transform(Plan plan, double[] aRe, double[] aIm, double[] bRe, double[] bIm, int width, bool inverse, Pruning prune)
    {
        fixed (double* ar = aRe, ai = aIm, br = bRe, bi = bIm)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                return Transform<Kernels.Width512, Vector512<double>>(plan, ar, ai, br, bi, width, inverse, prune);
            }

            if (Vector256.IsHardwareAccelerated)
            {
                return Transform<Kernels.Width256, Vector256<double>>(plan, ar, ai, br, bi, width, inverse, prune);
            }

            if (Vector128.IsHardwareAccelerated)
            {
                return Transform<Kernels.Width128, Vector128<double>>(plan, ar, ai, br, bi, width, inverse, prune);
            }

            return Transform<Kernels.ScalarWidth, double>(plan, ar, ai, br, bi, width, inverse, prune);
        }
    }

    /// <summary>
    /// The Stockham passes at one vector width. After the passes over radices r₁…r_s (l = r₁⋯r_s), entry k·l + j of the buffer
    /// holds the length-l DFT, at frequency j, of the subsequence x[k + (L/l)·t]; a pass of radix r combines r of them:
    /// Y'[k·l·r + j + l·p] = Σ_q ω_r^(pq)·(ω_(lr)^(jq)·Y[(k + m·q)·l + j]), m = L/(l·r). Under <see cref="Pruning.Input"/> the
    /// first pass (radix 2) is skipped, the gather having done it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe bool Transform<TWidth, TVector>(Plan plan, double* aRe, double* aIm, double* bRe, double* bIm, int width, bool inverse, Pruning prune)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        int length = plan.Length;
        double sign = inverse ? 1.0 : -1.0;
        double* srcRe = aRe, srcIm = aIm, dstRe = bRe, dstIm = bIm;
        var order = plan.Order(prune);
        int first = prune == Pruning.Input ? 1 : 0, last = order.Radices.Length - 1;
        int l = prune == Pruning.Input ? 2 : 1;
        for (int stage = first; stage <= last; stage++)
        {
            int r = order.Radices[stage];
            int m = length / (l * r);
            double[] cos = order.Cos[stage], sin = order.Sin[stage];
            for (int j = 0; j < l; j++)
            {
                // The butterflies of one twiddle set: k = 0 … m − 1, inputs (k + m·q)·l + j, outputs k·l·r + j + l·p.
                var pass = new Pass(srcRe, srcIm, dstRe, dstIm, width, j, (long)m * l * width, j, (long)l * width, m, (long)l * width, (long)l * r * width);
                int t = j * (r - 1);
                switch (r)
                {
                    case 4:
                        Radix4<TWidth, TVector>(pass, j == 0, cos[t], sign * sin[t], cos[t + 1], sign * sin[t + 1], cos[t + 2], sign * sin[t + 2], inverse);
                        break;
                    case 2:
                        Radix2<TWidth, TVector>(pass, j == 0, cos[t], sign * sin[t]);
                        break;
                    case 3:
                        Radix3<TWidth, TVector>(pass, j == 0, cos[t], sign * sin[t], cos[t + 1], sign * sin[t + 1], sign);
                        break;
                    default:
                        Radix5<TWidth, TVector>(pass, j == 0, cos, sin, t, sign);
                        break;
                }
            }

            double* swapRe = srcRe, swapIm = srcIm;
            srcRe = dstRe;
            srcIm = dstIm;
            dstRe = swapRe;
            dstIm = swapIm;
            l *= r;
        }

        return (last + 1 - first) % 2 == 1;
    }

    /// <summary>x·w for a complex vector x and a broadcast twiddle w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Twiddle<TWidth, TVector>(ref TVector xr, ref TVector xi, double wr, double wi)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        var vr = TWidth.Broadcast(wr);
        var vi = TWidth.Broadcast(wi);
        var r = TWidth.MultiplyAdd(xr, vr, TWidth.MultiplyAdd(xi, TWidth.Broadcast(-wi), TWidth.Zero));
        xi = TWidth.MultiplyAdd(xr, vi, TWidth.MultiplyAdd(xi, vr, TWidth.Zero));
        xr = r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Radix2<TWidth, TVector>(Pass pass, bool plain, double w1r, double w1i)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        int width = pass.Width, count = TWidth.Count;
        for (long k = 0; k < pass.Count; k++)
        {
            long ia = k * pass.InputAdvance, oa = k * pass.OutputAdvance;
            double* s0r = pass.Input(0) + ia, s0i = pass.InputIm(0) + ia, s1r = pass.Input(1) + ia, s1i = pass.InputIm(1) + ia;
            double* d0r = pass.Output(0) + oa, d0i = pass.OutputIm(0) + oa, d1r = pass.Output(1) + oa, d1i = pass.OutputIm(1) + oa;
            int w = 0;
            for (; w <= width - count; w += count)
            {
                var ar = TWidth.Load(s0r + w);
                var ai = TWidth.Load(s0i + w);
                var br = TWidth.Load(s1r + w);
                var bi = TWidth.Load(s1i + w);
                if (!plain)
                {
                    Twiddle<TWidth, TVector>(ref br, ref bi, w1r, w1i);
                }

                TWidth.Store(TWidth.Add(ar, br), d0r + w);
                TWidth.Store(TWidth.Add(ai, bi), d0i + w);
                TWidth.Store(TWidth.Subtract(ar, br), d1r + w);
                TWidth.Store(TWidth.Subtract(ai, bi), d1i + w);
            }

            for (; w < width; w++)
            {
                double ar = s0r[w], ai = s0i[w], br = s1r[w], bi = s1i[w];
                if (!plain)
                {
                    Twiddle<Kernels.ScalarWidth, double>(ref br, ref bi, w1r, w1i);
                }

                d0r[w] = ar + br;
                d0i[w] = ai + bi;
                d1r[w] = ar - br;
                d1i[w] = ai - bi;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Radix4<TWidth, TVector>(Pass pass, bool plain, double w1r, double w1i, double w2r, double w2i, double w3r, double w3i, bool inverse)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        int width = pass.Width, count = TWidth.Count;
        for (long k = 0; k < pass.Count; k++)
        {
            long ia = k * pass.InputAdvance, oa = k * pass.OutputAdvance;
            double* s0r = pass.Input(0) + ia, s0i = pass.InputIm(0) + ia, s1r = pass.Input(1) + ia, s1i = pass.InputIm(1) + ia;
            double* s2r = pass.Input(2) + ia, s2i = pass.InputIm(2) + ia, s3r = pass.Input(3) + ia, s3i = pass.InputIm(3) + ia;
            double* d0r = pass.Output(0) + oa, d0i = pass.OutputIm(0) + oa, d1r = pass.Output(1) + oa, d1i = pass.OutputIm(1) + oa;
            double* d2r = pass.Output(2) + oa, d2i = pass.OutputIm(2) + oa, d3r = pass.Output(3) + oa, d3i = pass.OutputIm(3) + oa;
            int w = 0;
            for (; w <= width - count; w += count)
            {
                var a0r = TWidth.Load(s0r + w);
                var a0i = TWidth.Load(s0i + w);
                var a1r = TWidth.Load(s1r + w);
                var a1i = TWidth.Load(s1i + w);
                var a2r = TWidth.Load(s2r + w);
                var a2i = TWidth.Load(s2i + w);
                var a3r = TWidth.Load(s3r + w);
                var a3i = TWidth.Load(s3i + w);
                if (!plain)
                {
                    Twiddle<TWidth, TVector>(ref a1r, ref a1i, w1r, w1i);
                    Twiddle<TWidth, TVector>(ref a2r, ref a2i, w2r, w2i);
                    Twiddle<TWidth, TVector>(ref a3r, ref a3i, w3r, w3i);
                }

                var t0r = TWidth.Add(a0r, a2r);
                var t0i = TWidth.Add(a0i, a2i);
                var t1r = TWidth.Subtract(a0r, a2r);
                var t1i = TWidth.Subtract(a0i, a2i);
                var t2r = TWidth.Add(a1r, a3r);
                var t2i = TWidth.Add(a1i, a3i);
                var t3r = TWidth.Subtract(a1r, a3r);
                var t3i = TWidth.Subtract(a1i, a3i);
                TWidth.Store(TWidth.Add(t0r, t2r), d0r + w);
                TWidth.Store(TWidth.Add(t0i, t2i), d0i + w);
                TWidth.Store(TWidth.Subtract(t0r, t2r), d2r + w);
                TWidth.Store(TWidth.Subtract(t0i, t2i), d2i + w);

                // Forward: out1 = t1 − i·t3, out3 = t1 + i·t3 (inverse: the other way round).
                if (inverse)
                {
                    (t3r, t3i) = (TWidth.Subtract(TWidth.Zero, t3r), TWidth.Subtract(TWidth.Zero, t3i));
                }

                TWidth.Store(TWidth.Add(t1r, t3i), d1r + w);
                TWidth.Store(TWidth.Subtract(t1i, t3r), d1i + w);
                TWidth.Store(TWidth.Subtract(t1r, t3i), d3r + w);
                TWidth.Store(TWidth.Add(t1i, t3r), d3i + w);
            }

            for (; w < width; w++)
            {
                double a0r = s0r[w], a0i = s0i[w], a1r = s1r[w], a1i = s1i[w], a2r = s2r[w], a2i = s2i[w], a3r = s3r[w], a3i = s3i[w];
                if (!plain)
                {
                    Twiddle<Kernels.ScalarWidth, double>(ref a1r, ref a1i, w1r, w1i);
                    Twiddle<Kernels.ScalarWidth, double>(ref a2r, ref a2i, w2r, w2i);
                    Twiddle<Kernels.ScalarWidth, double>(ref a3r, ref a3i, w3r, w3i);
                }

                double t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;
                double t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1r - a3r, t3i = a1i - a3i;
                d0r[w] = t0r + t2r;
                d0i[w] = t0i + t2i;
                d2r[w] = t0r - t2r;
                d2i[w] = t0i - t2i;
                if (inverse)
                {
                    (t3r, t3i) = (0.0 - t3r, 0.0 - t3i);
                }

                d1r[w] = t1r + t3i;
                d1i[w] = t1i - t3r;
                d3r[w] = t1r - t3i;
                d3i[w] = t1i + t3r;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Radix3<TWidth, TVector>(Pass pass, bool plain, double w1r, double w1i, double w2r, double w2i, double sign)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        // out0 = a0 + (a1 + a2); out1,2 = a0 − (a1 + a2)/2 ± sign·i·(√3/2)·(a1 − a2).
        const double Half = 0.5;
        double s = sign * 0.86602540378443864676;
        int width = pass.Width, count = TWidth.Count;
        for (long k = 0; k < pass.Count; k++)
        {
            long ia = k * pass.InputAdvance, oa = k * pass.OutputAdvance;
            double* s0r = pass.Input(0) + ia, s0i = pass.InputIm(0) + ia, s1r = pass.Input(1) + ia, s1i = pass.InputIm(1) + ia, s2r = pass.Input(2) + ia, s2i = pass.InputIm(2) + ia;
            double* d0r = pass.Output(0) + oa, d0i = pass.OutputIm(0) + oa, d1r = pass.Output(1) + oa, d1i = pass.OutputIm(1) + oa, d2r = pass.Output(2) + oa, d2i = pass.OutputIm(2) + oa;
            var vHalf = TWidth.Broadcast(-Half);
            var vs = TWidth.Broadcast(s);
            var vns = TWidth.Broadcast(-s);
            int w = 0;
            for (; w <= width - count; w += count)
            {
                var a0r = TWidth.Load(s0r + w);
                var a0i = TWidth.Load(s0i + w);
                var a1r = TWidth.Load(s1r + w);
                var a1i = TWidth.Load(s1i + w);
                var a2r = TWidth.Load(s2r + w);
                var a2i = TWidth.Load(s2i + w);
                if (!plain)
                {
                    Twiddle<TWidth, TVector>(ref a1r, ref a1i, w1r, w1i);
                    Twiddle<TWidth, TVector>(ref a2r, ref a2i, w2r, w2i);
                }

                var br = TWidth.Add(a1r, a2r);
                var bi = TWidth.Add(a1i, a2i);
                var dr = TWidth.Subtract(a1r, a2r);
                var di = TWidth.Subtract(a1i, a2i);
                var er = TWidth.MultiplyAdd(br, vHalf, a0r);
                var ei = TWidth.MultiplyAdd(bi, vHalf, a0i);
                TWidth.Store(TWidth.Add(a0r, br), d0r + w);
                TWidth.Store(TWidth.Add(a0i, bi), d0i + w);

                // sign·i·s·d = (−sign·s·d.i, sign·s·d.r) with s = √3/2.
                TWidth.Store(TWidth.MultiplyAdd(di, vns, er), d1r + w);
                TWidth.Store(TWidth.MultiplyAdd(dr, vs, ei), d1i + w);
                TWidth.Store(TWidth.MultiplyAdd(di, vs, er), d2r + w);
                TWidth.Store(TWidth.MultiplyAdd(dr, vns, ei), d2i + w);
            }

            for (; w < width; w++)
            {
                double a0r = s0r[w], a0i = s0i[w], a1r = s1r[w], a1i = s1i[w], a2r = s2r[w], a2i = s2i[w];
                if (!plain)
                {
                    Twiddle<Kernels.ScalarWidth, double>(ref a1r, ref a1i, w1r, w1i);
                    Twiddle<Kernels.ScalarWidth, double>(ref a2r, ref a2i, w2r, w2i);
                }

                double br = a1r + a2r, bi = a1i + a2i, dr = a1r - a2r, di = a1i - a2i;
                double er = Kernels.MultiplyAdd(br, -Half, a0r), ei = Kernels.MultiplyAdd(bi, -Half, a0i);
                d0r[w] = a0r + br;
                d0i[w] = a0i + bi;
                d1r[w] = Kernels.MultiplyAdd(di, -s, er);
                d1i[w] = Kernels.MultiplyAdd(dr, s, ei);
                d2r[w] = Kernels.MultiplyAdd(di, s, er);
                d2i[w] = Kernels.MultiplyAdd(dr, -s, ei);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Radix5<TWidth, TVector>(Pass pass, bool plain, double[] cos, double[] sin, int t, double sign)
        where TWidth : struct, Kernels.IVectorWidth<TVector>
        where TVector : struct
    {
        // out0 = a0 + b1 + b2; out1,4 = e1 ∓ sign·i·f1; out2,3 = e2 ∓ sign·i·f2 with b1 = a1 + a4, b2 = a2 + a3, d1 = a1 − a4,
        // d2 = a2 − a3, e1 = a0 + c1·b1 + c2·b2, e2 = a0 + c2·b1 + c1·b2, f1 = s1·d1 + s2·d2, f2 = s2·d1 − s1·d2.
        const double C1 = 0.30901699437494742410, C2 = -0.80901699437494742410;
        const double S1 = 0.95105651629515357212, S2 = 0.58778525229247312917;
        int width = pass.Width, count = TWidth.Count;
        Span<double> wr = stackalloc double[4];
        Span<double> wi = stackalloc double[4];
        for (int q = 0; q < 4; q++)
        {
            wr[q] = cos[t + q];
            wi[q] = sign * sin[t + q];
        }

        for (long k = 0; k < pass.Count; k++)
        {
            long ia = k * pass.InputAdvance, oa = k * pass.OutputAdvance;
            double* s0r = pass.Input(0) + ia, s0i = pass.InputIm(0) + ia;
            double* s1r = pass.Input(1) + ia, s1i = pass.InputIm(1) + ia, s2r = pass.Input(2) + ia, s2i = pass.InputIm(2) + ia;
            double* s3r = pass.Input(3) + ia, s3i = pass.InputIm(3) + ia, s4r = pass.Input(4) + ia, s4i = pass.InputIm(4) + ia;
            double* d0r = pass.Output(0) + oa, d0i = pass.OutputIm(0) + oa, d1r = pass.Output(1) + oa, d1i = pass.OutputIm(1) + oa;
            double* d2r = pass.Output(2) + oa, d2i = pass.OutputIm(2) + oa, d3r = pass.Output(3) + oa, d3i = pass.OutputIm(3) + oa;
            double* d4r = pass.Output(4) + oa, d4i = pass.OutputIm(4) + oa;
            var c1 = TWidth.Broadcast(C1);
            var c2 = TWidth.Broadcast(C2);
            var s1 = TWidth.Broadcast(sign * S1);
            var s2 = TWidth.Broadcast(sign * S2);
            var ns1 = TWidth.Broadcast(-sign * S1);
            int w = 0;
            for (; w <= width - count; w += count)
            {
                var a0r = TWidth.Load(s0r + w);
                var a0i = TWidth.Load(s0i + w);
                var a1r = TWidth.Load(s1r + w);
                var a1i = TWidth.Load(s1i + w);
                var a2r = TWidth.Load(s2r + w);
                var a2i = TWidth.Load(s2i + w);
                var a3r = TWidth.Load(s3r + w);
                var a3i = TWidth.Load(s3i + w);
                var a4r = TWidth.Load(s4r + w);
                var a4i = TWidth.Load(s4i + w);
                if (!plain)
                {
                    Twiddle<TWidth, TVector>(ref a1r, ref a1i, wr[0], wi[0]);
                    Twiddle<TWidth, TVector>(ref a2r, ref a2i, wr[1], wi[1]);
                    Twiddle<TWidth, TVector>(ref a3r, ref a3i, wr[2], wi[2]);
                    Twiddle<TWidth, TVector>(ref a4r, ref a4i, wr[3], wi[3]);
                }

                var b1r = TWidth.Add(a1r, a4r);
                var b1i = TWidth.Add(a1i, a4i);
                var b2r = TWidth.Add(a2r, a3r);
                var b2i = TWidth.Add(a2i, a3i);
                var e1r = TWidth.MultiplyAdd(b2r, c2, TWidth.MultiplyAdd(b1r, c1, a0r));
                var e1i = TWidth.MultiplyAdd(b2i, c2, TWidth.MultiplyAdd(b1i, c1, a0i));
                var e2r = TWidth.MultiplyAdd(b2r, c1, TWidth.MultiplyAdd(b1r, c2, a0r));
                var e2i = TWidth.MultiplyAdd(b2i, c1, TWidth.MultiplyAdd(b1i, c2, a0i));
                var g1r = TWidth.Subtract(a1r, a4r);
                var g1i = TWidth.Subtract(a1i, a4i);
                var g2r = TWidth.Subtract(a2r, a3r);
                var g2i = TWidth.Subtract(a2i, a3i);

                // f = sign·(s1·d1 + s2·d2) and sign·(s2·d1 − s1·d2); −i·f = (f.i, −f.r).
                var f1r = TWidth.MultiplyAdd(g2r, s2, TWidth.MultiplyAdd(g1r, s1, TWidth.Zero));
                var f1i = TWidth.MultiplyAdd(g2i, s2, TWidth.MultiplyAdd(g1i, s1, TWidth.Zero));
                var f2r = TWidth.MultiplyAdd(g2r, ns1, TWidth.MultiplyAdd(g1r, s2, TWidth.Zero));
                var f2i = TWidth.MultiplyAdd(g2i, ns1, TWidth.MultiplyAdd(g1i, s2, TWidth.Zero));
                TWidth.Store(TWidth.Add(a0r, TWidth.Add(b1r, b2r)), d0r + w);
                TWidth.Store(TWidth.Add(a0i, TWidth.Add(b1i, b2i)), d0i + w);
                TWidth.Store(TWidth.Subtract(e1r, f1i), d1r + w);
                TWidth.Store(TWidth.Add(e1i, f1r), d1i + w);
                TWidth.Store(TWidth.Add(e1r, f1i), d4r + w);
                TWidth.Store(TWidth.Subtract(e1i, f1r), d4i + w);
                TWidth.Store(TWidth.Subtract(e2r, f2i), d2r + w);
                TWidth.Store(TWidth.Add(e2i, f2r), d2i + w);
                TWidth.Store(TWidth.Add(e2r, f2i), d3r + w);
                TWidth.Store(TWidth.Subtract(e2i, f2r), d3i + w);
            }

            for (; w < width; w++)
            {
                double a0r = s0r[w], a0i = s0i[w], a1r = s1r[w], a1i = s1i[w], a2r = s2r[w], a2i = s2i[w], a3r = s3r[w], a3i = s3i[w], a4r = s4r[w], a4i = s4i[w];
                if (!plain)
                {
                    Twiddle<Kernels.ScalarWidth, double>(ref a1r, ref a1i, wr[0], wi[0]);
                    Twiddle<Kernels.ScalarWidth, double>(ref a2r, ref a2i, wr[1], wi[1]);
                    Twiddle<Kernels.ScalarWidth, double>(ref a3r, ref a3i, wr[2], wi[2]);
                    Twiddle<Kernels.ScalarWidth, double>(ref a4r, ref a4i, wr[3], wi[3]);
                }

                double b1r = a1r + a4r, b1i = a1i + a4i, b2r = a2r + a3r, b2i = a2i + a3i;
                double e1r = Kernels.MultiplyAdd(b2r, C2, Kernels.MultiplyAdd(b1r, C1, a0r)), e1i = Kernels.MultiplyAdd(b2i, C2, Kernels.MultiplyAdd(b1i, C1, a0i));
                double e2r = Kernels.MultiplyAdd(b2r, C1, Kernels.MultiplyAdd(b1r, C2, a0r)), e2i = Kernels.MultiplyAdd(b2i, C1, Kernels.MultiplyAdd(b1i, C2, a0i));
                double g1r = a1r - a4r, g1i = a1i - a4i, g2r = a2r - a3r, g2i = a2i - a3i;
                double f1r = Kernels.MultiplyAdd(g2r, sign * S2, Kernels.MultiplyAdd(g1r, sign * S1, 0.0)), f1i = Kernels.MultiplyAdd(g2i, sign * S2, Kernels.MultiplyAdd(g1i, sign * S1, 0.0));
                double f2r = Kernels.MultiplyAdd(g2r, -sign * S1, Kernels.MultiplyAdd(g1r, sign * S2, 0.0)), f2i = Kernels.MultiplyAdd(g2i, -sign * S1, Kernels.MultiplyAdd(g1i, sign * S2, 0.0));
                d0r[w] = a0r + (b1r + b2r);
                d0i[w] = a0i + (b1i + b2i);
                d1r[w] = e1r - f1i;
                d1i[w] = e1i + f1r;
                d4r[w] = e1r + f1i;
                d4i[w] = e1i - f1r;
                d2r[w] = e2r - f2i;
                d2i[w] = e2i + f2r;
                d3r[w] = e2r + f2i;
                d3i[w] = e2i - f2r;
            }
        }
    }

    /// <summary>
    /// Works on a strip in the scratch, laid out index by index (entry c of signal w at c·width + w): moves it between an array
    /// and the scratch, or filters it. The arguments: the scratch's real part, its imaginary part, the first signal of the
    /// strip, the signals in it.
    /// </summary>
    public delegate void Strip(double[] scratchRe, double[] scratchIm, int first, int width);

    /// <summary>
    /// The rows of the butterflies of one twiddle set, rows of <see cref="Width"/> entries: butterfly k reads input q at row
    /// input + q·inputStep (entries) + k·inputAdvance and writes output p at row output + p·outputStep + k·outputAdvance.
    /// </summary>
    private readonly unsafe struct Pass(double* srcRe, double* srcIm, double* dstRe, double* dstIm, int width, long input, long inputStep, long output, long outputStep, int count, long inputAdvance, long outputAdvance)
    {
        public int Width => width;

        public int Count => count;

        public long InputAdvance => inputAdvance;

        public long OutputAdvance => outputAdvance;

        public double* Input(int q) => srcRe + (input * width) + (q * inputStep);

        public double* InputIm(int q) => srcIm + (input * width) + (q * inputStep);

        public double* Output(int p) => dstRe + (output * width) + (p * outputStep);

        public double* OutputIm(int p) => dstIm + (output * width) + (p * outputStep);
    }

    /// <summary>
    /// How a transform of even length L skips known zeros: <see cref="Input"/> when at most L/2 entries come in (the rest
    /// zeros). (Pruning the outputs of an inverse transform to L/2 by a last pass of radix 2 was measured no faster: that
    /// pass runs L/2 twiddle sets of one butterfly each.)
    /// </summary>
    internal enum Pruning
    {
        /// <summary>No pruning: the passes in the plan's own order.</summary>
        None,

        /// <summary>A radix-2 pass first whose upper inputs are zeros: each output pair is a copy of one input, written by the gather.</summary>
        Input,
    }

    /// <summary>The pruning for <paramref name="length"/> with <paramref name="input"/> entries in.</summary>
    private static Pruning PruningOf(int length, int input) =>
        length % 2 == 0 && input <= length / 2 ? Pruning.Input : Pruning.None;

    /// <summary>The radices of one order of the passes with each pass's twiddle factors.</summary>
    internal sealed class Passes
    {
        /// <summary>The passes over <paramref name="radices"/> in this order (their product is the length).</summary>
        public Passes(int[] radices)
        {
            Radices = radices;
            Cos = new double[Radices.Length][];
            Sin = new double[Radices.Length][];
            int l = 1;
            for (int s = 0; s < Radices.Length; s++)
            {
                int r = Radices[s];
                Cos[s] = new double[l * (r - 1)];
                Sin[s] = new double[l * (r - 1)];
                for (int j = 0; j < l; j++)
                {
                    for (int q = 1; q < r; q++)
                    {
                        // ω_(lr)^(jq) = e^(∓2πi·jq/(lr)); the sign is the direction's.
                        (Sin[s][(j * (r - 1)) + q - 1], Cos[s][(j * (r - 1)) + q - 1]) = Math.SinCos(2.0 * Math.PI * j * q / (l * r));
                    }
                }

                l *= r;
            }
        }

        /// <summary>The radix of each pass.</summary>
        public int[] Radices { get; }

        /// <summary>cos(2π·jq/(l·r)) of each pass, at j·(r − 1) + q − 1.</summary>
        public double[][] Cos { get; }

        /// <summary>sin(2π·jq/(l·r)) of each pass, at j·(r − 1) + q − 1.</summary>
        public double[][] Sin { get; }
    }

    /// <summary>
    /// The passes of one transform length: its radices (4s first, then 2, 3s, 5s) and each pass's twiddle factors, and for an
    /// even length the order that prunes: a 2 first, then the radices of L/2 (<see cref="Pruning.Input"/>).
    /// </summary>
    internal sealed class Plan
    {
        /// <summary>Builds the passes for <paramref name="length"/>, a product of 2s, 3s and 5s.</summary>
        public Plan(int length)
        {
            if (!IsSmooth(length))
            {
                throw new ArgumentOutOfRangeException(nameof(length), $"The transform length must be ≥ 1 with no prime factor but 2, 3 and 5 (was {length}).");
            }

            Length = length;
            var radices = new List<int>();
            int rest = length;
            while (rest % 4 == 0)
            {
                radices.Add(4);
                rest /= 4;
            }

            foreach (int p in (ReadOnlySpan<int>)[2, 3, 5])
            {
                while (rest % p == 0)
                {
                    radices.Add(p);
                    rest /= p;
                }
            }

            _plain = new Passes([.. radices]);
            if (length % 2 == 0)
            {
                int[] half = length == 2 ? [] : new Plan(length / 2).Radices;
                _input = new Passes([2, .. half]);
            }
        }

        private readonly Passes _plain;
        private readonly Passes? _input;

        /// <summary>The transform length L.</summary>
        public int Length { get; }

        /// <summary>The radix of each pass, in the order of a transform without pruning.</summary>
        public int[] Radices => _plain.Radices;

        /// <summary>The passes in the order <paramref name="prune"/> calls for (<see cref="Pruning.None"/> for odd lengths).</summary>
        public Passes Order(Pruning prune) => prune switch
        {
            Pruning.Input => _input!,
            _ => _plain,
        };
    }
}
