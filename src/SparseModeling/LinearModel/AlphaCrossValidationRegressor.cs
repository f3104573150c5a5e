// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The results shared by the regressors that choose the Lasso's α by k-fold cross-validation of one path per fold and
/// refit at it — <see cref="LassoCV"/> over coordinate-descent paths, <see cref="LassoLarsCV"/> over LARS paths: the α values
/// tried, the held-out errors at each, and the chosen α. The refitted model is the <see cref="LinearRegressor"/>'s.
/// </summary>
public abstract class AlphaCrossValidationRegressor : LinearRegressor
{
    private protected AlphaCrossValidationRegressor()
    {
    }

    /// <summary>The α values that were cross-validated, in decreasing order (scikit-learn's <c>alphas_</c>; <c>LassoLarsCV</c>'s <c>cv_alphas_</c>, reversed).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Vector<double> Alphas => Vector<double>.Build.DenseOfArray(CrossValidationState(nameof(Alphas)).AlphaValues);

    /// <summary>
    /// The mean squared error on the held-out fold, alphas × folds: entry (k, f) is the error at <c>Alphas[k]</c> on fold f
    /// (scikit-learn's <c>mse_path_</c>; <c>LassoLarsCV</c>'s with its rows reversed, as its α increase).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> MsePath
    {
        get
        {
            var state = CrossValidationState(nameof(MsePath));
            return Matrix<double>.Build.Dense(state.AlphaValues.Length, state.FoldCount, (double[])state.MsePathValues.Clone());
        }
    }

    /// <summary>The mean over the folds of <see cref="MsePath"/>, one entry per α of <see cref="Alphas"/>.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Vector<double> MseMeans => Vector<double>.Build.DenseOfArray(CrossValidationState(nameof(MseMeans)).MseMeanValues);

    /// <summary>The α of least mean cross-validated error, with which the final model was refitted (scikit-learn's <c>alpha_</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double BestAlpha => CrossValidationState(nameof(BestAlpha)).BestAlpha;

    private protected override EstimatorState ReadState(ModelReader reader) => LassoCVState.Read(reader);

    /// <summary>The fitted state, or the not-fitted exception naming <paramref name="member"/>.</summary>
    private protected LassoCVState CrossValidationState(string member) => Fitted<LassoCVState>(member);
}
