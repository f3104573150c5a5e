// SPDX-License-Identifier: BSD-3-Clause
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.LinearModel;

namespace SparseModeling.Benchmarks.LinearModel;

/// <summary>
/// The LARS family on the problem of <c>lasso_lars_500x2000</c> (the compare mode times
/// <see cref="LassoLarsFit"/> against scikit-learn's <c>LassoLars</c>): the LARS–Lasso fit, LAR
/// stopped at the same number of non-zeros, the path to α = 0.01 without centring, and, as the
/// baseline, coordinate descent solving the same Lasso.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 10)]
public class LarsBenchmarks
{
    private Matrix<double> _x = Matrix<double>.Build.Dense(1, 1);
    private Vector<double> _y = Vector<double>.Build.Dense(1);
    private Matrix<double> _xCentered = Matrix<double>.Build.Dense(1, 1);
    private Vector<double> _yCentered = Vector<double>.Build.Dense(1);
    private double _alpha;

    [GlobalSetup]
    public void Setup()
    {
        (_x, _y, _alpha) = Problems.LassoLars500x2000();
        (_xCentered, _yCentered) = BenchmarkData.Centered(_x, _y);
    }

    /// <summary>Coordinate descent on the same Lasso, to a duality-gap tolerance of 1e-6 (LARS is exact).</summary>
    [Benchmark(Baseline = true)]
    public Lasso LassoCoordinateDescent() => new Lasso { Alpha = _alpha, Tolerance = 1e-6, MaxIterations = 10000 }.Fit(_x, _y);

    [Benchmark]
    public LassoLars LassoLarsFit() => new LassoLars { Alpha = _alpha }.Fit(_x, _y);

    [Benchmark]
    public Lars Lars40() => new Lars { NonzeroCoefficients = 40 }.Fit(_x, _y);

    [Benchmark]
    public LarsPathResult LassoPathToAlpha() => LarsPath.Compute(_xCentered, _yCentered, LarsMethod.Lasso, alphaMin: _alpha);
}
