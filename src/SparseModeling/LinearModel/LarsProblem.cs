// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.LinearModel;

/// <summary>
/// The data of a LARS fit prepared for <see cref="LarsSolver"/>: centred (for an intercept) as
/// scikit-learn's <c>_preprocess_data</c>, the correlations Xᵀy, and the source of Gram columns —
/// the whole Gram matrix when there are more samples than features and the path is expected to
/// visit a good share of them (scikit-learn precomputes it whenever there are more samples), X
/// itself otherwise. In the second case X is neither copied nor centred: the centring is applied
/// implicitly, and the column means and Xᵀy come from one pass over X.
/// </summary>
internal sealed class LarsProblem
{
    private LarsProblem(CenteredData data, double[] xy, LarsGram gram)
    {
        Data = data;
        Xy = xy;
        Gram = gram;
        YNormSquared = Kernels.SquaredNorm(data.Y);
    }

    /// <summary>The prepared data (<see cref="CenteredData"/>): a centred copy of X and y, or the caller's X (never written) centred implicitly.</summary>
    public CenteredData Data { get; }

    /// <summary>X (n×p column-major): a centred copy, or the caller's storage (never written).</summary>
    public double[] X => Data.X;

    /// <summary>y, centred when an intercept is fitted (read only: it may be the caller's storage).</summary>
    public double[] Y => Data.Y;

    /// <summary>n.</summary>
    public int Rows => Data.Rows;

    /// <summary>p.</summary>
    public int Features => Data.Columns;

    /// <summary>Xᵀy on the prepared data.</summary>
    public double[] Xy { get; }

    /// <summary>‖y‖² on the prepared data.</summary>
    public double YNormSquared { get; }

    /// <summary>Where the solver reads Gram columns.</summary>
    public LarsGram Gram { get; }

    /// <summary>
    /// Whether to precompute the Gram matrix up front: more samples than features (as scikit-learn)
    /// and at least a quarter of the features expected to join. Otherwise the columns the path needs
    /// are computed from X, and the solver still forms the whole matrix if the path turns out long
    /// (<see cref="LarsGram.PrecomputeAfter"/>).
    /// </summary>
    public static bool ShouldPrecompute(int rows, int features, int expectedSteps) =>
        rows > features && 4L * Math.Min(expectedSteps, features) >= features;

    /// <summary>Validates nothing (the callers do); prepares the data without modifying <paramref name="x"/> or <paramref name="y"/>.</summary>
    public static LarsProblem Create(Matrix<double> x, Vector<double> y, bool fitIntercept, bool precompute)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var xy = new double[p];
        if (precompute)
        {
            // A centred copy (as scikit-learn), its Gram matrix and Xᵀy.
            var data = CenteredData.Prepare(x, y, fitIntercept);
            Gemv.MultiplyTransposed(n, p, 1.0, data.X, n, data.Y, 0.0, xy);
            var g = GC.AllocateUninitializedArray<double>(p * p); // every entry written by Gram.Compute
            LinearAlgebra.Gram.Compute(n, p, data.X, n, g);
            return new LarsProblem(data, xy, new PrecomputedLarsGram(g, p));
        }

        var prepared = CenteredData.PrepareImplicit(x, y, fitIntercept, xy);
        return new LarsProblem(prepared, xy, new DataLarsGram(prepared.X, n, p, prepared.XMean));
    }

    /// <summary>The intercept b = ȳ − x̄ᵀw (0 without intercept).</summary>
    public double Intercept(ReadOnlySpan<double> w) => Data.Intercept(w);

    /// <summary>Runs the solver on this problem.</summary>
    public LarsSolver.Output Solve(LarsMethod method, double alphaMin, int maxIterations, bool positive, Action<LarsIterationInfo>? onIteration, CancellationToken cancellationToken) =>
        LarsSolver.Solve(
            Gram,
            Xy,
            YNormSquared,
            new LarsSolver.Settings(method, alphaMin, maxIterations, positive, Rows, onIteration, cancellationToken));

    /// <summary>
    /// ‖y − Xw‖² on the prepared data for every column w of <paramref name="path"/> (p × knots,
    /// column-major), with one GEMM.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double[] ResidualSumsOfSquares(double[] path, int knots)
    {
        int n = Rows, p = Features;
        var fitted = GC.AllocateUninitializedArray<double>(n * knots); // every entry written by the GEMM (β = 0)
        Gemm.Multiply(false, false, n, knots, p, 1.0, X, n, path, p, 0.0, fitted, n);
        var rss = new double[knots];
        var residual = new double[n];
        for (int k = 0; k < knots; k++)
        {
            // Implicit centring: (X − 1x̄ᵀ)w = Xw − (x̄ᵀw)·1.
            double shift = Data.Shift(path.AsSpan(k * p, p));
            var column = fitted.AsSpan(k * n, n);
            for (int i = 0; i < n; i++)
            {
                residual[i] = Y[i] - (column[i] - shift);
            }

            rss[k] = Kernels.SquaredNorm(residual);
        }

        return rss;
    }
}
