// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.ModelSelection;

/// <summary>
/// Transformers applied in order, itself a transformer (scikit-learn's <c>Pipeline</c> ending in a transformer): <c>Fit</c> fits
/// each transformer on the output of the ones before it; <see cref="Transform"/> passes new samples through all of them. It can
/// be a step of a <see cref="Pipeline"/>.
/// </summary>
/// <remarks>
/// <code>
/// var features = new TransformerPipeline(("scale", new MinMaxScaler()), ("nmf", new Nmf { ComponentCount = 8 }));
/// Matrix&lt;double&gt; w = features.FitTransform(x);
/// </code>
/// See <see cref="PipelineBase"/> for how the steps are cloned, fitted and saved. A fitted pipeline is immutable until the next
/// successful fit; <see cref="Transform"/> may be called from several threads at once.
/// </remarks>
public sealed class TransformerPipeline : PipelineBase, ITransformer
{
    /// <summary>Creates a pipeline without steps; set <see cref="PipelineBase.Steps"/> before <c>Fit</c>.</summary>
    public TransformerPipeline()
    {
    }

    /// <summary>Creates a pipeline of the given transformers.</summary>
    /// <param name="steps">The (name, transformer) pairs, in order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="steps"/> is null.</exception>
    public TransformerPipeline(params (string Name, Estimator Estimator)[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        Steps = steps.Select(s => new PipelineStep(s.Name, s.Estimator)).ToArray();
    }

    /// <summary>Fits clones of the steps in order, each on the output of the steps before it.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit (passed to every step's fit); a cancelled fit leaves the previous model as it was.</param>
    /// <returns>This pipeline, fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="PipelineBase.Steps"/> is empty, has a bad name or a step that is not a transformer (named <c>Steps</c>); or a step rejects its input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A step's parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public TransformerPipeline Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        FitSteps(x, null, cancellationToken);
        return this;
    }

    /// <summary>Fits the steps and returns the transform of <paramref name="x"/> (each step's <c>FitTransform</c>).</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit; a cancelled fit leaves the previous model as it was.</param>
    /// <returns>The output of the last step on <paramref name="x"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A step's parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default) => FitSteps(x, null, cancellationToken);

    /// <summary>Passes <paramref name="x"/> through every fitted step.</summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <returns>The output of the last step.</returns>
    /// <exception cref="InvalidOperationException">The pipeline has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">A step rejects its input (the first step: <paramref name="x"/> empty, non-finite or of the wrong width).</exception>
    public Matrix<double> Transform(Matrix<double> x)
    {
        using var scope = BeginWork();
        var steps = FittedState(nameof(Transform));
        ArgumentNullException.ThrowIfNull(x);
        return TransformThrough(x, steps.Length, nameof(Transform));
    }

    ITransformer ITransformer.Fit(Matrix<double> x, CancellationToken cancellationToken) => Fit(x, cancellationToken);

    /// <inheritdoc/>
    private protected override string? StepProblem(Estimator estimator, int index, int count) =>
        estimator is ITransformer ? null : "every step of a TransformerPipeline must be a transformer (ITransformer)";
}
