// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Decomposition;

/// <summary>
/// The validated data of an NMF fit or transform: dense (n×m column-major, possibly with missing entries) or sparse
/// (<see cref="NmfSparseData"/>), with what the estimators ask of either: the mean, the rescaling and the problem.
/// </summary>
internal sealed class NmfInput
{
    private NmfInput(double[]? dense, NmfSparseData? sparse, int n, int m, bool masked)
    {
        Dense = dense;
        Sparse = sparse;
        N = n;
        M = m;
        Masked = masked;
    }

    /// <summary>The dense data (n×m column-major), or null when sparse.</summary>
    public double[]? Dense { get; }

    /// <summary>The sparse data, or null when dense.</summary>
    public NmfSparseData? Sparse { get; }

    /// <summary>n, the samples.</summary>
    public int N { get; }

    /// <summary>m, the features.</summary>
    public int M { get; }

    /// <summary>Whether the (dense) data have missing (NaN) entries.</summary>
    public bool Masked { get; }

    /// <summary>The mean of the entries (of the observed ones when some are missing; the implicit zeros of sparse data included).</summary>
    public double Mean => Sparse?.Mean ?? NmfBase.Mean(Dense!);

    /// <summary>The rescaling of these data (<see cref="NmfScale"/>).</summary>
    public NmfScale Scale => Sparse is { } sparse ? NmfScale.OfMaxAbs(sparse.MaxAbs) : NmfScale.Of(Dense!);

    /// <summary>Dense data.</summary>
    public static NmfInput OfDense(double[] data, int n, int m) => new(data, null, n, m, NmfBase.HasMissing(data));

    /// <summary>Sparse data.</summary>
    public static NmfInput OfSparse(NmfSparseData sparse) => new(null, sparse, sparse.N, sparse.M, masked: false);

    /// <summary>These data multiplied by 4^E of <paramref name="scale"/> (a copy), or these data when it is the identity.</summary>
    public NmfInput Scaled(NmfScale scale) => scale.IsIdentity
        ? this
        : new(Dense is null ? null : scale.Data(Dense), Sparse?.Scaled(scale.E), N, M, Masked);

    /// <summary>The problem of K components and divergence β on these data.</summary>
    public NmfProblem Problem(int k, double beta) =>
        Sparse is { } sparse ? new NmfProblem(sparse, k, beta) : new NmfProblem(Dense!, N, M, k, beta, Masked);
}
