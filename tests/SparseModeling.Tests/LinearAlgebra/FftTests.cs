// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.LinearAlgebra;

namespace SparseModeling.Tests.LinearAlgebra;

/// <summary>
/// The mixed-radix FFT against a naive DFT: lengths built from every radix (2, 3, 4, 5) and their mixtures, column and row
/// passes over counts of signals around the vector widths and strips, strides wider than the block, zero-padded input
/// prefixes and partial output prefixes, forward and inverse; the round trip; a two-dimensional transform; independence from
/// the threads. CI reruns these with the narrower vector paths (AVX2, 128-bit, scalar).
/// </summary>
public class FftTests
{
    private static readonly int[] Lengths = [1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 25, 27, 30, 32, 60, 64, 100, 125, 128, 150, 300, 384];

    public static TheoryData<int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (int length in Lengths)
        {
            foreach (int count in new[] { 1, 3, 8, 17, 40 })
            {
                data.Add(length, count, length % 2 == 0);
            }
        }

        // More signals than one strip holds (strips of at most 56), with a tail.
        data.Add(300, 150, false);
        data.Add(64, 133, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Columns_MatchNaiveDft(int length, int count, bool inverse)
    {
        int stride = count + 3, c0 = 1, c1 = 1 + count;
        var re = Reference.Random(length * stride, 1);
        var im = Reference.Random(length * stride, 2);
        var signals = Signals(re, im, length, count, (t, s) => (t * stride) + c0 + s);
        Fft.Columns(new Fft.Plan(length), re, im, stride, c0, c1, inverse);
        for (int s = 0; s < count; s++)
        {
            var (expectedRe, expectedIm) = NaiveDft(signals[s].Re, signals[s].Im, inverse);
            for (int k = 0; k < length; k++)
            {
                Reference.Close(expectedRe[k], re[(k * stride) + c0 + s], Tolerance(length));
                Reference.Close(expectedIm[k], im[(k * stride) + c0 + s], Tolerance(length));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Rows_MatchNaiveDft(int length, int count, bool inverse)
    {
        int stride = length + 2, r0 = 2, r1 = 2 + count;
        var re = Reference.Random((r1 + 1) * stride, 3);
        var im = Reference.Random((r1 + 1) * stride, 4);
        var untouched = ((double[])re.Clone(), (double[])im.Clone());
        var signals = Signals(re, im, length, count, (t, s) => ((r0 + s) * stride) + t);
        Fft.Rows(new Fft.Plan(length), re, im, stride, r0, r1, inverse);
        for (int s = 0; s < count; s++)
        {
            var (expectedRe, expectedIm) = NaiveDft(signals[s].Re, signals[s].Im, inverse);
            for (int k = 0; k < length; k++)
            {
                Reference.Close(expectedRe[k], re[((r0 + s) * stride) + k], Tolerance(length));
                Reference.Close(expectedIm[k], im[((r0 + s) * stride) + k], Tolerance(length));
            }
        }

        // Rows outside the range and the entries past each row are left alone.
        Assert.Equal(untouched.Item1.AsSpan(0, r0 * stride).ToArray(), re.AsSpan(0, r0 * stride).ToArray());
        Assert.Equal(untouched.Item1[(r0 * stride) + length], re[(r0 * stride) + length]);
    }

    [Theory]
    [InlineData(60, 7, 23, 31)]
    [InlineData(128, 9, 64, 10)]
    [InlineData(30, 70, 0, 30)]
    [InlineData(100, 9, 50, 100)] // input pruning (a first pass of radix 2 done by the gather), every output
    [InlineData(60, 7, 45, 30)] // more than half in: no pruning
    [InlineData(96, 70, 48, 96)] // input pruning past one strip
    [InlineData(2, 3, 1, 2)]
    [InlineData(2, 3, 2, 1)]
    [InlineData(45, 5, 10, 20)] // odd: no pruning
    public void Prefixes_ReadZerosPastTheInputAndWriteOnlyTheOutput(int length, int count, int input, int output)
    {
        // Columns: rows from `input` on hold garbage but count as zeros; rows from `output` on are not written.
        int stride = count;
        var re = Reference.Random(length * stride, 5);
        var im = Reference.Random(length * stride, 6);
        var padded = Signals(re, im, length, count, (t, s) => (t * stride) + s);
        foreach (var (sRe, sIm) in padded)
        {
            Array.Clear(sRe, input, length - input);
            Array.Clear(sIm, input, length - input);
        }

        var before = (double[])re.Clone();
        Fft.Columns(new Fft.Plan(length), re, im, stride, 0, count, inverse: false, inputRows: input, outputRows: output);
        for (int s = 0; s < count; s++)
        {
            var (expectedRe, _) = NaiveDft(padded[s].Re, padded[s].Im, inverse: false);
            for (int k = 0; k < length; k++)
            {
                Reference.Close(k < output ? expectedRe[k] : before[(k * stride) + s], re[(k * stride) + s], Tolerance(length));
            }
        }

        // Rows: the same along the rows.
        var rowsRe = Reference.Random(count * length, 7);
        var rowsIm = Reference.Random(count * length, 8);
        var rowSignals = Signals(rowsRe, rowsIm, length, count, (t, s) => (s * length) + t);
        foreach (var (sRe, sIm) in rowSignals)
        {
            Array.Clear(sRe, input, length - input);
            Array.Clear(sIm, input, length - input);
        }

        var rowsBefore = (double[])rowsIm.Clone();
        Fft.Rows(new Fft.Plan(length), rowsRe, rowsIm, length, 0, count, inverse: true, inputColumns: input, outputColumns: output);
        for (int s = 0; s < count; s++)
        {
            var (_, expectedIm) = NaiveDft(rowSignals[s].Re, rowSignals[s].Im, inverse: true);
            for (int k = 0; k < length; k++)
            {
                Reference.Close(k < output ? expectedIm[k] : rowsBefore[(s * length) + k], rowsIm[(s * length) + k], Tolerance(length));
            }
        }
    }

    [Theory]
    [InlineData(60, 70, 30, 30)] // input pruning, strips with a tail
    [InlineData(60, 7, 45, 23)] // no pruning
    [InlineData(45, 9, 20, 45)] // odd
    [InlineData(64, 3, 64, 64)]
    public void RowsFiltered_MatchesTheNaiveConvolution(int length, int count, int input, int output)
    {
        // Each row's spectrum times a factor of its row and frequency, back (unscaled): the naive DFTs' result.
        int stride = length + 3, r0 = 1, r1 = 1 + count;
        var re = Reference.Random((r1 + 1) * stride, 13);
        var im = Reference.Random((r1 + 1) * stride, 14);
        var before = ((double[])re.Clone(), (double[])im.Clone());
        var signals = Signals(re, im, length, count, (t, s) => ((r0 + s) * stride) + t);
        foreach (var (sRe, sIm) in signals)
        {
            Array.Clear(sRe, input, length - input);
            Array.Clear(sIm, input, length - input);
        }

        static (double Re, double Im) Factor(int row, int c) => (1.0 + (0.01 * row) - (0.02 * c), (0.03 * c) - (0.5 * row / (row + 1.0)));
        Fft.RowsFiltered(new Fft.Plan(length), re, im, stride, r0, r1, input, output, (sRe, sIm, first, width) =>
        {
            for (int c = 0; c < length; c++)
            {
                for (int w = 0; w < width; w++)
                {
                    var (fr, fi) = Factor(first + w, c);
                    double xr = sRe[(c * width) + w], xi = sIm[(c * width) + w];
                    (sRe[(c * width) + w], sIm[(c * width) + w]) = ((xr * fr) - (xi * fi), (xr * fi) + (xi * fr));
                }
            }
        });
        for (int s = 0; s < count; s++)
        {
            var (fRe, fIm) = NaiveDft(signals[s].Re, signals[s].Im, inverse: false);
            for (int c = 0; c < length; c++)
            {
                var (fr, fi) = Factor(s, c);
                (fRe[c], fIm[c]) = ((fRe[c] * fr) - (fIm[c] * fi), (fRe[c] * fi) + (fIm[c] * fr));
            }

            var (expectedRe, expectedIm) = NaiveDft(fRe, fIm, inverse: true);
            for (int k = 0; k < length; k++)
            {
                int at = ((r0 + s) * stride) + k;
                Reference.Close(k < output ? expectedRe[k] : before.Item1[at], re[at], 4 * length * Tolerance(length));
                Reference.Close(k < output ? expectedIm[k] : before.Item2[at], im[at], 4 * length * Tolerance(length));
            }
        }

        // The rows outside the range are left alone.
        Assert.Equal(before.Item1.AsSpan(0, r0 * stride).ToArray(), re.AsSpan(0, r0 * stride).ToArray());
        Assert.Equal(before.Item2.AsSpan(r1 * stride).ToArray(), im.AsSpan(r1 * stride).ToArray());
    }

    [Fact]
    public void TwoDimensional_ForwardThenInverse_ReturnsL2TimesTheInput()
    {
        int length = 60;
        var re = Reference.Random(length * length, 9);
        var im = Reference.Random(length * length, 10);
        var (re0, im0) = ((double[])re.Clone(), (double[])im.Clone());
        var plan = new Fft.Plan(length);
        Fft.Columns(plan, re, im, length, 0, length, inverse: false);
        Fft.Rows(plan, re, im, length, 0, length, inverse: false);

        // The (u, v) = (1, 2) frequency against its definition.
        double sr = 0.0, si = 0.0;
        for (int r = 0; r < length; r++)
        {
            for (int c = 0; c < length; c++)
            {
                var (sin, cos) = Math.SinCos(-2.0 * Math.PI * (((1 * r) + (2 * c)) % length) / length);
                sr += (re0[(r * length) + c] * cos) - (im0[(r * length) + c] * sin);
                si += (re0[(r * length) + c] * sin) + (im0[(r * length) + c] * cos);
            }
        }

        Reference.Close(sr, re[(1 * length) + 2], 1e-11);
        Reference.Close(si, im[(1 * length) + 2], 1e-11);
        Fft.Rows(plan, re, im, length, 0, length, inverse: true);
        Fft.Columns(plan, re, im, length, 0, length, inverse: true);
        for (int e = 0; e < re.Length; e++)
        {
            Reference.Close(re0[e], re[e] / (length * length), 1e-14);
            Reference.Close(im0[e], im[e] / (length * length), 1e-14);
        }
    }

    [Fact]
    public void Transforms_DoNotDependOnTheDegreeOfParallelism()
    {
        int length = 120, count = 300;
        var re = Reference.Random(length * count, 11);
        var im = Reference.Random(length * count, 12);
        var results = new double[2][];
        int[] degrees = [1, 4];
        for (int r = 0; r < 2; r++)
        {
            var (a, b) = ((double[])re.Clone(), (double[])im.Clone());
            using (Parallelism.Enter(degrees[r], CancellationToken.None))
            {
                Fft.Columns(new Fft.Plan(length), a, b, count, 0, count, inverse: false);
                Fft.Rows(new Fft.Plan(count), a, b, count, 0, length, inverse: true);
            }

            results[r] = [.. a, .. b];
        }

        Assert.Equal(results[0], results[1]);
    }

    [Fact]
    public void Lengths_AreThoseWithFactorsTwoThreeAndFive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Fft.Plan(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Fft.Plan(0));
        Assert.Equal([4, 4, 2, 3, 5], new Fft.Plan(480).Radices);
        Assert.Equal(1, Fft.NextSmooth(1));
        Assert.Equal(320, Fft.NextSmooth(301));
        Assert.Equal(80, Fft.NextSmooth(77));
        Assert.True(Fft.IsSmooth(3 * 125 * 64));
        Assert.False(Fft.IsSmooth(14));
    }

    private static double Tolerance(int length) => 1e-14 * length * Math.Max(1.0, Math.Log2(length));

    private static (double[] Re, double[] Im)[] Signals(double[] re, double[] im, int length, int count, Func<int, int, int> at) =>
        Enumerable.Range(0, count).Select(s => (Enumerable.Range(0, length).Select(t => re[at(t, s)]).ToArray(), Enumerable.Range(0, length).Select(t => im[at(t, s)]).ToArray())).ToArray();

    private static (double[] Re, double[] Im) NaiveDft(double[] re, double[] im, bool inverse)
    {
        int length = re.Length;
        var outRe = new double[length];
        var outIm = new double[length];
        double sign = inverse ? 1.0 : -1.0;
        for (int k = 0; k < length; k++)
        {
            double sr = 0.0, si = 0.0;
            for (int t = 0; t < length; t++)
            {
                var (s, c) = Math.SinCos(sign * 2.0 * Math.PI * ((long)t * k % length) / length);
                sr += (re[t] * c) - (im[t] * s);
                si += (re[t] * s) + (im[t] * c);
            }

            outRe[k] = sr;
            outIm[k] = si;
        }

        return (outRe, outIm);
    }
}
