// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The least angle regression path, or the Lasso path by the LARS modification, as scikit-learn's
/// <c>lars_path</c> (Efron, Hastie, Johnstone and Tibshirani, "Least angle regression", Ann.
/// Statist. 32(2), 2004).
/// </summary>
/// <remarks>
/// <para>
/// The path is piecewise linear in the coefficients; it is returned at its knots, where a feature
/// joins (or, for <see cref="LarsMethod.Lasso"/>, leaves) the active set. At knot k,
/// α_k = max|Xᵀr_k|/n over the inactive features, r_k the residual; for the Lasso method the
/// coefficients at α_k minimise (1/(2n))·‖y − Xw‖² + α_k·‖w‖₁. The active set's Cholesky factor is
/// updated by one row per join and one Givens sweep per drop, never refactorised.
/// </para>
/// <para>
/// By default no intercept is fitted and nothing is centred (as scikit-learn's <c>lars_path</c>); with
/// <c>fitIntercept</c> X and y are centred inside (as <see cref="Lars"/> and <see cref="LassoLars"/> do)
/// and the intercepts reported, as <see cref="RegularizationPath"/> describes. The path ends
/// when α reaches <c>alphaMin</c> (the last knot is then interpolated to α = <c>alphaMin</c>
/// exactly), after <c>maxIterations</c> steps, or when every feature is active. For
/// <see cref="LarsMethod.Lar"/> a coefficient that crosses zero keeps its feature active, as in the
/// paper; scikit-learn 1.2.1 instead flips that feature's sign and skips an addition, so on such
/// data the two LAR paths part after the crossing (the Lasso paths do not).
/// </para>
/// <code>
/// var path = LarsPath.Compute(x, y, LarsMethod.Lasso, fitIntercept: true);
/// // path.Alphas[k], path.Coefficients column k, path.Intercepts[k]; path.Active: the features in order of joining
/// </code>
/// </remarks>
public static class LarsPath
{
    /// <summary>Computes the path.</summary>
    /// <param name="x">Samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row; not modified.</param>
    /// <param name="method"><see cref="LarsMethod.Lar"/> (default, as scikit-learn) or <see cref="LarsMethod.Lasso"/>.</param>
    /// <param name="alphaMin">The path stops at this α ≥ 0 (default 0: the whole path).</param>
    /// <param name="maxIterations">The most steps, ≥ 1 (default 500, as scikit-learn).</param>
    /// <param name="positive">Constrain the coefficients to be ≥ 0 (Lasso method only; default false).</param>
    /// <param name="fitIntercept">Centre X and y inside and report intercepts b = ȳ − x̄ᵀw (default false, as scikit-learn's <c>lars_path</c>).</param>
    /// <param name="cancellationToken">Cancels between steps.</param>
    /// <returns>α, the coefficients and the intercept at every knot, steps and status per knot, and the active set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="y"/> is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞; or <paramref name="positive"/> is set with the LAR method.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A numeric argument is out of range, or <paramref name="method"/> is undefined.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision (coefficients scale as y over X, squared measures as y²: inputs whose scales are too far apart), or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The computation was cancelled.</exception>
    public static LarsPathResult Compute(
        Matrix<double> x,
        Vector<double> y,
        LarsMethod method = LarsMethod.Lar,
        double alphaMin = 0.0,
        int maxIterations = 500,
        bool positive = false,
        bool fitIntercept = false,
        CancellationToken cancellationToken = default)
    {
        using var scope = Parallelism.Enter(null, cancellationToken);
        Guard.Defined(method);
        Guard.AtLeast(alphaMin, 0.0);
        Guard.AtLeast(maxIterations, 1);
        if (positive && method == LarsMethod.Lar)
        {
            throw new ArgumentException("positive is supported only with LarsMethod.Lasso (the LAR path has no sign constraint).", nameof(positive));
        }

        Guard.Samples(x);
        Guard.Targets(y, x.RowCount);
        int n = x.RowCount, p = x.ColumnCount;
        var problem = LarsProblem.Create(x, y, fitIntercept, LarsProblem.ShouldPrecompute(n, p, alphaMin == 0.0 ? maxIterations : 0));
        var output = problem.ToCallerUnits(problem.Solve(method, alphaMin, maxIterations, positive, null, cancellationToken));
        int knots = output.Knots;
        var intercepts = new double[knots];
        var steps = new int[knots];
        var trusted = new bool[knots];
        for (int k = 0; k < knots; k++)
        {
            intercepts[k] = problem.Intercept(output.Path.AsSpan(k * p, p));
            steps[k] = k < knots - 1 ? k : output.Iterations;
            trusted[k] = k < knots - 1 || output.Stop != LarsSolver.StopReason.NumericalLimit;
        }

        return new LarsPathResult(
            Vector<double>.Build.Dense(output.Alphas),
            MatrixStorage.FromColumnMajor(p, knots, output.Path),
            Vector<double>.Build.Dense(intercepts),
            steps,
            trusted,
            Array.AsReadOnly(output.Active));
    }
}
