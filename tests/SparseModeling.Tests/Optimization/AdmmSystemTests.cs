// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Optimization;
using SparseModeling.Tests.LinearAlgebra;

namespace SparseModeling.Tests.Optimization;

/// <summary>The x-update systems added for the generalized Lasso family and L2,1 coding, against dense solves.</summary>
public class AdmmSystemTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RankOneUpdated_CentredDiagonalHessian_MatchesDenseSolve(int order)
    {
        // H = diag(d²)/n − x̄x̄ᵀ (a centred diagonal X), D = [0.5·I; 2·T]: banded plus a rank-one downdate.
        const int p = 37;
        const double rho = 0.7;
        var diagonal = Reference.Random(p, 5, 0.5);
        var h = diagonal.Select(v => v * v / p).ToArray();
        var means = diagonal.Select(v => v / p).ToArray();
        var d = ConstraintOperator.Stacked((0.5, ConstraintOperator.Identity(p)), (2.0, ConstraintOperator.Difference(p, order)));
        var system = new RankOneUpdatedSystem(new BandedCholeskySystem(h, d), means, -1.0);
        Assert.True(system.Factor(rho));

        var dense = Matrix<double>.Build.DenseOfDiagonalArray(h) - Vector<double>.Build.Dense(means).OuterProduct(Vector<double>.Build.Dense(means));
        var gram = new double[p * p];
        d.AddGram(rho, gram, p);
        dense += Matrix<double>.Build.Dense(p, p, gram);
        var b = Reference.Random(p, 6);
        var expected = dense.Solve(Vector<double>.Build.Dense(b));
        var w = new double[p];
        system.Solve((double[])b.Clone(), w, 0.0);
        for (int j = 0; j < p; j++)
        {
            Assert.Equal(expected[j], w[j], 1e-9);
        }
    }

    [Fact]
    public void RankOneUpdated_SingularUpdate_ReportsNotPositiveDefinite()
    {
        // I − vvᵀ with ‖v‖ = 1 is singular: the factorisation must say so rather than divide by ~0.
        var v = new[] { 0.6, 0.8 };
        var system = new RankOneUpdatedSystem(new BandedCholeskySystem([1.0, 1.0], ConstraintOperator.Identity(2)), v, -1.0);
        Assert.False(system.Factor(0.0));
        Assert.True(system.Factor(1e-3));
    }

    [Fact]
    public void BlockDiagonal_SolvesEveryBlockWithTheSameFactor()
    {
        const int k = 5, blocks = 7;
        var a = Matrix<double>.Build.Dense(k + 3, k, Reference.Random((k + 3) * k, 9));
        var h = a.TransposeThisAndMultiply(a);
        var system = new BlockDiagonalSystem(h.ToColumnMajorArray(), k, blocks);
        Assert.Equal(k * blocks, system.Order);
        Assert.True(system.Factor(0.3));
        var b = Reference.Random(k * blocks, 10);
        var w = new double[k * blocks];
        system.Solve((double[])b.Clone(), w, 0.0);
        var shifted = h + (0.3 * Matrix<double>.Build.DenseIdentity(k));
        for (int block = 0; block < blocks; block++)
        {
            var expected = shifted.Solve(Vector<double>.Build.Dense(b.AsSpan(block * k, k).ToArray()));
            for (int j = 0; j < k; j++)
            {
                Assert.Equal(expected[j], w[(block * k) + j], 1e-11);
            }
        }
    }
}
