// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.Decomposition;

public class RobustPcaTests
{
    private static readonly System.Text.Json.JsonElement Fixture = TestData.Fixture("robust_pca.json");

    [Theory]
    [InlineData("tall_40x25_rank2")]
    [InlineData("wide_20x50_rank3")]
    [InlineData("lambda_0.3")]
    public void Fit_MatchesLinChenMaWithFullSvds(string name)
    {
        // The reference thresholds with a full SVD every step; the partial SVD must give the same iterates.
        var expected = Fixture.GetProperty("results").GetProperty(name);
        var x = Rows(expected.GetProperty("X"));
        var lambda = expected.GetProperty("lambda");
        var residuals = new List<double>();
        var rpca = new RobustPca
        {
            Lambda = lambda.ValueKind == System.Text.Json.JsonValueKind.Null ? null : lambda.GetDouble(),
            OnIteration = info => residuals.Add(info.RelativeResidual),
        }.Fit(x);

        Assert.Equal(expected.GetProperty("n_iter").GetInt32(), rpca.Iterations);
        Assert.Equal(expected.GetProperty("rank").GetInt32(), rpca.Rank);
        var reference = TestData.Doubles(expected.GetProperty("residuals"));
        Assert.Equal(reference.Length, residuals.Count);
        for (int i = 0; i < reference.Length; i++)
        {
            // Relative to ‖X‖ already: late residuals of 1e-7 agree to rounding of X's scale, not to their own digits.
            Assert.True(Math.Abs(residuals[i] - reference[i]) <= 1e-11 + (1e-6 * reference[i]), $"iteration {i + 1}: residual {residuals[i]}, expected {reference[i]}");
        }

        double scale = x.Enumerate().Max(Math.Abs);
        var l = rpca.LowRank;
        var sp = rpca.Sparse;
        var lExpected = Rows(expected.GetProperty("L"));
        var sExpected = Rows(expected.GetProperty("S"));
        Assert.True((l - lExpected).Enumerate().Max(Math.Abs) <= 1e-9 * scale, $"L differs by {(l - lExpected).Enumerate().Max(Math.Abs):E2}");
        Assert.True((sp - sExpected).Enumerate().Max(Math.Abs) <= 1e-9 * scale, $"S differs by {(sp - sExpected).Enumerate().Max(Math.Abs):E2}");
        var sigma = TestData.Doubles(expected.GetProperty("singular_values"));
        for (int j = 0; j < sigma.Length; j++)
        {
            Assert.Equal(sigma[j], rpca.SingularValues[j], 1e-9 * sigma[0]);
        }
    }

    [Fact]
    public void Fit_RandomRank5PlusFivePercentSparse_RecoversBothPartsExactly()
    {
        // Candès et al.'s exact-recovery setting: L₀ of rank 5, S₀ on a random 5% of the entries with values of the order
        // of L₀'s largest; λ = 1/√200 (the default).
        var (x, l0, s0) = Problem(200, 200, 5, 0.05, seed: 1);
        var copy = x.Clone();
        var rpca = new RobustPca().Fit(x);

        Assert.True(rpca.Converged);
        Assert.Equal(5, rpca.Rank);
        double lowRankError = (rpca.LowRank - l0).FrobeniusNorm() / l0.FrobeniusNorm();
        double sparseError = (rpca.Sparse - s0).FrobeniusNorm() / s0.FrobeniusNorm();
        Assert.True(lowRankError < 1e-5, $"‖L − L₀‖/‖L₀‖ = {lowRankError:E2}");
        Assert.True(sparseError < 1e-5, $"‖S − S₀‖/‖S₀‖ = {sparseError:E2}");
        Assert.True(rpca.RelativeResidual <= 1e-7);
        Assert.Equal(copy.ToColumnMajorArray(), x.ToColumnMajorArray());
    }

    [Fact]
    public void Solver_RankFivePlusSparse_ComputesOnlyPartialDecompositions()
    {
        // The singular value threshold never decomposes the whole spectrum: each iteration asks for the predicted rank
        // (10 at first, then one more than the rank found), far below min(m, n) = 200.
        var (x, _, _) = Problem(200, 200, 5, 0.05, seed: 2);
        var settings = new RobustPcaSolver.Settings(1.0 / Math.Sqrt(200), 1000, 1e-7, 1.25, 1.5, 1e7, null, CancellationToken.None);
        var result = RobustPcaSolver.Run(MatrixStorage.ColumnMajor(x), 200, 200, settings);

        Assert.True(result.Converged);
        Assert.Equal(0, result.FullDecompositions);
        Assert.True(result.DecompositionSizes.Count >= result.Iterations + 1, "one decomposition per iteration at least, and the spectral norm's");
        Assert.True(result.DecompositionSizes.Max() <= 20, $"largest partial SVD: {result.DecompositionSizes.Max()} triplets");
        Assert.Equal(1, result.DecompositionSizes[0]);
    }

    [Fact]
    public void OnIteration_ReportsEveryIterationDownToTheStoppingRule()
    {
        var (x, _, _) = Problem(60, 40, 2, 0.05, seed: 3);
        var reports = new List<RobustPcaIterationInfo>();
        var rpca = new RobustPca { OnIteration = reports.Add }.Fit(x);

        Assert.Equal(rpca.Iterations, reports.Count);
        Assert.Equal(Enumerable.Range(1, reports.Count), reports.Select(r => r.Iteration));
        Assert.Equal(rpca.RelativeResidual, reports[^1].RelativeResidual);
        Assert.Equal(rpca.Rank, reports[^1].Rank);
        Assert.All(reports.Take(reports.Count - 1), r => Assert.True(r.RelativeResidual > 1e-7));

        // μ grows by ρ = 1.5 per iteration from 1.25/‖X‖₂.
        double spectral = x.L2Norm();
        Assert.Equal(1.25 / spectral, reports[0].Mu, 1e-12 / spectral);
        Assert.Equal(reports[0].Mu * 1.5, reports[1].Mu, 1e-15 * reports[1].Mu);

        // The objective ‖L‖_* + λ‖S‖₁ of the final iterate.
        double lambda = 1.0 / Math.Sqrt(60);
        double objective = rpca.SingularValues.Sum() + (lambda * rpca.Sparse.Enumerate().Sum(Math.Abs));
        Assert.Equal(objective, reports[^1].Objective, 1e-12 * objective);
    }

