// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using System.Globalization;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Decomposition;
using SparseModeling.LinearModel;

namespace SparseModeling.Benchmarks.Latency;

/// <summary>
/// The <c>latency</c> mode: the time from <see cref="CancellationTokenSource.Cancel()"/> to the
/// <see cref="OperationCanceledException"/> out of a fit, for every iterative estimator and path function on an input
/// that takes seconds (the cases of issue 10 among them). Each case is fitted once, cancelled at every delay of
/// <c>--delays</c> by a dedicated thread (not the thread pool, whose queue a busy fit could delay), and the
/// latency of each cancelled run is printed, then the worst. A run that ends before its delay is reported as such.
/// Beside each wall-clock latency is the CPU time the process spent in it (all threads): on a loaded machine the wall
/// clock stretches, while the CPU time bounds the latency the same fit would have alone on the machine.
/// Run it under <c>flock /tmp/bench.lock</c> so that no other timing shares the machine.
/// </summary>
internal static class CancellationLatency
{
    private const string Usage = """
        usage: latency [CASE ...] [--delays S,S,...] [--degree N] [--cancel-after] [--trace] [--list]
          CASE          case names (default: all); --list prints them
          --delays      seconds after the start of a fit at which it is cancelled (default 0.05,0.1,0.2,0.3,0.5,0.8,1.2,2,3)
          --cancel-after  cancel by CancellationTokenSource.CancelAfter (a thread-pool timer) and measure from its due time
          --trace       print where each cancelled fit threw (standard error)
          --degree N    SparseModeling.Parallelism.MaxDegreeOfParallelism for the run (default: the processor count)
        """;

    private static bool _trace;
    private static bool _cancelAfter;

    /// <summary>The process's CPU time spent from the last cancellation to its exception (all threads).</summary>
    private static double _cpuSeconds;

    private static readonly double[] DefaultDelays = [0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2, 2.0, 3.0];

    /// <summary>The cases: a name, the problem (built once, untimed) and a fit that honours the token.</summary>
    private static IEnumerable<(string Name, Func<Action<CancellationToken>> Build)> Cases =>
    [
        ("omp_6000x2000_k2000", () =>
        {
            var (x, y, _) = BenchmarkData.SparseRegression(1, 6000, 2000, 50);
            return ct => new OrthogonalMatchingPursuit { NonzeroCoefficients = 2000 }.Fit(x, y, ct);
        }),
        ("lars_6000x2500", () =>
        {
            var (x, y, _) = BenchmarkData.SparseRegression(2, 6000, 2500, 50);
            return ct => new Lars().Fit(x, y, ct);
        }),
        ("lasso_lars_6000x2500", () =>
        {
            var (x, y, _) = BenchmarkData.SparseRegression(2, 6000, 2500, 50);
            return ct => new LassoLars { Alpha = 1e-6 }.Fit(x, y, ct);
        }),
        ("lasso_lars_ic_6000x2500", () =>
        {
            var (x, y, _) = BenchmarkData.SparseRegression(2, 6000, 2500, 50);
            return ct => new LassoLarsIC().Fit(x, y, ct);
        }),
        ("lars_path_6000x2500", () =>
        {
            var (x, y, _) = BenchmarkData.SparseRegression(2, 6000, 2500, 50);
            return ct => LarsPath.Compute(x, y, maxIterations: 2500, cancellationToken: ct);
        }),
        ("lasso_admm_6000x2500", () =>
        {
            var (x, y, _) = BenchmarkData.SparseRegression(3, 6000, 2500, 50);
            return ct => new LassoAdmm { Alpha = 1e-3, Tolerance = 1e-10, MaxIterations = 100_000 }.Fit(x, y, ct);
        }),
        ("admm_path_6000x2500", () =>
        {
            var (x, y, _) = BenchmarkData.SparseRegression(3, 6000, 2500, 50);
            return ct => AdmmPath.Compute(x, y, cancellationToken: ct);
        }),
        ("lasso_6000x2500", () =>
        {
            var (x, y, _) = BenchmarkData.SparseRegression(4, 6000, 2500, 2500);
            return ct => new Lasso { Alpha = 1e-6, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x, y, ct);
        }),
        ("elastic_net_6000x2500", () =>
        {
            var (x, y, _) = BenchmarkData.SparseRegression(4, 6000, 2500, 2500);
            return ct => new ElasticNet { Alpha = 1e-6, L1Ratio = 0.5, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x, y, ct);
        }),
        ("lasso_path_6000x2500", () =>
        {
            var (x, y, _) = BenchmarkData.SparseRegression(4, 6000, 2500, 2500);
            return ct => LassoPath.Compute(x, y, tolerance: 1e-8, cancellationToken: ct);
        }),
        ("lasso_ista_6000x2500", () =>
        {
            var (x, y, _) = BenchmarkData.SparseRegression(5, 6000, 2500, 500);
            return ct => new LassoIsta { Alpha = 1e-4, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x, y, ct);
        }),
        ("lasso_cv_4000x2000", () =>
        {
            var (x, y, _) = BenchmarkData.SparseRegression(6, 4000, 2000, 200);
            return ct => new LassoCV { Tolerance = 1e-8 }.Fit(x, y, ct);
        }),
        ("nmf_nndsvd_2000x1000_k50", () =>
        {
            var x = BenchmarkData.NormalMatrix(7, 2000, 1000).PointwiseAbs();
            return ct => new Nmf { ComponentCount = 50, Tolerance = 0.0, MaxIterations = 10_000 }.Fit(x, ct);
        }),
        ("mini_batch_nmf_2000x1000_k50", () =>
        {
            var x = BenchmarkData.NormalMatrix(7, 2000, 1000).PointwiseAbs();
            return ct => new MiniBatchNmf { ComponentCount = 50, BatchSize = 256, Tolerance = 0.0, MaxIterations = 10_000, MaxNoImprovement = null }.Fit(x, ct);
        }),
        ("robust_pca_2000x1000", () =>
        {
            var x = BenchmarkData.NormalMatrix(7, 2000, 1000);
            return ct => new RobustPca { Tolerance = 0.0, MaxIterations = 100_000 }.Fit(x, ct);
        }),
    ];

