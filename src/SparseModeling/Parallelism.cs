// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.ExceptionServices;

namespace SparseModeling;

/// <summary>
/// How many threads the library computes on (scikit-learn's <c>n_jobs</c>): the global
/// <see cref="MaxDegreeOfParallelism"/>, which an estimator's own <see cref="Estimator.MaxDegreeOfParallelism"/>
/// overrides for its fits, predictions and transforms.
/// </summary>
/// <remarks>
/// Results never depend on the degree: every parallel kernel splits its work on fixed boundaries and gives
/// each output entry the same arithmetic however many threads share it, so a fit on one thread is bit for bit
/// the fit on all of them. Parallelism has one level: work already running on one of the library's parallel
/// branches (a fold of <see cref="LinearModel.LassoCV"/>, a block of a matrix product) runs its inner kernels
/// serially, so the thread pool is never filled by nested loops waiting on each other.
/// </remarks>
public static class Parallelism
{
    private static int _maxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>The context of the fit (or prediction) running on this thread; inactive outside one.</summary>
    [ThreadStatic]
    private static Context _current;

    /// <summary>
    /// The most threads one fit, prediction or transform uses at a time, for estimators whose own
    /// <see cref="Estimator.MaxDegreeOfParallelism"/> is null and for the static path functions (default
    /// <see cref="Environment.ProcessorCount"/>, ≥ 1; 1 computes on the calling thread only). Read at the start
    /// of each fit: changing it does not affect fits already running.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref _maxDegreeOfParallelism);
        set
        {
            Guard.AtLeast(value, 1, nameof(MaxDegreeOfParallelism));
            Volatile.Write(ref _maxDegreeOfParallelism, value);
        }
    }

    /// <summary>The degree of parallelism of the work running on this thread: 1 inside a parallel branch, else that of the current fit, else the global value.</summary>
    internal static int Degree => _current.Active ? _current.Degree : MaxDegreeOfParallelism;

    /// <summary>The cancellation token of the fit running on this thread (none outside a fit).</summary>
    internal static CancellationToken Token => _current.Token;

    /// <summary>
    /// Throws <see cref="OperationCanceledException"/> when the fit running on this thread has been cancelled: the check
    /// that long kernels (GEMM blocks, factorisation panels, SVD iterations) make between blocks of work.
    /// </summary>
    internal static void ThrowIfCancellationRequested() => _current.Token.ThrowIfCancellationRequested();

    /// <summary>
    /// Makes <paramref name="degree"/> (null: the global value) and <paramref name="cancellationToken"/> the context of the
    /// work on this thread until the returned scope is disposed. Inside another scope the degree is at most the outer one,
    /// and a token that cannot be cancelled keeps the outer token.
    /// </summary>
    internal static Scope Enter(int? degree, CancellationToken cancellationToken)
    {
        var previous = _current;
        int requested = degree ?? MaxDegreeOfParallelism;
        _current = new Context(
            previous.Active ? Math.Min(previous.Degree, requested) : requested,
            Active: true,
            cancellationToken.CanBeCanceled ? cancellationToken : previous.Token);
        return new Scope(previous);
    }

    /// <summary>
    /// Runs <paramref name="body"/> for 0 ≤ i &lt; <paramref name="count"/> on up to <see cref="Degree"/> threads (serially,
    /// in order, on this thread when it is 1), each branch with degree 1 and this thread's token. Cancellation ends the loop
    /// with one <see cref="OperationCanceledException"/>; the token is checked before each index. A branch that throws
    /// ends the loop with its own exception (the first one, when several branches fail), as the serial loop would.
    /// </summary>
    internal static void For(int count, Action<int> body) => For(count, static () => 0, (i, _) => body(i));

    /// <summary>
    /// As <see cref="For(int, Action{int})"/>, with a scratch value made once per thread by <paramref name="localInit"/> and
    /// handed to every index that thread runs.
    /// </summary>
    internal static void For<TLocal>(int count, Func<TLocal> localInit, Action<int, TLocal> body)
    {
        var context = _current;
        var token = context.Token;
        int degree = Math.Min(context.Active ? context.Degree : MaxDegreeOfParallelism, count);
        if (degree <= 1)
        {
            if (count <= 0)
            {
                return;
            }

            var local = localInit();
            for (int i = 0; i < count; i++)
            {
                token.ThrowIfCancellationRequested();
                body(i, local);
            }

            return;
        }

        var branch = new Context(1, Active: true, token);
        try
        {
            Parallel.For(
                0,
                count,
                new ParallelOptions { MaxDegreeOfParallelism = degree, CancellationToken = token },
                localInit,
                (i, _, local) =>
                {
                    var outer = _current;
                    _current = branch;
                    try
                    {
                        token.ThrowIfCancellationRequested();
                        body(i, local);
                    }
                    finally
                    {
                        _current = outer;
                    }

                    return local;
                },
                static _ => { });
        }
        catch (AggregateException e) when (token.IsCancellationRequested && e.InnerExceptions.All(inner => inner is OperationCanceledException))
        {
            throw new OperationCanceledException(token);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // A branch's own error (a fold that overflowed, bad data found inside a branch) is the caller's exception,
            // with its stack, as when the loop runs serially: never an AggregateException.
            var first = e.InnerExceptions.FirstOrDefault(inner => inner is not OperationCanceledException) ?? e.InnerExceptions[0];
            ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
    }

    /// <summary>Restores the previous context when disposed.</summary>
    internal readonly struct Scope : IDisposable
    {
        private readonly Context _previous;

        internal Scope(Context previous) => _previous = previous;

        /// <summary>Restores the context that was current before <see cref="Enter"/>.</summary>
        public void Dispose() => _current = _previous;
    }

    /// <summary>The per-thread context: the fit's degree and token (<paramref name="Active"/> false: no fit on this thread).</summary>
    internal readonly record struct Context(int Degree, bool Active, CancellationToken Token);
}
