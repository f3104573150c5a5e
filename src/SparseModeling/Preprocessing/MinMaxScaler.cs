// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Preprocessing;

/// <summary>
/// Scales each feature to a given range: z = x·s + o per column with s = (max − min of the range) / (max − min of the
/// column) and o = (min of the range) − (min of the column)·s, so that the training data span exactly
/// [<see cref="FeatureMin"/>, <see cref="FeatureMax"/>], as scikit-learn's <c>MinMaxScaler</c>.
/// </summary>
/// <remarks>
/// A column whose range is below 10·ε (ε = 2⁻⁵², scikit-learn's <c>_handle_zeros_in_scale</c>) counts as constant and is
/// divided by 1 instead, so it maps to <see cref="FeatureMin"/> rather than to NaN. A column far from unit scale (largest
/// |entry| outside [2^−64, 2^65)) is brought to it by a power of two first (exact, since powers of two lose no digits), so that its
/// range cannot overflow and the constant-column test reads its range relative to its scale. Unlike scikit-learn, NaN is
/// rejected rather than ignored.
/// <code>
/// var scaler = new MinMaxScaler().Fit(x);
/// Matrix&lt;double&gt; z = scaler.Transform(x);            // every column spans [0, 1]
/// Matrix&lt;double&gt; back = scaler.InverseTransform(z);
/// </code>
/// A fitted scaler is immutable until the next successful fit; <see cref="Transform"/> and <see cref="InverseTransform"/>
/// may be called from several threads at once.
/// </remarks>
public sealed class MinMaxScaler : Estimator, ITransformer
{
    /// <summary>Ranges below this count as zero (scikit-learn's <c>10 * np.finfo(float64).eps</c>).</summary>
    private const double ZeroRange = 10.0 * 2.220446049250313e-16;

    /// <summary>Creates a scaler to [0, 1], scikit-learn's default.</summary>
    public MinMaxScaler()
    {
    }

    /// <summary>The lower end of the target range (default 0, the first entry of scikit-learn's <c>feature_range</c>); below <see cref="FeatureMax"/>. Read at <see cref="Fit"/>.</summary>
    public double FeatureMin { get; set; }

    /// <summary>The upper end of the target range (default 1, the second entry of scikit-learn's <c>feature_range</c>). Read at <see cref="Fit"/>.</summary>
    public double FeatureMax { get; set; } = 1.0;

    /// <summary>Whether <see cref="Transform"/> clips its output to [<see cref="FeatureMin"/>, <see cref="FeatureMax"/>] (default false, scikit-learn's <c>clip</c>), for new samples outside the training range. Read at <see cref="Fit"/>.</summary>
    public bool Clip { get; set; }

    /// <summary>The column minima of the training data (scikit-learn's <c>data_min_</c>).</summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public Vector<double> DataMin => Copy(Fitted<MinMaxScalerState>(nameof(DataMin)).DataMin);

    /// <summary>The column maxima of the training data (scikit-learn's <c>data_max_</c>).</summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public Vector<double> DataMax => Copy(Fitted<MinMaxScalerState>(nameof(DataMax)).DataMax);

    /// <summary>The column ranges max − min of the training data (scikit-learn's <c>data_range_</c>).</summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public Vector<double> DataRange => Copy(Fitted<MinMaxScalerState>(nameof(DataRange)).DataRange);

    /// <summary>The factor s of each column (scikit-learn's <c>scale_</c>): the target range over the column's range (over 1 for a constant column).</summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public Vector<double> Scale => Copy(Fitted<MinMaxScalerState>(nameof(Scale)).Scale);

    /// <summary>The offset o of each column, added after the factor (scikit-learn's <c>min_</c>): <see cref="FeatureMin"/> − <see cref="DataMin"/>·<see cref="Scale"/>.</summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public Vector<double> Offset => Copy(Fitted<MinMaxScalerState>(nameof(Offset)).Offset);

    /// <summary>The number of training samples (scikit-learn's <c>n_samples_seen_</c>).</summary>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public int SampleCount => Fitted<MinMaxScalerState>(nameof(SampleCount)).SampleCount;