    public static int Run(string[] args)
    {
        var names = new List<string>();
        double[] delays = DefaultDelays;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--list":
                    foreach (var c in Cases)
                    {
                        Console.WriteLine(c.Name);
                    }

                    return 0;
                case "--help" or "-h":
                    Console.WriteLine(Usage);
                    return 0;
                case "--delays" when i + 1 < args.Length:
                    delays = [.. args[++i].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
                    break;
                case "--cancel-after":
                    _cancelAfter = true;
                    break;
                case "--trace":
                    _trace = true;
                    break;
                case "--degree" when i + 1 < args.Length:
                    Parallelism.MaxDegreeOfParallelism = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    names.Add(args[i]);
                    break;
            }
        }

        var selected = Cases.Where(c => names.Count == 0 || names.Contains(c.Name)).ToList();
        if (selected.Count == 0)
        {
            Console.Error.WriteLine($"latency: no case named {string.Join(", ", names)}; --list prints them");
            return 2;
        }

        Console.WriteLine($"cancellation latency ({(_cancelAfter ? "CancelAfter, from the due time" : "Cancel() from a dedicated thread")}), {Environment.ProcessorCount} cores, MaxDegreeOfParallelism {Parallelism.MaxDegreeOfParallelism}");
        double worstOverall = 0.0;
        foreach (var (name, build) in selected)
        {
            var fit = build();

            // Warm-up, so that the timed runs do not include the first JIT of the code after the cancellation point.
            Measure(fit, 0.3);
            var latencies = new List<string>();
            double worst = 0.0, worstCpu = 0.0;
            foreach (double delay in delays)
            {
                var (latency, finished) = Measure(fit, delay);
                if (finished is { } total)
                {
                    latencies.Add($"{delay:0.##}s: finished in {total:0.00}s");
                    break;
                }

                worst = Math.Max(worst, latency);
                worstCpu = Math.Max(worstCpu, _cpuSeconds);
                latencies.Add(_cancelAfter ? $"{delay:0.##}s: {latency * 1000:0} ms" : $"{delay:0.##}s: {latency * 1000:0} ms, cpu {_cpuSeconds * 1000:0} ms");
            }

            worstOverall = Math.Max(worstOverall, worst);
            string cpu = _cancelAfter ? string.Empty : $", cpu {worstCpu * 1000,5:0} ms";
            Console.WriteLine($"{name,-30} worst {worst * 1000,5:0} ms{cpu}   ({string.Join("; ", latencies)})");
        }

        Console.WriteLine($"worst over all cases: {worstOverall * 1000:0} ms");
        return 0;
    }

    /// <summary>
    /// Fits, cancelling after <paramref name="delay"/> seconds from a dedicated thread (or, with <c>--cancel-after</c>, by
    /// <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>, whose timer callback runs on the thread pool); the latency
    /// in seconds from the cancellation (from its due time with the timer), or the fit's time when it ended first.
    /// </summary>
    private static (double Latency, double? Finished) Measure(Action<CancellationToken> fit, double delay)
    {
        using var source = new CancellationTokenSource();
        long cancelledAt = 0;
        var cpuAtCancel = TimeSpan.Zero;
        var pauseAtCancel = TimeSpan.Zero;
        using var done = new ManualResetEventSlim();
        var canceller = new Thread(() =>
        {
            if (!done.Wait(TimeSpan.FromSeconds(delay)))
            {
                cpuAtCancel = CpuTime();
                pauseAtCancel = GC.GetTotalPauseDuration();
                Volatile.Write(ref cancelledAt, Stopwatch.GetTimestamp());
                source.Cancel();
            }
        })
        { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        long start = Stopwatch.GetTimestamp();
        if (_cancelAfter)
        {
            cancelledAt = start + (long)(delay * Stopwatch.Frequency);
            source.CancelAfter(TimeSpan.FromSeconds(delay));
        }
        else
        {
            canceller.Start();
        }

        try
        {
            fit(source.Token);
        }
        catch (OperationCanceledException e)
        {
            long caught = Stopwatch.GetTimestamp();
            var cpu = CpuTime();
            var pause = GC.GetTotalPauseDuration() - pauseAtCancel;
            if (!_cancelAfter)
            {
                canceller.Join();
            }

            double latency = Stopwatch.GetElapsedTime(Volatile.Read(ref cancelledAt), caught).TotalSeconds;
            _cpuSeconds = _cancelAfter ? double.NaN : (cpu - cpuAtCancel).TotalSeconds;
            if (_trace)
            {
                Console.Error.WriteLine($"  after {delay}s: {latency * 1000:0} ms (cpu {_cpuSeconds * 1000:0} ms, GC pauses {pause.TotalMilliseconds:0} ms) at {string.Join(" < ", (e.StackTrace ?? string.Empty).Split('\n').Take(4).Select(l => l.Trim()))}");
            }

            return (latency, null);
        }

        double total = Stopwatch.GetElapsedTime(start).TotalSeconds;
        done.Set();
        if (!_cancelAfter)
        {
            canceller.Join();
        }

        return (0.0, total);
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
