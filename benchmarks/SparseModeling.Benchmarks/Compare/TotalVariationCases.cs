// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Imaging;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>Compare cases of total-variation denoising.</summary>
internal static class TotalVariationCases
{
    public static IEnumerable<CompareCase> All =>
    [
        CameraDenoising(),
        Signal1D(),
    ];

    /// <summary>
    /// <c>tv_camera_512</c>: camera/255 + 0.1·normal_matrix(81, 512, 512) (not clipped), weight 0.1, eps 2e-4, at most 200
    /// iterations, against scikit-image's <c>denoise_tv_chambolle</c>. Both sides report the PSNR of the result against the
    /// clean image (data range 1); the Python twin is this project's <c>Reference/sweep_bench.py</c>, since the shared
    /// case reports no quality.
    /// </summary>
    private static CompareCase CameraDenoising() =>
        new("tv_camera_512", "SparseModeling.TotalVariation.Denoise", () =>
        {
            var (clean, noisy) = CameraProblem();
            return PreparedCase.Of(
                () => TotalVariation.Denoise(noisy, 0.1, 2e-4, 200),
                (denoised, _) => new JsonObject
                {
                    ["psnr"] = ImageQuality.Psnr(clean, denoised, 1.0),
                    ["psnr_noisy"] = ImageQuality.Psnr(clean, noisy, 1.0),
                });
        }, ReferenceSource.Sweep);

    /// <summary>
    /// <c>tv1d_100000</c>: exact 1-D total-variation denoising (Condat) of a piecewise-constant signal, levels −1, 0, 1 in
    /// blocks of 1000 samples, plus 0.5·normal(100000) from generator(85), weight 5. No reference implementation: the target
    /// is absolute (well under 100 ms); the quality is the objective and the number of constant segments.
    /// </summary>
    private static CompareCase Signal1D() =>
        new("tv1d_100000", "SparseModeling.TotalVariation.Denoise1D", () =>
        {
            const double Weight = 5.0;
            var noise = BenchmarkData.Normal(85, 100_000);
            var signal = Vector<double>.Build.Dense(100_000, i => ((i / 1000) % 3) - 1.0 + (0.5 * noise[i]));
            return PreparedCase.Of(
                () => TotalVariation.Denoise1D(signal, Weight),
                (x, _) =>
                {
                    double objective = 0.5 * (x - signal).DotProduct(x - signal);
                    int segments = 1;
                    for (int i = 1; i < x.Count; i++)
                    {
                        objective += Weight * Math.Abs(x[i] - x[i - 1]);
                        segments += x[i] != x[i - 1] ? 1 : 0;
                    }

                    return new JsonObject { ["objective"] = objective, ["segments"] = segments };
                });
        }, ReferenceSource.None);

    /// <summary>The clean camera image in [0, 1] and the noisy one of <c>tv_camera_512</c>.</summary>
    public static (Matrix<double> Clean, Matrix<double> Noisy) CameraProblem()
    {
        var clean = GrayPng.Camera() / 255.0;
        return (clean, clean + (0.1 * BenchmarkData.NormalMatrix(81, 512, 512)));
    }
}
