// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The elastic net with α (and the mixing ρ) chosen by k-fold cross-validation over warm-started regularisation paths, as
/// scikit-learn's <c>ElasticNetCV</c> (Zou and Hastie, "Regularization and variable selection via the elastic net", JRSS B 2005;
/// paths by coordinate descent: Friedman, Hastie and Tibshirani, J. Stat. Softw. 2010).
/// </summary>
/// <remarks>
/// For each ρ of <see cref="L1Ratios"/> and each α of a decreasing grid the objective is <see cref="ElasticNet"/>'s,
/// (1/(2n))·‖y − Xw − b‖² + α·ρ·‖w‖₁ + (α·(1 − ρ)/2)·‖w‖². The folds are <see cref="LassoCV"/>'s (contiguous blocks in the
/// given order, scikit-learn's unshuffled <c>KFold</c>), fitted in parallel by the same core; each ρ has its own default grid
/// from α_max = max|X̃ᵀỹ|/(n·ρ). The pair of least mean held-out error wins (the first ρ, then the largest α, on ties), and an
/// <see cref="ElasticNet"/> refitted with it on all the data gives the coefficients.
/// <code>
/// var cv = new ElasticNetCV { L1Ratios = [0.1, 0.5, 0.9, 1.0] }.Fit(x, y);
/// Console.WriteLine($"α = {cv.BestAlpha}, ρ = {cv.BestL1Ratio}");
/// </code>
/// </remarks>
public sealed class ElasticNetCV : LinearRegressor
{
    /// <summary>Creates a cross-validated elastic net with scikit-learn's defaults (ρ = 0.5, 100 α values down to 1e-3·α_max, 5 folds).</summary>
    public ElasticNetCV()
    {
    }

    /// <summary>The mixing ratios ρ to try, each in (0, 1] (default [0.5]; scikit-learn's <c>l1_ratio</c>, a list for several).</summary>
    public double[] L1Ratios { get; set; } = [0.5];

    /// <summary>The α values to try for every ρ (each finite and ≥ 0; sorted in decreasing order), or null (the default) for <see cref="AlphaCount"/> values per ρ log-spaced from α_max = max|X̃ᵀỹ|/(n·ρ) down to <see cref="Epsilon"/>·α_max.</summary>
    public double[]? AlphaGrid { get; set; }

    /// <summary>The number of α values on each default grid, ≥ 1 (default 100); ignored when <see cref="AlphaGrid"/> is set.</summary>
    public int AlphaCount { get; set; } = 100;

    /// <summary>α_min/α_max of the default grids, in (0, 1] (default 1e-3); ignored when <see cref="AlphaGrid"/> is set.</summary>
    public double Epsilon { get; set; } = 1e-3;

    /// <summary>The number of cross-validation folds, from 2 to the sample count (default 5).</summary>
    public int Folds { get; set; } = 5;

    /// <summary>The most coordinate-descent passes per α, in each fold and in the refit (default 1000).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The duality-gap tolerance of every solve, relative to ‖y − ȳ‖²/n as in <see cref="ElasticNet"/> (default 1e-4), ≥ 0.</summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>When true, coefficients are constrained to be ≥ 0 (default false).</summary>
    public bool Positive { get; set; }

    /// <summary>The α grids that were cross-validated, one row per ρ of <see cref="L1Ratios"/>, each decreasing (scikit-learn's <c>alphas_</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> Alphas
    {
        get
        {
            var state = State(nameof(Alphas));
            return Matrix<double>.Build.Dense(state.Ratios.Length, state.AlphaValues.Length / state.Ratios.Length, (i, k) => state.AlphaValues[(i * (state.AlphaValues.Length / state.Ratios.Length)) + k]);
        }
    }

    /// <summary>The mean held-out squared error over the folds, one row per ρ and one column per α of <see cref="Alphas"/> (the fold mean of scikit-learn's <c>mse_path_</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> MseMeans
    {
        get
        {
            var state = State(nameof(MseMeans));
            int count = state.AlphaValues.Length / state.Ratios.Length;
            return Matrix<double>.Build.Dense(state.Ratios.Length, count, (i, k) => state.MseMeanValues[(i * count) + k]);
        }
    }

    /// <summary>The α of least mean cross-validated error (scikit-learn's <c>alpha_</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double BestAlpha => State(nameof(BestAlpha)).BestAlpha;

    /// <summary>The ρ of least mean cross-validated error (scikit-learn's <c>l1_ratio_</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double BestL1Ratio => State(nameof(BestL1Ratio)).BestRatio;

    /// <summary>The duality gap of the refit, scaled as <see cref="CoordinateDescentRegressor.DualGap"/>.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double DualGap => State(nameof(DualGap)).Gap;

