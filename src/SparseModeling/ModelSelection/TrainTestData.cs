// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.ModelSelection;

/// <summary>A data set split by <see cref="TrainTestSplit"/>: new matrices and vectors (the input is not shared) and the row indices they came from.</summary>
/// <param name="XTrain">The training samples.</param>
/// <param name="XTest">The test samples.</param>
/// <param name="YTrain">The training targets.</param>
/// <param name="YTest">The test targets.</param>
/// <param name="Indices">The rows of the input in <paramref name="XTrain"/> and <paramref name="XTest"/>, in their order.</param>
public sealed record TrainTestData(Matrix<double> XTrain, Matrix<double> XTest, Vector<double> YTrain, Vector<double> YTest, DataSplit Indices);
