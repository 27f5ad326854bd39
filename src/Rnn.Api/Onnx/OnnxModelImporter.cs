using RnnNative.Formats;
using RnnNative.Onnx.Protos;
using System.Numerics.Tensors;

namespace RnnNative.Onnx;

/// <summary>Converts the recurrent content of an ONNX model into RnnNative's form (PyTorch names and gate order).</summary>
public static class OnnxModelImporter
{
    /// <summary>Operators that only move data or build shapes; not worth reporting as left out.</summary>
    private static readonly HashSet<string> Bookkeeping = ["Constant", "ConstantFill", "Cast", "Identity", "Shape", "Squeeze", "Unsqueeze", "Transpose", "Reshape", "Concat", "Expand", "Gather", "Slice"];

    /// <summary>
    /// Reads <paramref name="path"/> and converts every LSTM, GRU and RNN node. Throws <see cref="FileFormatException"/>
    /// (one line, naming the node and attribute) for a malformed file or a node PyTorch's equations cannot express.
    /// </summary>
    public static OnnxImport Import(string path)
    {
        var model = OnnxFile.Read(path);
        return Convert(model, path);
    }

    /// <summary>Converts an ONNX model already in memory; <paramref name="sourceName"/> names it in errors.</summary>
    public static OnnxImport Import(byte[] bytes, string sourceName) => Convert(OnnxFile.Parse(bytes, sourceName), sourceName);

    private static OnnxImport Convert(ModelProto model, string file)
    {
        var defaultOpset = model.OpsetImport.FirstOrDefault(o => o.Domain.Length == 0 || o.Domain == "ai.onnx");
        if (defaultOpset is null) throw OnnxFormatError.Create(file, "the model imports no version of the default ONNX operator set");
        if (defaultOpset.Version is < 7 or > 21)
            throw OnnxFormatError.Create(file, $"the model uses ONNX opset {defaultOpset.Version}; opsets 7 to 21 are supported");
        var graph = new OnnxGraph(model.Graph, (int)defaultOpset.Version, file);
        var nodes = model.Graph.Node.Where(n => OnnxRecurrentNode.OpTypes.Contains(n.OpType) && n.Domain.Length == 0)
            .Select(n => OnnxRecurrentNode.Convert(n, graph)).ToList();
        var stacks = Stack(nodes, graph);
        var layers = stacks.Select(s => ToLayer(s, file)).ToList();
        var others = model.Graph.Node
            .Where(n => !OnnxRecurrentNode.OpTypes.Contains(n.OpType) && !Bookkeeping.Contains(n.OpType))
            .GroupBy(n => n.Domain.Length == 0 ? n.OpType : $"{n.Domain}.{n.OpType}")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());
        var (ready, why) = OnnxReadyModelMatcher.Match(graph, stacks, layers);
        // ConstantOfShape is how the exporter writes a default (zero) initial state: bookkeeping too.
        bool more = others.Keys.Any(op => op != "ConstantOfShape")
            || model.Graph.Node.Any(n => n.OpType == "Gather" && n.Input.Count == 2 && graph.TryConstant(n.Input[0]) is { Rank: 2 });
        return new OnnxImport(layers, ready, others, why) { HoldsMoreThanRnns = more };
    }

    /// <summary>Consecutive nodes form one stacked RNN when each reads the previous one's Y (through shape-only operators) and agrees on everything but the input size.</summary>
    private static List<List<OnnxRecurrentNode>> Stack(List<OnnxRecurrentNode> nodes, OnnxGraph graph)
    {
        var stacks = new List<List<OnnxRecurrentNode>>();
        foreach (var node in nodes)
        {
            var last = stacks.Count > 0 ? stacks[^1] : null;
            var top = last?[^1];
            if (top is not null && top.Y is { } y && node.Cell == top.Cell && node.HiddenSize == top.HiddenSize
                && node.Directions == top.Directions && node.HasBias == top.HasBias && node.BatchFirst == top.BatchFirst
                && node.InputSize == top.Directions * top.HiddenSize && graph.FlowsThroughShapeOps(y, node.X))
                last!.Add(node);
            else
                stacks.Add([node]);
        }
        return stacks;
    }

    private static OnnxRnnLayer ToLayer(List<OnnxRecurrentNode> stack, string file)
    {
        var first = stack[0];
        var spec = new RnnSpec(first.Cell, first.InputSize, first.HiddenSize, stack.Count, first.Directions == 2, first.HasBias);
        var tensors = new Dictionary<string, Tensor<float>>(StringComparer.Ordinal);
        RnnParameterKind[] kinds = [RnnParameterKind.WeightIh, RnnParameterKind.WeightHh, RnnParameterKind.BiasIh, RnnParameterKind.BiasHh];
        for (int layer = 0; layer < stack.Count; layer++)
            for (int d = 0; d < first.Directions; d++)
                for (int k = 0; k < stack[layer].Weights[d].Length; k++)
                    tensors[RnnParameterInfo.NameOf(kinds[k], layer, d)] = stack[layer].Weights[d][k];
        try
        {
            return new OnnxRnnLayer(RnnParameters.FromTensors(spec, tensors), stack.Select(n => n.Name).ToList(), first.BatchFirst);
        }
        catch (ArgumentException e)
        {
            throw OnnxFormatError.Create(file, $"{first.Node.OpType} node '{first.Name}': {e.Message.TrimEnd('.')}");
        }
    }
}
