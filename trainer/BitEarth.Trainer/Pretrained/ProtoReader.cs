using System.Text;

namespace BitEarth.Trainer.Pretrained;

/// <summary>
/// Protocol Buffers wire format, reading side of <see cref="Export.ProtoWriter"/>: walks the fields of one message
/// (varint, 64-bit, length-delimited, 32-bit), enough to read ONNX graphs.
/// </summary>
public ref struct ProtoReader(ReadOnlySpan<byte> message)
{
    private const int VarintWire = 0, Fixed64Wire = 1, LengthWire = 2, Fixed32Wire = 5;

    private readonly ReadOnlySpan<byte> _message = message;
    private int _position;

    public int Field { get; private set; }

    public int WireType { get; private set; }

    /// <summary>Varint value of the current field (wire type 0), or the raw bits of a fixed-width one.</summary>
    public ulong Scalar { get; private set; }

    /// <summary>Bytes of the current length-delimited field (wire type 2).</summary>
    public ReadOnlySpan<byte> Bytes { get; private set; }

    public readonly string Text => Encoding.UTF8.GetString(Bytes);

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    /// <exception cref="InvalidDataException">The message is truncated or uses a wire type ONNX does not.</exception>
    public bool Next()
    {
        if (_position >= _message.Length) return false;
        ulong tag = Varint();
        Field = (int)(tag >> 3);
        WireType = (int)(tag & 7);
        Bytes = default;
        switch (WireType)
        {
            case VarintWire:
                Scalar = Varint();
                break;
            case Fixed64Wire:
                Scalar = BitConverter.ToUInt64(Take(8));
                break;
            case Fixed32Wire:
                Scalar = BitConverter.ToUInt32(Take(4));
                break;
            case LengthWire:
                Bytes = Take(checked((int)Varint()));
                break;
            default:
                throw new InvalidDataException($"protobuf wire type {WireType} at byte {_position} is not supported");
        }
        return true;
    }

    /// <summary>The current field as repeated int64: one varint, or a packed run of them.</summary>
    public readonly List<long> Int64s()
    {
        if (WireType == VarintWire) return [(long)Scalar];
        var packed = new ProtoReader(Bytes);
        var values = new List<long>();
        while (packed._position < packed._message.Length) values.Add((long)packed.Varint());
        return values;
    }

    private ulong Varint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = Take(1)[0];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException($"protobuf varint longer than 10 bytes at byte {_position}");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + count > _message.Length)
            throw new InvalidDataException($"protobuf message truncated at byte {_position} (needs {count} more bytes)");
        var span = _message.Slice(_position, count);
        _position += count;
        return span;
    }
}
