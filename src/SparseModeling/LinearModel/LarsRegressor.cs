// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The shared shell of the LARS estimators <see cref="Lars"/>, <see cref="LassoLars"/> and
/// <see cref="LassoLarsIC"/>: data preparation (centring for the intercept, as scikit-learn's
/// <c>Lars</c>), the call into the LARS solver, and the fitted path.
/// </summary>
/// <remarks>
/// The path is computed on the centred data (when <see cref="LinearRegressor.FitIntercept"/>). The
/// Gram columns it needs come from X, batched and without copying or centring X explicitly; with more
/// samples than features the whole Gram matrix XᵀX is formed instead when the path is expected to
/// visit a quarter of the features or more, or turns out to visit half of them. <see cref="IterativeEstimator.Iterations"/>
/// counts LARS steps (joins and drops).
/// </remarks>
public abstract class LarsRegressor : LinearRegressor
{
    private protected LarsRegressor()
    {
    }

    /// <summary>Called after every LARS step with the Lasso objective (1/(2n))·‖y − Xw‖² + α·‖w‖₁ at the new knot and, as the gap, that knot's α.</summary>
    public Action<LarsIterationInfo>? OnIteration { get; set; }

    /// <summary>α at every knot of the fitted path (as scikit-learn's <c>alphas_</c>; see <see cref="LarsPathResult"/>.<see cref="RegularizationPath.Alphas"/>).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Vector<double> Alphas => Vector<double>.Build.Dense((double[])Fitted(nameof(Alphas)).Alphas.Clone());

    /// <summary>The active features at the end of the fitted path, in the order they joined (scikit-learn's <c>active_</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public IReadOnlyList<int> Active => Array.AsReadOnly((int[])Fitted(nameof(Active)).Active.Clone());

    /// <summary>The coefficients at every knot, features × knots (scikit-learn's <c>coef_path_</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> CoefficientPath
    {
        get
        {
            var state = Fitted(nameof(CoefficientPath));
            return MatrixStorage.FromColumnMajor(state.Coefficients.Length, state.Alphas.Length, (double[])state.Path.Clone());
        }
    }

    private protected override EstimatorState ReadState(ModelReader reader) => LarsModelState.Read(reader, withCriterion: false);

    /// <summary>
    /// Validates the inputs, centres them as configured and prepares the solver's problem;
    /// <paramref name="expectedSteps"/> (0 when unknown) decides whether the Gram matrix is formed up front.
    /// </summary>
    private protected LarsProblem Prepare(Matrix<double> x, Vector<double> y, int expectedSteps)
    {
        Guard.Samples(x);
        Guard.Targets(y, x.RowCount);
        return LarsProblem.Create(x, y, FitIntercept, LarsProblem.ShouldPrecompute(x.RowCount, x.ColumnCount, expectedSteps));
    }

    /// <summary>Builds the state of a fit whose final model is column <paramref name="knot"/> of the path.</summary>
    private protected static LarsModelState StateOf(LarsProblem problem, LarsSolver.Output output, int knot, bool converged)
    {
        int p = problem.Features;
        var coefficients = output.Path.AsSpan(knot * p, p).ToArray();
        return new LarsModelState(coefficients, problem.Intercept(coefficients), output.Iterations, converged, output.Alphas, output.Active, output.Path);
    }

    /// <summary>The fitted LARS state, or throws naming <paramref name="member"/> before <c>Fit</c>.</summary>
    private protected LarsModelState Fitted(string member) => Fitted<LarsModelState>(member);
}

