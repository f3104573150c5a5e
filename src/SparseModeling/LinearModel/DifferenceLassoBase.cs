// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Optimization;

namespace SparseModeling.LinearModel;

/// <summary>
/// The shared shell of spm-image's fused Lasso and trend-filtering estimators: the generalized Lasso
/// (<see cref="GeneralizedLassoBase"/>) with D = [SparseCoefficient·I; TrendCoefficient·T], T the difference operator of
/// the subclass's order, so that α·‖Dw‖₁ = α·SparseCoefficient·‖w‖₁ + α·TrendCoefficient·‖Tw‖₁.
/// </summary>
/// <remarks>
/// D is built exactly as spm-image's <c>merge_matrix</c> (<see cref="GenerateTransformMatrix"/>): with
/// <see cref="SparseCoefficient"/> = 0 it is TrendCoefficient·T alone (even when that is 0 too), with
/// <see cref="TrendCoefficient"/> = 0 it is SparseCoefficient·I alone, and T has no rows when there are no more features
/// than its order. Inside the fit D is never formed: the identity and the differences are structured operators, and
/// with X diagonal (a signal) the system is banded.
/// </remarks>
public abstract class DifferenceLassoBase : GeneralizedLassoBase
{
    private protected DifferenceLassoBase()
    {
    }

    /// <summary>The weight of ‖w‖₁ within the penalty, ≥ 0 (default 1, as spm-image's <c>sparse_coef</c>).</summary>
    public double SparseCoefficient { get; set; } = 1.0;

    /// <summary>The weight of ‖Tw‖₁ (the differences) within the penalty, ≥ 0 (default 1, as spm-image's <c>trend_coef</c>).</summary>
    public double TrendCoefficient { get; set; } = 1.0;

    /// <summary>The order k of the difference operator T (1: fused Lasso, 2: trend filtering, 3: quadratic trend filtering).</summary>
    private protected abstract int DifferenceOrder { get; }

    /// <summary>The fewest features D can be built for: spm-image fails below 2 for trend filtering and below 1 otherwise.</summary>
    private int MinimumFeatureCount => DifferenceOrder == 2 ? 2 : 1;

    /// <summary>
    /// The penalty matrix D that a fit on <paramref name="featureCount"/> features uses, exactly as spm-image's
    /// <c>generate_transform_matrix</c>: [SparseCoefficient·I; TrendCoefficient·T] (dense), where T has rows
    /// (−1, 1) (fused Lasso), (−1, 2, −1) (trend filtering) or (1, −3, 3, −1) (quadratic trend filtering) starting at
    /// each column while they fit — none when <paramref name="featureCount"/> ≤ the order; with SparseCoefficient = 0
    /// only TrendCoefficient·T, with TrendCoefficient = 0 only SparseCoefficient·I.
    /// </summary>
    /// <param name="featureCount">The number of features p: at least 1 (at least 2 for <see cref="TrendFilteringAdmm"/>, as spm-image).</param>
    /// <returns>D, with p columns.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> is too small, or a coefficient is negative or not finite.</exception>
    public Matrix<double> GenerateTransformMatrix(int featureCount)
    {
        ValidateCoefficients();
        Guard.AtLeast(featureCount, MinimumFeatureCount);
        int p = featureCount, k = DifferenceOrder;
        int trendRows = Math.Max(p - k, 0);
        var stencil = Stencil(k);
        bool sparse = SparseCoefficient != 0.0, trend = !sparse || TrendCoefficient != 0.0;
        int offset = sparse ? p : 0;
        var d = Matrix<double>.Build.Dense(offset + (trend ? trendRows : 0), p);
        if (sparse)
        {
            for (int j = 0; j < p; j++)
            {
                d[j, j] = SparseCoefficient;
            }
        }

        if (trend)
        {
            for (int i = 0; i < trendRows; i++)
            {
                for (int a = 0; a <= k; a++)
                {
                    d[offset + i, i + a] = TrendCoefficient * stencil[a];
                }
            }
        }

        return d;
    }

    private protected override ConstraintOperator CreateConstraint(Matrix<double> x)
    {
        int featureCount = x.ColumnCount;
        if (featureCount < MinimumFeatureCount)
        {
            throw new ArgumentException($"{GetType().Name} needs at least {MinimumFeatureCount} features for its difference operator ({nameof(x)} has {featureCount}), as spm-image.", nameof(x));
        }

        // The structured operators stand for spm-image's rows up to the signs of T's rows (differences of order 2 are
        // (1, −2, 1) here, (−1, 2, −1) there), which change neither ‖Dw‖₁ nor the w-iterates of ADMM.
        var identity = ConstraintOperator.Identity(featureCount);
        var difference = ConstraintOperator.Difference(featureCount, DifferenceOrder);
        if (SparseCoefficient == 0.0)
        {
            return ConstraintOperator.Stacked((TrendCoefficient, difference));
        }

        if (TrendCoefficient == 0.0)
        {
            return SparseCoefficient == 1.0 ? identity : ConstraintOperator.Stacked((SparseCoefficient, identity));
        }

        return ConstraintOperator.Stacked((SparseCoefficient, identity), (TrendCoefficient, difference));
    }

    private protected override void ValidateParameters()
    {
        base.ValidateParameters();
        ValidateCoefficients();
    }

    private static double[] Stencil(int order) => order switch
    {
        1 => [-1.0, 1.0],
        2 => [-1.0, 2.0, -1.0],
        _ => [1.0, -3.0, 3.0, -1.0],
    };

    private void ValidateCoefficients()
    {
        Guard.AtLeast(SparseCoefficient, 0.0, nameof(SparseCoefficient));
        Guard.AtLeast(TrendCoefficient, 0.0, nameof(TrendCoefficient));
    }
}
