// SPDX-License-Identifier: BSD-3-Clause
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SparseModeling.LinearAlgebra;

/// <remarks>
/// The element-wise passes of the primal–dual interior-point method for min ½νᵀAν − bᵀν over |ν| ≤ λ with A a symmetric
/// Toeplitz band matrix (<c>BoxQpInteriorPoint</c>, Mehrotra's predictor–corrector): s₁ = λ − ν and s₂ = λ + ν are the slacks
/// of the bounds, μ₁ and μ₂ their multipliers, r = 1/s the slacks' reciprocals. Each pass is one sweep over memory with every
/// quantity of an entry computed from what is stored (the multipliers' steps are recomputed, not stored), and the step
/// lengths come without divisions by the slacks: a step α keeps s₁ − α·dν positive iff α·dν·r₁ &lt; 1, and μ₁ + α·dμ₁
/// positive iff α·(−dμ₁/μ₁) &lt; 1, so the longest step is 1 / max of those ratios.
/// </remarks>
internal static partial class Kernels
{
    /// <summary>
    /// The sums of <see cref="BoxQpResidual"/>: the duality gap Σ(λ·|gᵢ| − νᵢ·gᵢ) (each term ≥ 0 for |ν| ≤ λ), νᵀAν, ‖g‖₁,
    /// and the complementarity Σ(μ₁·s₁ + μ₂·s₂).
    /// </summary>
    /// <param name="Gap">Σ(λ·|gᵢ| − νᵢ·gᵢ).</param>
    /// <param name="Quadratic">νᵀAν.</param>
    /// <param name="AbsoluteSum">‖g‖₁.</param>
    /// <param name="Complementarity">Σ(μ₁ᵢ·s₁ᵢ + μ₂ᵢ·s₂ᵢ).</param>
    public readonly record struct BoxQpSums(double Gap, double Quadratic, double AbsoluteSum, double Complementarity);

    /// <summary>
    /// The start of a step, in one pass: g = b − Aν (A the symmetric Toeplitz band matrix with first row
    /// <paramref name="toeplitz"/> = a₀ … a_w), r₁ = 1/(λ − ν), r₂ = 1/(λ + ν), the Newton matrix's added diagonal
    /// δ = μ₁·r₁ + μ₂·r₂, and the sums of <see cref="BoxQpSums"/>.
    /// </summary>
    public static BoxQpSums BoxQpResidual(ReadOnlySpan<double> toeplitz, ReadOnlySpan<double> b, ReadOnlySpan<double> nu, ReadOnlySpan<double> mu1, ReadOnlySpan<double> mu2, double lambda, Span<double> g, Span<double> r1, Span<double> r2, Span<double> delta)
    {
        CheckBoxQpLengths(b.Length, nu.Length, mu1.Length, mu2.Length, g.Length, r1.Length, r2.Length, delta.Length);
        if (toeplitz.Length < 1)
        {
            throw new ArgumentException("The Toeplitz row needs its diagonal a₀.", nameof(toeplitz));
        }

        if (Vector512.IsHardwareAccelerated)
        {
            return BoxQpResidual<Width512, Vector512<double>>(toeplitz, b, nu, mu1, mu2, lambda, g, r1, r2, delta);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return BoxQpResidual<Width256, Vector256<double>>(toeplitz, b, nu, mu1, mu2, lambda, g, r1, r2, delta);
        }

        return Vector128.IsHardwareAccelerated
            ? BoxQpResidual<Width128, Vector128<double>>(toeplitz, b, nu, mu1, mu2, lambda, g, r1, r2, delta)
            : BoxQpResidual<ScalarWidth, double>(toeplitz, b, nu, mu1, mu2, lambda, g, r1, r2, delta);
    }

