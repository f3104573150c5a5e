// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;
using SparseModeling.Imaging;
using SparseModeling.LinearModel;
using SparseModeling.Manifold;
using SparseModeling.ModelSelection;
using SparseModeling.Preprocessing;

namespace SparseModeling.Tests;

/// <summary>
/// The scale checks (README, "The estimator contract"): a fit on c·X (and c·y) equals the fit on X and y with its
/// results scaled as the mathematics says, for c from 1e−150 to 1e150, and bit for bit when c is a power of two
/// (four for NMF) that takes data of unit scale outside the band the estimators rescale. Each case fits one
/// estimator (or path function) with its parameters scaled as the objective requires (α by c_X·c_y for an L1
/// penalty, ρ and L2 penalties by c_X², a squared-residual tolerance by c_y², NMF penalties by c^(β−½) and c^(β−1))
/// and returns its results divided by their expected scale, so that they can be compared with the unscaled fit.
/// Every public estimator must have a case (<see cref="EveryPublicEstimator_HasAScaleCase"/>).
/// </summary>
public class ScaleChecks
{
    /// <summary>The scale factors of the issue: ordinary, far and extreme.</summary>
    private static readonly double[] Factors = [1e-150, 1e-30, 1.0, 1e30, 1e150];

    /// <summary>Powers of four, outside every estimator's band: data of unit scale times these must come back bit for bit.</summary>
    private static readonly int[] PowerOfTwoExponents = [-400, -200, 200, 400];

    private static readonly Dictionary<string, ScaleCase> Cases = BuildCases().ToDictionary(c => c.Name);

    /// <summary>What a fit on (c_X·X, c_y·y) is compared on.</summary>
    public enum Scaling
    {
        /// <summary>X and y by the same factor.</summary>
        Both,

        /// <summary>X alone.</summary>
        XOnly,

        /// <summary>y alone.</summary>
        YOnly,
    }

    public static TheoryData<string, Scaling, double> ScaledFits()
    {
        var data = new TheoryData<string, Scaling, double>();
        foreach (var scaleCase in BuildCases())
        {
            foreach (var scaling in scaleCase.Scalings)
            {
                foreach (double c in Factors.Where(c => c != 1.0))
                {
                    data.Add(scaleCase.Name, scaling, c);
                }
            }
        }

        return data;
    }

