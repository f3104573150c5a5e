// SPDX-License-Identifier: BSD-3-Clause
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;

namespace SparseModeling.Benchmarks.Decomposition;

/// <summary>
/// <see cref="MiniBatchNmf"/> on 2000×1000 non-negative data (K = 10, 20 epochs, tolerance 0) for each loss,
/// and one <see cref="MiniBatchNmf.PartialFit"/> step on a 256-row batch: the memory diagnoser shows that
/// allocations are per fit (batch buffers, one work buffer), not per step.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 1, iterationCount: 5)]
public class MiniBatchNmfBenchmarks
{
    private Matrix<double> _x = Matrix<double>.Build.Dense(1, 1);
    private Matrix<double> _batch = Matrix<double>.Build.Dense(1, 1);
    private MiniBatchNmf _online = new();

    [Params(NmfLoss.Frobenius, NmfLoss.KullbackLeibler, NmfLoss.ItakuraSaito)]
    public NmfLoss Loss { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new SplitMix64(42);
        _x = Matrix<double>.Build.Dense(2000, 1000, (i, j) => Math.Abs(rng.NextNormal()) + 0.01);
        _batch = _x.SubMatrix(0, 256, 0, 1000);
        _online = new MiniBatchNmf { ComponentCount = 10, Loss = Loss, RandomSeed = 0 }.PartialFit(_batch);
    }

    [Benchmark]
    public MiniBatchNmf Fit() => new MiniBatchNmf { ComponentCount = 10, Loss = Loss, BatchSize = 256, MaxIterations = 20, Tolerance = 0.0, MaxNoImprovement = null, RandomSeed = 0 }.Fit(_x);

    [Benchmark]
    public MiniBatchNmf PartialFitStep() => _online.PartialFit(_batch);
}
