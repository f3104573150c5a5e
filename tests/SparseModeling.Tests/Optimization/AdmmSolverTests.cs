// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;
using SparseModeling.Optimization;
using SparseModeling.Tests.LinearAlgebra;

namespace SparseModeling.Tests.Optimization;

public class AdmmSolverTests
{
    private const int P = 80;
    private const double Alpha = 0.0125; // nα = 1 for the signal approximator below

    /// <summary>A piecewise-constant signal (three pieces) plus noise.</summary>
    private static double[] Signal()
    {
        var noise = Reference.Random(P, 42);
        return Enumerable.Range(0, P).Select(i => (i < 20 ? 0.0 : i < 50 ? 2.0 : -1.0) + (0.6 * noise[i])).ToArray();
    }

    private enum SystemKind
    {
        Banded,
        Dense,
        ConjugateGradient,
    }

    /// <summary>
    /// The fused Lasso signal approximator (X = I, n = p): (1/(2n))‖y − w‖² + α‖Dw‖₁, through the chosen
    /// x-update system; returns w, z, u and the solver.
    /// </summary>
    private static (double[] W, double[] Z, double[] U, AdmmSolver Solver, AdmmSolver.Result Result) SolveSignal(
        ConstraintOperator d, SystemKind kind, double rho = 0.05, double overRelaxation = 1.0, bool adaptive = false, List<AdmmIterationInfo>? infos = null)
    {
        var y = Signal();
        int n = P;
        IAdmmSystem system = kind switch
        {
            SystemKind.Banded => new BandedCholeskySystem(Enumerable.Repeat(1.0 / n, P).ToArray(), d),
            SystemKind.Dense => new DenseCholeskySystem(Matrix<double>.Build.DenseIdentity(P).Multiply(1.0 / n).ToColumnMajorArray(), P, d),
            _ => new ConjugateGradientSystem(ConstraintOperator.Identity(P), 1.0 / n, d),
        };
        var solver = new AdmmSolver(d, system, rho, "rho");
        var state = new AdmmSolver.State(y.Select(v => v / n).ToArray(), new double[d.RowCount]);
        var prox = new SoftThresholdProx(Alpha);
        var settings = new AdmmSolver.Settings(prox, 200_000, 1e-13)
        {
            Stopping = AdmmStopping.Boyd,
            OverRelaxation = overRelaxation,
            AdaptiveRho = adaptive,
            OnIteration = infos is null ? null : infos.Add,
            Objective = (w, z) => SignalObjective(d, y, w.ToArray()),
        };
        var result = solver.Solve(state, settings);
        return (state.W, state.Z, state.U, solver, result);
    }

