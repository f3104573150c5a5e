// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using System.Text;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.ModelSelection;

/// <summary>
/// The base of <see cref="Pipeline"/> and <see cref="TransformerPipeline"/>: named steps applied in order, each fitted on the
/// output of the ones before it (scikit-learn's <c>Pipeline</c>).
/// </summary>
/// <remarks>
/// <see cref="Steps"/> is the configuration: a fit fits unfitted clones of the steps (<see cref="EstimatorCloner.Clone{T}(T)"/>),
/// so the estimators in <see cref="Steps"/> are never fitted or changed by it, a failed or cancelled fit leaves the previous
/// model as it was, and changing <see cref="Steps"/> (or a step's parameters) affects the next fit only. The fitted steps are
/// <see cref="FittedSteps"/>. <see cref="ModelSerializer"/> saves a fitted pipeline with every fitted step (each as a nested
/// model document, checked as a top-level one when loaded); the loaded pipeline's <see cref="Steps"/> are unfitted clones of
/// its fitted steps. A pipeline saved before its first fit is saved without its steps (an unfitted estimator saves its
/// parameters only, and the steps are not a plain parameter).
/// </remarks>
public abstract class PipelineBase : Estimator
{
    private IReadOnlyList<PipelineStep> _steps = [];

    private protected PipelineBase()
    {
    }

