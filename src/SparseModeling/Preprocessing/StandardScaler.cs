// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Preprocessing;

/// <summary>
/// Standardises features: z = (x − μ) / σ per column, μ the column mean and σ the population standard deviation, as
/// scikit-learn's <c>StandardScaler</c>.
/// </summary>
/// <remarks>
/// The variance is computed as scikit-learn computes it (the corrected two-pass algorithm of Chan, Golub and LeVeque,
/// "Algorithms for computing the sample variance: analysis and recommendations", Am. Stat. 37(3), 1983, divided by n).
/// A feature whose variance is indistinguishable from zero at the precision of that algorithm
/// (σ² ≤ n·ε·σ² + (n·μ·ε)², scikit-learn's test) gets scale 1, so that a constant column maps to zeros instead of NaN.
/// Unlike scikit-learn, NaN is rejected rather than ignored, and <see cref="Mean"/> and <see cref="Variance"/> are always
/// fitted (scikit-learn leaves them <c>None</c> when they are not used).
/// <code>
/// var scaler = new StandardScaler().Fit(x);
/// Matrix&lt;double&gt; z = scaler.Transform(x);            // every column: mean 0, variance 1
/// Matrix&lt;double&gt; back = scaler.InverseTransform(z);
/// </code>
/// A fitted scaler is immutable until the next successful fit; <see cref="Transform"/> and <see cref="InverseTransform"/>
/// may be called from several threads at once.
/// </remarks>
public sealed class StandardScaler : Estimator, ITransformer
{
    /// <summary>The spacing of doubles at 1, 2⁻⁵² (NumPy's <c>finfo(float64).eps</c>).</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Creates a scaler with scikit-learn's defaults (centre and scale).</summary>
    public StandardScaler()
    {
    }

    /// <summary>Whether <see cref="Transform"/> subtracts the mean (default true, scikit-learn's <c>with_mean</c>). Read at <see cref="Fit"/>.</summary>
    public bool WithMean { get; set; } = true;

    /// <summary>Whether <see cref="Transform"/> divides by the standard deviation (default true, scikit-learn's <c>with_std</c>). Read at <see cref="Fit"/>.</summary>
    public bool WithStd { get; set; } = true;

    /// <summary>The column means of the training data (scikit-learn's <c>mean_</c>), fitted whether or not <see cref="WithMean"/> is set.</summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public Vector<double> Mean => Vector<double>.Build.DenseOfArray((double[])Fitted<StandardScalerState>(nameof(Mean)).Mean.Clone());

    /// <summary>The population variances (divided by n) of the training columns (scikit-learn's <c>var_</c>), fitted whether or not <see cref="WithStd"/> is set.</summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public Vector<double> Variance => Vector<double>.Build.DenseOfArray((double[])Fitted<StandardScalerState>(nameof(Variance)).Variance.Clone());

    /// <summary>
    /// The divisor of each column (scikit-learn's <c>scale_</c>): √<see cref="Variance"/>, or 1 for a constant column; all ones
    /// when <see cref="WithStd"/> was false at the fit (where scikit-learn leaves <c>scale_</c> <c>None</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public Vector<double> Scale => Vector<double>.Build.DenseOfArray((double[])Fitted<StandardScalerState>(nameof(Scale)).Scale.Clone());

    /// <summary>The number of training samples (scikit-learn's <c>n_samples_seen_</c>).</summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public int SampleCount => Fitted<StandardScalerState>(nameof(SampleCount)).SampleCount;

    private protected override EstimatorState ReadState(ModelReader reader) => StandardScalerState.Read(reader);

