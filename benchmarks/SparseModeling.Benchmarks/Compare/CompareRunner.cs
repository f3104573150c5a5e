// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using SparseModeling.Benchmarks.Shared;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// The compare mode of BENCHMARKS.md: builds each shared problem, runs one first fit, warms up for half a
/// second and then times N runs, and prints one JSON line per case in the form of <c>reference_bench.py</c>. Each case runs in a
/// fresh process of its own (<see cref="FreshProcess"/>), so its first fit (<c>first_s</c>) is the first
/// of a process, JIT included. With <c>--reference</c> it runs the reference script on the same cases and
/// prints a markdown table of the ratios.
/// </summary>
/// <remarks>
/// JSON lines go to standard output (the reference script's lines too, when run); progress and
/// diagnostics go to standard error; the table comes last on standard output.
/// </remarks>
internal static class CompareRunner
{
    private const string Usage = """
        usage: compare [CASE ...] [--sweep FAMILY] [--repeat N] [--isa avx512|avx2|sse] [--in-process] [--list] [--reference] [--reference-script PATH] [--python PATH]
          CASE                     case names (default: all); --list prints them and the sweeps
          --repeat N               timed runs after the first fit and half a second of warm-up (default 5)
          --sweep FAMILY           a size sweep: lasso, lars, omp, lassocv, nmf_mu, nmf_cd or all (repeatable)
          --grid                   the same as --sweep lasso
          --in-process             measure every case in this process (default: each in a fresh child process)
          --aot PATH               measure our side with PATH, a NativeAOT-published copy of this program (first fit without JIT):
                                   dotnet publish benchmarks/SparseModeling.Benchmarks -c Release -r linux-x64 -p:PublishAot=true -o DIR
          --isa MODE               our side under the JIT switch of MODE (avx2: DOTNET_EnableAVX512=0, sse: DOTNET_EnableAVX=0),
                                   the reference with the matching OpenBLAS kernel (Cooperlake, Haswell, Nehalem; --keep-coretype)
          --reference              also run reference_bench.py on the same cases and print a table
          --reference-script PATH  the script (default: ../shared/tools/reference_bench.py, looked for upwards)
          --python PATH            the interpreter (default /usr/bin/python3)
        """;

    public static int Run(string[] args)
    {
        var names = new List<string>();
        int repeat = 5;
        bool reference = false;
        string? scriptPath = null;
        string python = ReferenceRunner.DefaultPython;
        IsaMode? isa = null;
        bool inProcess = FreshProcess.IsChild;
        string? aot = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--list":
                    foreach (var c in CompareCases.All)
                    {
                        Console.WriteLine(c.Name);
                    }

                    foreach (var (sweepName, sweepCases) in SweepCases.Sweeps)
                    {
                        Console.WriteLine($"--sweep {sweepName}: {string.Join(' ', sweepCases)}");
                    }

                    return 0;
                case "--help" or "-h":
                    Console.WriteLine(Usage);
                    return 0;
                case "--repeat" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out repeat) && repeat >= 1:
                    i++;
                    break;
                case "--reference":
                    reference = true;
                    break;
                case "--grid":
                    names.AddRange(SweepCases.Sweeps["lasso"]);
                    break;
                case "--sweep" when i + 1 < args.Length:
                    string family = args[++i];
                    if (family == "all")
                    {
                        names.AddRange(SweepCases.Sweeps.Values.SelectMany(s => s));
                    }
                    else if (SweepCases.Sweeps.TryGetValue(family, out var sweep))
                    {
                        names.AddRange(sweep);
                    }
                    else
                    {
                        Console.Error.WriteLine($"compare: unknown --sweep {family}; known: {string.Join(", ", SweepCases.Sweeps.Keys)}, all");
                        return 2;
                    }

                    break;
                case "--in-process":
                    inProcess = true;
                    break;
                case "--aot" when i + 1 < args.Length:
                    aot = Path.GetFullPath(args[++i]);
                    if (!File.Exists(aot))
                    {
                        Console.Error.WriteLine($"compare: --aot {aot} does not exist");
                        return 2;
                    }

                    break;
                case "--reference-script" when i + 1 < args.Length:
                    scriptPath = args[++i];
                    reference = true;
                    break;
                case "--python" when i + 1 < args.Length:
                    python = args[++i];
                    break;
                case "--isa" when i + 1 < args.Length:
                    isa = IsaMode.Find(args[++i]);
                    if (isa is null)
                    {
                        Console.Error.WriteLine($"compare: unknown --isa {args[i]}; known: {string.Join(", ", IsaMode.All.Select(m => m.Name))}");
                        return 2;
                    }

