// SPDX-License-Identifier: BSD-3-Clause
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling;

/// <summary>
/// The base of every estimator of this library: it owns the fitted state. A fit computes a complete new state and
/// replaces the old one in a single step at the end, so a fit that throws (bad input, cancellation, an exception from a
/// callback) leaves the previous model as it was, and readers on other threads see either the old or the new model,
/// never a mixture. Fitted members throw <see cref="InvalidOperationException"/> ("not fitted: call Fit before reading
/// …") before the first fit. Every estimator can be saved and loaded by <see cref="ModelSerializer"/>, and a whole fit
/// of an iterative estimator that stops without converging logs a warning through <see cref="EstimatorLogging"/>.
/// </summary>
/// <remarks>
/// Estimators cannot be derived from outside this library. The iterative ones derive from
/// <see cref="IterativeEstimator"/>; the contracts they implement (<see cref="IRegressor"/>, <see cref="ITransformer"/>,
/// <see cref="IMultiTargetRegressor"/>, <see cref="IEmbedding"/>) say how to fit and apply them.
/// </remarks>
public abstract class Estimator : IPersistable
{
    private volatile EstimatorState? _state;

    private protected Estimator()
    {
    }

    /// <summary>
    /// The most threads this estimator's fits, predictions and transforms use at a time (scikit-learn's <c>n_jobs</c>;
    /// default null: <see cref="Parallelism.MaxDegreeOfParallelism"/>; ≥ 1 when set, checked at <c>Fit</c>; 1 computes
    /// on the calling thread only). Results do not depend on it: they are bit for bit the same for every degree. An execution
    /// setting of this process, not a model parameter: <see cref="ModelSerializer"/> does not save it.
    /// </summary>
    public int? MaxDegreeOfParallelism { get; set; }

    EstimatorState? IPersistable.GetState() => _state;

    EstimatorState IPersistable.ReadState(ModelReader reader) => ReadState(reader);

    void IPersistable.ValidateParameters() => ValidateParameters();

    void IPersistable.SetState(EstimatorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
    }

    /// <summary>
    /// Reads a fitted state saved by <see cref="ModelSerializer"/> (the record this estimator commits) and checks it
    /// completely: JSON kinds, array lengths against the stated shapes, finiteness, ranges, and whatever this estimator
    /// relies on; every defect is an <see cref="InvalidDataException"/> naming the JSON path. The parameters are
    /// already set when it runs, for checks between the two.
    /// </summary>
    private protected abstract EstimatorState ReadState(ModelReader reader);

    /// <summary>
    /// Checks the parameters that do not depend on the data, throwing <see cref="ArgumentException"/> (or
    /// <see cref="ArgumentOutOfRangeException"/>) named after the property; <c>Fit</c> runs it before any work and
    /// <see cref="ModelSerializer"/> on every save and load. The default checks nothing.
    /// </summary>
    private protected virtual void ValidateParameters()
    {
    }

    /// <summary>The fitted state, or throws <see cref="InvalidOperationException"/> naming <paramref name="member"/> before the first fit.</summary>
    private protected TState Fitted<TState>(string member)
        where TState : EstimatorState => (TState?)_state ?? throw Guard.NotFitted(this, member);

    /// <summary>The fitted state, or null before the first fit (for warm starts and partial fits).</summary>
    private protected TState? Current<TState>()
        where TState : EstimatorState => (TState?)_state;

    /// <summary>
    /// Checks <see cref="MaxDegreeOfParallelism"/> and makes it and <paramref name="cancellationToken"/> the context of the
    /// kernels this thread runs until the returned scope is disposed (<c>using var scope = BeginFit(cancellationToken);</c>
    /// first thing in a fit): every parallel loop then uses at most that many threads and every long kernel observes the token.
    /// </summary>
    private protected Parallelism.Scope BeginFit(CancellationToken cancellationToken)
    {
        if (MaxDegreeOfParallelism is { } degree)
        {
            Guard.AtLeast(degree, 1, nameof(MaxDegreeOfParallelism));
        }

        return Parallelism.Enter(MaxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>As <see cref="BeginFit"/> for a prediction or transform: the degree only (a degree below 1 counts as 1 here; the next fit rejects it).</summary>
    private protected Parallelism.Scope BeginWork() => Parallelism.Enter(MaxDegreeOfParallelism is { } degree ? Math.Max(1, degree) : null, CancellationToken.None);

    /// <summary>
    /// A new unfitted estimator of this type with the same parameters (scikit-learn's <c>clone</c>): every public read-write
    /// property copied, matrices, vectors and arrays as copies and nested estimators as their own unfitted copies, callbacks by
    /// reference. <see cref="EstimatorCloner.Clone{T}(T)"/> is the public entry point.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Every public estimator type is listed in ModelSerializer, whose Entry<T> keeps its parameterless constructor (new() constraint).")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Every public estimator type is listed in ModelSerializer, whose Entry<T> keeps its public properties (DynamicallyAccessedMembers).")]
    internal virtual Estimator CloneUnfitted()
    {
        var type = GetType();
        var clone = (Estimator)Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanRead && property.GetSetMethod() is not null && property.GetIndexParameters().Length == 0)
            {
                property.SetValue(clone, CopyParameter(property.GetValue(this)));
            }
        }

        return clone;
    }

