// SPDX-License-Identifier: BSD-3-Clause
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Tests;

/// <summary>
/// The common checks for decompositions: estimators that split or summarise their training matrix itself and have no
/// map for new data (robust PCA's L + S), so that they implement none of <see cref="IRegressor"/>, <see cref="ITransformer"/>,
/// <see cref="IMultiTargetRegressor"/> or <see cref="IEmbedding"/>. Every public estimator of that kind with a parameterless
/// constructor and a public <c>Fit(Matrix&lt;double&gt;, CancellationToken)</c> returning its own type, found by reflection,
/// is held to the contract of DESIGN.md as <see cref="TransformerChecks"/> holds the transformers, with its fitted members
/// (every public read-only property) standing in for <c>Transform</c>.
/// </summary>
public class DecompositionChecks
{
    private static readonly Type[] Contracts = [typeof(IRegressor), typeof(ITransformer), typeof(IMultiTargetRegressor), typeof(IEmbedding)];

    public static TheoryData<Type> Decompositions()
    {
        var data = new TheoryData<Type>();
        foreach (var type in DecompositionTypes())
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void Discovery_FindsDecompositions()
    {
        Assert.Contains(typeof(global::SparseModeling.Decomposition.RobustPca), DecompositionTypes());
    }

    [Fact]
    public void EveryPublicEstimator_HasAContractTheChecksKnow()
    {
        // An estimator outside every contract, without a typed Fit(x), would escape all the common checks.
        var estimators = ModelSerializerCorruptionTests.PublicEstimatorTypes().ToList();
        var known = DecompositionTypes().ToHashSet();

        // LassoPrimalDual is a signal denoiser (Fit(signal)): LassoPrimalDualTests and the serializer, parameter-message and
        // cancellation checks hold it to the contract by name.
        known.Add(typeof(global::SparseModeling.LinearModel.LassoPrimalDual));

        // SparseSuperResolution fits a list of images and upscales: SparseSuperResolutionTests and the serializer,
        // parameter-message, scale and cancellation checks hold it to the contract by name.
        known.Add(typeof(global::SparseModeling.Imaging.SparseSuperResolution));
        Assert.All(estimators, t => Assert.True(Contracts.Any(c => c.IsAssignableFrom(t)) || known.Contains(t), $"{t.Name} has no contract the common checks know."));
    }

    [Theory]
    [MemberData(nameof(Decompositions))]
    public void Fit_ReturnsItself(Type type)
    {
        var estimator = Create(type);
        Assert.Same(estimator, Fit(estimator, Data(1)));
    }

    [Theory]
    [MemberData(nameof(Decompositions))]
    public void FittedMembers_BeforeFit_ThrowInvalidOperation(Type type)
    {
        var estimator = Create(type);
        var fitted = FittedProperties(type).ToList();
        Assert.NotEmpty(fitted);
        foreach (var property in fitted)
        {
            var e = Assert.Throws<TargetInvocationException>(() => property.GetValue(estimator));
            Assert.IsType<InvalidOperationException>(e.InnerException);
            Assert.Contains("Fit", e.InnerException!.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Decompositions))]
    public void Fit_BadInput_ThrowsNamedExceptionAndLeavesInputUnchanged(Type type)
    {
        var estimator = Create(type);
        Assert.Throws<ArgumentNullException>(() => Fit(estimator, null!));
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => Fit(estimator, Matrix<double>.Build.Dense(0, 8))).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => Fit(estimator, Matrix<double>.Build.Dense(5, 0))).ParamName);
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var x = Data(3);
            x[4, 2] = bad;
            var copy = x.Clone();
            var e = Assert.ThrowsAny<ArgumentException>(() => Fit(estimator, x));
            Assert.Equal("x", e.ParamName);
            Assert.Contains("row 4, column 2", e.Message, StringComparison.Ordinal);
            Assert.Equal(Bits(copy.ToColumnMajorArray()), Bits(x.ToColumnMajorArray()));
        }
    }

    [Theory]
    [MemberData(nameof(Decompositions))]
    public void Fit_DoesNotModifyInput(Type type)
    {
        var x = Data(5);
        var copy = x.Clone();
        Fit(Create(type), x);
        Assert.Equal(Bits(copy.ToColumnMajorArray()), Bits(x.ToColumnMajorArray()));
    }

    [Theory]
    [MemberData(nameof(Decompositions))]
    public void Fit_FailingOrCancelled_LeavesFittedModelUnchanged(Type type)
    {
        var estimator = Create(type);
        Fit(estimator, Data(6));
        var before = Snapshot(estimator);
        var bad = Data(7);
        bad[0, 0] = double.NaN;
        Assert.ThrowsAny<ArgumentException>(() => Fit(estimator, bad));
        Assert.ThrowsAny<ArgumentException>(() => Fit(estimator, Matrix<double>.Build.Dense(0, 3)));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Fit(estimator, Data(8), cancelled.Token));
        Assert.Equal(before, Snapshot(estimator));
    }

    [Theory]
    [MemberData(nameof(Decompositions))]
    public void Fit_Twice_GivesIdenticalModels(Type type)
    {
        var x = Data(9);
        var first = Create(type);
        var second = Create(type);
        if (first is IRandomized a && second is IRandomized b)
        {
            (a.RandomSeed, b.RandomSeed) = (11, 11);
        }

        Fit(first, x);
        Fit(second, x);
        Fit(second, x);
        Assert.Equal(Snapshot(first), Snapshot(second));
    }

    [Theory]
    [MemberData(nameof(Decompositions))]
    public void SaveLoad_RoundTrip_KeepsEveryFittedMemberBitForBit(Type type)
    {
        var estimator = Create(type);
        Fit(estimator, Data(10));
        using var stream = new MemoryStream();
        ModelSerializer.Save(estimator, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<Estimator>(stream);
        Assert.IsType(type, loaded);
        Assert.Equal(Snapshot(estimator), Snapshot(loaded));

        using var unfitted = new MemoryStream();
        ModelSerializer.Save(Create(type), unfitted);
        unfitted.Position = 0;
        var empty = ModelSerializer.Load<Estimator>(unfitted);
        Assert.All(FittedProperties(type), p => Assert.IsType<InvalidOperationException>(Assert.Throws<TargetInvocationException>(() => p.GetValue(empty)).InnerException));
    }

    [Theory]
    [MemberData(nameof(Decompositions))]
    public void FittedMembers_FromManyThreads_AgreeWithSequential(Type type)
    {
        var estimator = Create(type);
        Fit(estimator, Data(12));
        var expected = Snapshot(estimator);
        var results = new string[16];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = Snapshot(estimator));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [MemberData(nameof(Decompositions))]
    public void Fit_MaxDegreeOfParallelismBelowOne_ThrowsNamedException(Type type)
    {
        var estimator = Create(type);
        estimator.MaxDegreeOfParallelism = 0;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Fit(estimator, Data(16)));
        Assert.Equal(nameof(Estimator.MaxDegreeOfParallelism), e.ParamName);
    }

    [Theory]
    [MemberData(nameof(Decompositions))]
    public void Fit_DegreeOfParallelism_DoesNotChangeTheResult(Type type)
    {
        // 400×300: large enough for the GEMM and Gram kernels to split their work at four threads.
        var rng = new SplitMix64(17);
        var x = Matrix<double>.Build.Dense(400, 300, (i, j) => Math.Abs(rng.NextNormal()));
        var results = new string[2];
        int[] degrees = [1, 4];
        for (int r = 0; r < degrees.Length; r++)
        {
            var estimator = (Estimator)TestEstimators.Create(type, x.ColumnCount);
            estimator.MaxDegreeOfParallelism = degrees[r];
            if (estimator is IRandomized randomized)
            {
                randomized.RandomSeed = 3;
            }

            Fit(estimator, x);
            results[r] = Snapshot(estimator);
        }

        Assert.Equal(results[0], results[1]);
    }

    /// <summary>The public concrete estimators outside the other contracts with a typed <c>Fit(Matrix&lt;double&gt;, CancellationToken)</c>.</summary>
    internal static IEnumerable<Type> DecompositionTypes() =>
        ModelSerializerCorruptionTests.PublicEstimatorTypes().Where(t => !Contracts.Any(c => c.IsAssignableFrom(t)) && FitMethod(t) is not null);

    /// <summary>Fits a decomposition through its typed <c>Fit(x, token)</c>, unwrapping the reflection wrapper of any exception.</summary>
    internal static object Fit(object estimator, Matrix<double> x, CancellationToken cancellationToken = default)
    {
        var fit = FitMethod(estimator.GetType()) ?? throw new InvalidOperationException($"{estimator.GetType().Name} has no Fit(Matrix<double>, CancellationToken).");
        try
        {
            return fit.Invoke(estimator, [x, cancellationToken])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>Every fitted member's value (public read-only properties: numbers, vectors, matrices), as one exact text, for comparisons.</summary>
    internal static string Snapshot(object estimator) => string.Join(
        "\n",
        FittedProperties(estimator.GetType()).Select(p => $"{p.Name}: {Describe(p.GetValue(estimator))}"));

    /// <summary>The fitted numbers of a decomposition, in one array (for checks that compare or test the finiteness of outputs).</summary>
    internal static double[] Numbers(object estimator) =>
        [.. FittedProperties(estimator.GetType()).SelectMany(p => Value(p, estimator) switch
        {
            double d => [d],
            int i => [i],
            Vector<double> v => v.ToArray(),
            Matrix<double> m => m.ToColumnMajorArray(),
            _ => Array.Empty<double>(),
        })];

    /// <summary>A property's value, with the exception of its getter (a "not fitted" error) unwrapped.</summary>
    private static object? Value(PropertyInfo property, object estimator)
    {
        try
        {
            return property.GetValue(estimator);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private static MethodInfo? FitMethod(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(m =>
            m.Name == "Fit" && m.DeclaringType == type && m.ReturnType == type &&
            m.GetParameters().Select(p => p.ParameterType).SequenceEqual([typeof(Matrix<double>), typeof(CancellationToken)]));

    private static IEnumerable<PropertyInfo> FittedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && !p.CanWrite && p.GetIndexParameters().Length == 0).OrderBy(p => p.Name, StringComparer.Ordinal);

    private static string Describe(object? value) => value switch
    {
        double d => BitConverter.DoubleToInt64Bits(d).ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
        Vector<double> v => $"[{v.Count}] {string.Join(',', Bits(v.ToArray()))}",
        Matrix<double> m => $"[{m.RowCount}×{m.ColumnCount}] {string.Join(',', Bits(m.ToColumnMajorArray()))}",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };

    private static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

    private static Estimator Create(Type type) => (Estimator)TestEstimators.Create(type, 8);

    /// <summary>|N(0, 1)| entries, 30 samples × 8 features, as the transformer checks use.</summary>
    private static Matrix<double> Data(ulong seed) => TransformerChecks.Data(seed);
}
