// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Decomposition;
using SparseModeling.Imaging;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// Compare cases of the inpainting pipeline (patch extraction → masked sparse coding → reconstruction by averaging) on the
/// 512×512 camera image. scikit-learn has no masked coding, so there is no Python twin; <c>Reference/inpaint_pipeline.py</c>
/// times scikit-learn's nearest pipeline (<c>extract_patches_2d</c> + <c>sparse_encode</c> OMP + <c>reconstruct_from_patches_2d</c>
/// on the same damaged image, every pixel coded) for the README.
/// </summary>
internal static class InpaintingCases
{
    public static IEnumerable<CompareCase> All =>
    [
        Camera("inpaint_camera_512", 0),
        Camera("inpaint_camera_512_passes10", 10),
    ];

    /// <summary>
    /// camera/255 with the pixels where normal_matrix(82, 512, 512) &lt; 0 missing (about half); 8×8 patches over the 64-atom
    /// DCT dictionary, at most 12 atoms, tolerance 0.006; <c>inpaint_camera_512</c> is the masked pass alone (the pipeline),
    /// <c>inpaint_camera_512_passes10</c> adds the 10 refining passes of the Inpainting sample. Quality: the PSNR against
    /// the clean image (data range 1) and that of the damaged image.
    /// </summary>
    private static CompareCase Camera(string name, int passes) =>
        new(name, "SparseModeling.Imaging.PatchInpainting.Inpaint", () =>
        {
            var (clean, damaged, mask) = CameraProblem();
            var dictionary = DctDictionary.Generate(64, 8);
            return PreparedCase.Of(
                () => PatchInpainting.Inpaint(damaged, mask, dictionary, 8, 8, 0.006, 12, passes),
                (restored, _) => new JsonObject
                {
                    ["psnr"] = ImageQuality.Psnr(clean, restored, 1.0),
                    ["psnr_damaged"] = ImageQuality.Psnr(clean, damaged, 1.0),
                });
        }, ReferenceSource.None);

    /// <summary>The clean camera image in [0, 1], the damaged one (missing pixels 0) and the mask (1 observed, 0 missing).</summary>
    public static (Matrix<double> Clean, Matrix<double> Damaged, Matrix<double> Mask) CameraProblem()
    {
        var clean = GrayPng.Camera() / 255.0;
        var noise = BenchmarkData.NormalMatrix(82, 512, 512);
        var mask = noise.Map(v => v < 0.0 ? 0.0 : 1.0);
        return (clean, clean.PointwiseMultiply(mask), mask);
    }
}
