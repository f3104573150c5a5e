// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The shared shell of the coordinate-descent linear models <see cref="Lasso"/> and
/// <see cref="ElasticNet"/>: parameters, data preparation (centring for the intercept, warm starts)
/// and the call into the solver.
/// </summary>
/// <remarks>
/// The objective is scikit-learn's:
/// (1/(2n))·‖y − Xw − b‖² + α·ρ·‖w‖₁ + (α·(1 − ρ)/2)·‖w‖², with ρ the L1 ratio (1 for the Lasso).
/// Fitting stops when the duality gap, scaled as scikit-learn scales it, falls below
/// <see cref="Tolerance"/>·‖y − ȳ‖²/n; the gap is checked after a pass whose largest coordinate change
/// is below <see cref="Tolerance"/> times the largest coefficient. With fewer than 256 features the
/// passes are scikit-learn's own, in the same order, so results and pass counts agree with
/// scikit-learn's to rounding. With more samples than features the data are centred implicitly (no
/// copy of X) and the passes run on X; a fit still running after max(8, p/8) passes continues on the
/// Gram matrix XᵀX of the centred data (scikit-learn's <c>precompute</c>), where a pass costs O(p²). With 256 features or more (cyclic selection) the solver works on a
/// growing working set of features, checking the full duality gap between working-set solves, so
/// that sparse problems touch few columns; it meets the same duality-gap tolerance, so the result
/// differs from scikit-learn's by no more than the tolerance allows.
/// <para>
/// Sparse input: a MathNet <c>SparseMatrix</c> (compressed-row storage) is never densified. The fit works on a CSC copy
/// of its stored non-zeros (12 bytes per entry), with the intercept handled by scikit-learn's implicit centring (the
/// column means kept aside, never subtracted in storage), and runs the same passes, working sets and duality-gap
/// stopping as on dense data, so it reaches the same optimum. <see cref="LinearRegressor.Predict"/> reads sparse rows as
/// stored. Stored zeros behave as zeros; a column index stored twice in one row is rejected.
/// </para>
/// </remarks>
public abstract class CoordinateDescentRegressor : LinearRegressor, IRegularized, IRandomized
{
    private protected CoordinateDescentRegressor()
    {
    }

    /// <summary>The regularisation strength α ≥ 0 (default 1). α = 0 is ordinary least squares, for which coordinate descent converges slowly; prefer a least-squares solver then.</summary>
    public double Alpha { get; set; } = 1.0;

    /// <summary>The most passes over the features (default 1000).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The duality-gap tolerance, relative to ‖y − ȳ‖²/n (default 1e-4, as scikit-learn).</summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>When true, coefficients are constrained to be ≥ 0 (default false).</summary>
    public bool Positive { get; set; }

    /// <summary>When true and the model is already fitted on as many features, the next fit starts from the current coefficients (default false).</summary>
    public bool WarmStart { get; set; }

    /// <summary>The order in which features are updated (default <see cref="CoordinateSelection.Cyclic"/>).</summary>
    public CoordinateSelection Selection { get; set; } = CoordinateSelection.Cyclic;

    /// <summary>The seed of the random feature order when <see cref="Selection"/> is <see cref="CoordinateSelection.Random"/>; null draws a fresh seed at every fit.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>Called after every pass with the objective (in the scaling above) and, when computed in that pass, the duality gap (scaled as <see cref="DualGap"/>).</summary>
    public Action<CoordinateDescentIterationInfo>? OnIteration { get; set; }

    /// <summary>The duality gap at the end of the last fit, scaled as scikit-learn's <c>dual_gap_</c> (the gap of the objective above).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double DualGap => FittedGap(nameof(DualGap));

    /// <summary>The L1 ratio ρ used by the objective.</summary>
    private protected abstract double EffectiveL1Ratio { get; }

    /// <summary>Checks the parameters; subclasses add theirs.</summary>
    private protected override void ValidateParameters()
    {
        Guard.AtLeast(Alpha, 0.0, nameof(Alpha));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
        Guard.Defined(Selection, nameof(Selection));
    }

    private protected sealed override void FitCore(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        Guard.Targets(y, x.RowCount);

        // Data far from unit scale is fitted rescaled by powers of two (see LinearScale); nothing changes otherwise.
        var scale = LinearScale.Of(x, y);
        x = scale.Apply(x);
        y = scale.Apply(y);
        int n = x.RowCount, p = x.ColumnCount;
        // Wide and tall data are centred implicitly (no copy of X: on a tall matrix the copy costs more than the
        // few passes a fit usually needs — its fresh pages alone); small square-ish data is copied and centred as
        // scikit-learn does.
        // Sparse X (MathNet's compressed-row storage) goes to the solver as a CSC copy, centred implicitly: never densified.
        var data = SparseStorage.Of(x) is { } sparse
            ? CenteredData.PrepareSparse(sparse, y.AsArray() ?? y.ToArray(), FitIntercept)
            : CenteredData.Prepare(x, y, FitIntercept, copyCentred: p < CoordinateDescentSolver.WorkingSetMinFeatures && n <= p);
        var w = new double[p];
        if (WarmStart && FittedCoefficients is { } previous && previous.Length == p)
        {
            scale.ScaleCoefficients(previous).CopyTo(w, 0);
        }

        double rho = EffectiveL1Ratio;
        var settings = new CoordinateDescentSolver.Settings(
            L1: scale.Penalty(Alpha * rho * n),
            L2: scale.Curvature(Alpha * (1.0 - rho) * n),
            Positive: Positive,
            MaxIterations: MaxIterations,
            Tolerance: Tolerance,
            Random: Selection == CoordinateSelection.Random ? new SplitMix64((ulong)(RandomSeed ?? System.Random.Shared.Next())) : null,
            OnIteration: scale.IsIdentity || OnIteration is not { } report ? OnIteration : info => report(info with { Objective = scale.ReportSquared(info.Objective), DualGap = scale.ReportSquared(info.DualGap) }),
            Rows: n,
            CancellationToken: cancellationToken);
        var problem = CoordinateDescentProblem.Of(data);
        var result = CoordinateDescentSolver.Solve(problem, w, settings);
        double intercept = scale.UnscaleIntercept(data.Intercept(w));
        scale.UnscaleCoefficients(w);
        SetFitted(w, intercept, result.Iterations, result.Converged, scale.UnscaleSquared(result.Gap / n, "duality gap"));
    }
}
