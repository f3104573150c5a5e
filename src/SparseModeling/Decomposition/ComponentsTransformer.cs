// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// The shared shell of the factorisations X ≈ C·D that learn K components D (components × features,
/// scikit-learn's <c>components_</c>) and describe each sample by its codes C (samples × components):
/// <see cref="Nmf"/> and <see cref="MiniBatchNmf"/> today, the dictionary learners next. It owns the
/// component count, the seed, the fitted <see cref="Components"/> and <see cref="InverseTransform"/>
/// (C·D), as scikit-learn's <c>_BaseNMF</c> and <c>_BaseSparseCoding</c> share them; the subclasses
/// say how the components are learned and how <see cref="Transform"/> codes new samples.
/// </summary>
/// <remarks>
/// A fitted model is immutable until the next successful fit; <see cref="Transform"/> and
/// <see cref="InverseTransform"/> only read it and may be called from several threads at once.
/// </remarks>
public abstract class ComponentsTransformer : IterativeEstimator, ITransformer, IRandomized
{
    private protected ComponentsTransformer()
    {
    }

    /// <summary>The number of components K ≥ 1; null (default) takes the number of features, as scikit-learn (or what a custom start implies, where the estimator documents one).</summary>
    public int? ComponentCount { get; set; }

    /// <summary>The seed of every random choice of the fit (initialisation, sample order); null draws a fresh seed at every fit.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>The fitted components: components × features (a copy), scikit-learn's <c>components_</c>.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> Components
    {
        get
        {
            var state = Fitted<ComponentsState>(nameof(Components));
            return Matrix<double>.Build.Dense(state.ComponentCount, state.FeatureCount, (double[])state.Components.Clone());
        }
    }

    /// <summary>Codes samples with the fitted components held fixed, as the estimator documents.</summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <returns>The codes: samples × components.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public abstract Matrix<double> Transform(Matrix<double> x);

    /// <summary>C·D: maps codes back to the feature space, as scikit-learn's <c>inverse_transform</c>.</summary>
    /// <param name="codes">Codes, samples × components (samples × 2·components when the estimator's <see cref="Transform"/> splits codes by sign, as the dictionary learners' <c>SplitSign</c>).</param>
    /// <returns>The reconstruction, samples × features.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="codes"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="codes"/> is empty, holds NaN or ±∞, or has a column count other than the component count (twice it for codes split by sign).</exception>
    public Matrix<double> InverseTransform(Matrix<double> codes)
    {
        using var scope = BeginWork();
        var state = Fitted<ComponentsState>(nameof(InverseTransform));
        return SignSplit.Reconstruct(codes, state.Components, state.ComponentCount, state.FeatureCount, SplitsSign, "components");
    }

    ITransformer ITransformer.Fit(Matrix<double> x, CancellationToken cancellationToken)
    {
        FitCodes(x, cancellationToken);
        return this;
    }

    Matrix<double> ITransformer.FitTransform(Matrix<double> x, CancellationToken cancellationToken) => FitCodes(x, cancellationToken);

    /// <summary>Whether <see cref="Transform"/> returns codes split by sign (samples × 2K), which <see cref="InverseTransform"/> then folds back; false unless the subclass says so.</summary>
    private protected virtual bool SplitsSign => false;

    /// <summary>Validates, fits, commits the state (only on success) and returns the training codes (samples × components).</summary>
    private protected abstract Matrix<double> FitCodes(Matrix<double> x, CancellationToken cancellationToken);

    /// <summary>The seed of this fit: <see cref="RandomSeed"/>, or a fresh one.</summary>
    private protected ulong Seed() => (ulong)(RandomSeed ?? System.Random.Shared.Next());

    /// <summary>Checks a user-supplied start matrix: its shape, finite entries and, with <paramref name="nonNegative"/>, no negative entry and not all zeros.</summary>
    private protected static void CheckStart(Matrix<double> start, int rows, int cols, bool nonNegative, string name)
    {
        if (start.RowCount != rows || start.ColumnCount != cols)
        {
            throw new ArgumentException($"{name} is {start.RowCount}×{start.ColumnCount} but must be {rows}×{cols}.", name);
        }

        Guard.Finite(start, name);
        if (!nonNegative)
        {
            return;
        }

        bool anyPositive = false;
        for (int j = 0; j < cols; j++)
        {
            for (int i = 0; i < rows; i++)
            {
                double v = start.At(i, j);
                if (v < 0.0)
                {
                    throw new ArgumentException($"{name} must be non-negative but has {v.ToString("R", CultureInfo.InvariantCulture)} at row {i}, column {j}.", name);
                }

                anyPositive |= v > 0.0;
            }
        }

        if (!anyPositive)
        {
            throw new ArgumentException($"{name} is all zeros; the factors could never leave zero.", name);
        }
    }
}

/// <summary>The fitted state of a <see cref="ComponentsTransformer"/>: the components (K×m, column-major) and the fit's summary.</summary>
/// <param name="Components">The components, K×m column-major.</param>
/// <param name="ComponentCount">K.</param>
/// <param name="FeatureCount">m.</param>
/// <param name="Iterations">The iterations of the fit.</param>
/// <param name="Converged">Whether the stopping rule was met.</param>
internal abstract record ComponentsState(double[] Components, int ComponentCount, int FeatureCount, int Iterations, bool Converged)
    : IterativeState(Iterations, Converged)
{
    /// <summary>Reads and checks the saved components: counts ≥ 1 that match the array, every entry obeying <paramref name="rule"/>.</summary>
    private protected static (double[] Components, int ComponentCount, int FeatureCount) ReadComponents(ModelReader reader, SavedValue rule)
    {
        var components = reader.Doubles(nameof(Components), rule);
        int k = reader.Int(nameof(ComponentCount), 1);
        int m = reader.Int(nameof(FeatureCount), 1);
        reader.Length(nameof(Components), components.Length, (long)k * m, $"{nameof(ComponentCount)} × {nameof(FeatureCount)} = {k} × {m}");
        return (components, k, m);
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(Components), Components);
        writer.Int(nameof(ComponentCount), ComponentCount);
        writer.Int(nameof(FeatureCount), FeatureCount);
        base.Write(writer);
    }
}
