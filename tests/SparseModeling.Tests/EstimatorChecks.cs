// SPDX-License-Identifier: BSD-3-Clause
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests;

/// <summary>
/// The common estimator checks: every public estimator of the library, found by reflection, is held
/// to the contract of DESIGN.md (as scikit-learn's <c>check_estimator</c>). A new estimator is
/// covered by adding it to the library; nothing here needs to change. What is checked follows the
/// contracts a type declares (<see cref="IRegressor"/>, <see cref="IRandomized"/>, <see cref="IRegularized"/>,
/// <see cref="ISparsityConstrained"/>, ...), never its property names.
/// </summary>
public class EstimatorChecks
{
    /// <summary>
    /// The estimators that read NaN entries of x as missing values rather than rejecting them (DESIGN.md: HMLasso): for
    /// these a NaN in x must fit (input unchanged) and ±∞ must still be rejected with its position.
    /// </summary>
    internal static readonly HashSet<Type> ReadsNaNAsMissing = [typeof(HMLasso)];

    public static TheoryData<Type> Regressors() => TypesImplementing(typeof(IRegressor));

    [Fact]
    public void Discovery_FindsEstimators()
    {
        Assert.NotEmpty(Regressors());
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Fit_ReturnsItselfAndTypedFitReturnsOwnType(Type type)
    {
        var (x, y) = RegressionData(1);
        var estimator = Create<IRegressor>(type);
        Assert.Same(estimator, estimator.Fit(x, y));

        var typedFit = type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == "Fit" && m.DeclaringType == type && m.ReturnType == type)
            .ToList();
        Assert.True(typedFit.Count > 0, $"{type.Name} must declare a public Fit returning {type.Name}.");
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void FittedMembers_BeforeFit_ThrowInvalidOperation(Type type)
    {
        var estimator = Create<IRegressor>(type);
        foreach (var property in FittedProperties(type))
        {
            var e = Assert.Throws<TargetInvocationException>(() => property.GetValue(estimator));
            Assert.IsType<InvalidOperationException>(e.InnerException);
            Assert.Contains("Fit", e.InnerException!.Message, StringComparison.Ordinal);
        }

        var (x, y) = RegressionData(2);
        Assert.Throws<InvalidOperationException>(() => estimator.Predict(x));
        Assert.Throws<InvalidOperationException>(() => estimator.Score(x, y));
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Fit_BadInput_ThrowsNamedExceptionAndLeavesInputUnchanged(Type type)
    {
        var (x, y) = RegressionData(3);
        var estimator = Create<IRegressor>(type);

        Assert.Throws<ArgumentNullException>(() => estimator.Fit(null!, y));
        Assert.Throws<ArgumentNullException>(() => estimator.Fit(x, null!));
        AssertRejected(estimator, Matrix<double>.Build.Dense(0, x.ColumnCount), Vector<double>.Build.Dense(0), "x");
        AssertRejected(estimator, x, Vector<double>.Build.Dense(y.Count - 1), "y");
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var xb = x.Clone();
            xb[4, 2] = bad;
            var copy = xb.Clone();
            if (double.IsNaN(bad) && ReadsNaNAsMissing.Contains(type))
            {
                estimator.Fit(xb, y);
            }
            else
            {
                var e = AssertRejected(estimator, xb, y, "x");
                Assert.Contains("row 4, column 2", e.Message, StringComparison.Ordinal);
            }

            AssertSame(copy, xb);

            var yb = y.Clone();
            yb[5] = bad;
            AssertRejected(estimator, x, yb, "y");
        }
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Fit_DoesNotModifyInputs(Type type)
    {
        var (x, y) = RegressionData(4);
        var (xc, yc) = (x.Clone(), y.Clone());
        Create<IRegressor>(type).Fit(x, y);
        AssertSame(xc, x);
        Assert.Equal(yc.ToArray(), y.ToArray());
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Fit_Failing_LeavesFittedModelUnchanged(Type type)
    {
        var (x, y) = RegressionData(5);
        var estimator = Create<IRegressor>(type).Fit(x, y);
        var before = estimator.Predict(x).ToArray();
        var xb = x.Clone();
        xb[0, 0] = ReadsNaNAsMissing.Contains(type) ? double.PositiveInfinity : double.NaN;
        Assert.Throws<ArgumentException>(() => estimator.Fit(xb, y));
        Assert.Throws<ArgumentException>(() => estimator.Fit(x.SubMatrix(0, x.RowCount, 0, 2), y.SubVector(0, 3)));
        Assert.Equal(before, estimator.Predict(x).ToArray());
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Predict_WrongColumnCount_Throws(Type type)
    {
        var (x, y) = RegressionData(6);
        var estimator = Create<IRegressor>(type).Fit(x, y);
        var e = Assert.Throws<ArgumentException>(() => estimator.Predict(x.SubMatrix(0, 3, 0, x.ColumnCount - 1)));
        Assert.Equal("x", e.ParamName);
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Fit_SameSeed_GivesIdenticalResults(Type type)
    {
        var (x, y) = RegressionData(7);
        var a = Create<IRegressor>(type);
        var b = Create<IRegressor>(type);
        foreach (var estimator in new[] { a, b })
        {
            if (estimator is IRandomized randomized)
            {
                randomized.RandomSeed = 11;
            }
        }

        Assert.Equal(a.Fit(x, y).Predict(x).ToArray(), b.Fit(x, y).Predict(x).ToArray());
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void SaveLoad_RoundTrip_PredictsBitIdentically(Type type)
    {
        var (x, y) = RegressionData(8);
        var estimator = Create<IRegressor>(type).Fit(x, y);
        using var stream = new MemoryStream();
        ModelSerializer.Save(estimator, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<IRegressor>(stream);
        Assert.IsType(type, loaded);
        Assert.Equal(estimator.Predict(x).ToArray(), loaded.Predict(x).ToArray());
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType == typeof(double) || property.PropertyType == typeof(int) || property.PropertyType == typeof(bool))
            {
                Assert.Equal(property.GetValue(estimator), property.GetValue(loaded));
            }
            else if (property.PropertyType == typeof(Vector<double>))
            {
                Assert.Equal(((Vector<double>)property.GetValue(estimator)!).ToArray(), ((Vector<double>)property.GetValue(loaded)!).ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void SaveLoad_Unfitted_LoadsUnfitted(Type type)
    {
        var estimator = Create<IRegressor>(type);
        using var stream = new MemoryStream();
        ModelSerializer.Save(estimator, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<IRegressor>(stream);
        var (x, _) = RegressionData(9);
        Assert.Throws<InvalidOperationException>(() => loaded.Predict(x));
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Predict_FromManyThreads_AgreesWithSequential(Type type)
    {
        var (x, y) = RegressionData(10);
        var estimator = Create<IRegressor>(type).Fit(x, y);
        var expected = estimator.Predict(x).ToArray();
        var results = new double[16][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = estimator.Predict(x).ToArray());
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Score_PerfectlyPredictableData_IsHigh(Type type)
    {
        // A sanity check that Fit learns: on noise-free linear data (3 relevant features of 6) every
        // regressor set to light regularisation or to the true sparsity should explain most of the variance.
        var (x, y) = RegressionData(12);
        var estimator = Create<IRegressor>(type);
        if (estimator is IRegularized regularized)
        {
            regularized.Alpha = 0.01;
        }

        if (estimator is ISparsityConstrained constrained)
        {
            constrained.NonzeroCoefficients = 3;
        }

        Assert.True(estimator.Fit(x, y).Score(x, y) > 0.9);
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Fit_Cancelled_ThrowsAndLeavesFittedModelUnchanged(Type type)
    {
        var (x, y) = RegressionData(13);
        var estimator = Create<IRegressor>(type).Fit(x, y);
        var before = estimator.Predict(x).ToArray();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var (x2, y2) = RegressionData(14);
        Assert.ThrowsAny<OperationCanceledException>(() => estimator.Fit(x2, y2, cancelled.Token));
        Assert.Equal(before, estimator.Predict(x).ToArray());
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Fit_MaxDegreeOfParallelismBelowOne_ThrowsNamedException(Type type)
    {
        var (x, y) = RegressionData(15);
        var estimator = Create<IRegressor>(type);
        ((Estimator)estimator).MaxDegreeOfParallelism = 0;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(x, y));
        Assert.Equal(nameof(Estimator.MaxDegreeOfParallelism), e.ParamName);
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Fit_DegreeOfParallelism_DoesNotChangeTheResult(Type type)
    {
        // 800×400: large enough for every parallel kernel on the way (GEMV, GEMM, column statistics) to split its
        // work at four threads; one thread must give the same bits, in the fit and in Predict.
        var rng = new SplitMix64(16);
        var x = Matrix<double>.Build.Dense(800, 400, (i, j) => rng.NextNormal());
        var y = Vector<double>.Build.Dense(800, i => (1.5 * x[i, 0]) - (2.0 * x[i, 7]) + (0.7 * x[i, 300]) + (0.1 * rng.NextNormal()));
        var predictions = new double[2][];
        int[] degrees = [1, 4];
        for (int r = 0; r < degrees.Length; r++)
        {
            var estimator = Create<IRegressor>(type);
            ((Estimator)estimator).MaxDegreeOfParallelism = degrees[r];
            if (estimator is IRandomized randomized)
            {
                randomized.RandomSeed = 3;
            }

            predictions[r] = estimator.Fit(x, y).Predict(x).ToArray();
        }

        Assert.Equal(predictions[0].Select(BitConverter.DoubleToInt64Bits), predictions[1].Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void EveryPublicEstimator_DerivesFromTheEstimatorBase()
    {
        var contracts = new[] { typeof(IRegressor), typeof(ITransformer), typeof(IMultiTargetRegressor), typeof(IEmbedding) };
        var estimators = typeof(IRegressor).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && contracts.Any(c => c.IsAssignableFrom(t)))
            .ToList();
        Assert.NotEmpty(estimators);
        Assert.All(estimators, t => Assert.True(typeof(Estimator).IsAssignableFrom(t), $"{t.Name} does not derive from {nameof(Estimator)}."));
    }

    internal static TheoryData<Type> TypesImplementing(Type contract)
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(IRegressor).Assembly.GetExportedTypes()
                     .Where(t => t.IsClass && !t.IsAbstract && contract.IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            data.Add(type);
        }

        return data;
    }

    /// <summary>A small well-conditioned regression problem: 40 samples, 6 features, 3 relevant.</summary>
    internal static (Matrix<double> X, Vector<double> Y) RegressionData(ulong seed)
    {
        var rng = new SplitMix64(seed);
        var x = Matrix<double>.Build.Dense(40, 6, (i, j) => rng.NextNormal());
        var w = Vector<double>.Build.DenseOfArray([1.5, 0.0, -2.0, 0.0, 0.7, 0.0]);
        return (x, (x * w) + 3.0);
    }

    private static T Create<T>(Type type) => (T)TestEstimators.Create(type, 6);

    private static IEnumerable<PropertyInfo> FittedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && !p.CanWrite && p.GetIndexParameters().Length == 0);

    private static ArgumentException AssertRejected(IRegressor estimator, Matrix<double> x, Vector<double> y, string parameter)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => estimator.Fit(x, y));
        Assert.Equal(parameter, e.ParamName);
        return e;
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
