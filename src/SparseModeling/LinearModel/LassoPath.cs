// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The Lasso (or elastic-net) regularisation path by warm-started coordinate descent, as
/// scikit-learn's <c>lasso_path</c>/<c>enet_path</c> (Friedman, Hastie and Tibshirani, J. Stat.
/// Softw. 2010).
/// </summary>
/// <remarks>
/// For each α of a decreasing grid it minimises (1/(2n))·‖y − Xw‖² + α·ρ·‖w‖₁ + (α(1 − ρ)/2)·‖w‖²,
/// starting from the solution at the previous α. By default no intercept is fitted and nothing is
/// centred (as scikit-learn's <c>lasso_path</c>); with <c>fitIntercept</c> X and y are centred inside and
/// the intercepts reported, as <see cref="RegularizationPath"/> describes. The default grid has
/// <c>alphaCount</c> values log-spaced from α_max = max|Xᵀy|/(n·ρ) (on the centred data with an
/// intercept), the smallest α with w = 0, down to <c>epsilon</c>·α_max. A MathNet <c>SparseMatrix</c> X is never
/// densified (a CSC copy of its stored entries, centred implicitly, as <see cref="CoordinateDescentRegressor"/> describes).
/// <code>
/// var path = LassoPath.Compute(x, y, alphaCount: 50);
/// // path.Coefficients column k holds w at path.Alphas[k]
/// </code>
/// </remarks>
public static class LassoPath
{
    /// <summary>Computes the path.</summary>
    /// <param name="x">Samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row; not modified.</param>
    /// <param name="alphaCount">The number of α values on the default grid (default 100); ignored when <paramref name="alphas"/> is given.</param>
    /// <param name="epsilon">α_min/α_max of the default grid, in (0, 1] (default 1e-3).</param>
    /// <param name="alphas">Explicit α values (each ≥ 0); they are sorted in decreasing order. Null for the default grid.</param>
    /// <param name="l1Ratio">The elastic-net mix ρ in (0, 1] (default 1: the Lasso).</param>
    /// <param name="tolerance">The duality-gap tolerance of each solve, relative to ‖y‖²/n (default 1e-4).</param>
    /// <param name="maxIterations">The most passes per α (default 1000).</param>
    /// <param name="positive">Constrain the coefficients to be ≥ 0 (default false).</param>
    /// <param name="fitIntercept">Centre X and y inside and report intercepts b = ȳ − x̄ᵀw (default false, as scikit-learn's <c>lasso_path</c>).</param>
    /// <param name="cancellationToken">Cancels between passes.</param>
    /// <returns>The α grid, the coefficients and intercepts at each α, and per-α passes, convergence and duality gaps.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="y"/> is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞; or <paramref name="alphas"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A numeric argument is out of range, or an entry of <paramref name="alphas"/> is negative or not finite.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision (coefficients scale as y over X, squared measures as y²: inputs whose scales are too far apart), or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The computation was cancelled.</exception>
    public static LassoPathResult Compute(
        Matrix<double> x,
        Vector<double> y,
        int alphaCount = 100,
        double epsilon = 1e-3,
        IEnumerable<double>? alphas = null,
        double l1Ratio = 1.0,
        double tolerance = 1e-4,
        int maxIterations = 1000,
        bool positive = false,
        bool fitIntercept = false,
        CancellationToken cancellationToken = default)
    {
        using var scope = Parallelism.Enter(null, cancellationToken);
        Guard.Samples(x);
        Guard.Targets(y, x.RowCount);
        Guard.AtLeast(alphaCount, 1);
        Guard.InRange(epsilon, double.Epsilon, 1.0);
        Guard.InRange(l1Ratio, double.Epsilon, 1.0);
        Guard.AtLeast(tolerance, 0.0);
        Guard.AtLeast(maxIterations, 1);
        double[]? explicitGrid = alphas is null ? null : RegularizationGrid.Checked(alphas, nameof(alphas));

        // Data far from unit scale is solved rescaled by powers of two (see LinearScale); nothing changes otherwise.
        var scale = LinearScale.Of(x, y);

        // Centred as Lasso centres: wide data implicitly (no copy of X), narrow data in a copy.
        // Sparse X (MathNet's compressed-row storage) as a CSC copy, centred implicitly: never densified.
        var xs = scale.Apply(x);
        var ys = scale.Apply(y);
        var data = SparseStorage.Of(xs) is { } sparse
            ? CenteredData.PrepareSparse(sparse, ys.AsArray() ?? ys.ToArray(), fitIntercept)
            : CenteredData.Prepare(xs, ys, fitIntercept, copyCentred: x.ColumnCount < CoordinateDescentSolver.WorkingSetMinFeatures);
        return Solve(data, explicitGrid, alphaCount, epsilon, l1Ratio, tolerance, maxIterations, positive, cancellationToken, scale);
    }

