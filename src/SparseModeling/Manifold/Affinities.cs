// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Manifold;

/// <summary>
/// t-SNE's input similarities (van der Maaten and Hinton, "Visualizing data using t-SNE", JMLR 9, 2008): for every point i a
/// Gaussian over its neighbours, p_{j|i} ∝ exp(−β_i·d²_ij), with β_i found by bisection so that the perplexity 2^H(P_i)
/// equals the one asked for (scikit-learn's <c>_binary_search_perplexity</c>: entropy tolerance 10⁻⁵, at most 100 steps),
/// then the joint P = (P_cond + P_condᵀ) / Σ, sparse over the neighbour graph or dense over all pairs.
/// </summary>
/// <remarks>
/// The bisection runs on scale-free distances: each row's squared distances less the nearest one, divided by their mean. The
/// family exp(−β·d²) is the same (β rescaled), so P is the distribution scikit-learn calibrates, but the search does not
/// depend on the units of the data: data scaled by c gives the same P up to rounding, and exactly the same when c is a power
/// of two. Subtracting the nearest distance keeps the largest term at exp(0) = 1, so no row underflows to a zero sum
/// (scikit-learn then divides by 10⁻⁸), and rows whose distances are all equal (duplicate points) are uniform.
/// </remarks>
internal static class Affinities
{
    /// <summary>The entropy tolerance of the bisection (scikit-learn's <c>PERPLEXITY_TOLERANCE</c>).</summary>
    private const double Tolerance = 1e-5;

    /// <summary>The most bisection steps per point (scikit-learn's <c>n_steps</c>).</summary>
    private const int MaxSteps = 100;

    /// <summary>NumPy's <c>finfo(float64).eps</c>, scikit-learn's floor of the dense P.</summary>
    internal const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// The conditional distribution of one point over its neighbours: <paramref name="p"/>[j] ∝ exp(−β·<paramref name="squaredDistances"/>[j]),
    /// summing to 1, with the perplexity of <paramref name="perplexity"/>.
    /// </summary>
    public static void Conditional(ReadOnlySpan<double> squaredDistances, double perplexity, Span<double> p)
    {
        int k = squaredDistances.Length;
        double nearest = double.PositiveInfinity;
        for (int j = 0; j < k; j++)
        {
            nearest = Math.Min(nearest, squaredDistances[j]);
        }

        // t_j = (d_j − d_min) / mean(d − d_min): in [0, k], without units.
        double mean = 0.0;
        for (int j = 0; j < k; j++)
        {
            p[j] = squaredDistances[j] - nearest;
            mean += p[j];
        }

        mean /= k;
        if (!(mean > 0.0))
        {
            p.Fill(1.0 / k);
            return;
        }

        Span<double> t = k <= 512 ? stackalloc double[k] : new double[k];
        for (int j = 0; j < k; j++)
        {
            t[j] = p[j] / mean;
        }

        double target = Math.Log(perplexity);
        double beta = 1.0, low = double.NegativeInfinity, high = double.PositiveInfinity;
        double sum = 1.0;
        for (int step = 0; step < MaxSteps; step++)
        {
            sum = 0.0;
            double weighted = 0.0;
            for (int j = 0; j < k; j++)
            {
                double e = Math.Exp(-beta * t[j]);
                p[j] = e;
                sum += e;
                weighted += t[j] * e;
            }

            double entropy = Math.Log(sum) + (beta * weighted / sum);
            double difference = entropy - target;
            if (Math.Abs(difference) <= Tolerance)
            {
                break;
            }

            if (difference > 0.0)
            {
                low = beta;
                beta = double.IsPositiveInfinity(high) ? beta * 2.0 : (beta + high) / 2.0;
            }
            else
            {
                high = beta;
                beta = double.IsNegativeInfinity(low) ? beta / 2.0 : (beta + low) / 2.0;
            }
        }

        double inverse = 1.0 / sum;
        for (int j = 0; j < k; j++)
        {
            p[j] *= inverse;
        }
    }

    /// <summary>The conditional distributions of every point of <paramref name="graph"/> over its neighbours (Count × K, row by row), in parallel.</summary>
    public static double[] Conditional(NeighborGraph graph, double perplexity)
    {
        int k = graph.K;
        var p = new double[graph.Count * k];
        Parallelism.For((graph.Count + 255) / 256, block =>
        {
            for (int i = block * 256, end = Math.Min(graph.Count, i + 256); i < end; i++)
            {
                Conditional(graph.SquaredDistances.AsSpan(i * k, k), perplexity, p.AsSpan(i * k, k));
            }
        });
        return p;
    }

