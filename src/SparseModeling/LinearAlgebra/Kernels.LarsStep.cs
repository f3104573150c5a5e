// SPDX-License-Identifier: BSD-3-Clause
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
    public static double LarsStepLengths(double cMax, double aa, double tiny32, ReadOnlySpan<double> c, ReadOnlySpan<double> a, ReadOnlySpan<double> blocked, bool positive, Span<double> lengths) =>
        MapReduce(c, a, blocked, lengths, new LarsStepOperator(cMax, aa, tiny32, positive));

    /// <summary>The step length of one feature (x = cⱼ, y = aⱼ, z = blockedⱼ), reduced by the minimum.</summary>
    private readonly struct LarsStepOperator(double cMax, double aa, double tiny32, bool positive) : IMapReduceOperator
    {
        public double Seed => double.PositiveInfinity;

        public Vector512<double> Map(Vector512<double> x, Vector512<double> y, Vector512<double> z)
        {
            var vc = Vector512.Create(cMax);
            var va = Vector512.Create(aa);
            var tiny = Vector512.Create(tiny32);
            var infinity = Vector512.Create(double.PositiveInfinity);
            var g = (vc - x) / ((va - y) + tiny);
            g = Vector512.ConditionalSelect(Vector512.GreaterThan(g, Vector512<double>.Zero), g, infinity);
            if (!positive)
            {
                var g2 = (vc + x) / ((va + y) + tiny);
                g = Vector512.Min(g, Vector512.ConditionalSelect(Vector512.GreaterThan(g2, Vector512<double>.Zero), g2, infinity));
            }

            return g + z;
        }

        public Vector256<double> Map(Vector256<double> x, Vector256<double> y, Vector256<double> z)
        {
            var vc = Vector256.Create(cMax);
            var va = Vector256.Create(aa);
            var tiny = Vector256.Create(tiny32);
            var infinity = Vector256.Create(double.PositiveInfinity);
            var g = (vc - x) / ((va - y) + tiny);
            g = Vector256.ConditionalSelect(Vector256.GreaterThan(g, Vector256<double>.Zero), g, infinity);
            if (!positive)
            {
                var g2 = (vc + x) / ((va + y) + tiny);
                g = Vector256.Min(g, Vector256.ConditionalSelect(Vector256.GreaterThan(g2, Vector256<double>.Zero), g2, infinity));
            }

            return g + z;
        }

        public Vector128<double> Map(Vector128<double> x, Vector128<double> y, Vector128<double> z)
        {
            var vc = Vector128.Create(cMax);
            var va = Vector128.Create(aa);
            var tiny = Vector128.Create(tiny32);
            var infinity = Vector128.Create(double.PositiveInfinity);
            var g = (vc - x) / ((va - y) + tiny);
            g = Vector128.ConditionalSelect(Vector128.GreaterThan(g, Vector128<double>.Zero), g, infinity);
            if (!positive)
            {
                var g2 = (vc + x) / ((va + y) + tiny);
                g = Vector128.Min(g, Vector128.ConditionalSelect(Vector128.GreaterThan(g2, Vector128<double>.Zero), g2, infinity));
            }

            return g + z;
        }

        public double Map(double x, double y, double z)
        {
            double g = (cMax - x) / (aa - y + tiny32);
            g = g > 0.0 ? g : double.PositiveInfinity;
            if (!positive)
            {
                double g2 = (cMax + x) / (aa + y + tiny32);
                g = Math.Min(g, g2 > 0.0 ? g2 : double.PositiveInfinity);
            }

            return g + z;
        }

        public Vector512<double> Accumulate(Vector512<double> acc, Vector512<double> r, Vector512<double> z) => Vector512.Min(acc, r);

        public Vector256<double> Accumulate(Vector256<double> acc, Vector256<double> r, Vector256<double> z) => Vector256.Min(acc, r);

        public Vector128<double> Accumulate(Vector128<double> acc, Vector128<double> r, Vector128<double> z) => Vector128.Min(acc, r);

        public double Accumulate(double acc, double r, double z) => Math.Min(acc, r);

        public double Finish(Vector512<double> acc) => Finish(Vector256.Min(acc.GetLower(), acc.GetUpper()));

        public double Finish(Vector256<double> acc) => Finish(Vector128.Min(acc.GetLower(), acc.GetUpper()));

        public double Finish(Vector128<double> acc) => Math.Min(acc.GetElement(0), acc.GetElement(1));
    }
}
