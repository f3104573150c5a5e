// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Decomposition;

/// <summary>
/// The K-SVD loop behind <see cref="Ksvd"/>: alternate a sparse coding of every signal (batch OMP through
/// <see cref="SparseEncoder"/>, masked when entries are missing) with a sequential update of every atom from the residual of
/// the signals that use it, as spm-image's <c>_ksvd</c>. The residual R = X − W·D is kept row by row (samples × features),
/// so an atom's update touches only the rows of the signals using it: E = R[rows] + g·dᵀ, then R[rows] = E − g'·d'ᵀ.
/// </summary>
/// <remarks>
/// With missing entries (spm-image's masked K-SVD) each iteration first fills the missing entries of its own copy of X
/// with the current approximation W·D (spm-image writes them into the caller's X); the residual there is then zero after
/// the coding, and the errors count only observed entries.
/// </remarks>
internal static class KsvdSolver
{
    /// <summary>Power iterations stop when no entry of the vector moves by more than this.</summary>
    private const double PowerTolerance = 1e-13;

    private const int MaxPowerIterations = 1000;

    /// <summary>The parameters of one run.</summary>
    internal readonly record struct Settings(
        int? NonzeroCoefficients,
        int MaxIterations,
        double Tolerance,
        KsvdMethod Method,
        bool ReplaceUnusedAtoms,
        Action<KsvdIterationInfo>? OnIteration,
        CancellationToken CancellationToken);

    /// <summary>The outcome: the errors before the first iteration and after each, the iterations run, whether the tolerance stopped the run.</summary>
    internal readonly record struct Result(double[] Errors, int Iterations, bool Converged);

    /// <summary>
    /// Runs K-SVD on the rows of <paramref name="x"/>, updating <paramref name="dictionary"/> (K × features, atoms in rows,
    /// row-major) in place. <paramref name="mask"/> (1 observed, 0 missing) or null.
    /// </summary>
    public static Result Run(Matrix<double> x, Matrix<double>? mask, double[] dictionary, int k, in Settings s)
    {
        int n = x.RowCount, f = x.ColumnCount;
        var xs = MatrixStorage.ColumnMajor(x);
        var observed = mask is null ? null : MatrixStorage.ColumnMajor(mask);

        // The signals row by row, 0 where missing.
        var y = new double[(long)n * f];
        for (int j = 0; j < f; j++)
        {
            for (int i = 0; i < n; i++)
            {
                long at = i + ((long)j * n);
                y[((long)i * f) + j] = observed is null || observed[at] == 1.0 ? xs[at] : 0.0;
            }
        }

        var errors = new List<double> { Math.Sqrt(Kernels.SquaredNorm(y)) };
        var r = new double[(long)n * f];
        var rows = new int[n];
        var g = new double[n];
        var e = new double[(long)n * f];
        var gram = new double[Math.Max(1, f * f)];
        var unusedScratch = new bool[n];
        bool converged = false;
        int iteration = 0;
        while (iteration < s.MaxIterations)
        {
            s.CancellationToken.ThrowIfCancellationRequested();
            var atoms = Matrix<double>.Build.DenseOfRowMajor(k, f, dictionary);
            var w = mask is null
                ? SparseEncoder.Encode(x, atoms, SparseCodingAlgorithm.Omp, s.NonzeroCoefficients, cancellationToken: s.CancellationToken)
                : SparseEncoder.EncodeWithMask(x, atoms, mask, SparseCodingAlgorithm.Omp, s.NonzeroCoefficients, cancellationToken: s.CancellationToken);
            var codes = MatrixStorage.ColumnMajor(w); // n × K, column t = the coefficients of atom t

            // R = Y − W·D, row by row; at missing entries Y is filled with W·D, so R is zero there.
            Array.Copy(y, r, y.Length);
            for (int t = 0; t < k; t++)
            {
                var atom = dictionary.AsSpan(t * f, f);
                for (int i = 0; i < n; i++)
                {
                    double c = codes[i + ((long)t * n)];
                    if (c != 0.0)
                    {
                        Kernels.Axpy(-c, atom, r.AsSpan(i * f, f));
                    }
                }
            }

            if (observed is not null)
            {
                ZeroMissing(r, observed, n, f);
            }

            Array.Clear(unusedScratch);
            int unused = 0;
            for (int t = 0; t < k; t++)
            {
                if ((t & 63) == 63)
                {
                    s.CancellationToken.ThrowIfCancellationRequested();
                }

                int m = 0;
                for (int i = 0; i < n; i++)
                {
                    double c = codes[i + ((long)t * n)];
                    if (c != 0.0)
                    {
                        rows[m] = i;
                        g[m++] = c;
                    }
                }

                var atom = dictionary.AsSpan(t * f, f);
                if (m == 0)
                {
                    unused++;
                    if (s.ReplaceUnusedAtoms)
                    {
                        ReplaceWithWorstSignal(r, n, f, atom, unusedScratch);
                    }

                    continue;
                }

                UpdateAtom(r, f, rows.AsSpan(0, m), g.AsSpan(0, m), atom, e, gram, s.Method);
                for (int q = 0; q < m; q++)
                {
                    codes[rows[q] + ((long)t * n)] = g[q];
                }
            }

            iteration++;
            double error = Math.Sqrt(observed is null ? Kernels.SquaredNorm(r) : ObservedSquaredNorm(r, observed, n, f));
            errors.Add(error);
            s.OnIteration?.Invoke(new KsvdIterationInfo(iteration, error, unused));
            if (Math.Abs(errors[^1] - errors[^2]) < s.Tolerance)
            {
                converged = true;
                break;
            }
        }

        return new Result([.. errors], iteration, converged);
    }

