// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Tests;

/// <summary>
/// The common checks for multi-target regressors: every public <see cref="IMultiTargetRegressor"/> of the
/// library, found by reflection and used with its default parameters (light regularisation where it declares
/// <see cref="IRegularized"/>), is held to its contract: each target fitted as if alone, every member
/// working for any number of targets, bad input named, a failed fit leaving the model as it was, and
/// saving and loading bit for bit.
/// </summary>
public class MultiTargetChecks
{
    public static TheoryData<Type> MultiTargetRegressors() => EstimatorChecks.TypesImplementing(typeof(IMultiTargetRegressor));

    [Fact]
    public void Discovery_FindsMultiTargetRegressors()
    {
        Assert.NotEmpty(MultiTargetRegressors());
    }

    [Theory]
    [MemberData(nameof(MultiTargetRegressors))]
    public void Fit_EachTargetAsIfFittedAlone(Type type)
    {
        var (x, y) = Data(1);
        var model = Create(type);
        Assert.Same(model, model.Fit(x, y));
        var predictions = model.PredictTargets(x);
        Assert.Equal(x.RowCount, predictions.RowCount);
        Assert.Equal(y.ColumnCount, predictions.ColumnCount);
        for (int k = 0; k < y.ColumnCount; k++)
        {
            var single = (IRegressor)Create(type);
            single.Fit(x, y.Column(k));
            var expected = single.Predict(x);
            for (int i = 0; i < x.RowCount; i++)
            {
                Assert.Equal(expected[i], predictions[i, k], 1e-10 * (1.0 + Math.Abs(expected[i])));
            }
        }

        Assert.True(model.Score(x, y) > 0.9);
    }

    [Theory]
    [MemberData(nameof(MultiTargetRegressors))]
    public void SingleTargetFit_MultiTargetMembersWork(Type type)
    {
        // The multi-target contract holds for one target too: a fit through IRegressor is a one-column model.
        var (x, y) = Data(2);
        var model = Create(type);
        ((IRegressor)model).Fit(x, y.Column(0));
        var predictions = model.PredictTargets(x);
        Assert.Equal(1, predictions.ColumnCount);
        Assert.Equal(((IRegressor)model).Predict(x).ToArray(), predictions.Column(0).ToArray());
        Assert.Equal(((IRegressor)model).Score(x, y.Column(0)), model.Score(x, y.SubMatrix(0, y.RowCount, 0, 1)), 12);
    }

    [Theory]
    [MemberData(nameof(MultiTargetRegressors))]
    public void Fit_BadInput_ThrowsNamedExceptionAndKeepsModel(Type type)
    {
        var (x, y) = Data(3);
        var model = Create(type);
        Assert.Throws<InvalidOperationException>(() => model.PredictTargets(x));
        model.Fit(x, y);
        var before = model.PredictTargets(x).ToColumnMajorArray();
        Assert.Throws<ArgumentNullException>(() => model.Fit(x, null!));
        Assert.Equal("y", Assert.ThrowsAny<ArgumentException>(() => model.Fit(x, y.SubMatrix(0, y.RowCount - 1, 0, y.ColumnCount))).ParamName);
        var yb = y.Clone();
        yb[5, 1] = double.NaN;
        var copy = yb.Clone();
        var e = Assert.ThrowsAny<ArgumentException>(() => model.Fit(x, yb));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("row 5, column 1", e.Message, StringComparison.Ordinal);
        Assert.Equal(copy.ToColumnMajorArray(), yb.ToColumnMajorArray());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => model.Fit(x, y * 2.0, cancelled.Token));
        Assert.Equal(before, model.PredictTargets(x).ToColumnMajorArray());
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => model.PredictTargets(x.SubMatrix(0, 4, 0, x.ColumnCount - 1))).ParamName);
    }

    [Theory]
    [MemberData(nameof(MultiTargetRegressors))]
    public void SaveLoad_MultiTarget_PredictsBitIdentically(Type type)
    {
        var (x, y) = Data(4);
        var model = Create(type).Fit(x, y);
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        stream.Position = 0;
        var loaded = ModelSerializer.Load<IMultiTargetRegressor>(stream);
        Assert.IsType(type, loaded);
        Assert.Equal(model.PredictTargets(x).ToColumnMajorArray(), loaded.PredictTargets(x).ToColumnMajorArray());
    }

    /// <summary>40 samples, 6 features, 3 targets that are noise-free sparse linear functions of the features.</summary>
    private static (Matrix<double> X, Matrix<double> Y) Data(ulong seed)
    {
        var rng = new SplitMix64(seed + 2000);
        var x = Matrix<double>.Build.Dense(40, 6, (i, j) => rng.NextNormal());
        var w = Matrix<double>.Build.DenseOfArray(new[,]
        {
            { 1.5, 0.0, -2.0, 0.0, 0.7, 0.0 },
            { 0.0, 1.0, 0.0, 0.0, 0.0, -1.2 },
            { 0.5, 0.5, 0.5, 0.0, 0.0, 0.0 },
        });
        return (x, (x * w.Transpose()) + 1.0);
    }

    private static IMultiTargetRegressor Create(Type type)
    {
        var model = (IMultiTargetRegressor)TestEstimators.Create(type, 6);
        if (model is IRegularized regularized)
        {
            regularized.Alpha = 0.01;
        }

        return model;
    }
}
