// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// Runs the reference side (scikit-learn, scikit-image) of one case and reads its JSON line: the shared
/// <c>reference_bench.py</c>, or for the sweeps it lacks this project's <c>Reference/sweep_bench.py</c>
/// (copied beside the program; it imports the shared script's generator, whose path it is given).
/// </summary>
internal sealed class ReferenceRunner
{
    public const string DefaultPython = "/usr/bin/python3";
    private const string ScriptName = "reference_bench.py";

    private readonly string _python;
    private readonly string _script;

    private ReferenceRunner(string python, string script)
    {
        _python = python;
        _script = script;
    }

    /// <summary>The shared script.</summary>
    public string Script => _script;

    /// <summary>This project's sweep script, beside the program.</summary>
    public static string SweepScript => Path.Combine(AppContext.BaseDirectory, "Reference", "sweep_bench.py");

    /// <summary>The script that times <paramref name="source"/>'s cases.</summary>
    public string ScriptFor(ReferenceSource source) => source == ReferenceSource.Sweep ? SweepScript : _script;

    /// <summary>
    /// Finds the interpreter and the script: <paramref name="scriptPath"/> when given, otherwise
    /// <c>../shared/tools/reference_bench.py</c> looked for upwards from the current directory.
    /// Returns null and an explanation when either is missing.
    /// </summary>
    public static ReferenceRunner? Locate(string python, string? scriptPath, out string error)
    {
        error = string.Empty;
        if (!File.Exists(python))
        {
            error = $"The reference side needs {python} (with numpy and scikit-learn: apt-get install -y python3-sklearn python3-skimage), and it does not exist.";
            return null;
        }

        string? script = scriptPath is null ? FindScript(Directory.GetCurrentDirectory()) : Path.GetFullPath(scriptPath);
        if (script is null || !File.Exists(script))
        {
            error = scriptPath is null
                ? $"Could not find ../shared/tools/{ScriptName} in {Directory.GetCurrentDirectory()} or any directory above it; pass --reference-script PATH."
                : $"The reference script {script} does not exist.";
            return null;
        }

        return new ReferenceRunner(python, script);
    }

    /// <summary>
    /// Runs the script of <paramref name="source"/> for <paramref name="caseName"/> and returns its result, or throws
    /// with the script's error output; with <paramref name="openBlasCoreType"/>, OpenBLAS is held to that kernel
    /// (<c>--keep-coretype</c>).
    /// </summary>
    public CaseResult Run(string caseName, int repeat, ReferenceSource source, string? openBlasCoreType = null)
    {
        string script = ScriptFor(source);
        var start = new ProcessStartInfo(_python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(caseName);
        if (source == ReferenceSource.Sweep)
        {
            start.ArgumentList.Add("--shared");
            start.ArgumentList.Add(_script);
        }

        start.ArgumentList.Add("--repeat");
        start.ArgumentList.Add(repeat.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (openBlasCoreType is not null)
        {
            start.ArgumentList.Add("--keep-coretype");
            start.Environment["OPENBLAS_CORETYPE"] = openBlasCoreType;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_python}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        string output = stdout.GetAwaiter().GetResult();
        string errors = stderr.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{_python} {script} {caseName} exited with {process.ExitCode}:{Environment.NewLine}{errors.TrimEnd()}");
        }

        return CaseResult.ParseLast(output)
            ?? throw new InvalidOperationException($"{script} {caseName} printed no JSON line:{Environment.NewLine}{output}{errors}");
    }

    private static string? FindScript(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in new[] { Path.Combine(dir.FullName, "..", "shared", "tools", ScriptName), Path.Combine(dir.FullName, "shared", "tools", ScriptName) })
            {
                if (File.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        return null;
    }
}
