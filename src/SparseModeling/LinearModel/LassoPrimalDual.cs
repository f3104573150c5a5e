// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Optimization;

namespace SparseModeling.LinearModel;

/// <summary>
/// Robust generalized-Lasso denoising of a signal by the diagonally preconditioned primal–dual method of Pock and
/// Chambolle ("Diagonal preconditioning for first order primal-dual algorithms in convex optimization", ICCV 2011): spm-image's
/// experimental <c>LassoPPD</c>. D is the correlation with a short <see cref="Filter"/> ([1, −1]: the fused Lasso's first
/// differences; [1, −2, 1]: trend filtering's second differences; [1], the default: the plain L1 penalty).
/// </summary>
/// <remarks>
/// <para>Minimises ‖Du‖₁ + α·‖u − y‖₁ over the signal u, given the observed signal y (α = <see cref="Alpha"/>).</para>
/// <para>
/// Not the objective of the ADMM classes (<see cref="LassoAdmm"/> and the generalized-Lasso family minimise
/// (1/(2n))·‖y − Xw‖² + α·‖Dw‖₁): the data term here is an L1 norm, robust to outliers and impulse noise — a few wild
/// samples cost in proportion to their size rather than its square, so they are left out of the estimate instead of pulling
/// it — and α weights the data term, not the penalty: a larger α follows y more closely (α ≥ Σ|f| returns y itself),
/// a smaller one smooths more. There is no design matrix: the signal is the only input (<see cref="Fit"/>).
/// </para>
/// <para>
/// Each iteration is a few passes over the signal (products with D and Dᵀ as shifted AXPYs, and fused element-wise steps);
/// no linear system is solved, so time and memory grow linearly with the signal's length (about eight vectors of its
/// length: a 10⁶-sample signal takes about 64 MB). Step sizes are the paper's preconditioners (exponent 1): 1/(column sum
/// of |D| + α) per sample and 1/Σ|f|, 1/α per dual entry; spm-image uses the same except at the last samples, where its
/// column sums are shifted by one. The iteration starts as spm-image's from u = y.
/// </para>
/// <para>
/// Stopping (spm-image runs a fixed number of iterations): every ten iterations and after the last, the duality gap
/// P(u) − D(p) — the objective minus the bound (Dy)ᵀp of a feasible dual point made from the current dual iterate, an upper
/// bound on the distance to the optimal objective — is compared with <see cref="Tolerance"/>·P(u);
/// <see cref="IterativeEstimator.Converged"/> says whether it met it. The signal is brought to unit scale by a power of
/// two before the iteration (exactly), since the dual iterates are bounded by 1 whatever the signal's units; results are
/// scaled back, so a fit on c·y gives c times the fit on y.
/// </para>
/// <code>
/// var denoised = new LassoPrimalDual { Filter = [1.0, -1.0], Alpha = 0.5, MaxIterations = 5000 }.Fit(signal).Coefficients;
/// </code>
/// </remarks>
public sealed class LassoPrimalDual : IterativeEstimator
{
    /// <summary>Creates the estimator with spm-image's defaults (α = 1, filter [1], 1000 iterations) and a relative gap tolerance of 1e-4.</summary>
    public LassoPrimalDual()
    {
    }

    /// <summary>The weight α &gt; 0 of the data term ‖u − y‖₁ (default 1, as spm-image's <c>alpha</c>): larger follows the signal more closely.</summary>
    public double Alpha { get; set; } = 1.0;

    /// <summary>The filter f whose correlation with u is penalised, (Du)_r = Σ_i f_i·u_(r+i) (spm-image's <c>params</c>; default [1]): at least one tap, finite, not all zero; the signal needs at least as many samples as taps.</summary>
    public double[] Filter { get; set; } = [1.0];

    /// <summary>The most iterations (default 1000, as spm-image; at least 1).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>The relative duality gap at which the iteration stops, ≥ 0 (default 1e-4; 0 runs <see cref="MaxIterations"/>).</summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>Called at every evaluation of the stopping rule with the objective and the duality gap.</summary>
    public Action<PrimalDualIterationInfo>? OnIteration { get; set; }

    /// <summary>The estimated signal u (spm-image's <c>coef_</c>), one entry per sample of the fitted signal (a copy).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Vector<double> Coefficients => Vector<double>.Build.Dense((double[])Fitted<LassoPrimalDualState>(nameof(Coefficients)).Coefficients.Clone());

    /// <summary>The objective ‖Du‖₁ + α‖u − y‖₁ at <see cref="Coefficients"/>.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double Objective => Fitted<LassoPrimalDualState>(nameof(Objective)).Objective;

    /// <summary>The duality gap at <see cref="Coefficients"/>: the objective exceeds the optimum by at most this much.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double DualGap => Fitted<LassoPrimalDualState>(nameof(DualGap)).DualGap;

