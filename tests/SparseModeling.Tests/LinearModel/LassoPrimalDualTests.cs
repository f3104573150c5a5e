// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;
using Xunit.Abstractions;

namespace SparseModeling.Tests.LinearModel;

public class LassoPrimalDualTests(ITestOutputHelper output)
{
    /// <summary>‖Du‖₁ + α‖u − y‖₁ by plain loops (D the correlation with the filter).</summary>
    private static double Objective(double[] filter, double alpha, double[] y, double[] u)
    {
        double sum = 0.0;
        for (int r = 0; r + filter.Length <= u.Length; r++)
        {
            double du = 0.0;
            for (int i = 0; i < filter.Length; i++)
            {
                du += filter[i] * u[r + i];
            }

            sum += Math.Abs(du);
        }

        for (int i = 0; i < y.Length; i++)
        {
            sum += alpha * Math.Abs(u[i] - y[i]);
        }

        return sum;
    }

    /// <summary>
    /// The exact optimum of Σ|u_(i+1) − u_i| + α·Σ|u_i − y_i| (filter [1, −1], up to sign): by the level-set decomposition of
    /// L1–TV an optimal u takes its values among those of y, so dynamic programming over the sorted values of y is exact
    /// (the transition min over l' of V(l') + |v_l − v_l'| by a forward and a backward pass).
    /// </summary>
    private static double FusedL1Optimum(double[] y, double alpha)
    {
        var levels = y.Distinct().Order().ToArray();
        int count = levels.Length;
        var value = levels.Select(v => alpha * Math.Abs(v - y[0])).ToArray();
        for (int i = 1; i < y.Length; i++)
        {
            for (int l = 1; l < count; l++)
            {
                value[l] = Math.Min(value[l], value[l - 1] + (levels[l] - levels[l - 1]));
            }

            for (int l = count - 2; l >= 0; l--)
            {
                value[l] = Math.Min(value[l], value[l + 1] + (levels[l + 1] - levels[l]));
            }

            for (int l = 0; l < count; l++)
            {
                value[l] += alpha * Math.Abs(levels[l] - y[i]);
            }
        }

        return value.Min();
    }

    /// <summary>
    /// Another method for the same problem, with linear solves: ADMM on z₁ = Du, z₂ = u − y (scaled form, ρ = 1), the
    /// u-step by a dense Cholesky solve of (DᵀD + I)u = Dᵀ(z₁ − w₁) + y + z₂ − w₂, soft thresholding for the z's.
    /// </summary>
    private static double[] AdmmSolve(double[] filter, double alpha, double[] y, int iterations)
    {
        int n = y.Length, k = filter.Length, m = n - k + 1;
        var d = Matrix<double>.Build.Dense(m, n, (r, c) => c - r >= 0 && c - r < k ? filter[c - r] : 0.0);
        var yv = Vector<double>.Build.DenseOfArray(y);
        var dt = d.Transpose();
        var factor = ((dt * d) + Matrix<double>.Build.DenseIdentity(n)).Cholesky();
        var u = yv.Clone();
        var z1 = d * u;
        var z2 = Vector<double>.Build.Dense(n);
        var w1 = Vector<double>.Build.Dense(m);
        var w2 = Vector<double>.Build.Dense(n);
        static Vector<double> Shrink(Vector<double> v, double t) => v.Map(x => Math.Sign(x) * Math.Max(Math.Abs(x) - t, 0.0));
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            u = factor.Solve((dt * (z1 - w1)) + yv + z2 - w2);
            var du = d * u;
            z1 = Shrink(du + w1, 1.0);
            z2 = Shrink(u - yv + w2, alpha);
            w1 += du - z1;
            w2 += u - yv - z2;
        }

