// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <summary>The kernels of t-SNE's exact gradient (Student-t similarities of one point to all others) and of neighbour search (squared distances).</summary>
internal static partial class Kernels
{
    /// <summary>Σ (x[i] − y[i])², the squared Euclidean distance (four accumulators, as <see cref="Dot"/>).</summary>
    public static double SquaredDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => Reduce(x, y, default(SquaredDifferenceStep));

    /// <summary>
    /// u[j] ← 1 / (1 + ‖point − y_j‖²·<paramref name="inverseNu"/>) for the <paramref name="n"/> points y_j whose coordinates lie
    /// coordinate by coordinate in <paramref name="coordinates"/> (coordinate a of point j at a·n + j); the dimension is
    /// <paramref name="point"/>'s length. With ν = 1 this is the Student-t (Cauchy) similarity of t-SNE.
    /// </summary>
    public static void StudentTRow(ReadOnlySpan<double> coordinates, int n, ReadOnlySpan<double> point, double inverseNu, Span<double> u)
    {
        if (coordinates.Length < (long)point.Length * n || u.Length < n)
        {
            throw new ArgumentException($"The coordinates ({coordinates.Length}) or the output ({u.Length}) are shorter than {point.Length} × {n}.");
        }

        if (Vector512.IsHardwareAccelerated)
        {
            StudentTRow<Width512, Vector512<double>>(coordinates, n, point, inverseNu, u);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            StudentTRow<Width256, Vector256<double>>(coordinates, n, point, inverseNu, u);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            StudentTRow<Width128, Vector128<double>>(coordinates, n, point, inverseNu, u);
        }
        else
        {
            StudentTRow<ScalarWidth, double>(coordinates, n, point, inverseNu, u);
        }
    }

    /// <summary>
    /// c[j] ← (α·p[j] − w[j]/Z)·u[j], the coefficient of (y_i − y_j) in t-SNE's gradient for point i, and returns Σ c[j];
    /// <paramref name="inverseZ"/> is 1/Z.
    /// </summary>
    public static double TSneForceCoefficients(ReadOnlySpan<double> p, ReadOnlySpan<double> w, ReadOnlySpan<double> u, double alpha, double inverseZ, Span<double> c) =>
        MapReduce(p, w, u, c, new TSneForceOperator(alpha, inverseZ));

    /// <summary>
    /// t-SNE's attraction in two dimensions with the Cauchy kernel, over a sparse P in compressed rows (row i's entries
    /// <paramref name="rowStart"/>[i] … <paramref name="rowStart"/>[i + 1] − 1, column indices and values): for the rows
    /// [<paramref name="first"/>, <paramref name="end"/>), f_i = Σ p_ij·u_ij·(y_i − y_j) with u = 1/(1 + ‖y_i − y_j‖²), into
    /// <paramref name="attraction"/>[2i] and [2i + 1] (<paramref name="y"/> row-major, two coordinates per point). A row's
    /// differences to its neighbours are gathered into a buffer, then taken a vector at a time (one vector division for their u).
    /// </summary>
    public static void CauchyAttraction2D(ReadOnlySpan<int> rowStart, ReadOnlySpan<int> columns, ReadOnlySpan<double> values, ReadOnlySpan<double> y, int first, int end, Span<double> attraction)
    {
        if (first < 0 || end < first || rowStart.Length <= end || attraction.Length < 2 * end || columns.Length < rowStart[end] || values.Length < rowStart[end])
        {
            throw new ArgumentException($"The rows [{first}, {end}) do not fit the compressed rows ({rowStart.Length - 1} rows, {columns.Length} entries) or the output ({attraction.Length}).");
        }

        if (Vector512.IsHardwareAccelerated)
        {
            CauchyAttraction2D<Width512, Vector512<double>>(rowStart, columns, values, y, first, end, attraction);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            CauchyAttraction2D<Width256, Vector256<double>>(rowStart, columns, values, y, first, end, attraction);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            CauchyAttraction2D<Width128, Vector128<double>>(rowStart, columns, values, y, first, end, attraction);
        }
        else
        {
            CauchyAttraction2D<ScalarWidth, double>(rowStart, columns, values, y, first, end, attraction);
        }
    }

    /// <summary>The body of <see cref="CauchyAttraction2D"/> at one vector width, then scalars for each row's last neighbours.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void CauchyAttraction2D<TWidth, TVector>(ReadOnlySpan<int> rowStart, ReadOnlySpan<int> columns, ReadOnlySpan<double> values, ReadOnlySpan<double> y, int first, int end, Span<double> attraction)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        int count = TWidth.Count, widest = 0;
        for (int i = first; i < end; i++)
        {
            widest = Math.Max(widest, rowStart[i + 1] - rowStart[i]);
        }

