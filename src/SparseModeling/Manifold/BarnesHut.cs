// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling.Manifold;

/// <summary>
/// A space-partitioning tree over points in 1, 2 or 3 dimensions (a binary tree, a quadtree, an octree): square cells
/// halved in every dimension until a cell holds at most <see cref="LeafSize"/> points, each cell with its point count and
/// centre of mass. Built level by level with a stable counting sort of the points into the children, so the tree, the
/// order of its points and every sum over it depend only on the coordinates. The arrays are kept and reused by later
/// builds (one per gradient evaluation).
/// </summary>
internal sealed class SpaceTree
{
    /// <summary>The most points in a leaf; a leaf that is too close to summarise is summed point by point.</summary>
    public const int LeafSize = 8;

    /// <summary>No cell is split below this depth: beyond it points are duplicates for any purpose (cells 2⁻⁶⁰ of the root).</summary>
    private const int MaxDepth = 60;

    private readonly int _dims;
    private readonly int _children;
    private int _capacity;
    private double[] _center = [];
    private double[] _centerOfMass = [];
    private double[] _halfWidth = [];
    private int[] _start = [];
    private int[] _count = [];
    private int[] _firstChild = [];
    private int[] _childCount = [];
    private int[] _depth = [];
    private int[] _order = [];
    private int[] _position = [];
    private double[] _sorted = [];
    private int[] _scratchOrder = [];
    private double[] _scratchSorted = [];
    private int[] _bucket = [];

    /// <summary>A tree for points of <paramref name="dims"/> coordinates (1 to 3).</summary>
    public SpaceTree(int dims)
    {
        _dims = dims;
        _children = 1 << dims;
    }

    /// <summary>The points of the last build.</summary>
    public int Count { get; private set; }

    /// <summary>The point at each position of the tree order.</summary>
    public ReadOnlySpan<int> Order => _order.AsSpan(0, Count);

    /// <summary>The position of point <paramref name="i"/> in the tree order.</summary>
    public int PositionOf(int i) => _position[i];

    /// <summary>Builds the tree over the <paramref name="n"/> points of <paramref name="y"/> (row-major, <c>dims</c> per point).</summary>
    public void Build(ReadOnlySpan<double> y, int n)
    {
        int dims = _dims;
        Count = n;
        if (_order.Length < n)
        {
            _order = new int[n];
            _position = new int[n];
            _sorted = new double[n * dims];
            _scratchOrder = new int[n];
            _scratchSorted = new double[n * dims];
            _bucket = new int[n];
        }

        Span<double> low = stackalloc double[dims];
        Span<double> high = stackalloc double[dims];
        low.Fill(double.PositiveInfinity);
        high.Fill(double.NegativeInfinity);
        for (int i = 0; i < n; i++)
        {
            _order[i] = i;
            for (int a = 0; a < dims; a++)
            {
                double v = y[(i * dims) + a];
                _sorted[(i * dims) + a] = v;
                low[a] = Math.Min(low[a], v);
                high[a] = Math.Max(high[a], v);
            }
        }

        double width = 0.0;
        for (int a = 0; a < dims; a++)
        {
            width = Math.Max(width, high[a] - low[a]);
        }

        // A little wider than the points, so that the largest coordinate falls inside the last cell.
        double half = Math.Max(width * (0.5 + 1e-9), double.Epsilon);
        Ensure(Math.Max(16, 2 * ((n / LeafSize) + 1) * Math.Max(2, dims)));
        int nodes = 1;
        for (int a = 0; a < dims; a++)
        {
            _center[a] = (low[a] + high[a]) / 2.0;
        }

        _halfWidth[0] = half;
        _start[0] = 0;
        _count[0] = n;
        _depth[0] = 0;
        Span<int> counts = stackalloc int[8];
        Span<int> offsets = stackalloc int[8];
        for (int node = 0; node < nodes; node++)
        {
            int start = _start[node], count = _count[node];
            var com = _centerOfMass.AsSpan(node * dims, dims);
            com.Clear();
            for (int q = start; q < start + count; q++)
            {
                for (int a = 0; a < dims; a++)
                {
                    com[a] += _sorted[(q * dims) + a];
                }
            }

            for (int a = 0; a < dims; a++)
            {
                com[a] /= count;
            }

            _firstChild[node] = nodes;
            _childCount[node] = 0;
            if (count <= LeafSize || _depth[node] >= MaxDepth)
            {
                continue;
            }

            // Children by the side of the centre in each dimension (bit a set: the upper half of dimension a).
            var center = _center.AsSpan(node * dims, dims);
            counts.Clear();
            for (int q = start; q < start + count; q++)
            {
                int b = 0;
                for (int a = 0; a < dims; a++)
                {
                    b |= (_sorted[(q * dims) + a] >= center[a] ? 1 : 0) << a;
                }

                _bucket[q] = b;
                counts[b]++;
            }

            int offset = start;
            for (int b = 0; b < _children; b++)
            {
                offsets[b] = offset;
                offset += counts[b];
            }

            for (int q = start; q < start + count; q++)
            {
                int to = offsets[_bucket[q]]++;
                _scratchOrder[to] = _order[q];
                for (int a = 0; a < dims; a++)
                {
                    _scratchSorted[(to * dims) + a] = _sorted[(q * dims) + a];
                }
            }

            Array.Copy(_scratchOrder, start, _order, start, count);
            Array.Copy(_scratchSorted, start * dims, _sorted, start * dims, count * dims);
            Ensure(nodes + _children);
            double childHalf = _halfWidth[node] / 2.0;
            int childStart = start;
            for (int b = 0; b < _children; b++)
            {
                if (counts[b] == 0)
                {
                    continue;
                }

                int child = nodes++;
                for (int a = 0; a < dims; a++)
                {
                    _center[(child * dims) + a] = _center[(node * dims) + a] + (((b >> a) & 1) == 1 ? childHalf : -childHalf);
                }

                _halfWidth[child] = childHalf;
                _start[child] = childStart;
                _count[child] = counts[b];
                _depth[child] = _depth[node] + 1;
                childStart += counts[b];
                _childCount[node]++;
            }
        }

        for (int q = 0; q < n; q++)
        {
            _position[_order[q]] = q;
        }
    }

