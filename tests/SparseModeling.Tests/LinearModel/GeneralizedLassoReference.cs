// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Tests.LinearModel;

/// <summary>
/// An exact, independent solver of small generalized Lasso problems (1/(2n))·‖y − Xw − b‖² + α·‖Dw‖₁ for tests, by
/// enumeration of the sign patterns of Dw. With H = X̃ᵀX̃/n positive definite and q = X̃ᵀỹ/n, fix for every row of D a
/// sign sᵢ ∈ {−1, 0, +1}: on the subspace where the rows with sᵢ = 0 vanish the objective is the quadratic
/// ½wᵀHw − (q − αD_Sᵀs)ᵀw, whose minimiser is one linear solve. The optimum's own pattern gives the optimum exactly, and
/// every pattern's minimiser, evaluated with the true ‖Dw‖₁, is no better: so the best of the 3^m candidates is the
/// optimum, to rounding. Nothing is shared with the library (MathNet's SVD and dense solves, plain loops); m ≤ 10.
/// </summary>
internal static class GeneralizedLassoReference
{
    /// <summary>The optimum (w, b) and its objective.</summary>
    public static (Vector<double> W, double B, double Objective) Solve(Matrix<double> x, Vector<double> y, Matrix<double> d, double alpha, bool fitIntercept)
    {
        int n = x.RowCount, p = x.ColumnCount, m = d.RowCount;
        if (m > 10)
        {
            throw new ArgumentException("The enumeration is for at most 10 rows of D.", nameof(d));
        }

        var xMean = fitIntercept ? x.ColumnSums() / n : Vector<double>.Build.Dense(p);
        double yMean = fitIntercept ? y.Average() : 0.0;
        var xc = x - Matrix<double>.Build.Dense(n, p, (_, j) => xMean[j]);
        var yc = y - yMean;
        var h = xc.TransposeThisAndMultiply(xc) / n;
        var q = xc.TransposeThisAndMultiply(yc) / n;
        double constant = yc.DotProduct(yc) / (2.0 * n);

        var bases = new Dictionary<int, Matrix<double>>();
        Vector<double>? best = null;
        double bestObjective = double.PositiveInfinity;
        int patterns = (int)Math.Pow(3, m);
        var signs = new int[m];
        for (int pattern = 0; pattern < patterns; pattern++)
        {
            int code = pattern;
            for (int i = 0; i < m; i++)
            {
                signs[i] = (code % 3) - 1;
                code /= 3;
            }

            // The subspace {w : D_Z w = 0} as the columns of N, once per set Z of zero rows.
            var zeroRows = Enumerable.Range(0, m).Where(i => signs[i] == 0).ToArray();
            int mask = zeroRows.Sum(i => 1 << i);
            if (!bases.TryGetValue(mask, out var basis))
            {
                bases[mask] = basis = NullSpace(d, zeroRows, p);
            }

            var linear = q.Clone();
            for (int i = 0; i < m; i++)
            {
                if (signs[i] != 0)
                {
                    linear -= alpha * signs[i] * d.Row(i);
                }
            }

            Vector<double> w;
            if (basis.ColumnCount == 0)
            {
                w = Vector<double>.Build.Dense(p);
            }
            else
            {
                var reduced = basis.TransposeThisAndMultiply(h * basis);
                w = basis * reduced.Solve(basis.TransposeThisAndMultiply(linear));
            }

            double objective = (0.5 * w.DotProduct(h * w)) - q.DotProduct(w) + constant + (alpha * (d * w).L1Norm());
            if (objective < bestObjective)
            {
                bestObjective = objective;
                best = w;
            }
        }

        return (best!, yMean - xMean.DotProduct(best!), bestObjective);
    }

    /// <summary>An orthonormal basis (columns) of {w : D_Z w = 0} for the rows Z of D: right singular vectors of D_Z beyond its rank.</summary>
    private static Matrix<double> NullSpace(Matrix<double> d, int[] zeroRows, int p)
    {
        if (zeroRows.Length == 0)
        {
            return Matrix<double>.Build.DenseIdentity(p);
        }

        var dz = Matrix<double>.Build.Dense(zeroRows.Length, p, (r, j) => d[zeroRows[r], j]);
        var svd = dz.Svd(true);
        double largest = svd.S.Count > 0 ? svd.S[0] : 0.0;
        int rank = svd.S.Count(s => s > 1e-12 * Math.Max(largest, 1.0));
        return rank == p ? Matrix<double>.Build.Dense(p, 0) : svd.VT.SubMatrix(rank, p - rank, 0, p).Transpose();
    }

    /// <summary>(1/(2n))·‖y − Xw − b‖² + α·‖Dw‖₁.</summary>
    public static double Objective(Matrix<double> x, Vector<double> y, Matrix<double> d, double alpha, Vector<double> w, double b)
    {
        var r = y - (x * w) - b;
        return (r.DotProduct(r) / (2.0 * y.Count)) + (alpha * (d * w).L1Norm());
    }
}
