// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.Metrics;

namespace SparseModeling.LinearModel;

/// <summary>
/// The shared shell of the linear models: y ≈ X·w + b. Holds the fitted coefficients and intercept
/// and implements prediction, scoring and saving; the subclasses differ only in how they fit.
/// </summary>
/// <remarks>
/// <para>
/// A fitted model is immutable until the next successful <c>Fit</c>; <see cref="Predict"/> and
/// <see cref="Score"/> only read it and may be called from several threads at once.
/// </para>
/// <para>
/// Scale: when the largest |x| or |y| lies outside [2^−64, 2^65), every linear model (and path function) fits X and y
/// multiplied by the powers of two that bring them to unit scale — exactly, and with α scaled as s·t, L2 penalties and
/// ADMM's ρ as s², a squared-residual tolerance as t² — and scales the results back, so that a fit on c·X and c·y gives
/// the coefficients of the fit on X and y with α·c² (on c·X alone, the coefficients divided by c with α·c). Data inside
/// the band are used as given. A result that double precision cannot hold (coefficients of the scale of y over X,
/// squared measures of the scale of y²) throws <see cref="ArithmeticException"/>, as does a solver whose iterate becomes
/// NaN or ±∞ (a divergence): <see cref="IterativeEstimator.Converged"/> is never true on a non-finite measure.
/// </para>
/// </remarks>
public abstract class LinearRegressor : IterativeEstimator, IRegressor
{
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
    public Vector<double> Coefficients => Vector<double>.Build.Dense((double[])Fitted<LinearModelState>(nameof(Coefficients)).Coefficients.Clone());

    /// <summary>The fitted intercept b (0 when <see cref="FitIntercept"/> is false).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double Intercept => Fitted<LinearModelState>(nameof(Intercept)).Intercept;

    /// <summary>The raw fitted coefficients (not a copy: read only), or null before the first fit.</summary>
    private protected double[]? FittedCoefficients => Current<LinearModelState>()?.Coefficients;

    /// <summary>Reads the saved state; a subclass with more fitted state reads its derived record.</summary>
    private protected override EstimatorState ReadState(ModelReader reader) => LinearModelState.Read(reader);

    /// <inheritdoc/>
    public Vector<double> Predict(Matrix<double> x)
    {
        using var scope = BeginWork();
        var state = Fitted<LinearModelState>(nameof(Predict));
        Guard.Samples(x);
        Guard.ColumnCount(x, state.Coefficients.Length);
        var result = new double[x.RowCount];
        LinearPrediction.Add(x, state.Coefficients, state.Intercept, result);
        return Vector<double>.Build.Dense(result);
    }

    /// <inheritdoc/>
    public double Score(Matrix<double> x, Vector<double> y)
    {
        var prediction = Predict(x);
        Guard.Targets(y, x.RowCount);
        return RegressionMetrics.R2(y, prediction);
    }

    IRegressor IRegressor.Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        FitCore(x, y, cancellationToken);
        return this;
    }

    /// <summary>The solver's final stopping measure (a duality gap for coordinate descent), for the subclass's member <paramref name="member"/>.</summary>
    private protected double FittedGap(string member) => Fitted<LinearModelState>(member).Gap;

    /// <summary>Validates the inputs and parameters, fits, and only then commits the fitted state.</summary>
    private protected abstract void FitCore(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken);

    /// <summary>Commits a completed fit.</summary>
    private protected void SetFitted(double[] coefficients, double intercept, int iterations, bool converged, double gap) =>
        Commit(new LinearModelState(coefficients, intercept, iterations, converged, gap));
}

/// <summary>Predictions of linear models: the one place y = X·w + b is computed.</summary>
internal static class LinearPrediction
{
    /// <summary>Writes X·w + b into <paramref name="result"/> (one entry per row of <paramref name="x"/>); a compressed-row sparse X is read row by row, never densified.</summary>
    public static void Add(Matrix<double> x, ReadOnlySpan<double> w, double intercept, Span<double> result)
    {
        result.Fill(intercept);
        if (SparseStorage.Of(x) is { } sparse)
        {
            SparseStorage.MultiplyAdd(sparse, 0, x.RowCount, w, result);
            return;
        }

        Gemv.Multiply(x.RowCount, x.ColumnCount, 1.0, MatrixStorage.ColumnMajor(x), x.RowCount, w, 1.0, result);
    }
}

/// <summary>The fitted state of a linear model as saved by <see cref="ModelSerializer"/>; subclasses with more fitted state derive from it.</summary>
/// <param name="Coefficients">w, one per feature.</param>
/// <param name="Intercept">b.</param>
/// <param name="Iterations">The solver's iterations.</param>
/// <param name="Converged">Whether the solver met its stopping rule.</param>
/// <param name="Gap">The solver's final stopping measure, as the estimator documents it.</param>
internal record LinearModelState(double[] Coefficients, double Intercept, int Iterations, bool Converged, double Gap)
    : IterativeState(Iterations, Converged)
{
    /// <summary>Reads and checks a saved state: at least one coefficient, finite coefficients and intercept, iterations ≥ 0, any gap.</summary>
    internal static LinearModelState Read(ModelReader reader)
    {
        var coefficients = reader.Doubles(nameof(Coefficients), SavedValue.Finite);
        reader.NotEmpty(nameof(Coefficients), coefficients.Length);
        return new LinearModelState(
            coefficients,
            reader.Double(nameof(Intercept), SavedValue.Finite),
            reader.Int(nameof(Iterations), 0),
            reader.Bool(nameof(Converged)),
            reader.Double(nameof(Gap), SavedValue.Any));
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(Coefficients), Coefficients);
        writer.Double(nameof(Intercept), Intercept);
        writer.Double(nameof(Gap), Gap);
        base.Write(writer);
    }
}
