// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The Lasso regularisation path by ADMM, as spm-image's <c>admm_path</c>: a <see cref="LassoAdmm"/>
/// fit at each α of a decreasing grid — but warm-started (each α starts from the previous solution
/// and dual variable) and with the factorisation of XᵀX/n + ρI computed once for the whole path.
/// </summary>
/// <remarks>
/// At each α it minimises (1/(2n))·‖y − Xw − b‖² + α·‖w‖₁ with the stopping rule of
/// <see cref="LassoAdmm"/>. As in spm-image (whose <c>admm_path</c> fits <c>LassoADMM</c> with its
/// default intercept), X and y are centred and an intercept is fitted unless <c>fitIntercept</c> is
/// false (the convention of every path function: see <see cref="RegularizationPath"/>). Given α values are sorted in decreasing order; negative values, which spm-image accepts,
/// are rejected. The default grid has <c>alphaCount</c> values log-spaced from
/// α_max = max|Xᵀy|/n (on the centred data), the smallest α with w = 0, down to <c>epsilon</c>·α_max.
/// <code>
/// var path = AdmmPath.Compute(x, y, alphas: new[] { 1.0, 0.5, 0.1 });
/// // path.Coefficients column k holds w at path.Alphas[k]
/// </code>
/// </remarks>
public static class AdmmPath
{
    /// <summary>Computes the path.</summary>
    /// <param name="x">Samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row; not modified.</param>
    /// <param name="alphaCount">The number of α values on the default grid (default 100, at least 1); ignored when <paramref name="alphas"/> is given.</param>
    /// <param name="epsilon">α_min/α_max of the default grid, in (0, 1] (default 1e-3).</param>
    /// <param name="alphas">Explicit α values (each finite and ≥ 0), sorted in decreasing order here. Null for the default grid.</param>
    /// <param name="rho">The ADMM penalty ρ &gt; 0 (default 1).</param>
    /// <param name="tolerance">The residual tolerance of each solve, ≥ 0 (default 1e-4), as <see cref="LassoAdmm.Tolerance"/>.</param>
    /// <param name="maxIterations">The most iterations per α (default 1000, at least 1).</param>
    /// <param name="fitIntercept">Centre X and y inside and report intercepts b = ȳ − x̄ᵀw (default true, as spm-image).</param>
    /// <param name="cancellationToken">Cancels between iterations.</param>
    /// <returns>The α grid, the coefficients and intercepts at each α, iterations and convergence per α.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="y"/> is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞; or <paramref name="alphas"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A numeric argument or an entry of <paramref name="alphas"/> is out of range, or <paramref name="rho"/> is too small for the data to factor the system, or more than 2^64 away from the scale of XᵀX/n.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision (coefficients scale as y over X, squared measures as y²: inputs whose scales are too far apart), or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The computation was cancelled.</exception>
    public static RegularizationPath Compute(
        Matrix<double> x,
        Vector<double> y,
        int alphaCount = 100,
        double epsilon = 1e-3,
        IEnumerable<double>? alphas = null,
        double rho = 1.0,
        double tolerance = 1e-4,
        int maxIterations = 1000,
        bool fitIntercept = true,
        CancellationToken cancellationToken = default)
    {
        using var scope = Parallelism.Enter(null, cancellationToken);
        Guard.Samples(x);
        Guard.Targets(y, x.RowCount);
        Guard.AtLeast(alphaCount, 1);
        Guard.InRange(epsilon, double.Epsilon, 1.0);
        Guard.GreaterThan(rho, 0.0);
        Guard.AtLeast(tolerance, 0.0);
        Guard.AtLeast(maxIterations, 1);
        double[]? explicitGrid = alphas is null ? null : RegularizationGrid.Checked(alphas, nameof(alphas));
        int n = x.RowCount, p = x.ColumnCount;

        // Data far from unit scale is solved rescaled by powers of two (see LinearScale): α scales as s·t and ρ as s²;
        // the solver runs on the grid in its units, the result is in the caller's.
        var scale = LinearScale.Of(x, y);
        var data = CenteredData.Prepare(scale.Apply(x), scale.Apply(y), fitIntercept);
        var solver = LassoAdmmConfiguration.CreateSolver(data.X, n, p, scale.CheckedCurvature(rho, nameof(rho)), nameof(rho), rhoUnit: Rescaling.Saturating(1.0, -2 * scale.X));
        var target = LassoAdmmConfiguration.Start(data.X, n, p, data.Y);
        double[] solverGrid = explicitGrid is null
            ? RegularizationGrid.LogSpaced(Kernels.MaxAbs(target.Q), alphaCount, epsilon) // α_max = ‖Xᵀy‖∞/n
            : scale.IsIdentity ? explicitGrid : Array.ConvertAll(explicitGrid, scale.Penalty);
        double[] grid = explicitGrid ?? (double[])solverGrid.Clone();
        if (explicitGrid is null)
        {
            Rescaling.CheckedInPlace(grid, -(scale.X + scale.Y), "α grid");
        }

        var coefficients = new double[p * grid.Length];
        var intercepts = new double[grid.Length];
        var iterations = new int[grid.Length];
        var converged = new bool[grid.Length];
        for (int k = 0; k < grid.Length; k++)
        {
            var result = solver.Solve(target, LassoAdmmConfiguration.Settings(data.X, n, p, data.Y, solverGrid[k], maxIterations, tolerance, null, cancellationToken));
            var column = coefficients.AsSpan(k * p, p);
            target.Z.CopyTo(column);
            scale.UnscaleCoefficients(column);
            intercepts[k] = scale.UnscaleIntercept(data.Intercept(target.Z));
            iterations[k] = result.Iterations;
            converged[k] = result.Converged;
        }

        return new RegularizationPath(
            Vector<double>.Build.Dense(grid),
            MatrixStorage.FromColumnMajor(p, grid.Length, coefficients),
            Vector<double>.Build.Dense(intercepts),
            iterations,
            converged);
    }
}
