// SPDX-License-Identifier: BSD-3-Clause
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// What <see cref="Nmf"/> and <see cref="MiniBatchNmf"/> report after each iteration (or mini-batch step): the
/// objective, the stopping measure and the current factors W and H, to watch the factorisation learn.
/// </summary>
/// <remarks>
/// The estimators compute <see cref="Objective"/>, <see cref="W"/> and <see cref="H"/> when the callback first reads
/// them (the divergence costs about as much as an iteration, the factors a copy each), so a callback that only counts
/// iterations or reads <see cref="StoppingMeasure"/> adds almost nothing to the fit. Read them inside the callback: a
/// value read there is computed once, and the matrices are copies the callback may keep (as may the record, once
/// read); reading a value for the first time after the callback has returned throws
/// <see cref="InvalidOperationException"/>, since the factors have moved on. Records built with the public
/// constructor hold the values given.
/// </remarks>
/// <param name="Iteration">One-based number of the iteration just completed.</param>
/// <param name="Objective">
/// <see cref="Nmf"/>: the β-divergence D_β(X ‖ WH) after this iteration, without the regularisation terms
/// (scikit-learn's <c>reconstruction_err_</c> is √(2·D_β)). <see cref="MiniBatchNmf"/>: the mini-batch's cost as that
/// class documents it.
/// </param>
/// <param name="StoppingMeasure">
/// The quantity the solver's stopping rule compares with the tolerance: for <see cref="Nmf"/>'s multiplicative
/// updates the relative error decrease of the 10-iteration check (NaN in other iterations); for coordinate
/// descent and HALS the projected-gradient violation relative to the first iteration's; for
/// <see cref="MiniBatchNmf"/> the relative change ‖H − H_previous‖_F / ‖H‖_F of the step.
/// </param>
/// <param name="W">The current W (samples × components; for <see cref="MiniBatchNmf"/> the mini-batch's rows): a copy the callback may keep.</param>
/// <param name="H">The current H (components × features): a copy the callback may keep.</param>
public sealed record NmfIterationInfo(int Iteration, double Objective, double StoppingMeasure, Matrix<double> W, Matrix<double> H)
    : IterationInfo(Iteration, Objective)
{
    private readonly Source? _source;
    private double _objective = Objective;
    private bool _objectiveRead = true;
    private Matrix<double>? _w = W;
    private Matrix<double>? _h = H;

    private NmfIterationInfo(int iteration, double stoppingMeasure, Source source)
        : this(iteration, double.NaN, stoppingMeasure, null!, null!)
    {
        _source = source;
        _objectiveRead = false;
    }

    /// <summary>The objective after this iteration (see the constructor's <c>Objective</c>); computed on first read, inside the callback.</summary>
    /// <exception cref="InvalidOperationException">Read for the first time after the callback returned.</exception>
    public override double Objective
    {
        get
        {
            if (!_objectiveRead)
            {
                var source = Live(nameof(Objective));
                double value = source.Divergence();
                _objective = source.ToCaller is { } convert ? convert(value) : value;
                _objectiveRead = true;
            }

            return _objective;
        }

        init
        {
            _objective = value;
            _objectiveRead = true;
        }
    }

    /// <summary>The current W (samples × components): a copy the callback may keep; made on first read, inside the callback.</summary>
    /// <exception cref="InvalidOperationException">Read for the first time after the callback returned.</exception>
    public Matrix<double> W
    {
        get => _w ??= Live(nameof(W)).CopyW();
        init => _w = value;
    }

    /// <summary>The current H (components × features): a copy the callback may keep; made on first read, inside the callback.</summary>
    /// <exception cref="InvalidOperationException">Read for the first time after the callback returned.</exception>
    public Matrix<double> H
    {
        get => _h ??= Live(nameof(H)).CopyH();
        init => _h = value;
    }

    /// <summary>Whether the records hold the same iteration, measures and factors (reading them, as the properties do).</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns>True when every value is equal.</returns>
    public bool Equals(NmfIterationInfo? other) =>
        ReferenceEquals(this, other)
        || (other is not null && Iteration == other.Iteration && Objective.Equals(other.Objective) && StoppingMeasure.Equals(other.StoppingMeasure)
            && Equals(W, other.W) && Equals(H, other.H));

    /// <summary>A hash of the iteration and the measures.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Iteration, Objective, StoppingMeasure);

    /// <summary>
    /// Calls <paramref name="callback"/> with a record over the solver's K-major factors (<paramref name="wt"/>: K × n,
    /// <paramref name="h"/>: K × m) whose objective (<paramref name="divergence"/>) and factor copies are made only when
    /// read, and ends the record's access to them when the callback returns.
    /// </summary>
    internal static void Report(Action<NmfIterationInfo> callback, int iteration, double stoppingMeasure, Func<double> divergence, double[] wt, double[] h, int n, int m, int k)
    {
        var source = new Source(new Lease(), divergence, null, 0, wt, h, n, m, k);
        try
        {
            callback(new NmfIterationInfo(iteration, stoppingMeasure, source));
        }
        finally
        {
            source.Lease.Expired = true;
        }
    }

    /// <summary>
    /// This record in other units: the objective through <paramref name="toCaller"/> and the factors times
    /// 2^<paramref name="factorExponent"/>, still computed on first read and valid as long as this record's source.
    /// </summary>
    internal NmfIterationInfo InUnits(Func<double, double> toCaller, int factorExponent)
    {
        if (_source is not { } source)
        {
            var w = W.Clone();
            var h = H.Clone();
            Rescaling.Scale(w.AsColumnMajorArray(), factorExponent);
            Rescaling.Scale(h.AsColumnMajorArray(), factorExponent);
            return new NmfIterationInfo(Iteration, toCaller(Objective), StoppingMeasure, w, h);
        }

        return new NmfIterationInfo(Iteration, StoppingMeasure, source with { ToCaller = toCaller, FactorExponent = factorExponent });
    }

    private Source Live(string member)
    {
        var source = _source!;
        if (source.Lease.Expired)
        {
            throw new InvalidOperationException($"NmfIterationInfo.{member} was not read inside the OnIteration callback that received the record: read it there (the values read there may be kept).");
        }

        return source;
    }

    /// <summary>Writes the members for <c>ToString</c>: the factors by shape, a value not read in its callback as "(not read)".</summary>
    /// <param name="builder">The text so far.</param>
    /// <returns>True: members were written.</returns>
    protected override bool PrintMembers(StringBuilder builder)
    {
        bool live = _source is null || !_source.Lease.Expired;
        builder.Append("Iteration = ").Append(Iteration);
        builder.Append(", Objective = ").Append(_objectiveRead || live ? Objective.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(not read)");
        builder.Append(", StoppingMeasure = ").Append(StoppingMeasure.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.Append(", W = ").Append(_w is null && !live ? "(not read)" : $"{W.RowCount}×{W.ColumnCount}");
        builder.Append(", H = ").Append(_h is null && !live ? "(not read)" : $"{H.RowCount}×{H.ColumnCount}");
        return true;
    }

    /// <summary>Whether the callback that received a record is still running.</summary>
    private sealed class Lease
    {
        public bool Expired { get; set; }
    }

    /// <summary>The solver's buffers and the conversion to the caller's units behind a lazy record.</summary>
    private sealed record Source(Lease Lease, Func<double> Divergence, Func<double, double>? ToCaller, int FactorExponent, double[] Wt, double[] HData, int N, int M, int K)
    {
        public Matrix<double> CopyW()
        {
            var w = Matrix<double>.Build.Dense(N, K);
            var data = w.AsColumnMajorArray();
            for (int i = 0; i < N; i++)
            {
                for (int c = 0; c < K; c++)
                {
                    data[i + (c * N)] = Wt[c + (i * K)];
                }
            }

            Rescaling.Scale(data, FactorExponent);
            return w;
        }

        public Matrix<double> CopyH()
        {
            var h = (double[])HData.Clone();
            Rescaling.Scale(h, FactorExponent);
            return Matrix<double>.Build.Dense(K, M, h);
        }
    }
}
