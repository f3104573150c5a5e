// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class GemmTests
{
    public static TheoryData<bool, bool, int, int, int> Shapes()
    {
        var data = new TheoryData<bool, bool, int, int, int>();
        int[][] shapes = [[1, 1, 1], [7, 33, 5], [33, 7, 65], [130, 129, 257], [260, 90, 300], [25, 9, 3], [0, 5, 3], [4, 0, 3], [5, 4, 0]];
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                foreach (var s in shapes)
                {
                    data.Add(ta, tb, s[0], s[1], s[2]);
                }
            }
        }

        return data;
    }

    /// <summary>Indices into <see cref="Gemm.MicroKernel.Supported"/>: every kernel this machine runs.</summary>
    public static TheoryData<int> Kernels()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Gemm.MicroKernel.Supported.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static void Check(bool ta, bool tb, int m, int n, int k, double alpha, double beta, bool nanInC)
    {
        Check(Gemm.MicroKernel.Current, ta, tb, m, n, k, alpha, beta, nanInC, lowerOnly: false);
    }

    private static void Check(Gemm.MicroKernel kernel, bool ta, bool tb, int m, int n, int k, double alpha, double beta, bool nanInC, bool lowerOnly)
    {
        // Leading dimensions larger than the row counts, with garbage in the gaps.
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int lda = aRows + 3;
        int ldb = bRows + 2;
        int ldc = m + 5;
        var a = Reference.Random(lda * Math.Max(aCols, 1), 1);
        var b = Reference.Random(ldb * Math.Max(bCols, 1), 2);
        var c = Reference.Random(ldc * Math.Max(n, 1), 3);
        if (nanInC)
        {
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < m; i++)
                {
                    c[i + (j * ldc)] = double.NaN;
                }
            }
        }

        var expected = Reference.Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, out var magnitude);
        var before = (double[])c.Clone();
        Gemm.Run(kernel, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, lowerOnly);
        for (int i = 0; i < c.Length; i++)
        {
            if (lowerOnly && i % ldc < i / ldc)
            {
                // Strictly above the diagonal: left exactly as it was.
                Assert.Equal(BitConverter.DoubleToInt64Bits(before[i]), BitConverter.DoubleToInt64Bits(c[i]));
                continue;
            }

            double tolerance = (1e-14 * (k + 1) * magnitude[i]) + 1e-300;
            if (double.IsNaN(expected[i]))
            {
                Assert.True(double.IsNaN(c[i]), $"entry {i} should be left as NaN in the gap");
                continue;
            }

            Reference.Close(expected[i], c[i], tolerance);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_GeneralAlphaBeta_MatchesNaive(bool ta, bool tb, int m, int n, int k)
    {
        Check(ta, tb, m, n, k, 1.5, -0.7, nanInC: false);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_BetaZeroWithNaNInC_IgnoresOldC(bool ta, bool tb, int m, int n, int k)
    {
        Check(ta, tb, m, n, k, -0.5, 0.0, nanInC: true);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Multiply_AlphaZero_OnlyScalesC(bool ta, bool tb)
    {
        Check(ta, tb, 9, 11, 13, 0.0, 2.0, nanInC: false);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Run_EveryKernel_PartialTilesAndBlocks_MatchNaive(int kernelIndex)
    {
        // Sizes around the kernel's own MR, NR, KC and MC: whole tiles, one short of a whole tile,
        // one past it, k = 1, a depth that crosses a KC block, and enough rows to cross an MC block.
        var kernel = Gemm.MicroKernel.Supported[kernelIndex];
        int mr = kernel.Mr;
        int nr = kernel.Nr;
        int[] ms = [1, mr - 1, mr, mr + 1, (3 * mr) + 1, kernel.Mc + mr + 1];
        int[] ns = [1, nr - 1, nr, nr + 1, (2 * nr) + 1];
        int[] ks = [1, 2, kernel.Kc + 3];
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                foreach (int m in ms.Where(v => v > 0))
                {
                    foreach (int n in ns.Where(v => v > 0))
                    {
                        foreach (int k in ks)
                        {
                            Check(kernel, ta, tb, m, n, k, 1.5, -0.7, nanInC: false, lowerOnly: false);
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Run_EveryKernel_AlphaBetaCases_MatchNaive(int kernelIndex)
    {
        var kernel = Gemm.MicroKernel.Supported[kernelIndex];
        int m = (2 * kernel.Mr) + 3;
        int n = (2 * kernel.Nr) + 1;
        foreach (var (alpha, beta, nan) in new[] { (1.0, 0.0, true), (1.0, 1.0, false), (-2.5, 0.0, true), (0.25, 3.0, false), (0.0, -1.0, false) })
        {
            Check(kernel, false, false, m, n, 17, alpha, beta, nan, lowerOnly: false);
            Check(kernel, true, true, m, n, 17, alpha, beta, nan, lowerOnly: false);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Run_EveryKernel_LowerOnly_WritesLowerTriangleOnly(int kernelIndex)
    {
        // Square C straddling the diagonal at tile and block edges, serial and split over threads.
        var kernel = Gemm.MicroKernel.Supported[kernelIndex];
        foreach (int n in new[] { 1, kernel.Mr + 1, kernel.Nr + 1, (3 * kernel.Nr) + 2, kernel.Mc + kernel.Nr + 1 })
        {
            foreach (int k in new[] { 1, 9, kernel.Kc + 1 })
            {
                Check(kernel, false, true, n, n, k, 1.0, 0.0, nanInC: false, lowerOnly: true);
                Check(kernel, true, false, n, n, k, -1.0, 1.0, nanInC: false, lowerOnly: true);
            }
        }
    }

    [Fact]
    public void MicroKernel_Current_IsTheWidestSupportedAndVectorWhenVectorsAre()
    {
        var supported = Gemm.MicroKernel.Supported;
        Assert.Same(supported[0], Gemm.MicroKernel.Current);
        Assert.StartsWith("scalar", supported[^1].Name, StringComparison.Ordinal);
        Assert.True(supported.Count == supported.Select(kernel => kernel.Name).Distinct().Count());
        foreach (var kernel in supported)
        {
            Assert.True(kernel.Mr * kernel.Nr <= Gemm.MicroKernel.MaxTile, kernel.Name);
            Assert.True(kernel.Mc % kernel.Mr == 0 && kernel.Nc % kernel.Nr == 0, kernel.Name);
        }

        string expected = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "Vector512"
            : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "Vector256"
            : System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? "Vector128"
            : "scalar";
        Assert.StartsWith(expected, Gemm.MicroKernel.Current.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void Multiply_SameInputTwice_BitwiseIdentical()
    {
        const int N = 301;
        var a = Reference.Random(N * N, 4);
        var b = Reference.Random(N * N, 5);
        var c1 = new double[N * N];
        var c2 = new double[N * N];
        Gemm.Multiply(false, false, N, N, N, 1.0, a, N, b, N, 0.0, c1, N);
        Gemm.Multiply(false, false, N, N, N, 1.0, a, N, b, N, 0.0, c2, N);
        Assert.Equal(c1, c2);
    }

    [Fact]
    public void Multiply_SubBlockOfLargerProduct_BitwiseEqualToFullProduct()
    {
        // A product computed in one call (split over threads) and column by column (serial) agree exactly.
        const int M = 150;
        const int N = 140;
        const int K = 300;
        var a = Reference.Random(M * K, 6);
        var b = Reference.Random(K * N, 7);
        var full = new double[M * N];
        Gemm.Multiply(false, false, M, N, K, 1.0, a, M, b, K, 0.0, full, M);
        var pieces = new double[M * N];
        int nr = Gemm.MicroKernel.Current.Nr;
        for (int j = 0; j < N; j += nr)
        {
            int cols = Math.Min(nr, N - j);
            Gemm.Multiply(false, false, M, cols, K, 1.0, a, M, b.AsSpan(j * K), K, 0.0, pieces.AsSpan(j * M), M);
        }

        Assert.Equal(full, pieces);
    }

    [Fact]
    public void Multiply_MathNetMatrices_MatchesMathNet()
    {
        var a = Matrix<double>.Build.Dense(37, 21, (i, j) => Math.Sin(i + (2 * j)));
        var b = Matrix<double>.Build.Dense(21, 44, (i, j) => Math.Cos((3 * i) - j));
        var expected = a * b;
        var actual = Gemm.Multiply(a, b);
        Assert.True((expected - actual).FrobeniusNorm() <= 1e-12 * expected.FrobeniusNorm());
    }

    [Fact]
    public void Multiply_MathNetSparseMatrix_CopiesAndMatches()
    {
        var a = Matrix<double>.Build.SparseIdentity(6);
        var b = Matrix<double>.Build.Dense(6, 3, (i, j) => i - j);
        Assert.Equal(b, Gemm.Multiply(a, b));
    }

    [Fact]
    public void Multiply_ShortOperand_Throws()
    {
        var a = new double[10];
        var b = new double[12];
        var c = new double[12];
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 3, 4, 4, 1.0, a, 3, b, 4, 0.0, c, 3));
        Assert.Equal("a", error.ParamName);
    }

    [Fact]
    public void Multiply_MismatchedMathNetShapes_Throws()
    {
        var a = Matrix<double>.Build.Dense(2, 3);
        var b = Matrix<double>.Build.Dense(4, 2);
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, b));
    }
}
