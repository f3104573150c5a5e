// SPDX-License-Identifier: BSD-3-Clause
using System.Buffers.Binary;
using System.IO.Compression;
using MathNet.Numerics.LinearAlgebra;

namespace SparseModeling.Benchmarks.Shared;

/// <summary>
/// Reads an 8-bit grayscale, non-interlaced PNG (such as camera.png, scikit-image's <c>data.camera()</c>) into a matrix of
/// its pixel values 0..255, without an image library: the benchmarks need the exact pixels numpy sees, nothing more.
/// </summary>
internal static class GrayPng
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>camera.png (512×512), copied beside the program from samples/ImageReconstruction/data.</summary>
    public static Matrix<double> Camera() => Read(Path.Combine(AppContext.BaseDirectory, "data", "camera.png"));

    /// <summary>The pixels of <paramref name="path"/>, rows × columns, as 0..255.</summary>
    public static Matrix<double> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!bytes.AsSpan(0, 8).SequenceEqual(Signature))
        {
            throw new InvalidDataException($"{path} is not a PNG file.");
        }

        int width = 0, height = 0;
        using var compressed = new MemoryStream();
        for (int at = 8; at + 8 <= bytes.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[9] != 0 || data[12] != 0)
                {
                    throw new InvalidDataException($"{path}: only 8-bit grayscale non-interlaced PNG is read here.");
                }
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }

            at += 12 + length;
        }

        compressed.Position = 0;
        using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
        var raw = new byte[height * (width + 1)];
        inflater.ReadExactly(raw);
        var pixels = Matrix<double>.Build.Dense(height, width);
        var previous = new byte[width];
        var line = new byte[width];
        for (int i = 0; i < height; i++)
        {
            int filter = raw[i * (width + 1)];
            var source = raw.AsSpan((i * (width + 1)) + 1, width);
            for (int j = 0; j < width; j++)
            {
                int left = j > 0 ? line[j - 1] : 0, up = previous[j], upLeft = j > 0 ? previous[j - 1] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"{path}: unknown PNG filter {filter} in row {i}."),
                };
                line[j] = (byte)(source[j] + predictor);
                pixels[i, j] = line[j];
            }

            (previous, line) = (line, previous);
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
