// SPDX-License-Identifier: BSD-3-Clause
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SparseModeling;

/// <summary>
/// Where the estimators of this library log: a fit that stops without meeting its stopping rule (at its iteration
/// limit; <c>Converged</c> is then false and the result is the last iterate) logs one warning, and a fit that
/// converges logs one debug message; <see cref="Progress{TInfo}(ILogger, int)"/> turns an <c>OnIteration</c>
/// callback into progress messages. Nothing is logged until <see cref="LoggerFactory"/> is set.
/// </summary>
/// <remarks>
/// Each message's category is the estimator's full type name (for example <c>SparseModeling.Decomposition.Nmf</c>),
/// so a logging configuration can filter on the prefix <c>SparseModeling</c>. The warning has the event id
/// <see cref="NotConvergedEventId"/> and names the estimator and the number of iterations it ran; it is logged on the
/// thread that called <c>Fit</c>, once per fit, when the fit completes. Partial fits (<c>PartialFit</c>) and t-SNE,
/// which runs its iteration budget by design as scikit-learn's does, log no warning.
/// <code>
/// using Microsoft.Extensions.Logging;   // package Microsoft.Extensions.Logging.Console for AddConsole
/// EstimatorLogging.LoggerFactory = LoggerFactory.Create(builder => builder.AddConsole());
/// new Nmf { ComponentCount = 20 }.Fit(x);   // warn: SparseModeling.Decomposition.Nmf did not converge in 200 iterations …
/// </code>
/// </remarks>
public static class EstimatorLogging
{
    /// <summary>The event id of the warning that a fit stopped without converging (1, name "NotConverged").</summary>
    public static readonly EventId NotConvergedEventId = new(1, "NotConverged");

    /// <summary>The event id of the debug message that a fit converged (2, name "Converged").</summary>
    public static readonly EventId ConvergedEventId = new(2, "Converged");

    /// <summary>The event id of the messages written by <see cref="Progress{TInfo}(ILogger, int)"/> (3, name "Progress").</summary>
    public static readonly EventId ProgressEventId = new(3, "Progress");

    private static readonly Action<ILogger, string, int, Exception?> NotConvergedMessage = LoggerMessage.Define<string, int>(
        LogLevel.Warning,
        NotConvergedEventId,
        "{Estimator} did not converge in {Iterations} iterations: its stopping rule was not met, Converged is false and the result is the last iterate. Raise MaxIterations or the tolerance, or rescale the data.");

    private static readonly Action<ILogger, string, int, Exception?> ConvergedMessage = LoggerMessage.Define<string, int>(
        LogLevel.Debug,
        ConvergedEventId,
        "{Estimator} converged in {Iterations} iterations.");

    private static readonly Action<ILogger, int, double, Exception?> ProgressMessage = LoggerMessage.Define<int, double>(
        LogLevel.Information,
        ProgressEventId,
        "Iteration {Iteration}: objective {Objective}.");

    private static volatile ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;

    /// <summary>
    /// The factory the estimators create their loggers from (default: <see cref="NullLoggerFactory.Instance"/>, which
    /// logs nothing). Set it once at start-up, for example to the application's <c>ILoggerFactory</c> from dependency
    /// injection or to <c>LoggerFactory.Create(builder =&gt; builder.AddConsole())</c>; it applies to every estimator of
    /// the process. Setting null restores the default.
    /// </summary>
    public static ILoggerFactory LoggerFactory
    {
        get => _loggerFactory;
        set => _loggerFactory = value ?? NullLoggerFactory.Instance;
    }

    /// <summary>
    /// A callback for an estimator's <c>OnIteration</c> that logs the iteration number and objective at the
    /// <see cref="LogLevel.Information"/> level every <paramref name="every"/> iterations (event id
    /// <see cref="ProgressEventId"/>); on the other iterations it reads nothing, so it adds almost no cost to a fit.
    /// </summary>
    /// <typeparam name="TInfo">The estimator's iteration record (for example <c>NmfIterationInfo</c>).</typeparam>
    /// <param name="logger">The logger to write to.</param>
    /// <param name="every">Log one iteration in this many (≥ 1; default 10): iterations 1, 1 + every, 1 + 2·every, ….</param>
    /// <returns>The callback; assign it to <c>OnIteration</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="logger"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="every"/> is below 1.</exception>
    public static Action<TInfo> Progress<TInfo>(ILogger logger, int every = 10)
        where TInfo : IterationInfo
    {
        ArgumentNullException.ThrowIfNull(logger);
        Guard.AtLeast(every, 1, nameof(every));
        return info =>
        {
            if ((info.Iteration - 1) % every == 0 && logger.IsEnabled(LogLevel.Information))
            {
                ProgressMessage(logger, info.Iteration, info.Objective, null);
            }
        };
    }

    /// <summary>Logs the end of a completed fit of <paramref name="estimator"/>: a warning when it did not converge, a debug message when it did.</summary>
    internal static void FitCompleted(Estimator estimator, int iterations, bool converged)
    {
        var factory = _loggerFactory;
        if (ReferenceEquals(factory, NullLoggerFactory.Instance))
        {
            return;
        }

        string name = estimator.GetType().FullName ?? estimator.GetType().Name;
        var logger = factory.CreateLogger(name);
        if (converged)
        {
            ConvergedMessage(logger, name, iterations, null);
        }
        else
        {
            NotConvergedMessage(logger, name, iterations, null);
        }
    }
}