    /// <summary>
    /// The steps, in order (default none; at least one at <c>Fit</c>): names non-empty, unique and without '.', each step an
    /// estimator of the kind its position needs. Read at <c>Fit</c>; a fit clones them and does not change them.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IReadOnlyList<PipelineStep> Steps
    {
        get => _steps;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _steps = value.ToArray();
        }
    }

    /// <summary>
    /// The fitted steps of the last fit, in order: the same names, each estimator a fitted clone of the configured one (scikit-learn's
    /// <c>named_steps</c> after <c>fit</c>). They are this pipeline's model: refitting one changes its predictions.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pipeline has not been fitted.</exception>
    public IReadOnlyList<PipelineStep> FittedSteps => Fitted<PipelineState>(nameof(FittedSteps)).Steps;

    /// <summary>The fitted estimator of the step named <paramref name="name"/>, as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The estimator type of the step.</typeparam>
    /// <param name="name">The step's name.</param>
    /// <returns>The fitted estimator of that step.</returns>
    /// <exception cref="InvalidOperationException">The pipeline has not been fitted.</exception>
    /// <exception cref="ArgumentException">No fitted step has that name, or its estimator is not a <typeparamref name="T"/>.</exception>
    public T FittedStep<T>(string name)
        where T : Estimator
    {
        var step = Fitted<PipelineState>(nameof(FittedStep)).Steps.FirstOrDefault(s => s.Name == name)
            ?? throw new ArgumentException($"The pipeline has no step named {name}.", nameof(name));
        return step.Estimator as T ?? throw new ArgumentException($"Step {name} is a {step.Estimator.GetType().Name}, not a {typeof(T).Name}.", nameof(name));
    }

    /// <summary>The configured estimator of the step named <paramref name="name"/>, or null.</summary>
    internal Estimator? StepNamed(string name) => _steps.FirstOrDefault(s => s.Name == name)?.Estimator;

    /// <inheritdoc/>
    internal override Estimator CloneUnfitted()
    {
        var clone = (PipelineBase)base.CloneUnfitted();
        clone._steps = _steps.Select(s => new PipelineStep(s.Name, s.Estimator.CloneUnfitted())).ToArray();
        return clone;
    }

    /// <summary>Whether <paramref name="estimator"/> may be step <paramref name="index"/> of <paramref name="count"/>; else what it must be.</summary>
    private protected abstract string? StepProblem(Estimator estimator, int index, int count);

    /// <summary>Checks the steps (names and kinds), naming <see cref="Steps"/>; an empty pipeline passes (a fit rejects it).</summary>
    private protected override void ValidateParameters()
    {
        if (StepsProblem(_steps) is { } problem)
        {
            throw Invalid($"{nameof(Steps)}{problem}.", nameof(Steps));
        }
    }

    /// <summary>An <see cref="ArgumentException"/> named after a property (<see cref="Steps"/>).</summary>
    private static ArgumentException Invalid(string message, string property) => new(message, property);

    private string? StepsProblem(IReadOnlyList<PipelineStep> steps)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step is null || step.Estimator is null)
            {
                return $"[{i}] is null or has no estimator";
            }

            if (string.IsNullOrEmpty(step.Name) || step.Name.Contains('.', StringComparison.Ordinal))
            {
                return $"[{i}] has the name \"{step.Name}\"; a step name must be non-empty and without '.'";
            }

            if (!names.Add(step.Name))
            {
                return $"[{i}] repeats the name {step.Name}";
            }

            if (StepProblem(step.Estimator, i, steps.Count) is { } kind)
            {
                return $"[{i}] ({step.Name}) is a {step.Estimator.GetType().Name}, but {kind}";
            }
        }

        return null;
    }

    /// <summary>
    /// Fits clones of the steps in order on <paramref name="x"/> (the transformers by <c>FitTransform</c>, a final regressor on
    /// <paramref name="y"/>), commits them, and returns the output of the last transformer step.
    /// </summary>
    private protected Matrix<double> FitSteps(Matrix<double> x, Vector<double>? y, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ArgumentNullException.ThrowIfNull(x);
        ValidateParameters();
        if (_steps.Count == 0)
        {
            throw Invalid($"{nameof(Steps)} is empty; a pipeline needs at least one step.", nameof(Steps));
        }

        var fitted = new PipelineStep[_steps.Count];
        var z = x;
        for (int i = 0; i < _steps.Count; i++)
        {
            var estimator = _steps[i].Estimator.CloneUnfitted();
            if (estimator is ITransformer transformer)
            {
                z = transformer.FitTransform(z, cancellationToken);
            }
            else
            {
                ((IRegressor)estimator).Fit(z, y!, cancellationToken);
            }

            fitted[i] = new PipelineStep(_steps[i].Name, estimator);
        }

        Commit(new PipelineState(fitted, x.ColumnCount));
        return z;
    }

    /// <summary>The output of the fitted transformer steps before <paramref name="end"/> on <paramref name="x"/>.</summary>
    private protected Matrix<double> TransformThrough(Matrix<double> x, int end, string member)
    {
        var state = Fitted<PipelineState>(member);
        var z = x;
        for (int i = 0; i < Math.Min(end, state.Steps.Length); i++)
        {
            z = ((ITransformer)state.Steps[i].Estimator).Transform(z);
        }

        return z;
    }

    /// <summary>The fitted steps.</summary>
    private protected PipelineStep[] FittedState(string member) => Fitted<PipelineState>(member).Steps;

    private protected override EstimatorState ReadState(ModelReader reader)
    {
        int featureCount = reader.Int(nameof(PipelineState.FeatureCount), 1);
        var element = reader.Element(nameof(PipelineState.Steps));
        string path = reader.PathOf(nameof(PipelineState.Steps));
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw ModelReader.InvalidAt(path, $"must be an array of steps (was {ModelReader.Describe(element)})");
        }

        var steps = new List<PipelineStep>();
        int index = 0;
        foreach (var item in element.EnumerateArray())
        {
            string itemPath = $"{path}[{index}]";
            var stepReader = new ModelReader(item, itemPath);
            string name = stepReader.String(nameof(PipelineStep.Name));
            var model = ReadModel(stepReader.Element("Model"), stepReader.PathOf("Model"));
            stepReader.EnsureAllRead("a pipeline step");
            steps.Add(new PipelineStep(name, model));
            index++;
        }

        if (steps.Count == 0)
        {
            throw ModelReader.InvalidAt(path, "is empty but a fitted pipeline has at least one step");
        }

        if (StepsProblem(steps) is { } problem)
        {
            throw ModelReader.InvalidAt(path + problem[..(problem.IndexOf(']', StringComparison.Ordinal) + 1)], problem[(problem.IndexOf(']', StringComparison.Ordinal) + 2)..]);
        }

        // The steps must chain: a row of the stated width passes through every transformer into the last step.
        var z = Matrix<double>.Build.Dense(1, featureCount);
        for (int i = 0; i < steps.Count; i++)
        {
            try
            {
                if (steps[i].Estimator is ITransformer transformer)
                {
                    z = transformer.Transform(z);
                }
                else
                {
                    ((IRegressor)steps[i].Estimator).Predict(z);
                }
            }
            catch (ArgumentException e)
            {
                throw ModelReader.InvalidAt($"{path}[{i}].Model", string.Create(CultureInfo.InvariantCulture, $"does not take the output of the steps before it ({z.ColumnCount} columns, from {featureCount} input features): {e.Message}"), e);
            }
        }

        // ReadState runs on the fresh model being loaded: its configuration becomes unfitted clones of the fitted steps.
        _steps = steps.Select(s => new PipelineStep(s.Name, s.Estimator.CloneUnfitted())).ToArray();
        return new PipelineState([.. steps], featureCount);
    }

    /// <summary>A fitted step saved as a nested model document: loaded with every check of a top-level one, complete (every parameter present) and fitted.</summary>
    private static Estimator ReadModel(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw ModelReader.InvalidAt(path, $"must be a model document (was {ModelReader.Describe(element)})");
        }

        Estimator model;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(element.GetRawText()));
            model = ModelSerializer.Load<Estimator>(stream);
        }
        catch (InvalidDataException e) when (e.Message.StartsWith('$'))
        {
            throw new InvalidDataException(path + e.Message[1..], e);
        }

        if (((IPersistable)model).GetState() is null)
        {
            throw ModelReader.InvalidAt(ModelReader.Child(path, "state"), "is null but a fitted pipeline's steps are fitted");
        }

        // A parameter missing from the step's document would be written back with its default: the document is incomplete.
        var saved = new ModelReader(element, path);
        var parameters = new ModelReader(saved.Element("parameters"), saved.PathOf("parameters"));
        using var resaved = JsonDocument.Parse(Save(model));
        foreach (var parameter in resaved.RootElement.GetProperty("parameters").EnumerateObject())
        {
            if (!parameters.Contains(parameter.Name))
            {
                throw parameters.Invalid(parameter.Name, "is missing (a pipeline step's document lists every parameter)");
            }
        }

        return model;
    }

    private static byte[] Save(object model)
    {
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        return stream.ToArray();
    }

    /// <summary>The fitted state of a pipeline: its fitted steps and the number of input features.</summary>
    /// <param name="Steps">The fitted steps.</param>
    /// <param name="FeatureCount">The number of columns of the training data.</param>
    private protected sealed record PipelineState(PipelineStep[] Steps, int FeatureCount) : EstimatorState
    {
        /// <inheritdoc/>
        internal override void Write(ModelWriter writer)
        {
            writer.Int(nameof(FeatureCount), FeatureCount);
            writer.BeginArray(nameof(Steps));
            foreach (var step in Steps)
            {
                writer.BeginObject();
                writer.String(nameof(PipelineStep.Name), step.Name);
                writer.Raw("Model", PipelineBase.Save(step.Estimator));
                writer.EndObject();
            }

            writer.EndArray();
        }
    }
}