    /// <summary>
    /// The repulsion on a point at <paramref name="point"/> from every point of the tree except the one at tree position
    /// <paramref name="exclude"/> (−1: none): <paramref name="z"/> = Σ_j w_j and <paramref name="force"/> = Σ_j w_j·u_j·(point − y_j),
    /// a cell summarised by its centre of mass when its side s and the distance d to that centre have s² &lt; θ²·d²
    /// (scikit-learn's test, never for a cell holding the excluded point). <paramref name="stack"/> needs 8·61 entries.
    /// </summary>
    public void Repulsion(ReadOnlySpan<double> point, int exclude, double theta2, StudentT kernel, Span<double> force, out double z, int[] stack)
    {
        if (_dims == 2 && kernel.IsCauchy)
        {
            Repulsion2D(point[0], point[1], exclude, theta2, force, out z, stack);
            return;
        }

        int dims = _dims;
        force.Clear();
        double sum = 0.0;
        int top = 0;
        stack[top++] = 0;
        while (top > 0)
        {
            int node = stack[--top];
            int start = _start[node], count = _count[node];
            bool holds = exclude >= start && exclude < start + count;
            if (!holds)
            {
                double d2 = 0.0;
                for (int a = 0; a < dims; a++)
                {
                    double diff = point[a] - _centerOfMass[(node * dims) + a];
                    d2 += diff * diff;
                }

                double side = 2.0 * _halfWidth[node];
                if (side * side < theta2 * d2)
                {
                    double u = kernel.U(d2);
                    double w = count * kernel.W(u);
                    sum += w;
                    double wu = w * u;
                    for (int a = 0; a < dims; a++)
                    {
                        force[a] += wu * (point[a] - _centerOfMass[(node * dims) + a]);
                    }

                    continue;
                }
            }

            if (_childCount[node] > 0)
            {
                for (int c = _childCount[node] - 1; c >= 0; c--)
                {
                    stack[top++] = _firstChild[node] + c;
                }

                continue;
            }

            for (int q = start; q < start + count; q++)
            {
                if (q == exclude)
                {
                    continue;
                }

                double d2 = 0.0;
                for (int a = 0; a < dims; a++)
                {
                    double diff = point[a] - _sorted[(q * dims) + a];
                    d2 += diff * diff;
                }

                double u = kernel.U(d2);
                double w = kernel.W(u);
                sum += w;
                double wu = w * u;
                for (int a = 0; a < dims; a++)
                {
                    force[a] += wu * (point[a] - _sorted[(q * dims) + a]);
                }
            }
        }

        z = sum;
    }

