// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.Decomposition;
using static SparseModeling.Tests.Decomposition.NmfMissingTests;

namespace SparseModeling.Tests.Decomposition;

/// <summary><see cref="MiniBatchNmf"/> with <see cref="NmfBase.AllowMissing"/>: the weighted online updates of the observed entries.</summary>
public class MiniBatchNmfMissingTests
{
    [Theory]
    [InlineData(NmfLoss.Frobenius)]
    [InlineData(NmfLoss.KullbackLeibler)]
    public void FitTransform_TwentyPercentMissing_ImputesRemovedEntries(NmfLoss loss)
    {
        var x = LowRank(21);
        var (holed, missing) = RemoveEntries(x, 0.2, 22);
        var holedBits = Bits(holed);
        var nmf = new MiniBatchNmf { ComponentCount = 3, Loss = loss, BatchSize = 20, AllowMissing = true, MaxIterations = 1500, Tolerance = 0.0, MaxNoImprovement = null, RandomSeed = 5 };
        var imputed = nmf.InverseTransform(nmf.FitTransform(holed));
        Assert.Equal(1500, nmf.Iterations);

        double squared = 0.0, baseline = 0.0;
        int count = 0;
        double mean = holed.Enumerate().Where(v => !double.IsNaN(v)).Average();
        for (int i = 0; i < x.RowCount; i++)
        {
            for (int j = 0; j < x.ColumnCount; j++)
            {
                Assert.True(double.IsFinite(imputed[i, j]), $"imputed[{i}, {j}] = {imputed[i, j]}");
                if (missing[i, j])
                {
                    squared += (imputed[i, j] - x[i, j]) * (imputed[i, j] - x[i, j]);
                    baseline += (mean - x[i, j]) * (mean - x[i, j]);
                    count++;
                }
            }
        }

        Assert.True(count > 300, $"only {count} entries removed");
        double rms = Math.Sqrt(squared / count), meanRms = Math.Sqrt(baseline / count);
        Assert.True(rms < 0.2 * meanRms, $"imputation RMS error {rms} vs mean imputation {meanRms}");
        Assert.Equal(holedBits, Bits(holed));
    }

    [Theory]
    [InlineData(NmfLoss.Frobenius)]
    [InlineData(NmfLoss.ItakuraSaito)]
    public void Fit_NothingMissing_EqualsFitWithoutAllowMissing(NmfLoss loss)
    {
        var x = LowRank(23);
        var plain = new MiniBatchNmf { ComponentCount = 3, Loss = loss, BatchSize = 25, MaxIterations = 20, RandomSeed = 1 };
        var allowing = new MiniBatchNmf { ComponentCount = 3, Loss = loss, BatchSize = 25, MaxIterations = 20, RandomSeed = 1, AllowMissing = true };
        Assert.Equal(Bits(plain.FitTransform(x)), Bits(allowing.FitTransform(x)));
        Assert.Equal(Bits(plain.Components), Bits(allowing.Components));
        Assert.Equal(plain.ReconstructionError, allowing.ReconstructionError);
        Assert.Equal(Bits(plain.Transform(x)), Bits(allowing.Transform(x)));
    }

    [Fact]
    public void ReconstructionError_Missing_IsFrobeniusNormOverObservedEntries()
    {
        var (holed, missing) = RemoveEntries(LowRank(24), 0.2, 25);
        var nmf = new MiniBatchNmf { ComponentCount = 2, BatchSize = 15, AllowMissing = true, MaxIterations = 30, RandomSeed = 2 };
        var model = nmf.InverseTransform(nmf.FitTransform(holed));
        double expected = ObservedFrobeniusDistance(holed, model, missing);
        Assert.Equal(expected, nmf.ReconstructionError, 1e-9 * expected);
    }

    [Fact]
    public void PartialFit_Missing_LearnsFromObservedEntriesOnly()
    {
        // Two batches with their holes: the result must equal the partial fits of the same batches through the weighted
        // updates, and differ from a fit of the batches with the holes filled by a wrong value (so the holes are ignored).
        var (holed, _) = RemoveEntries(LowRank(26), 0.2, 27);
        var first = holed.SubMatrix(0, 30, 0, holed.ColumnCount);
        var second = holed.SubMatrix(30, 30, 0, holed.ColumnCount);
        var nmf = new MiniBatchNmf { ComponentCount = 3, AllowMissing = true, RandomSeed = 3 };
        nmf.PartialFit(first).PartialFit(second);
        Assert.Equal(2, nmf.StepCount);
        Assert.All(nmf.Components.Enumerate(), v => Assert.True(double.IsFinite(v) && v >= 0.0));

        var filledWrong = new MiniBatchNmf { ComponentCount = 3, AllowMissing = true, RandomSeed = 3 };
        filledWrong.PartialFit(first.Map(v => double.IsNaN(v) ? 100.0 : v)).PartialFit(second.Map(v => double.IsNaN(v) ? 100.0 : v));
        Assert.NotEqual(Bits(nmf.Components), Bits(filledWrong.Components));

        var strict = new MiniBatchNmf { ComponentCount = 3, RandomSeed = 3 };
        var e = Assert.Throws<ArgumentException>(() => strict.PartialFit(first));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("NaN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_Missing_WeightedCostsFallAndTransformImputes()
    {
        var x = LowRank(28);
        var (holed, missing) = RemoveEntries(x, 0.2, 29);
        var costs = new List<double>();
        var nmf = new MiniBatchNmf { ComponentCount = 3, BatchSize = 20, AllowMissing = true, MaxIterations = 600, Tolerance = 0.0, MaxNoImprovement = null, RandomSeed = 4, OnIteration = info => costs.Add(info.Objective) };
        nmf.Fit(holed);
        Assert.Equal(3 * 600, costs.Count);
        Assert.All(costs, c => Assert.True(double.IsFinite(c)));
        Assert.True(costs.TakeLast(3).Average() < 0.1 * costs.Take(3).Average(), $"mini-batch costs {costs.Take(3).Average()} in the first epoch, {costs.TakeLast(3).Average()} in the last");
        var imputed = nmf.InverseTransform(nmf.Transform(holed));
        var full = nmf.InverseTransform(nmf.Transform(x));
        double worst = LargestDifferenceAtMissing(imputed, full, missing);

        Assert.True(worst < 0.1, $"largest difference {worst} between imputation and reconstruction from the complete row");
    }
}
