// SPDX-License-Identifier: BSD-3-Clause
namespace SparseModeling;

/// <summary>
/// The SplitMix64 generator (Steele, Lea and Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014): a 64-bit state advanced by a Weyl sequence and scrambled. Every
/// random choice of the library (coordinate order, initialisations) draws from it, so a seed gives
/// the same results on every platform and .NET version; the benchmark problems are built from the
/// same generator (Box–Muller normals) as the Python reference script.
/// </summary>
internal sealed class SplitMix64
{
    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    /// <summary>Starts the generator at <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        unchecked
        {
            _state += 0x9E3779B97F4A7C15UL;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) (Lemire's multiply-shift, unbiased).</summary>
    public int NextInt(int bound)
    {
        ulong range = (ulong)bound;
        ulong x = NextUInt64();
        UInt128 m = (UInt128)x * range;
        ulong low = (ulong)m;
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
            {
                x = NextUInt64();
                m = (UInt128)x * range;
                low = (ulong)m;
            }
        }

        return (int)(m >> 64);
    }

    /// <summary>
    /// A standard normal draw by Box–Muller on consecutive pairs of uniforms (u1 = 1 − a, u2 = b):
    /// r·cos(2πu2) first, then r·sin(2πu2), exactly as the shared benchmark generator.
    /// </summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = r * Math.Sin(2.0 * Math.PI * u2);
        _hasSpare = true;
        return r * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills <paramref name="destination"/> with standard normal draws.</summary>
    public void FillNormal(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextNormal();
        }
    }
}
