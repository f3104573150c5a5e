// SPDX-License-Identifier: BSD-3-Clause
// A small animated-GIF (GIF89a) encoder: SkiaSharp, which ScottPlot draws with, writes PNG but not GIF.
// One global palette of the 255 colours the frames use most (a plot has few colours: background, grid,
// text, the series colours and their anti-aliased edges), every other colour mapped to the nearest of
// them; index 255 is transparent and marks the pixels a frame leaves as the previous frame drew them,
// so that the long unchanged runs compress to almost nothing; variable-width LZW compression as the
// GIF89a specification describes.
namespace NmfLearning;

internal static class GifWriter
{
    private const int MaxCodes = 4096;
    private const byte Unchanged = 255;

    /// <summary>Writes <paramref name="frames"/> (ARGB pixels, row by row) as a looping animation.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <param name="frames">One array of <c>width × height</c> ARGB pixels per frame.</param>
    /// <param name="delayCentiseconds">How long each frame stays, in hundredths of a second.</param>
    /// <param name="lastDelayCentiseconds">How long the last frame stays before the loop starts again.</param>
    public static void Write(string path, int width, int height, IReadOnlyList<uint[]> frames, int delayCentiseconds, int lastDelayCentiseconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfZero(frames.Count);
        foreach (uint[] frame in frames)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(frame.Length, width * height);
        }

        uint[] palette = BuildPalette(frames);
        var nearest = new Dictionary<uint, byte>();
        using var file = File.Create(path);
        using var output = new BinaryWriter(file);

        output.Write("GIF89a"u8);
        output.Write((ushort)width);
        output.Write((ushort)height);
        output.Write((byte)0xF7); // global colour table of 2^(7+1) = 256 entries, 8 bits per primary
        output.Write((byte)0);    // background colour index
        output.Write((byte)0);    // square pixels
        foreach (uint argb in palette)
        {
            output.Write((byte)(argb >> 16));
            output.Write((byte)(argb >> 8));
            output.Write((byte)argb);
        }

        // NETSCAPE2.0 application extension: loop forever.
        output.Write([0x21, 0xFF, 0x0B]);
        output.Write("NETSCAPE2.0"u8);
        output.Write([0x03, 0x01, 0x00, 0x00, 0x00]);

        byte[] shown = new byte[width * height];
        byte[] indices = new byte[width * height];
        for (int f = 0; f < frames.Count; f++)
        {
            uint[] frame = frames[f];
            for (int p = 0; p < frame.Length; p++)
            {
                uint colour = frame[p] & 0xFFFFFF;
                if (!nearest.TryGetValue(colour, out byte index))
                {
                    index = Nearest(palette, colour);
                    nearest[colour] = index;
                }

                indices[p] = f > 0 && shown[p] == index ? Unchanged : index;
                shown[p] = index;
            }

            int delay = f == frames.Count - 1 ? lastDelayCentiseconds : delayCentiseconds;
            output.Write([0x21, 0xF9, 0x04, 0x05]); // graphic control: leave the frame in place, index 255 transparent
            output.Write((ushort)delay);
            output.Write([Unchanged, 0x00]);

            output.Write((byte)0x2C); // image descriptor: the whole screen, no local palette, not interlaced
            output.Write((ushort)0);
            output.Write((ushort)0);
            output.Write((ushort)width);
            output.Write((ushort)height);
            output.Write((byte)0);

            output.Write((byte)8); // LZW minimum code size
            byte[] compressed = Compress(indices);
            for (int start = 0; start < compressed.Length; start += 255)
            {
                int length = Math.Min(255, compressed.Length - start);
                output.Write((byte)length);
                output.Write(compressed, start, length);
            }

            output.Write((byte)0);
        }

        output.Write((byte)0x3B);
    }

    private static uint[] BuildPalette(IReadOnlyList<uint[]> frames)
    {
        var counts = new Dictionary<uint, int>();
        foreach (uint[] frame in frames)
        {
            foreach (uint argb in frame)
            {
                uint colour = argb & 0xFFFFFF;
                counts[colour] = counts.GetValueOrDefault(colour) + 1;
            }
        }

        uint[] palette = new uint[256];
        int used = 0;
        foreach (var (colour, _) in counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key).Take(Unchanged))
        {
            palette[used++] = colour;
        }

        for (; used < palette.Length; used++)
        {
            palette[used] = palette[0];
        }

        return palette;
    }

    private static byte Nearest(uint[] palette, uint colour)
    {
        int best = 0;
        int bestDistance = int.MaxValue;
        for (int i = 0; i < Unchanged; i++)
        {
            int dr = (int)((colour >> 16) & 0xFF) - (int)((palette[i] >> 16) & 0xFF);
            int dg = (int)((colour >> 8) & 0xFF) - (int)((palette[i] >> 8) & 0xFF);
            int db = (int)(colour & 0xFF) - (int)(palette[i] & 0xFF);
            int distance = (dr * dr) + (dg * dg) + (db * db);
            if (distance < bestDistance)
            {
                best = i;
                bestDistance = distance;
            }
        }

        return (byte)best;
    }

    // Variable-width LZW over 8-bit indices: codes 0-255 are the single indices, 256 clears the table,
    // 257 ends the data, new strings get 258 onwards; the code width grows from 9 bits as the table grows
    // and the table is cleared when it reaches 4096 codes. Codes are packed least significant bit first.
    private static byte[] Compress(byte[] indices)
    {
        const int Clear = 256, End = 257;
        var packed = new List<byte>(indices.Length / 4);
        var table = new Dictionary<int, int>();
        int next = End + 1;
        int width = 9;
        int buffer = 0, bits = 0;

        void Emit(int code)
        {
            buffer |= code << bits;
            bits += width;
            while (bits >= 8)
            {
                packed.Add((byte)buffer);
                buffer >>= 8;
                bits -= 8;
            }

            // The decoder adds an entry after each code it reads and widens when the table outgrows the width.
            if (next > (1 << width) - 1 && width < 12)
            {
                width++;
            }
        }

        Emit(Clear);
        int prefix = indices[0];
        for (int p = 1; p < indices.Length; p++)
        {
            int key = (prefix << 8) | indices[p];
            if (table.TryGetValue(key, out int code))
            {
                prefix = code;
                continue;
            }

            Emit(prefix);
            if (next < MaxCodes)
            {
                table[key] = next++;
            }
            else
            {
                Emit(Clear);
                table.Clear();
                next = End + 1;
                width = 9;
            }

            prefix = indices[p];
        }

        Emit(prefix);
        Emit(End);
        if (bits > 0)
        {
            packed.Add((byte)buffer);
        }

        return [.. packed];
    }
}
