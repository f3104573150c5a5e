// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// Orthogonal matching pursuit (Pati, Rezaiifar and Krishnaprasad, "Orthogonal matching pursuit:
/// recursive function approximation with applications to wavelet decomposition", Asilomar 1993), as
/// scikit-learn's <c>OrthogonalMatchingPursuit</c>: a greedy approximation of the ℓ0-constrained
/// least-squares problem.
/// </summary>
/// <remarks>
/// Approximately solves min ‖y − Xw − b‖² subject to ‖w‖₀ ≤ <see cref="NonzeroCoefficients"/>, or
/// min ‖w‖₀ subject to ‖y − Xw − b‖² ≤ <see cref="Tolerance"/>. Each step adds the feature most
/// correlated with the current residual and refits least squares on the chosen features; the
/// Cholesky factor of the chosen features' Gram block grows by one row per step and is never
/// refactorised. When there are more samples than features the pursuit runs on the Gram matrix XᵀX
/// (Rubinstein, Zibulevsky and Elad, "Efficient implementation of the K-SVD algorithm using batch
/// orthogonal matching pursuit", 2008), as scikit-learn's <c>precompute='auto'</c>; otherwise on X.
/// It stops early, with fewer features, when the residual is orthogonal to every unchosen feature
/// (it is then zero, or no feature can reduce it) or when the next feature is collinear with the
/// chosen ones (<see cref="IterativeEstimator.Converged"/> is then false). With an intercept, X and y
/// are centred first. <see cref="IterativeEstimator.Iterations"/> is the number of features chosen.
/// <code>
/// var omp = new OrthogonalMatchingPursuit { NonzeroCoefficients = 5 }.Fit(x, y);
/// Vector&lt;double&gt; w = omp.Coefficients; // at most 5 non-zeros
/// </code>
/// </remarks>
public sealed class OrthogonalMatchingPursuit : LinearRegressor, ISparsityConstrained
{
    /// <summary>Creates a pursuit with the default stopping rule (see <see cref="NonzeroCoefficients"/>).</summary>
    public OrthogonalMatchingPursuit()
    {
    }

    /// <summary>
    /// The number of features to choose, in [1, feature count]; ignored when <see cref="Tolerance"/> is
    /// set. Default null: max(1, ⌊10% of the features⌋), as scikit-learn, when <see cref="Tolerance"/>
    /// is also null.
    /// </summary>
    public int? NonzeroCoefficients { get; set; }

    /// <summary>
    /// The largest acceptable squared residual norm ‖y − Xw − b‖² (not divided by the sample count, as
    /// scikit-learn's <c>tol</c>), ≥ 0. When set it overrides <see cref="NonzeroCoefficients"/> and the
    /// pursuit may choose every feature. Default null.
    /// </summary>
    public double? Tolerance { get; set; }

    /// <summary>The squared residual norm ‖y − Xw − b‖² on the training data at the end of the last fit.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double ResidualSquaredNorm => FittedGap(nameof(ResidualSquaredNorm));

    /// <summary>The number of features the pursuit is asked for on data with <paramref name="featureCount"/> features (the resolved <see cref="NonzeroCoefficients"/>).</summary>
    internal int TargetAtoms(int featureCount) => Tolerance is not null ? featureCount : NonzeroCoefficients ?? Math.Max(1, featureCount / 10);

    /// <summary>Fits the pursuit to <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between steps; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="NonzeroCoefficients"/> is below 1 or above the feature count, or <see cref="Tolerance"/> is negative.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision (coefficients scale as y over X, squared measures as y²: inputs whose scales are too far apart), or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public OrthogonalMatchingPursuit Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitCore(x, y, cancellationToken);
        return this;
    }

    private protected override void ValidateParameters()
    {
        if (Tolerance is { } tolerance)
        {
            Guard.AtLeast(tolerance, 0.0, nameof(Tolerance));
        }
        else if (NonzeroCoefficients is { } requested)
        {
            Guard.AtLeast(requested, 1, nameof(NonzeroCoefficients));
        }
    }

    private protected override void FitCore(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        Guard.Targets(y, x.RowCount);
        int n = x.RowCount, p = x.ColumnCount;
        if (Tolerance is null && NonzeroCoefficients is { } count)
        {
            Guard.InRange(count, 1, p, nameof(NonzeroCoefficients));
        }

        // Data far from unit scale is fitted rescaled by powers of two (see LinearScale): the tolerance, a squared
        // residual norm, scales as t²; nothing changes otherwise.
        var scale = LinearScale.Of(x, y);
        double? squaredTolerance = Tolerance is double given ? scale.TargetSquared(given) : null;

        // More samples than features: the pursuit runs on the Gram matrix of a centred copy. Otherwise on X
        // itself, centred implicitly: no copy of X (for a large X the copy, not the pursuit, was the cost).
        var data = CenteredData.Prepare(scale.Apply(x), scale.Apply(y), FitIntercept, copyCentred: n > p);
        int atoms = TargetAtoms(p);
        var w = new double[p];
        OmpSolver.Result result;
        if (n > p)
        {
            var gram = GC.AllocateUninitializedArray<double>(p * p); // every entry written by Gram.Compute
            Gram.Compute(n, p, data.X, n, gram);
            var xty = new double[p];
            Gemv.MultiplyTransposed(n, p, 1.0, data.X, n, data.Y, 0.0, xty);
            cancellationToken.ThrowIfCancellationRequested();
            var workspace = new OmpSolver.Workspace(p, Math.Min(atoms, p));
            result = OmpSolver.SolveGram(gram, p, p, xty, Kernels.SquaredNorm(data.Y), atoms, squaredTolerance, w, workspace);
        }
        else
        {
            result = OmpSolver.Solve(data.X, n, p, data.Y, data.XMean, atoms, squaredTolerance, w, cancellationToken);
        }

        double intercept = scale.UnscaleIntercept(data.Intercept(w));
        scale.UnscaleCoefficients(w);
        SetFitted(w, intercept, result.Atoms, result.Converged(Tolerance is not null), scale.UnscaleSquared(Math.Max(0.0, result.ResidualSquaredNorm), "residual squared norm"));
    }
}
