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

    /// <summary>
    /// The gap of min λ‖x‖₁ + ½‖Ax − b‖² from the dual iterate ξ of F = ½‖· − b‖²: the scaled point c·ξ,
    /// c = min(1, λ/‖Aᵀξ‖∞), is dual feasible, with dual value −½‖cξ‖² − ⟨cξ, b⟩.
    /// </summary>
    private sealed class LassoGap(Matrix<double> a, double[] b, double lambda) : IPrimalDualCertificate
    {
        public int Evaluations { get; private set; }

        public (double Objective, double Gap) Evaluate(ReadOnlySpan<double> x, IReadOnlyList<double[]> dual)
        {
            Evaluations++;
            var xv = Vector<double>.Build.DenseOfArray(x.ToArray());
            var residual = (a * xv) - Vector<double>.Build.DenseOfArray(b);
            double objective = (lambda * xv.L1Norm()) + (0.5 * residual.DotProduct(residual));
            var xi = Vector<double>.Build.DenseOfArray(dual[0]);
            double norm = (a.Transpose() * xi).InfinityNorm();
            var scaled = xi * (norm > lambda ? lambda / norm : 1.0);
            double bound = (-0.5 * scaled.DotProduct(scaled)) - scaled.DotProduct(Vector<double>.Build.DenseOfArray(b));
            return (objective, objective - bound);
        }
    }

    [Fact]
    public void Solve_WithACertificate_StopsOnTheGapAtTheResidualModesSolution()
    {
        // A Lasso min λ‖x‖₁ + ½‖Ax − b‖² (G = λ‖·‖₁ by its prox, K = A): the gap-certified run ends where the residual run
        // does, reports every 10 iterations from the start, and its gap bounds the distance to the optimum.
        var a = Matrix<double>.Build.Dense(30, 20, Random(600, 7));
        var b = Random(30, 8);
        const double Lambda = 2.0;
        var op = new DenseLinearOperator(a);
        var blocks = new[] { new PrimalDualBlock(op, new SquaredLossConjugateProx(b)) };
        double step = 0.99 / a.L2Norm();
        var reference = new double[20];
        PrimalDualSolver.Solve(blocks, new SoftThresholdProx(Lambda), reference, new PrimalDualSolver.Settings(200000, 1e-13, step, step, CancellationToken.None));

        var certificate = new LassoGap(a, b, Lambda);
        var reports = new List<int>();
        var x = new double[20];
        var result = PrimalDualSolver.Solve(blocks, new SoftThresholdProx(Lambda), x, new PrimalDualSolver.Settings(200000, 1e-10, step, step, CancellationToken.None, Certificate: certificate, OnCertificate: (i, _, _) => reports.Add(i)));
        Assert.True(result.Converged);
        Assert.True(result.DualGap <= 1e-10 * result.Objective);
        Assert.Equal(Enumerable.Range(0, reports.Count).Select(i => 10 * i), reports);
        Assert.Equal(reports.Count, certificate.Evaluations);
        var optimum = certificate.Evaluate(reference, [new double[30]]).Objective;
        Assert.True(result.Objective - optimum <= result.DualGap + 1e-12, $"objective {result.Objective} above the optimum {optimum} by more than the gap");
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(reference[i], x[i], 1e-5);
        }
    }

    [Fact]
    public void Solve_RejectsDiagonalStepsWithoutACertificateOrWithG()
    {
        var blocks = new[] { new PrimalDualBlock(new DenseLinearOperator(Matrix<double>.Build.DenseIdentity(3)), new L1ConjugateProx(1.0)) };
        var scales = new[] { 1.0, 1.0, 1.0 };
        var gap = new LassoGap(Matrix<double>.Build.DenseIdentity(3), new double[3], 1.0);
        Assert.Throws<ArgumentException>(() => PrimalDualSolver.Solve(blocks, null, new double[3], new PrimalDualSolver.Settings(10, 0.0, 0.5, 0.5, CancellationToken.None, PrimalStepScales: scales)));
        Assert.Throws<ArgumentException>(() => PrimalDualSolver.Solve(blocks, new SoftThresholdProx(1.0), new double[3], new PrimalDualSolver.Settings(10, 0.0, 0.5, 0.5, CancellationToken.None, PrimalStepScales: scales, Certificate: gap)));
        Assert.Throws<ArgumentException>(() => PrimalDualSolver.Solve(blocks, null, new double[3], new PrimalDualSolver.Settings(10, 0.0, 0.5, 0.5, CancellationToken.None, PrimalStepScales: [1.0], Certificate: gap)));
        Assert.Throws<ArgumentException>(() => PrimalDualSolver.Solve(blocks, null, new double[3], new PrimalDualSolver.Settings(10, 0.0, 0.5, 0.5, CancellationToken.None, Adaptive: true, Certificate: gap)));
        Assert.Throws<ArgumentException>(() => PrimalDualSolver.Solve(blocks, null, new double[3], new PrimalDualSolver.Settings(10, 0.0, 0.5, 0.5, CancellationToken.None), [new double[2]]));
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
