// SPDX-License-Identifier: BSD-3-Clause
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Tests;

/// <summary>
/// The common checks for embeddings: every public <see cref="IEmbedding"/> of the library (t-SNE and the neighbour embeddings
/// after it), found by reflection and built by <see cref="TestEstimators.Create"/>, is held to the contract of DESIGN.md as
/// <see cref="TransformerChecks"/> holds the transformers: typed <c>Fit</c>, fitted members before the fit, bad input named
/// and never modified, failed and cancelled fits keeping the model, same seed same embedding, save and load bit for bit,
/// results independent of <see cref="Estimator.MaxDegreeOfParallelism"/>. An embedding that can place new points (a public
/// <c>Transform(Matrix)</c>, not part of the contract) has that method checked too.
/// </summary>
public class EmbeddingChecks
{
    public static TheoryData<Type> Embeddings() => EstimatorChecks.TypesImplementing(typeof(IEmbedding));

    [Fact]
    public void Discovery_FindsEmbeddings()
    {
        Assert.NotEmpty(Embeddings());
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void Fit_ReturnsItselfAndTypedFitReturnsOwnType(Type type)
    {
        var embedding = Create(type);
        Assert.Same(embedding, embedding.Fit(Data(1)));
        Assert.True(
            type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.Name == "Fit" && m.DeclaringType == type && m.ReturnType == type),
            $"{type.Name} must declare a public Fit returning {type.Name}.");
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void FittedMembers_BeforeFit_ThrowInvalidOperation(Type type)
    {
        var embedding = Create(type);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && !p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            var e = Assert.Throws<TargetInvocationException>(() => property.GetValue(embedding));
            Assert.IsType<InvalidOperationException>(e.InnerException);
            Assert.Contains("Fit", e.InnerException!.Message, StringComparison.Ordinal);
        }

        if (Transform(type) is { } transform)
        {
            var e = Assert.Throws<TargetInvocationException>(() => transform.Invoke(embedding, [Data(2)]));
            Assert.IsType<InvalidOperationException>(e.InnerException);
        }
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void Fit_BadInput_ThrowsNamedExceptionAndLeavesInputUnchanged(Type type)
    {
        var embedding = Create(type);
        Assert.Throws<ArgumentNullException>(() => embedding.Fit(null!));
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => embedding.Fit(Matrix<double>.Build.Dense(0, 8))).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => embedding.Fit(Matrix<double>.Build.Dense(1, 8))).ParamName);
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var x = Data(3);
            x[4, 2] = bad;
            var copy = x.Clone();
            var e = Assert.ThrowsAny<ArgumentException>(() => embedding.Fit(x));
            Assert.Equal("x", e.ParamName);
            Assert.Contains("row 4, column 2", e.Message, StringComparison.Ordinal);
            AssertSame(copy, x);
        }

        if (Transform(type) is { } transform)
        {
            string name = transform.GetParameters()[0].Name!;
            var fitted = Create(type);
            fitted.Fit(Data(3));
            var xt = Data(4);
            xt[5, 1] = double.PositiveInfinity;
            var copyT = xt.Clone();
            var et = Assert.ThrowsAny<ArgumentException>(() => Invoke(transform, fitted, xt));
            Assert.Equal(name, et.ParamName);
            Assert.Contains("row 5, column 1", et.Message, StringComparison.Ordinal);
            AssertSame(copyT, xt);
            Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(() => Invoke(transform, fitted, Data(5).SubMatrix(0, 5, 0, 7))).ParamName);
            Assert.Throws<ArgumentNullException>(() => Invoke(transform, fitted, null!));
        }
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void FitAndTransform_DoNotModifyInput(Type type)
    {
        var x = Data(5);
        var copy = x.Clone();
        var embedding = Create(type);
        var result = embedding.FitTransform(x);
        AssertSame(copy, x);
        Assert.Equal(result.ToColumnMajorArray(), embedding.Embedding.ToColumnMajorArray());
        Assert.Equal(x.RowCount, result.RowCount);

        // The returned matrices are copies: changing them changes nothing.
        result[0, 0] = 1e300;
        embedding.Embedding[1, 0] = 1e300;
        Assert.NotEqual(1e300, embedding.Embedding[0, 0]);
        Assert.NotEqual(1e300, embedding.Embedding[1, 0]);
        if (Transform(type) is { } transform)
        {
            Invoke(transform, embedding, x);
            AssertSame(copy, x);
        }
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void Fit_Failing_LeavesFittedModelUnchanged(Type type)
    {
        var x = Data(6);
        var embedding = Create(type);
        embedding.Fit(x);
        var before = Snapshot(type, embedding, x);
        var bad = x.Clone();
        bad[0, 0] = double.NaN;
        Assert.ThrowsAny<ArgumentException>(() => embedding.Fit(bad));
        Assert.ThrowsAny<ArgumentException>(() => embedding.Fit(Matrix<double>.Build.Dense(0, 3)));
        Assert.Equal(before, Snapshot(type, embedding, x));

        // An exception from a callback ends the fit and keeps the model too.
        if (type.GetProperty("OnIteration") is { CanWrite: true } callback)
        {
            var thrower = Expression(callback.PropertyType);
            callback.SetValue(embedding, thrower);
            var e = Assert.ThrowsAny<Exception>(() => embedding.Fit(Data(7)));
            Assert.Contains("callback failed", e.Message, StringComparison.Ordinal);
            Assert.Equal(before, Snapshot(type, embedding, x));
        }
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void Fit_Cancelled_ThrowsAndLeavesFittedModelUnchanged(Type type)
    {
        var x = Data(13);
        var embedding = Create(type);
        embedding.Fit(x);
        var before = Snapshot(type, embedding, x);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => embedding.Fit(Data(14), cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => embedding.FitTransform(Data(14), cancelled.Token));
        Assert.Equal(before, Snapshot(type, embedding, x));
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void Fit_SameSeed_GivesIdenticalEmbedding(Type type)
    {
        var x = Data(9);
        var results = new double[2][];
        for (int r = 0; r < 2; r++)
        {
            var embedding = Create(type);
            if (embedding is IRandomized randomized)
            {
                randomized.RandomSeed = 11;
            }

            results[r] = Snapshot(type, embedding.Fit(x), x);
        }

        Assert.Equal(results[0], results[1]);
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void SaveLoad_RoundTrip_IsBitIdentical(Type type)
    {
        var x = Data(10);
        var embedding = Create(type);
        embedding.Fit(x);
        using var stream = new MemoryStream();
        ModelSerializer.Save(embedding, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<IEmbedding>(stream);
        Assert.IsType(type, loaded);
        Assert.Equal(Snapshot(type, embedding, x), Snapshot(type, loaded, x));
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            object? a = property.GetValue(embedding), b = property.GetValue(loaded);
            if (a is double or int or bool or Enum)
            {
                Assert.Equal(a, b);
            }
            else if (a is Matrix<double> ma && !property.CanWrite)
            {
                Assert.Equal(ma.ToColumnMajorArray(), ((Matrix<double>)b!).ToColumnMajorArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void SaveLoad_Unfitted_LoadsUnfitted(Type type)
    {
        using var stream = new MemoryStream();
        ModelSerializer.Save(Create(type), stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<IEmbedding>(stream);
        Assert.Throws<InvalidOperationException>(() => loaded.Embedding);
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void Transform_FromManyThreads_AgreesWithSequential(Type type)
    {
        if (Transform(type) is not { } transform)
        {
            return;
        }

        var x = Data(12);
        var embedding = Create(type);
        embedding.Fit(x);
        var expected = Invoke(transform, embedding, x).ToColumnMajorArray();
        var results = new double[16][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = Invoke(transform, embedding, x).ToColumnMajorArray());
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void Fit_MaxDegreeOfParallelismBelowOne_ThrowsNamedException(Type type)
    {
        var embedding = Create(type);
        ((Estimator)embedding).MaxDegreeOfParallelism = 0;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => embedding.Fit(Data(16)));
        Assert.Equal(nameof(Estimator.MaxDegreeOfParallelism), e.ParamName);
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void Fit_DegreeOfParallelism_DoesNotChangeTheResult(Type type)
    {
        // 700 samples in five clusters: enough for the parallel loops (neighbour search, affinities, gradient blocks, tree
        // walks) to split their work at four threads; one thread must give the same bits, for the fit and the transform.
        var rng = new SplitMix64(17);
        var centres = Matrix<double>.Build.Dense(5, 10, (_, _) => 5.0 * rng.NextNormal());
        var x = Matrix<double>.Build.Dense(700, 10, (i, j) => centres[i % 5, j] + rng.NextNormal());
        var results = new double[2][];
        int[] degrees = [1, 4];
        for (int r = 0; r < degrees.Length; r++)
        {
            var embedding = (IEmbedding)TestEstimators.Create(type, x.ColumnCount);
            ((Estimator)embedding).MaxDegreeOfParallelism = degrees[r];
            if (embedding is IRandomized randomized)
            {
                randomized.RandomSeed = 3;
            }

            results[r] = Snapshot(type, embedding.Fit(x), x.SubMatrix(0, 200, 0, 10));
        }

        Assert.Equal(results[0].Select(BitConverter.DoubleToInt64Bits), results[1].Select(BitConverter.DoubleToInt64Bits));
    }

    /// <summary>|N(0, 1)| entries, 30 samples × 8 features, as the transformer checks.</summary>
    internal static Matrix<double> Data(ulong seed) => TransformerChecks.Data(seed);

    /// <summary>The public <c>Transform(Matrix)</c> of an embedding that has one, else null.</summary>
    internal static MethodInfo? Transform(Type type) => type.GetMethod("Transform", BindingFlags.Public | BindingFlags.Instance, [typeof(Matrix<double>)]);

    private static IEmbedding Create(Type type) => (IEmbedding)TestEstimators.Create(type, 8);

    /// <summary>Calls the transform, unwrapping the reflection wrapper of its exceptions.</summary>
    private static Matrix<double> Invoke(MethodInfo transform, object embedding, Matrix<double> x)
    {
        try
        {
            return (Matrix<double>)transform.Invoke(embedding, [x])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>The embedding, and the transform of <paramref name="x"/> where there is one, as one array.</summary>
    private static double[] Snapshot(Type type, IEmbedding embedding, Matrix<double> x)
    {
        var values = embedding.Embedding.ToColumnMajorArray();
        return Transform(type) is { } transform ? [.. values, .. Invoke(transform, embedding, x).ToColumnMajorArray()] : values;
    }

    /// <summary>A callback of <paramref name="delegateType"/> (an <see cref="Action{T}"/>) that throws.</summary>
    private static Delegate Expression(Type delegateType)
    {
        var argument = delegateType.GetGenericArguments()[0];
        var parameter = System.Linq.Expressions.Expression.Parameter(argument);
        var body = System.Linq.Expressions.Expression.Throw(System.Linq.Expressions.Expression.Constant(new InvalidOperationException("callback failed")));
        return System.Linq.Expressions.Expression.Lambda(delegateType, body, parameter).Compile();
    }

    private static void AssertSame(Matrix<double> expected, Matrix<double> actual)
    {
        var a = expected.ToColumnMajorArray();
        var b = actual.ToColumnMajorArray();
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(a[i]) == BitConverter.DoubleToInt64Bits(b[i]), $"input changed at storage index {i}");
        }
    }
}
