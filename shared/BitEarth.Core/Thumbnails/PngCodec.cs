using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace BitEarth.Core.Thumbnails;

/// <summary>
/// The PNG subset thumbnails need: 8-bit truecolour, not interlaced (PNG 1.2, ISO/IEC 15948). Encoding writes the "Up"
/// filter on every row (neighbouring rows of a patch are alike, so the deltas deflate well); decoding reads what this
/// encoder writes and any other filter type, so a stored thumbnail can be resampled without the patch's rasters.
/// </summary>
public static class PngCodec
{
    private const byte FilterUp = 2;

    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int stride = image.Width * 3;
        using var output = new MemoryStream();
        output.Write(Signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: truecolour
        // compression 0 (deflate), filter method 0, interlace 0 (none)
        WriteChunk(output, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[1 + stride];
            row[0] = FilterUp;
            for (int y = 0; y < image.Height; y++)
            {
                var current = image.Pixels.AsSpan(y * stride, stride);
                for (int i = 0; i < stride; i++)
                    row[1 + i] = (byte)(current[i] - (y > 0 ? image.Pixels[(y - 1) * stride + i] : 0));
                zlib.Write(row);
            }
        }
        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>Decodes an 8-bit truecolour PNG; anything else is an <see cref="InvalidDataException"/>.</summary>
    public static RgbImage Decode(ReadOnlySpan<byte> png)
    {
        if (png.Length < Signature.Length || !png[..Signature.Length].SequenceEqual(Signature))
            throw new InvalidDataException("not a PNG (signature)");
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        int at = Signature.Length;
        while (at + 12 <= png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png[at..]);
            if (length < 0 || at + 12 + length > png.Length) throw new InvalidDataException("truncated PNG chunk");
            var type = Encoding.ASCII.GetString(png.Slice(at + 4, 4));
            var data = png.Slice(at + 8, length);
            if (Crc32.HashToUInt32(png.Slice(at + 4, 4 + length)) != BinaryPrimitives.ReadUInt32BigEndian(png[(at + 8 + length)..]))
                throw new InvalidDataException($"PNG chunk {type} fails its CRC");
            at += 12 + length;
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[9] != 2 || data[12] != 0)
                    throw new InvalidDataException("only 8-bit truecolour, non-interlaced PNGs are read");
                if (width is < 1 or > 4096 || height is < 1 or > 4096) throw new InvalidDataException($"implausible PNG size {width}x{height}");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
        }
        if (width == 0) throw new InvalidDataException("PNG has no IHDR");

        int stride = width * 3;
        var pixels = new byte[stride * height];
        var row = new byte[1 + stride];
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        for (int y = 0; y < height; y++)
        {
            zlib.ReadExactly(row);
            Unfilter(row[0], row.AsSpan(1), pixels.AsSpan(y * stride, stride), y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : default);
        }
        return new RgbImage(width, height, pixels);
    }

    private static void Unfilter(byte filter, ReadOnlySpan<byte> raw, Span<byte> target, ReadOnlySpan<byte> above)
    {
        for (int i = 0; i < raw.Length; i++)
        {
            int left = i >= 3 ? target[i - 3] : 0, up = above.IsEmpty ? 0 : above[i], upLeft = i >= 3 && !above.IsEmpty ? above[i - 3] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                4 => Paeth(left, up, upLeft),
                _ => throw new InvalidDataException($"unknown PNG filter type {filter}"),
            };
            target[i] = (byte)(raw[i] + predictor);
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeAndData = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData.AsSpan(4));
        output.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.HashToUInt32(typeAndData));
        output.Write(word);
    }
}
