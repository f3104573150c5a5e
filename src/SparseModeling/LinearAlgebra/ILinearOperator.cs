// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.LinearAlgebra;

/// <summary>
/// A linear map A: ℝⁿ → ℝᵐ known only through its action, for matrix-free solvers (ISTA/FISTA on
/// compressed-sensing problems, power iterations): an implementation supplies y = A·x and x = Aᵀ·y,
/// for example through a fast transform, without ever forming A.
/// </summary>
/// <remarks>
/// Implementations must write every entry of the output span (its old contents are undefined) and
/// must not keep references to the spans after returning. An instance that is shared between
/// estimators or threads must be safe for concurrent calls to <see cref="Apply"/> and
/// <see cref="ApplyTranspose"/>; the library itself calls one operator from one thread at a time.
/// </remarks>
public interface ILinearOperator
{
    /// <summary>The number of rows m of A (the length of A·x).</summary>
    int RowCount { get; }

    /// <summary>The number of columns n of A (the length of x).</summary>
    int ColumnCount { get; }

    /// <summary>Computes y = A·x.</summary>
    /// <param name="x">The input, <see cref="ColumnCount"/> entries.</param>
    /// <param name="y">The output, <see cref="RowCount"/> entries; overwritten.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    void Apply(ReadOnlySpan<double> x, Span<double> y);

    /// <summary>Computes x = Aᵀ·y.</summary>
    /// <param name="y">The input, <see cref="RowCount"/> entries.</param>
    /// <param name="x">The output, <see cref="ColumnCount"/> entries; overwritten.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x);
}
