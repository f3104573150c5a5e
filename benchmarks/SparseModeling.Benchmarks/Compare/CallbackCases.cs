// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using System.Text.Json.Nodes;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Decomposition;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// What an <c>OnIteration</c> callback costs a fit (issue 16: a callback that only counted iterations once doubled the NMF
/// fit time, the divergence and the copies of W and H being made every iteration). Each case times the fit with a callback
/// that only counts iterations; while it is prepared it runs <see cref="Rounds"/> rounds of three fits in a rotating order —
/// no callback, the counting callback, a callback that reads the objective, W and H every iteration (what every callback
/// paid before the records became lazy) — and reports the best of each as overheads over the fit without a callback:
/// <c>counting_overhead</c> and <c>reading_overhead</c> in process CPU time (robust on a shared, loaded machine, where
/// waiting for a core inflates wall time but not CPU time), and the same in wall time (<c>*_wall</c>). Target:
/// <c>counting_overhead</c> ≤ 0.05.
/// </summary>
internal static class CallbackCases
{
    private const int Rounds = 5;

    public static IEnumerable<CompareCase> All =>
    [
        NmfCase("nmf_callback_mu_kl_2000x1000", NmfSolver.MultiplicativeUpdate, NmfLoss.KullbackLeibler, 100),
        NmfCase("nmf_callback_cd_2000x1000", NmfSolver.CoordinateDescent, NmfLoss.Frobenius, 100),
        MiniBatchCase(),
    ];

    /// <summary>nonneg(61, 2000, 1000, 20), K = 20, nndsvda, tolerance 0 (the problem of <c>nmf_*_2000x1000</c>).</summary>
    private static CompareCase NmfCase(string name, NmfSolver solver, NmfLoss loss, int iterations) =>
        new(name, $"SparseModeling.Nmf({solver},{loss}) with a counting OnIteration", () =>
        {
            var x = NmfProblems.NonNegative(61, 2000, 1000, 20);
            Nmf Make(Action<NmfIterationInfo>? callback) =>
                new() { ComponentCount = 20, Init = NmfInit.NndsvdA, Solver = solver, Loss = loss, MaxIterations = iterations, Tolerance = 0.0, OnIteration = callback };
            return Measure(
                () => Make(null).Fit(x),
                counter => Make(_ => counter.Count++).Fit(x),
                () => Make(ReadAll).Fit(x));
        }, ReferenceSource.None);

    /// <summary>The same data through <see cref="MiniBatchNmf"/>: batches of 256, 20 epochs (160 steps, one callback each).</summary>
    private static CompareCase MiniBatchCase() =>
        new("minibatch_nmf_callback_2000x1000", "SparseModeling.MiniBatchNmf with a counting OnIteration", () =>
        {
            var x = NmfProblems.NonNegative(61, 2000, 1000, 20);
            MiniBatchNmf Make(Action<NmfIterationInfo>? callback) =>
                new() { ComponentCount = 20, BatchSize = 256, MaxIterations = 20, Tolerance = 0.0, MaxNoImprovement = null, RandomSeed = 0, OnIteration = callback };
            return Measure(
                () => Make(null).Fit(x),
                counter => Make(_ => counter.Count++).Fit(x),
                () => Make(ReadAll).Fit(x));
        }, ReferenceSource.None);

    private static void ReadAll(NmfIterationInfo info)
    {
        _ = info.Objective;
        _ = info.W;
        _ = info.H;
    }

    private static PreparedCase Measure(Action plain, Action<Counter> counting, Action reading)
    {
        // One untimed run of each first (JIT tiers, page faults), then rounds of the three in a rotating order.
        Action[] runs = [plain, () => counting(new Counter()), reading];
        foreach (var run in runs)
        {
            run();
        }

        var wall = new double[3][];
        var cpu = new double[3][];
        for (int c = 0; c < 3; c++)
        {
            wall[c] = new double[Rounds];
            cpu[c] = new double[Rounds];
        }

        for (int r = 0; r < Rounds; r++)
        {
            for (int i = 0; i < 3; i++)
            {
                int c = (i + r) % 3;
                (wall[c][r], cpu[c][r]) = Time(runs[c]);
            }
        }

        var counter = new Counter();
        return PreparedCase.Of(
            () =>
            {
                counter.Count = 0;
                counting(counter);
                return counter.Count;
            },
            (count, _) => new JsonObject
            {
                ["callbacks"] = count,
                ["plain_min_s"] = wall[0].Min(),
                ["plain_min_cpu_s"] = cpu[0].Min(),
                ["counting_overhead"] = (cpu[1].Min() / cpu[0].Min()) - 1.0,
                ["counting_overhead_wall"] = (wall[1].Min() / wall[0].Min()) - 1.0,
                ["reading_overhead"] = (cpu[2].Min() / cpu[0].Min()) - 1.0,
                ["reading_overhead_wall"] = (wall[2].Min() / wall[0].Min()) - 1.0,
                ["rounds"] = Rounds,
            });
    }

    /// <summary>The wall-clock and the process CPU seconds of <paramref name="work"/>.</summary>
    private static (double Wall, double Cpu) Time(Action work)
    {
        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        work();
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpuStart).TotalSeconds);
    }

    /// <summary>The iterations a counting callback saw.</summary>
    private sealed class Counter
    {
        public int Count { get; set; }
    }
}
