// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

public class NmfMissingTests
{
    /// <summary>A rank-3 non-negative matrix W₀·H₀ + 0.1 (positive, so every β is defined), 60×40.</summary>
    internal static Matrix<double> LowRank(ulong seed)
    {
        var rng = new SplitMix64(seed);
        var w = Matrix<double>.Build.Dense(60, 3, (i, j) => rng.NextDouble());
        var h = Matrix<double>.Build.Dense(3, 40, (i, j) => rng.NextDouble());
        return (w * h) + 0.1;
    }

    /// <summary>A copy of x with about the given share of entries set to NaN (never a whole row or column).</summary>
    internal static (Matrix<double> Holed, bool[,] Missing) RemoveEntries(Matrix<double> x, double share, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var holed = x.Clone();
        var missing = new bool[x.RowCount, x.ColumnCount];
        for (int j = 0; j < x.ColumnCount; j++)
        {
            for (int i = 0; i < x.RowCount; i++)
            {
                if (i != j % x.RowCount && rng.NextDouble() < share)
                {
                    holed[i, j] = double.NaN;
                    missing[i, j] = true;
                }
            }
        }

        return (holed, missing);
    }

    /// <summary>‖X − model‖_F over the observed entries of X.</summary>
    internal static double ObservedFrobeniusDistance(Matrix<double> holed, Matrix<double> model, bool[,] missing)
    {
        double sum = 0.0;
        for (int i = 0; i < holed.RowCount; i++)
        {
            for (int j = 0; j < holed.ColumnCount; j++)
            {
                if (!missing[i, j])
                {
                    sum += (holed[i, j] - model[i, j]) * (holed[i, j] - model[i, j]);
                }
            }
        }

        return Math.Sqrt(sum);
    }

    /// <summary>max |a − b| over the missing entries.</summary>
    internal static double LargestDifferenceAtMissing(Matrix<double> a, Matrix<double> b, bool[,] missing)
    {
        double worst = 0.0;
        for (int i = 0; i < a.RowCount; i++)
        {
            for (int j = 0; j < a.ColumnCount; j++)
            {
                if (missing[i, j])
                {
                    worst = Math.Max(worst, Math.Abs(a[i, j] - b[i, j]));
                }
            }
        }

        return worst;
    }

