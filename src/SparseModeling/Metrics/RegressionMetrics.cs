// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Metrics;

/// <summary>
/// Regression metrics, exactly as scikit-learn's <c>sklearn.metrics</c> (<c>r2_score</c>, <c>mean_squared_error</c>,
/// <c>mean_absolute_error</c>, <c>explained_variance_score</c>) for one target: same formulas, same conventions for a
/// constant <c>yTrue</c>. Every estimator's <see cref="IRegressor.Score"/> is <see cref="R2Score"/> of its predictions.
/// </summary>
/// <remarks>
/// Each metric takes the true targets first and the predictions second; both must be non-empty, finite and of one
/// length. The two "negative" errors are the scores scikit-learn's model selection maximises
/// (<c>scoring="neg_mean_squared_error"</c>, <c>"neg_mean_absolute_error"</c>); pass them, or any metric, to
/// <see cref="ModelSelection.CrossValidation"/> and <see cref="ModelSelection.GridSearch"/>, which treat larger as better.
/// <code>
/// double r2 = RegressionMetrics.R2Score(yTest, model.Predict(xTest));
/// double mse = RegressionMetrics.MeanSquaredError(yTest, model.Predict(xTest));
/// </code>
/// </remarks>
public static class RegressionMetrics
{
    /// <summary>
    /// The coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (scikit-learn's <c>r2_score</c>). For a constant
    /// <paramref name="yTrue"/> (Σ(y − ȳ)² = 0) it is 1 when the prediction is perfect and 0 otherwise, as scikit-learn's
    /// default <c>force_finite=True</c>; with fewer than two samples it is NaN (not defined, as scikit-learn).
    /// </summary>
    /// <param name="yTrue">The true targets.</param>
    /// <param name="yPredicted">The predictions, one per target.</param>
    /// <returns>R² ≤ 1; 1 is a perfect prediction, 0 that of the mean, and it is negative for worse predictions.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument is empty or holds NaN or ±∞, or the lengths differ.</exception>
    public static double R2Score(Vector<double> yTrue, Vector<double> yPredicted)
    {
        Check(yTrue, yPredicted);
        return R2(yTrue, yPredicted);
    }

    /// <summary>R² without the argument checks, for callers that have checked the targets (every estimator's <c>Score</c>): NaN predictions give NaN.</summary>
    internal static double R2(Vector<double> yTrue, Vector<double> yPredicted)
    {
        int n = yTrue.Count;
        if (n < 2)
        {
            return double.NaN;
        }

        double mean = Mean(yTrue);
        double residual = 0.0, total = 0.0;
        for (int i = 0; i < n; i++)
        {
            double e = yTrue[i] - yPredicted[i];
            double d = yTrue[i] - mean;
            residual += e * e;
            total += d * d;
        }

        return Ratio(residual, total);
    }

    /// <summary>The mean squared error Σ(y − ŷ)² / n (scikit-learn's <c>mean_squared_error</c>).</summary>
    /// <param name="yTrue">The true targets.</param>
    /// <param name="yPredicted">The predictions, one per target.</param>
    /// <returns>The mean squared error, ≥ 0.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument is empty or holds NaN or ±∞, or the lengths differ.</exception>
    public static double MeanSquaredError(Vector<double> yTrue, Vector<double> yPredicted)
    {
        Check(yTrue, yPredicted);
        double sum = 0.0;
        for (int i = 0; i < yTrue.Count; i++)
        {
            double e = yTrue[i] - yPredicted[i];
            sum += e * e;
        }

        return sum / yTrue.Count;
    }

    /// <summary>The mean absolute error Σ|y − ŷ| / n (scikit-learn's <c>mean_absolute_error</c>).</summary>
    /// <param name="yTrue">The true targets.</param>
    /// <param name="yPredicted">The predictions, one per target.</param>
    /// <returns>The mean absolute error, ≥ 0.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument is empty or holds NaN or ±∞, or the lengths differ.</exception>
    public static double MeanAbsoluteError(Vector<double> yTrue, Vector<double> yPredicted)
    {
        Check(yTrue, yPredicted);
        double sum = 0.0;
        for (int i = 0; i < yTrue.Count; i++)
        {
            sum += Math.Abs(yTrue[i] - yPredicted[i]);
        }

        return sum / yTrue.Count;
    }

    /// <summary>
    /// The explained variance 1 − Var(y − ŷ) / Var(y) (scikit-learn's <c>explained_variance_score</c>; it differs from R²
    /// by ignoring a constant offset of the predictions). For a constant <paramref name="yTrue"/> it is 1 when
    /// Var(y − ŷ) = 0 and 0 otherwise, as scikit-learn's default <c>force_finite=True</c>.
    /// </summary>
    /// <param name="yTrue">The true targets.</param>
    /// <param name="yPredicted">The predictions, one per target.</param>
    /// <returns>The explained variance ≤ 1.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument is empty or holds NaN or ±∞, or the lengths differ.</exception>
    public static double ExplainedVarianceScore(Vector<double> yTrue, Vector<double> yPredicted)
    {
        Check(yTrue, yPredicted);
        int n = yTrue.Count;
        double meanDifference = 0.0;
        for (int i = 0; i < n; i++)
        {
            meanDifference += yTrue[i] - yPredicted[i];
        }

        meanDifference /= n;
        double mean = Mean(yTrue);
        double numerator = 0.0, denominator = 0.0;
        for (int i = 0; i < n; i++)
        {
            double e = yTrue[i] - yPredicted[i] - meanDifference;
            double d = yTrue[i] - mean;
            numerator += e * e;
            denominator += d * d;
        }

        return Ratio(numerator / n, denominator / n);
    }

    /// <summary>−<see cref="MeanSquaredError"/>: the score scikit-learn maximises for <c>scoring="neg_mean_squared_error"</c>.</summary>
    /// <param name="yTrue">The true targets.</param>
    /// <param name="yPredicted">The predictions, one per target.</param>
    /// <returns>The negated mean squared error, ≤ 0.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument is empty or holds NaN or ±∞, or the lengths differ.</exception>
    public static double NegativeMeanSquaredError(Vector<double> yTrue, Vector<double> yPredicted) => -MeanSquaredError(yTrue, yPredicted);

    /// <summary>−<see cref="MeanAbsoluteError"/>: the score scikit-learn maximises for <c>scoring="neg_mean_absolute_error"</c>.</summary>
    /// <param name="yTrue">The true targets.</param>
    /// <param name="yPredicted">The predictions, one per target.</param>
    /// <returns>The negated mean absolute error, ≤ 0.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument is empty or holds NaN or ±∞, or the lengths differ.</exception>
    public static double NegativeMeanAbsoluteError(Vector<double> yTrue, Vector<double> yPredicted) => -MeanAbsoluteError(yTrue, yPredicted);

    /// <summary>1 − numerator/denominator, with scikit-learn's finite convention for a zero denominator.</summary>
    private static double Ratio(double numerator, double denominator) =>
        denominator == 0.0 ? (numerator == 0.0 ? 1.0 : 0.0) : 1.0 - (numerator / denominator);

    private static double Mean(Vector<double> y)
    {
        double sum = 0.0;
        for (int i = 0; i < y.Count; i++)
        {
            sum += y[i];
        }

        return sum / y.Count;
    }

    private static void Check(Vector<double> yTrue, Vector<double> yPredicted)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPredicted);
        Guard.Targets(yTrue, yTrue.Count);
        Guard.Targets(yPredicted, yTrue.Count);
    }
}
