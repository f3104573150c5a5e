// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Metrics;

namespace SparseModeling.LinearModel;

/// <summary>
/// The shared shell of the linear models that fit several targets at once: Y ≈ X·Wᵀ + 1·bᵀ with one row
/// of coefficients and one intercept per target. Its contract is the multi-target one
/// (<see cref="IMultiTargetRegressor"/>: <see cref="CoefficientMatrix"/>, <see cref="Intercepts"/>,
/// <see cref="PredictTargets"/>, <see cref="Score(Matrix{double}, Matrix{double})"/>), which holds for
/// any number of targets; the single-target view (<see cref="IRegressor"/>: <see cref="Coefficients"/>,
/// <see cref="Intercept"/>, <see cref="Predict"/>, <see cref="Score(Matrix{double}, Vector{double})"/>)
/// is the special case of a model fitted on one target.
/// </summary>
/// <remarks>
/// This is deliberately not a <see cref="LinearRegressor"/>: every <see cref="LinearRegressor"/> always has
/// one coefficient vector, and code written against it must be able to rely on that. Here the
/// single-target members are documented to need a single-target fit (a fit through
/// <see cref="IRegressor.Fit"/>, or on a one-column y) and throw <see cref="InvalidOperationException"/>
/// otherwise, pointing to the multi-target members. A fitted model is immutable until the next successful
/// fit; predictions may be made from several threads at once.
/// </remarks>
public abstract class MultiTargetLinearRegressor : IterativeEstimator, IRegressor, IMultiTargetRegressor
{
    private protected MultiTargetLinearRegressor()
    {
    }

    /// <summary>
    /// Whether to fit an intercept per target (default true). When true, X and every target are centred
    /// before the solver runs and b_k = ȳ_k − x̄ᵀw_k afterwards; when false the data are used as given and b = 0.
    /// </summary>
    public bool FitIntercept { get; set; } = true;

    /// <summary>The number of targets of the last fit.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public int TargetCount => Fitted<MultiTargetLinearState>(nameof(TargetCount)).TargetCount;

    /// <summary>The coefficients of every target, targets × features (one row for a single-target fit; a copy).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> CoefficientMatrix
    {
        get
        {
            var state = Fitted<MultiTargetLinearState>(nameof(CoefficientMatrix));
            int p = state.FeatureCount;
            return Matrix<double>.Build.Dense(state.TargetCount, p, (i, j) => state.CoefficientRows[(i * p) + j]);
        }
    }

    /// <summary>The intercept of every target (one entry for a single-target fit; a copy).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Vector<double> Intercepts => Vector<double>.Build.Dense((double[])Fitted<MultiTargetLinearState>(nameof(Intercepts)).Intercepts.Clone());

    /// <summary>The coefficients of a model fitted on one target (a copy).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted, or was fitted on several targets (read <see cref="CoefficientMatrix"/>).</exception>
    public Vector<double> Coefficients => Vector<double>.Build.Dense(SingleTarget(nameof(Coefficients)).CoefficientRows.AsSpan().ToArray());

    /// <summary>The intercept of a model fitted on one target.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted, or was fitted on several targets (read <see cref="Intercepts"/>).</exception>
    public double Intercept => SingleTarget(nameof(Intercept)).Intercepts[0];

    private protected override EstimatorState ReadState(ModelReader reader) => MultiTargetLinearState.Read(reader);

    /// <summary>Predicts the target of a model fitted on one target for every row of <paramref name="x"/>.</summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <returns>One prediction per row.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted, or was fitted on several targets (call <see cref="PredictTargets"/>).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN or ±∞, or has the wrong number of columns.</exception>
    public Vector<double> Predict(Matrix<double> x)
    {
        using var scope = BeginWork();
        var state = SingleTarget(nameof(Predict));
        Guard.Samples(x);
        Guard.ColumnCount(x, state.FeatureCount);
        var result = new double[x.RowCount];
        LinearPrediction.Add(x, state.CoefficientRows, state.Intercepts[0], result);
        return Vector<double>.Build.Dense(result);
    }

    /// <summary>R² of the predictions of a model fitted on one target, as <see cref="IRegressor.Score"/>.</summary>
    /// <param name="x">Samples, one per row.</param>
    /// <param name="y">True targets.</param>
    /// <returns>R²; 1 is a perfect fit.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted, or was fitted on several targets.</exception>
    public double Score(Matrix<double> x, Vector<double> y)
    {
        var prediction = Predict(x);
        Guard.Targets(y, x.RowCount);
        return RegressionMetrics.R2(y, prediction);
    }

    /// <summary>Predicts every target: samples × targets, entry (i, k) = xᵢᵀw_k + b_k.</summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <returns>The predictions, one row per sample and one column per target.</returns>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN or ±∞, or has the wrong number of columns.</exception>
    public Matrix<double> PredictTargets(Matrix<double> x)
    {
        using var scope = BeginWork();
        var state = Fitted<MultiTargetLinearState>(nameof(PredictTargets));
        Guard.Samples(x);
        int p = state.FeatureCount, targets = state.TargetCount, n = x.RowCount;
        Guard.ColumnCount(x, p);
        var result = new double[n * targets];
        for (int k = 0; k < targets; k++)
        {
            LinearPrediction.Add(x, state.CoefficientRows.AsSpan(k * p, p), state.Intercepts[k], result.AsSpan(k * n, n));
        }

        return LinearAlgebra.MatrixStorage.FromColumnMajor(n, targets, result);
    }

