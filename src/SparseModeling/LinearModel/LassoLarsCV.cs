// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The Lasso with α chosen by k-fold cross-validation over LARS–Lasso paths, as scikit-learn's <c>LassoLarsCV</c> (Efron,
/// Hastie, Johnstone and Tibshirani, "Least angle regression", Ann. Statist. 32(2), 2004, section 3.1).
/// </summary>
/// <remarks>
/// <para>
/// The objective is the Lasso's, (1/(2n))·‖y − Xw − b‖² + α·‖w‖₁. The folds are <see cref="LassoCV"/>'s (contiguous blocks in
/// the given order, scikit-learn's unshuffled <c>KFold</c>), fitted in parallel. On each fold the whole Lasso path is followed
/// by LARS on the other blocks (centred with their own means when <see cref="LinearRegressor.FitIntercept"/>), so no α grid is
/// configured: the grid is the union of the folds' knots (every <see cref="MaxAlphaCount"/>-th share of them when there are
/// more). The path is linear in α between knots, so a fold's held-out residuals at any α are interpolated linearly between its
/// two knots around it; above its first knot they are those of w = 0, below its last those of its last knot.
/// </para>
/// <para>
/// <see cref="AlphaCrossValidationRegressor.BestAlpha"/> is the α of least mean held-out squared error over the folds (the smallest such α on ties, as
/// scikit-learn), and a <see cref="LassoLars"/> refitted with it on all the data gives
/// <see cref="LinearRegressor.Coefficients"/>, <see cref="LinearRegressor.Intercept"/>,
/// <see cref="IterativeEstimator.Iterations"/> and <see cref="IterativeEstimator.Converged"/>. <see cref="AlphaCrossValidationRegressor.Alphas"/> and the rows of
/// <see cref="AlphaCrossValidationRegressor.MsePath"/> are in decreasing order of α, as <see cref="LassoCV"/>'s (scikit-learn's <c>cv_alphas_</c> and
/// <c>mse_path_</c> are increasing). One difference: when scikit-learn thins the union to <see cref="MaxAlphaCount"/> and drops
/// the largest knot, it extends a fold past its own first knot out of order; here every fold is extended as above.
/// </para>
/// <code>
/// var cv = new LassoLarsCV().Fit(x, y);
/// double alpha = cv.BestAlpha;              // chosen by 5-fold cross-validation over the LARS paths
/// Vector&lt;double&gt; w = cv.Coefficients;   // LassoLars refitted on all data at that α
/// </code>
/// </remarks>
public sealed class LassoLarsCV : AlphaCrossValidationRegressor
{
    /// <summary>Creates a cross-validated LARS-Lasso with scikit-learn's defaults (5 folds, 500 steps, at most 1000 α values).</summary>
    public LassoLarsCV()
    {
    }

    /// <summary>The number of cross-validation folds, from 2 to the sample count (default 5; scikit-learn's <c>cv</c>).</summary>
    public int Folds { get; set; } = 5;

    /// <summary>The most LARS steps, in each fold and in the refit, ≥ 1 (default 500); each join or drop is a step.</summary>
    public int MaxIterations { get; set; } = 500;

    /// <summary>The most α values cross-validated, ≥ 1 (default 1000; scikit-learn's <c>max_n_alphas</c>): a union of the folds' knots longer than this is thinned to every ⌊count/<see cref="MaxAlphaCount"/>⌋-th value from the smallest.</summary>
    public int MaxAlphaCount { get; set; } = 1000;

    /// <summary>When true, coefficients are constrained to be ≥ 0 (default false).</summary>
    public bool Positive { get; set; }

    /// <summary>The same as <see cref="AlphaCrossValidationRegressor.BestAlpha"/>: the α cross-validation chose.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double Alpha => CrossValidationState(nameof(Alpha)).BestAlpha;