    /// <summary><see cref="Repulsion"/> in two dimensions with the Cauchy kernel (t-SNE's default), written out.</summary>
    private void Repulsion2D(double px, double py, int exclude, double theta2, Span<double> force, out double z, int[] stack)
    {
        double sum = 0.0, fx = 0.0, fy = 0.0;
        int top = 0;
        stack[top++] = 0;
        var com = _centerOfMass;
        var sorted = _sorted;
        while (top > 0)
        {
            int node = stack[--top];
            int start = _start[node], count = _count[node];
            if (exclude < start || exclude >= start + count)
            {
                double dx = px - com[2 * node], dy = py - com[(2 * node) + 1];
                double d2 = (dx * dx) + (dy * dy);
                double side = 2.0 * _halfWidth[node];
                if (side * side < theta2 * d2)
                {
                    double u = 1.0 / (1.0 + d2);
                    sum += count * u;
                    double wu = count * u * u;
                    fx += wu * dx;
                    fy += wu * dy;
                    continue;
                }
            }

            int children = _childCount[node];
            if (children > 0)
            {
                int first = _firstChild[node];
                for (int c = children - 1; c >= 0; c--)
                {
                    stack[top++] = first + c;
                }

                continue;
            }

            for (int q = start; q < start + count; q++)
            {
                if (q == exclude)
                {
                    continue;
                }

                double dx = px - sorted[2 * q], dy = py - sorted[(2 * q) + 1];
                double u = 1.0 / (1.0 + (dx * dx) + (dy * dy));
                sum += u;
                double uu = u * u;
                fx += uu * dx;
                fy += uu * dy;
            }
        }

        force[0] = fx;
        force[1] = fy;
        z = sum;
    }

    /// <summary>Grows the node arrays to at least <paramref name="nodes"/> entries.</summary>
    private void Ensure(int nodes)
    {
        if (nodes <= _capacity)
        {
            return;
        }

        int capacity = Math.Max(nodes, 2 * _capacity);
        Array.Resize(ref _center, capacity * _dims);
        Array.Resize(ref _centerOfMass, capacity * _dims);
        Array.Resize(ref _halfWidth, capacity);
        Array.Resize(ref _start, capacity);
        Array.Resize(ref _count, capacity);
        Array.Resize(ref _firstChild, capacity);
        Array.Resize(ref _childCount, capacity);
        Array.Resize(ref _depth, capacity);
        _capacity = capacity;
    }
}

/// <summary>
/// The Barnes–Hut gradient (van der Maaten, "Accelerating t-SNE using tree-based algorithms", JMLR 15, 2014), as scikit-learn's
/// <c>method='barnes_hut'</c>: attraction exactly over the sparse P, repulsion and Z from a <see cref="SpaceTree"/> rebuilt at
/// every evaluation, cells summarised when side² &lt; <c>angle</c>²·distance². The points are walked in tree order (neighbours
/// share cells in the cache) in parallel blocks; each point's sums are computed alone and Z is added in point order, so the
/// result does not depend on the threads.
/// </summary>
internal sealed class BarnesHutGradient : ITSneGradient
{
    private const int Block = 128;
    private readonly SparseAffinities _p;
    private readonly int _dims;
    private readonly StudentT _kernel;
    private readonly double _theta2;
    private readonly SpaceTree _tree;
    private readonly double[] _attraction;
    private readonly double[] _repulsion;
    private readonly double[] _z;

    /// <summary>Over the sparse P, for an embedding of <paramref name="dims"/> (1 to 3) dimensions.</summary>
    public BarnesHutGradient(SparseAffinities p, int dims, StudentT kernel, double angle)
    {
        _p = p;
        _dims = dims;
        _kernel = kernel;
        _theta2 = angle * angle;
        _tree = new SpaceTree(dims);
        _attraction = new double[p.Count * dims];
        _repulsion = new double[p.Count * dims];
        _z = new double[p.Count];
    }

    /// <inheritdoc/>
    public double Evaluate(double[] y, double[] gradient, double exaggeration, bool computeError)
    {
        int n = _p.Count, dims = _dims;
        _tree.Build(y, n);
        var order = _tree.Order.ToArray();
        Parallelism.For((n + Block - 1) / Block, () => new int[8 * 64], (block, stack) =>
        {
            for (int q = block * Block, end = Math.Min(n, q + Block); q < end; q++)
            {
                int i = order[q];
                _tree.Repulsion(y.AsSpan(i * dims, dims), q, _theta2, _kernel, _repulsion.AsSpan(i * dims, dims), out _z[i], stack);
            }
        });

        double z = 0.0;
        foreach (double zi in _z)
        {
            z += zi;
        }

        double pLogW = SparseGradient.Attraction(_p, y, dims, _kernel, _attraction, computeError);
        return SparseGradient.Assemble(_attraction, _repulsion, z, _kernel, exaggeration, gradient, computeError, _p.PLogP, pLogW);
    }
}
