// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;
using Xunit.Abstractions;

namespace SparseModeling.Tests.LinearModel;

public class HMLassoTests(ITestOutputHelper output)
{
    /// <summary>
    /// y = Xw + 1 + 0.3·noise with five non-zero coefficients among p and the rows of X drawn from N(0, C), C_jk =
    /// <paramref name="correlation"/>^|j − k| (an AR(1) sequence across the features; independent features at 0).
    /// </summary>
    private static (Matrix<double> X, Vector<double> Y, Vector<double> W) Sparse(int n, int p, ulong seed, double correlation = 0.0)
    {
        var rng = new SplitMix64(seed);
        var x = Matrix<double>.Build.Dense(n, p);
        double innovation = Math.Sqrt(1.0 - (correlation * correlation));
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = rng.NextNormal();
            for (int j = 1; j < p; j++)
            {
                x[i, j] = (correlation * x[i, j - 1]) + (innovation * rng.NextNormal());
            }
        }

        var w = Vector<double>.Build.Dense(p);
        double[] values = [3.0, -2.0, 1.5, 1.0, -1.0];
        int[] positions = [0, 3, 7, 11, 16];
        for (int k = 0; k < values.Length; k++)
        {
            w[positions[k] % p] = values[k];
        }

        var y = (x * w) + 1.0 + Vector<double>.Build.Dense(n, _ => 0.3 * rng.NextNormal());
        return (x, y, w);
    }

    /// <summary><paramref name="x"/> with each entry missing (NaN) with probability <paramref name="rate"/>, independently.</summary>
    private static Matrix<double> WithMissing(Matrix<double> x, double rate, ulong seed)
    {
        // A plain loop, not Matrix.Map: MathNet maps large matrices in parallel, which would draw from the generator in
        // a different order (and race on its state) from run to run, so the missing pattern was not reproducible.
        var rng = new SplitMix64(seed);
        var result = x.Clone();
        for (int j = 0; j < x.ColumnCount; j++)
        {
            for (int i = 0; i < x.RowCount; i++)
            {
                if (rng.NextDouble() < rate)
                {
                    result[i, j] = double.NaN;
                }
            }
        }

        return result;
    }

    private static HashSet<int> Support(Vector<double> w) => [.. Enumerable.Range(0, w.Count).Where(j => w[j] != 0.0)];

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void Fit_SpmImageToyLine_ReachesExactOptimum(double alpha)
    {
        // spm-image's toy case (scikit-learn's): X = [[-1], [0], [1]], y = [-1, 0, 1], complete. S = ρ = 2/3, so the
        // optimum is S(2/3, α)/(2/3): 0.85 at α = 0.1, 0.25 at 0.5, 0 at 1.
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { -1 }, { 0 }, { 1 } });
        var y = Vector<double>.Build.DenseOfArray([-1, 0, 1]);
        double expected = Math.Max((2.0 / 3.0) - alpha, 0.0) / (2.0 / 3.0);
        var model = new HMLasso { Alpha = alpha, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x, y);
        Assert.True(model.Converged);
        Assert.True(model.CovarianceConverged);
        Assert.Equal(1, model.CovarianceIterations);
        Assert.Equal(expected, model.Coefficients[0], 1e-9);
        var prediction = model.Predict(Matrix<double>.Build.DenseOfArray(new double[,] { { 2 }, { 3 }, { 4 } }));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expected * (i + 2), prediction[i], 1e-9);
        }
    }

    [Fact]
    public void Fit_AllZeroData_GivesZeroModel()
    {
        // spm-image's zero-data case: S = 0, ρ = 0, floor 0.
        var x = Matrix<double>.Build.Dense(3, 1);
        var y = Vector<double>.Build.Dense(3);
        var model = new HMLasso { Alpha = 0.1 }.Fit(x, y);
        Assert.Equal(0.0, model.Coefficients[0]);
        Assert.Equal(0.0, model.Intercept);
        Assert.True(model.Converged);
    }

    [Fact]
    public void Fit_CompleteData_EqualsLasso()
    {
        // No entry missing: W = 1, S = X̃ᵀX̃/n (positive definite here, so Σ = S) and ρ = X̃ᵀỹ/n, the Lasso's problem.
        var (x, y, _) = Sparse(120, 15, 3);
        var model = new HMLasso { Alpha = 0.05, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x, y);
        var lasso = new Lasso { Alpha = 0.05, Tolerance = 1e-14, MaxIterations = 100_000 }.Fit(x, y);
        Assert.True(model.Converged);
        Assert.Equal(1, model.CovarianceIterations);
        for (int j = 0; j < x.ColumnCount; j++)
        {
            Assert.True(Math.Abs(model.Coefficients[j] - lasso.Coefficients[j]) <= 1e-8, $"coefficient {j}: {model.Coefficients[j]} against the Lasso's {lasso.Coefficients[j]}");
        }

        Assert.Equal(lasso.Intercept, model.Intercept, 1e-8);
        Assert.Equal(Support(lasso.Coefficients), Support(model.Coefficients));
    }

    [Fact]
    public void Fit_ThirtyPercentMissing_RecoversSupportCloseToLassoOnCompleteData()
    {
        // The issue's test: 30% of the entries missing at random, correlated features (C_jk = 0.5^|j − k|, the paper's
        // setting, where mean imputation is biased). The Lasso on the complete data finds the five true features; HMLasso on
        // the incomplete data must find them too, with at most one extra, and coefficients close to the complete-data
        // Lasso's — clearly closer than the Lasso on mean-imputed data.
        var (x, y, truth) = Sparse(500, 20, 5, correlation: 0.5);
        var missing = WithMissing(x, 0.3, 6);
        const double alpha = 0.3;
        var complete = new Lasso { Alpha = alpha, Tolerance = 1e-10 }.Fit(x, y);
        var model = new HMLasso { Alpha = alpha, Tolerance = 1e-8, MaxIterations = 100_000, CovarianceTolerance = 1e-8, MaxCovarianceIterations = 10_000 }.Fit(missing, y);
        Assert.True(model.Converged);
        Assert.Equal(Support(truth), Support(complete.Coefficients));

        var imputed = missing.Clone();
        for (int j = 0; j < imputed.ColumnCount; j++)
        {
            var column = imputed.Column(j);
            double mean = column.Where(v => !double.IsNaN(v)).Average();
            imputed.SetColumn(j, column.Map(v => double.IsNaN(v) ? mean : v));
        }

        var naive = new Lasso { Alpha = alpha, Tolerance = 1e-10 }.Fit(imputed, y);
        double error = (model.Coefficients - complete.Coefficients).L2Norm() / complete.Coefficients.L2Norm();
        double naiveError = (naive.Coefficients - complete.Coefficients).L2Norm() / complete.Coefficients.L2Norm();
        var found = Support(model.Coefficients);
        output.WriteLine($"HMLasso support {string.Join(",", found.Order())}, relative distance to the complete-data Lasso {error:F3}; mean imputation: support {string.Join(",", Support(naive.Coefficients).Order())}, distance {naiveError:F3}; covariance iterations {model.CovarianceIterations}, Lasso iterations {model.Iterations}");
        Assert.True(Support(truth).IsSubsetOf(found), $"HMLasso missed a true feature: {string.Join(",", found.Order())}");
        Assert.True(found.Count <= Support(truth).Count + 1, $"HMLasso selected {found.Count} features: {string.Join(",", found.Order())}");
        Assert.True(error < 0.12, $"HMLasso is {error:F3} (relative) from the complete-data Lasso");
        Assert.True(error < 0.6 * naiveError, $"HMLasso ({error:F3}) is not clearly closer than mean imputation ({naiveError:F3})");
    }

    [Fact]
    public void ProjectCovariance_TwentyPercentMissing_SatisfiesKkt()
    {
        // min ½‖W∘(Σ − S)‖² subject to Σ ⪰ εI is convex; its KKT conditions, checked here with MathNet's eigenvalues (not
        // the solver's): Σ − εI ⪰ 0, G = W∘W∘(Σ − S) ⪰ 0 (the gradient is the multiplier of the constraint), and
        // ⟨G, Σ − εI⟩ = 0. The pairwise covariance of 50×30 data with 20% missing is indefinite (the issue's divergent case
        // for spm-image's step, with μ = 1).
        var rng = new SplitMix64(8);
        var x = WithMissing(Matrix<double>.Build.Dense(50, 30, (i, j) => rng.NextNormal()), 0.2, 9);
        var data = CenteredData.PrepareMissing(x, Vector<double>.Build.Dense(50, i => i), true, out var observed);
        var statistics = HMLassoConfiguration.PairwiseStatistics(data, observed, 1.0);
        int p = statistics.Features;
        var s = Matrix<double>.Build.Dense(p, p, statistics.Covariance);
        Assert.True(s.Evd(Symmetricity.Symmetric).EigenValues.Real().Min() < -0.05, "the test needs an indefinite S");
        double floor = HMLassoConfiguration.Floor(statistics, 1e-3);
        var (sigmaData, result) = HMLassoConfiguration.ProjectCovariance(statistics, floor, 1.0, 1e-11, 100_000, null, CancellationToken.None);
        Assert.True(result.Converged);
        var sigma = Matrix<double>.Build.Dense(p, p, sigmaData);
        Assert.Equal(0.0, (sigma - sigma.Transpose()).FrobeniusNorm());

        var weights = Matrix<double>.Build.Dense(p, p, statistics.WeightsSquared);
        var gradient = weights.PointwiseMultiply(sigma - s);
        var shifted = sigma - (floor * Matrix<double>.Build.DenseIdentity(p));
        double scale = s.FrobeniusNorm();
        double sigmaMin = shifted.Evd(Symmetricity.Symmetric).EigenValues.Real().Min();
        double gradientMin = gradient.Evd(Symmetricity.Symmetric).EigenValues.Real().Min();
        double complementarity = gradient.PointwiseMultiply(shifted).Enumerate().Sum();
        output.WriteLine($"λmin(Σ − εI) = {sigmaMin:E2}, λmin(G) = {gradientMin:E2}, ⟨G, Σ − εI⟩ = {complementarity:E2}, ‖G‖ = {gradient.FrobeniusNorm():E2}, iterations {result.Iterations}");
        Assert.True(sigmaMin >= -1e-12 * scale, $"Σ − εI has eigenvalue {sigmaMin}");
        Assert.True(gradientMin >= -1e-8 * scale, $"G has eigenvalue {gradientMin}");
        Assert.True(Math.Abs(complementarity) <= 1e-8 * scale * scale, $"⟨G, Σ − εI⟩ = {complementarity}");
        Assert.True(gradient.FrobeniusNorm() > 1e-3 * scale, "the projection moved S: G cannot be zero");

        // spm-image's step divides by W∘W/μ + I instead of + 1: on the same data and μ = 1 its iterates blow up.
        var a = Matrix<double>.Build.Dense(p, p);
        var b = Matrix<double>.Build.Dense(p, p);
        var lambda = Matrix<double>.Build.Dense(p, p);
        var divisor = weights + Matrix<double>.Build.DenseIdentity(p);
        for (int iteration = 0; iteration < 100; iteration++)
        {
            var evd = (b + s + lambda).Evd(Symmetricity.Symmetric);
            var clipped = Matrix<double>.Build.DiagonalOfDiagonalVector(evd.EigenValues.Real().Map(v => Math.Max(v, 1e-8)));
            a = evd.EigenVectors * clipped * evd.EigenVectors.Transpose();
            b = (a - s - lambda).PointwiseDivide(divisor);
            lambda -= a - b - s;
        }

        output.WriteLine($"spm-image's step after 100 iterations: ‖A‖ = {a.FrobeniusNorm():E2} (‖S‖ = {scale:E2})");
        Assert.True(!(a.FrobeniusNorm() < 1e6 * scale), $"spm-image's step stayed bounded (‖A‖ = {a.FrobeniusNorm():E2}): the documented difference is wrong");
    }

    [Fact]
    public void Fit_PairNeverObservedTogether_Fits()
    {
        // Features 0 and 1 are never observed in the same row: n₀₁ = 0, so W₀₁ = 0 and S₀₁ is free (spm-image divides by 0).
        var (x, y, _) = Sparse(60, 6, 10);
        var missing = x.Clone();
        for (int i = 0; i < 60; i++)
        {
            missing[i, i % 2] = double.NaN;
        }

        var model = new HMLasso { Alpha = 0.05 }.Fit(missing, y);
        Assert.True(model.Coefficients.All(double.IsFinite));
        Assert.True(model.Converged);
    }

    [Fact]
    public void Fit_ColumnEntirelyMissing_ThrowsNamingTheColumnAndKeepsTheModel()
    {
        var (x, y, _) = Sparse(40, 6, 11);
        var model = new HMLasso { Alpha = 0.05 }.Fit(x, y);
        var before = model.Coefficients.ToArray();
        var bad = WithMissing(x, 0.2, 12);
        for (int i = 0; i < bad.RowCount; i++)
        {
            bad[i, 4] = double.NaN;
        }

        var copy = bad.Clone();
        var e = Assert.Throws<ArgumentException>(() => model.Fit(bad, y));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("column 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
        Assert.Equal(copy.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits), bad.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(before, model.Coefficients.ToArray());
    }

    [Fact]
    public void Fit_InfinityOrMissingTarget_ThrowsNamedException()
    {
        var (x, y, _) = Sparse(40, 6, 13);
        var bad = WithMissing(x, 0.2, 14);
        bad[7, 3] = double.NegativeInfinity;
        var e = Assert.Throws<ArgumentException>(() => new HMLasso().Fit(bad, y));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("row 7, column 3", e.Message, StringComparison.Ordinal);

        var yb = y.Clone();
        yb[2] = double.NaN;
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => new HMLasso().Fit(x, yb)).ParamName);
    }

    [Fact]
    public void Fit_WithoutIntercept_UsesDataAsGiven()
    {
        // Without an intercept nothing is centred: on complete data this is the Lasso without intercept.
        var (x, y, _) = Sparse(80, 8, 15);
        var model = new HMLasso { Alpha = 0.05, FitIntercept = false, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x, y);
        var lasso = new Lasso { Alpha = 0.05, FitIntercept = false, Tolerance = 1e-14, MaxIterations = 100_000 }.Fit(x, y);
        Assert.Equal(0.0, model.Intercept);
        for (int j = 0; j < x.ColumnCount; j++)
        {
            Assert.Equal(lasso.Coefficients[j], model.Coefficients[j], 1e-8);
        }
    }

    [Fact]
    public void Fit_Callbacks_ReportBothStages()
    {
        var (x, y, _) = Sparse(60, 8, 16);
        var missing = WithMissing(x, 0.3, 17);
        var covariance = new List<AdmmIterationInfo>();
        var lasso = new List<AdmmIterationInfo>();
        var model = new HMLasso { Alpha = 0.05, OnCovarianceIteration = covariance.Add, OnIteration = lasso.Add }.Fit(missing, y);
        Assert.Equal(model.CovarianceIterations, covariance.Count);
        Assert.Equal(model.Iterations, lasso.Count);
        Assert.Equal(Enumerable.Range(1, covariance.Count), covariance.Select(i => i.Iteration));
        Assert.All(covariance, i => Assert.True(i.Objective >= 0.0 && double.IsFinite(i.Objective)));
        Assert.All(lasso, i => Assert.True(double.IsFinite(i.Objective)));
    }
}
