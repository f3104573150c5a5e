// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Manifold;

/// <summary>
/// The heavy-tailed similarity of the embedding, Student's t with ν degrees of freedom: w(d²) = (1 + d²/ν)^(−(ν+1)/2), and
/// u(d²) = 1/(1 + d²/ν), so that ∂log w/∂y_i = −((ν+1)/ν)·u·(y_i − y_j). ν = 1 (the Cauchy kernel of t-SNE) has w = u.
/// </summary>
internal readonly struct StudentT
{
    /// <summary>The kernel with <paramref name="nu"/> degrees of freedom (&gt; 0).</summary>
    public StudentT(double nu)
    {
        Nu = nu;
        InverseNu = 1.0 / nu;
        Exponent = (nu + 1.0) / 2.0;
        IsCauchy = nu == 1.0;
        GradientScale = 2.0 * (nu + 1.0) / nu;
    }

    /// <summary>ν.</summary>
    public double Nu { get; }

    /// <summary>1/ν.</summary>
    public double InverseNu { get; }

    /// <summary>(ν + 1)/2, the power of u that is w.</summary>
    public double Exponent { get; }

    /// <summary>Whether ν = 1 (w = u, no power needed).</summary>
    public bool IsCauchy { get; }

    /// <summary>2(ν + 1)/ν, the factor of the KL gradient (4 for ν = 1).</summary>
    public double GradientScale { get; }

    /// <summary>u = 1/(1 + d²/ν).</summary>
    public double U(double squaredDistance) => 1.0 / (1.0 + (squaredDistance * InverseNu));

    /// <summary>w = u^((ν+1)/2).</summary>
    public double W(double u) => IsCauchy ? u : Math.Pow(u, Exponent);
}

/// <summary>
/// One way of computing the gradient of t-SNE's objective KL(P ‖ Q) with respect to the embedding (a plug-in of
/// <see cref="TSneSolver"/>): exact over all pairs, Barnes–Hut, or FFT-accelerated interpolation. The gradient is
/// ∂C/∂y_i = (2(ν+1)/ν)·Σ_j (α·p_ij − q_ij)·u_ij·(y_i − y_j) with q_ij = w_ij/Z, Z = Σ_{k≠l} w_kl, and α the exaggeration.
/// </summary>
internal interface ITSneGradient
{
    /// <summary>
    /// Writes the gradient at <paramref name="y"/> (points × dimensions, row-major) into <paramref name="gradient"/>; returns
    /// the divergence Σ α·p·log(α·p/q) (scikit-learn's <c>error</c>, KL(P ‖ Q) at α = 1) when <paramref name="computeError"/>,
    /// else NaN.
    /// </summary>
    double Evaluate(double[] y, double[] gradient, double exaggeration, bool computeError);
}

/// <summary>The attractive half of the gradient over a sparse P, shared by the Barnes–Hut and FFT gradients, and their common assembly.</summary>
internal static class SparseGradient
{
    private const int Block = 256;

    /// <summary>
    /// attraction_i = Σ_j p_ij·u_ij·(y_i − y_j) for every point; returns Σ p_ij·log w_ij when <paramref name="computeLog"/>
    /// (per-block sums added in block order, so the value does not depend on the threads), else 0.
    /// </summary>
    public static double Attraction(SparseAffinities p, double[] y, int dims, StudentT kernel, double[] attraction, bool computeLog)
    {
        int n = p.Count;
        int blocks = (n + Block - 1) / Block;
        var logs = computeLog ? new double[blocks] : null;
        if (dims == 2 && kernel.IsCauchy)
        {
            Parallelism.For(blocks, block => AttractionCauchy2D(p, y, block, attraction, logs));
        }
        else
        {
            Parallelism.For(blocks, block => AttractionAny(p, y, dims, kernel, block, attraction, logs));
        }

        double total = 0.0;
        if (logs is not null)
        {
            foreach (double log in logs)
            {
                total += log;
            }
        }

        return total;
    }