    /// <summary>Cross-validates the folds' LARS–Lasso paths on <paramref name="x"/> and <paramref name="y"/> and refits at the best α.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between LARS steps; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or <see cref="Folds"/> exceeds the sample count.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision (coefficients scale as y over X, squared measures as y²: inputs whose scales are too far apart), or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public LassoLarsCV Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitCore(x, y, cancellationToken);
        return this;
    }

    private protected override void ValidateParameters()
    {
        Guard.AtLeast(Folds, 2, nameof(Folds));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(MaxAlphaCount, 1, nameof(MaxAlphaCount));
    }

    private protected override void FitCore(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        Guard.Targets(y, x.RowCount);
        int n = x.RowCount, p = x.ColumnCount;
        Guard.InRange(Folds, 2, n, nameof(Folds));
        int folds = Folds, maxIterations = MaxIterations;
        bool fitIntercept = FitIntercept, positive = Positive;

        // Data far from unit scale is cross-validated rescaled by powers of two (see LinearScale), as LassoCV: the grid and the
        // errors are converted at the end, and the refit (a LassoLars, which rescales the same way) is on the caller's data.
        var scale = LinearScale.Of(x, y);
        var (xs, ys) = (scale.Apply(x), scale.Apply(y));
        var xData = MatrixStorage.ColumnMajor(xs);
        var yData = ys.AsArray() ?? ys.ToArray();
        var paths = new FoldPath[folds];
        Parallelism.For(folds, f => paths[f] = FoldPathOf(xData, yData, n, p, f, folds, fitIntercept, maxIterations, positive, cancellationToken));

        var grid = Grid(paths, MaxAlphaCount);
        var mse = new double[grid.Length * folds];
        for (int f = 0; f < folds; f++)
        {
            paths[f].Errors(grid, mse.AsSpan(f * grid.Length, grid.Length));
        }

        var means = new double[grid.Length];
        int best = 0;
        for (int k = 0; k < grid.Length; k++)
        {
            double sum = 0.0;
            for (int f = 0; f < folds; f++)
            {
                sum += mse[k + (f * grid.Length)];
            }

            means[k] = sum / folds;

            // The grid decreases: on ties the later, smaller α wins, as scikit-learn's argmin over its increasing grid.
            if (means[k] <= means[best])
            {
                best = k;
            }
        }

        for (int k = 0; k < mse.Length; k++)
        {
            mse[k] = scale.UnscaleSquared(mse[k], "cross-validated error");
        }

        for (int k = 0; k < means.Length; k++)
        {
            means[k] = scale.UnscaleSquared(means[k], "cross-validated error");
        }

        if (!scale.IsIdentity)
        {
            Rescaling.CheckedInPlace(grid, -(scale.X + scale.Y), "α grid");
        }

        var refit = new LassoLars
        {
            Alpha = grid[best],
            FitIntercept = fitIntercept,
            MaxIterations = maxIterations,
            Positive = positive,
        }.Fit(x, y, cancellationToken);
        Commit(new LassoCVState(refit.Coefficients.ToArray(), refit.Intercept, refit.Iterations, refit.Converged, 0.0, grid, mse, means, folds, grid[best]));
    }

    /// <summary>The LARS–Lasso path on every fold but <paramref name="fold"/>, and its held-out residuals at every knot.</summary>
    private static FoldPath FoldPathOf(double[] x, double[] y, int n, int p, int fold, int folds, bool fitIntercept, int maxIterations, bool positive, CancellationToken cancellationToken)
    {
        var part = PathCrossValidation.Split(x, y, x, n, p, fold, folds, cancellationToken);
        int nTrain = part.TrainRows;
        var problem = LarsProblem.Create(
            MatrixStorage.FromColumnMajor(nTrain, p, part.TrainX),
            Vector<double>.Build.Dense(part.TrainY),
            fitIntercept,
            LarsProblem.ShouldPrecompute(nTrain, p, maxIterations));
        var output = problem.ToCallerUnits(problem.Solve(LarsMethod.Lasso, 0.0, maxIterations, positive, null, cancellationToken));
        var intercepts = new double[output.Knots];
        for (int k = 0; k < output.Knots; k++)
        {
            intercepts[k] = problem.Intercept(output.Path.AsSpan(k * p, p));
        }

        return new FoldPath(output.Alphas.AsSpan(0, output.Knots).ToArray(), part.Residuals(y, output.Path, intercepts, output.Knots, p), part.TestRows);
    }

    /// <summary>
    /// scikit-learn's grid: the distinct knots of all folds in increasing order, every ⌊count/<paramref name="maxCount"/>⌋-th kept
    /// (from the smallest) when there are more than <paramref name="maxCount"/>; returned in decreasing order.
    /// </summary>
    private static double[] Grid(FoldPath[] paths, int maxCount)
    {
        var all = paths.SelectMany(path => path.Alphas).Distinct().Order().ToArray();
        int stride = Math.Max(1, all.Length / maxCount);
        var grid = new double[((all.Length - 1) / stride) + 1];
        for (int k = 0; k < grid.Length; k++)
        {
            grid[grid.Length - 1 - k] = all[k * stride];
        }

        return grid;
    }

    /// <summary>One fold's path: α at its knots (decreasing) and the held-out residuals at each, test rows × knots column-major.</summary>
    private sealed record FoldPath(double[] Alphas, double[] Residuals, int TestRows)
    {
        /// <summary>
        /// The held-out mean squared error at every α of <paramref name="grid"/> (decreasing): the residuals interpolated linearly
        /// in α between the two knots around it, held at the first knot above it and at the last below.
        /// </summary>
        public void Errors(double[] grid, Span<double> errors)
        {
            int m = TestRows, last = Alphas.Length - 1;
            var residual = new double[m];
            int k = 0;
            for (int g = 0; g < grid.Length; g++)
            {
                double alpha = grid[g];

                // The segment [α_{k+1}, α_k] holding α (the grid decreases, so k only moves forward).
                while (k < last && Alphas[k + 1] >= alpha)
                {
                    k++;
                }

                var upper = Residuals.AsSpan(k * m, m);
                if (alpha >= Alphas[k] || k == last)
                {
                    errors[g] = Kernels.SquaredNorm(upper) / m;
                    continue;
                }

                double t = (Alphas[k] - alpha) / (Alphas[k] - Alphas[k + 1]);
                upper.CopyTo(residual);
                Kernels.Scal(1.0 - t, residual);
                Kernels.Axpy(t, Residuals.AsSpan((k + 1) * m, m), residual);
                errors[g] = Kernels.SquaredNorm(residual) / m;
            }
        }
    }
}