    /// <summary>
    /// The predictor (affine-scaling) direction's longest step and complementarity term, in one pass: with dν given,
    /// dμ₁ = μ₁·(dν·r₁ − 1) and dμ₂ = −μ₂·(1 + dν·r₂); returns max(1, the largest of dν·r₁, −dν·r₂, −dμ₁/μ₁, −dμ₂/μ₂) —
    /// the longest step keeping slacks and multipliers positive is its reciprocal — and Σ dν·(dμ₂ − dμ₁).
    /// </summary>
    public static (double InverseStep, double Quadratic) BoxQpAffineStep(ReadOnlySpan<double> dv, ReadOnlySpan<double> mu1, ReadOnlySpan<double> mu2, ReadOnlySpan<double> r1, ReadOnlySpan<double> r2)
    {
        CheckBoxQpLengths(dv.Length, mu1.Length, mu2.Length, r1.Length, r2.Length);
        if (Vector512.IsHardwareAccelerated)
        {
            return BoxQpAffineStep<Width512, Vector512<double>>(dv, mu1, mu2, r1, r2);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return BoxQpAffineStep<Width256, Vector256<double>>(dv, mu1, mu2, r1, r2);
        }

        return Vector128.IsHardwareAccelerated
            ? BoxQpAffineStep<Width128, Vector128<double>>(dv, mu1, mu2, r1, r2)
            : BoxQpAffineStep<ScalarWidth, double>(dv, mu1, mu2, r1, r2);
    }

    /// <summary>
    /// The corrector's right side g − p₁·r₁ + p₂·r₂ into <paramref name="rhs"/>, with the centring and second-order terms
    /// p₁ = σ·τ + dμ₁ᵃ·dνᵃ and p₂ = σ·τ − dμ₂ᵃ·dνᵃ of the predictor direction <paramref name="affine"/> (σ·τ =
    /// <paramref name="target"/>).
    /// </summary>
    public static void BoxQpCorrectorRhs(double target, ReadOnlySpan<double> affine, ReadOnlySpan<double> mu1, ReadOnlySpan<double> mu2, ReadOnlySpan<double> r1, ReadOnlySpan<double> r2, ReadOnlySpan<double> g, Span<double> rhs)
    {
        CheckBoxQpLengths(affine.Length, mu1.Length, mu2.Length, r1.Length, r2.Length, g.Length, rhs.Length);
        if (Vector512.IsHardwareAccelerated)
        {
            BoxQpCorrectorRhs<Width512, Vector512<double>>(target, affine, mu1, mu2, r1, r2, g, rhs);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            BoxQpCorrectorRhs<Width256, Vector256<double>>(target, affine, mu1, mu2, r1, r2, g, rhs);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            BoxQpCorrectorRhs<Width128, Vector128<double>>(target, affine, mu1, mu2, r1, r2, g, rhs);
        }
        else
        {
            BoxQpCorrectorRhs<ScalarWidth, double>(target, affine, mu1, mu2, r1, r2, g, rhs);
        }
    }

    /// <summary>
    /// The corrector direction's longest step: with dν = <paramref name="direction"/> and p₁, p₂ as in
    /// <see cref="BoxQpCorrectorRhs"/>, dμ₁ = (p₁ + μ₁·dν)·r₁ − μ₁ and dμ₂ = (p₂ − μ₂·dν)·r₂ − μ₂; returns max(1, the largest of
    /// dν·r₁, −dν·r₂, −dμ₁/μ₁, −dμ₂/μ₂), the reciprocal of the longest step.
    /// </summary>
    public static double BoxQpCorrectorStep(double target, ReadOnlySpan<double> direction, ReadOnlySpan<double> affine, ReadOnlySpan<double> mu1, ReadOnlySpan<double> mu2, ReadOnlySpan<double> r1, ReadOnlySpan<double> r2)
    {
        CheckBoxQpLengths(direction.Length, affine.Length, mu1.Length, mu2.Length, r1.Length, r2.Length);
        if (Vector512.IsHardwareAccelerated)
        {
            return BoxQpCorrectorStep<Width512, Vector512<double>>(target, direction, affine, mu1, mu2, r1, r2);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return BoxQpCorrectorStep<Width256, Vector256<double>>(target, direction, affine, mu1, mu2, r1, r2);
        }

        return Vector128.IsHardwareAccelerated
            ? BoxQpCorrectorStep<Width128, Vector128<double>>(target, direction, affine, mu1, mu2, r1, r2)
            : BoxQpCorrectorStep<ScalarWidth, double>(target, direction, affine, mu1, mu2, r1, r2);
    }

