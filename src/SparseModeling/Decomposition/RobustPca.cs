// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;
using SparseModeling.LinearModel;

namespace SparseModeling.Decomposition;

/// <summary>
/// Robust principal component analysis by principal component pursuit (Candès, Li, Ma and Wright, "Robust principal
/// component analysis?", J. ACM 58(3), 2011): splits the data X into a low-rank part L and a sparse part S,
/// min ‖L‖_* + λ‖S‖₁ subject to L + S = X, solved by the inexact augmented Lagrangian method of Lin, Chen and Ma ("The
/// augmented Lagrange multiplier method for exact recovery of corrupted low-rank matrices", 2010). With camera frames
/// as the rows of X, L is the background (static scene, slow illumination changes) and S what moves in front of it.
/// </summary>
/// <remarks>
/// <para>
/// <b>Layout.</b> Samples in rows, as everywhere in this library: a video is X = frames × pixels (each frame flattened,
/// row by row), so that <see cref="LowRank"/> holds the background of every frame and <see cref="Sparse"/> the foreground,
/// in the same layout. The problem is symmetric under transposition (λ's default too), so the papers' layout — frames as
/// columns — gives the transposed decomposition; the solver works on the longer side internally either way.
/// </para>
/// <para>
/// <b>Algorithm.</b> From Y₀ = X / max(‖X‖₂, ‖X‖_∞/λ), μ₀ = <see cref="InitialMuScale"/>/‖X‖₂ and L₀ = S₀ = 0, each iteration
/// takes S ← soft-threshold(X − L + Y/μ, λ/μ), L ← singular-value-threshold(X − S + Y/μ, 1/μ), Y ← Y + μ(X − L − S),
/// μ ← min(<see cref="MuGrowth"/>·μ, <see cref="MaxMuRatio"/>·μ₀), and stops when ‖X − L − S‖_F / ‖X‖_F ≤ <see cref="Tolerance"/>.
/// The singular value threshold computes only the singular values above 1/μ — a partial SVD of the leading k triplets
/// (subspace iteration on the smaller Gram matrix and a Jacobi SVD of the projection) with the paper's rank prediction —
/// never a full SVD, so a 200-frame video of 10,000 pixels decomposes in about a second.
/// </para>
/// <para>
/// <b>The fit is the decomposition of the training matrix</b> (as scikit-learn's <c>fit</c> of a transductive method):
/// there is no <c>Transform</c> for new frames, because principal component pursuit defines L and S only for the matrix
/// it is given. To separate frames as they arrive, with bounded memory, use <see cref="OnlineRobustPca"/>.
/// Data far from unit scale are brought to it by a power of two first (the problem is homogeneous: L and S scale with X).
/// </para>
/// <code>
/// var rpca = new RobustPca().Fit(frames);                 // frames: one flattened frame per row
/// Matrix&lt;double&gt; background = rpca.LowRank, foreground = rpca.Sparse;
/// </code>
/// </remarks>
public sealed class RobustPca : IterativeEstimator
{
    /// <summary>Creates the estimator with Lin, Chen and Ma's settings (λ = 1/√max(m, n), tolerance 10⁻⁷, μ₀ = 1.25/‖X‖₂, ρ = 1.5, μ̄ = 10⁷μ₀, 1000 iterations).</summary>
    public RobustPca()
    {
    }

    /// <summary>λ &gt; 0, the weight of ‖S‖₁ against ‖L‖_*; null (default) takes 1/√max(m, n) for m×n data, the value for which Candès et al. prove exact recovery. Larger λ, fewer entries in S.</summary>
    public double? Lambda { get; set; }

    /// <summary>The most iterations (≥ 1, default 1000, as Lin, Chen and Ma's code).</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>Stop when ‖X − L − S‖_F / ‖X‖_F ≤ Tolerance (≥ 0, default 10⁻⁷, as Lin, Chen and Ma); 0 runs <see cref="MaxIterations"/> iterations.</summary>
    public double Tolerance { get; set; } = 1e-7;

    /// <summary>c in the first penalty μ₀ = c/‖X‖₂ (‖X‖₂ the largest singular value; &gt; 0, default 1.25, as Lin, Chen and Ma): scale-free, so that the fit does not depend on the units of the data.</summary>
    public double InitialMuScale { get; set; } = 1.25;

    /// <summary>ρ ≥ 1, the growth of the penalty per iteration, μ ← ρμ (default 1.5, as Lin, Chen and Ma's code); larger ρ, fewer iterations but a less accurate low-rank part per iteration.</summary>
    public double MuGrowth { get; set; } = 1.5;

    /// <summary>μ̄/μ₀ ≥ 1, the bound on the penalty's growth (default 10⁷, as Lin, Chen and Ma's code).</summary>
    public double MaxMuRatio { get; set; } = 1e7;

    /// <summary>Called after every iteration with the objective, the relative residual, the rank and μ.</summary>
    public Action<RobustPcaIterationInfo>? OnIteration { get; set; }

