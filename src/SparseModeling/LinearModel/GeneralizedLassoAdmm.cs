// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using SparseModeling.LinearAlgebra;
using SparseModeling.Optimization;

namespace SparseModeling.LinearModel;

/// <summary>
/// The generalized Lasso with a user penalty matrix D (<see cref="TransformMatrix"/>), fitted by ADMM: minimises
/// (1/(2n))·‖y − Xw − b‖² + α·‖Dw‖₁ (Tibshirani and Taylor, "The solution path of the generalized lasso", Ann.
/// Statist. 2011). D = I is the Lasso, D the first differences the fused Lasso, D a graph's incidence matrix the
/// graph-fused Lasso. See <see cref="GeneralizedLassoBase"/> for the algorithm, the stopping rule and how it differs
/// from spm-image.
/// </summary>
/// <remarks>
/// D may be dense or sparse (a MathNet <c>SparseMatrix</c>, compressed rows: its products touch the stored entries
/// only, and when X is diagonal and D's rows are narrow — the largest column distance within a row well below p — the
/// linear system is banded and solved in O(p)).
/// <code>
/// var d = Matrix&lt;double&gt;.Build.Sparse(p - 1, p);          // first differences: the fused Lasso
/// for (int i = 0; i &lt; p - 1; i++) { d[i, i] = -1; d[i, i + 1] = 1; }
/// var model = new GeneralizedLassoAdmm { TransformMatrix = d, Alpha = 0.1 }.Fit(x, y);
/// </code>
/// </remarks>
public sealed class GeneralizedLassoAdmm : GeneralizedLassoBase
{
    /// <summary>Creates the estimator with spm-image's defaults (α = 1, ρ = 1, 1000 iterations, tolerance 1e-4); set <see cref="TransformMatrix"/> before fitting.</summary>
    public GeneralizedLassoAdmm()
    {
    }

    /// <summary>
    /// The penalty matrix D, m×p with one column per feature (default null: it must be set before <c>Fit</c>). Dense or
    /// sparse; read at each fit and not modified. It is a model input that <see cref="ModelSerializer"/> does not save
    /// (as start matrices): a loaded model predicts as the saved one, and needs D set again before it is refitted.
    /// </summary>
    public Matrix<double>? TransformMatrix { get; set; }

    /// <summary>Fits the generalized Lasso to <paramref name="x"/> and the single target <paramref name="y"/>.</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, one per row of <paramref name="x"/>; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The inputs are empty, disagree in shape, or hold NaN or ±∞; or <see cref="TransformMatrix"/> does not have one column per feature or holds NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or <see cref="GeneralizedLassoBase.Rho"/> is too small for the data to factor the system, or more than 2^64 away from the scale of XᵀX/n.</exception>
    /// <exception cref="InvalidOperationException"><see cref="TransformMatrix"/> is not set.</exception>
    /// <exception cref="ArithmeticException">A result cannot be represented in double precision, or the solver produced a non-finite value.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public GeneralizedLassoAdmm Fit(Matrix<double> x, Vector<double> y, CancellationToken cancellationToken = default)
    {
        FitSingle(x, y, cancellationToken);
        return this;
    }

    /// <summary>Fits one generalized Lasso per column of <paramref name="y"/>, sharing the factorisation (see <see cref="MultiTargetLinearRegressor.CoefficientMatrix"/>).</summary>
    /// <param name="x">Training samples, one per row; not modified.</param>
    /// <param name="y">Targets, samples × targets; not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Fit(Matrix{double}, Vector{double}, CancellationToken)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Fit(Matrix{double}, Vector{double}, CancellationToken)"/>.</exception>
    /// <exception cref="InvalidOperationException"><see cref="TransformMatrix"/> is not set.</exception>
    /// <exception cref="ArithmeticException">As <see cref="Fit(Matrix{double}, Vector{double}, CancellationToken)"/>.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public GeneralizedLassoAdmm Fit(Matrix<double> x, Matrix<double> y, CancellationToken cancellationToken = default)
    {
        FitMany(x, y, cancellationToken);
        return this;
    }

    private protected override ConstraintOperator CreateConstraint(Matrix<double> x)
    {
        int p = x.ColumnCount;
        var d = TransformMatrix ?? throw new InvalidOperationException($"{nameof(TransformMatrix)} is not set: give {nameof(GeneralizedLassoAdmm)} its penalty matrix D (m×{p}, one column per feature) before calling Fit.");
        if (d.ColumnCount != p)
        {
            throw new ArgumentException($"{nameof(TransformMatrix)} has {d.ColumnCount} columns but {nameof(x)} has {p} features; D needs one column per feature.", nameof(x));
        }

        if (d.Storage is SparseCompressedRowMatrixStorage<double> sparse)
        {
            // The stored entries only; at a non-finite one the general check names its row and column.
            if (Kernels.IndexOfNonFinite(sparse.Values.AsSpan(0, sparse.RowPointers[d.RowCount])) >= 0)
            {
                Guard.Finite(d, nameof(TransformMatrix));
            }

            return ConstraintOperator.SparseRows(d.RowCount, p, sparse.RowPointers, sparse.ColumnIndices, sparse.Values);
        }

        Guard.Finite(d, nameof(TransformMatrix));
        return ConstraintOperator.Dense(MatrixStorage.ColumnMajor(d), d.RowCount, p);
    }
}