    /// <summary>Computes the column means, variances and scales of <paramref name="x"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Checked before the fit starts; a cancelled fit leaves the previous model as it was.</param>
    /// <returns>This scaler, fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or holds NaN or ±∞ (named by row and column).</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public StandardScaler Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        Commit(Compute(x, cancellationToken));
        return this;
    }

    /// <summary>Fits to <paramref name="x"/> and returns its standardised copy.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Checked before the fit starts.</param>
    /// <returns>The standardised samples.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit"/>.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        var state = Compute(x, cancellationToken);
        Commit(state);
        return Apply(state, x);
    }

    /// <summary>(x − <see cref="Mean"/>) / <see cref="Scale"/> per column (each step only if enabled at the fit).</summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <returns>The standardised samples.</returns>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN or ±∞, or has the wrong column count.</exception>
    public Matrix<double> Transform(Matrix<double> x)
    {
        using var scope = BeginWork();
        var state = Fitted<StandardScalerState>(nameof(Transform));
        Guard.Samples(x);
        Guard.ColumnCount(x, state.Mean.Length);
        return Apply(state, x);
    }

    /// <summary>z·<see cref="Scale"/> + <see cref="Mean"/> per column (each step only if enabled at the fit): the inverse of <see cref="Transform"/>, as scikit-learn's <c>inverse_transform</c>.</summary>
    /// <param name="z">Standardised samples; not modified.</param>
    /// <returns>The samples in the original units.</returns>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="z"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="z"/> is empty, holds NaN or ±∞, or has the wrong column count.</exception>
    public Matrix<double> InverseTransform(Matrix<double> z)
    {
        using var scope = BeginWork();
        var state = Fitted<StandardScalerState>(nameof(InverseTransform));
        Guard.Samples(z);
        Guard.ColumnCount(z, state.Mean.Length);
        int n = z.RowCount, m = z.ColumnCount;
        var source = MatrixStorage.ColumnMajor(z);
        var result = new double[n * m];
        for (int j = 0; j < m; j++)
        {
            Kernels.ScaleShift(source.AsSpan(j * n, n), state.Scale[j], state.WithMean ? state.Mean[j] : 0.0, result.AsSpan(j * n, n));
        }

        return MatrixStorage.FromColumnMajor(n, m, result);
    }

    ITransformer ITransformer.Fit(Matrix<double> x, CancellationToken cancellationToken) => Fit(x, cancellationToken);

    private static Matrix<double> Apply(StandardScalerState state, Matrix<double> x)
    {
        int n = x.RowCount, m = x.ColumnCount;
        var source = MatrixStorage.ColumnMajor(x);
        var result = new double[n * m];
        for (int j = 0; j < m; j++)
        {
            Kernels.ShiftDivide(source.AsSpan(j * n, n), state.WithMean ? state.Mean[j] : 0.0, state.Scale[j], result.AsSpan(j * n, n));
        }

        return MatrixStorage.FromColumnMajor(n, m, result);
    }

    private StandardScalerState Compute(Matrix<double> x, CancellationToken cancellationToken)
    {
        Guard.Samples(x);
        cancellationToken.ThrowIfCancellationRequested();
        int n = x.RowCount, m = x.ColumnCount;
        var data = MatrixStorage.ColumnMajor(x);
        var mean = new double[m];
        var variance = new double[m];
        var scale = new double[m];
        var centred = new double[n];
        for (int j = 0; j < m; j++)
        {
            // scikit-learn's _incremental_mean_and_var on a first batch: T = Σx / n, then
            // (Σ(x − T)² − (Σ(x − T))² / n) / n.
            // A column far from unit scale (outside the linear models' band) is brought to it by a power of two, exactly,
            // so that its sum of squares neither overflows nor underflows; its statistics are scaled back.
            ReadOnlySpan<double> column = data.AsSpan(j * n, n);
            int e = Rescaling.Exponent(Rescaling.MaxAbs(column), -LinearScale.Band, LinearScale.Band);
            if (e != 0)
            {
                column = Rescaling.ScaledCopy(column, e);
            }

            double mu = Kernels.Sum(column) / n;
            Kernels.AddScalar(column, -mu, centred);
            double correction = Kernels.Sum(centred);
            double v = (Kernels.SquaredNorm(centred) - (correction * correction / n)) / n;
            bool constant = v <= (n * MachineEpsilon * v) + Square(n * mu * MachineEpsilon);
            double sigma = Math.Sqrt(v);
            if (e != 0)
            {
                string feature = string.Create(CultureInfo.InvariantCulture, $"of column {j}");
                mu = Rescaling.Checked(mu, -e, "mean " + feature);
                v = Rescaling.Checked(v, -2 * e, "variance " + feature);
                sigma = Rescaling.Checked(sigma, -e, "standard deviation " + feature);
            }

            mean[j] = mu;
            variance[j] = v;
            scale[j] = !WithStd || constant ? 1.0 : sigma;
        }

        return new StandardScalerState(mean, variance, scale, n, WithMean, WithStd);
    }

    private static double Square(double value) => value * value;
}

/// <summary>The fitted state of a <see cref="StandardScaler"/>.</summary>
/// <param name="Mean">The column means.</param>
/// <param name="Variance">The population column variances.</param>
/// <param name="Scale">The divisors (1 for constant columns, or all ones without scaling).</param>
/// <param name="SampleCount">The number of training samples.</param>
/// <param name="WithMean">Whether the transform centres.</param>
/// <param name="WithStd">Whether the transform scales.</param>
internal sealed record StandardScalerState(double[] Mean, double[] Variance, double[] Scale, int SampleCount, bool WithMean, bool WithStd) : EstimatorState
{
    /// <summary>Reads and checks a saved state: m ≥ 1 finite means, finite variances ≥ 0 and finite scales &gt; 0 (the transform divides by them), one each per feature, at least one sample.</summary>
    internal static StandardScalerState Read(ModelReader reader)
    {
        var mean = reader.Doubles(nameof(Mean), SavedValue.Finite);
        reader.NotEmpty(nameof(Mean), mean.Length);
        var variance = reader.Doubles(nameof(Variance), SavedValue.FiniteNonNegative);
        reader.Length(nameof(Variance), variance.Length, mean.Length, $"one per feature ({mean.Length})");
        var scale = reader.Doubles(nameof(Scale), SavedValue.FiniteNonNegative);
        reader.Length(nameof(Scale), scale.Length, mean.Length, $"one per feature ({mean.Length})");
        for (int j = 0; j < scale.Length; j++)
        {
            if (!(scale[j] > 0.0))
            {
                throw ModelReader.InvalidAt($"{reader.PathOf(nameof(Scale))}[{j}]", "must be > 0 (the transform divides by it) (was 0)");
            }
        }

        return new StandardScalerState(mean, variance, scale, reader.Int(nameof(SampleCount), 1), reader.Bool(nameof(WithMean)), reader.Bool(nameof(WithStd)));
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(Mean), Mean);
        writer.Doubles(nameof(Variance), Variance);
        writer.Doubles(nameof(Scale), Scale);
        writer.Int(nameof(SampleCount), SampleCount);
        writer.Bool(nameof(WithMean), WithMean);
        writer.Bool(nameof(WithStd), WithStd);
    }
}
