// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Manifold;

/// <summary>
/// The gradient of new points placed into a fixed embedding (openTSNE's <c>transform</c>, Poličar, Stražar and Zupan, "openTSNE:
/// a modular Python library for t-SNE dimensionality reduction and embedding", JSS 109, 2024): each new point i has its own
/// distribution P_i over its reference neighbours (summing to 1) and its own Q_i over all reference points
/// (q_ij = w_ij / Σ_l w_il), so new points do not interact and each one's place does not depend on the others. The
/// repulsion comes from a <see cref="SpaceTree"/> of the reference embedding built once (Barnes–Hut with the fit's angle),
/// or from every reference point when <c>angle</c> is 0 (a model fitted exactly) or the embedding has more than three dimensions.
/// </summary>
internal sealed class TransformGradient : ITSneGradient
{
    private const int Block = 64;
    private readonly double[] _reference;
    private readonly int _dims;
    private readonly int[] _neighbors;
    private readonly double[] _p;
    private readonly int _k;
    private readonly StudentT _kernel;
    private readonly double _theta2;
    private readonly SpaceTree? _tree;
    private readonly double[] _pLogP;
    private readonly double[] _errors;

    /// <summary>
    /// For the new points whose <paramref name="k"/> reference neighbours are <paramref name="neighbors"/> with conditional
    /// probabilities <paramref name="p"/> (row by row), against <paramref name="reference"/> (reference points × dims, row-major).
    /// </summary>
    public TransformGradient(double[] reference, int dims, int[] neighbors, double[] p, int k, StudentT kernel, double angle)
    {
        _reference = reference;
        _dims = dims;
        _neighbors = neighbors;
        _p = p;
        _k = k;
        _kernel = kernel;
        _theta2 = angle * angle;
        if (dims <= 3 && angle > 0.0)
        {
            _tree = new SpaceTree(dims);
            _tree.Build(reference, reference.Length / dims);
        }
        int m = p.Length / k;
        _pLogP = new double[m];
        for (int i = 0; i < m; i++)
        {
            double sum = 0.0;
            for (int s = 0; s < k; s++)
            {
                double v = p[(i * k) + s];
                sum += v > 0.0 ? v * Math.Log(v) : 0.0;
            }

            _pLogP[i] = sum;
        }

        _errors = new double[m];
    }

    /// <summary>Σ_j w_j and Σ_j w_j·u_j·(point − r_j) over every reference point.</summary>
    private double Direct(ReadOnlySpan<double> point, double[] force)
    {
        int dims = _dims;
        Array.Clear(force);
        double z = 0.0;
        for (int j = 0; j < _reference.Length / dims; j++)
        {
            double d2 = 0.0;
            for (int a = 0; a < dims; a++)
            {
                double diff = point[a] - _reference[(j * dims) + a];
                d2 += diff * diff;
            }

            double u = _kernel.U(d2);
            double w = _kernel.W(u);
            z += w;
            for (int a = 0; a < dims; a++)
            {
                force[a] += w * u * (point[a] - _reference[(j * dims) + a]);
            }
        }

        return z;
    }

    /// <inheritdoc/>
    public double Evaluate(double[] y, double[] gradient, double exaggeration, bool computeError)
    {
        int dims = _dims, k = _k;
        int m = _errors.Length;
        Parallelism.For((m + Block - 1) / Block, () => (Stack: new int[8 * 64], Force: new double[dims], Attraction: new double[dims]), (block, scratch) =>
        {
            for (int i = block * Block, end = Math.Min(m, i + Block); i < end; i++)
            {
                var point = y.AsSpan(i * dims, dims);
                double z;
                if (_tree is not null)
                {
                    _tree.Repulsion(point, -1, _theta2, _kernel, scratch.Force, out z, scratch.Stack);
                }
                else
                {
                    z = Direct(point, scratch.Force);
                }

                Array.Clear(scratch.Attraction);
                double logW = 0.0;
                for (int s = 0; s < k; s++)
                {
                    int j = _neighbors[(i * k) + s];
                    double d2 = 0.0;
                    for (int a = 0; a < dims; a++)
                    {
                        double diff = point[a] - _reference[(j * dims) + a];
                        d2 += diff * diff;
                    }

                    double u = _kernel.U(d2);
                    double pij = _p[(i * k) + s];
                    for (int a = 0; a < dims; a++)
                    {
                        scratch.Attraction[a] += pij * u * (point[a] - _reference[(j * dims) + a]);
                    }

                    logW += computeError ? pij * _kernel.Exponent * Math.Log(u) : 0.0;
                }

                double inverseZ = 1.0 / z;
                for (int a = 0; a < dims; a++)
                {
                    gradient[(i * dims) + a] = _kernel.GradientScale * ((exaggeration * scratch.Attraction[a]) - (scratch.Force[a] * inverseZ));
                }

                _errors[i] = computeError ? SparseGradient.Divergence(exaggeration, _pLogP[i], logW, z) : 0.0;
            }
        });

        if (!computeError)
        {
            return double.NaN;
        }

        double total = 0.0;
        foreach (double e in _errors)
        {
            total += e;
        }

        return total;
    }
}