    /// <summary>
    /// One atom: E = R[rows] + g·dᵀ (the residual without the atom's part), then the new pair (g', d') by the method, and
    /// R[rows] = E − g'·d'ᵀ. An atom whose residual is zero is left as it is.
    /// </summary>
    private static void UpdateAtom(double[] r, int f, ReadOnlySpan<int> rows, Span<double> g, Span<double> atom, double[] e, double[] gram, KsvdMethod method)
    {
        int m = rows.Length;
        var block = e.AsSpan(0, m * f); // E row by row (m × f); column-major this is Eᵀ (f × m)
        for (int q = 0; q < m; q++)
        {
            var eq = block.Slice(q * f, f);
            r.AsSpan(rows[q] * f, f).CopyTo(eq);
            Kernels.Axpy(g[q], atom, eq);
        }

        var direction = new double[f];
        if (method == KsvdMethod.Approximate)
        {
            // d = Eᵀg / ‖Eᵀg‖, then g = E·d.
            Gemv.Multiply(f, m, 1.0, block, f, g, 0.0, direction);
        }
        else if (!LeadingRightSingularVector(block, m, f, atom, g, gram, direction))
        {
            return;
        }

        double norm = Math.Sqrt(Kernels.SquaredNorm(direction));
        if (!(norm > 0.0) || !double.IsFinite(norm))
        {
            return;
        }

        Kernels.Scal(1.0 / norm, direction);
        Gemv.MultiplyTransposed(f, m, 1.0, block, f, direction, 0.0, g);
        direction.CopyTo(atom);
        for (int q = 0; q < m; q++)
        {
            var rq = r.AsSpan(rows[q] * f, f);
            block.Slice(q * f, f).CopyTo(rq);
            Kernels.Axpy(-g[q], atom, rq);
        }
    }

