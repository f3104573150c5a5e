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
    private LarsProblem(CenteredData data, double[] xy, LarsGram gram, LinearScale scale)
    {
        Data = data;
        Xy = xy;
        Gram = gram;
        Scale = scale;
        YNormSquared = Kernels.SquaredNorm(data.Y);
    }

    /// <summary>
    /// How the data were rescaled (<see cref="LinearScale"/>; the identity at ordinary scales): everything here and
    /// in the solver's output is in the rescaled units, but for <see cref="Intercept"/> and <see cref="ToCallerUnits"/>.
    /// </summary>
    public LinearScale Scale { get; }

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
        // Data far from unit scale is solved rescaled by powers of two (see LinearScale); nothing changes otherwise.
        var scale = LinearScale.Of(x, y);
        x = scale.Apply(x);
        y = scale.Apply(y);
        int n = x.RowCount, p = x.ColumnCount;
        var xy = new double[p];
        if (precompute)
        {
            // A centred copy (as scikit-learn), its Gram matrix and Xᵀy.
            var data = CenteredData.Prepare(x, y, fitIntercept);
            Gemv.MultiplyTransposed(n, p, 1.0, data.X, n, data.Y, 0.0, xy);
            var g = GC.AllocateUninitializedArray<double>(p * p); // every entry written by Gram.Compute
            LinearAlgebra.Gram.Compute(n, p, data.X, n, g);
            return new LarsProblem(data, xy, new PrecomputedLarsGram(g, p), scale);
        }

        var prepared = CenteredData.PrepareImplicit(x, y, fitIntercept, xy);
        return new LarsProblem(prepared, xy, new DataLarsGram(prepared.X, n, p, prepared.XMean), scale);
    }

    /// <summary>The intercept b = ȳ − x̄ᵀw (0 without intercept) of coefficients w in the caller's units, in the caller's units.</summary>
    public double Intercept(ReadOnlySpan<double> w) =>
        Scale.IsIdentity ? Data.Intercept(w) : Scale.UnscaleIntercept(Data.Intercept(Scale.ScaleCoefficients(w)));

    /// <summary>
    /// Runs the solver on this problem: <paramref name="alphaMin"/> and the reports to <paramref name="onIteration"/> are in
    /// the caller's units, the output in the problem's (see <see cref="ToCallerUnits"/>).
    /// </summary>
    public LarsSolver.Output Solve(LarsMethod method, double alphaMin, int maxIterations, bool positive, Action<LarsIterationInfo>? onIteration, CancellationToken cancellationToken)
    {
        var scale = Scale;
        var report = scale.IsIdentity || onIteration is null
            ? onIteration
            : info => onIteration(info with { Objective = scale.ReportSquared(info.Objective), Alpha = scale.UnscalePenalty(info.Alpha) });
        return LarsSolver.Solve(
            Gram,
            Xy,
            YNormSquared,
            new LarsSolver.Settings(method, scale.Penalty(alphaMin), maxIterations, positive, Rows, report, cancellationToken));
    }

    /// <summary>
    /// The solver's output in the caller's units (α = α′/(s·t), w = (s/t)·w′): <paramref name="output"/> itself when nothing was
    /// rescaled, else a converted copy; <see cref="ArithmeticException"/> when the coefficients leave the double range.
    /// </summary>
    public LarsSolver.Output ToCallerUnits(LarsSolver.Output output)
    {
        if (Scale.IsIdentity)
        {
            return output;
        }

        var alphas = (double[])output.Alphas.Clone();
        Rescaling.CheckedInPlace(alphas, -(Scale.X + Scale.Y), "α path");
        var path = (double[])output.Path.Clone();
        Scale.UnscaleCoefficients(path);
        return output with { Alphas = alphas, Path = path };
    }

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