    /// <summary>
    /// The path on prepared data (validated by the caller): on <paramref name="grid"/> when given, else on
    /// the default grid of <paramref name="alphaCount"/> values down to <paramref name="epsilon"/>·α_max.
    /// When the data were rescaled by <paramref name="scale"/>, the grid, the result and the penalties handed to
    /// the solver are in the caller's units and converted here.
    /// </summary>
    internal static LassoPathResult Solve(
        CenteredData data,
        double[]? grid,
        int alphaCount,
        double epsilon,
        double l1Ratio,
        double tolerance,
        int maxIterations,
        bool positive,
        CancellationToken cancellationToken,
        LinearScale scale = default)
    {
        int n = data.Rows, p = data.Columns;
        var problem = CoordinateDescentProblem.Of(data);
        grid ??= DefaultGrid(problem, alphaCount, epsilon, l1Ratio, positive, scale);

        var coefficients = new double[p * grid.Length];
        var intercepts = new double[grid.Length];
        var gaps = new double[grid.Length];
        var iterations = new int[grid.Length];
        var converged = new bool[grid.Length];
        var w = new double[p];
        for (int k = 0; k < grid.Length; k++)
        {
            var settings = new CoordinateDescentSolver.Settings(
                L1: scale.Penalty(grid[k] * l1Ratio * n),
                L2: scale.Curvature(grid[k] * (1.0 - l1Ratio) * n),
                Positive: positive,
                MaxIterations: maxIterations,
                Tolerance: tolerance,
                Random: null,
                OnIteration: null,
                Rows: n,
                CancellationToken: cancellationToken);
            var result = CoordinateDescentSolver.Solve(problem, w, settings);
            var column = coefficients.AsSpan(k * p, p);
            w.CopyTo(column);
            scale.UnscaleCoefficients(column);
            intercepts[k] = scale.UnscaleIntercept(data.Intercept(w));
            gaps[k] = scale.UnscaleSquared(result.Gap / n, "duality gap");
            iterations[k] = result.Iterations;
            converged[k] = result.Converged;
        }

        return new LassoPathResult(
            Vector<double>.Build.Dense(grid),
            MatrixStorage.FromColumnMajor(p, grid.Length, coefficients),
            Vector<double>.Build.Dense(intercepts),
            iterations,
            converged,
            Vector<double>.Build.Dense(gaps));
    }

    /// <summary>α_max = max|Xᵀy|/(n·ρ) (max of Xᵀy when positive), the smallest α with w = 0, and the grid below it.</summary>
    private static double[] DefaultGrid(CoordinateDescentProblem problem, int count, double epsilon, double l1Ratio, bool positive, LinearScale scale)
    {
        var xty = problem.XtY;
        double max = 0.0;
        foreach (double v in xty)
        {
            max = Math.Max(max, positive ? v : Math.Abs(v));
        }

        // The grid is spaced on the rescaled data (where scikit-learn's floor of 1e-15 for a vanishing α_max is
        // relative to data of unit scale) and then brought back to the caller's units.
        var grid = RegularizationGrid.LogSpaced(max / (problem.Rows * l1Ratio), count, epsilon);
        Rescaling.CheckedInPlace(grid, -(scale.X + scale.Y), "α grid");
        return grid;
    }
}