    private protected override EstimatorState ReadState(ModelReader reader) => ElasticNetCVState.Read(reader);

    /// <summary>Cross-validates every (ρ, α) on <paramref name="x"/> and <paramref name="y"/> and refits at the best pair.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between coordinate-descent passes; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞; or <see cref="AlphaGrid"/> or <see cref="L1Ratios"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or <see cref="Folds"/> exceeds the sample count.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision, or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public ElasticNetCV Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitCore(x, y, cancellationToken);
        return this;
    }

    private protected override void ValidateParameters()
    {
        ArgumentNullException.ThrowIfNull(L1Ratios, nameof(L1Ratios));
        if (L1Ratios.Length == 0)
        {
            throw new ArgumentException($"{nameof(L1Ratios)} is empty; give at least one ratio.", nameof(L1Ratios));
        }

        foreach (double ratio in L1Ratios)
        {
            if (!(ratio > 0.0 && ratio <= 1.0))
            {
                throw Guard.OutOfRange(nameof(L1Ratios), string.Create(CultureInfo.InvariantCulture, $"{nameof(L1Ratios)} entries must be in (0, 1] (was {ratio:R})."));
            }
        }

        Guard.AtLeast(AlphaCount, 1, nameof(AlphaCount));
        Guard.InRange(Epsilon, double.Epsilon, 1.0, nameof(Epsilon));
        Guard.AtLeast(Folds, 2, nameof(Folds));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
        if (AlphaGrid is not null)
        {
            RegularizationGrid.Checked(AlphaGrid, nameof(AlphaGrid));
        }
    }

    private protected override void FitCore(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        var ratios = (double[])L1Ratios.Clone();
        var grid = AlphaGrid is null ? null : RegularizationGrid.Checked(AlphaGrid, nameof(AlphaGrid));
        Guard.Samples(x);
        Guard.Targets(y, x.RowCount);
        int n = x.RowCount, p = x.ColumnCount;
        Guard.InRange(Folds, 2, n, nameof(Folds));

        // The folds train on data rescaled by powers of two (see LinearScale) with the grids in the caller's units: the path
        // converts the L1 and L2 penalties separately and returns coefficients in the caller's units, tested on the caller's rows.
        var scale = LinearScale.Of(x, y);
        var (xs, ys) = (scale.Apply(x), scale.Apply(y));
        double[] lassoGrid = grid ?? Unscaled(LassoCV.DefaultGrid(xs, ys, FitIntercept, AlphaCount, Epsilon), scale);
        int count = lassoGrid.Length, folds = Folds;
        var grids = new double[ratios.Length * count];
        for (int r = 0; r < ratios.Length; r++)
        {
            for (int k = 0; k < count; k++)
            {
                grids[(r * count) + k] = grid is null ? lassoGrid[k] / ratios[r] : lassoGrid[k];
            }
        }

        var xData = MatrixStorage.ColumnMajor(xs);
        var yData = ys.AsArray() ?? ys.ToArray();
        var xUser = MatrixStorage.ColumnMajor(x);
        var yUser = y.AsArray() ?? y.ToArray();
        var mse = new double[ratios.Length * folds * count];

        // One level of parallelism, as LassoCV: every (ρ, fold) pair is a branch, its kernels serial.
        Parallelism.For(ratios.Length * folds, b =>
        {
            int r = b / folds, f = b % folds;
            var settings = new PathCrossValidation.Settings(FitIntercept, ratios[r], Tolerance, MaxIterations, Positive, scale);
            PathCrossValidation.FoldErrors(xData, yData, xUser, yUser, n, p, f, folds, grids.AsSpan(r * count, count).ToArray(), settings, mse.AsSpan(b * count, count), cancellationToken);
        });

        var means = new double[ratios.Length * count];
        int best = 0;
        for (int r = 0; r < ratios.Length; r++)
        {
            for (int k = 0; k < count; k++)
            {
                double sum = 0.0;
                for (int f = 0; f < folds; f++)
                {
                    sum += mse[(((r * folds) + f) * count) + k] / folds;
                }

                int at = (r * count) + k;
                means[at] = sum;
                if (means[at] < means[best])
                {
                    best = at;
                }
            }
        }

        // The errors are measured in the caller's units (of scale y²): where they cannot be represented, say so.
        if (Array.Exists(mse, e => !double.IsFinite(e)) || Array.Exists(means, e => !double.IsFinite(e)))
        {
            throw new ArithmeticException("The cross-validated squared errors cannot be represented in double precision: y is too large (or its residuals are) for their squares.");
        }

        double bestAlpha = grids[best], bestRatio = ratios[best / count];
        var refit = new ElasticNet
        {
            Alpha = bestAlpha,
            L1Ratio = bestRatio,
            FitIntercept = FitIntercept,
            MaxIterations = MaxIterations,
            Tolerance = Tolerance,
            Positive = Positive,
        }.Fit(x, y, cancellationToken);
        Commit(new ElasticNetCVState(refit.Coefficients.ToArray(), refit.Intercept, refit.Iterations, refit.Converged, refit.DualGap, ratios, grids, means, bestAlpha, bestRatio));
    }

    private static double[] Unscaled(double[] grid, LinearScale scale)
    {
        if (!scale.IsIdentity)
        {
            Rescaling.CheckedInPlace(grid, -(scale.X + scale.Y), "α grid");
        }

        return grid;
    }

    private ElasticNetCVState State(string member) => Fitted<ElasticNetCVState>(member);
}

