// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Decomposition;

/// <summary>How <see cref="SparseEncoder"/> finds the sparse code of a signal over a dictionary (scikit-learn's <c>algorithm</c> of <c>sparse_encode</c>).</summary>
public enum SparseCodingAlgorithm
{
    /// <summary>Orthogonal matching pursuit (batch OMP on the dictionary's Gram matrix): a given number of atoms, or a residual tolerance. scikit-learn's <c>'omp'</c>.</summary>
    Omp,

    /// <summary>Least-angle regression stopped after a given number of atoms. scikit-learn's <c>'lars'</c>.</summary>
    Lars,

    /// <summary>The Lasso solution at a given α, by the LARS path. scikit-learn's <c>'lasso_lars'</c>.</summary>
    LassoLars,

    /// <summary>The Lasso solution at a given α, by coordinate descent on the Gram matrix. scikit-learn's <c>'lasso_cd'</c>.</summary>
    LassoCd,

    /// <summary>Soft thresholding of the correlations D·x at α: one product, no solve (exact only for an orthonormal dictionary). scikit-learn's <c>'threshold'</c>.</summary>
    Threshold,
}