    /// <summary>Denoises <paramref name="signal"/>: fits u minimising ‖Du‖₁ + α‖u − y‖₁ with y = <paramref name="signal"/>.</summary>
    /// <param name="signal">The observed signal y, at least as many samples as <see cref="Filter"/> has taps; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signal"/> is null.</exception>
    /// <exception cref="ArgumentException">The signal is empty, shorter than the filter, or holds NaN or ±∞ (index named).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (<see cref="Alpha"/> ≤ 0, an empty, non-finite or all-zero <see cref="Filter"/>, ...).</exception>
    /// <exception cref="ArithmeticException">The iteration produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public LassoPrimalDual Fit(Vector<double> signal, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        ArgumentNullException.ThrowIfNull(signal);
        if (signal.Count == 0)
        {
            throw new ArgumentException("signal is empty; at least one sample is needed.", nameof(signal));
        }

        Guard.Finite(signal);
        var filter = (double[])Filter.Clone();
        if (signal.Count < filter.Length)
        {
            throw new ArgumentException($"signal has {signal.Count} samples but the filter has {filter.Length} taps: D would have no rows. Use a signal of at least {filter.Length} samples.", nameof(signal));
        }

        // Unit scale by a power of two (exact): the dual iterates live in [−1, 1] whatever the units of y.
        var y = signal.ToArray();
        int exponent = Rescaling.Exponent(Rescaling.MaxAbs(y), 0, 0);
        Rescaling.Scale(y, exponent);
        var report = OnIteration is not { } callback || exponent == 0
            ? OnIteration
            : info => callback(info with { Objective = Rescaling.Saturating(info.Objective, -exponent), DualGap = Rescaling.Saturating(info.DualGap, -exponent) });
        var u = new double[y.Length];
        var result = PreconditionedPrimalDualSolver.Solve(filter, Alpha, y, u, new PreconditionedPrimalDualSolver.Settings(MaxIterations, Tolerance, report, cancellationToken));
        Rescaling.CheckedInPlace(u, -exponent, "coefficients");
        Commit(new LassoPrimalDualState(
            u,
            Rescaling.Checked(result.Objective, -exponent, "objective"),
            Rescaling.Checked(result.DualGap, -exponent, "duality gap"),
            result.Iterations,
            result.Converged));
        return this;
    }

    private protected override EstimatorState ReadState(ModelReader reader) => LassoPrimalDualState.Read(reader);

    private protected override void ValidateParameters()
    {
        Guard.GreaterThan(Alpha, 0.0, nameof(Alpha));
        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
        var filter = Filter ?? throw new ArgumentNullException(nameof(Filter));
        if (filter.Length == 0)
        {
            throw Guard.OutOfRange(nameof(Filter), $"{nameof(Filter)} must have at least one tap (was empty).");
        }

        for (int i = 0; i < filter.Length; i++)
        {
            if (!double.IsFinite(filter[i]))
            {
                throw Guard.OutOfRange(nameof(Filter), $"{nameof(Filter)} must be finite but has {filter[i].ToString(System.Globalization.CultureInfo.InvariantCulture)} at index {i}.");
            }
        }

        if (Array.TrueForAll(filter, f => f == 0.0))
        {
            throw Guard.OutOfRange(nameof(Filter), $"{nameof(Filter)} must have a non-zero tap (all {filter.Length} are 0): D would be zero.");
        }
    }
}

/// <summary>The fitted state of <see cref="LassoPrimalDual"/>.</summary>
/// <param name="Coefficients">The estimated signal u.</param>
/// <param name="Objective">‖Du‖₁ + α‖u − y‖₁ at u.</param>
/// <param name="DualGap">The duality gap at u.</param>
/// <param name="Iterations">The iterations run.</param>
/// <param name="Converged">Whether the gap met the tolerance.</param>
internal sealed record LassoPrimalDualState(double[] Coefficients, double Objective, double DualGap, int Iterations, bool Converged)
    : IterativeState(Iterations, Converged)
{
    /// <summary>Reads and checks a saved state: at least one finite coefficient, a finite objective ≥ 0, a finite gap, iterations ≥ 0.</summary>
    internal static LassoPrimalDualState Read(ModelReader reader)
    {
        var coefficients = reader.Doubles(nameof(Coefficients), SavedValue.Finite);
        reader.NotEmpty(nameof(Coefficients), coefficients.Length);
        return new LassoPrimalDualState(
            coefficients,
            reader.Double(nameof(Objective), SavedValue.FiniteNonNegative),
            reader.Double(nameof(DualGap), SavedValue.Finite),
            reader.Int(nameof(Iterations), 0),
            reader.Bool(nameof(Converged)));
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(Coefficients), Coefficients);
        writer.Double(nameof(Objective), Objective);
        writer.Double(nameof(DualGap), DualGap);
        base.Write(writer);
    }
}
