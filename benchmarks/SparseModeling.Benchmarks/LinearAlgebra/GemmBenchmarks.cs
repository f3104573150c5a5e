// SPDX-License-Identifier: BSD-3-Clause
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Benchmarks.Shared;

namespace SparseModeling.Benchmarks.LinearAlgebra;

/// <summary>
/// C = A·B with the library's packed GEMM against MathNet's managed <c>Matrix.Multiply</c> (the
/// baseline), on the gemm_1000 matrices and smaller ones from the same seeds.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 5)]
[Config(typeof(Config))]
public class GemmBenchmarks
{
    private Matrix<double> _a = Matrix<double>.Build.Dense(1, 1);
    private Matrix<double> _b = Matrix<double>.Build.Dense(1, 1);
    private Matrix<double> _product = Matrix<double>.Build.Dense(1, 1);
    private double[] _aData = [];
    private double[] _bData = [];
    private double[] _c = [];

    [Params(256, 512, 1000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_a, _b) = Problems.Gemm(N);
        _product = Matrix<double>.Build.Dense(N, N);
        _aData = _a.AsColumnMajorArray();
        _bData = _b.AsColumnMajorArray();
        _c = new double[N * N];
    }

    [Benchmark(Baseline = true)]
    public void MathNetMultiply() => _a.Multiply(_b, _product);

    [Benchmark]
    public void Gemm() => SparseModeling.LinearAlgebra.Gemm.Multiply(false, false, N, N, N, 1.0, _aData, N, _bData, N, 0.0, _c, N);

    /// <summary>Adds the GFLOP/s column (2·N³ flops per product).</summary>
    public sealed class Config : ManualConfig
    {
        public Config() =>
            AddColumn(new ThroughputColumn("GFLOP/s", "Floating-point operations per second (10^9), 2*N^3 per product", c =>
                2.0 * Math.Pow(ThroughputColumn.Parameter(c, nameof(N)), 3)));
    }
}
