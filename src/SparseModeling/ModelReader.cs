// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using System.Text.Json;

namespace SparseModeling;

/// <summary>What a saved double may hold.</summary>
internal enum SavedValue
{
    /// <summary>Any double, NaN and ±∞ (written as the strings "NaN", "Infinity", "-Infinity") included.</summary>
    Any,

    /// <summary>A finite double.</summary>
    Finite,

    /// <summary>A finite double ≥ 0.</summary>
    FiniteNonNegative,

    /// <summary>A double ≥ 0, +∞ included (not NaN).</summary>
    NonNegative,
}

/// <summary>
/// One JSON object of a model document, read field by field for <see cref="ModelSerializer"/>: every read checks
/// the JSON kind and the range of the value, and every defect is an <see cref="InvalidDataException"/> whose
/// message names the JSON path (<c>$.state.Coefficients[3]</c>) and what is wrong. A property name given twice is
/// rejected when the object is opened, and <see cref="EnsureAllRead"/> rejects the properties nothing asked for,
/// so a field of another estimator's state cannot pass unnoticed.
/// </summary>
/// <remarks>
/// Arrays are allocated from the lengths actually present in the document, never from a count it states, so a
/// stated count can only be compared, not trusted: the size of what is read is bounded by the document's.
/// </remarks>
internal sealed class ModelReader
{
    private readonly Dictionary<string, JsonElement> _properties;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Opens <paramref name="element"/>, which must be a JSON object without repeated property names.</summary>
    /// <param name="element">The object.</param>
    /// <param name="path">Its JSON path, for messages (<c>$</c>, <c>$.state</c>).</param>
    /// <exception cref="InvalidDataException">The element is not an object, or repeats a property name.</exception>
    public ModelReader(JsonElement element, string path)
    {
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw InvalidAt(path, $"must be a JSON object (was {Describe(element)})");
        }