        // A row's differences gathered first (scalars), then taken a vector at a time from the buffer.
        var buffer = widest <= 512 ? stackalloc double[2 * widest] : new double[2 * widest];
        ref double d0s = ref MemoryMarshal.GetReference(buffer);
        ref double d1s = ref Unsafe.Add(ref d0s, widest);
        var one = TWidth.Broadcast(1.0);
        for (int i = first; i < end; i++)
        {
            double yi0 = y[2 * i], yi1 = y[(2 * i) + 1];
            int start = rowStart[i], length = rowStart[i + 1] - start;
            var row = columns.Slice(start, length);
            for (int k = 0; k < row.Length; k++)
            {
                int j = row[k];
                Unsafe.Add(ref d0s, k) = yi0 - y[2 * j];
                Unsafe.Add(ref d1s, k) = yi1 - y[(2 * j) + 1];
            }

            ref double p = ref Unsafe.Add(ref MemoryMarshal.GetReference(values), start);
            var f0 = TWidth.Zero;
            var f1 = TWidth.Zero;
            int e = 0;
            for (; e <= length - count; e += count)
            {
                var d0 = TWidth.Load(ref d0s, (nuint)e);
                var d1 = TWidth.Load(ref d1s, (nuint)e);
                var u = TWidth.Divide(one, TWidth.MultiplyAdd(d0, d0, TWidth.MultiplyAdd(d1, d1, one)));
                var pu = TWidth.Multiply(TWidth.Load(ref p, (nuint)e), u);
                f0 = TWidth.MultiplyAdd(pu, d0, f0);
                f1 = TWidth.MultiplyAdd(pu, d1, f1);
            }

            double s0 = TWidth.Sum(f0), s1 = TWidth.Sum(f1);
            for (; e < length; e++)
            {
                double d0 = Unsafe.Add(ref d0s, e), d1 = Unsafe.Add(ref d1s, e);
                double pu = Unsafe.Add(ref p, e) * (1.0 / MultiplyAdd(d0, d0, MultiplyAdd(d1, d1, 1.0)));
                s0 = MultiplyAdd(pu, d0, s0);
                s1 = MultiplyAdd(pu, d1, s1);
            }

            attraction[2 * i] = s0;
            attraction[(2 * i) + 1] = s1;
        }
    }

    /// <summary>The body of <see cref="StudentTRow"/> at one vector width, then scalars for the last points.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void StudentTRow<TWidth, TVector>(ReadOnlySpan<double> coordinates, int n, ReadOnlySpan<double> point, double inverseNu, Span<double> u)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        int dims = point.Length;
        int count = TWidth.Count;
        fixed (double* y = coordinates, p = point, result = u)
        {
            var one = TWidth.Broadcast(1.0);
            var scale = TWidth.Broadcast(inverseNu);
            int j = 0;
            for (; j <= n - count; j += count)
            {
                var acc = TWidth.Zero;
                for (int a = 0; a < dims; a++)
                {
                    var diff = TWidth.Subtract(TWidth.Broadcast(p[a]), TWidth.Load(y + ((long)a * n) + j));
                    acc = TWidth.MultiplyAdd(diff, diff, acc);
                }

                TWidth.Store(TWidth.Divide(one, TWidth.MultiplyAdd(acc, scale, one)), result + j);
            }

            for (; j < n; j++)
            {
                double acc = 0.0;
                for (int a = 0; a < dims; a++)
                {
                    double diff = p[a] - y[((long)a * n) + j];
                    acc = ScalarWidth.MultiplyAdd(diff, diff, acc);
                }

                result[j] = 1.0 / ScalarWidth.MultiplyAdd(acc, inverseNu, 1.0);
            }
        }
    }

    /// <summary>acc + (x − y)².</summary>
    private readonly struct SquaredDifferenceStep : IReductionOperator
    {
        public Vector512<double> Step(Vector512<double> acc, Vector512<double> x, Vector512<double> y)
        {
            var d = x - y;
            return MultiplyAdd(d, d, acc);
        }

        public Vector256<double> Step(Vector256<double> acc, Vector256<double> x, Vector256<double> y)
        {
            var d = x - y;
            return MultiplyAdd(d, d, acc);
        }

        public Vector128<double> Step(Vector128<double> acc, Vector128<double> x, Vector128<double> y)
        {
            var d = x - y;
            return MultiplyAdd(d, d, acc);
        }

        public double Step(double acc, double x, double y)
        {
            double d = x - y;
            return MultiplyAdd(d, d, acc);
        }
    }

    /// <summary>r = (α·p − w/Z)·u, summed.</summary>
    private readonly struct TSneForceOperator(double alpha, double inverseZ) : IMapReduceOperator
    {
        public double Seed => 0.0;

        public Vector512<double> Map(Vector512<double> x, Vector512<double> y, Vector512<double> z) =>
            MultiplyAdd(Vector512.Create(alpha), x, -(y * Vector512.Create(inverseZ))) * z;

        public Vector256<double> Map(Vector256<double> x, Vector256<double> y, Vector256<double> z) =>
            MultiplyAdd(Vector256.Create(alpha), x, -(y * Vector256.Create(inverseZ))) * z;

        public Vector128<double> Map(Vector128<double> x, Vector128<double> y, Vector128<double> z) =>
            MultiplyAdd(Vector128.Create(alpha), x, -(y * Vector128.Create(inverseZ))) * z;

        public double Map(double x, double y, double z) => MultiplyAdd(alpha, x, -(y * inverseZ)) * z;

        public Vector512<double> Accumulate(Vector512<double> acc, Vector512<double> r, Vector512<double> z) => acc + r;

        public Vector256<double> Accumulate(Vector256<double> acc, Vector256<double> r, Vector256<double> z) => acc + r;

        public Vector128<double> Accumulate(Vector128<double> acc, Vector128<double> r, Vector128<double> z) => acc + r;

        public double Accumulate(double acc, double r, double z) => acc + r;

        public double Finish(Vector512<double> acc) => Vector512.Sum(acc);

        public double Finish(Vector256<double> acc) => Vector256.Sum(acc);

        public double Finish(Vector128<double> acc) => Vector128.Sum(acc);
    }
}