    /// <summary>The low-rank part L of the training data (samples × features, a new matrix at each read): the background of each frame.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> LowRank
    {
        get
        {
            var state = Fitted<RobustPcaState>(nameof(LowRank));
            var l = GC.AllocateUninitializedArray<double>(state.RowCount * state.ColumnCount); // written in full (zeros at rank 0)
            using var scope = BeginWork();
            RobustPcaSolver.LowRank(state.U, state.SingularValues, state.V, state.RowCount, state.ColumnCount, state.Rank, l);
            return MatrixStorage.FromColumnMajor(state.RowCount, state.ColumnCount, l);
        }
    }

    /// <summary>The sparse part S of the training data (samples × features, a copy): what the low-rank part does not explain — moving objects, corruptions.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> Sparse
    {
        get
        {
            var state = Fitted<RobustPcaState>(nameof(Sparse));
            return MatrixStorage.FromColumnMajor(state.RowCount, state.ColumnCount, (double[])state.Sparse.Clone());
        }
    }

    /// <summary>The rank of <see cref="LowRank"/> (0 when the whole of the data went to the sparse part).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public int Rank => Fitted<RobustPcaState>(nameof(Rank)).Rank;

    /// <summary>The <see cref="Rank"/> non-zero singular values of <see cref="LowRank"/>, descending (a copy).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Vector<double> SingularValues => Vector<double>.Build.Dense((double[])Fitted<RobustPcaState>(nameof(SingularValues)).SingularValues.Clone());

    /// <summary>
    /// The right singular vectors of <see cref="LowRank"/>: <see cref="Rank"/> × features, orthonormal rows (a copy), in the
    /// order of <see cref="SingularValues"/> — for a video, an orthonormal basis of the background images.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Matrix<double> Components
    {
        get
        {
            var state = Fitted<RobustPcaState>(nameof(Components));
            return MatrixStorage.FromColumnMajor(state.ColumnCount, state.Rank, (double[])state.V.Clone()).Transpose();
        }
    }

    /// <summary>‖X − L − S‖_F / ‖X‖_F at the end of the fit (0 for all-zero data).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double RelativeResidual => Fitted<RobustPcaState>(nameof(RelativeResidual)).RelativeResidual;

    /// <summary>Decomposes <paramref name="x"/> into its low-rank and sparse parts, discarding any previous fit.</summary>
    /// <param name="x">The data, samples × features (frames × pixels); not modified.</param>
    /// <param name="cancellationToken">Cancels the fit between iterations and inside the products; the model then keeps its previous state.</param>
    /// <returns>This estimator, fitted.</returns>
    /// <remarks>
    /// All-zero data give L = S = 0 after no iteration. <see cref="IterativeEstimator.Iterations"/> counts the iterations;
    /// <see cref="IterativeEstimator.Converged"/> says whether the tolerance was met (otherwise the last iterate is kept).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or holds NaN or ±∞ (named by row and column).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (λ ≤ 0, a negative tolerance, ...).</exception>
    /// <exception cref="ArithmeticException">The iterates left the double range.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public RobustPca Fit(Matrix<double> x, CancellationToken cancellationToken = default)
    {
        using var scope = BeginFit(cancellationToken);
        ValidateParameters();
        Guard.Samples(x);
        int rows = x.RowCount, cols = x.ColumnCount;
        double lambda = Lambda ?? 1.0 / Math.Sqrt(Math.Max(rows, cols));

        // The problem is homogeneous (L and S of c·X are c·L and c·S; λ and the scale-free μ₀ do not change), so data far
        // from unit scale are brought to it by a power of two (docs/ARCHITECTURE.md, "Extreme scales") and the parts and
        // the reported objective and μ scaled back.
        int e = Rescaling.Exponent(Rescaling.MaxAbs(x), -LinearScale.Band, LinearScale.Band);
        var onIteration = e == 0 || OnIteration is not { } report
            ? OnIteration
            : info => report(info with { Objective = Rescaling.Saturating(info.Objective, -e), Mu = Rescaling.Saturating(info.Mu, e) });
        var settings = new RobustPcaSolver.Settings(lambda, MaxIterations, Tolerance, InitialMuScale, MuGrowth, MaxMuRatio, onIteration, cancellationToken);
        var result = RobustPcaSolver.Run(MatrixStorage.ColumnMajor(Rescaling.Scaled(x, e)), rows, cols, settings);
        var singular = result.SingularValues;
        Rescaling.CheckedInPlace(singular, -e, "low-rank part");
        Rescaling.CheckedInPlace(result.Sparse, -e, "sparse part");
        Commit(new RobustPcaState(rows, cols, result.Rank, result.U, singular, result.V, result.Sparse, result.RelativeResidual, result.Iterations, result.Converged));
        return this;
    }

    private protected override EstimatorState ReadState(ModelReader reader) => RobustPcaState.Read(reader);

