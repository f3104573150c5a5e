// SPDX-License-Identifier: BSD-3-Clause
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.LinearModel;

namespace SparseModeling.Benchmarks.LinearModel;

/// <summary>
/// The same Lasso problem (sparse_regression(101, 100, 1000, 10), α = 0.05·α_max, with intercept)
/// solved by each solver of the library at its default tolerance; coordinate descent is the baseline.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 5)]
public class SolverComparisonBenchmarks
{
    private Matrix<double> _x = Matrix<double>.Build.Dense(1, 1);
    private Vector<double> _y = Vector<double>.Build.Dense(1);
    private double _alpha;

    [GlobalSetup]
    public void Setup() => (_x, _y, _alpha) = AdmmProblems.Solvers100x1000();

    [Benchmark(Baseline = true)]
    public Lasso CoordinateDescent() => new Lasso { Alpha = _alpha }.Fit(_x, _y);

    [Benchmark]
    public LassoIsta Fista() => new LassoIsta { Alpha = _alpha }.Fit(_x, _y);

    [Benchmark]
    public LassoAdmm Admm() => new LassoAdmm { Alpha = _alpha }.Fit(_x, _y);

    [Benchmark]
    public LassoLars Lars() => new LassoLars { Alpha = _alpha }.Fit(_x, _y);
}
