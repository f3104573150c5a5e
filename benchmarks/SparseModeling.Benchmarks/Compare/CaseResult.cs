// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// One JSON line of the compare mode: <c>{"case", "impl", "median_s", "min_s", "first_s", "quality"}</c>, as
/// <c>reference_bench.py</c> prints it (which has no <c>first_s</c>): <c>first_s</c> is the first fit in a fresh
/// process, JIT compilation included, where <c>median_s</c> is the median of the timed fits after it.
/// </summary>
internal sealed record CaseResult(string Case, string Implementation, double MedianSeconds, double MinSeconds, double? FirstSeconds, JsonObject Quality)
{
    // NaN and ±∞ are written as Python's json module writes them, rather than failing the run.
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string ToJsonLine()
    {
        var line = new JsonObject
        {
            ["case"] = Case,
            ["impl"] = Implementation,
            ["median_s"] = MedianSeconds,
            ["min_s"] = MinSeconds,
        };
        if (FirstSeconds is { } first)
        {
            line["first_s"] = first;
        }

        line["quality"] = Quality.DeepClone();
        return line.ToJsonString(Options);
    }

    /// <summary>The result in the last JSON line of a program's output (ours or a reference script's), or null when it printed none.</summary>
    public static CaseResult? ParseLast(string output)
    {
        string? line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        return line is null ? null : Parse(line);
    }

    /// <summary>Reads a line printed by <c>reference_bench.py</c> (Python's json accepts NaN and Infinity).</summary>
    public static CaseResult Parse(string line)
    {
        var node = JsonNode.Parse(line) as JsonObject ?? throw new FormatException($"Not a JSON object: {line}");
        return new CaseResult(
            node["case"]?.GetValue<string>() ?? throw new FormatException($"No \"case\" in: {line}"),
            node["impl"]?.GetValue<string>() ?? string.Empty,
            ReadNumber(node["median_s"], line),
            ReadNumber(node["min_s"], line),
            node["first_s"]?.GetValue<double>(),
            node["quality"] as JsonObject ?? []);
    }

    /// <summary>The quality figures as <c>key=value, ...</c> for the table (non-integers to 6 significant digits; the JSON lines keep them whole).</summary>
    public string QualityText() =>
        Quality.Count == 0 ? "—" : string.Join(", ", Quality.Select(kv => $"{kv.Key}={Short(kv.Value)}"));

    private static string Short(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out double d) && d != Math.Floor(d)
            ? d.ToString("G6", CultureInfo.InvariantCulture)
            : value?.ToJsonString(Options) ?? "null";

    private static double ReadNumber(JsonNode? node, string line) =>
        node?.GetValue<double>() ?? throw new FormatException($"Missing timing in: {line}");
}
