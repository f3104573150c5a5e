// SPDX-License-Identifier: BSD-3-Clause
// QuickStart: the numerical experiment of the spm-image talk. 100 samples, 1000 features, of which
// only 20 matter. Ordinary least squares cannot even be solved here (more unknowns than equations);
// the Lasso finds the few features that matter.
using System.Diagnostics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;
using SparseModeling.LinearModel;

const int Samples = 100, Features = 1000, Relevant = 20;
var rng = new MersenneTwister(2024);

// The true model: 20 randomly placed features with weights of size 1 to 3 and random sign.
var trueSupport = Enumerable.Range(0, Features).OrderBy(_ => rng.Next()).Take(Relevant).Order().ToArray();
var wTrue = Vector<double>.Build.Dense(Features);
foreach (int j in trueSupport)
{
    wTrue[j] = (rng.NextDouble() < 0.5 ? -1 : 1) * (1.0 + (2.0 * rng.NextDouble()));
}

Matrix<double> Design(int rows) => Matrix<double>.Build.Dense(rows, Features, (_, _) => Normal.Sample(rng, 0, 1));
Vector<double> Observe(Matrix<double> x) => (x * wTrue) + Vector<double>.Build.Dense(x.RowCount, _ => Normal.Sample(rng, 0, 0.1));
var xTrain = Design(Samples);
var yTrain = Observe(xTrain);
var xTest = Design(1000);
var yTest = Observe(xTest);

Console.WriteLine($"Sparse regression: {Samples} samples, {Features} features, {Relevant} of them relevant (noise σ = 0.1).");
Console.WriteLine();

var clock = Stopwatch.StartNew();
var lasso = new Lasso { Alpha = 0.1 }.Fit(xTrain, yTrain);
clock.Stop();

var w = lasso.Coefficients;
var found = Enumerable.Range(0, Features).Where(j => w[j] != 0.0).ToArray();
int hits = found.Intersect(trueSupport).Count();
Console.WriteLine($"Lasso (alpha = {lasso.Alpha}): fitted in {clock.Elapsed.TotalMilliseconds:F1} ms, {lasso.Iterations} passes, converged: {lasso.Converged}.");
Console.WriteLine($"  true support ({trueSupport.Length}):      {string.Join(" ", trueSupport)}");
Console.WriteLine($"  recovered support ({found.Length}): {string.Join(" ", found)}");
Console.WriteLine($"  {hits} of {Relevant} relevant features found; {found.Length - hits} false positives.");
Console.WriteLine($"  R² on 1000 held-out samples: {lasso.Score(xTest, yTest):F3}");
Console.WriteLine();

Console.WriteLine("The largest true weights and their estimates (the Lasso shrinks every weight towards 0 by about alpha):");
Console.WriteLine("  feature     true  estimate");
foreach (int j in trueSupport.OrderByDescending(j => Math.Abs(wTrue[j])).Take(6))
{
    Console.WriteLine($"  {j,7} {wTrue[j],8:F3} {w[j],9:F3}");
}

Console.WriteLine();

// The regularisation path: how the support grows as alpha decreases (fitIntercept centres inside, as Lasso does).
clock.Restart();
var path = LassoPath.Compute(xTrain, yTrain, alphaCount: 50, epsilon: 1e-2, fitIntercept: true);
clock.Stop();
Console.WriteLine($"Lasso path: 50 alphas from {path.Alphas[0]:F3} down to {path.Alphas[^1]:F4}, computed in {clock.Elapsed.TotalMilliseconds:F0} ms.");
Console.WriteLine("  alpha     non-zeros  of which relevant");
for (int k = 0; k < path.Alphas.Count; k += 7)
{
    var column = path.Coefficients.Column(k);
    var nz = Enumerable.Range(0, Features).Where(j => column[j] != 0.0).ToArray();
    Console.WriteLine($"  {path.Alphas[k],-9:F4} {nz.Length,9}  {nz.Intersect(trueSupport).Count(),17}");
}

Console.WriteLine();

// The same problem by the four Lasso solvers: coordinate descent, least angle regression,
// FISTA (accelerated proximal gradient) and ADMM. Each is timed after one warm-up run.
const double SolverAlpha = 0.1;
double Objective(Vector<double> w, double b)
{
    var r = yTrain - (xTrain * w) - b;
    return (r.DotProduct(r) / (2.0 * Samples)) + (SolverAlpha * w.L1Norm());
}

// LassoAdmm is a multi-target model (one row of coefficients per target), not a LinearRegressor; fitted on
// one target, its Coefficients and Intercept read the same way.
var solvers = new (string Name, Func<(Vector<double> Coefficients, double Intercept, int Iterations)> Fit)[]
{
    ("coordinate descent (Lasso)", () => Summary(new Lasso { Alpha = SolverAlpha, Tolerance = 1e-6, MaxIterations = 10000 }.Fit(xTrain, yTrain))),
    ("LARS (LassoLars)", () => Summary(new LassoLars { Alpha = SolverAlpha }.Fit(xTrain, yTrain))),
    ("FISTA (LassoIsta)", () => Summary(new LassoIsta { Alpha = SolverAlpha, Tolerance = 1e-6, MaxIterations = 10000 }.Fit(xTrain, yTrain))),
    ("ADMM (LassoAdmm)", () =>
    {
        var admm = new LassoAdmm { Alpha = SolverAlpha, Tolerance = 1e-6, MaxIterations = 10000 }.Fit(xTrain, yTrain);
        return (admm.Coefficients, admm.Intercept, admm.Iterations);
    }),
};
static (Vector<double> Coefficients, double Intercept, int Iterations) Summary(LinearRegressor m) => (m.Coefficients, m.Intercept, m.Iterations);
Console.WriteLine($"The same fit (alpha = {SolverAlpha}) by four solvers:");
Console.WriteLine("  solver                        time (ms)  iterations   objective      non-zeros  relevant found");
foreach (var (name, fit) in solvers)
{
    fit();
    clock.Restart();
    var model = fit();
    clock.Stop();
    var nonzero = Enumerable.Range(0, Features).Where(j => model.Coefficients[j] != 0.0).ToArray();
    Console.WriteLine($"  {name,-28} {clock.Elapsed.TotalMilliseconds,9:F2}  {model.Iterations,10}  {Objective(model.Coefficients, model.Intercept),12:F6}  {nonzero.Length,9}  {nonzero.Intersect(trueSupport).Count(),14}");
}

Console.WriteLine("  All four minimise the same objective; they differ in how they get there:");
Console.WriteLine("  - coordinate descent: the default; fastest on most problems, wide or tall, and for whole paths.");
Console.WriteLine("  - LARS: exact piecewise-linear path in as many steps as active features; best when few features are active.");
Console.WriteLine("  - FISTA: only needs products with X and Xᵀ, so it also solves problems whose matrix never exists (ILinearOperator).");
Console.WriteLine("  - ADMM: factors the system once and then iterates cheaply; suits many fits on the same X (many targets, a path)");
Console.WriteLine("    and generalised penalties (fused Lasso, trend filtering).");
Console.WriteLine();
Console.WriteLine("Reading the numbers: with 100 samples, 20 relevant features out of 1000 is close to the limit of what");
Console.WriteLine("an L1 penalty can recover (the Donoho–Tanner phase transition), so most but not all of the true features are");
Console.WriteLine("found, together with small false positives. More samples or fewer relevant features make recovery exact.");
