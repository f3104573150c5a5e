// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The Lasso with α chosen along the LARS–Lasso path by an information criterion (AIC or BIC), as
/// scikit-learn 1.2.1's <c>LassoLarsIC</c>.
/// </summary>
/// <remarks>
/// <para>
/// The Lasso path of (1/(2n))·‖y − Xw − b‖² + α·‖w‖₁ is computed by LARS (see <see cref="LassoLars"/>)
/// down to α = 0 (or <see cref="MaxIterations"/> steps). At every knot k the criterion is
/// n·ln(2πσ²) + RSS_k/σ² + c·df_k, with RSS_k the residual sum of squares, df_k the number of
/// coefficients with |wⱼ| above machine epsilon (the degrees of freedom of the Lasso: Zou, Hastie and
/// Tibshirani, "On the degrees of freedom of the lasso", Ann. Statist. 35(5), 2007; measured on the rescaled
/// data when X or y lies far from unit scale, see <see cref="LinearRegressor"/>), c = 2 for AIC
/// and ln n for BIC. The knot with the smallest criterion is the model; its α is
/// <see cref="BestAlpha"/>.
/// </para>
/// <para>
/// σ² is <see cref="NoiseVariance"/> when given; otherwise it is estimated without bias from the
/// least-squares fit on the (centred) data, RSS_OLS/(n − p − 1) with an intercept and
/// RSS_OLS/(n − p) without, which needs more samples than features (plus one with an intercept).
/// If that estimate is exactly 0 (a noise-free fit), the criterion uses the smallest positive double
/// instead, so that the knot with the smallest residual wins.
/// </para>
/// <code>
/// var model = new LassoLarsIC { Criterion = InformationCriterion.Bic }.Fit(x, y);
/// Console.WriteLine($"α = {model.BestAlpha}, {model.Coefficients.Count(w => w != 0)} non-zeros");
/// </code>
/// </remarks>
public sealed class LassoLarsIC : LarsRegressor
{
    /// <summary>Machine epsilon of double (numpy's <c>finfo(float).eps</c>): coefficients above it in magnitude count as degrees of freedom.</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Creates the estimator with scikit-learn's defaults (AIC, 500 steps at most, σ² estimated, intercept fitted).</summary>
    public LassoLarsIC()
    {
    }

    /// <summary>The criterion minimised along the path (default <see cref="InformationCriterion.Aic"/>).</summary>
    public InformationCriterion Criterion { get; set; } = InformationCriterion.Aic;

    /// <summary>The most LARS steps, ≥ 1 (default 500).</summary>
    public int MaxIterations { get; set; } = 500;

    /// <summary>The noise variance σ² &gt; 0 of the criterion; null (default) estimates it from the least-squares fit.</summary>
    public double? NoiseVariance { get; set; }

    /// <summary>The α of the chosen knot (scikit-learn's <c>alpha_</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double BestAlpha => Fitted(nameof(BestAlpha)).BestAlpha;

    /// <summary>The same as <see cref="BestAlpha"/>: the α the criterion chose.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double Alpha => Fitted(nameof(Alpha)).BestAlpha;

    /// <summary>The criterion at every knot of <see cref="LarsRegressor.Alphas"/> (scikit-learn's <c>criterion_</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Vector<double> CriterionValues => Vector<double>.Build.Dense((double[])Fitted(nameof(CriterionValues)).Criterion!.Clone());

    /// <summary>The σ² used: <see cref="NoiseVariance"/>, or its estimate (scikit-learn's <c>noise_variance_</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double FittedNoiseVariance => Fitted(nameof(FittedNoiseVariance)).NoiseVariance;