    private static double SignalObjective(ConstraintOperator d, double[] y, double[] w)
    {
        var dw = new double[d.RowCount];
        d.Apply(w, dw);
        return (0.5 * y.Zip(w, (a, b) => (a - b) * (a - b)).Sum() / P) + (Alpha * dw.Sum(Math.Abs));
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        double scale = Math.Max(expected.Max(Math.Abs), 1.0);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"entry {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    [Fact]
    public void FusedSignalApproximator_Banded_SatisfiesKktAndBeatsPerturbations()
    {
        var d = ConstraintOperator.FirstDifference(P);
        var (w, _, u, solver, result) = SolveSignal(d, SystemKind.Banded);
        Assert.True(result.Converged);
        var y = Signal();

        // 0 ∈ (w − y)/n + Dᵀλ with λ = ρu ∈ α·∂‖Dw‖₁.
        var lambda = u.Select(v => solver.Rho * v).ToArray();
        var dtl = new double[P];
        d.ApplyTranspose(lambda, dtl);
        for (int j = 0; j < P; j++)
        {
            Assert.True(Math.Abs(((w[j] - y[j]) / P) + dtl[j]) < 1e-10, $"stationarity fails at {j}");
        }

        var dw = new double[P - 1];
        d.Apply(w, dw);
        int jumps = 0;
        for (int i = 0; i < P - 1; i++)
        {
            Assert.True(Math.Abs(lambda[i]) <= Alpha * (1 + 1e-8), $"|λ_{i}| = {Math.Abs(lambda[i])} > α");
            if (Math.Abs(dw[i]) > 1e-6)
            {
                jumps++;
                Assert.Equal(Alpha * Math.Sign(dw[i]), lambda[i], 1e-9);
            }
        }

        // A fused solution: a few jumps, not one per sample.
        Assert.InRange(jumps, 2, 20);

        double best = SignalObjective(d, y, w);
        var rng = new Random(3);
        for (int trial = 0; trial < 300; trial++)
        {
            double scale = trial < 150 ? 1e-2 : 1e-5;
            var candidate = w.Select(v => v + (scale * (rng.NextDouble() - 0.5))).ToArray();
            Assert.True(SignalObjective(d, y, candidate) >= best - 1e-12);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DifferenceProblems_BandedDenseAndConjugateGradient_Agree(int order)
    {
        var d = order == 1 ? ConstraintOperator.FirstDifference(P) : ConstraintOperator.SecondDifference(P);
        var banded = SolveSignal(d, SystemKind.Banded);
        var dense = SolveSignal(d, SystemKind.Dense);
        var cg = SolveSignal(d, SystemKind.ConjugateGradient);
        Assert.True(banded.Result.Converged && dense.Result.Converged && cg.Result.Converged);
        AssertClose(banded.W, dense.W, 1e-8);
        AssertClose(banded.W, cg.W, 1e-8);
    }

    [Fact]
    public void OverRelaxationAndAdaptiveRho_ReachTheSameOptimum()
    {
        var d = ConstraintOperator.FirstDifference(P);
        var plain = SolveSignal(d, SystemKind.Banded);
        var relaxed = SolveSignal(d, SystemKind.Banded, overRelaxation: 1.6);
        var infos = new List<AdmmIterationInfo>();
        var adaptive = SolveSignal(d, SystemKind.Banded, rho: 50.0, adaptive: true, infos: infos);
        Assert.True(relaxed.Result.Converged && adaptive.Result.Converged);
        AssertClose(plain.W, relaxed.W, 1e-8);
        AssertClose(plain.W, adaptive.W, 1e-8);

        // ρ = 50 is far too large for H = I/80: residual balancing lowers it.
        Assert.Equal(50.0, infos[0].Rho);
        Assert.True(adaptive.Solver.Rho < 50.0, $"ρ stayed at {adaptive.Solver.Rho}");
        Assert.True(infos.Select(i => i.Rho).Distinct().Count() > 1);
        Assert.All(infos, i => Assert.False(double.IsNaN(i.Objective)));
    }

    [Fact]
    public void Settings_OverRelaxationOutOfRange_Throws()
    {
        var d = ConstraintOperator.FirstDifference(5);
        var solver = new AdmmSolver(d, new BandedCholeskySystem([1, 1, 1, 1, 1], d), 1.0, "rho");
        var state = new AdmmSolver.State(new double[5], new double[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => solver.Solve(state, new AdmmSolver.Settings(new SoftThresholdProx(1.0), 10, 1e-6) { OverRelaxation = 2.0 }));
    }

    [Fact]
    public void GeneralizedLasso_DenseDTallData_CholeskyAndConjugateGradientAgree()
    {
        // (1/(2n))‖y − Xw‖² + α‖Dw‖₁ with a dense random D (30×20) and X 100×20.
        const int n = 100, p = 20, m = 30;
        var x = Reference.Random(n * p, 9);
        var dMatrix = Reference.Random(m * p, 10);
        var y = Reference.Random(n, 11);
        var q = new double[p];
        Gemv.MultiplyTransposed(n, p, 1.0 / n, x, n, y, 0.0, q);
        var d = ConstraintOperator.Dense(dMatrix, m, p);
        var results = new List<double[]>();
        foreach (var system in new IAdmmSystem[] { DenseCholeskySystem.FromData(x, n, p, d), new ConjugateGradientSystem(new DenseLinearOperator(MatrixStorage.FromColumnMajor(n, p, x)), 1.0 / n, d) })
        {
            var solver = new AdmmSolver(d, system, 0.5, "rho");
            var state = new AdmmSolver.State((double[])q.Clone(), new double[m]);
            var result = solver.Solve(state, new AdmmSolver.Settings(new SoftThresholdProx(0.01), 100_000, 1e-13) { Stopping = AdmmStopping.Boyd });
            Assert.True(result.Converged);
            results.Add(state.W);
        }

        AssertClose(results[0], results[1], 1e-8);
    }

    [Fact]
    public void LowRankPlusSparse_SingularValueThresholding_SatisfiesKkt()
    {
        // Stable principal component pursuit on an 8×8 toy: ½‖M − L − S‖² + μ‖L‖_* + λ‖S‖₁ with
        // w = [vec L; vec S], H = AᵀA for A = [I I], D = I and the block prox (SVT, soft threshold).
        const int r = 8, c = 8, k = r * c;
        const double mu = 1.0, lambda = 0.25;
        var a = Reference.Random(r, 20, 0.5);
        var b = Reference.Random(c, 21, 0.5);
        var noise = Reference.Random(k, 22);
        var mVec = new double[k];
        for (int j = 0; j < c; j++)
        {
            for (int i = 0; i < r; i++)
            {
                mVec[i + (j * r)] = (6.0 * a[i] * b[j]) + (0.05 * noise[i + (j * r)]);
            }
        }

        foreach (int spike in new[] { 3, 17, 30, 44, 61 })
        {
            mVec[spike] += 4.0;
        }

        var h = new double[4 * k * k];
        for (int i = 0; i < k; i++)
        {
            h[i + (i * 2 * k)] = 1.0;
            h[(i + k) + ((i + k) * 2 * k)] = 1.0;
            h[(i + k) + (i * 2 * k)] = 1.0;
            h[i + ((i + k) * 2 * k)] = 1.0;
        }

        var identity = ConstraintOperator.Identity(2 * k);
        var solver = new AdmmSolver(identity, new DenseCholeskySystem(h, 2 * k, identity), 1.0, "rho");
        var state = new AdmmSolver.State(mVec.Concat(mVec).ToArray(), new double[2 * k]);
        var svt = new SingularValueThresholdProx(mu, r, c);
        var prox = new SeparableProx((k, svt), (k, new SoftThresholdProx(lambda)));
        var objectives = new List<double>();
        double Objective(ReadOnlySpan<double> z)
        {
            double fit = 0.0;
            for (int i = 0; i < k; i++)
            {
                double e = mVec[i] - z[i] - z[k + i];
                fit += e * e;
            }

            return (0.5 * fit) + prox.Value(z);
        }

        var result = solver.Solve(state, new AdmmSolver.Settings(prox, 100_000, 1e-12)
        {
            Stopping = AdmmStopping.Boyd,
            Objective = (w, z) => Objective(z),
            OnIteration = info => objectives.Add(info.Objective),
        });
        Assert.True(result.Converged);
        var z = state.Z;
        Assert.True(objectives[^1] < 0.5 * objectives[0], $"objective {objectives[0]} → {objectives[^1]}");

        // KKT at (L, S) = z: R = M − L − S is a subgradient of both μ‖L‖_* and λ‖S‖₁.
        var residual = Matrix<double>.Build.Dense(r, c, (i, j) => mVec[i + (j * r)] - z[i + (j * r)] - z[k + i + (j * r)]);
        var low = Matrix<double>.Build.Dense(r, c, (i, j) => z[i + (j * r)]);
        Assert.True(svt.LastRank >= 1);
        Assert.True(residual.L2Norm() <= mu * (1 + 1e-6), $"‖R‖₂ = {residual.L2Norm()} > μ");
        Assert.Equal(mu * low.Svd(false).S.Sum(), residual.PointwiseMultiply(low).Enumerate().Sum(), 1e-6);
        int nonzero = 0;
        for (int i = 0; i < k; i++)
        {
            double s = z[k + i], g = residual[i % r, i / r];
            Assert.True(Math.Abs(g) <= lambda * (1 + 1e-6));
            if (s != 0.0)
            {
                nonzero++;
                Assert.Equal(lambda * Math.Sign(s), g, 1e-6);
            }
        }

        Assert.InRange(nonzero, 1, k - 1);
    }

    [Fact]
    public void Lasso_WoodburyWithAdaptiveRho_MatchesDenseCholesky()
    {
        // Wide Lasso (n = 30 < p = 60): Woodbury refactored as ρ adapts from a poor start, against the dense p×p system at fixed ρ.
        const int n = 30, p = 60;
        var x = Reference.Random(n * p, 12);
        var y = Reference.Random(n, 13);
        var q = new double[p];
        Gemv.MultiplyTransposed(n, p, 1.0 / n, x, n, y, 0.0, q);
        var identity = ConstraintOperator.Identity(p);
        var results = new List<double[]>();
        var rhos = new List<double>();
        foreach (var (system, rho, adaptive) in new (IAdmmSystem, double, bool)[] { (new WoodburySystem(x, n, p), 100.0, true), (DenseCholeskySystem.FromData(x, n, p, identity), 1.0, false) })
        {
            var solver = new AdmmSolver(identity, system, rho, "rho");
            var state = new AdmmSolver.State((double[])q.Clone(), (double[])q.Clone());
            var result = solver.Solve(state, new AdmmSolver.Settings(new SoftThresholdProx(0.01), 100_000, 1e-13) { Stopping = AdmmStopping.Boyd, AdaptiveRho = adaptive });
            Assert.True(result.Converged);
            results.Add(state.Z);
            rhos.Add(solver.Rho);
        }

        Assert.True(rhos[0] < 100.0, $"ρ stayed at {rhos[0]}");
        AssertClose(results[1], results[0], 1e-8);
    }
}
