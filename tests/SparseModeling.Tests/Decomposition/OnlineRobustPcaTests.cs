// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

public class OnlineRobustPcaTests
{
    private const int Pixels = 300;

    [Fact]
    public void PartialFit_StreamOfFrames_LearnsTheBackgroundAndFindsTheMovingObject()
    {
        var model = new OnlineRobustPca { ComponentCount = 3, RandomSeed = 1 };
        for (int t = 0; t < 1000; t++)
        {
            model.PartialFit(Frame(t).Frame);
        }

        Assert.Equal(1000, model.SampleCount);

        // The learned basis spans the backgrounds: the background of each later frame projects onto it up to a few percent
        // (the stochastic basis converges slowly: the first frames, coded on a random basis, stay in the statistics).
        var basis = model.Components.Transpose().QR().Q.SubMatrix(0, Pixels, 0, 3);
        for (int t = 1000; t < 1050; t += 7)
        {
            var background = Background(t);
            var residual = background - (basis * (basis.Transpose() * background));
            Assert.True(residual.L2Norm() < 0.05 * background.L2Norm(), $"frame {t}: background residual {residual.L2Norm() / background.L2Norm():E2}");
        }

        // On later frames the sparse part marks the object: precision and recall of |e| > 0.1 against its true pixels.
        int truePositive = 0, falsePositive = 0, falseNegative = 0;
        for (int t = 1000; t < 1050; t++)
        {
            var (frame, mask) = Frame(t);
            var parts = model.Decompose(frame.ToRowMatrix());
            for (int j = 0; j < Pixels; j++)
            {
                bool detected = Math.Abs(parts.Sparse[0, j]) > 0.1;
                truePositive += detected && mask[j] ? 1 : 0;
                falsePositive += detected && !mask[j] ? 1 : 0;
                falseNegative += !detected && mask[j] ? 1 : 0;
            }
        }

        double precision = truePositive / (double)(truePositive + falsePositive), recall = truePositive / (double)(truePositive + falseNegative);
        Assert.True(precision > 0.95 && recall > 0.95, $"precision {precision:F3}, recall {recall:F3}");
    }

    [Fact]
    public void Fit_OnePass_EqualsPartialFitFrameByFrameAndByChunks()
    {
        var x = Frames(0, 60);
        var fitted = new OnlineRobustPca { ComponentCount = 3, RandomSeed = 5 }.Fit(x);
        var byFrame = new OnlineRobustPca { ComponentCount = 3, RandomSeed = 5 };
        var byChunk = new OnlineRobustPca { ComponentCount = 3, RandomSeed = 5 };
        for (int t = 0; t < 60; t++)
        {
            byFrame.PartialFit(x.Row(t));
        }

        byChunk.PartialFit(x.SubMatrix(0, 30, 0, Pixels));
        byChunk.PartialFit(x.SubMatrix(30, 30, 0, Pixels));

        Assert.Equal(1, fitted.Iterations);
        Assert.Equal(0, byFrame.Iterations);
        Assert.Equal(fitted.Components.ToColumnMajorArray(), byFrame.Components.ToColumnMajorArray());
        Assert.Equal(fitted.Components.ToColumnMajorArray(), byChunk.Components.ToColumnMajorArray());
        Assert.Equal(60, byChunk.SampleCount);
    }

    [Fact]
    public void Decompose_SatisfiesTheProjectionsOptimalityConditions()
    {
        var x = Frames(0, 80);
        var model = new OnlineRobustPca { ComponentCount = 3, RandomSeed = 2, ProjectionTolerance = 1e-12 }.Fit(x);
        var test = Frames(100, 5);
        var parts = model.Decompose(test);
        Assert.Equal(model.Transform(test).ToColumnMajorArray(), parts.Codes.ToColumnMajorArray());
        Assert.Equal(model.InverseTransform(parts.Codes).ToColumnMajorArray(), parts.LowRank.ToColumnMajorArray());

        // e = soft(z − L·r, λ₂) and (LᵀL + λ₁I)·r = Lᵀ(z − e), λ₁ = λ₂ = 1/√300.
        double lambda = 1.0 / Math.Sqrt(Pixels);
        var lt = model.Components;
        for (int i = 0; i < test.RowCount; i++)
        {
            var z = test.Row(i);
            var r = parts.Codes.Row(i);
            var e = parts.Sparse.Row(i);
            var fit = z - (lt.Transpose() * r);
            for (int j = 0; j < Pixels; j++)
            {
                double expected = Math.Sign(fit[j]) * Math.Max(Math.Abs(fit[j]) - lambda, 0.0);
                Assert.True(Math.Abs(expected - e[j]) <= 1e-9 * z.L2Norm(), $"frame {i}, pixel {j}: e = {e[j]}, soft threshold {expected}");
            }

            var lhs = (lt * lt.Transpose() * r) + (lambda * r);
            var rhs = lt * (z - e);
            Assert.True((lhs - rhs).L2Norm() <= 1e-8 * rhs.L2Norm(), $"frame {i}: ridge equations off by {(lhs - rhs).L2Norm():E2}");
        }
    }