    /// <inheritdoc/>
    public double Score(Matrix<double> x, Matrix<double> y)
    {
        var prediction = PredictTargets(x);
        ArgumentNullException.ThrowIfNull(y);
        if (y.RowCount != x.RowCount || y.ColumnCount != prediction.ColumnCount)
        {
            throw new ArgumentException($"y is {y.RowCount}×{y.ColumnCount} but must be {x.RowCount}×{prediction.ColumnCount} (samples × targets).", nameof(y));
        }

        Guard.Finite(y);
        double sum = 0.0;
        for (int k = 0; k < y.ColumnCount; k++)
        {
            sum += RegressionMetrics.R2(y.Column(k), prediction.Column(k));
        }

        return sum / y.ColumnCount;
    }

    IRegressor IRegressor.Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        FitSingle(x, y, cancellationToken);
        return this;
    }

    IMultiTargetRegressor IMultiTargetRegressor.Fit(Matrix<double> x, Matrix<double> y, CancellationToken cancellationToken)
    {
        FitMany(x, y, cancellationToken);
        return this;
    }

    /// <summary>Checks the inputs of a single-target fit and fits it.</summary>
    private protected void FitSingle(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        Guard.Targets(y, x.RowCount);
        FitTargets(x, [y.ToArray()], cancellationToken);
    }

    /// <summary>Checks the inputs of a multi-target fit (y: samples × targets) and fits every column.</summary>
    private protected void FitMany(Matrix<double> x, Matrix<double> y, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        ArgumentNullException.ThrowIfNull(y);
        if (y.RowCount != x.RowCount || y.ColumnCount == 0)
        {
            throw new ArgumentException($"y is {y.RowCount}×{y.ColumnCount} but must have one row per sample ({x.RowCount}) and at least one column.", nameof(y));
        }

        Guard.Finite(y);
        var targets = new double[y.ColumnCount][];
        for (int k = 0; k < targets.Length; k++)
        {
            targets[k] = y.Column(k).ToArray();
        }

        FitTargets(x, targets, cancellationToken);
    }

    /// <summary>Checks the parameters before any work.</summary>
    private protected abstract override void ValidateParameters();

    /// <summary>Fits every target (validated, one array each, the caller's copies) and commits the state.</summary>
    private protected abstract void FitTargets(Matrix<double> x, double[][] targets, CancellationToken cancellationToken);

    private MultiTargetLinearState SingleTarget(string member)
    {
        var state = Fitted<MultiTargetLinearState>(member);
        if (state.TargetCount != 1)
        {
            throw new InvalidOperationException($"{GetType().Name} was fitted on {state.TargetCount} targets, so {member} has no single value: read {nameof(CoefficientMatrix)} and {nameof(Intercepts)}, or call {nameof(PredictTargets)}.");
        }

        return state;
    }
}

/// <summary>The fitted state of a <see cref="MultiTargetLinearRegressor"/> as saved by <see cref="ModelSerializer"/>.</summary>
/// <param name="CoefficientRows">Every target's coefficients, targets × features row-major.</param>
/// <param name="Intercepts">Every target's intercept.</param>
/// <param name="TargetCount">The number of targets.</param>
/// <param name="FeatureCount">The number of features.</param>
/// <param name="Iterations">The largest iteration count over the targets.</param>
/// <param name="Converged">Whether every target's solve met its stopping rule.</param>
/// <param name="Residual">The largest final stopping measure over the targets, as the estimator documents it.</param>
internal sealed record MultiTargetLinearState(double[] CoefficientRows, double[] Intercepts, int TargetCount, int FeatureCount, int Iterations, bool Converged, double Residual)
    : IterativeState(Iterations, Converged)
{
    /// <summary>Reads and checks a saved state: counts ≥ 1 that match the arrays, finite coefficients and intercepts, iterations ≥ 0, any residual.</summary>
    internal static MultiTargetLinearState Read(ModelReader reader)
    {
        var rows = reader.Doubles(nameof(CoefficientRows), SavedValue.Finite);
        var intercepts = reader.Doubles(nameof(Intercepts), SavedValue.Finite);
        int targets = reader.Int(nameof(TargetCount), 1);
        int features = reader.Int(nameof(FeatureCount), 1);
        reader.Length(nameof(Intercepts), intercepts.Length, targets, $"{nameof(TargetCount)} = {targets}");
        reader.Length(nameof(CoefficientRows), rows.Length, (long)targets * features, $"{nameof(TargetCount)} × {nameof(FeatureCount)} = {targets} × {features}");
        return new MultiTargetLinearState(
            rows,
            intercepts,
            targets,
            features,
            reader.Int(nameof(Iterations), 0),
            reader.Bool(nameof(Converged)),
            reader.Double(nameof(Residual), SavedValue.Any));
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(CoefficientRows), CoefficientRows);
        writer.Doubles(nameof(Intercepts), Intercepts);
        writer.Int(nameof(TargetCount), TargetCount);
        writer.Int(nameof(FeatureCount), FeatureCount);
        writer.Double(nameof(Residual), Residual);
        base.Write(writer);
    }
}