    /// <summary>
    /// The leading right singular vector of E (m × f, row by row) into <paramref name="v"/> (unnormalised is fine): power
    /// iteration on the smaller of EᵀE (f × f, from the current atom) and E·Eᵀ (m × m, from the current coefficients, then
    /// v = Eᵀu). False when E is zero.
    /// </summary>
    private static bool LeadingRightSingularVector(ReadOnlySpan<double> e, int m, int f, ReadOnlySpan<double> atom, ReadOnlySpan<double> g, double[] gram, Span<double> v)
    {
        if (m >= f)
        {
            // C = EᵀE: with E row-major (the column-major f × m matrix Eᵀ), C = Eᵀ·(Eᵀ)ᵀ.
            var c = gram.AsSpan(0, f * f);
            Gemm.Multiply(false, true, f, f, m, 1.0, e, f, e, f, 0.0, c, f);
            return PowerIteration(c, f, atom, v);
        }

        // C = E·Eᵀ (m × m): Eᵀ is f × m column-major, so C = (Eᵀ)ᵀ·Eᵀ.
        var small = m * m <= gram.Length ? gram.AsSpan(0, m * m) : new double[m * m];
        Gemm.Multiply(true, false, m, m, f, 1.0, e, f, e, f, 0.0, small, m);
        var u = new double[m];
        if (!PowerIteration(small, m, g, u))
        {
            return false;
        }

        Gemv.Multiply(f, m, 1.0, e, f, u, 0.0, v);
        return true;
    }

    /// <summary>The leading eigenvector of the symmetric positive semidefinite C (size × size) from <paramref name="start"/>, normalised, into <paramref name="v"/>; false when C·start is zero.</summary>
    private static bool PowerIteration(ReadOnlySpan<double> c, int size, ReadOnlySpan<double> start, Span<double> v)
    {
        var next = new double[size];
        start.CopyTo(v);
        double norm = Math.Sqrt(Kernels.SquaredNorm(v));
        if (!(norm > 0.0))
        {
            return false;
        }

        Kernels.Scal(1.0 / norm, v);
        for (int step = 0; step < MaxPowerIterations; step++)
        {
            Gemv.Multiply(size, size, 1.0, c, size, v, 0.0, next);
            norm = Math.Sqrt(Kernels.SquaredNorm(next));
            if (!(norm > 0.0) || !double.IsFinite(norm))
            {
                return step > 0;
            }

            Kernels.Scal(1.0 / norm, next);
            double moved = 0.0;
            for (int i = 0; i < size; i++)
            {
                moved = Math.Max(moved, Math.Abs(next[i] - v[i]));
            }

            next.CopyTo(v);
            if (moved <= PowerTolerance)
            {
                break;
            }
        }

        return true;
    }

    /// <summary>An unused atom becomes the normalised residual of the worst-represented signal not yet taken in this iteration.</summary>
    private static void ReplaceWithWorstSignal(double[] r, int n, int f, Span<double> atom, bool[] taken)
    {
        int worst = -1;
        double largest = 0.0;
        for (int i = 0; i < n; i++)
        {
            if (taken[i])
            {
                continue;
            }

            double norm = Kernels.SquaredNorm(r.AsSpan(i * f, f));
            if (norm > largest)
            {
                largest = norm;
                worst = i;
            }
        }

        if (worst < 0)
        {
            return;
        }

        taken[worst] = true;
        r.AsSpan(worst * f, f).CopyTo(atom);
        Kernels.Scal(1.0 / Math.Sqrt(largest), atom);
    }

    private static void ZeroMissing(double[] r, double[] observed, int n, int f)
    {
        for (int j = 0; j < f; j++)
        {
            for (int i = 0; i < n; i++)
            {
                if (observed[i + ((long)j * n)] != 1.0)
                {
                    r[((long)i * f) + j] = 0.0;
                }
            }
        }
    }

    private static double ObservedSquaredNorm(double[] r, double[] observed, int n, int f)
    {
        double sum = 0.0;
        for (int j = 0; j < f; j++)
        {
            for (int i = 0; i < n; i++)
            {
                if (observed[i + ((long)j * n)] == 1.0)
                {
                    double v = r[((long)i * f) + j];
                    sum += v * v;
                }
            }
        }

        return sum;
    }
}