    /// <summary>
    /// The step: ν += α·dν, μ₁ += α·dμ₁, μ₂ += α·dμ₂ with the corrector's dμ of <see cref="BoxQpCorrectorStep"/>, in place.
    /// </summary>
    public static void BoxQpUpdate(double alpha, double target, ReadOnlySpan<double> direction, ReadOnlySpan<double> affine, Span<double> mu1, Span<double> mu2, ReadOnlySpan<double> r1, ReadOnlySpan<double> r2, Span<double> nu)
    {
        CheckBoxQpLengths(direction.Length, affine.Length, mu1.Length, mu2.Length, r1.Length, r2.Length, nu.Length);
        if (Vector512.IsHardwareAccelerated)
        {
            BoxQpUpdate<Width512, Vector512<double>>(alpha, target, direction, affine, mu1, mu2, r1, r2, nu);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            BoxQpUpdate<Width256, Vector256<double>>(alpha, target, direction, affine, mu1, mu2, r1, r2, nu);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            BoxQpUpdate<Width128, Vector128<double>>(alpha, target, direction, affine, mu1, mu2, r1, r2, nu);
        }
        else
        {
            BoxQpUpdate<ScalarWidth, double>(alpha, target, direction, affine, mu1, mu2, r1, r2, nu);
        }
    }

    /// <summary><see cref="BoxQpResidual"/> at one width (the ends of the band, where rows are cut short, in scalars).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BoxQpSums BoxQpResidual<TWidth, TVector>(ReadOnlySpan<double> toeplitz, ReadOnlySpan<double> b, ReadOnlySpan<double> nu, ReadOnlySpan<double> mu1, ReadOnlySpan<double> mu2, double lambda, Span<double> g, Span<double> r1, Span<double> r2, Span<double> delta)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        int m = b.Length, w = toeplitz.Length - 1;
        int start = Math.Min(w, m), end = Math.Max(start, m - w);
        var refs = new BoxQpResidualRefs(b, nu, mu1, mu2, g, r1, r2, delta);
        var scalar = default(BoxQpAccumulators<double>);
        foreach (var (from, to) in (ReadOnlySpan<(int, int)>)[(0, start), (end, m)])
        {
            for (int i = from; i < to; i++)
            {
                double product = toeplitz[0] * nu[i];
                for (int k = 1; k < toeplitz.Length; k++)
                {
                    product += toeplitz[k] * ((i - k >= 0 ? nu[i - k] : 0.0) + (i + k < m ? nu[i + k] : 0.0));
                }

                BoxQpResidualAt<ScalarWidth, double>(product, (nuint)i, refs, lambda, ref scalar);
            }
        }

        var vector = new BoxQpAccumulators<TVector>(TWidth.Zero);
        var lambdas = TWidth.Broadcast(lambda);
        ref double x = ref MemoryMarshal.GetReference(nu);
        int j = start;
        for (; j <= end - TWidth.Count; j += TWidth.Count)
        {
            BoxQpResidualAt<TWidth, TVector>(ToeplitzRow<TWidth, TVector>(toeplitz, ref x, j), (nuint)j, refs, lambdas, ref vector);
        }

        for (; j < end; j++)
        {
            BoxQpResidualAt<ScalarWidth, double>(ToeplitzRow<ScalarWidth, double>(toeplitz, ref x, j), (nuint)j, refs, lambda, ref scalar);
        }

