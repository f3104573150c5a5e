// SPDX-License-Identifier: BSD-3-Clause
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Benchmarks.LinearAlgebra;

/// <summary>
/// Level-1 kernels (<see cref="Kernels.Dot"/>, <see cref="Kernels.Axpy"/>) against scalar loops, at a
/// size in L1, one in L2 and one (4·10⁶ doubles, 32 MB per vector) that spills the caches and is
/// bound by memory bandwidth. GB/s counts the vectors read and written once per operation.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 5)]
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class KernelBenchmarks
{
    private double[] _x = [];
    private double[] _y = [];

    [Params(1_000, 100_000, 4_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = BenchmarkData.Normal(1, N);
        _y = BenchmarkData.Normal(2, N);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Dot")]
    public double DotScalar()
    {
        double[] x = _x, y = _y;
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    [Benchmark]
    [BenchmarkCategory("Dot")]
    public double Dot() => Kernels.Dot(_x, _y);

    // A tiny a keeps y bounded over the millions of invocations.
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Axpy")]
    public void AxpyScalar()
    {
        double[] x = _x, y = _y;
        const double A = 1e-12;
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += A * x[i];
        }
    }

    [Benchmark]
    [BenchmarkCategory("Axpy")]
    public void Axpy() => Kernels.Axpy(1e-12, _x, _y);

    /// <summary>Adds the GB/s column: Dot reads 2 vectors, Axpy reads 2 and writes 1.</summary>
    public sealed class Config : ManualConfig
    {
        public Config() =>
            AddColumn(new ThroughputColumn("GB/s", "Vector bytes read and written per second (10^9)", c =>
                (c.Descriptor.Categories.Contains("Axpy") ? 24.0 : 16.0) * ThroughputColumn.Parameter(c, nameof(N))));
    }
}