    public static TheoryData<string, Scaling, int> PowerOfTwoFits()
    {
        var data = new TheoryData<string, Scaling, int>();
        foreach (var scaleCase in BuildCases())
        {
            foreach (var scaling in scaleCase.Scalings)
            {
                foreach (int k in PowerOfTwoExponents)
                {
                    data.Add(scaleCase.Name, scaling, k);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ScaledFits))]
    public void Fit_ScaledData_EqualsScaledFit(string name, Scaling scaling, double c)
    {
        var scaleCase = Cases[name];
        var (cx, cy) = Factor(scaling, c);
        var expected = scaleCase.Fit(1.0, 1.0);
        var actual = scaleCase.Fit(cx, cy);
        expected.AssertClose(actual, scaleCase.Tolerance, scaleCase.CompareCounts, scaleCase.ApproximateOnly, $"{name}, c_X = {cx:R}, c_y = {cy:R}");
    }

    [Theory]
    [MemberData(nameof(PowerOfTwoFits))]
    public void Fit_PowerOfTwoScaledData_IsBitIdentical(string name, Scaling scaling, int exponent)
    {
        var scaleCase = Cases[name];
        var (cx, cy) = Factor(scaling, Math.ScaleB(1.0, exponent));
        var expected = scaleCase.Fit(1.0, 1.0);
        var actual = scaleCase.Fit(cx, cy);
        expected.AssertIdentical(actual, $"{name}, c_X = 2^{(cx == 1.0 ? 0 : exponent)}, c_y = 2^{(cy == 1.0 ? 0 : exponent)}");
    }

    /// <summary>(c_X, c_y) at the ends of the double range, and pairs whose coefficients (of scale c_y/c_X) cannot be represented.</summary>
    public static TheoryData<Type, double, double> ExtremeFits()
    {
        var data = new TheoryData<Type, double, double>();
        (double, double)[] factors = [(1e300, 1.0), (1e-300, 1.0), (1.0, 1e300), (1.0, 1e-300), (1e150, 1e150), (1e-150, 1e-150), (1e300, 1e-300), (1e-300, 1e300), (1e-320, 1.0)];
        var types = typeof(IRegressor).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null
                && (typeof(IRegressor).IsAssignableFrom(t) || typeof(ITransformer).IsAssignableFrom(t) || typeof(IEmbedding).IsAssignableFrom(t)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in types)
        {
            foreach (var (cx, cy) in factors)
            {
                if (!typeof(IRegressor).IsAssignableFrom(type) && cy != 1.0)
                {
                    continue;
                }

                data.Add(type, cx, cy);
            }
        }

        return data;
    }

    /// <summary>
    /// Every estimator (found by reflection, with its defaults, α scaled by c_X·c_y and the sparsity set where it has them)
    /// fitted on data at the ends of the double range gives a right answer or a clear error: either an
    /// <see cref="ArithmeticException"/> (a result that cannot be represented, a divergence) or an
    /// <see cref="ArgumentOutOfRangeException"/> naming one of its parameters (one out of scale for this data, such as
    /// LassoAdmm's default ρ = 1 for X of order 1e150), or every fitted number finite (never a NaN gap or residual, converged
    /// or not) and, when it reports <see cref="IterativeEstimator.Converged"/>, the same quality of fit as on the unscaled data
    /// (R² of the predictions, or the relative reconstruction error); an embedding, whose result has no units, the same
    /// trustworthiness as on the unscaled data.
    /// </summary>
    [Theory]
    [MemberData(nameof(ExtremeFits))]
    public void Fit_ExtremeScale_RightAnswerOrClearError(Type type, double cx, double cy)
    {
        if (typeof(IRegressor).IsAssignableFrom(type))
        {
            var (x, y) = EstimatorChecks.RegressionData(31);
            y += Vector<double>.Build.Dense(y.Count, i => 0.1 * Math.Sin(i));
            double expected = R2(FitRegressor(type, x, y, 1.0, 1.0, out _), x, y, 1.0, 1.0);
            IRegressor? model = null;
            if (Outcome(() => model = FitRegressor(type, x * cx, y * cy, cx, cy, out _), type))
            {
                AssertFinite(model!);
                // With c_X = c_y every penalty scales as c² (α·c² is α's scaling); otherwise only L1 penalties follow α·c_X·c_y.
                if (model is IterativeEstimator { Converged: true } && cx == cy)
                {
                    Assert.True(Math.Abs(R2(model, x * cx, y, cx, cy) - expected) <= 1e-3, $"{type.Name} at c_X = {cx}, c_y = {cy}: R² {R2(model, x * cx, y, cx, cy)}, expected {expected}");
                }
            }
        }
        else if (typeof(IEmbedding).IsAssignableFrom(type))
        {
            var v = TransformerChecks.Data(31);
            IEmbedding Seeded()
            {
                var model = (IEmbedding)TestEstimators.Create(type, v.ColumnCount);
                if (model is IRandomized randomized)
                {
                    randomized.RandomSeed = 7;
                }

                return model;
            }

            double expected = Trustworthiness.Compute(v, Seeded().FitTransform(v), 5);
            IEmbedding? model = null;
            Matrix<double>? embedding = null;
            if (Outcome(() => embedding = (model = Seeded()).FitTransform(v * cx), type))
            {
                AssertFinite(model!);
                Assert.True(embedding!.Enumerate().All(double.IsFinite), $"{type.Name} at c = {cx}: non-finite embedding");
                double trust = Trustworthiness.Compute(v, embedding, 5);
                // Another local optimum (see the t-SNE scale cases), of the same quality.
                Assert.True(Math.Abs(trust - expected) <= 0.05, $"{type.Name} at c = {cx}: trustworthiness {trust}, expected {expected}");
            }
        }
        else
        {
            var v = TransformerChecks.Data(31);
            var reference = Scaled((ITransformer)TestEstimators.Create(type, v.ColumnCount), 1.0);
            var referenceCodes = reference.FitTransform(v);
            ITransformer? model = null;
            Matrix<double>? codes = null;
            if (Outcome(() => codes = (model = Scaled((ITransformer)TestEstimators.Create(type, v.ColumnCount), cx)).FitTransform(v * cx), type))
            {
                AssertFinite(model!);
                Assert.True(codes!.Enumerate().All(double.IsFinite), $"{type.Name} at c = {cx}: non-finite codes");

                // The quality of a factorisation; other transformers are held to finite results here.
                if (model is ComponentsTransformer && model is IterativeEstimator { Converged: true })
                {
                    double expected = RelativeError(reference, v, referenceCodes, 1.0);
                    double error = RelativeError(model!, v, codes!, cx);
                    // The default start is not scale-free (see the cases above): another local optimum, of the same quality or
                    // better (K-SVD's non-convex fit can land on a lower error from data rounded at another scale).
                    Assert.True(error - expected <= 0.01 + (0.05 * expected), $"{type.Name} at c = {cx}: relative error {error}, expected {expected}");
                }
            }
        }

        static IRegressor FitRegressor(Type type, Matrix<double> x, Vector<double> y, double cx, double cy, out bool converged)
        {
            var model = (IRegressor)TestEstimators.Create(type, x.ColumnCount);
            if (model is IRegularized regularized)
            {
                regularized.Alpha = 0.01 * cx * cy;
            }

            if (model is ISparsityConstrained constrained)
            {
                constrained.NonzeroCoefficients = 3;
            }

            // A pipeline's standard scaler takes c_X out: its Lasso's α scales with c_y alone, and it converged when the Lasso did.
            if (model is Pipeline pipeline && pipeline.Steps[^1].Estimator is IRegularized last)
            {
                last.Alpha = 0.01 * cy;
            }

            model.Fit(x, y);
            converged = model is Pipeline fitted ? ((IterativeEstimator)fitted.FittedSteps[^1].Estimator).Converged : ((IterativeEstimator)model).Converged;
            return model;
        }

        // A transformer with an L1 penalty in the units of its data (the dictionary learners) gets it scaled with the data; a
        // randomized one the same seed as its reference fit, so that the two differ by the scale alone.
        static ITransformer Scaled(ITransformer model, double c)
        {
            if (model is IRandomized randomized)
            {
                randomized.RandomSeed = 7;
            }

            if (model is IRegularized regularized)
            {
                regularized.Alpha *= c;
            }

            // K-SVD's tolerance is spm-image's absolute change of the error, in the units of the data.
            if (model is Ksvd ksvd)
            {
                ksvd.Tolerance *= c;
            }

            // Online robust PCA's two penalties are in the units of the data (defaults 1/√features).
            if (model is OnlineRobustPca online)
            {
                online.LowRankPenalty = c / Math.Sqrt(8);
                online.SparsePenalty = c / Math.Sqrt(8);
            }

            return model;
        }

        // R² of the predictions brought back to the unscaled units (Score itself squares c_y·y).
        static double R2(IRegressor model, Matrix<double> x, Vector<double> y, double cx, double cy)
        {
            var prediction = model.Predict(x) / cy;
            var residual = y - prediction;
            var centred = y - y.Average();
            return 1.0 - (residual.DotProduct(residual) / centred.DotProduct(centred));
        }

        // ‖X − W·H‖/‖X‖ from the codes and components brought back by √c each.
        static double RelativeError(ITransformer model, Matrix<double> v, Matrix<double> codes, double c)
        {
            var h = ((ComponentsTransformer)model).Components;
            var reconstruction = (codes / Math.Sqrt(c)) * (h / Math.Sqrt(c));
            return (v - reconstruction).FrobeniusNorm() / v.FrobeniusNorm();
        }
    }

    [Fact]
    public void EveryPublicEstimator_HasAScaleCase()
    {
        var contracts = new[] { typeof(IRegressor), typeof(ITransformer), typeof(IMultiTargetRegressor), typeof(IEmbedding) };
        var estimators = typeof(IRegressor).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && contracts.Any(c => c.IsAssignableFrom(t)))
            .Concat(DecompositionChecks.DecompositionTypes());
        var covered = BuildCases().Select(c => c.Type).ToHashSet();
        Assert.All(estimators, t => Assert.True(covered.Contains(t), $"{t.Name} has no case in {nameof(ScaleChecks)}."));
        Assert.Contains(typeof(LassoPath), covered);
        Assert.Contains(typeof(AdmmPath), covered);
        Assert.Contains(typeof(LarsPath), covered);
    }

    /// <summary>Runs a fit: true when it returned, false when it threw a clear error (see <see cref="Fit_ExtremeScale_RightAnswerOrClearError"/>).</summary>
    private static bool Outcome(Action fit, Type type)
    {
        try
        {
            fit();
            return true;
        }
        catch (ArithmeticException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.DoesNotContain("Math.Sign", e.StackTrace ?? string.Empty, StringComparison.Ordinal);
            return false;
        }
        catch (ArgumentOutOfRangeException e) when (type.GetProperty(e.ParamName ?? string.Empty) is not null)
        {
            return false;
        }
    }

