// SPDX-License-Identifier: BSD-3-Clause
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Benchmarks.Shared;
using SparseModeling.Decomposition;

namespace SparseModeling.Benchmarks.Compare;

/// <summary>
/// Robust PCA against a NumPy restatement of Lin, Chen and Ma's <c>inexact_alm_rpca</c> in <c>Reference/sweep_bench.py</c>
/// (scikit-learn has no robust PCA): the same 10,000 × 200 matrix, the same stopping rule (their default, ‖M − L − S‖_F /
/// ‖M‖_F ≤ 1e-7, which recovers L and S to a relative error below 1e-6), each side's own singular value
/// thresholds (ours: the partial SVD of <see cref="RobustPca"/>; theirs: their <c>choosvd</c> rule, SciPy's <c>svds</c> in
/// place of PROPACK's <c>lansvd</c> for few triplets, LAPACK's thin SVD otherwise). Both report the recovery errors of
/// L and S, the iterations, the rank and the memory: the peak resident memory the first fit adds (<see cref="FitPeakMegabytes"/>),
/// and what one fit allocates (ours: managed bytes allocated; theirs: tracemalloc's peak, which NumPy's arrays report to).
/// </summary>
internal static class RobustPcaCases
{
    public static IEnumerable<CompareCase> All =>
    [
        new CompareCase("rpca_10000x200", "SparseModeling.RobustPca", () =>
        {
            var (m, l0, s0) = Problem();

            // Frames as rows (the library's layout): X = Mᵀ, 200 frames × 10,000 pixels; the decomposition is Mᵀ's.
            var x = m.Transpose();
            var rpca = new RobustPca();
            long allocated = 0;
            double peak = double.NaN;
            return PreparedCase.Of(
                () =>
                {
                    long before = GC.GetTotalAllocatedBytes(precise: true);
                    if (double.IsNaN(peak))
                    {
                        // The first fit of the process (the problem built, nothing fitted yet): its peak resident memory.
                        peak = FitPeakMegabytes(() => rpca.Fit(x));
                    }
                    else
                    {
                        rpca.Fit(x);
                    }

                    allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                    return rpca;
                },
                (model, _) => new JsonObject
                {
                    ["rel_err_L"] = (model.LowRank.Transpose() - l0).FrobeniusNorm() / l0.FrobeniusNorm(),
                    ["rel_err_S"] = (model.Sparse.Transpose() - s0).FrobeniusNorm() / s0.FrobeniusNorm(),
                    ["rank"] = model.Rank,
                    ["iterations"] = model.Iterations,
                    ["fit_alloc_mb"] = allocated / 1048576.0,
                    ["fit_peak_rss_mb"] = peak,
                });
        }, ReferenceSource.Sweep),
    ];

    /// <summary>
    /// The peak resident memory a fit adds, in MiB: after a full collection, the kernel's high-water mark is reset to the
    /// current resident set (<c>/proc/self/clear_refs</c>, 5) and read after the fit (<c>VmHWM</c> − <c>VmRSS</c> before).
    /// Taken on the first fit of the process, with the input resident, it is what the fit needs at its peak: workspace,
    /// results and garbage the collector has not yet reclaimed. NaN where the kernel offers no reset. The Python twin
    /// measures its first fit the same way.
    /// </summary>
    internal static double FitPeakMegabytes(Action fit)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }

        long baseline = StatusKilobytes("VmRSS");
        fit();
        return (StatusKilobytes("VmHWM") - baseline) / 1024.0;
    }

    private static long StatusKilobytes(string field)
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// M = L₀ + S₀, 10,000 × 200: L₀ = normal_matrix(81, 10000, 3)·normal_matrix(82, 3, 200) (rank 3); S₀ from generator(83),
    /// two uniform draws u, v per entry in row-major order: the entry is corrupted when u &lt; 0.05, with the value 20v − 10.
    /// </summary>
    internal static (Matrix<double> M, Matrix<double> L0, Matrix<double> S0) Problem()
    {
        const int Rows = 10000, Cols = 200;
        var l0 = BenchmarkData.NormalMatrix(81, Rows, 3) * BenchmarkData.NormalMatrix(82, 3, Cols);
        var generator = new SplitMix64(83);
        var s0 = Matrix<double>.Build.Dense(Rows, Cols);
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Cols; j++)
            {
                double u = generator.NextDouble(), v = generator.NextDouble();
                if (u < 0.05)
                {
                    s0[i, j] = (20.0 * v) - 10.0;
                }
            }
        }

        return (l0 + s0, l0, s0);
    }
}