    internal static long[] Bits(Matrix<double> x) => x.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Theory]
    [InlineData(NmfLoss.Frobenius)]
    [InlineData(NmfLoss.KullbackLeibler)]
    [InlineData(NmfLoss.ItakuraSaito)]
    public void FitTransform_TwentyPercentMissing_ImputesRemovedEntries(NmfLoss loss)
    {
        var x = LowRank(1);
        var (holed, missing) = RemoveEntries(x, 0.2, 2);
        var holedBits = Bits(holed);
        var nmf = new Nmf { ComponentCount = 3, Solver = NmfSolver.MultiplicativeUpdate, Loss = loss, AllowMissing = true, MaxIterations = 3000, Tolerance = 0.0 };
        var imputed = nmf.InverseTransform(nmf.FitTransform(holed));

        double squared = 0.0, baseline = 0.0, scale = 0.0;
        int count = 0;
        double mean = holed.Enumerate().Where(v => !double.IsNaN(v)).Average();
        for (int i = 0; i < x.RowCount; i++)
        {
            for (int j = 0; j < x.ColumnCount; j++)
            {
                scale += x[i, j] * x[i, j];
                if (missing[i, j])
                {
                    squared += (imputed[i, j] - x[i, j]) * (imputed[i, j] - x[i, j]);
                    baseline += (mean - x[i, j]) * (mean - x[i, j]);
                    count++;
                }
            }
        }

        Assert.True(count > 300, $"only {count} entries removed");
        double rms = Math.Sqrt(squared / count), rmsScale = Math.Sqrt(scale / x.RowCount / x.ColumnCount);
        Assert.True(rms < 0.03 * rmsScale, $"imputation RMS error {rms} vs data RMS {rmsScale}");
        Assert.True(rms < 0.1 * Math.Sqrt(baseline / count), $"imputation RMS error {rms} vs mean imputation {Math.Sqrt(baseline / count)}");
        Assert.Equal(holedBits, Bits(holed));
    }

    [Theory]
    [InlineData(NmfSolver.MultiplicativeUpdate, NmfLoss.Frobenius)]
    [InlineData(NmfSolver.MultiplicativeUpdate, NmfLoss.KullbackLeibler)]
    [InlineData(NmfSolver.MultiplicativeUpdate, NmfLoss.ItakuraSaito)]
    [InlineData(NmfSolver.CoordinateDescent, NmfLoss.Frobenius)]
    [InlineData(NmfSolver.Hals, NmfLoss.Frobenius)]
    public void FitTransform_NothingMissing_EqualsFitWithoutAllowMissing(NmfSolver solver, NmfLoss loss)
    {
        var x = LowRank(3);
        var plain = new Nmf { ComponentCount = 3, Solver = solver, Loss = loss, MaxIterations = 50 };
        var allowing = new Nmf { ComponentCount = 3, Solver = solver, Loss = loss, MaxIterations = 50, AllowMissing = true };
        Assert.Equal(Bits(plain.FitTransform(x)), Bits(allowing.FitTransform(x)));
        Assert.Equal(Bits(plain.Components), Bits(allowing.Components));
        Assert.Equal(plain.ReconstructionError, allowing.ReconstructionError);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.0)]
    [InlineData(3.0)]
    public void Fit_Missing_WeightedDivergenceNeverIncreases(double beta)
    {
        var (holed, _) = RemoveEntries(LowRank(4), 0.2, 5);
        var divergences = new List<double>();
        var nmf = new Nmf { ComponentCount = 2, Solver = NmfSolver.MultiplicativeUpdate, Beta = beta, AllowMissing = true, MaxIterations = 60, Tolerance = 0.0, OnIteration = info => divergences.Add(info.Objective) };
        nmf.Fit(holed);
        Assert.Equal(60, divergences.Count);
        Assert.All(divergences, d => Assert.True(double.IsFinite(d)));
        for (int i = 1; i < divergences.Count; i++)
        {
            Assert.True(divergences[i] <= divergences[i - 1] * (1 + 1e-12), $"iteration {i + 1}: {divergences[i]} > {divergences[i - 1]}");
        }
    }

    [Fact]
    public void ReconstructionError_Missing_IsFrobeniusNormOverObservedEntries()
    {
        var (holed, missing) = RemoveEntries(LowRank(6), 0.2, 7);
        var nmf = new Nmf { ComponentCount = 2, Solver = NmfSolver.MultiplicativeUpdate, AllowMissing = true, MaxIterations = 30 };
        var model = nmf.InverseTransform(nmf.FitTransform(holed));
        double expected = ObservedFrobeniusDistance(holed, model, missing);
        Assert.Equal(expected, nmf.ReconstructionError, 1e-9 * expected);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(1.0)]
    [InlineData(0.0)]
    [InlineData(1.5)]
    public void MultiplicativeUpdate_WeightedPathWithoutMissingEntries_MatchesUnweighted(double beta)
    {
        // The weighted updates with all weights 1 are the plain updates, computed another way (element terms instead of Gram products or row sums).
        var x = LowRank(8);
        int n = x.RowCount, m = x.ColumnCount, k = 3;
        var data = x.ToColumnMajorArray();
        var rng = new SplitMix64(9);
        var wt0 = Enumerable.Range(0, k * n).Select(_ => 0.1 + rng.NextDouble()).ToArray();
        var h0 = Enumerable.Range(0, k * m).Select(_ => 0.1 + rng.NextDouble()).ToArray();
        var settings = new NmfRunSettings(40, 0.0, true, null, CancellationToken.None);
        var reg = new NmfRegularization(0.01, 0.02, 0.03, 0.04);
        var (wtA, hA) = ((double[])wt0.Clone(), (double[])h0.Clone());
        var (wtB, hB) = ((double[])wt0.Clone(), (double[])h0.Clone());
        NmfMultiplicativeUpdate.Run(new NmfProblem(data, n, m, k, beta), wtA, hA, reg, settings);
        NmfMultiplicativeUpdate.Run(new NmfProblem(data, n, m, k, beta, masked: true), wtB, hB, reg, settings);
        for (int i = 0; i < wtA.Length; i++)
        {
            Assert.Equal(wtA[i], wtB[i], 1e-9 * (1 + Math.Abs(wtA[i])));
        }

        for (int i = 0; i < hA.Length; i++)
        {
            Assert.Equal(hA[i], hB[i], 1e-9 * (1 + Math.Abs(hA[i])));
        }
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Fit_AllowMissingInfinity_ThrowsAndModifiesNothing(double value)
    {
        var (holed, _) = RemoveEntries(LowRank(10), 0.2, 11);
        var nmf = new Nmf { ComponentCount = 2, Solver = NmfSolver.MultiplicativeUpdate, AllowMissing = true, MaxIterations = 20 }.Fit(holed);
        var before = Bits(nmf.Components);
        var bad = holed.Clone();
        bad[5, 7] = value;
        var badBits = Bits(bad);
        var e = Assert.Throws<ArgumentException>(() => nmf.Fit(bad));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("row 5, column 7", e.Message, StringComparison.Ordinal);
        Assert.Equal(badBits, Bits(bad));
        Assert.Equal(before, Bits(nmf.Components));
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => nmf.Transform(bad)).ParamName);
    }

    [Theory]
    [InlineData(NmfSolver.CoordinateDescent, true)]
    [InlineData(NmfSolver.Hals, true)]
    [InlineData(NmfSolver.MultiplicativeUpdate, false)]
    public void Fit_MissingEntryUnsupported_ThrowsNamingTheEntry(NmfSolver solver, bool allowMissing)
    {
        var x = LowRank(12);
        var nmf = new Nmf { ComponentCount = 2, Solver = solver, AllowMissing = allowMissing, MaxIterations = 20 }.Fit(x);
        var before = Bits(nmf.Components);
        var bad = x.Clone();
        bad[3, 9] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => nmf.Fit(bad));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("row 3, column 9", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(nmf.Components));
    }

    [Fact]
    public void Transform_Missing_ImputesFromFixedComponents()
    {
        var x = LowRank(13);
        var nmf = new Nmf { ComponentCount = 3, Solver = NmfSolver.MultiplicativeUpdate, MaxIterations = 3000, Tolerance = 0.0, AllowMissing = true }.Fit(x);
        var (holed, missing) = RemoveEntries(x, 0.2, 14);
        var imputed = nmf.InverseTransform(nmf.Transform(holed));
        var full = nmf.InverseTransform(nmf.Transform(x));
        double worst = LargestDifferenceAtMissing(imputed, full, missing);

        Assert.True(worst < 0.05, $"largest difference {worst} between imputation and reconstruction from the complete row");
    }
}
