// SPDX-License-Identifier: BSD-3-Clause
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using SparseModeling.Decomposition;
using SparseModeling.Imaging;
using SparseModeling.LinearModel;
using SparseModeling.Manifold;
using SparseModeling.ModelSelection;
using SparseModeling.Preprocessing;

namespace SparseModeling;

/// <summary>
/// Saves and loads estimators as versioned JSON. Every double — parameters and fitted values —
/// round-trips bit for bit (written in the shortest form that parses back to the same double; NaN and ±∞
/// as the strings "NaN", "Infinity" and "-Infinity").
/// </summary>
/// <remarks>
/// <para>
/// The document holds the format name and version, the estimator's type, its parameters (public read-write
/// properties of Boolean, integer, double, string, enum or double-array type, nullable or not; callbacks and
/// start matrices are not saved) and its fitted state. A model saved before <c>Fit</c> loads unfitted. A parameter
/// missing from the document keeps its default. Saving and loading use no run-time code generation and read
/// the parameters of the library's own estimator types only: they work in trimmed and NativeAOT applications.
/// </para>
/// <para>
/// <b>Loading treats the document as untrusted input.</b> <see cref="Load{T}(Stream)"/> either returns a
/// complete, working model or throws <see cref="InvalidDataException"/>, whose message names the JSON path of the
/// defect and what is wrong (<c>$.state.Coefficients[3] must be a finite number (was the string "NaN").</c>,
/// <c>$.parameters.Alpha must be finite and ≥ 0 (was -1).</c>, <c>$.type …</c>); no other exception escapes for
/// any content of the stream, and no partly built model is ever returned. Everything is checked before the model
/// is built: the JSON syntax; the kind of every value; the format name and version; the type (a concrete
/// estimator of this library, assignable to <c>T</c>); every parameter, set through its property and then
/// checked by the estimator's own parameter rules (those that do not depend on the data, which <c>Fit</c> applies
/// too); and the whole fitted state — array lengths consistent with the counts and shapes it states, every
/// coefficient, intercept and component finite, counts and ranges as a fit produces them, and the cross-checks
/// the estimator relies on. Property names repeated in one object, and properties that belong to no field (such as
/// the state of another estimator under a swapped type name), are defects too.
/// </para>
/// <para>
/// Size limits: a document longer than <see cref="DefaultMaxDocumentLength"/> bytes (or the limit given to
/// <see cref="Load{T}(Stream, int)"/>) is refused after reading at most one byte past the limit, and JSON nested
/// deeper than <see cref="MaxDepth"/> levels is refused while parsing. Arrays are allocated from the entries
/// present in the document, never from a count it states, so memory stays within a small multiple of the limit.
/// </para>
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

    /// <summary>The longest document <see cref="Load{T}(Stream)"/> reads: 256 MiB (about 13 million saved doubles).</summary>
    public const int DefaultMaxDocumentLength = 256 * 1024 * 1024;

    /// <summary>The deepest JSON nesting <see cref="Load{T}(Stream)"/> accepts (a model document nests 3 levels).</summary>
    public const int MaxDepth = 16;

    private const BindingFlags PublicInstance = BindingFlags.Public | BindingFlags.Instance;

    /// <summary>The estimators this library saves and loads, by full type name: no type is looked up by name at run time.</summary>
    private static readonly FrozenDictionary<string, Persistable> Estimators = new[]
    {
        Entry<ElasticNet>(),
        Entry<ElasticNetCV>(),
        Entry<FusedLassoAdmm>(),
        Entry<GeneralizedLassoAdmm>(),
        Entry<Lars>(),
        Entry<Lasso>(),
        Entry<HMLasso>(),
        Entry<LassoAdmm>(),
        Entry<LassoCV>(),
        Entry<LassoIsta>(),
        Entry<LassoLars>(),
        Entry<LassoLarsCV>(),
        Entry<LassoLarsIC>(),
        Entry<LassoPrimalDual>(),
        Entry<OrthogonalMatchingPursuit>(),
        Entry<QuadraticTrendFilteringAdmm>(),
        Entry<TrendFilteringAdmm>(),
        Entry<DictionaryLearning>(),
        Entry<MiniBatchDictionaryLearning>(),
        Entry<MiniBatchNmf>(),
        Entry<SparseCoder>(),
        Entry<Ksvd>(),
        Entry<StandardScaler>(),
        Entry<MinMaxScaler>(),
        Entry<WhiteningScaler>(),
        Entry<Nmf>(),
        Entry<OnlineRobustPca>(),
        Entry<RobustPca>(),
        Entry<SparseSuperResolution>(),
        Entry<TSne>(),
        Entry<Pipeline>(),
        Entry<TransformerPipeline>(),
    }.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> as JSON.</summary>
    /// <param name="model">An estimator of this library, fitted or not.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="model"/> is not an estimator this library can save, or the stream is not writable; or a parameter
    /// of <paramref name="model"/> is invalid (<see cref="ArgumentOutOfRangeException"/> when out of range), as its
    /// <c>Fit</c> would report: a model that <see cref="Load{T}(Stream)"/> would refuse is not written.
    /// </exception>
    public static void Save(object model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        if (model is not IPersistable persistable || !Estimators.TryGetValue(model.GetType().FullName ?? string.Empty, out var entry))
        {
            throw new ArgumentException($"{model.GetType().FullName} is not an estimator that ModelSerializer can save.", nameof(model));
        }

        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        persistable.ValidateParameters();
        var state = persistable.GetState();
        using var json = new Utf8JsonWriter(stream);
        var writer = new ModelWriter(json);
        json.WriteStartObject();
        json.WriteString("format", FormatName);
        json.WriteNumber("version", FormatVersion);
        json.WriteString("type", entry.Name);
        json.WriteStartObject("parameters");
        foreach (var property in entry.Parameters)
        {
            writer.Parameter(property.Name, property.GetValue(model));
        }

        json.WriteEndObject();
        if (state is null)
        {
            json.WriteNull("state");
        }
        else
        {
            json.WriteStartObject("state");
            state.Write(writer);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="stream"/> as JSON, as <see cref="Save(object, Stream)"/>; the
    /// type parameter lets the compiler check that the model is an estimator of this library (every estimator derives
    /// from <see cref="Estimator"/> and can be saved).
    /// </summary>
    /// <typeparam name="T">The estimator's type.</typeparam>
    /// <param name="model">The estimator, fitted or not.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable, or a parameter of <paramref name="model"/> is invalid (<see cref="ArgumentOutOfRangeException"/> when out of range), as its <c>Fit</c> would report.</exception>
    public static void Save<T>(T model, Stream stream)
        where T : Estimator => Save((object)model, stream);

    /// <summary>
    /// Writes <paramref name="model"/> as JSON to the file <paramref name="path"/>, replacing it if it exists. The document
    /// is written to a temporary file in the same folder first and moved over <paramref name="path"/> once complete, so a
    /// failed save leaves an existing file as it was.
    /// </summary>
    /// <typeparam name="T">The estimator's type (the compiler checks that it is an estimator of this library).</typeparam>
    /// <param name="model">The estimator, fitted or not.</param>
    /// <param name="path">The file to write (relative paths are resolved against the current directory); its folder must exist.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space, or names a folder; or a parameter of <paramref name="model"/> is invalid, as its <c>Fit</c> would report.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException">Writing the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its folder may not be written.</exception>
    public static void Save<T>(T model, string path)
        where T : Estimator
    {
        ArgumentNullException.ThrowIfNull(model);
        string full = FullPath(path);
        if (Directory.Exists(full))
        {
            throw new ArgumentException($"The path \"{path}\" is a folder, not a file.", nameof(path));
        }

        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"The path \"{path}\" has no folder.", nameof(path));
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot save the model to \"{path}\": the folder \"{folder}\" does not exist.");
        }

        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Save((object)model, stream);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Reads an estimator written by <see cref="Save{T}(T, string)"/> (or any <c>Save</c>) from the file
    /// <paramref name="path"/>, treating its content as untrusted input, as <see cref="Load{T}(Stream)"/> does (at most
    /// <see cref="DefaultMaxDocumentLength"/> bytes).
    /// </summary>
    /// <typeparam name="T">The estimator type expected (or a base type or interface of it).</typeparam>
    /// <param name="path">The file to read (relative paths are resolved against the current directory).</param>
    /// <returns>A new estimator with the saved parameters and fitted state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">Its folder does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file does not hold a valid model of this format and version, of type <typeparamref name="T"/>, within the
    /// size limit; the message names the JSON path of the first defect found and what is wrong.
    /// </exception>
    /// <exception cref="IOException">Reading the file failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static T Load<T>(string path)
        where T : class
    {
        string full = FullPath(path);
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load<T>(stream, DefaultMaxDocumentLength);
    }

    /// <summary>
    /// Reads an estimator written by <see cref="Save(object, Stream)"/>, treating the stream as untrusted input: it returns
    /// a complete, working model or throws <see cref="InvalidDataException"/> naming the JSON path of the defect (JSON
    /// syntax, format and version, type, every parameter against the estimator's own rules, the whole fitted state).
    /// </summary>
    /// <typeparam name="T">The estimator type expected (or a base type or interface of it).</typeparam>
    /// <param name="stream">A readable stream positioned at the document; read to its end (at most <see cref="DefaultMaxDocumentLength"/> bytes and one more) and left open.</param>
    /// <returns>A new estimator with the saved parameters and fitted state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable.</exception>
    /// <exception cref="InvalidDataException">
    /// The stream does not hold a valid model of this format and version, of type <typeparamref name="T"/>, within
    /// the size limits; the message names the JSON path of the first defect found and what is wrong.
    /// </exception>
    /// <exception cref="IOException">Reading the stream failed.</exception>
    public static T Load<T>(Stream stream)
        where T : class => Load<T>(stream, DefaultMaxDocumentLength);

    /// <summary>Reads an estimator written by <see cref="Save(object, Stream)"/> from a document of up to <paramref name="maxDocumentLength"/> bytes, as <see cref="Load{T}(Stream)"/>.</summary>
    /// <typeparam name="T">The estimator type expected (or a base type or interface of it).</typeparam>
    /// <param name="stream">A readable stream positioned at the document; read to its end (at most <paramref name="maxDocumentLength"/> bytes and one more) and left open.</param>
    /// <param name="maxDocumentLength">The longest document accepted, in bytes, ≥ 1: a bound on the memory that loading may take (a small multiple of it).</param>
    /// <returns>A new estimator with the saved parameters and fitted state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDocumentLength"/> is below 1.</exception>
    /// <exception cref="InvalidDataException">As <see cref="Load{T}(Stream)"/>.</exception>
    /// <exception cref="IOException">Reading the stream failed.</exception>
    public static T Load<T>(Stream stream, int maxDocumentLength)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        Guard.AtLeast(maxDocumentLength, 1, nameof(maxDocumentLength));
        var bytes = ReadDocument(stream, maxDocumentLength);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw ModelReader.InvalidAt("$", $"is not a valid JSON document of at most {MaxDepth} levels: {e.Message}", e);
        }

        using (document)
        {
            return Read<T>(document.RootElement);
        }
    }

    private static T Read<T>(JsonElement element)
        where T : class
    {
        var root = new ModelReader(element, "$");
        if (!root.Contains("format") || root.Element("format") is not { ValueKind: JsonValueKind.String } format || ModelReader.Text(format, "$.format") != FormatName)
        {
            throw root.Invalid("format", $"must be \"{FormatName}\": the stream does not hold a {FormatName} document");
        }

        int version = root.Int("version", int.MinValue, int.MaxValue);
        if (version != FormatVersion)
        {
            throw root.Invalid("version", $"is {version}, which this library does not read (it reads version {FormatVersion})");
        }

        string typeName = root.String("type");
        if (!Estimators.TryGetValue(typeName, out var entry))
        {
            throw root.Invalid("type", $"must name an estimator this library can load (was \"{typeName}\")");
        }

        if (!typeof(T).IsAssignableFrom(entry.Type))
        {
            throw root.Invalid("type", $"is {entry.Name}, which is not a {typeof(T).FullName}");
        }

        var model = entry.Create();
        SetParameters(model, entry, new ModelReader(root.Element("parameters"), root.PathOf("parameters")));
        var stateElement = root.Element("state");
        EstimatorState? state = null;
        if (stateElement.ValueKind != JsonValueKind.Null)
        {
            var reader = new ModelReader(stateElement, root.PathOf("state"));
            state = model.ReadState(reader);
            reader.EnsureAllRead($"the saved state of a {entry.Name}");
        }

        root.EnsureAllRead($"a {FormatName} document");
        if (state is not null)
        {
            model.SetState(state);
        }

        return (T)(object)model;
    }

    /// <summary>Sets every parameter present through its property, then checks them all as <c>Fit</c> would.</summary>
    private static void SetParameters(IPersistable model, Persistable entry, ModelReader parameters)
    {
        foreach (string name in parameters.Names)
        {
            var property = entry.Parameters.FirstOrDefault(p => p.Name == name)
                ?? throw parameters.Invalid(name, $"is not a parameter of {entry.Name}");
            object? value = ReadParameter(parameters.Element(name), parameters.PathOf(name), property.PropertyType);
            try
            {
                property.SetValue(model, value, BindingFlags.DoNotWrapExceptions, binder: null, index: null, culture: null);
            }
            catch (ArgumentException e)
            {
                throw ModelReader.InvalidAt(parameters.PathOf(name), $"is refused by {entry.Name}.{name}: {Reason(e)}", e);
            }
        }

        try
        {
            model.ValidateParameters();
        }
        catch (ArgumentException e)
        {
            string path = e.ParamName is { } named && entry.Parameters.Any(p => p.Name == named) ? parameters.PathOf(named) : parameters.Path;
            throw ModelReader.InvalidAt(path, $"is invalid: {Reason(e)}", e);
        }
    }

    /// <summary>A parameter value of <paramref name="type"/> (one of the types <see cref="IsSaved"/> accepts), or throws naming <paramref name="path"/>.</summary>
    private static object? ReadParameter(JsonElement element, string path, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (element.ValueKind == JsonValueKind.Null)
        {
            return underlying is not null || !type.IsValueType ? null : throw ModelReader.InvalidAt(path, $"must be {KindOf(type)} (was null)");
        }

        var t = underlying ?? type;
        if (t == typeof(bool))
        {
            return ModelReader.ToBool(element, path);
        }

        if (t == typeof(int))
        {
            return ModelReader.ToInt(element, path, int.MinValue, int.MaxValue);
        }

        if (t == typeof(double))
        {
            return ModelReader.ToDouble(element, path, SavedValue.Any);
        }

        if (t == typeof(double[]))
        {
            // Every array parameter (LassoCV's α grid, LassoPrimalDual's filter) needs finite entries: a defect is named at its index.
            return ModelReader.ToDoubles(element, path, SavedValue.Finite);
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            throw ModelReader.InvalidAt(path, $"must be {KindOf(type)} (was {ModelReader.Describe(element)})");
        }

        string text = ModelReader.Text(element, path);
        if (t == typeof(string))
        {
            return text;
        }

        var names = Enum.GetNames(t);
        return names.Contains(text, StringComparer.Ordinal)
            ? Enum.Parse(t, text)
            : throw ModelReader.InvalidAt(path, $"must be one of {string.Join(", ", names)} (was {ModelReader.Describe(element)})");
    }

    private static string KindOf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(bool) ? "true or false"
            : t == typeof(int) ? "an integer"
            : t == typeof(double) ? "a number"
            : t == typeof(double[]) ? "an array of numbers"
            : t.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(t))}"
            : "a string";
    }

    /// <summary>The message of an <see cref="ArgumentException"/> without the "(Parameter …)" and "Actual value was …" that .NET appends.</summary>
    private static string Reason(ArgumentException e)
    {
        string message = e.Message;
        int cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).TrimEnd('.');
    }

    /// <summary>The full form of a file path argument, or throws naming <paramref name="path"/>.</summary>
    private static string FullPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("The path is empty.", nameof(path));
        }

        return Path.GetFullPath(path);
    }

    /// <summary>Reads the stream to its end into memory, refusing more than <paramref name="maxLength"/> bytes; skips a UTF-8 byte order mark.</summary>
    private static ReadOnlyMemory<byte> ReadDocument(Stream stream, int maxLength)
    {
        int capacity = 64 * 1024;
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining > maxLength)
            {
                throw TooLong(maxLength);
            }

            capacity = (int)Math.Max(remaining, 0) + 1;
        }

        var buffer = new byte[Math.Min(capacity, maxLength + 1)];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxLength)
                {
                    throw TooLong(maxLength);
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, (long)maxLength + 1));
            }

            int read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        if (length > maxLength)
        {
            throw TooLong(maxLength);
        }

        int start = length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
        return buffer.AsMemory(start, length - start);
    }

    private static InvalidDataException TooLong(int maxLength) =>
        ModelReader.InvalidAt("$", $"is longer than the limit of {maxLength} bytes (pass a larger limit to {nameof(ModelSerializer)}.{nameof(Load)}(stream, maxDocumentLength) to read it)");

    private static Persistable Entry<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>()
        where T : Estimator, new()
    {
        var parameters = typeof(T).GetProperties(PublicInstance)
            .Where(p => p.CanRead && p.CanWrite && p.GetSetMethod() is not null && p.GetIndexParameters().Length == 0 && IsSaved(p.PropertyType) && p.Name != nameof(Estimator.MaxDegreeOfParallelism))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToArray();
        return new Persistable(typeof(T).FullName!, typeof(T), static () => new T(), parameters);
    }

    /// <summary>Whether a property type is saved as a parameter: Boolean, integer, double, string, enum or double array, nullable or not.</summary>
    private static bool IsSaved(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(bool) || t == typeof(int) || t == typeof(double) || t == typeof(string) || t == typeof(double[]) || t.IsEnum;
    }

    /// <summary>The full type names of the estimators this library saves and loads.</summary>
    internal static IEnumerable<string> EstimatorTypeNames => Estimators.Keys;

    /// <summary>An estimator type that can be saved: its name, a factory and its parameters (sorted by name).</summary>
    private sealed record Persistable(string Name, Type Type, Func<IPersistable> Create, PropertyInfo[] Parameters);
}
