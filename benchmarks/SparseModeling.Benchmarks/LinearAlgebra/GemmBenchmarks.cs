// SPDX-License-Identifier: BSD-3-Clause
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Benchmarks.LinearAlgebra;

/// <summary>The packed GEMM and the Gram matrix against MathNet's managed multiply (the baseline).</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private Matrix<double> _a = null!;
    private Matrix<double> _b = null!;
    private double[] _c = [];

    [Params(200, 1000)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _a = Matrix<double>.Build.Dense(Size, Size, (_, _) => rng.NextDouble() - 0.5);
        _b = Matrix<double>.Build.Dense(Size, Size, (_, _) => rng.NextDouble() - 0.5);
        _c = new double[Size * Size];
    }

    [Benchmark(Baseline = true)]
    public Matrix<double> MathNetMultiply() => _a * _b;

    [Benchmark]
    public double[] PackedGemm()
    {
        Gemm.Multiply(false, false, Size, Size, Size, 1.0, _a.AsColumnMajorArray(), Size, _b.AsColumnMajorArray(), Size, 0.0, _c, Size);
        return _c;
    }

    [Benchmark]
    public double[] Gram()
    {
        SparseModeling.LinearAlgebra.Gram.Compute(Size, Size, _a.AsColumnMajorArray(), Size, _c);
        return _c;
    }
}
