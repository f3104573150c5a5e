// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

/// <summary>
/// The NMF cases of issue 10: extreme scales give the unscaled factorisation scaled (the general property is in
/// <see cref="ScaleChecks"/>), β is limited to what the updates can compute, and a non-finite quantity of any NMF solver
/// throws <see cref="ArithmeticException"/> instead of deciding a stopping test.
/// </summary>
public class NmfScaleTests
{
    [Theory]
    [InlineData(1e300)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(10.5)]
    [InlineData(-10.5)]
    public void Beta_BeyondWhatTheUpdatesCompute_IsRejectedBySetter(double beta)
    {
        // Was: Beta = 1e300 accepted ("any finite β") and NaN components returned.
        foreach (NmfBase model in new NmfBase[] { new Nmf(), new MiniBatchNmf() })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Beta = beta);
            Assert.Equal("Beta", e.ParamName);
            Assert.Null(model.Beta);
        }
    }

    [Theory]
    [InlineData(10.0)]
    [InlineData(-10.0)]
    [InlineData(3.5)]
    public void Beta_AtTheEndsOfTheRange_FitsToFiniteFactors(double beta)
    {
        var x = Data() + 0.5;
        var nmf = new Nmf { ComponentCount = 3, Solver = NmfSolver.MultiplicativeUpdate, Beta = beta, RandomSeed = 1, MaxIterations = 50 };
        var w = nmf.FitTransform(x);
        Assert.All(w.Enumerate(), v => Assert.True(double.IsFinite(v)));
        Assert.All(nmf.Components.Enumerate(), v => Assert.True(double.IsFinite(v)));
        Assert.True(double.IsFinite(nmf.ReconstructionError));

        var mini = new MiniBatchNmf { ComponentCount = 3, Beta = beta, RandomSeed = 1, MaxIterations = 20, BatchSize = 10 }.Fit(x);
        Assert.All(mini.Components.Enumerate(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void NegativeBeta_PowersOverflowOnTinyEntries_ThrowsNamingBetaAndKeepsTheModel()
    {
        // β = −10 raises W·H to the powers −10 and −11: a sample of order 1e−40 (its row of W·H too) overflows them,
        // whatever the rescaling, which follows the largest entry.
        var x = Data() + 0.5;
        var nmf = new Nmf { ComponentCount = 3, Solver = NmfSolver.MultiplicativeUpdate, Beta = -10.0, RandomSeed = 1, MaxIterations = 50 };
        nmf.Fit(x);
        var before = nmf.Components.ToColumnMajorArray();
        var bad = x.Clone();
        bad.SetRow(3, x.Row(3) * 1e-40);
        var e = Assert.Throws<ArithmeticException>(() => nmf.Fit(bad));
        Assert.Contains("β = -10", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, nmf.Components.ToColumnMajorArray());
    }

    [Fact]
    public void CoordinateDescent_Times1e150_IsTheUnscaledFactorisationScaled()
    {
        // Was: Converged after 2 iterations at 50 times the unscaled error.
        var x = Data();
        var reference = new Nmf { ComponentCount = 3, Init = NmfInit.Nndsvd };
        var w = reference.FitTransform(x);
        var scaled = new Nmf { ComponentCount = 3, Init = NmfInit.Nndsvd };
        var ws = scaled.FitTransform(x * 1e150);
        Assert.Equal(reference.Iterations, scaled.Iterations);
        Assert.Equal(reference.Converged, scaled.Converged);
        Assert.Equal(reference.ReconstructionError, scaled.ReconstructionError / 1e150, 1e-10 * reference.ReconstructionError);
        TestAssert.AssertClose(w, ws / 1e75, 1e-10, "W");
        TestAssert.AssertClose(reference.Components, scaled.Components / 1e75, 1e-10, "H");
    }

    [Fact]
    public void Times1eMinus300_ReportsTheScaledErrorAndAReconstructionThatDidNotUnderflow()
    {
        // Was: reconstruction error 0 while W·H had underflowed to 0.
        var x = Data();
        var reference = new Nmf { ComponentCount = 3, Init = NmfInit.Nndsvd }.Fit(x);
        var scaled = new Nmf { ComponentCount = 3, Init = NmfInit.Nndsvd };
        var w = scaled.FitTransform(x * 1e-300);
        Assert.True(scaled.ReconstructionError > 0.0);
        Assert.Equal(reference.ReconstructionError, scaled.ReconstructionError / 1e-300, 1e-9 * reference.ReconstructionError);
        var reconstruction = scaled.InverseTransform(w);
        Assert.True((reconstruction * 1e300 - x).FrobeniusNorm() <= 1.01 * reference.ReconstructionError);
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(1e-300)]
    [InlineData(4.9e-324)]
    public void DefaultStart_ExtremeScale_FitsWithoutTheTruncatedSvdFailing(double c)
    {
        // Was (at 1e300): ArithmeticException from Math.Sign(NaN) inside the truncated SVD of the NNDSVD start.
        var x = Data();
        var model = new Nmf { ComponentCount = 3 };
        var w = model.FitTransform(c == 4.9e-324 ? x.Map(v => v > 1.0 ? c : 0.0) : x * c);
        Assert.All(w.Enumerate(), v => Assert.True(double.IsFinite(v)));
        Assert.All(model.Components.Enumerate(), v => Assert.True(double.IsFinite(v)));
        Assert.True(double.IsFinite(model.ReconstructionError));
    }

    [Fact]
    public void OnIteration_ExtremeScale_ReportsTheFactorsAndDivergenceInTheCallersUnits()
    {
        var x = Data() * 1e150;
        NmfIterationInfo? last = null;
        var nmf = new Nmf { ComponentCount = 3, Init = NmfInit.Nndsvd, Solver = NmfSolver.MultiplicativeUpdate, OnIteration = info => last = NmfTests.Read(info) };
        var w = nmf.FitTransform(x);
        TestAssert.AssertClose(w, last!.W, 1e-12, "W");
        TestAssert.AssertClose(nmf.Components, last.H, 1e-12, "H");
        Assert.Equal(nmf.ReconstructionError, Math.Sqrt(2.0 * last.Objective), 1e-9 * nmf.ReconstructionError);
    }

    [Fact]
    public void Solvers_OverflowingData_ThrowInsteadOfConverging()
    {
        // The cores on data the estimators would have rescaled: the Gram products overflow.
        int n = 6, m = 5, k = 2;
        var data = Enumerable.Range(0, n * m).Select(i => 1e300 * (1.0 + (i % 3))).ToArray();
        var settings = new NmfRunSettings(50, 1e-4, true, null, CancellationToken.None);
        var problem = new NmfProblem(data, n, m, k, 2.0);
        var e = Assert.Throws<ArithmeticException>(() => NmfCoordinateDescent.Run(problem, Ones(k * n, 1e150), Ones(k * m, 1e150), default, settings, null));
        Assert.Contains("NMF diverged", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArithmeticException>(() => NmfHals.Run(problem, Ones(k * n, 1e150), Ones(k * m, 1e150), default, settings));
        Assert.Throws<ArithmeticException>(() => NmfMultiplicativeUpdate.Run(problem, Ones(k * n, 1e150), Ones(k * m, 1e150), default, settings));
        var miniBatch = new NmfMiniBatch(new NmfMiniBatchSettings(3, 5, 1e-4, 10, 0.7, false, 10, 10, 0.0, 0.0, 0.0, null, CancellationToken.None));
        var mini = Assert.Throws<ArithmeticException>(() => miniBatch.Run(NmfInput.OfDense(data, n, m), k, 2.0, Ones(k * n, 1e150), Ones(k * m, 1e150), 1));
        Assert.Contains("cost", mini.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MiniBatch_PartialFitOnABatchOfAnotherScale_GivesFiniteComponentsOrAClearError()
    {
        var x = Data();
        var model = new MiniBatchNmf { ComponentCount = 3, BatchSize = 10, RandomSeed = 2, MaxIterations = 20 }.Fit(x);
        foreach (double c in new[] { 1e150, 1e-150, 1e300 })
        {
            var before = model.Components.ToColumnMajorArray();
            try
            {
                model.PartialFit(x.SubMatrix(0, 10, 0, x.ColumnCount) * c);
                Assert.All(model.Components.Enumerate(), v => Assert.True(double.IsFinite(v)));
            }
            catch (ArithmeticException e)
            {
                Assert.Contains("online statistics", e.Message, StringComparison.Ordinal);
                Assert.Equal(before, model.Components.ToColumnMajorArray());
            }
        }
    }

    private static double[] Ones(int length, double value) => Enumerable.Repeat(value, length).ToArray();

    /// <summary>30×8 non-negative data of rank about 3, plus a floor.</summary>
    private static Matrix<double> Data()
    {
        var rng = new SplitMix64(11);
        var w = Matrix<double>.Build.Dense(30, 3, (i, j) => rng.NextDouble());
        var h = Matrix<double>.Build.Dense(3, 8, (i, j) => 2.0 * rng.NextDouble());
        return (w * h) + Matrix<double>.Build.Dense(30, 8, (i, j) => 0.05 * rng.NextDouble());
    }
}
