// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Preprocessing;

/// <summary>
/// Whitening: decorrelates the features and gives each direction unit variance, by PCA whitening or, with
/// <see cref="ApplyZca"/>, ZCA (zero-phase component analysis) whitening, as spm-image's <c>WhiteningScaler</c>.
/// </summary>
/// <remarks>
/// With μ the column means and Xc/√(n − 1) = U·diag(s)·V the thin singular value decomposition of the centred data
/// (÷ √n when <see cref="Unbiased"/> is false), PCA whitening maps x to (x − μ)·Vᵀ·diag(1/s) (one column per component)
/// and ZCA whitening to (x − μ)·Vᵀ·diag(1/s)·V (one column per feature, as close to x as a whitening can be; Bell and
/// Sejnowski, "The 'independent components' of natural scenes are edge filters", Vision Res. 37(23), 1997). The
/// transformed training data have the identity as their covariance (with the same n − 1 or n). Small singular values
/// are handled by <see cref="Thresholding"/>.
/// <para>
/// As spm-image: <see cref="Variances"/> holds the singular values s of Xc/√(n − 1) — the standard deviations along the
/// principal axes, which spm-image stores as <c>var_</c>; <see cref="WhiteningThresholding.Normalize"/> adds
/// <see cref="Epsilon"/> to s and <see cref="WhiteningThresholding.DropMinute"/> keeps the s &gt; <see cref="Epsilon"/>.
/// The rows of <see cref="Components"/> (spm-image's <c>unitary_</c>) are unique only up to sign; here each is signed so
/// that its largest entry in absolute value is positive (scikit-learn's <c>svd_flip</c> rule), so results do not depend
/// on the SVD routine. ZCA results have no such ambiguity.
/// </para>
/// <code>
/// var whitening = new WhiteningScaler { Thresholding = WhiteningThresholding.DropMinute, ApplyZca = true };
/// Matrix&lt;double&gt; white = whitening.FitTransform(patches);       // patches: samples × pixels
/// Matrix&lt;double&gt; back = whitening.InverseTransform(white);
/// </code>
/// A fitted scaler is immutable until the next successful fit; <see cref="Transform"/> and <see cref="InverseTransform"/>
/// may be called from several threads at once.
/// </remarks>
public sealed class WhiteningScaler : Estimator, ITransformer
{
    /// <summary>A singular value at or below this counts as zero when <see cref="Thresholding"/> is <see cref="WhiteningThresholding.None"/> (spm-image's <c>np.isclose(s, 0, atol=1e-10)</c>).</summary>
    private const double DegenerateLimit = 1e-10;

    /// <summary>Creates a whitening scaler with spm-image's defaults (PCA whitening, no thresholding, ε = 1e-9, unbiased).</summary>
    public WhiteningScaler()
    {
    }

    /// <summary>
    /// ε of the thresholding (default 1e-9, spm-image's <c>eps</c>): added to every singular value
    /// (<see cref="WhiteningThresholding.Normalize"/>) or the limit below which components are dropped
    /// (<see cref="WhiteningThresholding.DropMinute"/>). Must be finite, and &gt; 0 when a thresholding is set; unused otherwise.
    /// </summary>
    public double Epsilon { get; set; } = 1e-9;

    /// <summary>What to do with small singular values (default <see cref="WhiteningThresholding.None"/>: a singular value ≤ 1e-10 is an error).</summary>
    public WhiteningThresholding Thresholding { get; set; } = WhiteningThresholding.None;

    /// <summary>Whether the covariance is normalised by n − 1 (default true) rather than n (spm-image's <c>unbiased</c>).</summary>
    public bool Unbiased { get; set; } = true;

    /// <summary>Whether to rotate the whitened data back to the feature axes (ZCA whitening; default false: PCA whitening). Read at <see cref="Fit"/>.</summary>
    public bool ApplyZca { get; set; }

    /// <summary>The column means of the training data (spm-image's <c>mean_</c>).</summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public Vector<double> Mean => Vector<double>.Build.DenseOfArray((double[])Fitted<WhiteningState>(nameof(Mean)).Mean.Clone());

    /// <summary>
    /// The kept singular values of Xc/√(n − 1) (or /√n), descending, after thresholding (spm-image's <c>var_</c>, which
    /// despite the name are standard deviations along the principal axes, not their squares): one per component.
    /// </summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public Vector<double> Variances => Vector<double>.Build.DenseOfArray((double[])Fitted<WhiteningState>(nameof(Variances)).Variances.Clone());