    /// <summary>Every public fitted number (double, vector, matrix properties) of a fitted estimator is finite.</summary>
    private static void AssertFinite(object model)
    {
        foreach (var property in model.GetType().GetProperties().Where(p => p.CanRead && !p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            object? value;
            try
            {
                value = property.GetValue(model);
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is InvalidOperationException)
            {
                continue; // a member of another kind of fit (the single-target view of a multi-target model)
            }

            var numbers = value switch
            {
                double d => [d],
                Vector<double> v => v.ToArray(),
                Matrix<double> m => m.ToColumnMajorArray(),
                _ => [],
            };
            Assert.True(numbers.All(double.IsFinite), $"{model.GetType().Name}.{property.Name} holds a non-finite value ({string.Join(", ", numbers.Where(d => !double.IsFinite(d)).Take(3))}), converged {(model is IterativeEstimator iterative ? iterative.Converged : "n/a")}.");
        }
    }

    private static (double Cx, double Cy) Factor(Scaling scaling, double c) => scaling switch
    {
        Scaling.Both => (c, c),
        Scaling.XOnly => (c, 1.0),
        _ => (1.0, c),
    };

    /// <summary>A regression problem (40×6, three relevant features, noise) whose X and y have their largest entries in [1, 2).</summary>
    private static (Matrix<double> X, Vector<double> Y) Regression()
    {
        var rng = new SplitMix64(2024);
        var x = Matrix<double>.Build.Dense(40, 6, (i, j) => rng.NextNormal());
        var w = Vector<double>.Build.DenseOfArray([1.5, 0.0, -2.0, 0.0, 0.7, 0.0]);
        var y = (x * w) + 3.0 + Vector<double>.Build.Dense(40, _ => 0.3 * rng.NextNormal());
        return (UnitScale(x), UnitScale(y));
    }

    /// <summary>Non-negative data (30×8, entries in [0.05, 1.05) then brought to largest entry in [1, 2)) with a rank-3 structure.</summary>
    private static Matrix<double> NonNegative()
    {
        var rng = new SplitMix64(77);
        var w = Matrix<double>.Build.Dense(30, 3, (i, j) => rng.NextDouble());
        var h = Matrix<double>.Build.Dense(3, 8, (i, j) => rng.NextDouble());
        var x = (w * h) + Matrix<double>.Build.Dense(30, 8, (i, j) => 0.05 + (0.1 * rng.NextDouble()));
        return UnitScale(x);
    }

    private static Matrix<double> UnitScale(Matrix<double> x) => x * Math.ScaleB(1.0, -Math.ILogB(x.Enumerate().Max(Math.Abs)));

    private static Vector<double> UnitScale(Vector<double> y) => y * Math.ScaleB(1.0, -Math.ILogB(y.AbsoluteMaximum()));

    private static IEnumerable<ScaleCase> BuildCases()
    {
        var (x, y) = Regression();
        int n = x.RowCount;
        Scaling[] all = [Scaling.Both, Scaling.XOnly, Scaling.YOnly];
        double Ss(Vector<double> v) => (v - v.Average()).DotProduct(v - v.Average()) / v.Count;
        double yVariance = Ss(y);

        Fitted Linear(Vector<double> w, double b, double cx, double cy) => new Fitted()
            .Add("coefficients", (w * (cx / cy)).ToArray())
            .Add("intercept", [b / cy], unit: y.AbsoluteMaximum());

        yield return new(typeof(Lasso), "Lasso", all, (cx, cy) =>
        {
            var m = new Lasso { Alpha = 0.02 * cx * cy }.Fit(x * cx, y * cy);
            return Linear(m.Coefficients, m.Intercept, cx, cy).Add("gap", [m.DualGap / (cy * cy)], unit: yVariance).Count(m.Iterations, m.Converged);
        });
        // A pipeline's standard scaler takes c_X out: its Lasso's α scales with c_y, its coefficients (in standardised units) by 1/c_y.
        yield return new(typeof(Pipeline), "Pipeline", all, (cx, cy) =>
        {
            var m = new Pipeline(("scale", new StandardScaler()), ("lasso", new Lasso { Alpha = 0.02 * cy })).Fit(x * cx, y * cy);
            var lasso = m.FittedStep<Lasso>("lasso");
            return new Fitted()
                .Add("coefficients", (lasso.Coefficients / cy).ToArray())
                .Add("intercept", [lasso.Intercept / cy], unit: y.AbsoluteMaximum())
                .Add("prediction", (m.Predict(x * cx) / cy).ToArray())
                .Count(lasso.Iterations, lasso.Converged);
        });
        yield return new(typeof(ElasticNet), "ElasticNet", [Scaling.Both], (cx, cy) =>
        {
            var m = new ElasticNet { Alpha = 0.02 * cx * cy, L1Ratio = 0.7 }.Fit(x * cx, y * cy);
            return Linear(m.Coefficients, m.Intercept, cx, cy).Add("gap", [m.DualGap / (cy * cy)], unit: yVariance).Count(m.Iterations, m.Converged);
        });
        yield return new(typeof(ElasticNetCV), "ElasticNetCV", [Scaling.Both], (cx, cy) =>
        {
            var m = new ElasticNetCV { Folds = 3, AlphaCount = 15, L1Ratios = [0.5, 1.0] }.Fit(x * cx, y * cy);
            return Linear(m.Coefficients, m.Intercept, cx, cy)
                .Add("alphas", (m.Alphas / (cx * cy)).ToColumnMajorArray())
                .Add("best alpha", [m.BestAlpha / (cx * cy)])
                .Add("mse", (m.MseMeans / (cy * cy)).ToColumnMajorArray())
                .Count(m.Iterations, m.Converged);
        });
        yield return new(typeof(LassoCV), "LassoCV", all, (cx, cy) =>
        {
            var m = new LassoCV { Folds = 3, AlphaCount = 15 }.Fit(x * cx, y * cy);
            return Linear(m.Coefficients, m.Intercept, cx, cy)
                .Add("alphas", (m.Alphas / (cx * cy)).ToArray())
                .Add("best alpha", [m.BestAlpha / (cx * cy)])
                .Add("mse", (m.MsePath / (cy * cy)).ToColumnMajorArray())
                .Count(m.Iterations, m.Converged);
        });
        yield return new(typeof(LassoIsta), "LassoIsta", all, (cx, cy) =>
        {
            var m = new LassoIsta { Alpha = 0.02 * cx * cy, Tolerance = 1e-10 }.Fit(x * cx, y * cy);
            return Linear(m.Coefficients, m.Intercept, cx, cy).Add("gap", [m.DualGap / (cy * cy)], unit: yVariance).Count(m.Iterations, m.Converged);
        })
        {
            // FISTA's restart compares objectives of successive iterates: data rounded at another scale may restart
            // one iteration apart, which moves the iterate by the tolerance, not by rounding.
            Tolerance = 1e-6,
            CompareCounts = false,
        };
        // ADMM starts from z = Xᵀy/n (spm-image's start), which is in the units of Xᵀy, not of w: fits on rescaled data take
        // another path to the optimum, so they agree to the tolerance of the stopping rule, tightened here.
        yield return new(typeof(LassoAdmm), "LassoAdmm", all, (cx, cy) =>
        {
            var m = new LassoAdmm { Alpha = 0.02 * cx * cy, Rho = cx * cx, Tolerance = 1e-12, MaxIterations = 100_000 }.Fit(x * cx, y * cy);
            return Linear(m.Coefficients, m.Intercept, cx, cy).Count(m.Iterations, m.Converged);
        })
        {
            Tolerance = 1e-8,
            CompareCounts = false,
        };
        // The generalized Lasso family starts as spm-image from w = Xᵀy/n, as LassoAdmm: compared to its tightened tolerance.
        Matrix<double> graph = Matrix<double>.Build.Sparse(x.ColumnCount + 2, x.ColumnCount, (i, j) => i < x.ColumnCount ? (i == j ? 0.5 : 0.0) : j == 2 * (i - x.ColumnCount) ? 1.0 : j == (2 * (i - x.ColumnCount)) + 3 ? -1.0 : 0.0);
        foreach (var (type, create) in new (Type, Func<GeneralizedLassoBase>)[]
        {
            (typeof(GeneralizedLassoAdmm), () => new GeneralizedLassoAdmm { TransformMatrix = graph }),
            (typeof(FusedLassoAdmm), () => new FusedLassoAdmm { SparseCoefficient = 0.5 }),
            (typeof(TrendFilteringAdmm), () => new TrendFilteringAdmm { SparseCoefficient = 0.5 }),
            (typeof(QuadraticTrendFilteringAdmm), () => new QuadraticTrendFilteringAdmm { SparseCoefficient = 0.5 }),
        })
        {
            yield return new(type, type.Name, all, (cx, cy) =>
            {
                var m = create();
                m.Alpha = 0.02 * cx * cy;
                m.Rho = cx * cx;
                m.Tolerance = 1e-12;
                m.MaxIterations = 100_000;
                ((IRegressor)m).Fit(x * cx, y * cy);
                return Linear(m.Coefficients, m.Intercept, cx, cy).Count(m.Iterations, m.Converged);
            })
            {
                Tolerance = 1e-8,
                CompareCounts = false,
            };
        }

        // HMLasso on the same data with 30% of the entries missing (NaN stays NaN when scaled): μ of the Lasso step is a
        // curvature (c_X²), the projection's μ, weights and relative floor are free of units. Residual rules, tightened.
        var missing = x.Map2((v, k) => k > 0.0 ? double.NaN : v, Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => ((7 * i) + (3 * j)) % 10 < 3 ? 1.0 : 0.0));
        yield return new(typeof(HMLasso), "HMLasso", all, (cx, cy) =>
        {
            var m = new HMLasso { Alpha = 0.02 * cx * cy, MuCoefficient = cx * cx, Tolerance = 1e-12, MaxIterations = 100_000, CovarianceTolerance = 1e-12, MaxCovarianceIterations = 100_000 }.Fit(missing * cx, y * cy);
            return Linear(m.Coefficients, m.Intercept, cx, cy).Count(m.Iterations, m.Converged);
        })
        {
            Tolerance = 1e-8,
            CompareCounts = false,
        };
        yield return new(typeof(Lars), "Lars", all, (cx, cy) =>
        {
            var m = new Lars { NonzeroCoefficients = 3 }.Fit(x * cx, y * cy);
            return Linear(m.Coefficients, m.Intercept, cx, cy).Add("alphas", (m.Alphas / (cx * cy)).ToArray()).Count(m.Iterations, m.Converged);
        });
        yield return new(typeof(LassoLars), "LassoLars", all, (cx, cy) =>
        {
            var m = new LassoLars { Alpha = 0.02 * cx * cy }.Fit(x * cx, y * cy);
            return Linear(m.Coefficients, m.Intercept, cx, cy).Add("alphas", (m.Alphas / (cx * cy)).ToArray()).Count(m.Iterations, m.Converged);
        });
        yield return new(typeof(LassoLarsCV), "LassoLarsCV", all, (cx, cy) =>
        {
            var m = new LassoLarsCV { Folds = 3 }.Fit(x * cx, y * cy);
            return Linear(m.Coefficients, m.Intercept, cx, cy)
                .Add("alphas", (m.Alphas / (cx * cy)).ToArray())
                .Add("best alpha", [m.BestAlpha / (cx * cy)])
                .Add("mse", (m.MsePath / (cy * cy)).ToColumnMajorArray())
                .Count(m.Iterations, m.Converged);
        });
        yield return new(typeof(LassoLarsIC), "LassoLarsIC", all, (cx, cy) =>
        {
            var m = new LassoLarsIC { Criterion = InformationCriterion.Bic }.Fit(x * cx, y * cy);

            // The criterion n·ln(2πσ²) + RSS/σ² + c·df shifts by n·ln(c_y²) when σ² scales by c_y².
            var criterion = m.CriterionValues.ToArray().Select(v => v - (n * Math.Log(cy * cy))).ToArray();
            return Linear(m.Coefficients, m.Intercept, cx, cy)
                .Add("best alpha", [m.BestAlpha / (cx * cy)])
                .Add("criterion", criterion, exact: false)
                .Add("noise variance", [m.FittedNoiseVariance / (cy * cy)])
                .Count(m.Iterations, m.Converged);
        })
        {
            // The shift n·ln(c_y²) is itself rounded at the criterion's magnitude.
            Tolerance = 1e-9,
        };
        yield return new(typeof(OrthogonalMatchingPursuit), "OrthogonalMatchingPursuit", all, (cx, cy) =>
        {
            var m = new OrthogonalMatchingPursuit { NonzeroCoefficients = 3 }.Fit(x * cx, y * cy);
            return Linear(m.Coefficients, m.Intercept, cx, cy).Add("rss", [m.ResidualSquaredNorm / (cy * cy)], unit: n * yVariance).Count(m.Iterations, m.Converged);
        });
        yield return new(typeof(OrthogonalMatchingPursuit), "OrthogonalMatchingPursuit(Tolerance)", all, (cx, cy) =>
        {
            var m = new OrthogonalMatchingPursuit { Tolerance = 0.5 * n * yVariance * cy * cy }.Fit(x * cx, y * cy);
            return Linear(m.Coefficients, m.Intercept, cx, cy).Add("rss", [m.ResidualSquaredNorm / (cy * cy)], unit: n * yVariance).Count(m.Iterations, m.Converged);
        });
        yield return new(typeof(LassoPath), "LassoPath", all, (cx, cy) =>
        {
            var path = LassoPath.Compute(x * cx, y * cy, alphaCount: 12, fitIntercept: true);
            return new Fitted()
                .Add("alphas", (path.Alphas / (cx * cy)).ToArray())
                .Add("coefficients", (path.Coefficients * (cx / cy)).ToColumnMajorArray())
                .Add("intercepts", (path.Intercepts / cy).ToArray(), unit: y.AbsoluteMaximum())
                .Add("gaps", (path.DualGaps / (cy * cy)).ToArray(), unit: yVariance)
                .Count(path.Iterations.Sum(), path.Converged.All(c => c));
        })
        {
            // Some of the warm-started solves end within rounding of the gap tolerance: one may take a pass more.
            CompareCounts = false,
        };
        yield return new(typeof(AdmmPath), "AdmmPath", all, (cx, cy) =>
        {
            var path = AdmmPath.Compute(x * cx, y * cy, alphaCount: 8, rho: cx * cx, tolerance: 1e-12, maxIterations: 100_000);
            return new Fitted()
                .Add("alphas", (path.Alphas / (cx * cy)).ToArray())
                .Add("coefficients", (path.Coefficients * (cx / cy)).ToColumnMajorArray())
                .Add("intercepts", (path.Intercepts / cy).ToArray(), unit: y.AbsoluteMaximum())
                .Count(path.Iterations.Sum(), path.Converged.All(c => c));
        })
        {
            Tolerance = 1e-8,
            CompareCounts = false,
        };
        yield return new(typeof(LarsPath), "LarsPath", all, (cx, cy) =>
        {
            var path = LarsPath.Compute(x * cx, y * cy, LarsMethod.Lasso, fitIntercept: true);
            return new Fitted()
                .Add("alphas", (path.Alphas / (cx * cy)).ToArray())
                .Add("coefficients", (path.Coefficients * (cx / cy)).ToColumnMajorArray())
                .Add("intercepts", (path.Intercepts / cy).ToArray(), unit: y.AbsoluteMaximum())
                .Count(path.Iterations.Sum(), path.Converged.All(c => c));
        });

        var v = NonNegative();

        // W and H each scale by √c; √(2·D_β) by c^(β/2).
        Fitted Factorisation(ComponentsTransformer model, Matrix<double> w, double error, double c, double beta) => new Fitted()
            .Add("W", (w / Math.Sqrt(c)).ToColumnMajorArray())
            .Add("H", (model.Components / Math.Sqrt(c)).ToColumnMajorArray())
            .Add("error", [error / Math.Pow(c, beta / 2.0)])
            .Count(model.Iterations, model.Converged);

        foreach (var (solver, init, beta) in new (NmfSolver, NmfInit, double)[]
                 {
                     (NmfSolver.CoordinateDescent, NmfInit.Nndsvd, 2.0),
                     (NmfSolver.Hals, NmfInit.Random, 2.0),
                     (NmfSolver.MultiplicativeUpdate, NmfInit.Nndsvd, 2.0),
                     (NmfSolver.MultiplicativeUpdate, NmfInit.Random, 1.0),
                     (NmfSolver.MultiplicativeUpdate, NmfInit.Nndsvd, 0.5),
                     (NmfSolver.MultiplicativeUpdate, NmfInit.Random, 0.0),
                     (NmfSolver.MultiplicativeUpdate, NmfInit.Random, 3.0),
                 })
        {
            yield return new(typeof(Nmf), $"Nmf({solver}, {init}, β = {beta})", [Scaling.XOnly], (c, _) =>
            {
                var m = new Nmf { ComponentCount = 3, Solver = solver, Init = init, Beta = beta, RandomSeed = 5, MaxIterations = 300 };
                var w = m.FitTransform(v * c);
                return Factorisation(m, w, m.ReconstructionError, c, beta);
            });
        }

        // Penalties: pure L2 scales as c^(β−1), pure L1 as c^(β−½) (β = 2 here).
        yield return new(typeof(Nmf), "Nmf(CoordinateDescent, L2 penalty)", [Scaling.XOnly], (c, _) =>
        {
            var m = new Nmf { ComponentCount = 3, Init = NmfInit.Nndsvd, AlphaW = 0.01 * c, L1Ratio = 0.0 };
            var w = m.FitTransform(v * c);
            return Factorisation(m, w, m.ReconstructionError, c, 2.0);
        });
        yield return new(typeof(Nmf), "Nmf(MultiplicativeUpdate, L1 penalty)", [Scaling.XOnly], (c, _) =>
        {
            var m = new Nmf { ComponentCount = 3, Solver = NmfSolver.MultiplicativeUpdate, Init = NmfInit.Nndsvd, AlphaW = 0.001 * Math.Pow(c, 1.5), L1Ratio = 1.0 };
            var w = m.FitTransform(v * c);
            return Factorisation(m, w, m.ReconstructionError, c, 2.0);
        });

        // A custom start scales with the data, and Transform codes new data at any scale.
        yield return new(typeof(Nmf), "Nmf(custom start, Transform)", [Scaling.XOnly], (c, _) =>
        {
            var rng = new SplitMix64(3);
            var w0 = Matrix<double>.Build.Dense(v.RowCount, 3, (i, j) => 0.1 + rng.NextDouble());
            var h0 = Matrix<double>.Build.Dense(3, v.ColumnCount, (i, j) => 0.1 + rng.NextDouble());
            var m = new Nmf { ComponentCount = 3, Init = NmfInit.Custom, InitialW = w0 * Math.Sqrt(c), InitialH = h0 * Math.Sqrt(c) };
            var w = m.FitTransform(v * c);
            var coded = m.Transform(v.SubMatrix(0, 10, 0, v.ColumnCount) * c);
            return Factorisation(m, w, m.ReconstructionError, c, 2.0).Add("transform", (coded / Math.Sqrt(c)).ToColumnMajorArray());
        });

        // The default start (NNDSVDa fills zeros with the mean of X, which scales as c rather than √c) is not
        // equivariant, nor is MiniBatchNmf's start of its online statistics (A = H, B = 1, and B in the units of the
        // denominators): both hold exactly at powers of four, where the rescaled data is the unit-scale data itself, and
        // approximately elsewhere (the reconstruction error to 1%; the factors, a different local optimum of the same quality,
        // by a few percent).
        yield return new(typeof(Nmf), "Nmf(default start)", [Scaling.XOnly], (c, _) =>
        {
            var m = new Nmf { ComponentCount = 3 };
            var w = m.FitTransform(v * c);
            return Factorisation(m, w, m.ReconstructionError, c, 2.0);
        })
        {
            Tolerance = 1e-2,
            CompareCounts = false,
            ApproximateOnly = "error",
        };
        foreach (var loss in new[] { NmfLoss.Frobenius, NmfLoss.KullbackLeibler })
        {
            double beta = loss == NmfLoss.Frobenius ? 2.0 : 1.0;
            yield return new(typeof(MiniBatchNmf), $"MiniBatchNmf({loss})", [Scaling.XOnly], (c, _) =>
            {
                var m = new MiniBatchNmf { ComponentCount = 3, Loss = loss, Init = NmfInit.Nndsvd, BatchSize = 10, RandomSeed = 4, MaxIterations = 50 };
                var w = m.FitTransform(v * c);
                m.PartialFit(v.SubMatrix(0, 12, 0, v.ColumnCount) * c);
                var coded = m.Transform(v.SubMatrix(0, 10, 0, v.ColumnCount) * c);
                return Factorisation(m, w, m.ReconstructionError, c, beta).Add("transform", (coded / Math.Sqrt(c)).ToColumnMajorArray());
            })
            {
                Tolerance = 1e-2,
                CompareCounts = false,
                ApproximateOnly = "error",
            };
        }
        foreach (var scaleCase in CodingCases(x, n))
        {
            yield return scaleCase;
        }

        foreach (var scaleCase in ScalerCases(x))
        {
            yield return scaleCase;
        }

        foreach (var scaleCase in DecompositionCases())
        {
            yield return scaleCase;
        }

        foreach (var scaleCase in EmbeddingCases())
        {
            yield return scaleCase;
        }

        // Super-resolution is positively homogeneous: the dictionaries do not depend on the scale of the training images, and
        // upscaling c·Y gives c times the upscaling of Y.
        var images = ScaleImages();
        yield return new(typeof(SparseSuperResolution), "SparseSuperResolution", [Scaling.XOnly], (c, _) =>
        {
            var m = new SparseSuperResolution { ComponentCount = 6, TrainingPatches = 300, MaxIterations = 3, BackProjectionIterations = 5, RandomSeed = 5 }.Fit([images.Train * c]);
            return new Fitted()
                .Add("low-resolution atoms", m.LowResolutionDictionary.ToColumnMajorArray())
                .Add("high-resolution atoms", m.HighResolutionDictionary.ToColumnMajorArray())
                .Add("upscaled", (m.Upscale(images.Test * c) / c).ToColumnMajorArray())
                .Count(m.Iterations, m.Converged);
        })
        {
            Tolerance = 1e-8,
        };
    }