        return u.ToArray();
    }

    /// <summary>
    /// The squared-loss fused Lasso signal approximator argmin ½‖u − y‖² + λ‖Du‖₁ (D first differences) by a long projected
    /// gradient run on its dual min_{|p| ≤ λ} ½‖y − Dᵀp‖² (step 1/4 ≥ 1/‖DDᵀ‖), u = y − Dᵀp.
    /// </summary>
    private static double[] SquaredLossTv(double[] y, double lambda, int iterations)
    {
        int n = y.Length;
        var p = new double[n - 1];
        var u = (double[])y.Clone();
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            // u = y − Dᵀp with (Dᵀp)_j = p_(j−1) − p_j for Du = u_(j+1) − u_j; the gradient in p is −D(y − Dᵀp) = −Du.
            for (int j = 0; j < n; j++)
            {
                u[j] = y[j] - ((j > 0 ? p[j - 1] : 0.0) - (j < n - 1 ? p[j] : 0.0));
            }

            for (int r = 0; r < n - 1; r++)
            {
                p[r] = Math.Clamp(p[r] + (0.25 * (u[r + 1] - u[r])), -lambda, lambda);
            }
        }

        for (int j = 0; j < n; j++)
        {
            u[j] = y[j] - ((j > 0 ? p[j - 1] : 0.0) - (j < n - 1 ? p[j] : 0.0));
        }

        return u;
    }

    /// <summary>A piecewise-constant signal (levels 0, 2, −1, 1.5, 0.5 over equal pieces) plus N(0, noise²), and impulses of ±3 at a <paramref name="impulseRate"/> of the samples.</summary>
    private static (double[] Truth, double[] Observed) PiecewiseConstant(int n, double noise, double impulseRate, ulong seed)
    {
        var rng = new SplitMix64(seed);
        double[] levels = [0.0, 2.0, -1.0, 1.5, 0.5];
        var truth = Enumerable.Range(0, n).Select(i => levels[i * levels.Length / n]).ToArray();
        var observed = truth.Select(v => v + (noise * rng.NextNormal())).ToArray();
        for (int i = 0; i < n; i++)
        {
            if (rng.NextDouble() < impulseRate)
            {
                observed[i] += rng.NextDouble() < 0.5 ? 3.0 : -3.0;
            }
        }

        return (truth, observed);
    }

    private static Vector<double> V(double[] values) => Vector<double>.Build.DenseOfArray(values);

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void Fit_FusedFilter_ReachesTheExactOptimum(double alpha)
    {
        // Filter [1, −1] on a noisy piecewise-constant signal with impulses: the objective must come within the reported gap
        // (≤ 1e-6 relative) of the exact optimum from dynamic programming over the signal's values.
        var (_, y) = PiecewiseConstant(200, 0.2, 0.05, 1);
        var model = new LassoPrimalDual { Filter = [1.0, -1.0], Alpha = alpha, Tolerance = 1e-6, MaxIterations = 200_000 }.Fit(V(y));
        double optimum = FusedL1Optimum(y, alpha);
        double objective = Objective([1.0, -1.0], alpha, y, model.Coefficients.ToArray());
        output.WriteLine($"α = {alpha}: {model.Iterations} iterations, objective {objective:R}, optimum {optimum:R}, reported gap {model.DualGap:E2}");
        Assert.True(model.Converged);
        Assert.Equal(objective, model.Objective, 1e-9 * optimum);
        Assert.True(objective >= optimum * (1.0 - 1e-12), $"objective {objective} below the exact optimum {optimum}: the check is wrong");
        Assert.True(objective - optimum <= 1e-6 * optimum, $"objective {objective} exceeds the optimum {optimum} by {(objective - optimum) / optimum:E2} (relative)");
        Assert.True(objective - optimum <= model.DualGap * (1.0 + 1e-9) + 1e-12, "the reported gap does not bound the distance to the optimum");
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(1.5)]
    public void Fit_SecondDifferenceFilter_MatchesAnotherMethod(double alpha)
    {
        // Filter [1, −2, 1] (trend filtering with an L1 data term) on a noisy piecewise-linear signal with impulses, against a
        // long ADMM run with linear solves written here: the objectives agree to 1e-6 relative, ours never above the other's
        // by more than that.
        var rng = new SplitMix64(2);
        var y = Enumerable.Range(0, 60).Select(i => (i < 30 ? 0.1 * i : 3.0 - (0.05 * (i - 30))) + (0.1 * rng.NextNormal()) + (i % 17 == 5 ? 2.0 : 0.0)).ToArray();
        double[] filter = [1.0, -2.0, 1.0];
        var model = new LassoPrimalDual { Filter = filter, Alpha = alpha, Tolerance = 1e-7, MaxIterations = 500_000 }.Fit(V(y));
        var reference = AdmmSolve(filter, alpha, y, 5_000);
        double objective = Objective(filter, alpha, y, model.Coefficients.ToArray());
        double other = Objective(filter, alpha, y, reference);
        output.WriteLine($"α = {alpha}: {model.Iterations} iterations, objective {objective:R}, ADMM {other:R}, gap {model.DualGap:E2}");
        Assert.True(model.Converged);
        Assert.True(objective <= other * (1.0 + 1e-6), $"objective {objective} above the ADMM's {other}");
        Assert.True(other <= objective * (1.0 + 1e-6), $"the ADMM reached {other}, below the objective {objective} by more than the tolerance");
    }

    [Fact]
    public void Fit_IdentityFilter_HasTheClosedFormSolution()
    {
        // Filter [1]: ‖u‖₁ + α‖u − y‖₁ is separable; the optimum is u = 0 for α < 1 and u = y for α > 1.
        var rng = new SplitMix64(3);
        var y = Enumerable.Range(0, 50).Select(_ => rng.NextNormal()).ToArray();
        var shrunk = new LassoPrimalDual { Alpha = 0.5, Tolerance = 1e-9, MaxIterations = 100_000 }.Fit(V(y));
        var kept = new LassoPrimalDual { Alpha = 2.0, Tolerance = 1e-9, MaxIterations = 100_000 }.Fit(V(y));
        Assert.True(shrunk.Converged && kept.Converged);
        double scale = y.Max(Math.Abs);
        Assert.All(shrunk.Coefficients, v => Assert.True(Math.Abs(v) <= 1e-8 * scale, $"{v} is not 0"));
        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal(y[i], kept.Coefficients[i], 1e-8 * scale);
        }
    }

    [Fact]
    public void Fit_ImpulseNoise_RecoveredBetterThanBySquaredLossFusedLasso()
    {
        // The robustness of the L1 data term: a piecewise-constant signal with Gaussian noise and 5% impulses of ±3. Both
        // methods get their best weight for this signal (the error against the truth over a grid): the squared-loss fused
        // Lasso, which outliers pull, must be clearly worse than the L1 fit.
        var (truth, y) = PiecewiseConstant(400, 0.1, 0.05, 4);
        double Rmse(double[] u) => Math.Sqrt(u.Zip(truth, (a, b) => (a - b) * (a - b)).Average());
        double l1 = new[] { 0.2, 0.35, 0.5, 0.75, 1.0 }
            .Min(alpha => Rmse(new LassoPrimalDual { Filter = [1.0, -1.0], Alpha = alpha, Tolerance = 1e-6, MaxIterations = 100_000 }.Fit(V(y)).Coefficients.ToArray()));
        double squared = new[] { 0.1, 0.2, 0.4, 0.7, 1.0, 1.5, 2.5 }.Min(lambda => Rmse(SquaredLossTv(y, lambda, 20_000)));
        double raw = Rmse(y);
        output.WriteLine($"RMSE against the truth: observed {raw:F4}, squared-loss fused Lasso {squared:F4}, L1 (LassoPrimalDual) {l1:F4}");
        Assert.True(l1 < 0.5 * squared, $"the L1 fit ({l1:F4}) is not clearly better than the squared-loss fit ({squared:F4})");
        Assert.True(squared < raw, "the squared-loss reference does not denoise at all: the test is broken");
    }

    [Fact]
    public void Fit_MillionSamples_RunsInBoundedMemory()
    {
        // No linear solve and no n×n matrix: the fit's allocation is a few vectors of the signal's length (the workspaces,
        // the scaled copy, the result), and does not grow with the iterations.
        const int n = 1_000_000;
        var rng = new SplitMix64(5);
        var signal = Vector<double>.Build.Dense(n, i => Math.Sin(i * 1e-4) + (0.1 * rng.NextNormal()));
        long Allocated(int iterations)
        {
            var model = new LassoPrimalDual { Filter = [1.0, -1.0], Alpha = 0.5, Tolerance = 0.0, MaxIterations = iterations };
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.Fit(signal);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(iterations, model.Iterations);
            Assert.True(model.Coefficients.All(double.IsFinite));
            return bytes;
        }

        long short_ = Allocated(10);
        long long_ = Allocated(40);
        output.WriteLine($"allocated {short_ / 1e6:F1} MB for 10 iterations, {long_ / 1e6:F1} MB for 40 ({short_ / (8.0 * n):F1} vectors of the signal's length)");
        Assert.True(short_ <= 12L * 8 * n, $"{short_} bytes allocated for a signal of {n} samples");
        Assert.True(Math.Abs(long_ - short_) <= 64 * 1024, $"allocation grew with the iterations: {short_} → {long_} bytes");
    }

    [Fact]
    public void Fit_ScaledSignal_GivesScaledResult()
    {
        // The signal is brought to unit scale by a power of two: a fit on 2^k·y is 2^k times the fit on y bit for bit, and a
        // fit on c·y is c times it to rounding.
        var (_, y) = PiecewiseConstant(120, 0.2, 0.05, 6);
        LassoPrimalDual Fit(double c) => new LassoPrimalDual { Filter = [1.0, -1.0], Alpha = 0.7, Tolerance = 1e-8, MaxIterations = 100_000 }.Fit(V(y) * c);
        var reference = Fit(1.0);
        foreach (int k in new[] { -300, -40, 40, 300 })
        {
            var scaled = Fit(Math.ScaleB(1.0, k));
            Assert.Equal(reference.Coefficients.Select(v => Math.ScaleB(v, k)), scaled.Coefficients);
            Assert.Equal(reference.Iterations, scaled.Iterations);
            Assert.Equal(Math.ScaleB(reference.Objective, k), scaled.Objective);
        }

        // Elsewhere the iterates round differently; L1 problems may have many minimisers, so the objectives are compared.
        foreach (double c in new[] { 1e-150, 3.0, 1e150 })
        {
            var scaled = Fit(c);
            Assert.True(scaled.Converged);
            Assert.True(Math.Abs((scaled.Objective / c) - reference.Objective) <= 1e-7 * reference.Objective, $"c = {c}: objective {scaled.Objective / c} against {reference.Objective}");
        }
    }

    [Fact]
    public void Fit_ConstantSignalWithDifferenceFilter_IsOptimalAtTheStart()
    {
        // Dy = 0: u = y has objective 0, the gap is 0 before any iteration.
        var model = new LassoPrimalDual { Filter = [1.0, -1.0] }.Fit(Vector<double>.Build.Dense(30, 4.25));
        Assert.True(model.Converged);
        Assert.Equal(0, model.Iterations);
        Assert.All(model.Coefficients, v => Assert.Equal(4.25, v));
        Assert.Equal(0.0, model.Objective);
    }

    [Fact]
    public void Fit_SignalAsLongAsTheFilter_Fits()
    {
        // n = k: D has one row, and every column is an edge column.
        var model = new LassoPrimalDual { Filter = [1.0, -2.0, 1.0], Alpha = 0.5, Tolerance = 1e-8, MaxIterations = 100_000 }.Fit(V([0.0, 3.0, 0.0]));
        Assert.True(model.Converged);
        double[] u = model.Coefficients.ToArray();
        Assert.Equal(Objective([1.0, -2.0, 1.0], 0.5, [0.0, 3.0, 0.0], u), model.Objective, 1e-12);

        // The optimum moves the middle sample to the line through its neighbours (cost 0.5·3 = 1.5 < 6): u = 0.
        Assert.Equal(1.5, model.Objective, 1e-6);
    }

    [Fact]
    public void Fit_IterationLimit_ReportsNotConvergedWithTheLastIterate()
    {
        var (_, y) = PiecewiseConstant(200, 0.2, 0.05, 7);
        var reports = new List<PrimalDualIterationInfo>();
        var model = new LassoPrimalDual { Filter = [1.0, -1.0], Alpha = 0.5, Tolerance = 1e-12, MaxIterations = 25, OnIteration = reports.Add }.Fit(V(y));
        Assert.False(model.Converged);
        Assert.Equal(25, model.Iterations);
        Assert.Equal([0, 10, 20, 25], reports.Select(r => r.Iteration));
        Assert.Equal(model.Objective, reports[^1].Objective);
        Assert.Equal(model.DualGap, reports[^1].DualGap);
        Assert.All(reports, r => Assert.True(r.DualGap >= -1e-12 * r.Objective));
    }

    [Fact]
    public void Fit_BadInput_ThrowsNamedExceptionsAndKeepsTheModel()
    {
        var (_, y) = PiecewiseConstant(50, 0.2, 0.0, 8);
        var model = new LassoPrimalDual { Filter = [1.0, -1.0], Alpha = 0.5 }.Fit(V(y));
        var before = model.Coefficients.ToArray();

        Assert.Equal("signal", Assert.Throws<ArgumentNullException>(() => model.Fit(null!)).ParamName);
        Assert.Equal("signal", Assert.Throws<ArgumentException>(() => model.Fit(Vector<double>.Build.Dense(0))).ParamName);
        var tooShort = Assert.Throws<ArgumentException>(() => new LassoPrimalDual { Filter = [1.0, -2.0, 1.0] }.Fit(V([1.0, 2.0])));
        Assert.Equal("signal", tooShort.ParamName);
        Assert.Contains("3 taps", tooShort.Message, StringComparison.Ordinal);
        var bad = V(y);
        bad[7] = double.NaN;
        var copy = bad.ToArray();
        var nan = Assert.Throws<ArgumentException>(() => model.Fit(bad));
        Assert.Equal("signal", nan.ParamName);
        Assert.Contains("index 7", nan.Message, StringComparison.Ordinal);
        Assert.Equal(copy.Select(BitConverter.DoubleToInt64Bits), bad.ToArray().Select(BitConverter.DoubleToInt64Bits));

        foreach (double alpha in new[] { 0.0, -1.0, double.NaN, double.PositiveInfinity })
        {
            Assert.Equal(nameof(LassoPrimalDual.Alpha), Assert.Throws<ArgumentOutOfRangeException>(() => new LassoPrimalDual { Alpha = alpha }.Fit(V(y))).ParamName);
        }

        Assert.Equal(nameof(LassoPrimalDual.Filter), Assert.Throws<ArgumentNullException>(() => new LassoPrimalDual { Filter = null! }.Fit(V(y))).ParamName);
        foreach (var filter in new[] { Array.Empty<double>(), [0.0, 0.0], [1.0, double.NaN] })
        {
            Assert.Equal(nameof(LassoPrimalDual.Filter), Assert.Throws<ArgumentOutOfRangeException>(() => new LassoPrimalDual { Filter = filter }.Fit(V(y))).ParamName);
        }

        Assert.Equal(before, model.Coefficients.ToArray());
    }

    [Fact]
    public void Fit_DoesNotKeepTheFilterArray()
    {
        // The filter is copied at the fit: changing the array afterwards changes nothing fitted.
        var (_, y) = PiecewiseConstant(60, 0.2, 0.0, 9);
        double[] filter = [1.0, -1.0];
        var model = new LassoPrimalDual { Filter = filter, Alpha = 0.5 }.Fit(V(y));
        var fitted = model.Coefficients.ToArray();
        filter[1] = 5.0;
        Assert.Equal(fitted, model.Coefficients.ToArray());
    }

    [Fact]
    public void SaveLoad_RoundTrip_IsBitExact()
    {
        var (_, y) = PiecewiseConstant(80, 0.2, 0.05, 10);
        var model = new LassoPrimalDual { Filter = [1.0, -2.0, 1.0], Alpha = 0.8, MaxIterations = 300 }.Fit(V(y));
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<LassoPrimalDual>(stream);
        Assert.Equal(model.Coefficients.Select(BitConverter.DoubleToInt64Bits), loaded.Coefficients.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(model.Filter, loaded.Filter);
        Assert.Equal((model.Alpha, model.MaxIterations, model.Tolerance), (loaded.Alpha, loaded.MaxIterations, loaded.Tolerance));
        Assert.Equal((model.Objective, model.DualGap, model.Iterations, model.Converged), (loaded.Objective, loaded.DualGap, loaded.Iterations, loaded.Converged));
    }
}
