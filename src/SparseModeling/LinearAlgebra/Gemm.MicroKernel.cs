// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// The register-blocked micro-kernels and the block sizes that go with each: MR×NR accumulators
    /// held in registers, updated by rank-1 FMAs over the packed slivers (MR rows of op(A) as vectors,
    /// NR broadcasts of op(B)). The widest kernel the hardware accelerates is chosen once: 512-bit,
    /// 256-bit, then 128-bit (SSE, or NEON on ARM64; multiply-add where FMA is not in hardware), and
    /// the scalar kernel only when hardware intrinsics are switched off.
    /// </summary>
    /// <remarks>
    /// Unlike the register-blocked kernels <c>Gemv</c>, <c>NarrowGemm</c>, <c>FactorGemm</c> and <c>GramCoordinateSweep</c>, which are one
    /// generic body over <see cref="Kernels.IVectorWidth{TVector}"/>, these are written once per width on purpose: the
    /// tile itself differs by width (24×8 with 32 AVX-512 registers, 8×6 and 4×6 with 16), and so do the packing and the
    /// block sizes that go with it, so a shared body would only be the three kernels behind branches on the width.
    /// </remarks>
    internal sealed class MicroKernel
    {
        /// <summary>The largest MR·NR of any kernel (the size of an edge-tile scratch buffer).</summary>
        public const int MaxTile = 24 * 8;

        private const int KindVector512 = 2;
        private const int KindVector256 = 1;
        private const int KindVector128 = 3;
        private const int KindScalar = 0;

        private readonly int _kind;

        private MicroKernel(int kind, int mr, int nr, int kc, int mc, int nc)
        {
            _kind = kind;
            Mr = mr;
            Nr = nr;
            Kc = kc;
            Mc = mc;
            Nc = nc;
        }

        /// <summary>
        /// Every kernel this process's hardware runs natively, widest first (the first is
        /// <see cref="Current"/>; the scalar kernel is always last).
        /// </summary>
        public static IReadOnlyList<MicroKernel> Supported { get; } = SelectAll();

        /// <summary>The kernel for this process's hardware (declared after <see cref="Supported"/>, which it reads).</summary>
        public static MicroKernel Current { get; } = Supported[0];

        /// <summary>Rows of a register tile (a multiple of the vector width).</summary>
        public int Mr { get; }

        /// <summary>Columns of a register tile.</summary>
        public int Nr { get; }

        /// <summary>Depth of a packed block (the shared dimension), sized so a B sliver stays in L1.</summary>
        public int Kc { get; }

        /// <summary>Rows of a packed A block (a multiple of <see cref="Mr"/>), sized for L2.</summary>
        public int Mc { get; }

        /// <summary>Columns of a packed B panel (a multiple of <see cref="Nr"/>), sized for L3.</summary>
        public int Nc { get; }

        /// <summary>A name for reports and benchmarks.</summary>
        public string Name => _kind switch
        {
            KindVector512 => "Vector512 24x8",
            KindVector256 => "Vector256 8x6",
            KindVector128 => "Vector128 4x6",
            _ => "scalar 4x4",
        };

        /// <summary>
        /// C[0..MR, 0..NR] += α·(A sliver · B sliver) over depth <paramref name="kc"/>, where the A
        /// sliver holds MR consecutive doubles per step and the B sliver NR.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Run(int kc, double* a, double* b, double* c, int ldc, double alpha)
        {
            switch (_kind)
            {
                case KindVector512:
                    Kernel512(kc, a, b, c, ldc, alpha);
                    break;
                case KindVector256:
                    Kernel256(kc, a, b, c, ldc, alpha);
                    break;
                case KindVector128:
                    Kernel128(kc, a, b, c, ldc, alpha);
                    break;
                default:
                    KernelScalar(kc, a, b, c, ldc, alpha);
                    break;
            }
        }

        private static MicroKernel[] SelectAll()
        {
            var kernels = new List<MicroKernel>(4);
            if (Vector512.IsHardwareAccelerated)
            {
                kernels.Add(Create(KindVector512));
            }

            if (Vector256.IsHardwareAccelerated)
            {
                kernels.Add(Create(KindVector256));
            }

            if (Vector128.IsHardwareAccelerated)
            {
                kernels.Add(Create(KindVector128));
            }

            kernels.Add(Create(KindScalar));
            return [.. kernels];
        }

        /// <summary>A kernel of the given kind with its register tile and its block sizes.</summary>
        private static MicroKernel Create(int kind)
        {
            return kind switch
            {
                KindVector512 => new MicroKernel(KindVector512, 24, 8, 256, 192, 4096),
                KindVector256 => new MicroKernel(KindVector256, 8, 6, 256, 128, 4092),
                KindVector128 => new MicroKernel(KindVector128, 4, 6, 256, 128, 4092),
                _ => new MicroKernel(KindScalar, 4, 4, 256, 128, 4096),
            };
        }

        /// <summary>24×8 tile: three 8-wide vectors of A times eight broadcasts of B per step.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Kernel512(int kc, double* a, double* b, double* c, int ldc, double alpha)
        {
            Vector512<double> c00 = default, c10 = default, c20 = default;
            Vector512<double> c01 = default, c11 = default, c21 = default;
            Vector512<double> c02 = default, c12 = default, c22 = default;
            Vector512<double> c03 = default, c13 = default, c23 = default;
            Vector512<double> c04 = default, c14 = default, c24 = default;
            Vector512<double> c05 = default, c15 = default, c25 = default;
            Vector512<double> c06 = default, c16 = default, c26 = default;
            Vector512<double> c07 = default, c17 = default, c27 = default;
            for (int p = 0; p < kc; p++)
            {
                var a0 = Vector512.Load(a);
                var a1 = Vector512.Load(a + 8);
                var a2 = Vector512.Load(a + 16);
                var bv = Vector512.Create(b[0]);
                c00 = Vector512.FusedMultiplyAdd(a0, bv, c00);
                c10 = Vector512.FusedMultiplyAdd(a1, bv, c10);
                c20 = Vector512.FusedMultiplyAdd(a2, bv, c20);
                bv = Vector512.Create(b[1]);
                c01 = Vector512.FusedMultiplyAdd(a0, bv, c01);
                c11 = Vector512.FusedMultiplyAdd(a1, bv, c11);
                c21 = Vector512.FusedMultiplyAdd(a2, bv, c21);
                bv = Vector512.Create(b[2]);
                c02 = Vector512.FusedMultiplyAdd(a0, bv, c02);
                c12 = Vector512.FusedMultiplyAdd(a1, bv, c12);
                c22 = Vector512.FusedMultiplyAdd(a2, bv, c22);
                bv = Vector512.Create(b[3]);
                c03 = Vector512.FusedMultiplyAdd(a0, bv, c03);
                c13 = Vector512.FusedMultiplyAdd(a1, bv, c13);
                c23 = Vector512.FusedMultiplyAdd(a2, bv, c23);
                bv = Vector512.Create(b[4]);
                c04 = Vector512.FusedMultiplyAdd(a0, bv, c04);
                c14 = Vector512.FusedMultiplyAdd(a1, bv, c14);
                c24 = Vector512.FusedMultiplyAdd(a2, bv, c24);
                bv = Vector512.Create(b[5]);
                c05 = Vector512.FusedMultiplyAdd(a0, bv, c05);
                c15 = Vector512.FusedMultiplyAdd(a1, bv, c15);
                c25 = Vector512.FusedMultiplyAdd(a2, bv, c25);
                bv = Vector512.Create(b[6]);
                c06 = Vector512.FusedMultiplyAdd(a0, bv, c06);
                c16 = Vector512.FusedMultiplyAdd(a1, bv, c16);
                c26 = Vector512.FusedMultiplyAdd(a2, bv, c26);
                bv = Vector512.Create(b[7]);
                c07 = Vector512.FusedMultiplyAdd(a0, bv, c07);
                c17 = Vector512.FusedMultiplyAdd(a1, bv, c17);
                c27 = Vector512.FusedMultiplyAdd(a2, bv, c27);
                a += 24;
                b += 8;
            }

            var av = Vector512.Create(alpha);
            Update512(c, av, c00, c10, c20);
            Update512(c + ldc, av, c01, c11, c21);
            Update512(c + (2 * ldc), av, c02, c12, c22);
            Update512(c + (3 * ldc), av, c03, c13, c23);
            Update512(c + (4 * ldc), av, c04, c14, c24);
            Update512(c + (5 * ldc), av, c05, c15, c25);
            Update512(c + (6 * ldc), av, c06, c16, c26);
            Update512(c + (7 * ldc), av, c07, c17, c27);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Update512(double* c, Vector512<double> alpha, Vector512<double> x0, Vector512<double> x1, Vector512<double> x2)
        {
            Vector512.FusedMultiplyAdd(alpha, x0, Vector512.Load(c)).Store(c);
            Vector512.FusedMultiplyAdd(alpha, x1, Vector512.Load(c + 8)).Store(c + 8);
            Vector512.FusedMultiplyAdd(alpha, x2, Vector512.Load(c + 16)).Store(c + 16);
        }

        /// <summary>8×6 tile: two 4-wide vectors of A times six broadcasts of B per step (fits 16 registers).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Kernel256(int kc, double* a, double* b, double* c, int ldc, double alpha)
        {
            Vector256<double> c00 = default, c10 = default;
            Vector256<double> c01 = default, c11 = default;
            Vector256<double> c02 = default, c12 = default;
            Vector256<double> c03 = default, c13 = default;
            Vector256<double> c04 = default, c14 = default;
            Vector256<double> c05 = default, c15 = default;
            for (int p = 0; p < kc; p++)
            {
                var a0 = Vector256.Load(a);
                var a1 = Vector256.Load(a + 4);
                var bv = Vector256.Create(b[0]);
                c00 = Vector256.FusedMultiplyAdd(a0, bv, c00);
                c10 = Vector256.FusedMultiplyAdd(a1, bv, c10);
                bv = Vector256.Create(b[1]);
                c01 = Vector256.FusedMultiplyAdd(a0, bv, c01);
                c11 = Vector256.FusedMultiplyAdd(a1, bv, c11);
                bv = Vector256.Create(b[2]);
                c02 = Vector256.FusedMultiplyAdd(a0, bv, c02);
                c12 = Vector256.FusedMultiplyAdd(a1, bv, c12);
                bv = Vector256.Create(b[3]);
                c03 = Vector256.FusedMultiplyAdd(a0, bv, c03);
                c13 = Vector256.FusedMultiplyAdd(a1, bv, c13);
                bv = Vector256.Create(b[4]);
                c04 = Vector256.FusedMultiplyAdd(a0, bv, c04);
                c14 = Vector256.FusedMultiplyAdd(a1, bv, c14);
                bv = Vector256.Create(b[5]);
                c05 = Vector256.FusedMultiplyAdd(a0, bv, c05);
                c15 = Vector256.FusedMultiplyAdd(a1, bv, c15);
                a += 8;
                b += 6;
            }

            var av = Vector256.Create(alpha);
            Update256(c, av, c00, c10);
            Update256(c + ldc, av, c01, c11);
            Update256(c + (2 * ldc), av, c02, c12);
            Update256(c + (3 * ldc), av, c03, c13);
            Update256(c + (4 * ldc), av, c04, c14);
            Update256(c + (5 * ldc), av, c05, c15);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Update256(double* c, Vector256<double> alpha, Vector256<double> x0, Vector256<double> x1)
        {
            Vector256.FusedMultiplyAdd(alpha, x0, Vector256.Load(c)).Store(c);
            Vector256.FusedMultiplyAdd(alpha, x1, Vector256.Load(c + 4)).Store(c + 4);
        }

        /// <summary>
        /// 4×6 tile: two 2-wide vectors of A times six broadcasts of B per step. Twelve accumulators,
        /// two A vectors, a broadcast and a product temporary fit the 16 xmm registers of SSE (and
        /// leave room to spare among NEON's 32).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Kernel128(int kc, double* a, double* b, double* c, int ldc, double alpha)
        {
            Vector128<double> c00 = default, c10 = default;
            Vector128<double> c01 = default, c11 = default;
            Vector128<double> c02 = default, c12 = default;
            Vector128<double> c03 = default, c13 = default;
            Vector128<double> c04 = default, c14 = default;
            Vector128<double> c05 = default, c15 = default;
            for (int p = 0; p < kc; p++)
            {
                var a0 = Vector128.Load(a);
                var a1 = Vector128.Load(a + 2);
                var bv = Vector128.Create(b[0]);
                c00 = Kernels.MultiplyAdd(a0, bv, c00);
                c10 = Kernels.MultiplyAdd(a1, bv, c10);
                bv = Vector128.Create(b[1]);
                c01 = Kernels.MultiplyAdd(a0, bv, c01);
                c11 = Kernels.MultiplyAdd(a1, bv, c11);
                bv = Vector128.Create(b[2]);
                c02 = Kernels.MultiplyAdd(a0, bv, c02);
                c12 = Kernels.MultiplyAdd(a1, bv, c12);
                bv = Vector128.Create(b[3]);
                c03 = Kernels.MultiplyAdd(a0, bv, c03);
                c13 = Kernels.MultiplyAdd(a1, bv, c13);
                bv = Vector128.Create(b[4]);
                c04 = Kernels.MultiplyAdd(a0, bv, c04);
                c14 = Kernels.MultiplyAdd(a1, bv, c14);
                bv = Vector128.Create(b[5]);
                c05 = Kernels.MultiplyAdd(a0, bv, c05);
                c15 = Kernels.MultiplyAdd(a1, bv, c15);
                a += 4;
                b += 6;
            }

            var av = Vector128.Create(alpha);
            Update128(c, av, c00, c10);
            Update128(c + ldc, av, c01, c11);
            Update128(c + (2 * ldc), av, c02, c12);
            Update128(c + (3 * ldc), av, c03, c13);
            Update128(c + (4 * ldc), av, c04, c14);
            Update128(c + (5 * ldc), av, c05, c15);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Update128(double* c, Vector128<double> alpha, Vector128<double> x0, Vector128<double> x1)
        {
            Kernels.MultiplyAdd(alpha, x0, Vector128.Load(c)).Store(c);
            Kernels.MultiplyAdd(alpha, x1, Vector128.Load(c + 2)).Store(c + 2);
        }

        /// <summary>4×4 tile in scalars, for runtimes with hardware intrinsics switched off.</summary>
        private static void KernelScalar(int kc, double* a, double* b, double* c, int ldc, double alpha)
        {
            double* acc = stackalloc double[16];
            new Span<double>(acc, 16).Clear();
            for (int p = 0; p < kc; p++)
            {
                for (int j = 0; j < 4; j++)
                {
                    double bj = b[j];
                    acc[(j * 4) + 0] = Kernels.MultiplyAdd(a[0], bj, acc[(j * 4) + 0]);
                    acc[(j * 4) + 1] = Kernels.MultiplyAdd(a[1], bj, acc[(j * 4) + 1]);
                    acc[(j * 4) + 2] = Kernels.MultiplyAdd(a[2], bj, acc[(j * 4) + 2]);
                    acc[(j * 4) + 3] = Kernels.MultiplyAdd(a[3], bj, acc[(j * 4) + 3]);
                }

                a += 4;
                b += 4;
            }

            for (int j = 0; j < 4; j++)
            {
                double* cj = c + ((long)j * ldc);
                for (int i = 0; i < 4; i++)
                {
                    cj[i] = Kernels.MultiplyAdd(alpha, acc[(j * 4) + i], cj[i]);
                }
            }
        }
    }
}
