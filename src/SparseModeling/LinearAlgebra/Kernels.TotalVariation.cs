// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <remarks>
/// Element-wise kernels of isotropic total variation, on a field of two components (x, y) stored as two spans: the sum of
/// the pointwise lengths √(x² + y²) (the total variation of an image whose gradient the field is) and the projection of
/// every point onto the disk of a given radius (the proximal operator of the conjugate of radius·Σ√(x² + y²)).
/// </remarks>
internal static partial class Kernels
{
    /// <summary>Σ √(xᵢ² + yᵢ²), each length computed as √(x·x + y·y) without a fused multiply-add.</summary>
    public static double SumOfNorms(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => Reduce(x, y, default(NormStep));

    /// <summary>
    /// (xᵢ, yᵢ) ← (xᵢ, yᵢ)·min(1, radius/√(xᵢ² + yᵢ²)): every point projected onto the closed disk of
    /// <paramref name="radius"/> ≥ 0 around the origin (points inside it are unchanged, bit for bit), in place.
    /// </summary>
    public static void ProjectOntoDisks(Span<double> x, Span<double> y, double radius) => Map2(x, y, x, y, new DiskProjection(radius));

    /// <summary>acc + √(x·x + y·y).</summary>
    private readonly struct NormStep : IReductionOperator
    {
        public Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y) => acc + Vector512.Sqrt((x * x) + (y * y));

        public Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y) => acc + Vector256.Sqrt((x * x) + (y * y));

        public Vector128<double> Step(Vector128<double> acc, Vector128<double> x, Vector128<double> y) => acc + Vector128.Sqrt((x * x) + (y * y));

        public double Step(double acc, double x, double y) => acc + Math.Sqrt((x * x) + (y * y));
    }

    /// <summary>(x, y)·s with s = 1 where √(x² + y²) ≤ radius, radius/√(x² + y²) elsewhere.</summary>
    private readonly struct DiskProjection(double radius) : IBinaryPairOperator
    {
        public void Invoke(Vector512<double> x, Vector512<double> y, out Vector512<double> r, out Vector512<double> s)
        {
            var norm = Vector512.Sqrt((x * x) + (y * y));
            var bound = Vector512.Create(radius);
            var scale = Vector512.ConditionalSelect(Vector512.LessThanOrEqual(norm, bound), Vector512<double>.One, bound / norm);
            r = x * scale;
            s = y * scale;
        }

        public void Invoke(Vector256<double> x, Vector256<double> y, out Vector256<double> r, out Vector256<double> s)
        {
            var norm = Vector256.Sqrt((x * x) + (y * y));
            var bound = Vector256.Create(radius);
            var scale = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(norm, bound), Vector256<double>.One, bound / norm);
            r = x * scale;
            s = y * scale;
        }

        public void Invoke(Vector128<double> x, Vector128<double> y, out Vector128<double> r, out Vector128<double> s)
        {
            var norm = Vector128.Sqrt((x * x) + (y * y));
            var bound = Vector128.Create(radius);
            var scale = Vector128.ConditionalSelect(Vector128.LessThanOrEqual(norm, bound), Vector128<double>.One, bound / norm);
            r = x * scale;
            s = y * scale;
        }

        public void Invoke(double x, double y, out double r, out double s)
        {
            double norm = Math.Sqrt((x * x) + (y * y));
            double scale = norm <= radius ? 1.0 : radius / norm;
            r = x * scale;
            s = y * scale;
        }
    }
}
