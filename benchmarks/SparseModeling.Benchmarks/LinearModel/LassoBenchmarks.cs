// SPDX-License-Identifier: BSD-3-Clause
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.LinearModel;

namespace SparseModeling.Benchmarks.LinearModel;

/// <summary>
/// The Lasso fit of <c>lasso_cd_500x5000</c> and the 100-α path of <c>lasso_path_500x5000</c>
/// (the compare mode times the same calls against scikit-learn).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 5)]
public class LassoBenchmarks
{
    private Matrix<double> _x = Matrix<double>.Build.Dense(1, 1);
    private Vector<double> _y = Vector<double>.Build.Dense(1);
    private double _alpha;
    private Matrix<double> _xCentered = Matrix<double>.Build.Dense(1, 1);
    private Vector<double> _yCentered = Vector<double>.Build.Dense(1);

    [GlobalSetup]
    public void Setup()
    {
        (_x, _y, _alpha) = Problems.LassoCd500x5000();
        (_xCentered, _yCentered) = Problems.LassoPath500x5000();
    }

    [Benchmark]
    public Lasso LassoFit() => new Lasso { Alpha = _alpha, Tolerance = 1e-4, MaxIterations = 10000 }.Fit(_x, _y);

    [Benchmark]
    public LassoPathResult LassoPath100() =>
        LassoPath.Compute(_xCentered, _yCentered, alphaCount: 100, epsilon: 1e-2, tolerance: 1e-4);
}