    /// <summary>
    /// The attraction of the rows of one block in two dimensions with the Cauchy kernel (w = u = 1/(1 + d²)): t-SNE's common
    /// case, by the vectorised <see cref="Kernels.CauchyAttraction2D"/>; Σ p·log u (when the divergence is wanted) in a scalar
    /// loop of its own.
    /// </summary>
    private static void AttractionCauchy2D(SparseAffinities p, double[] y, int block, double[] attraction, double[]? logs)
    {
        int first = block * Block, end = Math.Min(p.Count, first + Block);
        Kernels.CauchyAttraction2D(p.RowStart, p.Columns, p.Values, y, first, end, attraction);
        if (logs is null)
        {
            return;
        }

        // Σ p·log u apart, so that the forces are the same bits whether or not the divergence is computed.
        var rowStart = p.RowStart;
        var columns = p.Columns;
        var values = p.Values;
        double log = 0.0;
        for (int i = first; i < end; i++)
        {
            double yi0 = y[2 * i], yi1 = y[(2 * i) + 1];
            for (int e = rowStart[i], e1 = rowStart[i + 1]; e < e1; e++)
            {
                int j = columns[e];
                double d0 = yi0 - y[2 * j], d1 = yi1 - y[(2 * j) + 1];
                log -= values[e] * Math.Log(1.0 + ((d0 * d0) + (d1 * d1)));
            }
        }

        logs[block] = log;
    }

    /// <summary>The attraction of the rows of one block, any dimension and kernel.</summary>
    private static void AttractionAny(SparseAffinities p, double[] y, int dims, StudentT kernel, int block, double[] attraction, double[]? logs)
    {
        int n = p.Count;
        double log = 0.0;
        Span<double> force = stackalloc double[dims];
        for (int i = block * Block, end = Math.Min(n, i + Block); i < end; i++)
        {
            force.Clear();
            var yi = y.AsSpan(i * dims, dims);
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                int j = p.Columns[e];
                var yj = y.AsSpan(j * dims, dims);
                double d2 = 0.0;
                for (int a = 0; a < dims; a++)
                {
                    double diff = yi[a] - yj[a];
                    d2 += diff * diff;
                }

                double u = kernel.U(d2);
                double pu = p.Values[e] * u;
                for (int a = 0; a < dims; a++)
                {
                    force[a] += pu * (yi[a] - yj[a]);
                }

                if (logs is not null)
                {
                    log += p.Values[e] * kernel.Exponent * Math.Log(u);
                }
            }

            force.CopyTo(attraction.AsSpan(i * dims, dims));
        }

        if (logs is not null)
        {
            logs[block] = log;
        }
    }

    /// <summary>gradient = (2(ν+1)/ν)·(α·attraction − repulsion/Z); returns the divergence (see <see cref="ITSneGradient.Evaluate"/>) or NaN.</summary>
    public static double Assemble(double[] attraction, double[] repulsion, double z, StudentT kernel, double exaggeration, double[] gradient, bool computeError, double pLogP, double pLogW)
    {
        double inverseZ = 1.0 / z;
        double scale = kernel.GradientScale;
        for (int e = 0; e < gradient.Length; e++)
        {
            gradient[e] = scale * ((exaggeration * attraction[e]) - (repulsion[e] * inverseZ));
        }

        return computeError ? Divergence(exaggeration, pLogP, pLogW, z) : double.NaN;
    }

    /// <summary>Σ α·p·log(α·p/q) with q = w/Z and Σ p = 1: α·(Σ p log p + log α − Σ p log w + log Z).</summary>
    public static double Divergence(double exaggeration, double pLogP, double pLogW, double z) =>
        exaggeration * (pLogP + Math.Log(exaggeration) - pLogW + Math.Log(z));
}