    /// <summary>A 40×40 training image and a 12×12 test image with edges and texture, largest entry in [1, 2).</summary>
    private static (Matrix<double> Train, Matrix<double> Test) ScaleImages()
    {
        var rng = new SplitMix64(808);
        var train = Matrix<double>.Build.Dense(40, 40, (i, j) => (i + j > 37 ? 1.0 : 0.2) + (0.3 * Math.Sin(i * 0.9) * Math.Cos(j * 0.4)) + (0.05 * rng.NextDouble()));
        var test = Matrix<double>.Build.Dense(12, 12, (i, j) => (i > j ? 1.0 : 0.3) + (0.1 * rng.NextDouble()));
        return (UnitScale(train), UnitScale(test));
    }

    /// <summary>
    /// Robust PCA: principal component pursuit is homogeneous — the parts of c·X are c·L and c·S, with λ and the scale-free
    /// first penalty μ₀ = 1.25/‖X‖₂ unchanged — so every fitted part divided by c equals the unit-scale fit.
    /// </summary>
    private static IEnumerable<ScaleCase> DecompositionCases()
    {
        var (data, _, _) = Decomposition.RobustPcaTests.Problem(30, 20, 2, 0.1, seed: 8);
        var x = UnitScale(data);
        yield return new(typeof(RobustPca), "RobustPca", [Scaling.XOnly], (c, _) =>
        {
            var m = new RobustPca().Fit(x * c);
            return new Fitted()
                .Add("low rank", (m.LowRank / c).ToColumnMajorArray())
                .Add("sparse", (m.Sparse / c).ToColumnMajorArray(), unit: 1.0)
                .Add("singular values", (m.SingularValues / c).ToArray())
                .Add("components", m.Components.ToColumnMajorArray())
                .Add("rank and residual", [m.Rank, m.RelativeResidual], unit: 1.0)
                .Count(m.Iterations, m.Converged);
        })
        {
            // Data rounded at another scale take the same iterations to a result that differs by the rounding of the
            // iterates, amplified by the stopping rule's 1e-7: not by the scale.
            Tolerance = 1e-8,
        };

        // Online robust PCA: with both penalties scaled by c, the basis and the codes scale by √c, the sparse parts by c (the
        // start is scaled to the first sample), bit for bit at powers of four. Elsewhere only approximately: the factored
        // problem is invariant to rotations of the basis (L·Q, Qᵀ·r), along which the stochastic steps drift, and a perturbation
        // of rounding size changes the basis and the parts by percents after 30 samples (as it does at c = 1 + 1e-7); the
        // quality of the split, ‖X − L − S‖_F / ‖X‖_F, agrees to a few percent (3% measured).
        var frames = NonNegative();
        yield return new(typeof(OnlineRobustPca), "OnlineRobustPca(Fit, PartialFit)", [Scaling.XOnly], (c, _) =>
        {
            var m = new OnlineRobustPca { ComponentCount = 3, LowRankPenalty = 0.05 * c, SparsePenalty = 0.1 * c, MaxIterations = 2, RandomSeed = 4 };
            var codes = m.FitTransform(frames * c);
            m.PartialFit(frames.Row(3) * c);
            var scaled = frames * c;
            var parts = m.Decompose(scaled);
            double residual = (scaled - parts.LowRank - parts.Sparse).FrobeniusNorm() / scaled.FrobeniusNorm();
            return new Fitted()
                .Add("components", (m.Components / Math.Sqrt(c)).ToColumnMajorArray())
                .Add("codes", (codes / Math.Sqrt(c)).ToColumnMajorArray())
                .Add("decomposed codes", (parts.Codes / Math.Sqrt(c)).ToColumnMajorArray())
                .Add("sparse", (parts.Sparse / c).ToColumnMajorArray(), unit: 1.0)
                .Add("residual", [residual])
                .Count(m.Iterations, m.Converged);
        })
        {
            Tolerance = 5e-2,
            ApproximateOnly = "residual",
        };
    }

