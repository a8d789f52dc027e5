using System.Buffers.Binary;

namespace BitEarth.Core.Patches;

/// <summary>
/// Checks the first image directory of a classic TIFF before LibTiff sees it: every tag's data must lie inside
/// the file. LibTiff.NET spends up to a minute on a single flipped byte that inflates a tag's count, so the
/// check turns such damage into an immediate <see cref="PatchFormatException"/>; and every strip or tile must lie
/// inside the file, as LibTiff allocates a strip's declared byte count before reading it (a fuzzed count made it
/// allocate 672 MiB for a 107 KB file). BigTIFF is left to LibTiff.
/// </summary>
internal static class TiffDirectoryCheck
{
    public static void Require(string file, ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
            throw new PatchFormatException(file, $"{tiff.Length} bytes is too short for a TIFF header");
        bool little = tiff[0] == (byte)'I' && tiff[1] == (byte)'I';
        if (!little && !(tiff[0] == (byte)'M' && tiff[1] == (byte)'M'))
            throw new PatchFormatException(file, "no TIFF byte-order mark");
        int magic = U16(tiff, 2, little);
        if (magic == 43)
            return;
        if (magic != 42)
            throw new PatchFormatException(file, $"TIFF magic {magic}, expected 42");

        long directory = U32(tiff, 4, little);
        if (directory < 8 || directory + 2 > tiff.Length)
            throw new PatchFormatException(file, $"image directory offset {directory} outside the file");
        int entries = U16(tiff, (int)directory, little);
        if (directory + 2 + 12L * entries + 4 > tiff.Length)
            throw new PatchFormatException(file, $"image directory of {entries} entries runs past the end of the file");
        for (int i = 0; i < entries; i++)
        {
            int entry = (int)directory + 2 + 12 * i;
            int tag = U16(tiff, entry, little), type = U16(tiff, entry + 2, little);
            long size = U32(tiff, entry + 4, little) * TypeSize(type);
            if (size > 4 && U32(tiff, entry + 8, little) + size > tiff.Length)
                throw new PatchFormatException(file, $"TIFF tag {tag} claims {size} bytes past the end of the file");
        }
        RequireSegmentsInside(file, tiff, little, (int)directory, entries, StripOffsets, StripByteCounts, "strip");
        RequireSegmentsInside(file, tiff, little, (int)directory, entries, TileOffsets, TileByteCounts, "tile");
    }

    private const int StripOffsets = 273, StripByteCounts = 279, TileOffsets = 324, TileByteCounts = 325;

    private static void RequireSegmentsInside(string file, ReadOnlySpan<byte> tiff, bool little, int directory, int entries,
        int offsetsTag, int countsTag, string kind)
    {
        var offsets = Values(tiff, little, directory, entries, offsetsTag);
        var counts = Values(tiff, little, directory, entries, countsTag);
        if (offsets is null || counts is null) return;
        if (offsets.Length != counts.Length)
            throw new PatchFormatException(file, $"{offsets.Length} {kind} offsets but {counts.Length} {kind} byte counts");
        for (int i = 0; i < offsets.Length; i++)
            if (offsets[i] + counts[i] > tiff.Length)
                throw new PatchFormatException(file, $"{kind} {i} ({counts[i]} bytes at {offsets[i]}) lies past the end of the file");
    }

    // A SHORT or LONG array tag's values (inline when they fit in 4 bytes); null when the tag is absent or of another type.
    private static long[]? Values(ReadOnlySpan<byte> tiff, bool little, int directory, int entries, int tag)
    {
        for (int i = 0; i < entries; i++)
        {
            int entry = directory + 2 + 12 * i;
            if (U16(tiff, entry, little) != tag) continue;
            int type = U16(tiff, entry + 2, little);
            if (type is not (3 or 4)) return null;
            long count = U32(tiff, entry + 4, little), width = type == 3 ? 2 : 4;
            // The loop above checked that an out-of-line array lies inside the file.
            long at = count * width > 4 ? U32(tiff, entry + 8, little) : entry + 8;
            var values = new long[count];
            for (int v = 0; v < count; v++)
                values[v] = type == 3 ? U16(tiff, (int)(at + v * width), little) : U32(tiff, (int)(at + v * width), little);
            return values;
        }
        return null;
    }

    // Unknown types count as size 0: LibTiff skips them, so they cannot make it read anything.
    private static long TypeSize(int type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 16 or 17 or 18 => 8,
        _ => 0,
    };

    private static int U16(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt16BigEndian(b[at..]);

    private static long U32(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt32BigEndian(b[at..]);
}
