// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The shared shell of the linear models: y ≈ X·w + b. Holds the fitted coefficients and intercept
/// and implements prediction, scoring and saving; the subclasses differ only in how they fit.
/// </summary>
/// <remarks>
/// A fitted model is immutable until the next successful <c>Fit</c>; <see cref="Predict"/> and
/// <see cref="Score"/> only read it and may be called from several threads at once.
/// </remarks>
public abstract class LinearRegressor : IRegressor, IPersistable
{
    private LinearModelState? _fitted;

    private protected LinearRegressor()
    {
    }

    /// <summary>
    /// Whether to fit an intercept b (default true). When true, X and y are centred before the
    /// solver runs and b = ȳ − x̄ᵀw afterwards; when false the data are used as given and b = 0.
    /// </summary>
    public bool FitIntercept { get; set; } = true;

    /// <summary>The fitted coefficients w, one per feature (a copy).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Vector<double> Coefficients => Vector<double>.Build.Dense((double[])Fitted(nameof(Coefficients)).Coefficients.Clone());

    /// <summary>The fitted intercept b (0 when <see cref="FitIntercept"/> is false).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double Intercept => Fitted(nameof(Intercept)).Intercept;

    /// <summary>The number of iterations the solver ran in the last fit, as the subclass documents them.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public int Iterations => Fitted(nameof(Iterations)).Iterations;

    /// <summary>Whether the last fit met its stopping rule within <c>MaxIterations</c>; when false the result is the last iterate.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public bool Converged => Fitted(nameof(Converged)).Converged;

    /// <summary>Whether the model has been fitted.</summary>
    internal bool IsFitted => _fitted is not null;

    /// <summary>The number of features seen by <c>Fit</c>.</summary>
    internal int FeatureCount => _fitted?.Coefficients.Length ?? 0;

    /// <summary>The raw fitted coefficients (not a copy: read only).</summary>
    private protected double[]? FittedCoefficients => _fitted?.Coefficients;

    /// <summary>The solver's final stopping measure (a duality gap for coordinate descent).</summary>
    private protected double FittedGap => Fitted("the fitted model").Gap;

    Type IPersistable.StateType => StateType;

    /// <summary>The runtime type of the saved state; a subclass with more fitted state returns its derived record type.</summary>
    private protected virtual Type StateType => typeof(LinearModelState);

    /// <summary>
    /// The fitted state as the subclass's derived record, for the subclass's own fitted members
    /// (not subject to <see cref="CheckAvailable"/>); throws <see cref="InvalidOperationException"/>
    /// naming <paramref name="member"/> before <c>Fit</c>.
    /// </summary>
    private protected TState FittedState<TState>(string member)
        where TState : LinearModelState => (TState)(_fitted ?? throw Guard.NotFitted(this, member));

    /// <inheritdoc/>
    public Vector<double> Predict(Matrix<double> x)
    {
        var state = Fitted(nameof(Predict));
        Guard.Samples(x);
        Guard.ColumnCount(x, state.Coefficients.Length);
        var data = MatrixStorage.ColumnMajor(x);
        var result = new double[x.RowCount];
        Array.Fill(result, state.Intercept);
        Gemv.Multiply(x.RowCount, x.ColumnCount, 1.0, data, x.RowCount, state.Coefficients, 1.0, result);
        return Vector<double>.Build.Dense(result);
    }

    /// <inheritdoc/>
    public double Score(Matrix<double> x, Vector<double> y)
    {
        var prediction = Predict(x);
        Guard.Targets(y, x.RowCount);
        return Metrics.R2(y, prediction);
    }

    IRegressor IRegressor.Fit(Matrix<double> x, Vector<double> y)
    {
        FitCore(x, y, CancellationToken.None);
        return this;
    }

    object? IPersistable.GetState() => _fitted;

    void IPersistable.SetState(object state) => _fitted = (LinearModelState)state;

    /// <summary>Validates the inputs and parameters, fits, and only then replaces the fitted state.</summary>
    private protected abstract void FitCore(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken);

    /// <summary>Commits a completed fit.</summary>
    private protected void SetFitted(double[] coefficients, double intercept, int iterations, bool converged, double gap) =>
        _fitted = new LinearModelState(coefficients, intercept, iterations, converged, gap);

    /// <summary>Commits a completed fit with a subclass's own (derived) state record.</summary>
    private protected void SetFitted(LinearModelState state) => _fitted = state;

    /// <summary>
    /// Lets a subclass refuse a member for a fitted state it does not apply to (a multi-target fit has
    /// no single coefficient vector) by throwing <see cref="InvalidOperationException"/>.
    /// </summary>
    private protected virtual void CheckAvailable(LinearModelState state, string member)
    {
    }

    private LinearModelState Fitted(string member)
    {
        var state = _fitted ?? throw Guard.NotFitted(this, member);
        CheckAvailable(state, member);
        return state;
    }
}

/// <summary>The fitted state of a linear model as saved by <see cref="ModelSerializer"/>; subclasses with more fitted state derive from it.</summary>
internal record LinearModelState(double[] Coefficients, double Intercept, int Iterations, bool Converged, double Gap);