    [Fact]
    public void PartialFit_FrameOfAnotherSize_ThrowsNamingTheFrameAndKeepsTheModel()
    {
        var model = new OnlineRobustPca { ComponentCount = 3, RandomSeed = 1 };
        model.PartialFit(Frame(0).Frame);
        var before = ModelSerializerCorruptionTests.SaveText(model);
        var wrong = Vector<double>.Build.Dense(Pixels + 1, 0.5);
        var copy = wrong.Clone();
        var e = Assert.Throws<ArgumentException>(() => model.PartialFit(wrong));
        Assert.Equal("frame", e.ParamName);
        Assert.Contains($"{Pixels + 1} entries", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{Pixels} features", e.Message, StringComparison.Ordinal);
        var ex = Assert.Throws<ArgumentException>(() => model.PartialFit(Matrix<double>.Build.Dense(2, Pixels - 1, 0.5)));
        Assert.Equal("x", ex.ParamName);
        Assert.Equal(before, ModelSerializerCorruptionTests.SaveText(model));
        Assert.Equal(copy.ToArray(), wrong.ToArray());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void PartialFit_NonFiniteFrame_ThrowsNamingTheIndexAndKeepsTheModel(double bad)
    {
        var model = new OnlineRobustPca { ComponentCount = 3, RandomSeed = 1 };
        model.PartialFit(Frame(0).Frame);
        var before = ModelSerializerCorruptionTests.SaveText(model);
        var frame = Frame(1).Frame;
        frame[17] = bad;
        var e = Assert.Throws<ArgumentException>(() => model.PartialFit(frame));
        Assert.Equal("frame", e.ParamName);
        Assert.Contains("index 17", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, ModelSerializerCorruptionTests.SaveText(model));
        Assert.Throws<ArgumentNullException>(() => model.PartialFit((Vector<double>)null!));
        Assert.Equal("frame", Assert.Throws<ArgumentException>(() => model.PartialFit(Vector<double>.Build.Dense(0))).ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void PartialFit_PenaltyNotPositive_ThrowsNamingIt(double penalty)
    {
        var frame = Frame(0).Frame;
        Assert.Equal("LowRankPenalty", Assert.Throws<ArgumentOutOfRangeException>(() => new OnlineRobustPca { LowRankPenalty = penalty }.PartialFit(frame)).ParamName);
        Assert.Equal("SparsePenalty", Assert.Throws<ArgumentOutOfRangeException>(() => new OnlineRobustPca { SparsePenalty = penalty }.PartialFit(frame)).ParamName);
    }

    [Fact]
    public void PartialFit_LongStream_KeepsMemoryBounded()
    {
        // The model holds the basis and the statistics only: what one step allocates and what the model saves do not grow
        // with the number of frames seen.
        var model = new OnlineRobustPca { ComponentCount = 3, RandomSeed = 1 };
        long early = 0, late = 0;
        int earlyLength = 0;
        for (int t = 0; t < 1000; t++)
        {
            var frame = Frame(t).Frame;
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.PartialFit(frame);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (t == 100)
            {
                early = allocated;
                earlyLength = ModelSerializerCorruptionTests.SaveText(model).Length;
            }

            late = allocated;
        }

        Assert.True(late <= early * 1.1 + 1024, $"a step allocates {late} bytes after 1000 frames, {early} after 100");
        Assert.True(late < 40 * 8 * ((3 * Pixels) + 9), $"a step allocates {late} bytes for a model of {(2 * 3 * Pixels) + 9} numbers");
        Assert.InRange(ModelSerializerCorruptionTests.SaveText(model).Length, earlyLength * 0.9, earlyLength * 1.1);
    }

    [Fact]
    public void OnIteration_ReportsEachPass()
    {
        var reports = new List<OnlineRobustPcaIterationInfo>();
        var model = new OnlineRobustPca { ComponentCount = 3, RandomSeed = 1, MaxIterations = 4, Tolerance = 0.0, OnIteration = reports.Add }.Fit(Frames(0, 50));
        Assert.Equal(4, model.Iterations);
        Assert.Equal(200, model.SampleCount);
        Assert.Equal([1, 2, 3, 4], reports.Select(r => r.Iteration));
        Assert.True(reports[^1].Objective < reports[0].Objective, "the cost falls as the basis is learned");
        Assert.True(reports[^1].BasisChange < reports[0].BasisChange, "the basis settles");
    }

    /// <summary>Two background images (a random texture and a ramp).</summary>
    private static Vector<double>[] Backgrounds()
    {
        var rng = new SplitMix64(42);
        return [Vector<double>.Build.Dense(Pixels, _ => 0.2 + (0.6 * rng.NextDouble())), Vector<double>.Build.Dense(Pixels, j => j / (double)Pixels)];
    }

    /// <summary>The background of frame t: texture·(1 + 0.3 sin(t/15)) + ramp·0.2 cos(t/25).</summary>
    private static Vector<double> Background(int t)
    {
        var b = Backgrounds();
        return (b[0] * (1.0 + (0.3 * Math.Sin(t / 15.0)))) + (b[1] * (0.2 * Math.Cos(t / 25.0)));
    }

    /// <summary>Frame t: its background (at most 1.24) with a 12-pixel object (intensities 1.6 ± 0.3) moving along it.</summary>
    private static (Vector<double> Frame, bool[] Mask) Frame(int t)
    {
        var frame = Background(t);
        var mask = new bool[Pixels];
        int start = (7 * t) % (Pixels - 12);
        for (int j = start; j < start + 12; j++)
        {
            frame[j] = 1.6 + (0.3 * Math.Sin(j));
            mask[j] = true;
        }

        return (frame, mask);
    }

    private static Matrix<double> Frames(int first, int count) => Matrix<double>.Build.DenseOfRowVectors(Enumerable.Range(first, count).Select(t => Frame(t).Frame));
}
