// SPDX-License-Identifier: BSD-3-Clause
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.LinearModel;

namespace SparseModeling.Benchmarks.LinearModel;

/// <summary>
/// <c>admm_200x2000</c>: <see cref="LassoAdmm"/> (Cholesky through Woodbury on the 200×200 system)
/// against spm-image's approach (MathNet's dense inverse of the 2000×2000 system, then the same
/// iterations), the baseline. The compare mode reports the same ratio.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class AdmmBenchmarks
{
    private Matrix<double> _x = Matrix<double>.Build.Dense(1, 1);
    private Vector<double> _y = Vector<double>.Build.Dense(1);
    private double _alpha;

    [GlobalSetup]
    public void Setup() => (_x, _y, _alpha) = AdmmProblems.Admm200x2000();

    [Benchmark(Baseline = true)]
    public int SpmImageDenseInverse() => SpmImageAdmmBaseline.Fit(_x, _y, _alpha, 1.0, 1e-4, 1000).Iterations;

    [Benchmark]
    public LassoAdmm LassoAdmmCholesky() => new LassoAdmm { Alpha = _alpha, Rho = 1.0, Tolerance = 1e-4, MaxIterations = 1000 }.Fit(_x, _y);
}