        return new BoxQpSums(
            TWidth.Sum(vector.First) + scalar.First,
            TWidth.Sum(vector.Second) + scalar.Second,
            TWidth.Sum(vector.Third) + scalar.Third,
            TWidth.Sum(vector.Fourth) + scalar.Fourth);
    }

    /// <summary><see cref="BoxQpAffineStep"/> at one width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (double InverseStep, double Quadratic) BoxQpAffineStep<TWidth, TVector>(ReadOnlySpan<double> dv, ReadOnlySpan<double> mu1, ReadOnlySpan<double> mu2, ReadOnlySpan<double> r1, ReadOnlySpan<double> r2)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        ref double d = ref MemoryMarshal.GetReference(dv);
        ref double m1 = ref MemoryMarshal.GetReference(mu1);
        ref double m2 = ref MemoryMarshal.GetReference(mu2);
        ref double q1 = ref MemoryMarshal.GetReference(r1);
        ref double q2 = ref MemoryMarshal.GetReference(r2);
        int n = dv.Length, i = 0;
        var ratio = TWidth.Broadcast(1.0);
        var quadratic = TWidth.Zero;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            AffineStepAt<TWidth, TVector>(TWidth.Load(ref d, (nuint)i), TWidth.Load(ref m1, (nuint)i), TWidth.Load(ref m2, (nuint)i), TWidth.Load(ref q1, (nuint)i), TWidth.Load(ref q2, (nuint)i), ref ratio, ref quadratic);
        }

        double scalarRatio = MaxLanes<TWidth, TVector>(ratio), scalarQuadratic = TWidth.Sum(quadratic);
        for (; i < n; i++)
        {
            AffineStepAt<ScalarWidth, double>(dv[i], mu1[i], mu2[i], r1[i], r2[i], ref scalarRatio, ref scalarQuadratic);
        }

        return (scalarRatio, scalarQuadratic);
    }

    /// <summary><see cref="BoxQpCorrectorRhs"/> at one width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BoxQpCorrectorRhs<TWidth, TVector>(double target, ReadOnlySpan<double> affine, ReadOnlySpan<double> mu1, ReadOnlySpan<double> mu2, ReadOnlySpan<double> r1, ReadOnlySpan<double> r2, ReadOnlySpan<double> g, Span<double> rhs)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        ref double a = ref MemoryMarshal.GetReference(affine);
        ref double m1 = ref MemoryMarshal.GetReference(mu1);
        ref double m2 = ref MemoryMarshal.GetReference(mu2);
        ref double q1 = ref MemoryMarshal.GetReference(r1);
        ref double q2 = ref MemoryMarshal.GetReference(r2);
        ref double gs = ref MemoryMarshal.GetReference(g);
        ref double out0 = ref MemoryMarshal.GetReference(rhs);
        var targets = TWidth.Broadcast(target);
        int n = affine.Length, i = 0;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            CorrectorRhsAt<TWidth, TVector>(targets, ref a, ref m1, ref m2, ref q1, ref q2, ref gs, ref out0, (nuint)i);
        }

        for (; i < n; i++)
        {
            CorrectorRhsAt<ScalarWidth, double>(target, ref a, ref m1, ref m2, ref q1, ref q2, ref gs, ref out0, (nuint)i);
        }
    }

    /// <summary><see cref="BoxQpCorrectorStep"/> at one width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double BoxQpCorrectorStep<TWidth, TVector>(double target, ReadOnlySpan<double> direction, ReadOnlySpan<double> affine, ReadOnlySpan<double> mu1, ReadOnlySpan<double> mu2, ReadOnlySpan<double> r1, ReadOnlySpan<double> r2)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        ref double d = ref MemoryMarshal.GetReference(direction);
        ref double a = ref MemoryMarshal.GetReference(affine);
        ref double m1 = ref MemoryMarshal.GetReference(mu1);
        ref double m2 = ref MemoryMarshal.GetReference(mu2);
        ref double q1 = ref MemoryMarshal.GetReference(r1);
        ref double q2 = ref MemoryMarshal.GetReference(r2);
        var targets = TWidth.Broadcast(target);
        var ratio = TWidth.Broadcast(1.0);
        int n = direction.Length, i = 0;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            CorrectorStepAt<TWidth, TVector>(targets, TWidth.Load(ref d, (nuint)i), TWidth.Load(ref a, (nuint)i), TWidth.Load(ref m1, (nuint)i), TWidth.Load(ref m2, (nuint)i), TWidth.Load(ref q1, (nuint)i), TWidth.Load(ref q2, (nuint)i), ref ratio);
        }

        double scalarRatio = MaxLanes<TWidth, TVector>(ratio);
        for (; i < n; i++)
        {
            CorrectorStepAt<ScalarWidth, double>(target, direction[i], affine[i], mu1[i], mu2[i], r1[i], r2[i], ref scalarRatio);
        }

        return scalarRatio;
    }

    /// <summary><see cref="BoxQpUpdate"/> at one width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BoxQpUpdate<TWidth, TVector>(double alpha, double target, ReadOnlySpan<double> direction, ReadOnlySpan<double> affine, Span<double> mu1, Span<double> mu2, ReadOnlySpan<double> r1, ReadOnlySpan<double> r2, Span<double> nu)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        ref double d = ref MemoryMarshal.GetReference(direction);
        ref double a = ref MemoryMarshal.GetReference(affine);
        ref double m1 = ref MemoryMarshal.GetReference(mu1);
        ref double m2 = ref MemoryMarshal.GetReference(mu2);
        ref double q1 = ref MemoryMarshal.GetReference(r1);
        ref double q2 = ref MemoryMarshal.GetReference(r2);
        ref double x = ref MemoryMarshal.GetReference(nu);
        var targets = TWidth.Broadcast(target);
        var alphas = TWidth.Broadcast(alpha);
        int n = direction.Length, i = 0;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            UpdateAt<TWidth, TVector>(alphas, targets, ref d, ref a, ref m1, ref m2, ref q1, ref q2, ref x, (nuint)i);
        }

        for (; i < n; i++)
        {
            UpdateAt<ScalarWidth, double>(alpha, target, ref d, ref a, ref m1, ref m2, ref q1, ref q2, ref x, (nuint)i);
        }
    }

    /// <summary>The entries from <paramref name="i"/> of <see cref="BoxQpCorrectorRhs"/>: g − p₁·r₁ + p₂·r₂.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CorrectorRhsAt<TWidth, TVector>(TVector target, ref double affine, ref double mu1, ref double mu2, ref double r1, ref double r2, ref double g, ref double rhs, nuint i)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        var (q1, q2) = (TWidth.Load(ref r1, i), TWidth.Load(ref r2, i));
        var (p1, p2) = Centring<TWidth, TVector>(target, TWidth.Load(ref affine, i), TWidth.Load(ref mu1, i), TWidth.Load(ref mu2, i), q1, q2);
        TWidth.Store(TWidth.MultiplyAdd(p2, q2, TWidth.Subtract(TWidth.Load(ref g, i), TWidth.Multiply(p1, q1))), ref rhs, i);
    }

    /// <summary>The entries from <paramref name="i"/> of <see cref="BoxQpUpdate"/>: ν, μ₁ and μ₂ advanced by α along the corrector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateAt<TWidth, TVector>(TVector alpha, TVector target, ref double direction, ref double affine, ref double mu1, ref double mu2, ref double r1, ref double r2, ref double nu, nuint i)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        var (dv, m1, m2) = (TWidth.Load(ref direction, i), TWidth.Load(ref mu1, i), TWidth.Load(ref mu2, i));
        var (dm1, dm2) = CorrectorMultiplierSteps<TWidth, TVector>(target, dv, TWidth.Load(ref affine, i), m1, m2, TWidth.Load(ref r1, i), TWidth.Load(ref r2, i));
        TWidth.Store(TWidth.MultiplyAdd(alpha, dv, TWidth.Load(ref nu, i)), ref nu, i);
        TWidth.Store(TWidth.MultiplyAdd(alpha, dm1, m1), ref mu1, i);
        TWidth.Store(TWidth.MultiplyAdd(alpha, dm2, m2), ref mu2, i);
    }

    /// <summary>(A·ν)ᵢ … (A·ν)ᵢ₊ₖ₋₁ for rows whose band lies inside (w ≤ i, i + count + w ≤ m).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector ToeplitzRow<TWidth, TVector>(ReadOnlySpan<double> toeplitz, ref double x, int i)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        var sum = TWidth.Multiply(TWidth.Broadcast(toeplitz[0]), TWidth.Load(ref x, (nuint)i));
        for (int k = 1; k < toeplitz.Length; k++)
        {
            sum = TWidth.MultiplyAdd(TWidth.Broadcast(toeplitz[k]), TWidth.Add(TWidth.Load(ref x, (nuint)(i - k)), TWidth.Load(ref x, (nuint)(i + k))), sum);
        }

        return sum;
    }

    /// <summary>The entries from <paramref name="i"/> of <see cref="BoxQpResidual"/>, given (Aν) there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BoxQpResidualAt<TWidth, TVector>(TVector product, nuint i, in BoxQpResidualRefs refs, TVector lambda, ref BoxQpAccumulators<TVector> sums)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        var x = TWidth.Load(ref refs.Nu, i);
        var gi = TWidth.Subtract(TWidth.Load(ref refs.B, i), product);
        TWidth.Store(gi, ref refs.G, i);
        var a = TWidth.Abs(gi);
        sums.First = TWidth.Add(sums.First, TWidth.Subtract(TWidth.Multiply(lambda, a), TWidth.Multiply(x, gi)));
        sums.Second = TWidth.MultiplyAdd(x, product, sums.Second);
        sums.Third = TWidth.Add(sums.Third, a);
        var s1 = TWidth.Subtract(lambda, x);
        var s2 = TWidth.Add(lambda, x);
        var one = TWidth.Broadcast(1.0);
        var q1 = TWidth.Divide(one, s1);
        var q2 = TWidth.Divide(one, s2);
        TWidth.Store(q1, ref refs.R1, i);
        TWidth.Store(q2, ref refs.R2, i);
        var m1 = TWidth.Load(ref refs.Mu1, i);
        var m2 = TWidth.Load(ref refs.Mu2, i);
        TWidth.Store(TWidth.MultiplyAdd(m1, q1, TWidth.Multiply(m2, q2)), ref refs.Delta, i);
        sums.Fourth = TWidth.MultiplyAdd(m1, s1, TWidth.MultiplyAdd(m2, s2, sums.Fourth));
    }

    /// <summary>One entry group of <see cref="BoxQpAffineStep"/>: the ratios' maximum and the complementarity term.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AffineStepAt<TWidth, TVector>(TVector dv, TVector mu1, TVector mu2, TVector r1, TVector r2, ref TVector ratio, ref TVector quadratic)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        // t = dν·r₁, u = dν·r₂: the ratios are t, −u, 1 − t (= −dμ₁/μ₁) and 1 + u (= −dμ₂/μ₂).
        var one = TWidth.Broadcast(1.0);
        var t = TWidth.Multiply(dv, r1);
        var u = TWidth.Multiply(dv, r2);
        var firstPair = TWidth.Max(t, TWidth.Subtract(one, t));
        var secondPair = TWidth.Max(TWidth.Subtract(TWidth.Zero, u), TWidth.Add(one, u));
        ratio = TWidth.Max(ratio, TWidth.Max(firstPair, secondPair));

        // dν·(dμ₂ − dμ₁) = −dν·(μ₂·(1 + u) + μ₁·(t − 1)).
        var sum = TWidth.MultiplyAdd(mu2, TWidth.Add(one, u), TWidth.Multiply(mu1, TWidth.Subtract(t, one)));
        quadratic = TWidth.Subtract(quadratic, TWidth.Multiply(dv, sum));
    }

    /// <summary>p₁ = σ·τ + dμ₁ᵃ·dνᵃ and p₂ = σ·τ − dμ₂ᵃ·dνᵃ with dμ₁ᵃ = μ₁·(dνᵃ·r₁ − 1), dμ₂ᵃ = −μ₂·(1 + dνᵃ·r₂).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVector P1, TVector P2) Centring<TWidth, TVector>(TVector target, TVector affine, TVector mu1, TVector mu2, TVector r1, TVector r2)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        var one = TWidth.Broadcast(1.0);
        var d1 = TWidth.Multiply(mu1, TWidth.MultiplyAdd(affine, r1, TWidth.Subtract(TWidth.Zero, one)));
        var d2 = TWidth.Multiply(mu2, TWidth.MultiplyAdd(affine, r2, one)); // −dμ₂ᵃ
        return (TWidth.MultiplyAdd(d1, affine, target), TWidth.MultiplyAdd(d2, affine, target));
    }

    /// <summary>The corrector's dμ₁ = (p₁ + μ₁·dν)·r₁ − μ₁ and dμ₂ = (p₂ − μ₂·dν)·r₂ − μ₂.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVector Dmu1, TVector Dmu2) CorrectorMultiplierSteps<TWidth, TVector>(TVector target, TVector dv, TVector affine, TVector mu1, TVector mu2, TVector r1, TVector r2)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        var (p1, p2) = Centring<TWidth, TVector>(target, affine, mu1, mu2, r1, r2);
        var dm1 = TWidth.Subtract(TWidth.Multiply(TWidth.MultiplyAdd(mu1, dv, p1), r1), mu1);
        var dm2 = TWidth.Subtract(TWidth.Multiply(TWidth.Subtract(p2, TWidth.Multiply(mu2, dv)), r2), mu2);
        return (dm1, dm2);
    }

    /// <summary>One entry group of <see cref="BoxQpCorrectorStep"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CorrectorStepAt<TWidth, TVector>(TVector target, TVector dv, TVector affine, TVector mu1, TVector mu2, TVector r1, TVector r2, ref TVector ratio)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        var (dm1, dm2) = CorrectorMultiplierSteps<TWidth, TVector>(target, dv, affine, mu1, mu2, r1, r2);
        var slacks = TWidth.Max(TWidth.Multiply(dv, r1), TWidth.Subtract(TWidth.Zero, TWidth.Multiply(dv, r2)));
        var multipliers = TWidth.Max(TWidth.Divide(TWidth.Subtract(TWidth.Zero, dm1), mu1), TWidth.Divide(TWidth.Subtract(TWidth.Zero, dm2), mu2));
        ratio = TWidth.Max(ratio, TWidth.Max(slacks, multipliers));
    }

    /// <summary>The largest lane of <paramref name="value"/>.</summary>
    private static double MaxLanes<TWidth, TVector>(TVector value)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
    {
        Span<double> lanes = stackalloc double[TWidth.Count];
        TWidth.Store(value, ref MemoryMarshal.GetReference(lanes), 0);
        double max = lanes[0];
        for (int k = 1; k < lanes.Length; k++)
        {
            max = Math.Max(max, lanes[k]);
        }

        return max;
    }

    private static void CheckBoxQpLengths(int length, params ReadOnlySpan<int> others)
    {
        foreach (int other in others)
        {
            if (other != length)
            {
                throw new ArgumentException($"The interior-point vectors differ in length ({length} and {other}).");
            }
        }
    }

    /// <summary>Four running sums of one width.</summary>
    private struct BoxQpAccumulators<TVector>(TVector zero)
        where TVector : struct
    {
        public TVector First = zero;
        public TVector Second = zero;
        public TVector Third = zero;
        public TVector Fourth = zero;
    }

    /// <summary>The first entries of the vectors of <see cref="BoxQpResidual"/>.</summary>
    private readonly ref struct BoxQpResidualRefs(ReadOnlySpan<double> b, ReadOnlySpan<double> nu, ReadOnlySpan<double> mu1, ReadOnlySpan<double> mu2, Span<double> g, Span<double> r1, Span<double> r2, Span<double> delta)
    {
        public readonly ref double B = ref MemoryMarshal.GetReference(b);
        public readonly ref double Nu = ref MemoryMarshal.GetReference(nu);
        public readonly ref double Mu1 = ref MemoryMarshal.GetReference(mu1);
        public readonly ref double Mu2 = ref MemoryMarshal.GetReference(mu2);
        public readonly ref double G = ref MemoryMarshal.GetReference(g);
        public readonly ref double R1 = ref MemoryMarshal.GetReference(r1);
        public readonly ref double R2 = ref MemoryMarshal.GetReference(r2);
        public readonly ref double Delta = ref MemoryMarshal.GetReference(delta);
    }
}
