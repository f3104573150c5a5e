// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Imaging;

/// <summary>The result of <see cref="TotalVariation.Reconstruct"/>.</summary>
/// <param name="Image">The reconstructed image, rows × columns.</param>
/// <param name="Iterations">The primal–dual iterations run.</param>
/// <param name="Converged">Whether the stopping rule was met within the iteration limit (when false, <paramref name="Image"/> is the last iterate).</param>
/// <param name="Objective">½‖A·x − y‖² + weight·TV(x) at the returned image.</param>
public sealed record TotalVariationReconstruction(Matrix<double> Image, int Iterations, bool Converged, double Objective);
