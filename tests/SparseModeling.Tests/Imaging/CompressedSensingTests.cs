// SPDX-License-Identifier: BSD-3-Clause
using CompressedSensing;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Imaging;

namespace SparseModeling.Tests.Imaging;

/// <summary>
/// The compressed-sensing sample's claim on a smaller phantom: from 30% of the k-space lines, the total-variation
/// reconstruction (<see cref="TotalVariation.Reconstruct"/>) is at least 5 dB above the zero-filled one. Uses the sample's
/// own phantom and k-space operator (linked from samples/CompressedSensing).
/// </summary>
public class CompressedSensingTests
{
    [Fact]
    public void Reconstruct_ThirtyPercentOfTheLines_IsFiveDecibelsAboveZeroFilling()
    {
        const int Size = 64;
        var phantom = SheppLogan.Generate(Size);
        var sampling = FourierSampling.Random(Size, 0.30, centralFraction: 0.08, seed: 1);
        Assert.Equal((int)Math.Round(0.3 * Size), sampling.Lines.Count);
        var y = new double[sampling.RowCount];
        sampling.Apply(phantom.ToColumnMajorArray(), y);
        var zeroFilled = new double[sampling.ColumnCount];
        sampling.ApplyTranspose(y, zeroFilled);
        var result = TotalVariation.Reconstruct(sampling, Vector<double>.Build.DenseOfArray(y), 0.002, Size, Size);
        double psnrZero = ImageQuality.Psnr(phantom, Matrix<double>.Build.DenseOfColumnMajor(Size, Size, zeroFilled), 1.0);
        double psnrTv = ImageQuality.Psnr(phantom, result.Image, 1.0);
        Assert.True(psnrTv >= psnrZero + 5.0, $"TV {psnrTv:F2} dB, zero-filled {psnrZero:F2} dB");
    }

    [Fact]
    public void FourierSampling_TransposeIsTheAdjointAndTheNormIsAtMostOne()
    {
        var sampling = FourierSampling.Random(16, 0.4, 0.1, 3);
        var rng = new SplitMix64(5);
        var x = new double[sampling.ColumnCount];
        var y = new double[sampling.RowCount];
        rng.FillNormal(x);
        rng.FillNormal(y);
        var ax = new double[sampling.RowCount];
        var aty = new double[sampling.ColumnCount];
        sampling.Apply(x, ax);
        sampling.ApplyTranspose(y, aty);
        Assert.Equal(ax.Zip(y, (a, b) => a * b).Sum(), x.Zip(aty, (a, b) => a * b).Sum(), 1e-10);
        Assert.True(ax.Sum(v => v * v) <= x.Sum(v => v * v) * (1 + 1e-12));
    }
}