/// <summary>
/// The exact gradient over all pairs with the dense P of scikit-learn's <c>method='exact'</c>: O(n²) per evaluation in two
/// passes over the rows (Z first, then the forces), each row's Student-t similarities computed by
/// <see cref="Kernels.StudentTRow"/> on the coordinates stored dimension by dimension, its force coefficients by
/// <see cref="Kernels.TSneForceCoefficients"/> and its force by one dot product per dimension. Rows run in parallel blocks;
/// Z is the sum of the per-row sums in row order, so the result does not depend on the threads.
/// </summary>
internal sealed class ExactGradient : ITSneGradient
{
    private const int Block = 32;
    private readonly double[] _p;
    private readonly int _n;
    private readonly int _dims;
    private readonly StudentT _kernel;
    private readonly double _pLogP;
    private readonly double[] _coordinates;
    private readonly double[] _rowSums;
    private readonly double[] _rowLogs;

    /// <summary>Over the dense P (n × n, row-major, zero diagonal, summing to 1).</summary>
    public ExactGradient(double[] p, int n, int dims, StudentT kernel)
    {
        _p = p;
        _n = n;
        _dims = dims;
        _kernel = kernel;
        double pLogP = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double v = p[((long)i * n) + j];
                pLogP += i == j ? 0.0 : v * Math.Log(v);
            }
        }

        _pLogP = pLogP;
        _coordinates = new double[n * dims];
        _rowSums = new double[n];
        _rowLogs = new double[n];
    }

    /// <inheritdoc/>
    public double Evaluate(double[] y, double[] gradient, double exaggeration, bool computeError)
    {
        int n = _n, dims = _dims;
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < dims; a++)
            {
                _coordinates[(a * n) + i] = y[(i * dims) + a];
            }
        }

        int blocks = (n + Block - 1) / Block;
        Parallelism.For(blocks, () => (U: new double[n], W: new double[n]), (block, scratch) =>
        {
            for (int i = block * Block, end = Math.Min(n, i + Block); i < end; i++)
            {
                var w = Weights(y, i, scratch.U, scratch.W);
                _rowSums[i] = Kernels.Sum(w) - 1.0; // less w_ii = 1
            }
        });

        double z = 0.0;
        foreach (double s in _rowSums)
        {
            z += s;
        }

        double inverseZ = 1.0 / z;
        Parallelism.For(blocks, () => (U: new double[n], W: new double[n], C: new double[n]), (block, scratch) =>
        {
            for (int i = block * Block, end = Math.Min(n, i + Block); i < end; i++)
            {
                var w = Weights(y, i, scratch.U, scratch.W);
                var row = _p.AsSpan(i * n, n);
                double sum = Kernels.TSneForceCoefficients(row, w, scratch.U, exaggeration, inverseZ, scratch.C);
                sum -= scratch.C[i];
                scratch.C[i] = 0.0;
                for (int a = 0; a < dims; a++)
                {
                    double dot = Kernels.Dot(scratch.C, _coordinates.AsSpan(a * n, n));
                    gradient[(i * dims) + a] = _kernel.GradientScale * ((y[(i * dims) + a] * sum) - dot);
                }

                if (computeError)
                {
                    double log = 0.0;
                    for (int j = 0; j < n; j++)
                    {
                        log += j == i ? 0.0 : row[j] * Math.Log(w[j]);
                    }

                    _rowLogs[i] = log;
                }
            }
        });

        if (!computeError)
        {
            return double.NaN;
        }

        double pLogW = 0.0;
        foreach (double log in _rowLogs)
        {
            pLogW += log;
        }

        return SparseGradient.Divergence(exaggeration, _pLogP, pLogW, z);
    }

    /// <summary>u and w of point i against every point (w_ii = 1).</summary>
    private double[] Weights(double[] y, int i, double[] u, double[] w)
    {
        Kernels.StudentTRow(_coordinates, _n, y.AsSpan(i * _dims, _dims), _kernel.InverseNu, u);
        if (_kernel.IsCauchy)
        {
            return u;
        }

        for (int j = 0; j < _n; j++)
        {
            w[j] = Math.Pow(u[j], _kernel.Exponent);
        }

        return w;
    }
}
