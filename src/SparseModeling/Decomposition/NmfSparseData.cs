// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra.Storage;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// Sparse data of an NMF fit or transform: X (n×m) as MathNet's compressed rows, plus a compressed-column copy built on
/// first use (for the products that run over columns: Wᵀ·X and the H update), and one scratch value per stored entry of
/// each. The solvers reach X only through <see cref="NmfProblem"/>, which calls here when the data are sparse: the
/// Frobenius products X·Hᵀ and Wᵀ·X, and for β ≠ 2 the model W·H at the stored entries only (every term of the
/// multiplicative updates and of D_β that involves X vanishes where X is zero). Memory: 12 bytes per stored entry for the
/// column copy and 8 for each scratch array, on top of the caller's matrix; nothing of size n·m.
/// </summary>
internal sealed class NmfSparseData
{
    private readonly SparseCompressedRowMatrixStorage<double> _rows;
    private CompressedColumns? _columns;
    private double[]? _rowScratch;
    private double[]? _columnScratch;

    /// <summary>Wraps <paramref name="rows"/> (validated by the caller; read only).</summary>
    public NmfSparseData(SparseCompressedRowMatrixStorage<double> rows)
    {
        _rows = rows;
        N = rows.RowCount;
        M = rows.ColumnCount;
        Count = rows.RowPointers[N];
        SquaredNorm = Kernels.SquaredNorm(Values.AsSpan(0, Count));
    }

    /// <summary>n, the rows (samples).</summary>
    public int N { get; }

    /// <summary>m, the columns (features).</summary>
    public int M { get; }

    /// <summary>The number of stored entries.</summary>
    public int Count { get; }

    /// <summary>‖X‖²_F, the sum of the squared stored values.</summary>
    public double SquaredNorm { get; }

    /// <summary>The compressed-row storage.</summary>
    public SparseCompressedRowMatrixStorage<double> Rows => _rows;

    /// <summary>The stored values (the first <see cref="Count"/> are in use).</summary>
    public double[] Values => _rows.Values;

    /// <summary>The compressed-column copy (built once, on first use).</summary>
    public CompressedColumns Columns => _columns ??= CompressedColumns.FromRows(_rows);

    /// <summary>The mean of all n·m entries (the implicit zeros included).</summary>
    public double Mean => Kernels.Sum(Values.AsSpan(0, Count)) / ((double)N * M);

    /// <summary>The largest stored |x|.</summary>
    public double MaxAbs => SparseStorage.MaxAbs(_rows);

    /// <summary>These data with every value multiplied by 4^<paramref name="e"/> (a copy), or these data at e = 0.</summary>
    public NmfSparseData Scaled(int e) =>
        e == 0 ? this : new NmfSparseData((SparseCompressedRowMatrixStorage<double>)SparseStorage.Scaled(_rows, 2 * e).Storage);

    /// <summary>cross (K×n) ← H·Xᵀ for H (K×m): row i of X against the columns of H it stores.</summary>
    public void TimesFactor(int k, double[] h, double[] cross) =>
        SparseProducts.TimesFactor(N, _rows.RowPointers, _rows.ColumnIndices, Values, k, h, cross);

    /// <summary>cross (K×m) ← Wᵀ·X for Wᵀ (K×n), through the compressed columns.</summary>
    public void FactorTimes(int k, double[] wt, double[] cross)
    {
        var columns = Columns;
        SparseProducts.TimesFactor(M, columns.ColumnPointers, columns.RowIndices, columns.Values, k, wt, cross);
    }

    /// <summary>The model W·H at the stored entries, in compressed-row order (a scratch array owned by these data, valid until the next call).</summary>
    public double[] ModelAtRows(int k, double[] wt, double[] h)
    {
        var products = _rowScratch ??= new double[Math.Max(Count, 1)];
        SparseProducts.StoredProducts(N, _rows.RowPointers, _rows.ColumnIndices, k, wt, h, products);
        return products;
    }

    /// <summary>
    /// num (K×n) ← (X ∘ (W·H)^(β−2))·Hᵀ, the numerator of the multiplicative W update, with scikit-learn's floor of zeros
    /// of W·H (for β &lt; 2), computed at the stored entries only.
    /// </summary>
    public void RowNumerator(int k, double[] wt, double[] h, double beta, double[] num)
    {
        var terms = ModelAtRows(k, wt, h);
        Terms(Values, terms, Count, beta);
        SparseProducts.TimesFactor(N, _rows.RowPointers, _rows.ColumnIndices, terms, k, h, num);
    }

    /// <summary>num (K×m) ← Wᵀ·(X ∘ (W·H)^(β−2)), the numerator of the multiplicative H update, through the compressed columns.</summary>
    public void ColumnNumerator(int k, double[] wt, double[] h, double beta, double[] num)
    {
        var columns = Columns;
        var terms = _columnScratch ??= new double[Math.Max(columns.Count, 1)];
        SparseProducts.StoredProducts(M, columns.ColumnPointers, columns.RowIndices, k, h, wt, terms);
        Terms(columns.Values, terms, columns.Count, beta);
        SparseProducts.TimesFactor(M, columns.ColumnPointers, columns.RowIndices, terms, k, wt, num);
    }

    /// <summary>
    /// The X-dependent part of D_β over the stored entries above <see cref="NmfProblem.Epsilon"/>, as <see cref="NmfProblem.Divergence"/>
    /// sums it (β ≠ 2), from the model at the stored entries (<see cref="ModelAtRows"/>).
    /// </summary>
    public double StoredDivergence(double[] model, double beta)
    {
        var values = Values;
        double sum = 0.0;
        for (int e = 0; e < Count; e++)
        {
            double xi = values[e];
            if (!(xi > NmfProblem.Epsilon))
            {
                continue;
            }

            sum += NmfProblem.DivergenceTerm(xi, model[e], beta);
        }

        return sum;
    }

    /// <summary>Σ xₑ·pₑ over the stored entries (for the Frobenius divergence).</summary>
    public double Inner(double[] model) => Kernels.Dot(Values.AsSpan(0, Count), model.AsSpan(0, Count));

    /// <summary>terms ← x·(model floored)^(β−2) in place, as the dense updates compute X·(WH)^(β−2) (β ≠ 2).</summary>
    private static void Terms(double[] x, double[] terms, int count, double beta)
    {
        var xs = x.AsSpan(0, count);
        var ts = terms.AsSpan(0, count);
        if (beta == 1.0)
        {
            Kernels.DivideFloored(xs, ts, NmfProblem.Epsilon);
            return;
        }

        for (int e = 0; e < ts.Length; e++)
        {
            double wh = ts[e];
            double forNumerator = beta < 2.0 && wh == 0.0 ? NmfProblem.Epsilon : wh;
            if (beta == 0.0)
            {
                double inverse = 1.0 / forNumerator;
                ts[e] = inverse * inverse * xs[e];
            }
            else
            {
                ts[e] = Math.Pow(forNumerator, beta - 2.0) * xs[e];
            }
        }
    }
}
