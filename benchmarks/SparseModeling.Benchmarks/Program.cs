// SPDX-License-Identifier: BSD-3-Clause
using BenchmarkDotNet.Running;
using SparseModeling.Benchmarks.Compare;
using SparseModeling.Benchmarks.Latency;

// `compare [CASE ...] [--repeat N] [--reference]` times the shared problems side by side with the
// reference script; `latency [CASE ...]` prints the Cancel → OperationCanceledException latency of every
// iterative estimator; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "compare")
{
    return CompareRunner.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "latency")
{
    return CancellationLatency.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
