// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Tests;

/// <summary>
/// Every public estimator, by reflection: each numeric parameter set to a value outside any sensible range (NaN, −1, a huge
/// count) and fitted. Where the fit rejects it with <see cref="ArgumentOutOfRangeException"/>, the exception names the
/// parameter, states the rejected value exactly once, and carries no second "Actual value was" line. Estimators whose
/// parameters are all switches or enums (<c>StandardScaler</c>) have nothing to check here.
/// </summary>
public class ParameterMessageChecks
{
    public static TheoryData<Type> Estimators() => EstimatorChecks.TypesImplementing(typeof(Estimator));

    [Theory]
    [MemberData(nameof(Estimators))]
    public void Fit_ParameterOutOfRange_StatesTheValueOnce(Type type)
    {
        int rejected = 0, numeric = 0;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetSetMethod() is not null))
        {
            var kind = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object[] values = kind == typeof(double) ? [double.NaN, -1.0] : kind == typeof(int) ? [-1, int.MaxValue] : [];
            numeric += values.Length > 0 ? 1 : 0;
            foreach (var value in values)
            {
                var estimator = TestEstimators.Create(type, 6);
                var e = Record.Exception(() =>
                {
                    try
                    {
                        property.SetValue(estimator, value);
                    }
                    catch (TargetInvocationException thrown) when (thrown.InnerException is not null)
                    {
                        throw thrown.InnerException; // a setter that checks its value (NMF's Beta)
                    }

                    Fit(estimator);
                });
                if (e is not ArgumentOutOfRangeException range)
                {
                    continue;
                }

                rejected++;
                Assert.Null(range.ActualValue);
                Assert.DoesNotContain("Actual value", range.Message, StringComparison.Ordinal);
                if (range.ParamName == property.Name)
                {
                    string text = Convert.ToString(value, CultureInfo.InvariantCulture)!;
                    int first = range.Message.IndexOf(text, StringComparison.Ordinal);
                    Assert.True(first >= 0, $"{type.Name}.{property.Name} = {text}: the message does not state the value: {range.Message}");
                    Assert.True(range.Message.IndexOf(text, first + text.Length, StringComparison.Ordinal) < 0, $"{type.Name}.{property.Name} = {text}: the message states the value twice: {range.Message}");
                }
            }
        }

        // An estimator without numeric parameters (a scaler with only switches) has nothing to reject; one with them must
        // reject some out-of-range value, or the check saw nothing.
        Assert.True(rejected > 0 || numeric == 0, $"no parameter of {type.Name} was rejected: the check saw nothing");
    }

    private static void Fit(object estimator)
    {
        var rng = new SplitMix64(11);
        var x = Matrix<double>.Build.Dense(30, 6, (i, j) => rng.NextDouble() + 0.1);
        var y = Vector<double>.Build.Dense(30, i => x[i, 0] - (2.0 * x[i, 3]));
        switch (estimator)
        {
            case IRegressor regressor:
                regressor.Fit(x, y);
                break;
            case IMultiTargetRegressor multi:
                multi.Fit(x, y.ToColumnMatrix());
                break;
            case ITransformer transformer:
                transformer.Fit(x);
                break;
            case LassoPrimalDual signal:
                signal.Fit(y);
                break;
            default:
                throw new InvalidOperationException($"{estimator.GetType().Name}: no fit for this kind of estimator in the check");
        }
    }
}