    /// <summary>(c, every decomposition) at the ends of the double range.</summary>
    public static TheoryData<Type, double> ExtremeDecompositionFits()
    {
        var data = new TheoryData<Type, double>();
        foreach (var type in DecompositionChecks.DecompositionTypes())
        {
            foreach (double c in new[] { 1e300, 1e-300, 1e150, 1e-150, 1e-320 })
            {
                data.Add(type, c);
            }
        }

        return data;
    }

    /// <summary>
    /// Every decomposition fitted on data at the ends of the double range (c·|N(0, 1)|, 30×8) gives a clear error
    /// (<see cref="ArithmeticException"/>) or finite fitted members; robust PCA's parts, when it converged, add up to the
    /// data to its tolerance (checked after an exact power-of-two rescaling, so that the check itself neither overflows nor
    /// underflows).
    /// </summary>
    [Theory]
    [MemberData(nameof(ExtremeDecompositionFits))]
    public void Fit_ExtremeScale_Decomposition_RightAnswerOrClearError(Type type, double c)
    {
        var x = TransformerChecks.Data(31) * c;
        var model = (Estimator)TestEstimators.Create(type, x.ColumnCount);
        if (!Outcome(() => DecompositionChecks.Fit(model, x), type))
        {
            return;
        }

        AssertFinite(model);
        if (model is RobustPca { Converged: true } rpca)
        {
            int e = -Math.ILogB(x.Enumerate().Max(Math.Abs));
            Matrix<double> Unit(Matrix<double> m) => m.Map(v => Math.ScaleB(v, e));
            var xs = Unit(x);
            double residual = (xs - Unit(rpca.LowRank) - Unit(rpca.Sparse)).FrobeniusNorm() / xs.FrobeniusNorm();
            Assert.True(residual <= 1e-6, $"{type.Name} at c = {c}: ‖X − L − S‖/‖X‖ = {residual:E2}");
        }
    }