/// <summary>The fitted state of a LARS estimator as saved by <see cref="ModelSerializer"/>.</summary>
/// <param name="Coefficients">The coefficients at the final knot.</param>
/// <param name="Intercept">The intercept at the final knot.</param>
/// <param name="Iterations">The LARS steps taken.</param>
/// <param name="Converged">Whether the path reached its end without a numerical limit.</param>
/// <param name="Alphas">α at every knot.</param>
/// <param name="Active">The active features at the end of the path.</param>
/// <param name="Path">The coefficients at every knot, features × knots, column-major.</param>
/// <param name="Criterion">The information criterion at every knot (<see cref="LassoLarsIC"/> only).</param>
/// <param name="BestAlpha">The α chosen by the criterion (<see cref="LassoLarsIC"/> only).</param>
/// <param name="NoiseVariance">The noise variance used by the criterion (<see cref="LassoLarsIC"/> only).</param>
internal sealed record LarsModelState(
    double[] Coefficients,
    double Intercept,
    int Iterations,
    bool Converged,
    double[] Alphas,
    int[] Active,
    double[] Path,
    double[]? Criterion = null,
    double BestAlpha = 0.0,
    double NoiseVariance = 0.0)
    : LinearModelState(Coefficients, Intercept, Iterations, Converged, 0.0)
{
    /// <summary>
    /// Reads and checks a saved state: the linear model's fields, α ≥ 0 at one knot or more, a path of one finite column
    /// per knot whose column at the final knot (with <paramref name="withCriterion"/>: at a knot of α = <see cref="BestAlpha"/>)
    /// is <see cref="LinearModelState.Coefficients"/>, distinct active features, and a criterion (one value per knot)
    /// exactly when <paramref name="withCriterion"/>.
    /// </summary>
    internal static LarsModelState Read(ModelReader reader, bool withCriterion)
    {
        var linear = LinearModelState.Read(reader);
        var coefficients = linear.Coefficients;
        int p = coefficients.Length;
        var alphas = reader.Doubles(nameof(Alphas), SavedValue.FiniteNonNegative);
        reader.NotEmpty(nameof(Alphas), alphas.Length);
        int knots = alphas.Length;
        var path = reader.Doubles(nameof(Path), SavedValue.Finite);
        reader.Length(nameof(Path), path.Length, (long)p * knots, $"one column per knot: {p} coefficients × {knots} alphas");
        var active = reader.DistinctInts(nameof(Active), 0, p - 1);
        var criterion = reader.DoublesOrNull(nameof(Criterion), SavedValue.Any);
        double bestAlpha = reader.Double(nameof(BestAlpha), SavedValue.FiniteNonNegative);
        double noiseVariance = reader.Double(nameof(NoiseVariance), SavedValue.FiniteNonNegative);
        if (!withCriterion)
        {
            if (criterion is not null)
            {
                throw reader.Invalid(nameof(Criterion), "must be null: only LassoLarsIC saves a criterion");
            }

            if (!path.AsSpan((knots - 1) * p, p).SequenceEqual(coefficients))
            {
                throw reader.Invalid(nameof(Coefficients), $"must equal the last column of {nameof(Path)} (the coefficients at the final knot)");
            }
        }
        else
        {
            if (criterion is null)
            {
                throw reader.Invalid(nameof(Criterion), "must be an array with one value per knot (was null)");
            }

            reader.Length(nameof(Criterion), criterion.Length, knots, $"one value per knot ({knots})");
            if (Array.IndexOf(alphas, bestAlpha) < 0)
            {
                throw reader.Invalid(nameof(BestAlpha), $"must be one of {nameof(Alphas)} (was {ModelReader.Format(bestAlpha)})");
            }

            bool found = false;
            for (int k = 0; k < knots && !found; k++)
            {
                found = alphas[k] == bestAlpha && path.AsSpan(k * p, p).SequenceEqual(coefficients);
            }

            if (!found)
            {
                throw reader.Invalid(nameof(Coefficients), $"must equal the column of {nameof(Path)} at a knot whose alpha is {nameof(BestAlpha)}");
            }
        }

        return new LarsModelState(coefficients, linear.Intercept, linear.Iterations, linear.Converged, alphas, active, path, criterion, bestAlpha, noiseVariance)
        {
            Gap = linear.Gap,
        };
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(Alphas), Alphas);
        writer.Ints(nameof(Active), Active);
        writer.Doubles(nameof(Path), Path);
        writer.Doubles(nameof(Criterion), Criterion);
        writer.Double(nameof(BestAlpha), BestAlpha);
        writer.Double(nameof(NoiseVariance), NoiseVariance);
        base.Write(writer);
    }
}
