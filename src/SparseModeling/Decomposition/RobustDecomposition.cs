// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>Samples split by <see cref="OnlineRobustPca.Decompose"/> into a low-rank part, a sparse part and the codes of the low-rank part.</summary>
/// <param name="LowRank">The low-rank part, samples × features: Codes·Components — for video frames, the background.</param>
/// <param name="Sparse">The sparse part, samples × features — for video frames, what moves in front of the background.</param>
/// <param name="Codes">The coordinates of each sample's low-rank part on the basis, samples × components (what <c>Transform</c> returns).</param>
public sealed record RobustDecomposition(Matrix<double> LowRank, Matrix<double> Sparse, Matrix<double> Codes);
