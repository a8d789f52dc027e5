using System.Buffers;
using System.Text;

namespace BitEarth.Trainer.Export;

/// <summary>
/// Protocol Buffers wire format, just what ONNX messages need: varint scalars, length-delimited
/// strings, bytes and nested messages, packed repeated int64.
/// </summary>
public sealed class ProtoWriter
{
    private const int VarintWire = 0, LengthWire = 2;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    public ProtoWriter Int64Field(int field, long value)
    {
        Tag(field, VarintWire);
        Varint((ulong)value);
        return this;
    }

    public ProtoWriter StringField(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthWire);
        Varint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter PackedInt64(int field, IEnumerable<long> values)
    {
        var packed = new ProtoWriter();
        foreach (long v in values) packed.Varint((ulong)v);
        return Bytes(field, packed.ToArray());
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void Tag(int field, int wireType) => Varint((ulong)(field << 3 | wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        WriteByte((byte)value);
    }

    private void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }
}