    /// <summary>The principal axes: components × features, orthonormal rows in the order of <see cref="Variances"/> (spm-image's <c>unitary_</c>).</summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public Matrix<double> Components
    {
        get
        {
            var state = Fitted<WhiteningState>(nameof(Components));
            return MatrixStorage.FromColumnMajor(state.Variances.Length, state.Mean.Length, (double[])state.Components.Clone());
        }
    }

    private protected override EstimatorState ReadState(ModelReader reader) => WhiteningState.Read(reader);

    /// <summary>Fits the means and the principal axes of <paramref name="x"/>.</summary>
    /// <param name="x">Training samples, one per row (at least 2 when <see cref="Unbiased"/>); not modified.</param>
    /// <param name="cancellationToken">Checked before the decomposition; a cancelled fit leaves the previous model as it was.</param>
    /// <returns>This scaler, fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, holds NaN or ±∞ (named by row and column), has a single row with <see cref="Unbiased"/>,
    /// is degenerate (a singular value ≤ 1e-10) without thresholding, or has no singular value above <see cref="Epsilon"/>
    /// with <see cref="WhiteningThresholding.DropMinute"/>.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Epsilon"/> is not finite, or ≤ 0 with a thresholding; <see cref="Thresholding"/> is not defined.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public WhiteningScaler Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        Commit(Compute(x, cancellationToken));
        return this;
    }

    /// <summary>Fits to <paramref name="x"/> and returns its whitened copy.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Checked before the decomposition.</param>
    /// <returns>The whitened samples: samples × components (PCA) or samples × features (ZCA).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Fit"/>.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        var state = Compute(x, cancellationToken);
        Commit(state);
        return Apply(state, x);
    }

    /// <summary>Whitens samples: (x − μ)·Vᵀ·diag(1/s), then ·V with ZCA (as set at the fit).</summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <returns>The whitened samples: samples × components (PCA) or samples × features (ZCA).</returns>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN or ±∞, or has the wrong column count.</exception>
    public Matrix<double> Transform(Matrix<double> x)
    {
        using var scope = BeginWork();
        var state = Fitted<WhiteningState>(nameof(Transform));
        Guard.Samples(x);
        Guard.ColumnCount(x, state.Mean.Length);
        return Apply(state, x);
    }

    /// <summary>
    /// Maps whitened samples back: z·diag(s)·V + μ for PCA, z·Vᵀ·diag(s)·V + μ for ZCA, as spm-image's
    /// <c>inverse_transform</c>. Exact for the training data unless components were dropped or ε added.
    /// </summary>
    /// <param name="z">Whitened samples: components columns (PCA) or features columns (ZCA); not modified.</param>
    /// <returns>The samples in the original units.</returns>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="z"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="z"/> is empty, holds NaN or ±∞, or has the wrong column count.</exception>
    public Matrix<double> InverseTransform(Matrix<double> z)
    {
        using var scope = BeginWork();
        var state = Fitted<WhiteningState>(nameof(InverseTransform));
        Guard.Samples(z);
        int n = z.RowCount, m = state.Mean.Length, k = state.Variances.Length;
        if (z.ColumnCount != (state.ApplyZca ? m : k))
        {
            throw new ArgumentException(
                $"{nameof(z)} has {z.ColumnCount} columns but the model's {(state.ApplyZca ? "ZCA output has " + m.ToString(CultureInfo.InvariantCulture) + " (one per feature)" : "PCA output has " + k.ToString(CultureInfo.InvariantCulture) + " (one per component)")}; they must agree.",
                nameof(z));
        }

        var source = MatrixStorage.ColumnMajor(z);
        if (state.ApplyZca)
        {
            var rotated = new double[n * k];
            Gemm.Multiply(false, true, n, k, m, 1.0, source, n, state.Components, k, 0.0, rotated, n);
            source = rotated;
        }

        // diag(s)·V, then z·(diag(s)·V) + μ.
        var scaled = new double[k * m];
        for (int i = 0; i < m; i++)
        {
            for (int c = 0; c < k; c++)
            {
                scaled[c + (i * k)] = state.Variances[c] * state.Components[c + (i * k)];
            }
        }

        var result = new double[n * m];
        Gemm.Multiply(false, false, n, m, k, 1.0, source, n, scaled, k, 0.0, result, n);
        for (int j = 0; j < m; j++)
        {
            Kernels.AddScalar(state.Mean[j], result.AsSpan(j * n, n));
        }

        return MatrixStorage.FromColumnMajor(n, m, result);
    }

    ITransformer ITransformer.Fit(Matrix<double> x, CancellationToken cancellationToken) => Fit(x, cancellationToken);

    private static Matrix<double> Apply(WhiteningState state, Matrix<double> x)
    {
        int n = x.RowCount, m = state.Mean.Length, k = state.Variances.Length;
        var source = MatrixStorage.ColumnMajor(x);
        var centred = new double[n * m];
        for (int j = 0; j < m; j++)
        {
            Kernels.AddScalar(source.AsSpan(j * n, n), -state.Mean[j], centred.AsSpan(j * n, n));
        }

        // Vᵀ·diag(1/s) (features × components), as spm-image forms unitary_.T.dot(S_inv).
        var w = new double[m * k];
        for (int c = 0; c < k; c++)
        {
            double inverse = 1.0 / state.Variances[c];
            for (int i = 0; i < m; i++)
            {
                w[i + (c * m)] = state.Components[c + (i * k)] * inverse;
            }
        }

        var whitened = new double[n * k];
        Gemm.Multiply(false, false, n, k, m, 1.0, centred, n, w, m, 0.0, whitened, n);
        if (!state.ApplyZca)
        {
            return MatrixStorage.FromColumnMajor(n, k, whitened);
        }

        var zca = new double[n * m];
        Gemm.Multiply(false, false, n, m, k, 1.0, whitened, n, state.Components, k, 0.0, zca, n);
        return MatrixStorage.FromColumnMajor(n, m, zca);
    }

    private WhiteningState Compute(Matrix<double> x, CancellationToken cancellationToken)
    {
        ValidateParameters();
        Guard.Samples(x);
        int n = x.RowCount, m = x.ColumnCount;
        int divisor = Unbiased ? n - 1 : n;
        if (divisor == 0)
        {
            throw new ArgumentException($"{nameof(x)} has a single row; the unbiased covariance divides by n − 1 and needs at least 2 samples (or set {nameof(Unbiased)} = false).", nameof(x));
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Data far from unit scale (largest |entry| outside [2^−64, 2^65)) are brought to it by a power of two t, exactly
        // (docs/ARCHITECTURE.md, "Extreme scales"): the means and singular values are t times those of the data, the axes the
        // same. Epsilon is in the data's units and scales with it; the degenerate-data rule (s ≤ 1e-10) then reads the
        // rescaled singular values, i.e. relative to the data's scale.
        int e = Rescaling.Exponent(Rescaling.MaxAbs(x), -LinearScale.Band, LinearScale.Band);
        var data = MatrixStorage.ColumnMajor(Rescaling.Scaled(x, e));
        var mean = new double[m];
        var scaled = new double[n * m];
        double root = Math.Sqrt(divisor);
        for (int j = 0; j < m; j++)
        {
            var column = data.AsSpan(j * n, n);
            mean[j] = Kernels.Sum(column) / n;
            Kernels.ShiftDivide(column, mean[j], root, scaled.AsSpan(j * n, n));
        }

        // Tall data (the usual case: many patches of few pixels) are first reduced to their m×m R factor, whose singular
        // values and right singular vectors are those of the data; the SVD then works on m×m instead of n×m.
        int d = Math.Min(n, m);
        var (_, s, v) = n > m ? TruncatedSvd.Compute(TallSkinnyQr.R(scaled, n, m), m, m, d) : TruncatedSvd.Compute(scaled, n, m, d);
        int k = Threshold(s, Rescaling.Saturating(Epsilon, e), e, nameof(x));
        var components = new double[k * m];
        for (int c = 0; c < k; c++)
        {
            var axis = v.AsSpan(c * m, m);
            int largest = 0;
            for (int i = 1; i < m; i++)
            {
                if (Math.Abs(axis[i]) > Math.Abs(axis[largest]))
                {
                    largest = i;
                }
            }

            double sign = axis[largest] < 0.0 ? -1.0 : 1.0;
            for (int i = 0; i < m; i++)
            {
                components[c + (i * k)] = sign * axis[i];
            }
        }

        var kept = s[..k];
        Rescaling.CheckedInPlace(mean, -e, "mean");
        Rescaling.CheckedInPlace(kept, -e, "singular values");
        return new WhiteningState(mean, kept, components, ApplyZca);
    }

    /// <summary>
    /// Applies <see cref="Thresholding"/> to the descending singular values (of the data rescaled by 2^<paramref name="exponent"/>)
    /// in place, with <paramref name="epsilon"/> the rescaled <see cref="Epsilon"/>; returns how many are kept; errors name
    /// <paramref name="dataName"/> and state values in the caller's units.
    /// </summary>
    private int Threshold(double[] s, double epsilon, int exponent, string dataName)
    {
        switch (Thresholding)
        {
            case WhiteningThresholding.Normalize:
                Kernels.AddScalar(epsilon, s);
                return s.Length;
            case WhiteningThresholding.DropMinute:
                int kept = 0;
                while (kept < s.Length && s[kept] > epsilon)
                {
                    kept++;
                }

                if (kept == 0)
                {
                    throw new ArgumentException(
                        $"Every singular value of the centred x is ≤ {nameof(Epsilon)} = {Format(Epsilon)} (the largest is {Format(Rescaling.Saturating(s[0], -exponent))}): {nameof(WhiteningThresholding.DropMinute)} would keep no component; lower {nameof(Epsilon)}.",
                        dataName);
                }

                return kept;
            default:
                int degenerate = Array.FindIndex(s, value => value <= DegenerateLimit);
                if (degenerate >= 0)
                {
                    throw new ArgumentException(
                        $"The centred x is degenerate: singular value {degenerate} of Xc/√({(Unbiased ? "n − 1" : "n")}) is {Format(s[degenerate])}{(exponent != 0 ? string.Create(CultureInfo.InvariantCulture, $" (after rescaling the data by 2^{exponent} to unit scale)") : string.Empty)} ≤ 1e-10 " +
                        "(always so with at least as many features as samples). Set " +
                        $"{nameof(Thresholding)} = {nameof(WhiteningThresholding)}.{nameof(WhiteningThresholding.DropMinute)} to drop the components with singular values ≤ {nameof(Epsilon)}, " +
                        $"or {nameof(WhiteningThresholding)}.{nameof(WhiteningThresholding.Normalize)} to add {nameof(Epsilon)} to every singular value.",
                        dataName);
                }

                return s.Length;
        }
    }

    private protected override void ValidateParameters()
    {
        Guard.Defined(Thresholding, nameof(Thresholding));
        if (!double.IsFinite(Epsilon))
        {
            throw Guard.OutOfRange(nameof(Epsilon), $"{nameof(Epsilon)} must be finite (was {Format(Epsilon)}).");
        }

        if (Thresholding != WhiteningThresholding.None && !(Epsilon > 0.0))
        {
            throw Guard.OutOfRange(nameof(Epsilon), $"{nameof(Epsilon)} must be > 0 with {nameof(Thresholding)} = {Thresholding} (was {Format(Epsilon)}).");
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>The fitted state of a <see cref="WhiteningScaler"/>.</summary>
/// <param name="Mean">The column means (m).</param>
/// <param name="Variances">The kept singular values s (k).</param>
/// <param name="Components">The principal axes, k×m column-major.</param>
/// <param name="ApplyZca">Whether the transform rotates back to the feature axes.</param>
internal sealed record WhiteningState(double[] Mean, double[] Variances, double[] Components, bool ApplyZca) : EstimatorState
{
    /// <summary>Reads and checks a saved state: m ≥ 1 finite means, 1 ≤ k ≤ m finite singular values &gt; 0 (the transform divides by them), k × m finite axes.</summary>
    internal static WhiteningState Read(ModelReader reader)
    {
        var mean = reader.Doubles(nameof(Mean), SavedValue.Finite);
        reader.NotEmpty(nameof(Mean), mean.Length);
        var variances = reader.Doubles(nameof(Variances), SavedValue.FiniteNonNegative);
        reader.NotEmpty(nameof(Variances), variances.Length);
        if (variances.Length > mean.Length)
        {
            throw reader.Invalid(nameof(Variances), $"has {variances.Length} entries, more than the {mean.Length} features");
        }

        for (int c = 0; c < variances.Length; c++)
        {
            if (!(variances[c] > 0.0))
            {
                throw ModelReader.InvalidAt($"{reader.PathOf(nameof(Variances))}[{c}]", "must be > 0 (the transform divides by it) (was 0)");
            }
        }

        var components = reader.Doubles(nameof(Components), SavedValue.Finite);
        reader.Length(nameof(Components), components.Length, (long)variances.Length * mean.Length, $"the {variances.Length} variances × the {mean.Length} means");
        return new WhiteningState(mean, variances, components, reader.Bool(nameof(ApplyZca)));
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(Mean), Mean);
        writer.Doubles(nameof(Variances), Variances);
        writer.Doubles(nameof(Components), Components);
        writer.Bool(nameof(ApplyZca), ApplyZca);
    }
}
