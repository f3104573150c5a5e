// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>Runs <c>reference_bench.py</c> (scikit-learn, scikit-image) for one case and reads its JSON line.</summary>
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

    public string Script => _script;

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
    /// Runs the script for <paramref name="caseName"/> and returns its result, or throws with the script's error output;
    /// with <paramref name="openBlasCoreType"/>, OpenBLAS is held to that kernel (<c>--keep-coretype</c>).
    /// </summary>
    public CaseResult Run(string caseName, int repeat, string? openBlasCoreType = null)
    {
        var start = new ProcessStartInfo(_python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(_script);
        start.ArgumentList.Add(caseName);
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
            throw new InvalidOperationException($"{_python} {_script} {caseName} exited with {process.ExitCode}:{Environment.NewLine}{errors.TrimEnd()}");
        }

        string? line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        return line is null
            ? throw new InvalidOperationException($"{_script} {caseName} printed no JSON line:{Environment.NewLine}{output}{errors}")
            : CaseResult.Parse(line);
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