    /// <summary>Computes the column minima, maxima, factors and offsets of <paramref name="x"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Checked before the fit starts; a cancelled fit leaves the previous model as it was.</param>
    /// <returns>This scaler, fitted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or holds NaN or ±∞ (named by row and column).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="FeatureMin"/> or <see cref="FeatureMax"/> is not finite, or <see cref="FeatureMin"/> ≥ <see cref="FeatureMax"/>.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public MinMaxScaler Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        Commit(Compute(x, cancellationToken));
        return this;
    }

    /// <summary>Fits to <paramref name="x"/> and returns its scaled copy.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="cancellationToken">Checked before the fit starts.</param>
    /// <returns>The scaled samples.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Fit"/>.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public Matrix<double> FitTransform(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        var state = Compute(x, cancellationToken);
        Commit(state);
        return Apply(state, x);
    }

    /// <summary>x·<see cref="Scale"/> + <see cref="Offset"/> per column, clipped to the target range when <see cref="Clip"/> was set at the fit.</summary>
    /// <param name="x">Samples with as many columns as the training data; not modified.</param>
    /// <returns>The scaled samples.</returns>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, holds NaN or ±∞, or has the wrong column count.</exception>
    public Matrix<double> Transform(Matrix<double> x)
    {
        using var scope = BeginWork();
        var state = Fitted<MinMaxScalerState>(nameof(Transform));
        Guard.Samples(x);
        Guard.ColumnCount(x, state.Scale.Length);
        return Apply(state, x);
    }

    /// <summary>(z − <see cref="Offset"/>) / <see cref="Scale"/> per column: the inverse of <see cref="Transform"/> (of its unclipped values), as scikit-learn's <c>inverse_transform</c>.</summary>
    /// <param name="z">Scaled samples; not modified.</param>
    /// <returns>The samples in the original units.</returns>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="z"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="z"/> is empty, holds NaN or ±∞, or has the wrong column count.</exception>
    public Matrix<double> InverseTransform(Matrix<double> z)
    {
        using var scope = BeginWork();
        var state = Fitted<MinMaxScalerState>(nameof(InverseTransform));
        Guard.Samples(z);
        Guard.ColumnCount(z, state.Scale.Length);
        int n = z.RowCount, m = z.ColumnCount;
        var source = MatrixStorage.ColumnMajor(z);
        var result = new double[n * m];
        for (int j = 0; j < m; j++)
        {
            Kernels.ShiftDivide(source.AsSpan(j * n, n), state.Offset[j], state.Scale[j], result.AsSpan(j * n, n));
        }

        return MatrixStorage.FromColumnMajor(n, m, result);
    }

    ITransformer ITransformer.Fit(Matrix<double> x, CancellationToken cancellationToken) => Fit(x, cancellationToken);

    private protected override EstimatorState ReadState(ModelReader reader) => MinMaxScalerState.Read(reader);

    private protected override void ValidateParameters()
    {
        if (!double.IsFinite(FeatureMin))
        {
            throw Guard.OutOfRange(nameof(FeatureMin), $"{nameof(FeatureMin)} must be finite (was {Format(FeatureMin)}).");
        }

        if (!double.IsFinite(FeatureMax))
        {
            throw Guard.OutOfRange(nameof(FeatureMax), $"{nameof(FeatureMax)} must be finite (was {Format(FeatureMax)}).");
        }

        if (!(FeatureMin < FeatureMax))
        {
            throw Guard.OutOfRange(nameof(FeatureMin), $"{nameof(FeatureMin)} must be below {nameof(FeatureMax)} = {Format(FeatureMax)} (was {Format(FeatureMin)}).");
        }
    }

    private static Matrix<double> Apply(MinMaxScalerState state, Matrix<double> x)
    {
        int n = x.RowCount, m = x.ColumnCount;
        var source = MatrixStorage.ColumnMajor(x);
        var result = new double[n * m];
        for (int j = 0; j < m; j++)
        {
            var column = result.AsSpan(j * n, n);
            Kernels.ScaleShift(source.AsSpan(j * n, n), state.Scale[j], state.Offset[j], column);
            if (state.Clip)
            {
                foreach (ref double v in column)
                {
                    v = Math.Clamp(v, state.FeatureMin, state.FeatureMax);
                }
            }
        }

        return MatrixStorage.FromColumnMajor(n, m, result);
    }

    private MinMaxScalerState Compute(Matrix<double> x, CancellationToken cancellationToken)
    {
        ValidateParameters();
        Guard.Samples(x);
        cancellationToken.ThrowIfCancellationRequested();
        int n = x.RowCount, m = x.ColumnCount;
        var data = MatrixStorage.ColumnMajor(x);
        var min = new double[m];
        var max = new double[m];
        var range = new double[m];
        var scale = new double[m];
        var offset = new double[m];
        double span = FeatureMax - FeatureMin;
        for (int j = 0; j < m; j++)
        {
            var column = data.AsSpan(j * n, n);
            double lo = column[0], hi = column[0];
            foreach (double v in column)
            {
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }

            // A column far from unit scale is measured at unit scale (an exact power of two e), so that its range cannot
            // overflow and the constant test is relative to its scale; s·x = (s·2^−e)·(2^e·x) gives the same offset. At
            // ordinary scales (e = 0) these are scikit-learn's formulas as written.
            int e = Rescaling.Exponent(Math.Max(Math.Abs(lo), Math.Abs(hi)), -LinearScale.Band, LinearScale.Band);
            double scaledLo = Math.ScaleB(lo, e), scaledRange = Math.ScaleB(hi, e) - scaledLo;
            min[j] = lo;
            max[j] = hi;
            string Feature(string what) => string.Create(CultureInfo.InvariantCulture, $"{what} of column {j}");
            range[j] = Rescaling.Checked(scaledRange, -e, e == 0 ? string.Empty : Feature("range"));
            if (scaledRange < ZeroRange)
            {
                // A constant column: divided by 1, as scikit-learn, so that it maps to FeatureMin.
                scale[j] = span;
                offset[j] = FeatureMin - (lo * span);
                if (!double.IsFinite(offset[j]))
                {
                    throw new ArithmeticException($"The offset of constant column {j} ({FeatureMin.ToString("R", CultureInfo.InvariantCulture)} − {lo.ToString("R", CultureInfo.InvariantCulture)} × {span.ToString("R", CultureInfo.InvariantCulture)}) cannot be represented in double precision.");
                }
            }
            else
            {
                double factor = span / scaledRange;
                scale[j] = Rescaling.Checked(factor, e, e == 0 ? string.Empty : Feature("scale"));
                offset[j] = FeatureMin - (scaledLo * factor);
            }
        }

        return new MinMaxScalerState(min, max, range, scale, offset, n, FeatureMin, FeatureMax, Clip);
    }

    private static Vector<double> Copy(double[] values) => Vector<double>.Build.DenseOfArray((double[])values.Clone());

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>The fitted state of a <see cref="MinMaxScaler"/>.</summary>
/// <param name="DataMin">The column minima.</param>
/// <param name="DataMax">The column maxima.</param>
/// <param name="DataRange">The column ranges.</param>
/// <param name="Scale">The factors (positive).</param>
/// <param name="Offset">The offsets.</param>
/// <param name="SampleCount">The number of training samples.</param>
/// <param name="FeatureMin">The lower end of the target range at the fit.</param>
/// <param name="FeatureMax">The upper end of the target range at the fit.</param>
/// <param name="Clip">Whether the transform clips to the target range.</param>
internal sealed record MinMaxScalerState(double[] DataMin, double[] DataMax, double[] DataRange, double[] Scale, double[] Offset, int SampleCount, double FeatureMin, double FeatureMax, bool Clip) : EstimatorState
{
    /// <summary>Reads and checks a saved state: m ≥ 1 finite entries per vector, min ≤ max, ranges ≥ 0, factors &gt; 0 (the inverse divides by them), a target range with min &lt; max, at least one sample.</summary>
    internal static MinMaxScalerState Read(ModelReader reader)
    {
        var min = reader.Doubles(nameof(DataMin), SavedValue.Finite);
        reader.NotEmpty(nameof(DataMin), min.Length);
        string perFeature = string.Create(CultureInfo.InvariantCulture, $"one per feature ({min.Length})");
        var max = reader.Doubles(nameof(DataMax), SavedValue.Finite);
        reader.Length(nameof(DataMax), max.Length, min.Length, perFeature);
        var range = reader.Doubles(nameof(DataRange), SavedValue.FiniteNonNegative);
        reader.Length(nameof(DataRange), range.Length, min.Length, perFeature);
        var scale = reader.Doubles(nameof(Scale), SavedValue.FiniteNonNegative);
        reader.Length(nameof(Scale), scale.Length, min.Length, perFeature);
        var offset = reader.Doubles(nameof(Offset), SavedValue.Finite);
        reader.Length(nameof(Offset), offset.Length, min.Length, perFeature);
        for (int j = 0; j < min.Length; j++)
        {
            if (!(min[j] <= max[j]))
            {
                throw ModelReader.InvalidAt($"{reader.PathOf(nameof(DataMin))}[{j}]", $"must be at most {nameof(DataMax)}[{j}] = {max[j].ToString("R", CultureInfo.InvariantCulture)} (was {min[j].ToString("R", CultureInfo.InvariantCulture)})");
            }

            if (!(scale[j] > 0.0))
            {
                throw ModelReader.InvalidAt($"{reader.PathOf(nameof(Scale))}[{j}]", "must be > 0 (the inverse transform divides by it) (was 0)");
            }
        }

        int samples = reader.Int(nameof(SampleCount), 1);
        double featureMin = reader.Double(nameof(FeatureMin), SavedValue.Finite);
        double featureMax = reader.Double(nameof(FeatureMax), SavedValue.Finite);
        if (!(featureMin < featureMax))
        {
            throw reader.Invalid(nameof(FeatureMin), $"must be below {nameof(FeatureMax)} = {featureMax.ToString("R", CultureInfo.InvariantCulture)} (was {featureMin.ToString("R", CultureInfo.InvariantCulture)})");
        }

        return new MinMaxScalerState(min, max, range, scale, offset, samples, featureMin, featureMax, reader.Bool(nameof(Clip)));
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Doubles(nameof(DataMin), DataMin);
        writer.Doubles(nameof(DataMax), DataMax);
        writer.Doubles(nameof(DataRange), DataRange);
        writer.Doubles(nameof(Scale), Scale);
        writer.Doubles(nameof(Offset), Offset);
        writer.Int(nameof(SampleCount), SampleCount);
        writer.Double(nameof(FeatureMin), FeatureMin);
        writer.Double(nameof(FeatureMax), FeatureMax);
        writer.Bool(nameof(Clip), Clip);
    }
}
