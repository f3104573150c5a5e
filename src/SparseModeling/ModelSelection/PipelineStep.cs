// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.ModelSelection;

/// <summary>A named step of a <see cref="Pipeline"/> or <see cref="TransformerPipeline"/> (scikit-learn's <c>(name, estimator)</c> pairs).</summary>
/// <param name="Name">The step's name: non-empty, unique in its pipeline, without '.'; grid parameters address the step by it (<c>"lasso.Alpha"</c>).</param>
/// <param name="Estimator">The estimator of the step: a transformer, or for the last step of a <see cref="Pipeline"/> a regressor.</param>
public sealed record PipelineStep(string Name, Estimator Estimator);
