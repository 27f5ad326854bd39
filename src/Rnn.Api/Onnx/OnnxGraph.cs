using RnnNative.Formats;
using RnnNative.Onnx.Protos;
using System.Numerics.Tensors;

namespace RnnNative.Onnx;

/// <summary>
/// The graph of an ONNX model as the importer needs it: which node produces and which nodes consume each value, and
/// the constant behind a value (an initializer, a <c>Constant</c> node, or either rearranged by the operators that
/// <see cref="OnnxConstantFolding"/> evaluates).
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>Operators that rearrange a tensor without computing on it: a chain of them still carries the same sequence.</summary>
    private static readonly HashSet<string> ShapeOnly = ["Squeeze", "Unsqueeze", "Transpose", "Reshape", "Identity", "Flatten"];

    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor<float>?> _decoded = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evaluating = new(StringComparer.Ordinal);

    /// <summary>Exporters fold a weight through a handful of operators; a deeper chain is not a weight we know.</summary>
    private const int MaxFoldingDepth = 64;

    public OnnxGraph(GraphProto graph, int opset, string file)
    {
        Graph = graph;
        Opset = opset;
        File = file;
        foreach (var init in graph.Initializer) _initializers[init.Name] = init;
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
                if (output.Length > 0) _producers[output] = node;
            foreach (var input in node.Input)
            {
                if (input.Length == 0) continue;
                if (!_consumers.TryGetValue(input, out var list)) _consumers[input] = list = [];
                list.Add(node);
            }
        }
    }

    public GraphProto Graph { get; }
    public int Opset { get; }
    public string File { get; }

    public static string NameOf(NodeProto node) => node.Name.Length > 0 ? node.Name : $"{node.OpType}({string.Join(", ", node.Output)})";

    public NodeProto? Producer(string value) => _producers.GetValueOrDefault(value);

    public IReadOnlyList<NodeProto> Consumers(string value) => _consumers.TryGetValue(value, out var list) ? list : [];

    public bool IsGraphInput(string value) => Graph.Input.Any(i => i.Name == value) && !_initializers.ContainsKey(value);

    /// <summary>The constant float value of <paramref name="value"/>, or null when it is computed at run time.</summary>
    public Tensor<float>? TryConstant(string value) => TryConstant(value, 0);

    /// <summary>The constant integer value (int64 or int32) of <paramref name="value"/>, or null.</summary>
    public long[]? TryIntegers(string value)
    {
        var proto = _initializers.GetValueOrDefault(value)
            ?? (Producer(value) is { OpType: "Constant" } node ? node.Attribute.FirstOrDefault(a => a.Name == "value")?.T : null);
        return proto is not null && OnnxTensorDecoder.IsInteger(proto) ? OnnxTensorDecoder.DecodeIntegers(proto, $"constant '{value}'", File) : null;
    }

    private Tensor<float>? TryConstant(string value, int depth)
    {
        if (_decoded.TryGetValue(value, out var cached)) return cached;
        if (depth > MaxFoldingDepth) return null;
        if (!_evaluating.Add(value)) throw OnnxFormatError.Create(File, $"the value '{value}' depends on itself (the graph has a cycle)");
        try
        {
            Tensor<float>? result = null;
            if (_initializers.TryGetValue(value, out var init))
                result = OnnxTensorDecoder.IsInteger(init) ? null : OnnxTensorDecoder.Decode(init, $"initializer '{value}'", File);
            else if (Producer(value) is { } node)
            {
                if (node.OpType == "Constant")
                {
                    if (node.Attribute.FirstOrDefault(a => a.Name == "value") is { T: { } t } && !OnnxTensorDecoder.IsInteger(t))
                        result = OnnxTensorDecoder.Decode(t, $"Constant node {NameOf(node)}", File);
                }
                else if (node.Output.Count > 0 && node.Output[0] == value && node.Domain.Length == 0)
                    result = OnnxConstantFolding.Evaluate(node, Opset, v => TryConstant(v, depth + 1), TryIntegers);
            }
            _decoded[value] = result;
            return result;
        }
        finally
        {
            _evaluating.Remove(value);
        }
    }

    /// <summary>Whether <paramref name="to"/> is <paramref name="from"/> itself or derives from it through shape-only operators.</summary>
    public bool FlowsThroughShapeOps(string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(from);
        while (queue.Count > 0)
        {
            var value = queue.Dequeue();
            if (value == to) return true;
            if (!seen.Add(value)) continue;
            foreach (var consumer in Consumers(value))
                if (ShapeOnly.Contains(consumer.OpType) && consumer.Input.Count > 0 && consumer.Input[0] == value)
                    foreach (var output in consumer.Output) queue.Enqueue(output);
        }
        return false;
    }
}
