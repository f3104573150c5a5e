// SPDX-License-Identifier: BSD-3-Clause
using BackgroundSubtraction;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

/// <summary>
/// The background-subtraction sample's claim: on its synthetic video (linked from samples/BackgroundSubtraction, the same
/// frames bit for bit), <see cref="RobustPca"/>'s foreground mask |S| &gt; 0.1 has precision and recall above 0.9 against
/// the objects' true pixels.
/// </summary>
public class BackgroundSubtractionSampleTests
{
    [Fact]
    public void RobustPca_SampleVideo_ForegroundMaskPrecisionAndRecallAboveNinetyPercent()
    {
        // The sample's luminance of a gray pixel v (R = G = B = v), as its SkiaSharp loader computes it.
        var brick = GrayPng.Read(Path.Combine(AppContext.BaseDirectory, "Decomposition", "Samples", "brick.png"))
            .Map(v => ((0.2125 * v) + (0.7154 * v) + (0.0721 * v)) / 255.0);
        var video = SyntheticVideo.Sample(brick);
        int objectPixels = video.Masks.Cast<bool>().Count(m => m);
        Assert.InRange(objectPixels, video.FrameCount * 100, video.FrameCount * 2000); // four objects in every frame

        var rpca = new RobustPca().Fit(video.Frames);
        var (precision, recall) = video.Score(rpca.Sparse, 0, video.FrameCount);

        Assert.True(rpca.Converged);
        Assert.True(precision > 0.9, $"precision {precision:F4}");
        Assert.True(recall > 0.9, $"recall {recall:F4}");

        // The low-rank part is the background: within a few per cent of the true one (it also holds the noise).
        double backgroundError = (rpca.LowRank - video.Backgrounds).FrobeniusNorm() / video.Backgrounds.FrobeniusNorm();
        Assert.True(backgroundError < 0.05, $"background error {backgroundError:P2}");
    }
}