    /// <summary>Fits the path and chooses α on <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between steps; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The inputs are empty, disagree in shape, or hold NaN or ±∞; or <see cref="NoiseVariance"/> is
    /// null and there are too few samples to estimate it (n ≤ p, or n ≤ p + 1 with an intercept).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision (coefficients scale as y over X, squared measures as y²: inputs whose scales are too far apart), or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public LassoLarsIC Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitCore(x, y, cancellationToken);
        return this;
    }

    private protected override EstimatorState ReadState(ModelReader reader) => LarsModelState.Read(reader, withCriterion: true);

    private protected override void ValidateParameters()
    {
        Guard.Defined(Criterion, nameof(Criterion));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        if (NoiseVariance is { } given)
        {
            Guard.GreaterThan(given, 0.0, nameof(NoiseVariance));
        }
    }

    private protected override void FitCore(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        Guard.Targets(y, x.RowCount);
        int n = x.RowCount, p = x.ColumnCount;
        int intercept = FitIntercept ? 1 : 0;
        if (NoiseVariance is null && n <= p + intercept)
        {
            throw new ArgumentException(
                $"x has {n} samples and {p} features: estimating the noise variance needs more than {p + intercept} samples. Set {nameof(NoiseVariance)} to an estimate.",
                nameof(x));
        }

        // The noise estimate needs the Gram matrix and an explicitly centred X: precompute then.
        var problem = LarsProblem.Create(x, y, FitIntercept, NoiseVariance is null || LarsProblem.ShouldPrecompute(n, p, MaxIterations));
        // The residual sums of squares, σ² and the criterion are computed in the problem's units (rescaled data: see
        // LinearScale), where they cannot overflow; the criterion then shifts by −n·ln t² and σ² scales by 1/t². The
        // degrees of freedom count coefficients above machine epsilon in the problem's units too: scikit-learn's absolute
        // threshold, which on data far from unit scale would count every coefficient or none.
        var scaled = problem.Solve(LarsMethod.Lasso, 0.0, MaxIterations, positive: false, OnIteration, cancellationToken);
        var output = problem.ToCallerUnits(scaled);
        var scale = problem.Scale;
        double sigma2 = NoiseVariance is double noise ? scale.TargetSquared(noise) : EstimateNoiseVariance(problem, intercept);

        var rss = problem.ResidualSumsOfSquares(scaled.Path, scaled.Knots);
        double factor = Criterion == InformationCriterion.Aic ? 2.0 : Math.Log(n);
        double s2 = sigma2 > 0.0 ? sigma2 : double.Epsilon;
        double constant = n * Math.Log(2.0 * Math.PI * s2);
        if (scale.Y != 0)
        {
            constant -= n * 2.0 * scale.Y * Math.Log(2.0);
        }

        var criterion = new double[output.Knots];
        int best = 0;
        for (int k = 0; k < output.Knots; k++)
        {
            int df = 0;
            foreach (double w in scaled.Path.AsSpan(k * p, p))
            {
                if (Math.Abs(w) > MachineEpsilon)
                {
                    df++;
                }
            }

            criterion[k] = constant + (rss[k] / s2) + (factor * df);
            if (criterion[k] < criterion[best] || double.IsNaN(criterion[best]))
            {
                best = k;
            }
        }

        var state = StateOf(problem, output, best, output.Stop == LarsSolver.StopReason.AlphaReached);
        Commit(state with { Criterion = criterion, BestAlpha = output.Alphas[best], NoiseVariance = NoiseVariance ?? scale.UnscaleSquared(sigma2, "noise variance") });
    }

    /// <summary>
    /// The unbiased noise variance of the least-squares fit on the prepared (centred) data:
    /// RSS/(n − p − intercept). The fit uses the Cholesky factor of the Gram matrix over a maximal set
    /// of independent columns (so a rank-deficient X is handled), with one step of iterative
    /// refinement, and the residual is formed explicitly.
    /// </summary>
    private static double EstimateNoiseVariance(LarsProblem problem, int intercept)
    {
        int n = problem.Rows, p = problem.Features;
        var g = problem.Gram.Full!;
        var x = problem.X;
        var y = problem.Y;
        var cholesky = new CholeskyUpdater(p);
        var basis = new List<int>(p);
        var cross = new double[p];
        for (int j = 0; j < p; j++)
        {
            // The fit's cancellation once per column: the factor costs p³/6 multiply-adds in all, seconds at p = 2500.
            Parallelism.ThrowIfCancellationRequested();
            for (int k = 0; k < basis.Count; k++)
            {
                cross[k] = g[basis[k] + (j * p)];
            }

            if (cholesky.TryAppend(cross.AsSpan(0, basis.Count), g[j + (j * p)]))
            {
                basis.Add(j);
            }
        }

        int r = basis.Count;
        var beta = new double[r];
        for (int k = 0; k < r; k++)
        {
            beta[k] = problem.Xy[basis[k]];
        }

        cholesky.Solve(beta);
        var residual = new double[n];
        var correction = new double[r];
        for (int pass = 0; pass < 2; pass++)
        {
            y.CopyTo(residual, 0);
            for (int k = 0; k < r; k++)
            {
                Kernels.Axpy(-beta[k], x.AsSpan(basis[k] * n, n), residual);
            }

            if (pass == 1)
            {
                break;
            }

            for (int k = 0; k < r; k++)
            {
                correction[k] = Kernels.Dot(x.AsSpan(basis[k] * n, n), residual);
            }

            cholesky.Solve(correction);
            for (int k = 0; k < r; k++)
            {
                beta[k] += correction[k];
            }
        }

        return Kernels.SquaredNorm(residual) / (n - p - intercept);
    }

}