    [Fact]
    public void Fit_LowRankPart_IsItsSingularValueDecomposition()
    {
        var (x, _, _) = Problem(50, 80, 3, 0.1, seed: 4);
        var rpca = new RobustPca().Fit(x);
        var components = rpca.Components;
        var sigma = rpca.SingularValues;
        Assert.Equal(rpca.Rank, components.RowCount);
        Assert.Equal(80, components.ColumnCount);
        Assert.True((components * components.Transpose() - Matrix<double>.Build.DenseIdentity(rpca.Rank)).InfinityNorm() < 1e-12);
        var l = rpca.LowRank;
        var svd = l.Svd(computeVectors: false);
        for (int j = 0; j < rpca.Rank; j++)
        {
            Assert.Equal(svd.S[j], sigma[j], 1e-10 * sigma[0]);
        }

        Assert.True(svd.S[rpca.Rank] < 1e-10 * sigma[0]);

        // L's rows lie in the span of the components.
        var projected = l * components.Transpose() * components;
        Assert.True((projected - l).FrobeniusNorm() < 1e-12 * l.FrobeniusNorm());
    }

    [Fact]
    public void Fit_Transposed_GivesTheTransposedDecomposition()
    {
        // The solver works on the taller orientation: a wide matrix and its transpose are the same problem, bit for bit in S.
        var (x, _, _) = Problem(30, 70, 2, 0.05, seed: 5);
        var wide = new RobustPca().Fit(x);
        var tall = new RobustPca().Fit(x.Transpose());
        Assert.Equal(wide.Iterations, tall.Iterations);
        Assert.Equal(wide.Rank, tall.Rank);
        Assert.Equal(wide.Sparse.Transpose().ToColumnMajorArray(), tall.Sparse.ToColumnMajorArray());
        Assert.True((wide.LowRank.Transpose() - tall.LowRank).InfinityNorm() < 1e-13 * tall.LowRank.InfinityNorm());
    }

    [Fact]
    public void Fit_ZeroData_IsZeroWithoutIterating()
    {
        var rpca = new RobustPca().Fit(Matrix<double>.Build.Dense(7, 5));
        Assert.Equal(0, rpca.Rank);
        Assert.Equal(0, rpca.Iterations);
        Assert.True(rpca.Converged);
        Assert.Equal(0.0, rpca.RelativeResidual);
        Assert.All(rpca.LowRank.Enumerate(), v => Assert.Equal(0.0, v));
        Assert.All(rpca.Sparse.Enumerate(), v => Assert.Equal(0.0, v));
        Assert.Equal(0, rpca.Components.RowCount);
        Assert.Equal(5, rpca.Components.ColumnCount);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Fit_LambdaNotPositive_ThrowsNamingLambdaAndKeepsTheModel(double lambda)
    {
        var (x, _, _) = Problem(20, 15, 2, 0.05, seed: 6);
        var rpca = new RobustPca().Fit(x);
        var before = rpca.Sparse.ToColumnMajorArray();
        var copy = x.Clone();
        rpca.Lambda = lambda;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => rpca.Fit(x));
        Assert.Equal(nameof(RobustPca.Lambda), e.ParamName);
        Assert.Equal(before, rpca.Sparse.ToColumnMajorArray());
        Assert.Equal(copy.ToColumnMajorArray(), x.ToColumnMajorArray());
    }

    [Fact]
    public void Fit_LargerLambda_PutsLessInTheSparsePart()
    {
        var (x, _, _) = Problem(40, 40, 2, 0.1, seed: 7);
        int Count(double lambda) => new RobustPca { Lambda = lambda }.Fit(x).Sparse.Enumerate().Count(v => v != 0.0);
        Assert.True(Count(0.5) < Count(0.1));
        Assert.Equal(0, Count(10.0)); // λ above ‖X‖_*/‖X‖₁'s dual bound: all of X is low-rank
    }

    private static Matrix<double> Rows(System.Text.Json.JsonElement rows) =>
        Matrix<double>.Build.DenseOfRowArrays(rows.EnumerateArray().Select(TestData.Doubles));

    /// <summary>X = L₀ + S₀: L₀ = A·B with N(0, 1) factors of rank <paramref name="rank"/>, S₀ on a random <paramref name="fraction"/> of entries, uniform in ±[0, 3√rank].</summary>
    internal static (Matrix<double> X, Matrix<double> L0, Matrix<double> S0) Problem(int rows, int cols, int rank, double fraction, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var a = Matrix<double>.Build.Dense(rows, rank, (_, _) => rng.NextNormal());
        var b = Matrix<double>.Build.Dense(rank, cols, (_, _) => rng.NextNormal());
        var l0 = a * b;
        double magnitude = 3.0 * Math.Sqrt(rank);
        var s0 = Matrix<double>.Build.Dense(rows, cols, (_, _) =>
        {
            bool corrupt = rng.NextDouble() < fraction;
            double value = magnitude * ((2.0 * rng.NextDouble()) - 1.0);
            return corrupt ? value : 0.0;
        });
        return (l0 + s0, l0, s0);
    }
}
