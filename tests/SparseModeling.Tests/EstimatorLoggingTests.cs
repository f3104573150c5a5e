// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using Microsoft.Extensions.Logging;
using SparseModeling.Decomposition;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests;

/// <summary>
/// Convergence warnings through <see cref="EstimatorLogging"/>. Other test classes fit in parallel while the factory is
/// set, so the capture keeps only the messages logged on this test's thread (a fit logs on the thread that called Fit).
/// </summary>
public sealed class EstimatorLoggingTests : IDisposable
{
    private readonly Capture _capture = new();

    public EstimatorLoggingTests() => EstimatorLogging.LoggerFactory = _capture;

    public void Dispose() => EstimatorLogging.LoggerFactory = null!;

    [Fact]
    public void Fit_NmfStoppedAtMaxIterations_LogsOneWarningNamingTheEstimatorAndIterations()
    {
        var nmf = new Nmf { ComponentCount = 3, MaxIterations = 5, Tolerance = 1e-12 };
        nmf.Fit(NonNegative(7, 30, 12));
        Assert.False(nmf.Converged);
        var warning = Assert.Single(_capture.Mine(), e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(EstimatorLogging.NotConvergedEventId, warning.Id);
        Assert.Equal("SparseModeling.Decomposition.Nmf", warning.Category);
        Assert.Contains("SparseModeling.Decomposition.Nmf did not converge in 5 iterations", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_LassoStoppedAtMaxIterations_LogsOneWarning()
    {
        var (x, y) = TestData.SparseRegression(3, 40, 10, 3);
        var lasso = new Lasso { Alpha = 0.001, MaxIterations = 1, Tolerance = 1e-12 }.Fit(x, y);
        Assert.False(lasso.Converged);
        var warning = Assert.Single(_capture.Mine(), e => e.Level >= LogLevel.Warning);
        Assert.Contains("SparseModeling.LinearModel.Lasso did not converge in 1 iterations", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_Converging_LogsNoWarningAndOneDebugMessage()
    {
        var (x, y) = TestData.SparseRegression(3, 40, 10, 3);
        var lasso = new Lasso { Alpha = 0.01 }.Fit(x, y);
        var nmf = new Nmf { ComponentCount = 2, MaxIterations = 2000, Tolerance = 1e-3 }.Fit(NonNegative(8, 20, 6));
        Assert.True(lasso.Converged);
        Assert.True(nmf.Converged);
        var entries = _capture.Mine();
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(2, entries.Count(e => e.Id == EstimatorLogging.ConvergedEventId && e.Level == LogLevel.Debug));
        Assert.Contains(entries, e => e.Message == $"SparseModeling.LinearModel.Lasso converged in {lasso.Iterations} iterations.");
    }

    [Fact]
    public void PartialFitAndLoad_LogNothing()
    {
        var x = NonNegative(9, 40, 8);
        var online = new MiniBatchNmf { ComponentCount = 2, BatchSize = 10 };
        online.PartialFit(x);
        online.PartialFit(x);
        var nmf = new Nmf { ComponentCount = 3, MaxIterations = 2, Tolerance = 1e-12 }.Fit(x);
        _capture.Clear();
        using var stream = new MemoryStream();
        ModelSerializer.Save(nmf, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<Nmf>(stream);
        Assert.False(loaded.Converged);
        Assert.Empty(_capture.Mine());
    }

    [Fact]
    public void Progress_LogsEveryKthIterationAtInformation()
    {
        var logger = _capture.CreateLogger("progress");
        var nmf = new Nmf { ComponentCount = 2, MaxIterations = 25, Tolerance = 0.0, OnIteration = EstimatorLogging.Progress<NmfIterationInfo>(logger, every: 10) };
        nmf.Fit(NonNegative(10, 20, 6));
        var progress = _capture.Mine().Where(e => e.Id == EstimatorLogging.ProgressEventId).ToList();
        Assert.Equal(new[] { "1", "11", "21" }, progress.Select(e => e.Message.Split(':')[0].Split(' ')[1]));
        Assert.All(progress, e => Assert.Equal(LogLevel.Information, e.Level));
        Assert.Throws<ArgumentOutOfRangeException>(() => EstimatorLogging.Progress<NmfIterationInfo>(logger, every: 0));
    }

    private static Matrix<double> NonNegative(ulong seed, int rows, int cols)
    {
        var rng = new SplitMix64(seed);
        return Matrix<double>.Build.Dense(rows, cols, (i, j) => Math.Abs(rng.NextNormal()));
    }

    private sealed record Entry(string Category, LogLevel Level, EventId Id, string Message, int Thread);

    /// <summary>A logger factory that records every message with the thread that logged it.</summary>
    private sealed class Capture : ILoggerFactory
    {
        private readonly List<Entry> _entries = [];

        public List<Entry> Mine()
        {
            int thread = Environment.CurrentManagedThreadId;
            lock (_entries)
            {
                return _entries.Where(e => e.Thread == thread).ToList();
            }
        }

        public void Clear()
        {
            lock (_entries)
            {
                _entries.Clear();
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        private sealed class Logger(Capture owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._entries)
                {
                    owner._entries.Add(new Entry(category, logLevel, eventId, formatter(state, exception), Environment.CurrentManagedThreadId));
                }
            }
        }
    }
}