    /// <summary>
    /// t-SNE: P depends on the data only through each sample's squared distances relative to their mean (the perplexity
    /// calibration bisects on those, see <c>Affinities</c>), the data are brought to unit scale by a power of two before
    /// anything else, and the embedding has no units. So a fit on c·X is the fit on X bit for bit when c is a power of two
    /// (the transform of c·X_new too). For other c the data at unit scale differ from X's in their last bits, and gradient
    /// descent on t-SNE's non-convex objective carries such differences into another local optimum of the same quality (it is
    /// as sensitive to the last bits of a start as to the seed of a random one): there the KL divergence is compared, to 0.01
    /// nat (it is about 0.02 here).
    /// The FFT-interpolation method shares P and the start with these two (and a 40-sample fit costs its 400 × 400 grid).
    /// </summary>
    private static IEnumerable<ScaleCase> EmbeddingCases()
    {
        // Four clusters of ten samples in 6 dimensions, largest entry in [1, 2).
        var rng = new SplitMix64(909);
        var centres = Matrix<double>.Build.Dense(4, 6, (_, _) => 6.0 * rng.NextNormal());
        var x = UnitScale(Matrix<double>.Build.Dense(40, 6, (i, j) => centres[i % 4, j] + rng.NextNormal()));
        foreach (var method in new[] { TSneMethod.BarnesHut, TSneMethod.Exact })
        {
            yield return new(typeof(TSne), $"TSne({method})", [Scaling.XOnly], (c, _) =>
            {
                var m = new TSne { Method = method, Perplexity = 8, RandomSeed = 1 };
                var embedding = m.FitTransform(x * c);
                var placed = m.Transform(x.SubMatrix(0, 6, 0, x.ColumnCount) * c);
                return new Fitted()
                    .Add("embedding", embedding.ToColumnMajorArray())
                    .Add("KL divergence", [m.KlDivergence], unit: 1.0)
                    .Add("transform", placed.ToColumnMajorArray())
                    .Count(m.Iterations, m.Converged);
            })
            {
                Tolerance = 0.01,
                CompareCounts = false,
                ApproximateOnly = "KL divergence",
            };
        }
    }

