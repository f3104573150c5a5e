// SPDX-License-Identifier: BSD-3-Clause
using MathNet.Numerics.LinearAlgebra;
using SparseModeling.Decomposition;

namespace SparseModeling.Tests.Decomposition;

public class DictionaryUpdateTests
{
    private static Matrix<double> Random(ulong seed, int rows, int cols)
    {
        var rng = new SplitMix64(seed);
        return Matrix<double>.Build.Dense(rows, cols, (_, _) => rng.NextNormal());
    }

    /// <summary>The atom loop written out with MathNet, row by row, as scikit-learn's <c>_update_dict</c> (without re-draws).</summary>
    private static Matrix<double> Reference(Matrix<double> dictionary, Matrix<double> a, Matrix<double> b, bool positive)
    {
        var d = dictionary.Clone();
        for (int k = 0; k < d.RowCount; k++)
        {
            var atom = d.Row(k) + ((b.Column(k) - (a.Row(k) * d)) / a[k, k]);
            if (positive)
            {
                atom = atom.PointwiseMaximum(0.0);
            }

            d.SetRow(k, atom / Math.Max(atom.L2Norm(), 1.0));
        }

        return d;
    }

    private static (Matrix<double> D, bool[] Redrawn) Update(Matrix<double> dictionary, Matrix<double> a, Matrix<double> b, Matrix<double> x, bool positive, ulong seed = 0)
    {
        int k = dictionary.RowCount, m = dictionary.ColumnCount;
        var atoms = dictionary.Transpose().ToColumnMajorArray();
        var redrawn = new bool[k];
        DictionaryUpdate.UpdateAtoms(atoms, m, k, a.ToColumnMajorArray(), b.ToColumnMajorArray(), x.ToColumnMajorArray(), x.RowCount, positive, new SplitMix64(seed), redrawn);
        return (Matrix<double>.Build.Dense(m, k, atoms).Transpose(), redrawn);
    }

    [Theory]
    [InlineData(1, 12, 7, false)]
    [InlineData(2, 12, 7, true)]
    [InlineData(3, 5, 40, false)]
    [InlineData(4, 64, 100, true)]
    public void UpdateAtoms_MatchesTheAtomLoopWrittenOut(ulong seed, int features, int atoms, bool positive)
    {
        var x = Random(seed, 50, features);
        var codes = Random(seed + 100, 50, atoms);
        var d = Random(seed + 200, atoms, features);
        var a = codes.TransposeThisAndMultiply(codes);
        var b = x.TransposeThisAndMultiply(codes);
        var (actual, redrawn) = Update(d, a, b, x, positive);
        var expected = Reference(d, a, b, positive);
        Assert.DoesNotContain(true, redrawn);
        for (int i = 0; i < atoms; i++)
        {
            for (int j = 0; j < features; j++)
            {
                Assert.Equal(expected[i, j], actual[i, j], 1e-12);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UpdateAtoms_NeverIncreasesTheResidual_AndKeepsAtomsInTheConstraintSet(bool positive)
    {
        // Each atom's step minimises ½‖X − C·D‖² over that atom within the unit ball (and the orthant): the residual cannot grow.
        var x = Random(5, 80, 10);
        var codes = Random(6, 80, 15).PointwiseAbs();
        var d = Random(7, 15, 10).PointwiseAbs() * 0.1;
        var (updated, _) = Update(d, codes.TransposeThisAndMultiply(codes), x.TransposeThisAndMultiply(codes), x, positive);
        double before = (x - (codes * d)).FrobeniusNorm();
        double after = (x - (codes * updated)).FrobeniusNorm();
        Assert.True(after <= before, $"{after} > {before}");
        for (int k = 0; k < 15; k++)
        {
            Assert.True(updated.Row(k).L2Norm() <= 1.0 + 1e-12);
            if (positive)
            {
                Assert.All(updated.Row(k), v => Assert.True(v >= 0.0));
            }
        }
    }

    [Fact]
    public void UpdateAtoms_UnusedAtom_IsRedrawnNearADataRow()
    {
        var x = Random(8, 30, 6);
        var codes = Random(9, 30, 4);
        codes.ClearColumn(2);
        var d = Random(10, 4, 6);
        var (updated, redrawn) = Update(d, codes.TransposeThisAndMultiply(codes), x.TransposeThisAndMultiply(codes), x, positive: false, seed: 3);
        Assert.Equal(new[] { false, false, true, false }, redrawn);
        var atom = updated.Row(2);
        Assert.True(atom.L2Norm() <= 1.0 + 1e-12 && atom.L2Norm() > 0.0);

        // Before its projection the atom was a data row plus 1% noise: it points along one of the rows.
        double best = Enumerable.Range(0, 30).Max(i => atom.DotProduct(x.Row(i)) / (atom.L2Norm() * x.Row(i).L2Norm()));
        Assert.True(best > 0.99, $"cosine {best}");
        Assert.Equal(updated.ToColumnMajorArray(), Update(d, codes.TransposeThisAndMultiply(codes), x.TransposeThisAndMultiply(codes), x, positive: false, seed: 3).D.ToColumnMajorArray());
    }

    [Theory]
    [InlineData(40, 9, 5)]
    [InlineData(40, 9, 9)]
    [InlineData(7, 12, 10)]
    public void SvdStart_IsTheLeadingSingularTriplets_WithScikitLearnsSigns(int samples, int features, int atoms)
    {
        var x = Random(11, samples, features);
        var (dictionary, codes) = DictionaryUpdate.SvdStart(x.ToColumnMajorArray(), samples, features, atoms, withCodes: true);
        var d = Matrix<double>.Build.Dense(features, atoms, dictionary).Transpose();   // atoms × features: S·Vᵀ
        var u = Matrix<double>.Build.Dense(atoms, samples, codes!).Transpose();          // samples × atoms: U
        var svd = x.Svd(computeVectors: true);
        int rank = Math.Min(samples, features);
        for (int j = 0; j < atoms; j++)
        {
            if (j >= rank)
            {
                Assert.Equal(0.0, d.Row(j).L2Norm());
                Assert.Equal(0.0, u.Column(j).L2Norm());
                continue;
            }

            Assert.Equal(svd.S[j], d.Row(j).L2Norm(), 1e-10 * svd.S[0]);
            var uj = u.Column(j);
            Assert.True(uj[uj.AbsoluteMaximumIndex()] > 0.0, $"column {j} of U: its largest entry must be positive");
            Assert.Equal(1.0, Math.Abs(uj.DotProduct(svd.U.Column(j))), 1e-10);
        }

        if (atoms >= rank)
        {
            // The full start reproduces the data: X = U·(S·Vᵀ).
            Assert.True((x - (u * d)).FrobeniusNorm() < 1e-10 * x.FrobeniusNorm());
        }
    }
}
