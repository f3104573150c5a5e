// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling;

/// <summary>Scores shared by the estimators.</summary>
internal static class Metrics
{
    /// <summary>
    /// R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², as scikit-learn's <c>r2_score</c>: for a constant y it is 1
    /// when the prediction is perfect and 0 otherwise.
    /// </summary>
    public static double R2(Vector<double> y, Vector<double> prediction)
    {
        double mean = 0.0;
        for (int i = 0; i < y.Count; i++)
        {
            mean += y[i];
        }

        mean /= y.Count;
        double residual = 0.0, total = 0.0;
        for (int i = 0; i < y.Count; i++)
        {
            double e = y[i] - prediction[i];
            double d = y[i] - mean;
            residual += e * e;
            total += d * d;
        }

        if (total == 0.0)
        {
            return residual == 0.0 ? 1.0 : 0.0;
        }

        return 1.0 - (residual / total);
    }
}