    /// <summary>A parameter value for a clone: an independent copy of what is mutable (matrices, vectors, arrays, estimators), else the value itself.</summary>
    private protected static object? CopyParameter(object? value) => value switch
    {
        Matrix<double> matrix => matrix.Clone(),
        Vector<double> vector => vector.Clone(),
        double[] array => array.Clone(),
        Estimator estimator => estimator.CloneUnfitted(),
        _ => value,
    };

    /// <summary>
    /// Whether a completed fit reports its convergence through <see cref="EstimatorLogging"/> (a warning when its
    /// <see cref="IterativeState.Converged"/> is false): true, except for estimators that run their iteration budget by
    /// design (t-SNE).
    /// </summary>
    private protected virtual bool ReportsConvergence => true;

    /// <summary>
    /// Replaces the fitted state with the result of a completed fit: the only place a fit changes the state (loading sets
    /// it directly). The one place non-convergence is reported: an <see cref="IterativeState"/> committed by a whole fit
    /// (not <paramref name="partialFit"/>) logs a warning through <see cref="EstimatorLogging"/> when it did not converge,
    /// a debug message when it did.
    /// </summary>
    private protected void Commit(EstimatorState state, bool partialFit = false)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
        if (!partialFit && state is IterativeState iterative && ReportsConvergence)
        {
            EstimatorLogging.FitCompleted(this, iterative.Iterations, iterative.Converged);
        }
    }
}

/// <summary>
/// The base of the iterative estimators: <see cref="Iterations"/> and <see cref="Converged"/> of the last
/// fit. Each family adds its own typed <c>OnIteration</c> callback (an <see cref="IterationInfo"/> record with
/// the family's named fields) and accepts a <see cref="CancellationToken"/> in <c>Fit</c>, checked between
/// iterations; a cancelled fit leaves the previous model as it was.
/// </summary>
public abstract class IterativeEstimator : Estimator
{
    private protected IterativeEstimator()
    {
    }

    /// <summary>The number of iterations of the last fit, as the estimator documents them (passes, steps, epochs).</summary>
    /// <exception cref="InvalidOperationException">The estimator has not been fitted.</exception>
    public int Iterations => Fitted<IterativeState>(nameof(Iterations)).Iterations;

    /// <summary>Whether the last fit met its stopping rule within its iteration limit; when false the result is the last iterate.</summary>
    /// <exception cref="InvalidOperationException">The estimator has not been fitted.</exception>
    public bool Converged => Fitted<IterativeState>(nameof(Converged)).Converged;
}

/// <summary>
/// The fitted state of an estimator: a plain record that <see cref="ModelSerializer"/> writes without loss. Each
/// record writes its own fields (<see cref="Write"/>: a derived record its own first, then its base's) and reads and
/// checks them back in a static <c>Read(ModelReader)</c> that the estimator's <c>ReadState</c> calls.
/// </summary>
internal abstract record EstimatorState
{
    /// <summary>Writes the fields of this state as properties of the current JSON object.</summary>
    internal abstract void Write(ModelWriter writer);
}

/// <summary>The fitted state of an iterative estimator: the iterations run and whether the stopping rule was met.</summary>
/// <param name="Iterations">The iterations of the fit.</param>
/// <param name="Converged">Whether the stopping rule was met.</param>
internal abstract record IterativeState(int Iterations, bool Converged) : EstimatorState
{
    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Int(nameof(Iterations), Iterations);
        writer.Bool(nameof(Converged), Converged);
    }
}
