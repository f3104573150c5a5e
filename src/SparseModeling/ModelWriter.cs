// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json;

namespace SparseModeling;

/// <summary>
/// Writes the properties of one JSON object of a model document for <see cref="ModelSerializer"/>: numbers in the
/// shortest form that parses back to the same double (<see cref="Utf8JsonWriter"/>'s), NaN and ±∞ as the strings
/// "NaN", "Infinity" and "-Infinity" — the form <see cref="ModelReader"/> reads back bit for bit.
/// </summary>
internal sealed class ModelWriter
{
    private readonly Utf8JsonWriter _writer;

    /// <summary>Writes through <paramref name="writer"/>, positioned inside an object.</summary>
    public ModelWriter(Utf8JsonWriter writer)
    {
        _writer = writer;
    }

    /// <summary>Writes a Boolean property.</summary>
    public void Bool(string name, bool value) => _writer.WriteBoolean(name, value);

    /// <summary>Writes an integer property.</summary>
    public void Int(string name, int value) => _writer.WriteNumber(name, value);

    /// <summary>Writes a double property.</summary>
    public void Double(string name, double value)
    {
        _writer.WritePropertyName(name);
        DoubleValue(value);
    }

    /// <summary>Writes an array of doubles, or null.</summary>
    public void Doubles(string name, double[]? values)
    {
        _writer.WritePropertyName(name);
        DoublesValue(values);
    }

    /// <summary>Writes an array of integers.</summary>
    public void Ints(string name, int[] values)
    {
        _writer.WriteStartArray(name);
        foreach (int value in values)
        {
            _writer.WriteNumberValue(value);
        }

        _writer.WriteEndArray();
    }

    /// <summary>Writes a string property.</summary>
    public void String(string name, string value) => _writer.WriteString(name, value);

    /// <summary>Starts an array property; objects written into it with <see cref="BeginObject()"/>.</summary>
    public void BeginArray(string name) => _writer.WriteStartArray(name);

    /// <summary>Ends the array started by <see cref="BeginArray"/>.</summary>
    public void EndArray() => _writer.WriteEndArray();

    /// <summary>Starts an object inside an array.</summary>
    public void BeginObject() => _writer.WriteStartObject();

    /// <summary>Ends the object started by <see cref="BeginObject()"/>.</summary>
    public void EndObject() => _writer.WriteEndObject();

    /// <summary>Writes a property whose value is a complete JSON document (a nested model written by <see cref="ModelSerializer"/>).</summary>
    public void Raw(string name, ReadOnlySpan<byte> json)
    {
        _writer.WritePropertyName(name);
        _writer.WriteRawValue(json, skipInputValidation: true);
    }

    /// <summary>Writes a parameter: null, a Boolean, an integer, a double, a string, an enum (by name) or an array of doubles.</summary>
    public void Parameter(string name, object? value)
    {
        _writer.WritePropertyName(name);
        switch (value)
        {
            case null:
                _writer.WriteNullValue();
                break;
            case bool b:
                _writer.WriteBooleanValue(b);
                break;
            case int i:
                _writer.WriteNumberValue(i);
                break;
            case double d:
                DoubleValue(d);
                break;
            case string s:
                _writer.WriteStringValue(s);
                break;
            case Enum e:
                _writer.WriteStringValue(e.ToString());
                break;
            case double[] array:
                DoublesValue(array);
                break;
            default:
                throw new ArgumentException($"Parameter {name} is a {value.GetType().Name}, which ModelSerializer does not write.", nameof(value));
        }
    }

    private void DoubleValue(double value)
    {
        if (double.IsFinite(value))
        {
            _writer.WriteNumberValue(value);
        }
        else
        {
            _writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0.0 ? "Infinity" : "-Infinity");
        }
    }

    private void DoublesValue(double[]? values)
    {
        if (values is null)
        {
            _writer.WriteNullValue();
            return;
        }

        _writer.WriteStartArray();
        foreach (double value in values)
        {
            DoubleValue(value);
        }

        _writer.WriteEndArray();
    }
}