    /// <summary>
    /// Sparse coding and dictionary learning: a code of c·x is c times the code of x when its L1 penalty is scaled by c
    /// (OMP's tolerance on the squared residual by c²), the atoms (unit vectors) are the same, objectives scale by c².
    /// For the coders c_X scales the signals and c_y the dictionary: codes then scale as c_X/c_y (thresholding, a soft
    /// threshold of D·x, as c_X·c_y), penalties as c_X·c_y.
    /// </summary>
    private static IEnumerable<ScaleCase> CodingCases(Matrix<double> x, int n)
    {
        var rng = new SplitMix64(606);
        var dictionary = Matrix<double>.Build.Dense(10, x.ColumnCount, (_, _) => rng.NextNormal());
        for (int a = 0; a < dictionary.RowCount; a++)
        {
            dictionary.SetRow(a, dictionary.Row(a).Normalize(2));
        }

        Scaling[] all = [Scaling.Both, Scaling.XOnly, Scaling.YOnly];
        foreach (var (algorithm, alpha) in new (SparseCodingAlgorithm, double?)[]
                 {
                     (SparseCodingAlgorithm.Omp, null),
                     (SparseCodingAlgorithm.Omp, 0.05),
                     (SparseCodingAlgorithm.Lars, null),
                     (SparseCodingAlgorithm.LassoLars, 0.3),
                     (SparseCodingAlgorithm.LassoCd, 0.3),
                     (SparseCodingAlgorithm.Threshold, 0.3),
                 })
        {
            yield return new(typeof(SparseCoder), $"SparseCoder({algorithm}, α = {alpha?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})", all, (cx, cy) =>
            {
                double? scaledAlpha = alpha is { } a ? (algorithm == SparseCodingAlgorithm.Omp ? a * cx * cx : a * cx * cy) : null;
                var coder = new SparseCoder { Dictionary = dictionary * cy, TransformAlgorithm = algorithm, TransformNonzeroCoefficients = 3, TransformAlpha = scaledAlpha };
                var codes = coder.Fit(x * cx).Transform(x * cx);
                double unit = algorithm == SparseCodingAlgorithm.Threshold ? cx * cy : cx / cy;
                return new Fitted().Add("codes", (codes / unit).ToColumnMajorArray());
            })
            {
                // Coordinate descent stops on a duality gap relative to ‖x‖², reached one pass apart on data rounded otherwise.
                Tolerance = algorithm == SparseCodingAlgorithm.LassoCd ? 1e-6 : 1e-10,
            };
        }

        yield return new(typeof(SparseEncoder), "SparseEncoder.EncodeWithMask(LassoLars)", all, (cx, cy) =>
        {
            var mask = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => (i + (2 * j)) % 5 == 0 ? 0.0 : 1.0);
            var signals = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => mask[i, j] == 0.0 ? double.NaN : x[i, j] * cx);
            var codes = SparseEncoder.EncodeWithMask(signals, dictionary * cy, mask, SparseCodingAlgorithm.LassoLars, alpha: 0.3 * cx * cy);
            return new Fitted().Add("codes", (codes * (cy / cx)).ToColumnMajorArray());
        });

        Fitted Dictionary(ComponentsTransformer model, Matrix<double> codes, double c) => new Fitted()
            .Add("components", model.Components.ToColumnMajorArray())
            .Add("codes", (codes / c).ToColumnMajorArray())
            .Count(model.Iterations, model.Converged);

        foreach (var missing in new[] { false, true })
        {
            yield return new(typeof(Ksvd), $"Ksvd(missing = {missing})", [Scaling.XOnly], (c, _) =>
            {
                var data = missing ? Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => (i + j) % 7 == 0 ? double.NaN : x[i, j] * c) : x * c;
                var m = new Ksvd { ComponentCount = 8, NonzeroCoefficients = 2, MaxIterations = 15, Tolerance = 1e-6 * c, RandomSeed = 3, MissingValue = missing ? double.NaN : null };
                var codes = m.FitTransform(data);
                return Dictionary(m, codes, c).Add("errors", m.Errors.Select(error => error / c).ToArray());
            });
        }

        var start = dictionary.SubMatrix(0, 5, 0, dictionary.ColumnCount);
        yield return new(typeof(DictionaryLearning), "DictionaryLearning(given start)", [Scaling.XOnly], (c, _) =>
        {
            var m = new DictionaryLearning { ComponentCount = 5, Alpha = 0.2 * c, InitialDictionary = start, MaxIterations = 30, RandomSeed = 2 };
            var codes = m.FitTransform(x * c);
            return Dictionary(m, codes, c).Add("errors", (m.Errors / (c * c)).ToArray());
        })
        {
            Tolerance = 1e-8,
        };
        yield return new(typeof(DictionaryLearning), "DictionaryLearning(SVD start, coordinate descent)", [Scaling.XOnly], (c, _) =>
        {
            var m = new DictionaryLearning { ComponentCount = 5, Alpha = 0.2 * c, FitAlgorithm = DictionaryFitAlgorithm.LassoCd, MaxIterations = 30, RandomSeed = 2 };
            var codes = m.FitTransform(x * c);
            return Dictionary(m, codes, c).Add("errors", (m.Errors / (c * c)).ToArray()).Add("final objective", [m.Errors[^1] / (c * c)]);
        })
        {
            // The SVD start D = S·Vᵀ has the units of the data, its first code those of α over them: equivariant only at
            // powers of two (where the rescaled data is the unit-scale data itself); elsewhere the fit takes another path to
            // an objective of the same quality.
            Tolerance = 2e-2,
            CompareCounts = false,
            ApproximateOnly = "final objective",
        };
        yield return new(typeof(MiniBatchDictionaryLearning), "MiniBatchDictionaryLearning(given start, PartialFit)", [Scaling.XOnly], (c, _) =>
        {
            var m = new MiniBatchDictionaryLearning { ComponentCount = 5, Alpha = 0.2 * c, InitialDictionary = start, BatchSize = 8, MaxIterations = 5, RandomSeed = 2 };
            var codes = m.FitTransform(x * c);
            m.PartialFit(x.SubMatrix(0, 12, 0, x.ColumnCount) * c);
            var coded = m.Transform(x.SubMatrix(0, 10, 0, x.ColumnCount) * c);
            return Dictionary(m, codes, c).Add("transform", (coded / c).ToColumnMajorArray()).Add("steps", [m.StepCount]);
        })
        {
            Tolerance = 1e-8,
        };
    }

    /// <summary>The scalers: means and standard deviations (singular values) scale by c, variances by c², standardised or whitened data not at all.</summary>
    private static IEnumerable<ScaleCase> ScalerCases(Matrix<double> x)
    {
        yield return new(typeof(StandardScaler), "StandardScaler", [Scaling.XOnly], (c, _) =>
        {
            var m = new StandardScaler().Fit(x * c);
            var z = m.Transform(x * c);
            return new Fitted()
                .Add("mean", (m.Mean / c).ToArray())
                .Add("variance", (m.Variance / (c * c)).ToArray())
                .Add("scale", (m.Scale / c).ToArray())
                .Add("transform", z.ToColumnMajorArray())
                .Add("inverse", (m.InverseTransform(z) / c).ToColumnMajorArray());
        });
        yield return new(typeof(TransformerPipeline), "TransformerPipeline", [Scaling.XOnly], (c, _) =>
        {
            var m = new TransformerPipeline(("scale", new StandardScaler()), ("range", new MinMaxScaler())).Fit(x * c);
            return new Fitted()
                .Add("transform", m.Transform(x * c).ToColumnMajorArray())
                .Add("scale mean", (m.FittedStep<StandardScaler>("scale").Mean / c).ToArray());
        });
        yield return new(typeof(MinMaxScaler), "MinMaxScaler", [Scaling.XOnly], (c, _) =>
        {
            var m = new MinMaxScaler { FeatureMin = -1.0, FeatureMax = 2.0 }.Fit(x * c);
            var z = m.Transform(x * c);
            return new Fitted()
                .Add("data min", (m.DataMin / c).ToArray())
                .Add("data max", (m.DataMax / c).ToArray())
                .Add("data range", (m.DataRange / c).ToArray())
                .Add("scale", (m.Scale * c).ToArray())
                .Add("offset", m.Offset.ToArray())
                .Add("transform", z.ToColumnMajorArray())
                .Add("inverse", (m.InverseTransform(z) / c).ToColumnMajorArray());
        });
        foreach (var thresholding in new[] { WhiteningThresholding.None, WhiteningThresholding.DropMinute, WhiteningThresholding.Normalize })
        {
            yield return new(typeof(WhiteningScaler), $"WhiteningScaler({thresholding})", [Scaling.XOnly], (c, _) =>
            {
                var m = new WhiteningScaler { Thresholding = thresholding, Epsilon = 0.05 * c, ApplyZca = thresholding == WhiteningThresholding.Normalize }.Fit(x * c);
                var z = m.Transform(x * c);
                return new Fitted()
                    .Add("mean", (m.Mean / c).ToArray())
                    .Add("variances", (m.Variances / c).ToArray())
                    .Add("components", m.Components.ToColumnMajorArray())
                    .Add("transform", z.ToColumnMajorArray())
                    .Add("inverse", (m.InverseTransform(z) / c).ToColumnMajorArray());
            })
            {
                Tolerance = 1e-9,
            };
        }
    }

    /// <summary>One estimator (or path function) fitted on (c_X·X, c_y·y), results divided by their expected scale.</summary>
    private sealed record ScaleCase(Type Type, string Name, Scaling[] Scalings, Func<double, double, Fitted> Fit)
    {
        /// <summary>The relative tolerance at factors that are not powers of two (default 1e−10).</summary>
        public double Tolerance { get; init; } = 1e-10;

        /// <summary>Whether iteration counts and convergence must agree at factors that are not powers of two (default true).</summary>
        public bool CompareCounts { get; init; } = true;

        /// <summary>The one group compared at factors that are not powers of two (null: all of them), for estimators that are equivariant only approximately.</summary>
        public string? ApproximateOnly { get; init; }
    }

    /// <summary>Named groups of results, each compared relative to its largest reference entry (or a given unit), and exact counts.</summary>
    private sealed class Fitted
    {
        private readonly List<(string Name, double[] Values, double? Unit, bool Exact)> _groups = [];
        private int _iterations;
        private bool _converged;

        /// <summary>Adds a group; <paramref name="exact"/> false when its descaling itself rounds (compared to 1e−12 in the bit-for-bit test).</summary>
        public Fitted Add(string name, double[] values, double? unit = null, bool exact = true)
        {
            _groups.Add((name, values, unit, exact));
            return this;
        }

        public Fitted Count(int iterations, bool converged)
        {
            _iterations = iterations;
            _converged = converged;
            return this;
        }

        public void AssertClose(Fitted actual, double tolerance, bool compareCounts, string? only, string what)
        {
            Assert.Equal(_groups.Count, actual._groups.Count);
            for (int g = 0; g < _groups.Count; g++)
            {
                var (name, expected, unit, _) = _groups[g];
                var values = actual._groups[g].Values;
                Assert.Equal(expected.Length, values.Length);
                if (only is not null && name != only)
                {
                    continue;
                }

                double scale = unit ?? expected.Max(Math.Abs);
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.True(double.IsFinite(values[i]), $"{what}: {name}[{i}] is {values[i]}");
                    double difference = Math.Abs(values[i] - expected[i]);
                    Assert.True(difference <= tolerance * scale, $"{what}: {name}[{i}] = {values[i]:R}, expected {expected[i]:R} (difference {difference / scale:E2} of {scale:E3})");
                }
            }

            if (compareCounts)
            {
                Assert.True(_iterations == actual._iterations, $"{what}: {actual._iterations} iterations, expected {_iterations}");
                Assert.True(_converged == actual._converged, $"{what}: converged {actual._converged}, expected {_converged}");
            }
        }

        public void AssertIdentical(Fitted actual, string what)
        {
            Assert.Equal(_groups.Count, actual._groups.Count);
            for (int g = 0; g < _groups.Count; g++)
            {
                var (name, expected, _, exact) = _groups[g];
                var values = actual._groups[g].Values;
                Assert.Equal(expected.Length, values.Length);
                for (int i = 0; i < expected.Length; i++)
                {
                    if (!exact)
                    {
                        Assert.True(Math.Abs(values[i] - expected[i]) <= 1e-12 * expected.Max(Math.Abs), $"{what}: {name}[{i}] = {values[i]:R}, expected {expected[i]:R}");
                        continue;
                    }

                    Assert.True(
                        BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(values[i]),
                        $"{what}: {name}[{i}] = {values[i]:R}, expected {expected[i]:R} bit for bit");
                }
            }

            Assert.Equal(_iterations, actual._iterations);
            Assert.Equal(_converged, actual._converged);
        }
    }
}
