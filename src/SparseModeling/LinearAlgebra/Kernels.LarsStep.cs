// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

internal static partial class Kernels
{
    /// <summary>
    /// For every feature j, the smallest positive of (C − cⱼ)/(A − aⱼ + tiny) and (C + cⱼ)/(A + aⱼ + tiny)
    /// (the second only when <paramref name="positive"/> is false), with <paramref name="tiny32"/> guarding the divisions, +∞ when neither is positive, plus
    /// <paramref name="blocked"/>ⱼ (0, or +∞ for active and set-aside features), into
    /// <paramref name="lengths"/>; returns their minimum. Evaluated as scikit-learn does, in the same order: the LARS step to the next feature joining.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LarsStepLengths(double cMax, double aa, double tiny32, ReadOnlySpan<double> c, ReadOnlySpan<double> a, ReadOnlySpan<double> blocked, bool positive, Span<double> lengths)
    {
        int p = c.Length;
        int i = 0;
        double min = double.PositiveInfinity;
        if (Vector512.IsHardwareAccelerated && p >= Vector512<double>.Count)
        {
            var vc = Vector512.Create(cMax);
            var va = Vector512.Create(aa);
            var tiny = Vector512.Create(tiny32);
            var infinity = Vector512.Create(double.PositiveInfinity);
            var best = infinity;
            for (; i <= p - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var ci = Vector512.Create(c.Slice(i, Vector512<double>.Count));
                var ai = Vector512.Create(a.Slice(i, Vector512<double>.Count));
                var g = (vc - ci) / ((va - ai) + tiny);
                g = Vector512.ConditionalSelect(Vector512.GreaterThan(g, Vector512<double>.Zero), g, infinity);
                if (!positive)
                {
                    var g2 = (vc + ci) / ((va + ai) + tiny);
                    g = Vector512.Min(g, Vector512.ConditionalSelect(Vector512.GreaterThan(g2, Vector512<double>.Zero), g2, infinity));
                }

                g += Vector512.Create(blocked.Slice(i, Vector512<double>.Count));
                g.CopyTo(lengths.Slice(i, Vector512<double>.Count));
                best = Vector512.Min(best, g);
            }

            for (int k = 0; k < Vector512<double>.Count; k++)
            {
                min = Math.Min(min, best[k]);
            }
        }
        else if (Vector256.IsHardwareAccelerated && p >= Vector256<double>.Count)
        {
            var vc = Vector256.Create(cMax);
            var va = Vector256.Create(aa);
            var tiny = Vector256.Create(tiny32);
            var infinity = Vector256.Create(double.PositiveInfinity);
            var best = infinity;
            for (; i <= p - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var ci = Vector256.Create(c.Slice(i, Vector256<double>.Count));
                var ai = Vector256.Create(a.Slice(i, Vector256<double>.Count));
                var g = (vc - ci) / ((va - ai) + tiny);
                g = Vector256.ConditionalSelect(Vector256.GreaterThan(g, Vector256<double>.Zero), g, infinity);
                if (!positive)
                {
                    var g2 = (vc + ci) / ((va + ai) + tiny);
                    g = Vector256.Min(g, Vector256.ConditionalSelect(Vector256.GreaterThan(g2, Vector256<double>.Zero), g2, infinity));
                }

                g += Vector256.Create(blocked.Slice(i, Vector256<double>.Count));
                g.CopyTo(lengths.Slice(i, Vector256<double>.Count));
                best = Vector256.Min(best, g);
            }

            for (int k = 0; k < Vector256<double>.Count; k++)
            {
                min = Math.Min(min, best[k]);
            }
        }

        for (; i < p; i++)
        {
            double g = (cMax - c[i]) / (aa - a[i] + tiny32);
            g = g > 0.0 ? g : double.PositiveInfinity;
            if (!positive)
            {
                double g2 = (cMax + c[i]) / (aa + a[i] + tiny32);
                g = Math.Min(g, g2 > 0.0 ? g2 : double.PositiveInfinity);
            }

            g += blocked[i];
            lengths[i] = g;
            min = Math.Min(min, g);
        }

        return min;
    }
}
