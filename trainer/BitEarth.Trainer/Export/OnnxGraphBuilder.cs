using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Export;

/// <summary>
/// Builds an ONNX ModelProto (ir_version 8, default-domain opset 17) for an image-to-vector network: one float
/// input [N,C,H,W], one float output [N,Out], weights as raw-data initializers. Field numbers follow onnx.proto3.
/// </summary>
public sealed class OnnxGraphBuilder
{
    private const int FloatType = 1, Int64Type = 7; // TensorProto.DataType FLOAT, INT64
    private const int IntsAttribute = 7, IntAttribute = 2; // AttributeProto.AttributeType

    private readonly List<Node> _nodes = [];
    private readonly List<ProtoWriter> _initializers = [];
    private int _counter;

    public string Conv(string input, Tensor weight, Tensor bias, int stride, int padding)
    {
        long kernel = weight.shape[2];
        return Add("Conv", [input, Initializer(weight), Initializer(bias)],
            Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", padding, padding, padding, padding));
    }

    public string Relu(string input) => Add("Relu", [input]);

    public string Add(string a, string b) => Add("Add", [a, b]);

    /// <summary>a - b, with ONNX (numpy) broadcasting.</summary>
    public string Sub(string a, string b) => Add("Sub", [a, b]);

    public string Mul(string a, string b) => Add("Mul", [a, b]);

    /// <summary>a / b, with ONNX (numpy) broadcasting.</summary>
    public string Div(string a, string b) => Add("Div", [a, b]);

    public string Abs(string input) => Add("Abs", [input]);

    /// <summary>Clamps to [min, max] (bounds as scalar inputs, as opset 11+ takes them).</summary>
    public string Clip(string input, float min, float max) => Add("Clip", [input, Constant(min), Constant(max)]);

    public string Sqrt(string input) => Add("Sqrt", [input]);

    public string Concat(string[] inputs, int axis) => Add("Concat", inputs, Int("axis", axis));

    /// <summary>A scalar float initializer.</summary>
    public string Constant(float value)
    {
        using var scalar = tensor(value);
        return Initializer(scalar);
    }

    public string MaxPool(string input, int kernel, int stride, int padding) =>
        Add("MaxPool", [input], Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride),
            Ints("pads", padding, padding, padding, padding));

    public string GlobalAveragePool(string input) => Add("GlobalAveragePool", [input]);

    public string Flatten(string input) => Add("Flatten", [input], Int("axis", 1));

    /// <summary>y = x W^T + b, as torch's Linear stores W [out, in].</summary>
    public string Gemm(string input, Tensor weight, Tensor bias) =>
        Add("Gemm", [input, Initializer(weight), Initializer(bias)], Int("transB", 1));

    public string Sigmoid(string input) => Add("Sigmoid", [input]);

    /// <summary>Slices of <paramref name="input"/> along <paramref name="axis"/> at <paramref name="indices"/>, in that order.</summary>
    public string Gather(string input, long[] indices, int axis) => Add("Gather", [input, Int64Initializer(indices)], Int("axis", axis));

    /// <summary>The input with the order of elements reversed along each of <paramref name="axes"/> (Slice with step -1).</summary>
    public string Reverse(string input, long[] axes) => Add("Slice",
        [input, Int64Initializer([.. axes.Select(_ => -1L)]), Int64Initializer([.. axes.Select(_ => long.MinValue)]), Int64Initializer(axes),
            Int64Initializer([.. axes.Select(_ => -1L)])]);

    public string Transpose(string input, long[] permutation) => Add("Transpose", [input], Ints("perm", permutation));

    /// <summary>Reshape to <paramref name="shape"/> (one entry may be -1, inferred).</summary>
    public string Reshape(string input, long[] shape) => Add("Reshape", [input, Int64Initializer(shape)]);

    /// <summary>Mean over <paramref name="axis"/>, which is dropped (opset 17 takes the axes as an attribute).</summary>
    public string ReduceMean(string input, int axis) => Add("ReduceMean", [input], Ints("axes", axis), Int("keepdims", 0));

    /// <summary>The serialised model; <paramref name="output"/> (the last node's output) is renamed to <paramref name="outputName"/>.</summary>
    public byte[] Build(string inputName, long[] inputShape, string output, string outputName, long outputWidth)
    {
        if (_nodes.Count == 0 || _nodes[^1].Output != output) throw new InvalidOperationException("The output must be the last node's.");
        _nodes[^1] = _nodes[^1] with { Output = outputName };

        var graph = new ProtoWriter();
        foreach (var node in _nodes) graph.Message(1, node.ToProto());
        graph.StringField(2, "bitearth_encoder");
        foreach (var initializer in _initializers) graph.Message(5, initializer);
        graph.Message(11, ValueInfo(inputName, [-1, .. inputShape]));
        graph.Message(12, ValueInfo(outputName, [-1, outputWidth]));

        return new ProtoWriter()
            .Int64Field(1, 8) // ir_version
            .StringField(2, "BitEarth.Trainer")
            .StringField(3, "1")
            .Message(7, graph)
            .Message(8, new ProtoWriter().StringField(1, "").Int64Field(2, 17)) // opset_import
            .ToArray();
    }

    private string Add(string opType, string[] inputs, params ProtoWriter[] attributes)
    {
        string output = $"{opType.ToLowerInvariant()}_{_counter++}";
        _nodes.Add(new Node(opType, inputs, output, attributes));
        return output;
    }

    private string Initializer(Tensor tensor)
    {
        string name = $"w_{_counter++}";
        var values = tensor.detach().cpu().contiguous().data<float>().ToArray();
        var proto = new ProtoWriter();
        foreach (long d in tensor.shape) proto.Int64Field(1, d); // dims
        proto.Int64Field(2, FloatType).StringField(8, name).Bytes(9, MemoryMarshal.AsBytes(values.AsSpan()));
        _initializers.Add(proto);
        return name;
    }

    private string Int64Initializer(long[] values)
    {
        string name = $"i_{_counter++}";
        var proto = new ProtoWriter().Int64Field(1, values.Length).Int64Field(2, Int64Type).StringField(8, name)
            .Bytes(9, MemoryMarshal.AsBytes(values.AsSpan()));
        _initializers.Add(proto);
        return name;
    }

    private static ProtoWriter Ints(string name, params long[] values) =>
        new ProtoWriter().StringField(1, name).PackedInt64(8, values).Int64Field(20, IntsAttribute);

    private static ProtoWriter Int(string name, long value) =>
        new ProtoWriter().StringField(1, name).Int64Field(3, value).Int64Field(20, IntAttribute);

    /// <summary>A float tensor value; a negative dimension becomes the symbolic batch dimension "N".</summary>
    private static ProtoWriter ValueInfo(string name, long[] shape)
    {
        var dims = new ProtoWriter();
        foreach (long d in shape)
            dims.Message(1, d < 0 ? new ProtoWriter().StringField(2, "N") : new ProtoWriter().Int64Field(1, d));
        var tensorType = new ProtoWriter().Int64Field(1, FloatType).Message(2, dims);
        return new ProtoWriter().StringField(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
    }

    private sealed record Node(string OpType, string[] Inputs, string Output, ProtoWriter[] Attributes)
    {
        public ProtoWriter ToProto()
        {
            var proto = new ProtoWriter();
            foreach (var input in Inputs) proto.StringField(1, input);
            proto.StringField(2, Output).StringField(3, Output).StringField(4, OpType);
            foreach (var attribute in Attributes) proto.Message(5, attribute);
            return proto;
        }
    }
}
