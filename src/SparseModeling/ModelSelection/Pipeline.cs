// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Metrics;

namespace SparseModeling.ModelSelection;

/// <summary>
/// Transformers followed by a regressor, itself a regressor (scikit-learn's <c>Pipeline</c> ending in a regressor): <c>Fit</c>
/// fits each transformer on the output of the ones before it and the regressor on the last output; <see cref="Predict"/>
/// transforms new samples through the fitted transformers and predicts. Fitting the preprocessing inside the pipeline keeps
/// it inside each fold of <see cref="CrossValidation"/> and <see cref="GridSearch"/>, whose grid parameters address a step
/// by name (<c>"lasso.Alpha"</c>).
/// </summary>
/// <remarks>
/// <code>
/// var model = new Pipeline(("scale", new StandardScaler()), ("lasso", new Lasso { Alpha = 0.1 })).Fit(xTrain, yTrain);
/// double r2 = model.Score(xTest, yTest);
/// Lasso lasso = model.FittedStep&lt;Lasso&gt;("lasso");   // coefficients in standardised units
/// </code>
/// See <see cref="PipelineBase"/> for how the steps are cloned, fitted and saved. A fitted pipeline is immutable until the next
/// successful fit; <see cref="Predict"/> may be called from several threads at once.
/// </remarks>
public sealed class Pipeline : PipelineBase, IRegressor
{
    /// <summary>Creates a pipeline without steps; set <see cref="PipelineBase.Steps"/> before <c>Fit</c>.</summary>
    public Pipeline()
    {
    }

    /// <summary>Creates a pipeline of the given steps: transformers, then a regressor last.</summary>
    /// <param name="steps">The (name, estimator) pairs, in order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="steps"/> is null.</exception>
    public Pipeline(params (string Name, Estimator Estimator)[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        Steps = steps.Select(s => new PipelineStep(s.Name, s.Estimator)).ToArray();
    }

    /// <summary>Fits clones of the steps in order: each transformer on the output of the steps before it, the final regressor on the last output and <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit (passed to every step's fit); a cancelled fit leaves the previous model as it was.</param>
    /// <returns>This pipeline, fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="y"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <see cref="PipelineBase.Steps"/> is empty, has a bad name, or has a step of the wrong kind (named <c>Steps</c>);
    /// <paramref name="y"/> does not have one entry per row; or a step rejects its input (that step's exception).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A step's parameter is out of range.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Pipeline Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (y.Count != x.RowCount)
        {
            throw new ArgumentException($"y has {y.Count} entries but x has {x.RowCount} rows; they must agree.", nameof(y));
        }

        FitSteps(x, y, cancellationToken);
        return this;
    }

    /// <summary>Transforms <paramref name="x"/> through the fitted transformers and predicts with the fitted regressor.</summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <returns>One prediction per row.</returns>
    /// <exception cref="InvalidOperationException">The pipeline has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">A step rejects its input (the first step: <paramref name="x"/> empty, non-finite or of the wrong width).</exception>
    public Vector<double> Predict(Matrix<double> x)
    {
        using var scope = BeginWork();
        var steps = FittedState(nameof(Predict));
        ArgumentNullException.ThrowIfNull(x);
        return ((IRegressor)steps[^1].Estimator).Predict(TransformThrough(x, steps.Length - 1, nameof(Predict)));
    }

    /// <inheritdoc/>
    public double Score(Matrix<double> x, Vector<double> y)
    {
        var prediction = Predict(x);
        Guard.Targets(y, x.RowCount);
        return RegressionMetrics.R2(y, prediction);
    }

    IRegressor IRegressor.Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken) => Fit(x, y, cancellationToken);

    /// <inheritdoc/>
    private protected override string? StepProblem(Estimator estimator, int index, int count) =>
        index < count - 1
            ? (estimator is ITransformer ? null : "every step before the last must be a transformer (ITransformer)")
            : (estimator is IRegressor ? null : "the last step of a Pipeline must be a regressor (IRegressor; a TransformerPipeline ends in a transformer)");
}