    private protected override void ValidateParameters()
    {
        if (Lambda is { } lambda)
        {
            Guard.GreaterThan(lambda, 0.0, nameof(Lambda));
        }

        Guard.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.AtLeast(Tolerance, 0.0, nameof(Tolerance));
        Guard.GreaterThan(InitialMuScale, 0.0, nameof(InitialMuScale));
        Guard.AtLeast(MuGrowth, 1.0, nameof(MuGrowth));
        Guard.AtLeast(MaxMuRatio, 1.0, nameof(MaxMuRatio));
    }
}

/// <summary>The fitted state of a <see cref="RobustPca"/>: L as its thin SVD U·diag(σ)·Vᵀ, S in full, and the fit's summary.</summary>
/// <param name="RowCount">The samples m.</param>
/// <param name="ColumnCount">The features n.</param>
/// <param name="Rank">The rank r of L.</param>
/// <param name="U">m × r, column-major, orthonormal columns.</param>
/// <param name="SingularValues">r values &gt; 0, non-increasing.</param>
/// <param name="V">n × r, column-major, orthonormal columns.</param>
/// <param name="Sparse">S, m × n, column-major.</param>
/// <param name="RelativeResidual">‖X − L − S‖_F / ‖X‖_F at the end.</param>
/// <param name="Iterations">The iterations run.</param>
/// <param name="Converged">Whether the tolerance was met.</param>
internal sealed record RobustPcaState(
    int RowCount,
    int ColumnCount,
    int Rank,
    double[] U,
    double[] SingularValues,
    double[] V,
    double[] Sparse,
    double RelativeResidual,
    int Iterations,
    bool Converged)
    : IterativeState(Iterations, Converged)
{
    /// <summary>How far from orthonormal saved singular vectors may be (UᵀU and VᵀV against I, entry by entry).</summary>
    private const double OrthonormalityTolerance = 1e-8;

    /// <summary>
    /// Reads and checks a saved state: counts ≥ 1, a rank within min(m, n), arrays of the stated shapes with finite entries,
    /// positive non-increasing singular values, orthonormal singular vectors, a finite non-negative residual.
    /// </summary>
    internal static RobustPcaState Read(ModelReader reader)
    {
        int m = reader.Int(nameof(RowCount), 1);
        int n = reader.Int(nameof(ColumnCount), 1);
        int r = reader.Int(nameof(Rank), 0, Math.Min(m, n));
        var u = reader.Doubles(nameof(U), SavedValue.Finite);
        reader.Length(nameof(U), u.Length, (long)m * r, $"{nameof(RowCount)} × {nameof(Rank)} = {m} × {r}");
        var sigma = reader.Doubles(nameof(SingularValues), SavedValue.FiniteNonNegative);
        reader.Length(nameof(SingularValues), sigma.Length, r, $"{nameof(Rank)} = {r}");
        for (int j = 0; j < r; j++)
        {
            if (!(sigma[j] > 0.0) || (j > 0 && sigma[j] > sigma[j - 1]))
            {
                throw ModelReader.InvalidAt($"{reader.PathOf(nameof(SingularValues))}[{j}]", $"must be positive and at most the value before it (was {ModelReader.Format(sigma[j])})");
            }
        }

        var v = reader.Doubles(nameof(V), SavedValue.Finite);
        reader.Length(nameof(V), v.Length, (long)n * r, $"{nameof(ColumnCount)} × {nameof(Rank)} = {n} × {r}");
        CheckOrthonormal(reader, nameof(U), u, m, r);
        CheckOrthonormal(reader, nameof(V), v, n, r);
        var sparse = reader.Doubles(nameof(Sparse), SavedValue.Finite);
        reader.Length(nameof(Sparse), sparse.Length, (long)m * n, $"{nameof(RowCount)} × {nameof(ColumnCount)} = {m} × {n}");
        double residual = reader.Double(nameof(RelativeResidual), SavedValue.FiniteNonNegative);
        int iterations = reader.Int(nameof(Iterations), 0);
        return new RobustPcaState(m, n, r, u, sigma, v, sparse, residual, iterations, reader.Bool(nameof(Converged)));
    }

    /// <inheritdoc/>
    internal override void Write(ModelWriter writer)
    {
        writer.Int(nameof(RowCount), RowCount);
        writer.Int(nameof(ColumnCount), ColumnCount);
        writer.Int(nameof(Rank), Rank);
        writer.Doubles(nameof(U), U);
        writer.Doubles(nameof(SingularValues), SingularValues);
        writer.Doubles(nameof(V), V);
        writer.Doubles(nameof(Sparse), Sparse);
        writer.Double(nameof(RelativeResidual), RelativeResidual);
        base.Write(writer);
    }

    private static void CheckOrthonormal(ModelReader reader, string name, double[] q, int rows, int r)
    {
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double dot = Kernels.Dot(q.AsSpan(i * rows, rows), q.AsSpan(j * rows, rows));
                if (!(Math.Abs(dot - (i == j ? 1.0 : 0.0)) <= OrthonormalityTolerance))
                {
                    throw reader.Invalid(name, $"must have orthonormal columns, but columns {j} and {i} have the inner product {ModelReader.Format(dot)}");
                }
            }
        }
    }
}
