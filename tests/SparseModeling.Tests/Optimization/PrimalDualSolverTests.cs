// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.Optimization;
using SparseModeling.Tests.Imaging;

namespace SparseModeling.Tests.Optimization;

/// <summary>The Chambolle–Pock core (<see cref="PrimalDualSolver"/>), its conjugate proxes and the image gradient it uses for total variation.</summary>
public class PrimalDualSolverTests
{
    public static TheoryData<int, int> ImageSizes() => new() { { 1, 1 }, { 1, 9 }, { 9, 1 }, { 2, 2 }, { 7, 5 }, { 1025, 1024 } };

    private static double[] Random(int n, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var v = new double[n];
        rng.FillNormal(v);
        return v;
    }

    [Theory]
    [MemberData(nameof(ImageSizes))]
    public void ImageGradient_MatchesPixelLoopsAndItsTransposeIsTheAdjoint(int rows, int columns)
    {
        int n = rows * columns;
        var gradient = new ImageGradient(rows, columns);
        Assert.Equal(n, gradient.ColumnCount);
        Assert.Equal(2 * n, gradient.RowCount);
        var x = Random(n, 1);
        var q = Random(2 * n, 2);
        var gx = new double[2 * n];
        gradient.Apply(x, gx);
        var (down, across) = TotalVariationTestMath.Gradient(Matrix<double>.Build.DenseOfColumnMajor(rows, columns, x).ToArray());
        int mismatches = 0;
        for (int j = 0; j < columns; j++)
        {
            for (int i = 0; i < rows; i++)
            {
                mismatches += down[i, j] == gx[i + (j * rows)] && across[i, j] == gx[n + i + (j * rows)] ? 0 : 1;
            }
        }

        Assert.Equal(0, mismatches);

        var gtq = new double[n];
        gradient.ApplyTranspose(q, gtq);
        double left = gx.Zip(q, (a, b) => a * b).Sum(), right = x.Zip(gtq, (a, b) => a * b).Sum();
        Assert.Equal(left, right, 1e-10 * (1 + Math.Abs(left)));
    }

    [Fact]
    public void ImageGradient_ParallelColumnBlocks_BitIdenticalToOneThread()
    {
        // 1025×1024 pixels: above the threshold (2^20) at which both directions split into column blocks.
        const int Rows = 1025, Columns = 1024, N = Rows * Columns;
        var x = Random(N, 9);
        var q = Random(2 * N, 10);
        var results = new List<double[]>();
        foreach (int degree in new[] { 1, 4 })
        {
            using var scope = Parallelism.Enter(degree, CancellationToken.None);
            var gradient = new ImageGradient(Rows, Columns);
            var gx = new double[2 * N];
            var gtq = new double[N];
            gradient.Apply(x, gx);
            gradient.ApplyTranspose(q, gtq);
            results.Add([.. gx, .. gtq]);
        }

        Assert.True(results[0].AsSpan().SequenceEqual(results[1]));
    }

    [Fact]
    public void ImageGradient_SquaredNormBound_HoldsForTheLargestEigenvalue()
    {
        // Power iteration on ∇ᵀ∇ (the Laplacian with Neumann boundaries) for a 16×12 image: below 8.
        var gradient = new ImageGradient(16, 12);
        var v = Random(192, 3);
        var g = new double[384];
        double estimate = 0.0;
        for (int k = 0; k < 2000; k++)
        {
            double norm = Math.Sqrt(v.Sum(t => t * t));
            for (int i = 0; i < v.Length; i++)
            {
                v[i] /= norm;
            }

            gradient.Apply(v, g);
            gradient.ApplyTranspose(g, v);
            estimate = Math.Sqrt(v.Sum(t => t * t));
        }

        Assert.True(estimate < ImageGradient.SquaredNormBound && estimate > 7.5, $"λ_max(∇ᵀ∇) ≈ {estimate}");
    }

    [Fact]
    public void Solve_L1PlusSquaredDistance_GivesTheSoftThreshold()
    {
        // min_x λ‖x‖₁ + ½‖x − b‖²: G = λ‖·‖₁ (primal prox), K = I with F = ½‖· − b‖² (conjugate prox); x* = S(b, λ).
        var b = Random(40, 4);
        const double Lambda = 0.5;
        var identity = new DenseLinearOperator(Matrix<double>.Build.DenseIdentity(40));
        var blocks = new[] { new PrimalDualBlock(identity, new SquaredLossConjugateProx(b)) };
        var x = new double[40];
        double step = 1.0 / Math.Sqrt(1.01);
        var result = PrimalDualSolver.Solve(blocks, new SoftThresholdProx(Lambda), x, new PrimalDualSolver.Settings(20000, 1e-10, step, step, CancellationToken.None));
        Assert.True(result.Converged);
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(Kernels.SoftThreshold(b[i], Lambda), x[i], 1e-8);
        }
    }

    [Fact]
    public void Solve_AdaptiveSteps_ReachTheSameSolution()
    {
        // Total-variation denoising of a small image: K = [∇; I].
        var image = TotalVariationDenoiseTests.NoisyImage(12, 10, 5).ToColumnMajorArray();
        var blocks = new[]
        {
            new PrimalDualBlock(new ImageGradient(12, 10), new DiskProjectionProx(0.1)),
            new PrimalDualBlock(new DenseLinearOperator(Matrix<double>.Build.DenseIdentity(120)), new SquaredLossConjugateProx(image)),
        };
        double step = 1.0 / Math.Sqrt(9.01);
        var fixedSteps = new double[120];
        var adaptive = new double[120];
        var plain = PrimalDualSolver.Solve(blocks, null, fixedSteps, new PrimalDualSolver.Settings(100000, 1e-7, step, step, CancellationToken.None));
        var balanced = PrimalDualSolver.Solve(blocks, null, adaptive, new PrimalDualSolver.Settings(100000, 1e-7, step, step, CancellationToken.None, Adaptive: true));
        Assert.True(plain.Converged && balanced.Converged);
        Assert.True(fixedSteps.Zip(adaptive, (a, c) => Math.Abs(a - c)).Max() <= 1e-4);
    }

    [Fact]
    public void ConjugateProxes_SatisfyMoreausIdentity()
    {
        // prox_{tF*}(v) = v − t·prox_{F/t}(v/t); for F = ½‖· − y‖²: prox_{F/t}(w) = (t·w + y)/(t + 1).
        var y = Random(25, 6);
        var v = Random(25, 7);
        const double T = 0.7;
        var result = new double[25];
        new SquaredLossConjugateProx(y).Apply(v, T, result);
        for (int i = 0; i < 25; i++)
        {
            double primal = ((T * (v[i] / T)) + y[i]) / (T + 1.0);
            Assert.Equal(v[i] - (T * primal), result[i], 1e-14);
        }

        // F = r·Σ‖gᵢ‖: prox_{tF*} is the projection onto the disks of radius r, whatever t.
        var g = Random(30, 8);
        var projected = new double[30];
        new DiskProjectionProx(0.4).Apply(g, 123.0, projected);
        for (int i = 0; i < 15; i++)
        {
            double norm = Math.Sqrt((g[i] * g[i]) + (g[i + 15] * g[i + 15]));
            double scale = Math.Min(1.0, 0.4 / norm);
            Assert.Equal(g[i] * scale, projected[i], 1e-15);
            Assert.Equal(g[i + 15] * scale, projected[i + 15], 1e-15);
        }
    }
}