    /// <summary>The joint P = (P_cond + P_condᵀ) / Σ over the neighbour graph, as scikit-learn's <c>_joint_probabilities_nn</c>.</summary>
    public static SparseAffinities Joint(NeighborGraph graph, double[] conditional)
    {
        int n = graph.Count, k = graph.K;
        var counts = new int[n + 1];
        for (int e = 0; e < n * k; e++)
        {
            counts[graph.Indices[e] + 1]++;
        }

        // Row i holds its own k entries, then the entries (l → i) of the points l that have i as a neighbour.
        var start = new int[n + 1];
        for (int i = 0; i < n; i++)
        {
            start[i + 1] = start[i] + k + counts[i + 1];
        }

        var columns = new int[start[n]];
        var values = new double[start[n]];
        var fill = new int[n];
        for (int i = 0; i < n; i++)
        {
            for (int s = 0; s < k; s++)
            {
                columns[start[i] + s] = graph.Indices[(i * k) + s];
                values[start[i] + s] = conditional[(i * k) + s];
            }

            fill[i] = start[i] + k;
        }

        for (int l = 0; l < n; l++)
        {
            for (int s = 0; s < k; s++)
            {
                int i = graph.Indices[(l * k) + s];
                columns[fill[i]] = l;
                values[fill[i]] = conditional[(l * k) + s];
                fill[i]++;
            }
        }

        // Sort each row by column and add the two halves of pairs present both ways.
        var merged = new int[n];
        Parallelism.For((n + 255) / 256, block =>
        {
            for (int i = block * 256, end = Math.Min(n, i + 256); i < end; i++)
            {
                int s0 = start[i], length = start[i + 1] - s0;
                Array.Sort(columns, values, s0, length);
                int write = s0;
                for (int r = s0; r < s0 + length; r++)
                {
                    if (write > s0 && columns[write - 1] == columns[r])
                    {
                        values[write - 1] += values[r];
                    }
                    else
                    {
                        columns[write] = columns[r];
                        values[write] = values[r];
                        write++;
                    }
                }

                merged[i] = write - s0;
            }
        });

        var rowStart = new int[n + 1];
        for (int i = 0; i < n; i++)
        {
            rowStart[i + 1] = rowStart[i] + merged[i];
        }

        var outColumns = new int[rowStart[n]];
        var outValues = new double[rowStart[n]];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(columns, start[i], outColumns, rowStart[i], merged[i]);
            Array.Copy(values, start[i], outValues, rowStart[i], merged[i]);
        }

        double total = 0.0;
        foreach (double v in outValues)
        {
            total += v;
        }

        Kernels.Scal(1.0 / Math.Max(total, MachineEpsilon), outValues);
        return new SparseAffinities(n, rowStart, outColumns, outValues);
    }

    /// <summary>
    /// The dense joint P over all pairs from the full squared-distance matrix, as scikit-learn's <c>_joint_probabilities</c>
    /// (every pair floored at machine ε, the diagonal zero): n × n, row-major, symmetric.
    /// </summary>
    public static double[] JointDense(PointSet points, double perplexity)
    {
        int n = points.Count;
        var conditional = new double[(long)n * n];
        const int Block = 64;
        Parallelism.For((n + Block - 1) / Block, () => (Products: new double[(long)n * Block], Distances: new double[n - 1], Row: new double[n - 1]), (block, scratch) =>
        {
            int q0 = block * Block, width = Math.Min(Block, n - q0);
            Gemm.Multiply(false, true, n, width, points.Dimension, 1.0, points.ColumnMajor, n, points.ColumnMajor.AsSpan(q0), n, 0.0, scratch.Products, n);
            for (int r = 0; r < width; r++)
            {
                int i = q0 + r;
                int s = 0;
                for (int j = 0; j < n; j++)
                {
                    if (j != i)
                    {
                        scratch.Distances[s++] = Math.Max(0.0, points.SquaredNorms[j] + points.SquaredNorms[i] - (2.0 * scratch.Products[(r * n) + j]));
                    }
                }

                Conditional(scratch.Distances, perplexity, scratch.Row);
                s = 0;
                for (int j = 0; j < n; j++)
                {
                    conditional[((long)i * n) + j] = j == i ? 0.0 : scratch.Row[s++];
                }
            }
        });

        double total = 0.0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                total += conditional[((long)i * n) + j];
            }
        }

        // Symmetrise in place, by pairs (i < j), each sum computed once: P = max((C + Cᵀ) / Σ(C + Cᵀ), ε).
        double inverse = 1.0 / Math.Max(2.0 * total, MachineEpsilon);
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double v = Math.Max((conditional[((long)i * n) + j] + conditional[((long)j * n) + i]) * inverse, MachineEpsilon);
                conditional[((long)i * n) + j] = v;
                conditional[((long)j * n) + i] = v;
            }
        }

        return conditional;
    }
}

/// <summary>
/// A symmetric joint distribution P over pairs of points in compressed sparse rows, summing to 1 over all entries, with the
/// constant Σ p·log p of the KL divergence.
/// </summary>
internal sealed class SparseAffinities
{
    /// <summary>Takes the rows as given.</summary>
    public SparseAffinities(int count, int[] rowStart, int[] columns, double[] values)
    {
        Count = count;
        RowStart = rowStart;
        Columns = columns;
        Values = values;
        double entropy = 0.0;
        foreach (double v in values)
        {
            entropy += v > 0.0 ? v * Math.Log(v) : 0.0;
        }

        PLogP = entropy;
    }

    /// <summary>The points.</summary>
    public int Count { get; }

    /// <summary>Row i's entries are RowStart[i] … RowStart[i + 1] − 1.</summary>
    public int[] RowStart { get; }

    /// <summary>The column of each entry, ascending within a row.</summary>
    public int[] Columns { get; }

    /// <summary>The value of each entry.</summary>
    public double[] Values { get; }

    /// <summary>Σ p·log p over the entries.</summary>
    public double PLogP { get; }
}
