// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SparseModeling;

/// <summary>
/// Saves and loads estimators as versioned JSON. Every double — parameters and fitted values —
/// round-trips bit for bit (System.Text.Json writes the shortest representation that parses back to
/// the same double; NaN and ±∞ are written as named literals).
/// </summary>
/// <remarks>
/// The document holds the format name and version, the estimator's type, its parameters (public
/// read-write properties of numeric, Boolean, string or enum type; callbacks are not saved) and its
/// fitted state. A model saved before <c>Fit</c> loads unfitted. Saving and loading use reflection: they do
/// not work in a NativeAOT application, and a trimmed one must keep the SparseModeling assembly whole (the
/// analysers say so at the call site); the rest of the library is trimming- and NativeAOT-safe.
/// </remarks>
public static class ModelSerializer
{
    /// <summary>The format name written into every document.</summary>
    public const string FormatName = "SparseModeling.Model";

    /// <summary>
    /// The format version this library writes and reads. Version 2: the fitted states of one estimator base
    /// (LARS models store their path beside the coefficients, <c>LassoAdmm</c> stores one row per target).
    /// </summary>
    public const int FormatVersion = 2;

    /// <summary>Why saving and loading are not trimming- or NativeAOT-safe, for the analysers' warnings at call sites.</summary>
    private const string ReflectionNote =
        "ModelSerializer reads and writes an estimator's public properties and fitted-state record by reflection (System.Text.Json without source generation): " +
        "it does not work in a NativeAOT application, and in a trimmed one needs the SparseModeling assembly kept whole (<TrimmerRootAssembly Include=\"SparseModeling\" />).";

    private static JsonSerializerOptions? _options;

    private static JsonSerializerOptions Options
    {
        [RequiresUnreferencedCode(ReflectionNote)]
        [RequiresDynamicCode(ReflectionNote)]
        get => _options ??= new JsonSerializerOptions
        {
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Converters = { new JsonStringEnumConverter() },
            WriteIndented = false,
        };
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> as JSON.</summary>
    /// <param name="model">An estimator of this library, fitted or not.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="model"/> is not an estimator this library can save, or the stream is not writable.</exception>
    [RequiresUnreferencedCode(ReflectionNote)]
    [RequiresDynamicCode(ReflectionNote)]
    public static void Save(object model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        if (model is not IPersistable persistable)
        {
            throw new ArgumentException($"{model.GetType().FullName} is not an estimator that ModelSerializer can save.", nameof(model));
        }

        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        var parameters = new JsonObject();
        foreach (var property in ParameterProperties(model.GetType()))
        {
            parameters[property.Name] = JsonSerializer.SerializeToNode(property.GetValue(model), property.PropertyType, Options);
        }

        var state = persistable.GetState();
        var document = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
            ["type"] = model.GetType().FullName,
            ["parameters"] = parameters,
            ["state"] = state is null ? null : JsonSerializer.SerializeToNode(state, persistable.StateType, Options),
        };
        using var writer = new Utf8JsonWriter(stream);
        document.WriteTo(writer, Options);
    }

    /// <summary>Reads an estimator written by <see cref="Save"/>.</summary>
    /// <typeparam name="T">The estimator type expected (or a base type or interface of it).</typeparam>
    /// <param name="stream">A readable stream positioned at the document.</param>
    /// <returns>A new estimator with the saved parameters and fitted state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="InvalidDataException">The stream does not hold a model of this format, version or of type <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode(ReflectionNote)]
    [RequiresDynamicCode(ReflectionNote)]
    public static T Load<T>(Stream stream)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The stream does not hold a JSON document.", e);
        }

        if (root is not JsonObject document || (string?)document["format"] != FormatName)
        {
            throw new InvalidDataException($"The stream does not hold a {FormatName} document.");
        }

        int version = (int?)document["version"] ?? -1;
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Model format version {version} is not supported (this library reads version {FormatVersion}).");
        }

        string typeName = (string?)document["type"] ?? string.Empty;
        var type = typeof(ModelSerializer).Assembly.GetType(typeName, throwOnError: false);
        if (type is null || !typeof(IPersistable).IsAssignableFrom(type))
        {
            throw new InvalidDataException($"'{typeName}' is not an estimator type of this library.");
        }

        if (!typeof(T).IsAssignableFrom(type))
        {
            throw new InvalidDataException($"The stream holds a {type.FullName}, which is not a {typeof(T).FullName}.");
        }

        var model = (IPersistable)Activator.CreateInstance(type)!;
        if (document["parameters"] is JsonObject parameters)
        {
            foreach (var property in ParameterProperties(type))
            {
                if (parameters.TryGetPropertyValue(property.Name, out var node))
                {
                    property.SetValue(model, node is null ? null : node.Deserialize(property.PropertyType, Options));
                }
            }
        }

        if (document["state"] is JsonNode stateNode)
        {
            var state = stateNode.Deserialize(model.StateType, Options)
                ?? throw new InvalidDataException("The saved state is empty.");
            model.SetState(state);
        }

        return (T)model;
    }

    [RequiresUnreferencedCode(ReflectionNote)]
    private static IEnumerable<PropertyInfo> ParameterProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.GetSetMethod() is not null && p.GetIndexParameters().Length == 0 && IsPlainData(p.PropertyType))
            .OrderBy(p => p.Name, StringComparer.Ordinal);

    private static bool IsPlainData(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(double[]);
    }
}
