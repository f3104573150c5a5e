// SPDX-License-Identifier: BSD-3-Clause
// Background estimation and moving-object detection from camera frames, by robust PCA (low-rank + sparse).
//   A synthetic video with a known answer (SyntheticVideo): 120 frames of 96×128 pixels, a brick-wall background
//   (brick.png) under a slowly varying gain and a drifting light gradient, four objects moving across it, sensor noise.
//   (1) RobustPca decomposes the whole video (frames as rows, 120 × 12,288): the low-rank part is the background of every
//       frame, the sparse part the moving objects; a pixel is foreground where |sparse| > 0.1.
//   (2) OnlineRobustPca learns the same from the frames one at a time (bounded memory, as a live camera would feed it).
//   Prints precision and recall of the foreground masks against the objects' true pixels (exit code 1 if the batch
//   masks fall to 0.9 or below), and writes out/background_subtraction.png (frame, background, foreground mask for three
//   frames) and out/background_subtraction.gif (the whole video).
using System.Diagnostics;
using BackgroundSubtraction;
using MathNet.Numerics.LinearAlgebra;
using NmfLearning;
using SparseModeling.Decomposition;

const int Height = SyntheticVideo.SampleHeight, Width = SyntheticVideo.SampleWidth, FrameCount = SyntheticVideo.SampleFrameCount, BurnIn = 30;
const double Threshold = SyntheticVideo.ForegroundThreshold;
string folder = SampleFolder();
string outputFolder = Path.Combine(folder, "out");
Directory.CreateDirectory(outputFolder);

var clock = Stopwatch.StartNew();
var brick = Pictures.LoadGray(Path.Combine(AppContext.BaseDirectory, "data", "brick.png"));
var video = SyntheticVideo.Sample(brick);
Console.WriteLine($"synthetic video: {FrameCount} frames of {Height}×{Width} pixels (brick.png background, slow illumination changes, 4 moving objects, noise σ = 0.015), made in {clock.Elapsed.TotalSeconds:F2} s");

// (1) The whole video at once.
clock.Restart();
var rpca = new RobustPca().Fit(video.Frames);
double batchSeconds = clock.Elapsed.TotalSeconds;
var background = rpca.LowRank;
var sparse = rpca.Sparse;
double backgroundError = (background - video.Backgrounds).FrobeniusNorm() / video.Backgrounds.FrobeniusNorm();
var batch = video.Score(sparse, 0, FrameCount);
Console.WriteLine($"RobustPca: {FrameCount} × {Height * Width} decomposed in {batchSeconds:F2} s, {rpca.Iterations} iterations (converged: {rpca.Converged}), background rank {rpca.Rank}, background error {backgroundError:P2}");
Console.WriteLine($"  foreground mask |S| > {Threshold}: precision {batch.Precision:F4}, recall {batch.Recall:F4}");

// (2) Frame by frame, as a camera feeds them: learn from the frame, then separate it.
clock.Restart();
// λ₂ above the noise (σ = 0.015) and below the objects' contrast: the default 1/√pixels = 0.009 would put the noise in e.
var online = new OnlineRobustPca { ComponentCount = 4, SparsePenalty = 0.05, RandomSeed = 0 };
var streamed = Matrix<double>.Build.Dense(FrameCount, Height * Width);
for (int t = 0; t < FrameCount; t++)
{
    var frame = video.Frames.Row(t);
    online.PartialFit(frame);
    streamed.SetRow(t, online.Decompose(frame.ToRowMatrix()).Sparse.Row(0));
}

double onlineSeconds = clock.Elapsed.TotalSeconds;
var stream = video.Score(streamed, BurnIn, FrameCount);
Console.WriteLine($"OnlineRobustPca: {FrameCount} frames one at a time in {onlineSeconds:F2} s ({1000.0 * onlineSeconds / FrameCount:F1} ms per frame; the model holds {online.ComponentCount} basis images and their statistics, nothing else)");
Console.WriteLine($"  foreground mask |S| > {Threshold} after the first {BurnIn} frames: precision {stream.Precision:F4}, recall {stream.Recall:F4}");

// The strip: three frames, each with its background and foreground masks.
var captions = new[] { "frame", "background (RobustPca)", "foreground (RobustPca)", "foreground (online)" };
var rows = new List<(string, Matrix<double>[])>();
foreach (int t in new[] { 35, 70, 105 })
{
    rows.Add(($"frame {t}", [video.Image(video.Frames, t), video.Image(background, t), Mask(sparse, t), Mask(streamed, t)]));
}

string stripPath = Path.Combine(outputFolder, "background_subtraction.png");
Pictures.SaveStrip(stripPath, captions, rows);

var gifFrames = new List<uint[]>();
int gifWidth = 0, gifHeight = 0;
for (int t = 0; t < FrameCount; t++)
{
    (var pixels, gifWidth, gifHeight) = Pictures.GifFrame([video.Image(video.Frames, t), video.Image(background, t), Mask(sparse, t)]);
    gifFrames.Add(pixels);
}

string gifPath = Path.Combine(outputFolder, "background_subtraction.gif");
GifWriter.Write(gifPath, gifWidth, gifHeight, gifFrames, delayCentiseconds: 8, lastDelayCentiseconds: 80);
Console.WriteLine($"wrote {stripPath}");
Console.WriteLine($"wrote {gifPath} (frame | background | foreground)");

if (batch.Precision <= 0.9 || batch.Recall <= 0.9)
{
    Console.WriteLine("FAILED: the foreground mask's precision and recall must both exceed 0.9");
    return 1;
}

return 0;

// Frame t's foreground mask as an image: 1 where |sparse| > Threshold.
Matrix<double> Mask(Matrix<double> parts, int t) =>
    Matrix<double>.Build.Dense(Height, Width, (i, j) => Math.Abs(parts[t, (i * Width) + j]) > Threshold ? 1.0 : 0.0);

static string SampleFolder()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "BackgroundSubtraction.csproj")))
        {
            return folder.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
