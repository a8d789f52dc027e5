
namespace BitEarth.Onnx.Pretrained;

/// <summary>
/// Rewrites the ResNet-18 of the featurizer package so it accepts any batch and any input size: it was exported with a
/// fixed [1,3,224,224] input, [1,512,1,1] output and a final 7x7 AveragePool, and ONNX Runtime rejects other shapes.
/// The input's batch, height and width and the output's batch become symbolic; the AveragePool becomes
/// GlobalAveragePool (identical at 224, where the last map is 7x7; the mean over whatever map a smaller input gives);
/// the recorded intermediate shapes (value_info) are dropped, so the runtime infers them. Works on the protobuf wire
/// format: nodes other than the pooling and all weights are copied byte for byte. Valid only for a graph without
/// shape literals (no Reshape to a constant), which holds for this convolution stack.
/// </summary>
public static class OnnxFlexibleInput
{
    private const int ModelGraph = 7;
    private const int GraphNode = 1, GraphInput = 11, GraphOutput = 12, GraphValueInfo = 13;
    private const int NodeOpType = 4, NodeAttribute = 5;
    private const int ValueInfoType = 2, TypeTensor = 1, TensorShape = 2, ShapeDim = 1, DimParam = 2;

    public static byte[] Rewrite(ReadOnlySpan<byte> model)
    {
        var output = new MemoryStream(model.Length + 1024);
        RewriteMessage(model, output, (field, body, o) =>
        {
            if (field != ModelGraph) return false;
            WriteLengthDelimited(o, field, Rewrite(body, RewriteGraphField));
            return true;
        });
        return output.ToArray();
    }

    private static bool RewriteGraphField(int field, ReadOnlySpan<byte> body, Stream output)
    {
        switch (field)
        {
            case GraphValueInfo: return true; // dropped: fixed intermediate shapes would contradict other input sizes
            case GraphNode:
                if (!IsAveragePool(body)) return false;
                WriteLengthDelimited(output, field, Rewrite(body, (f, b, o) =>
                {
                    if (f == NodeAttribute) return true; // kernel, strides, pads: none apply to the global pooling
                    if (f != NodeOpType) return false;
                    WriteLengthDelimited(o, f, "GlobalAveragePool"u8);
                    return true;
                }));
                return true;
            case GraphInput or GraphOutput:
                int[] symbolic = field == GraphInput ? [0, 2, 3] : [0];
                return WriteNested(output, field, body, ValueInfoType, type => Rewrite(type, (tf, tb, to) => tf == TypeTensor
                    && WriteNested(to, tf, tb, TensorShape, shape => Symbolic(shape, symbolic))));
            default: return false;
        }
    }

    private static bool IsAveragePool(ReadOnlySpan<byte> node)
    {
        bool found = false;
        Rewrite(node, (f, b, _) =>
        {
            if (f == NodeOpType && b.SequenceEqual("AveragePool"u8)) found = true;
            return false;
        });
        return found;
    }

    /// <summary>Rewrites the one field <paramref name="inner"/> of the message <paramref name="body"/> with <paramref name="transform"/>.</summary>
    private static bool WriteNested(Stream output, int field, ReadOnlySpan<byte> body, int inner, Func<byte[], byte[]> transform)
    {
        var rewritten = Rewrite(body, (f, b, o) =>
        {
            if (f != inner) return false;
            WriteLengthDelimited(o, f, transform(b.ToArray()));
            return true;
        });
        WriteLengthDelimited(output, field, rewritten);
        return true;
    }

    private delegate bool FieldRewriter(int field, ReadOnlySpan<byte> body, Stream output);

    private static byte[] Rewrite(ReadOnlySpan<byte> message, FieldRewriter rewriter)
    {
        var output = new MemoryStream(message.Length + 16);
        RewriteMessage(message, output, rewriter);
        return output.ToArray();
    }

    /// <summary>Copies every field; length-delimited ones go to <paramref name="rewriter"/> first, which may write them itself.</summary>
    private static void RewriteMessage(ReadOnlySpan<byte> message, Stream output, FieldRewriter rewriter)
    {
        int position = 0;
        while (position < message.Length)
        {
            int start = position;
            ulong tag = ReadVarint(message, ref position);
            int field = (int)(tag >> 3), wire = (int)(tag & 7);
            switch (wire)
            {
                case 0: ReadVarint(message, ref position); break;
                case 1: position += 8; break;
                case 5: position += 4; break;
                case 2:
                    int length = checked((int)ReadVarint(message, ref position));
                    var body = message.Slice(position, length);
                    position += length;
                    if (rewriter(field, body, output)) continue;
                    break;
                default: throw new InvalidDataException($"ONNX model: unsupported protobuf wire type {wire}.");
            }
            if (position > message.Length) throw new InvalidDataException("ONNX model: truncated protobuf field.");
            output.Write(message[start..position]);
        }
    }

    /// <summary>The dims at <paramref name="positions"/> become symbolic ones named d0, d2, ...</summary>
    private static byte[] Symbolic(byte[] shape, int[] positions)
    {
        int index = 0;
        return Rewrite(shape, (field, body, output) =>
        {
            if (field != ShapeDim) return false;
            int position = index++;
            if (!positions.Contains(position)) return false;
            var dim = new MemoryStream();
            WriteLengthDelimited(dim, DimParam, System.Text.Encoding.UTF8.GetBytes($"d{position}"));
            WriteLengthDelimited(output, field, dim.ToArray());
            return true;
        });
    }

    private static void WriteLengthDelimited(Stream output, int field, ReadOnlySpan<byte> body)
    {
        WriteVarint(output, ((ulong)field << 3) | 2);
        WriteVarint(output, (ulong)body.Length);
        output.Write(body);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length) throw new InvalidDataException("ONNX model: truncated varint.");
            byte b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("ONNX model: varint longer than 64 bits.");
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        Span<byte> buffer = stackalloc byte[10];
        int n = 0;
        while (value >= 0x80) { buffer[n++] = (byte)(value | 0x80); value >>= 7; }
        buffer[n++] = (byte)value;
        output.Write(buffer[..n]);
    }
}