        _properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException e)
            {
                throw InvalidAt(path, "has a property name that is not valid UTF-8", e);
            }

            if (!_properties.TryAdd(name, property.Value))
            {
                throw InvalidAt(Child(path, name), "appears more than once");
            }
        }
    }

    /// <summary>The JSON path of this object.</summary>
    public string Path { get; }

    /// <summary>The property names present.</summary>
    public IEnumerable<string> Names => _properties.Keys;

    /// <summary>The exception for a defect at <paramref name="path"/>: "<c>{path} {problem}.</c>".</summary>
    public static InvalidDataException InvalidAt(string path, string problem, Exception? inner = null) =>
        new($"{path} {problem}.", inner);

    /// <summary>The JSON path of a property of an object at <paramref name="path"/>.</summary>
    public static string Child(string path, string name)
    {
        bool plain = name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        return plain ? $"{path}.{name}" : $"{path}[{Quote(name)}]";
    }

    /// <summary>A short description of a JSON value for messages: <c>the string "NaN"</c>, <c>an object</c>, <c>the number 1e999</c>.</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => $"an array of length {element.GetArrayLength()}",
        JsonValueKind.String => DescribeString(element),
        JsonValueKind.Number => $"the number {Shorten(element.GetRawText())}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    /// <summary>A double as messages show it (round-trip form, invariant culture).</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The JSON path of the property <paramref name="name"/> of this object.</summary>
    public string PathOf(string name) => Child(Path, name);

    /// <summary>The exception for a defect in the property <paramref name="name"/> of this object.</summary>
    public InvalidDataException Invalid(string name, string problem) => InvalidAt(PathOf(name), problem);

    /// <summary>Whether the property is present (null counts as present).</summary>
    public bool Contains(string name) => _properties.ContainsKey(name);

    /// <summary>The value of a required property, marked as read.</summary>
    /// <exception cref="InvalidDataException">The property is missing.</exception>
    public JsonElement Element(string name)
    {
        if (!_properties.TryGetValue(name, out var element))
        {
            throw Invalid(name, "is missing");
        }

        _read.Add(name);
        return element;
    }

    /// <summary>A required string.</summary>
    public string String(string name)
    {
        var element = Element(name);
        return element.ValueKind == JsonValueKind.String ? Text(element, PathOf(name)) : throw Invalid(name, $"must be a string (was {Describe(element)})");
    }

    /// <summary>A required Boolean.</summary>
    public bool Bool(string name) => ToBool(Element(name), PathOf(name));

    /// <summary>A required integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string name, int min, int max = int.MaxValue) => ToInt(Element(name), PathOf(name), min, max);

    /// <summary>A required double that obeys <paramref name="rule"/>.</summary>
    public double Double(string name, SavedValue rule) => ToDouble(Element(name), PathOf(name), rule);

    /// <summary>A required array of doubles, each obeying <paramref name="rule"/>.</summary>
    public double[] Doubles(string name, SavedValue rule) => ToDoubles(Element(name), PathOf(name), rule);

    /// <summary>A required property holding null or an array of doubles, each obeying <paramref name="rule"/>.</summary>
    public double[]? DoublesOrNull(string name, SavedValue rule)
    {
        var element = Element(name);
        return element.ValueKind == JsonValueKind.Null ? null : ToDoubles(element, PathOf(name), rule);
    }

    /// <summary>A required array of distinct integers in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int[] DistinctInts(string name, int min, int max)
    {
        var element = Element(name);
        string path = PathOf(name);
        RequireArray(element, path, "integers");
        var values = new int[element.GetArrayLength()];
        var seen = new HashSet<int>();
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            values[i] = ToInt(item, $"{path}[{i}]", min, max);
            if (!seen.Add(values[i]))
            {
                throw InvalidAt($"{path}[{i}]", $"repeats {values[i]}, which appears earlier in the array");
            }

            i++;
        }

        return values;
    }

    /// <summary>Requires an array read from <paramref name="name"/> to have <paramref name="expected"/> entries, <paramref name="rule"/> saying why.</summary>
    public void Length(string name, int length, long expected, string rule)
    {
        if (length != expected)
        {
            throw Invalid(name, $"has {length} entries but must have {rule}");
        }
    }

    /// <summary>Requires an array read from <paramref name="name"/> to have at least one entry.</summary>
    public void NotEmpty(string name, int length)
    {
        if (length == 0)
        {
            throw Invalid(name, "is empty but must have at least one entry");
        }
    }

    /// <summary>Rejects every property that nothing has read: it belongs to no field of <paramref name="owner"/>.</summary>
    public void EnsureAllRead(string owner)
    {
        foreach (string name in _properties.Keys)
        {
            if (!_read.Contains(name))
            {
                throw Invalid(name, $"is not a field of {owner}");
            }
        }
    }

    /// <summary>A JSON Boolean.</summary>
    public static bool ToBool(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw InvalidAt(path, $"must be true or false (was {Describe(element)})"),
    };

    /// <summary>A JSON number that is an integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int ToInt(JsonElement element, string path, int min, int max)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int value) && value >= min && value <= max)
        {
            return value;
        }

        string range = min == int.MinValue && max == int.MaxValue ? string.Empty : max == int.MaxValue ? $" ≥ {min}" : $" in [{min}, {max}]";
        throw InvalidAt(path, $"must be an integer{range} (was {Describe(element)})");
    }

    /// <summary>
    /// A double: a JSON number that a double holds finitely, or, where <paramref name="rule"/> allows non-finite values,
    /// the string "NaN", "Infinity" or "-Infinity" (the form <see cref="ModelWriter"/> writes them in).
    /// </summary>
    public static double ToDouble(JsonElement element, string path, SavedValue rule)
    {
        double value;
        if (element.ValueKind == JsonValueKind.Number)
        {
            if (!element.TryGetDouble(out value) || !double.IsFinite(value))
            {
                throw InvalidAt(path, $"is {Describe(element)}, which is outside the range of a double");
            }
        }
        else if (element.ValueKind == JsonValueKind.String && rule is SavedValue.Any or SavedValue.NonNegative && NamedLiteral(element, out value))
        {
        }
        else
        {
            throw InvalidAt(path, $"must be {Expected(rule)} (was {Describe(element)})");
        }

        bool valid = rule switch
        {
            SavedValue.FiniteNonNegative => value >= 0.0,
            SavedValue.NonNegative => value >= 0.0,
            _ => true,
        };
        return valid ? value : throw InvalidAt(path, $"must be {Expected(rule)} (was {Describe(element)})");
    }

    /// <summary>A JSON array of doubles, each obeying <paramref name="rule"/>.</summary>
    public static double[] ToDoubles(JsonElement element, string path, SavedValue rule)
    {
        RequireArray(element, path, "numbers");
        var values = new double[element.GetArrayLength()];
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            values[i] = ToDouble(item, $"{path}[{i}]", rule);
            i++;
        }

        return values;
    }

    /// <summary>The text of a JSON string (or a property name), which must be valid UTF-8.</summary>
    public static string Text(JsonElement element, string path)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw InvalidAt(path, "holds a string that is not valid UTF-8", e);
        }
    }

    private static void RequireArray(JsonElement element, string path, string of)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw InvalidAt(path, $"must be an array of {of} (was {Describe(element)})");
        }
    }

    private static bool NamedLiteral(JsonElement element, out double value)
    {
        value = element.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => 0.0,
        };
        return value != 0.0;
    }

    private static string Expected(SavedValue rule) => rule switch
    {
        SavedValue.Finite => "a finite number",
        SavedValue.FiniteNonNegative => "a finite number ≥ 0",
        SavedValue.NonNegative => "a number ≥ 0 or \"Infinity\"",
        _ => "a number, \"NaN\", \"Infinity\" or \"-Infinity\"",
    };

    private static string DescribeString(JsonElement element)
    {
        try
        {
            return $"the string {Quote(element.GetString()!)}";
        }
        catch (InvalidOperationException)
        {
            return "a string that is not valid UTF-8";
        }
    }

    private static string Quote(string text) => $"\"{Shorten(text)}\"";

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
