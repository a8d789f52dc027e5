using System.Runtime.InteropServices;

namespace BitEarth.Trainer.Pretrained;

/// <summary>
/// The parts of an ONNX model file a weight import needs: the graph's nodes in order (op type, inputs, outputs,
/// integer-list attributes) and its float initializers (raw_data or float_data). Field numbers follow onnx.proto3.
/// </summary>
public sealed class OnnxGraphFile
{
    public sealed record Node(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, IReadOnlyList<long>> Ints);

    public sealed record Initializer(string Name, long[] Dims, float[] Values);

    private const int FloatType = 1;

    private OnnxGraphFile(List<Node> nodes, Dictionary<string, Initializer> initializers)
    {
        Nodes = nodes;
        Initializers = initializers;
    }

    public IReadOnlyList<Node> Nodes { get; }

    public IReadOnlyDictionary<string, Initializer> Initializers { get; }

    /// <exception cref="InvalidDataException">Not an ONNX model, or an initializer that is not float.</exception>
    public static OnnxGraphFile Read(ReadOnlySpan<byte> model)
    {
        var reader = new ProtoReader(model);
        while (reader.Next())
            if (reader.Field == 7 && reader.WireType == 2) return ReadGraph(reader.Bytes); // ModelProto.graph
        throw new InvalidDataException("the file holds no ONNX graph (ModelProto field 7)");
    }

    private static OnnxGraphFile ReadGraph(ReadOnlySpan<byte> graph)
    {
        var nodes = new List<Node>();
        var initializers = new Dictionary<string, Initializer>(StringComparer.Ordinal);
        var reader = new ProtoReader(graph);
        while (reader.Next())
        {
            if (reader.Field == 1) nodes.Add(ReadNode(reader.Bytes));
            else if (reader.Field == 5)
            {
                var initializer = ReadInitializer(reader.Bytes);
                initializers[initializer.Name] = initializer;
            }
        }
        return new OnnxGraphFile(nodes, initializers);
    }

    private static Node ReadNode(ReadOnlySpan<byte> node)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var ints = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);
        string opType = "";
        var reader = new ProtoReader(node);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: inputs.Add(reader.Text); break;
                case 2: outputs.Add(reader.Text); break;
                case 4: opType = reader.Text; break;
                case 5:
                    var (name, values) = ReadIntsAttribute(reader.Bytes);
                    if (values.Count > 0) ints[name] = values;
                    break;
            }
        }
        return new Node(opType, inputs, outputs, ints);
    }

    /// <summary>AttributeProto name (1), i (3) and ints (8); other kinds come back empty.</summary>
    private static (string Name, List<long> Values) ReadIntsAttribute(ReadOnlySpan<byte> attribute)
    {
        string name = "";
        var values = new List<long>();
        var reader = new ProtoReader(attribute);
        while (reader.Next())
        {
            if (reader.Field == 1) name = reader.Text;
            else if (reader.Field is 3 or 8) values.AddRange(reader.Int64s());
        }
        return (name, values);
    }

    private static Initializer ReadInitializer(ReadOnlySpan<byte> proto)
    {
        var dims = new List<long>();
        var floats = new List<float>();
        float[]? raw = null;
        string name = "";
        long dataType = FloatType;
        var reader = new ProtoReader(proto);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: dims.AddRange(reader.Int64s()); break;
                case 2: dataType = (long)reader.Scalar; break;
                case 4: // float_data: packed, or one fixed32 per value
                    if (reader.WireType == 2) floats.AddRange(MemoryMarshal.Cast<byte, float>(reader.Bytes).ToArray());
                    else floats.Add(BitConverter.UInt32BitsToSingle((uint)reader.Scalar));
                    break;
                case 8: name = reader.Text; break;
                case 9: raw = MemoryMarshal.Cast<byte, float>(reader.Bytes).ToArray(); break;
            }
        }
        if (dataType != FloatType) throw new InvalidDataException($"initializer '{name}' has data type {dataType}, not float");
        var values = raw ?? floats.ToArray();
        long expected = dims.Aggregate(1L, (a, d) => a * d);
        if (values.Length != expected)
            throw new InvalidDataException($"initializer '{name}' holds {values.Length} values for shape [{string.Join(",", dims)}]");
        return new Initializer(name, [.. dims], values);
    }
}