                    break;
                case var option when option.StartsWith('-'):
                    Console.Error.WriteLine($"compare: bad option or missing value: {option}{Environment.NewLine}{Usage}");
                    return 2;
                default:
                    names.Add(args[i]);
                    break;
            }
        }

        var unknown = names.Where(n => CompareCases.Find(n) is null).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"compare: unknown case(s) {string.Join(", ", unknown)}; known: {string.Join(", ", CompareCases.All.Select(c => c.Name))}");
            return 2;
        }

        ReferenceRunner? referenceRunner = null;
        if (reference)
        {
            referenceRunner = ReferenceRunner.Locate(python, scriptPath, out string error);
            if (referenceRunner is null)
            {
                Console.Error.WriteLine($"compare --reference: {error}");
                return 3;
            }
        }

        var failures = BenchmarkData.CheckAgainstReference();
        if (failures.Count > 0)
        {
            Console.Error.WriteLine($"compare: the generator disagrees with BENCHMARKS.md, so the problems would differ from the reference's:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", failures)}");
            return 4;
        }

        var cases = names.Count == 0 ? CompareCases.All : names.Select(n => CompareCases.Find(n)!).ToList();
        if (Environment.GetEnvironmentVariable(FreshProcess.ChildMarker) is { } childMode)
        {
            Console.Error.WriteLine($"# {childMode}: {IsaMode.Describe()}");
        }

        if ((isa is not null || aot is not null) && inProcess)
        {
            Console.Error.WriteLine("compare: --isa and --aot measure in a child process (JIT switches act at start-up); drop --in-process");
            return 2;
        }

        if (isa is not null)
        {
            Console.Error.WriteLine($"# --isa {isa.Name}: {isa.Settings}");
        }

        var rows = new List<(CaseResult Ours, CaseResult? Reference, string? Error)>();
        int exitCode = 0;
        foreach (var compareCase in cases)
        {
            CaseResult ours;
            if (inProcess)
            {
                Console.Error.WriteLine($"# {compareCase.Name}: building the problem, 1 first fit, {WarmUpSeconds} s of warm-up, {repeat} timed runs");
                ours = Measure(compareCase, repeat);
            }
            else
            {
                ours = FreshProcess.Measure(compareCase.Name, repeat, isa, aot);
            }

            Console.WriteLine(ours.ToJsonLine());
            if (referenceRunner is null)
            {
                continue;
            }

            if (compareCase.Reference == ReferenceSource.None)
            {
                rows.Add((ours, null, "no reference case (baseline inside)"));
                continue;
            }

            Console.Error.WriteLine($"# {compareCase.Name}: {referenceRunner.ScriptFor(compareCase.Reference)}");
            try
            {
                var theirs = referenceRunner.Run(compareCase.Name, repeat, compareCase.Reference, isa?.OpenBlasCoreType);
                Console.WriteLine(theirs.ToJsonLine());
                rows.Add((ours, theirs, null));
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"compare --reference: {e.Message}");
                rows.Add((ours, null, "failed"));
                exitCode = 5;
            }
        }

        if (referenceRunner is not null)
        {
            Console.WriteLine();
            Console.WriteLine(Table(rows, repeat, isa, aot));
        }

        return exitCode;
    }

    /// <summary>
    /// Builds the problem, times one first fit (in a fresh process: JIT compilation included), repeats the fit
    /// untimed until <see cref="WarmUpSeconds"/> have passed since the first began (at least once), and then times
    /// <paramref name="repeat"/> runs; the quality is read from the last run.
    /// </summary>
    public static CaseResult Measure(CompareCase compareCase, int repeat)
    {
        var prepared = compareCase.Prepare();
        long firstStart = Stopwatch.GetTimestamp();
        object? result = prepared.Run();
        double first = Stopwatch.GetElapsedTime(firstStart).TotalSeconds;
        do
        {
            result = prepared.Run();
        }
        while (Stopwatch.GetElapsedTime(firstStart).TotalSeconds < WarmUpSeconds);

        var seconds = new double[repeat];
        for (int r = 0; r < repeat; r++)
        {
            // Collect the previous run's garbage outside the timed region, so runs start alike.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long start = Stopwatch.GetTimestamp();
            result = prepared.Run();
            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        var timing = new CaseTiming(Median(seconds), seconds.Min());
        return new CaseResult(compareCase.Name, compareCase.Implementation, timing.MedianSeconds, timing.MinSeconds, first, prepared.Quality(result, timing));
    }

    /// <summary>
    /// How long the warm-up runs: the median is the steady state, as BenchmarkDotNet's warm-up stage seeks. The
    /// runtime's tiered JIT first runs new code unoptimised and recompiles what is hot only after 30 calls and a
    /// 100 ms pause in new compilations, so a millisecond fit repeated a few times is still partly unoptimised; the
    /// first fit's cost is reported on its own, as <c>first_s</c>.
    /// </summary>
    private const double WarmUpSeconds = 0.5;

    /// <summary>The median as numpy takes it (the mean of the middle two for an even count).</summary>
    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    private static string Table(List<(CaseResult Ours, CaseResult? Reference, string? Error)> rows, int repeat, IsaMode? isa, string? aot)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}; median of {repeat} runs after a first fit and {WarmUpSeconds} s of warm-up (the reference: after one warm-up); first = our first fit in a fresh process, JIT included, over the reference's median.");
        text.AppendLine(isa is null
            ? "Instruction sets: each side's own best (reference: OpenBLAS's own kernel choice)."
            : $"Instruction sets: {isa.Name} ({isa.Settings}).");
        if (aot is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Our side: the NativeAOT build {aot} (no JIT).");
        }

        text.AppendLine();
        text.AppendLine("| case | ours median s | reference median s | ratio ours/ref | ours first s | first/ref | our quality | reference quality |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (ours, theirs, error) in rows)
        {
            string refMedian = theirs is null ? error ?? "—" : Seconds(theirs.MedianSeconds);
            string ratio = theirs is null ? "—" : Ratio(ours.MedianSeconds, theirs.MedianSeconds);
            string first = ours.FirstSeconds is { } f ? Seconds(f) : "—";
            string firstRatio = theirs is not null && ours.FirstSeconds is { } f2 ? Ratio(f2, theirs.MedianSeconds) : "—";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {ours.Case} | {Seconds(ours.MedianSeconds)} | {refMedian} | {ratio} | {first} | {firstRatio} | {ours.QualityText()} | {theirs?.QualityText() ?? "—"} |");
        }

        return text.ToString().TrimEnd();
    }

    private static string Seconds(double s) => s.ToString("G4", CultureInfo.InvariantCulture);

    private static string Ratio(double ours, double theirs) => (ours / theirs).ToString("F2", CultureInfo.InvariantCulture);
}
