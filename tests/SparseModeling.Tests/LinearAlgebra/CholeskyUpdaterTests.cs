// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

public class CholeskyUpdaterTests
{
    private static CholeskyUpdater Build(double[] gram, int n, int capacity)
    {
        var updater = new CholeskyUpdater(capacity);
        for (int k = 0; k < n; k++)
        {
            var cross = new double[k];
            for (int p = 0; p < k; p++)
            {
                cross[p] = gram[k + (p * n)];
            }

            Assert.True(updater.TryAppend(cross, gram[k + (k * n)]));
        }

        return updater;
    }

    private static void AssertFactorEquals(double[] expected, int n, int ld, CholeskyUpdater updater)
    {
        Assert.Equal(n, updater.Size);
        var l = updater.Factor;
        for (int j = 0; j < n; j++)
        {
            for (int i = j; i < n; i++)
            {
                Reference.Close(expected[i + (j * ld)], l[i + (j * updater.LeadingDimension)], 1e-12 * n);
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 7)]
    [InlineData(30, 4)]
    public void TryAppend_Sequence_MatchesFullFactor(int n, int capacity)
    {
        var gram = Reference.Spd(n, n, 11);
        var updater = Build(gram, n, capacity);
        var full = (double[])gram.Clone();
        Assert.True(Cholesky.Factor(full, n, n));
        AssertFactorEquals(full, n, n, updater);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(6, 0)]
    [InlineData(6, 3)]
    [InlineData(6, 5)]
    [InlineData(25, 11)]
    public void Remove_Index_MatchesRefactorisationOfReducedMatrix(int n, int index)
    {
        var gram = Reference.Spd(n, n, 12);
        var updater = Build(gram, n, n);
        updater.Remove(index);
        int r = n - 1;
        var reduced = new double[Math.Max(1, r * r)];
        for (int j = 0, jj = 0; j < n; j++)
        {
            if (j == index)
            {
                continue;
            }

            for (int i = 0, ii = 0; i < n; i++)
            {
                if (i == index)
                {
                    continue;
                }

                reduced[ii + (jj * r)] = gram[i + (j * n)];
                ii++;
            }

            jj++;
        }

        Assert.True(Cholesky.Factor(reduced, r, Math.Max(1, r)));
        AssertFactorEquals(reduced, r, Math.Max(1, r), updater);
        for (int i = r; i < updater.LeadingDimension; i++)
        {
            Assert.Equal(0.0, updater.Factor[i + (Math.Max(0, r - 1) * updater.LeadingDimension)]);
        }
    }

    [Fact]
    public void Clear_ThenAppends_MatchesFactorOfTheNewMatrix()
    {
        var updater = Build(Reference.Spd(9, 9, 3), 9, 4);
        updater.Clear();
        Assert.Equal(0, updater.Size);
        int n = 6;
        var gram = Reference.Spd(n, n, 5);
        for (int k = 0; k < n; k++)
        {
            var cross = new double[k];
            for (int p = 0; p < k; p++)
            {
                cross[p] = gram[k + (p * n)];
            }

            Assert.True(updater.TryAppend(cross, gram[k + (k * n)]));
        }

        var full = (double[])gram.Clone();
        Assert.True(Cholesky.Factor(full, n, n));
        AssertFactorEquals(full, n, n, updater);
    }

    [Fact]
    public void TryAppend_CollinearVariable_ReturnsFalseAndKeepsFactor()
    {
        // Columns x0, x1 and x2 = x0 + 2·x1.
        double[][] x = [[1, 0, 2, 1], [0, 1, 1, 3], [1, 2, 4, 7]];
        double Dot(int i, int j) => x[i].Zip(x[j], (u, v) => u * v).Sum();
        var updater = new CholeskyUpdater(3);
        Assert.True(updater.TryAppend([], Dot(0, 0)));
        Assert.True(updater.TryAppend([Dot(1, 0)], Dot(1, 1)));
        var before = updater.Factor.ToArray();
        Assert.False(updater.TryAppend([Dot(2, 0), Dot(2, 1)], Dot(2, 2)));
        Assert.Equal(2, updater.Size);
        Assert.Equal(before, updater.Factor.ToArray());
    }

    [Fact]
    public void TryAppend_WrongLength_Throws()
    {
        var updater = new CholeskyUpdater(2);
        Assert.Throws<ArgumentException>(() => updater.TryAppend([1.0], 1.0));
    }

    [Fact]
    public void Solve_AfterAppendsAndRemove_SolvesActiveSystem()
    {
        const int N = 12;
        var gram = Reference.Spd(N, N, 13);
        var updater = Build(gram, N, 2);
        updater.Remove(N - 1);
        const int R = N - 1;
        var a = new double[R * R];
        for (int j = 0; j < R; j++)
        {
            for (int i = 0; i < R; i++)
            {
                a[i + (j * R)] = gram[i + (j * N)];
            }
        }

        var b = Reference.Random(R, 14);
        var x = (double[])b.Clone();
        updater.Solve(x);
        CholeskyTests.AssertSolves(a, R, b, x);
    }

    [Fact]
    public void Remove_OutOfRange_Throws()
    {
        var updater = new CholeskyUpdater(2);
        Assert.True(updater.TryAppend([], 4.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => updater.Remove(1));
    }
}
