using System.Buffers.Binary;
using System.Text;

namespace BitEarth.Core.Residency;

/// <summary>
/// Reads what <see cref="BinaryWriter"/> wrote (little-endian numbers, 7-bit encoded lengths, length-prefixed UTF-8)
/// straight from a span, so parsing a snapshot section copies nothing; running past the end is an
/// <see cref="EndOfStreamException"/>.
/// </summary>
internal ref struct SnapshotReader(ReadOnlySpan<byte> bytes, int position)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;

    public int Position { get; private set; } = position;

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int)));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));

    public int Read7BitEncodedInt()
    {
        uint value = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            byte b = Take(1)[0];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) return (int)value;
        }
        throw new FormatException("a 7-bit encoded number runs over 5 bytes.");
    }

    public string ReadString()
    {
        int length = Read7BitEncodedInt();
        if (length < 0) throw new FormatException($"string length {length} is negative.");
        return Encoding.UTF8.GetString(Take(length));
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _bytes.Length - Position) throw new EndOfStreamException($"{count} bytes wanted at {Position} of {_bytes.Length}.");
        var taken = _bytes.Slice(Position, count);
        Position += count;
        return taken;
    }
}