/// <summary>The fitted state of <see cref="ElasticNetCV"/>: the refitted elastic net plus the cross-validation results.</summary>
/// <param name="Coefficients">The refitted coefficients.</param>
/// <param name="Intercept">The refitted intercept.</param>
/// <param name="Iterations">The refit's coordinate-descent passes.</param>
/// <param name="Converged">Whether the refit converged.</param>
/// <param name="Gap">The refit's duality gap.</param>
/// <param name="Ratios">The ρ values tried.</param>
/// <param name="AlphaValues">The α grids, ratios × alphas row-major.</param>
/// <param name="MseMeanValues">The mean errors, ratios × alphas row-major.</param>
/// <param name="BestAlpha">The chosen α.</param>
/// <param name="BestRatio">The chosen ρ.</param>
internal sealed record ElasticNetCVState(
    double[] Coefficients,
    double Intercept,
    int Iterations,
    bool Converged,
    double Gap,
    double[] Ratios,
    double[] AlphaValues,
    double[] MseMeanValues,
    double BestAlpha,
    double BestRatio)
    : LinearModelState(Coefficients, Intercept, Iterations, Converged, Gap)
{
    /// <summary>Reads and checks a saved state: the refit's fields, ratios in (0, 1], α ≥ 0 and errors ≥ 0 (ratios × alphas), the best pair on the grid.</summary>
    internal static new ElasticNetCVState Read(ModelReader reader)
    {
        var refit = LinearModelState.Read(reader);
        var ratios = reader.Doubles(nameof(Ratios), SavedValue.FiniteNonNegative);
        reader.NotEmpty(nameof(Ratios), ratios.Length);
        for (int r = 0; r < ratios.Length; r++)
        {
            if (!(ratios[r] > 0.0 && ratios[r] <= 1.0))
            {
                throw ModelReader.InvalidAt($"{reader.PathOf(nameof(Ratios))}[{r}]", $"must be in (0, 1] (was {ModelReader.Format(ratios[r])})");
            }
        }

        var alphas = reader.Doubles(nameof(AlphaValues), SavedValue.FiniteNonNegative);
        if (alphas.Length == 0 || alphas.Length % ratios.Length != 0)
        {
            throw reader.Invalid(nameof(AlphaValues), $"must hold the same number (≥ 1) of alphas for each of the {ratios.Length} ratios (has {alphas.Length} values)");
        }

        var means = reader.Doubles(nameof(MseMeanValues), SavedValue.NonNegative);
        reader.Length(nameof(MseMeanValues), means.Length, alphas.Length, $"one value per ratio and alpha ({alphas.Length})");
        double bestAlpha = reader.Double(nameof(BestAlpha), SavedValue.FiniteNonNegative);
        if (Array.IndexOf(alphas, bestAlpha) < 0)
        {
            throw reader.Invalid(nameof(BestAlpha), $"must be one of {nameof(AlphaValues)} (was {ModelReader.Format(bestAlpha)})");
        }

        double bestRatio = reader.Double(nameof(BestRatio), SavedValue.FiniteNonNegative);
        if (Array.IndexOf(ratios, bestRatio) < 0)
        {
            throw reader.Invalid(nameof(BestRatio), $"must be one of {nameof(Ratios)} (was {ModelReader.Format(bestRatio)})");
        }

        return new ElasticNetCVState(refit.Coefficients, refit.Intercept, refit.Iterations, refit.Converged, refit.Gap, ratios, alphas, means, bestAlpha, bestRatio);
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(Ratios), Ratios);
        writer.Doubles(nameof(AlphaValues), AlphaValues);
        writer.Doubles(nameof(MseMeanValues), MseMeanValues);
        writer.Double(nameof(BestAlpha), BestAlpha);
        writer.Double(nameof(BestRatio), BestRatio);
        base.Write(writer);
    }
}
