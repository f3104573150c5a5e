// SPDX-License-Identifier: BSD-3-Clause
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests;

/// <summary>
/// The common checks for transformers: every public <see cref="ITransformer"/> of the library with a
/// parameterless constructor, found by reflection and used with its default parameters, is held to
/// the contract of DESIGN.md. The data are non-negative (|N(0, 1)|, 30×8) so that every transformer,
/// NMF included, accepts them.
/// </summary>
public class TransformerChecks
{
    public static TheoryData<Type> Transformers() => EstimatorChecks.TypesImplementing(typeof(ITransformer));

    [Fact]
    public void Discovery_FindsTransformers()
    {
        Assert.NotEmpty(Transformers());
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void Fit_ReturnsItselfAndTypedFitReturnsOwnType(Type type)
    {
        var transformer = Create(type);
        Assert.Same(transformer, transformer.Fit(Data(1)));
        Assert.True(
            type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.Name == "Fit" && m.DeclaringType == type && m.ReturnType == type),
            $"{type.Name} must declare a public Fit returning {type.Name}.");
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void FittedMembers_BeforeFit_ThrowInvalidOperation(Type type)
    {
        var transformer = Create(type);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && !p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            var e = Assert.Throws<TargetInvocationException>(() => property.GetValue(transformer));
            Assert.IsType<InvalidOperationException>(e.InnerException);
            Assert.Contains("Fit", e.InnerException!.Message, StringComparison.Ordinal);
        }

        Assert.Throws<InvalidOperationException>(() => transformer.Transform(Data(2)));
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void Fit_BadInput_ThrowsNamedExceptionAndLeavesInputUnchanged(Type type)
    {
        var transformer = Create(type);
        Assert.Throws<ArgumentNullException>(() => transformer.Fit(null!));
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => transformer.Fit(Matrix<double>.Build.Dense(0, 8))).ParamName);
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var x = Data(3);
            x[4, 2] = bad;
            var copy = x.Clone();
            var e = Assert.ThrowsAny<ArgumentException>(() => transformer.Fit(x));
            Assert.Equal("x", e.ParamName);
            Assert.Contains("row 4, column 2", e.Message, StringComparison.Ordinal);
            AssertSame(copy, x);
        }

        var fitted = Create(type);
        fitted.Fit(Data(3));
        var xt = Data(4);
        xt[5, 1] = double.PositiveInfinity;
        var copyT = xt.Clone();
        var et = Assert.ThrowsAny<ArgumentException>(() => fitted.Transform(xt));
        Assert.Equal("x", et.ParamName);
        Assert.Contains("row 5, column 1", et.Message, StringComparison.Ordinal);
        AssertSame(copyT, xt);
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void FitAndTransform_DoNotModifyInput(Type type)
    {
        var x = Data(5);
        var copy = x.Clone();
        var transformer = Create(type);
        transformer.FitTransform(x);
        transformer.Transform(x);
        AssertSame(copy, x);
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void Fit_Failing_LeavesFittedModelUnchanged(Type type)
    {
        var x = Data(6);
        var transformer = Create(type);
        transformer.Fit(x);
        var before = transformer.Transform(x).ToColumnMajorArray();
        var bad = x.Clone();
        bad[0, 0] = double.NaN;
        Assert.ThrowsAny<ArgumentException>(() => transformer.Fit(bad));
        Assert.ThrowsAny<ArgumentException>(() => transformer.Fit(Matrix<double>.Build.Dense(0, 3)));
        Assert.Equal(before, transformer.Transform(x).ToColumnMajorArray());
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void Transform_WrongColumnCount_Throws(Type type)
    {
        var transformer = Create(type);
        transformer.Fit(Data(7));
        var e = Assert.ThrowsAny<ArgumentException>(() => transformer.Transform(Data(8).SubMatrix(0, 5, 0, 7)));
        Assert.Equal("x", e.ParamName);
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void Fit_SameSeed_GivesIdenticalTransform(Type type)
    {
        var x = Data(9);
        var results = new double[2][];
        for (int r = 0; r < 2; r++)
        {
            var transformer = Create(type);
            if (transformer is IRandomized randomized)
            {
                randomized.RandomSeed = 11;
            }

            results[r] = transformer.Fit(x).Transform(x).ToColumnMajorArray();
        }

        Assert.Equal(results[0], results[1]);
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void SaveLoad_RoundTrip_TransformsBitIdentically(Type type)
    {
        var x = Data(10);
        var transformer = Create(type);
        transformer.Fit(x);
        using var stream = new MemoryStream();
        ModelSerializer.Save(transformer, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<ITransformer>(stream);
        Assert.IsType(type, loaded);
        Assert.Equal(transformer.Transform(x).ToColumnMajorArray(), loaded.Transform(x).ToColumnMajorArray());
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            object? a = property.GetValue(transformer), b = property.GetValue(loaded);
            if (a is double or int or bool)
            {
                Assert.Equal(a, b);
            }
            else if (a is Matrix<double> ma && !property.CanWrite)
            {
                // Fitted matrices round-trip; settable matrix inputs (a start, a given dictionary) are not saved parameters.
                Assert.Equal(ma.ToColumnMajorArray(), ((Matrix<double>)b!).ToColumnMajorArray());
            }
            else if (a is Vector<double> va)
            {
                Assert.Equal(va.ToArray(), ((Vector<double>)b!).ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void SaveLoad_Unfitted_LoadsUnfitted(Type type)
    {
        using var stream = new MemoryStream();
        ModelSerializer.Save(Create(type), stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<ITransformer>(stream);
        Assert.Throws<InvalidOperationException>(() => loaded.Transform(Data(11)));
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void Transform_FromManyThreads_AgreesWithSequential(Type type)
    {
        var x = Data(12);
        var transformer = Create(type);
        transformer.Fit(x);
        var expected = transformer.Transform(x).ToColumnMajorArray();
        var results = new double[16][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = transformer.Transform(x).ToColumnMajorArray());
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void Fit_Cancelled_ThrowsAndLeavesFittedModelUnchanged(Type type)
    {
        var x = Data(13);
        var transformer = Create(type);
        transformer.Fit(x);
        var before = transformer.Transform(x).ToColumnMajorArray();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => transformer.Fit(Data(14), cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => transformer.FitTransform(Data(14), cancelled.Token));
        Assert.Equal(before, transformer.Transform(x).ToColumnMajorArray());
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void Fit_MaxDegreeOfParallelismBelowOne_ThrowsNamedException(Type type)
    {
        var transformer = Create(type);
        ((Estimator)transformer).MaxDegreeOfParallelism = -1;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => transformer.Fit(Data(16)));
        Assert.Equal(nameof(Estimator.MaxDegreeOfParallelism), e.ParamName);
    }

    [Theory]
    [MemberData(nameof(Transformers))]
    public void Fit_DegreeOfParallelism_DoesNotChangeTheResult(Type type)
    {
        // 600×500 with 25 components: large enough for the parallel kernels (GEMM, the coordinate sweep, the randomized
        // SVD of the NNDSVD start) to split their work at four threads; one thread must give the same bits.
        var rng = new SplitMix64(17);
        var x = Matrix<double>.Build.Dense(600, 500, (i, j) => Math.Abs(rng.NextNormal()));
        var results = new double[2][];
        int[] degrees = [1, 4];
        for (int r = 0; r < degrees.Length; r++)
        {
            var transformer = (ITransformer)TestEstimators.Create(type, x.ColumnCount);
            ((Estimator)transformer).MaxDegreeOfParallelism = degrees[r];
            if (transformer is ComponentsTransformer components)
            {
                components.ComponentCount = 25;
            }

            if (transformer is IRandomized randomized)
            {
                randomized.RandomSeed = 3;
            }

            results[r] = transformer.Fit(x).Transform(x).ToColumnMajorArray();
        }

        Assert.Equal(results[0].Select(BitConverter.DoubleToInt64Bits), results[1].Select(BitConverter.DoubleToInt64Bits));
    }

    public static TheoryData<Type> ComponentTransformers() => EstimatorChecks.TypesImplementing(typeof(ComponentsTransformer));

    [Theory]
    [MemberData(nameof(ComponentTransformers))]
    public void InverseTransform_IsCodesTimesComponents(Type type)
    {
        var x = Data(15);
        var transformer = (ComponentsTransformer)Create(type);
        ((ITransformer)transformer).Fit(x);
        var codes = transformer.Transform(x);
        var components = transformer.Components;
        Assert.Equal(x.ColumnCount, components.ColumnCount);
        Assert.Equal(codes.ColumnCount, components.RowCount);
        var expected = codes * components;
        var actual = transformer.InverseTransform(codes);
        for (int i = 0; i < expected.RowCount; i++)
        {
            for (int j = 0; j < expected.ColumnCount; j++)
            {
                Assert.Equal(expected[i, j], actual[i, j], 1e-12 * (1.0 + Math.Abs(expected[i, j])));
            }
        }

        var e = Assert.ThrowsAny<ArgumentException>(() => transformer.InverseTransform(Matrix<double>.Build.Dense(3, components.RowCount + 1)));
        Assert.Equal("codes", e.ParamName);
        Assert.Throws<InvalidOperationException>(() => ((ComponentsTransformer)Create(type)).InverseTransform(codes));
    }

    /// <summary>|N(0, 1)| entries, 30 samples × 8 features.</summary>
    internal static Matrix<double> Data(ulong seed)
    {
        var rng = new SplitMix64(seed + 1000);
        return Matrix<double>.Build.Dense(30, 8, (i, j) => Math.Abs(rng.NextNormal()));
    }

    private static ITransformer Create(Type type) => (ITransformer)TestEstimators.Create(type, 8);

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
