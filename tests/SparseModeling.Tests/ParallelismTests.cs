// SPDX-License-Identifier: BSD-3-Clause
using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests;

/// <summary>
/// The degree of parallelism (<see cref="Parallelism"/>): the global value and its validation, the per-fit context
/// that carries an estimator's degree and token down to the kernels, and the one-level parallel loop. In the
/// serial <see cref="Timing"/> collection, since some tests change the global value.
/// </summary>
[Collection(Timing.Name)]
public class ParallelismTests
{
    [Fact]
    public void MaxDegreeOfParallelism_Default_IsTheProcessorCount()
    {
        Assert.Equal(Environment.ProcessorCount, Parallelism.MaxDegreeOfParallelism);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void MaxDegreeOfParallelism_BelowOne_ThrowsNamedExceptionAndKeepsTheValue(int value)
    {
        int before = Parallelism.MaxDegreeOfParallelism;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxDegreeOfParallelism = value);
        Assert.Equal(nameof(Parallelism.MaxDegreeOfParallelism), e.ParamName);
        Assert.Equal(before, Parallelism.MaxDegreeOfParallelism);
    }

    [Fact]
    public void Fit_EstimatorDegree_IsTheDegreeOfItsKernels_AndNullFollowsTheGlobalValue()
    {
        var (x, y) = EstimatorChecks.RegressionData(1);
        int observed = 0;
        var lasso = new Lasso { Alpha = 0.01, MaxDegreeOfParallelism = 3, OnIteration = _ => observed = Parallelism.Degree };
        lasso.Fit(x, y);
        Assert.Equal(3, observed);

        int global = Parallelism.MaxDegreeOfParallelism;
        try
        {
            Parallelism.MaxDegreeOfParallelism = 5;
            lasso.MaxDegreeOfParallelism = null;
            lasso.Fit(x, y);
            Assert.Equal(5, observed);
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = global;
        }

        // Outside a fit the thread's context is gone again.
        Assert.Equal(global, Parallelism.Degree);
        Assert.False(Parallelism.Token.CanBeCanceled);
    }

    [Fact]
    public void GlobalDegree_OneThreadAndFour_GiveBitIdenticalPaths()
    {
        // The path functions follow the global value; 800×400 is large enough for their kernels to split at four threads.
        var rng = new SplitMix64(2);
        var x = Matrix<double>.Build.Dense(800, 400, (i, j) => rng.NextNormal());
        var y = Vector<double>.Build.Dense(800, i => x[i, 3] - (2.0 * x[i, 100]) + (0.1 * rng.NextNormal()));
        int global = Parallelism.MaxDegreeOfParallelism;
        var results = new List<long[]>();
        try
        {
            foreach (int degree in new[] { 1, 4 })
            {
                Parallelism.MaxDegreeOfParallelism = degree;
                var lasso = LassoPath.Compute(x, y, alphaCount: 20, fitIntercept: true);
                var lars = LarsPath.Compute(x, y, maxIterations: 50, fitIntercept: true);
                results.Add([.. lasso.Coefficients.ToColumnMajorArray().Concat(lars.Coefficients.ToColumnMajorArray()).Select(BitConverter.DoubleToInt64Bits)]);
            }
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = global;
        }

        Assert.Equal(results[0], results[1]);
    }

    [Fact]
    public void For_DegreeOne_RunsInOrderOnTheCallingThread()
    {
        using var scope = Parallelism.Enter(1, CancellationToken.None);
        var seen = new List<(int Index, int Thread)>();
        Parallelism.For(50, i => seen.Add((i, Environment.CurrentManagedThreadId)));
        Assert.Equal(Enumerable.Range(0, 50), seen.Select(s => s.Index));
        Assert.All(seen, s => Assert.Equal(Environment.CurrentManagedThreadId, s.Thread));
    }

    [Fact]
    public void For_Branches_RunNestedLoopsSeriallyAndNoMoreAtOnceThanTheDegree()
    {
        using var scope = Parallelism.Enter(2, CancellationToken.None);
        int running = 0, most = 0;
        var degrees = new ConcurrentBag<int>();
        var nestedThreads = new ConcurrentBag<bool>();
        Parallelism.For(40, i =>
        {
            int now = Interlocked.Increment(ref running);
            int seen;
            while (now > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, now, seen) != seen)
            {
            }

            degrees.Add(Parallelism.Degree);
            int branchThread = Environment.CurrentManagedThreadId;
            Parallelism.For(8, _ => nestedThreads.Add(Environment.CurrentManagedThreadId == branchThread));
            Thread.Sleep(2);
            Interlocked.Decrement(ref running);
        });
        Assert.InRange(most, 1, 2);
        Assert.All(degrees, d => Assert.Equal(1, d));
        Assert.Equal(40 * 8, nestedThreads.Count);
        Assert.All(nestedThreads, Assert.True);
        Assert.Equal(2, Parallelism.Degree);
    }

    [Fact]
    public void For_CancelledInABranch_ThrowsOneOperationCanceledException()
    {
        using var source = new CancellationTokenSource();
        using var scope = Parallelism.Enter(4, source.Token);
        int ran = 0;
        var e = Assert.ThrowsAny<OperationCanceledException>(() => Parallelism.For(10_000, i =>
        {
            Interlocked.Increment(ref ran);
            if (i == 10)
            {
                source.Cancel();
            }

            Parallelism.ThrowIfCancellationRequested();
        }));
        Assert.Equal(source.Token, e.CancellationToken);
        Assert.True(ran < 10_000);
    }

    [Fact]
    public void For_BranchThrows_RethrowsItsOwnExceptionNotAnAggregate()
    {
        // As the serial loop would: the branch's exception itself (type, message, stack), whatever the degree.
        foreach (int degree in new[] { 1, 4 })
        {
            using var scope = Parallelism.Enter(degree, default);
            var e = Assert.Throws<ArithmeticException>(() => Parallelism.For(8, i =>
            {
                if (i == 5)
                {
                    throw new ArithmeticException($"branch {i} overflowed");
                }
            }));
            Assert.Equal("branch 5 overflowed", e.Message);
            Assert.Contains(nameof(For_BranchThrows_RethrowsItsOwnExceptionNotAnAggregate), e.StackTrace, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Enter_Nested_TakesTheSmallerDegreeAndKeepsACancellableOuterToken()
    {
        using var source = new CancellationTokenSource();
        using (Parallelism.Enter(2, source.Token))
        {
            using (Parallelism.Enter(8, CancellationToken.None))
            {
                Assert.Equal(2, Parallelism.Degree);
                Assert.Equal(source.Token, Parallelism.Token);
            }

            using var other = new CancellationTokenSource();
            using (Parallelism.Enter(1, other.Token))
            {
                Assert.Equal(1, Parallelism.Degree);
                Assert.Equal(other.Token, Parallelism.Token);
            }

            Assert.Equal(2, Parallelism.Degree);
            Assert.Equal(source.Token, Parallelism.Token);
        }

        Assert.Equal(Parallelism.MaxDegreeOfParallelism, Parallelism.Degree);
        Assert.False(Parallelism.Token.CanBeCanceled);
    }
}
