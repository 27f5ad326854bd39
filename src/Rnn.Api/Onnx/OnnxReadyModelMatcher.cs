using RnnNative.Models;
using RnnNative.Onnx.Protos;
using System.Numerics.Tensors;

namespace RnnNative.Onnx;

/// <summary>
/// Recognises the graph of a ready model as <c>torch.onnx.export</c> writes it from an <c>nn.Module</c>:
/// tokens → <c>Gather</c> on an embedding table → one (stacked) RNN → a linear head (<c>Gemm</c>, or <c>MatMul</c> +
/// <c>Add</c>) that is a graph output. The head on the last time step (<c>out[-1]</c>, a <c>Gather</c> of index -1)
/// makes a classifier, the head on every step a tagger. Anything else is reported as the reason it is not one.
/// </summary>
internal static class OnnxReadyModelMatcher
{
    private static readonly HashSet<string> ShapeOnly = ["Squeeze", "Unsqueeze", "Transpose", "Reshape", "Identity", "Flatten"];

    public static (OnnxReadyModel? Model, string? WhyNot) Match(OnnxGraph graph, List<List<OnnxRecurrentNode>> stacks, List<OnnxRnnLayer> layers)
    {
        if (stacks.Count != 1) return (null, $"a ready model has one RNN; the graph has {stacks.Count}");
        var stack = stacks[0];
        var first = stack[0];
        var last = stack[^1];
        var rnn = layers[0].Parameters;
        if (!rnn.Spec.HasBias) return (null, "the RNN has no biases; a ready model's RNN has them");
        if (layers[0].BatchFirst) return (null, "the RNN is batch-first (layout = 1); ready models are time-major");

        var gather = graph.Producer(first.X);
        if (gather is not { OpType: "Gather" } || gather.Input.Count != 2 || Axis(gather) != 0
            || graph.TryConstant(gather.Input[0]) is not { Rank: 2 } embedding || !graph.IsGraphInput(gather.Input[1]))
            return (null, "the RNN's input is not an embedding lookup (Gather of a constant table by a graph input)");
        if (embedding.Dim(1) != rnn.Spec.InputSize) return (null, "the embedding width differs from the RNN's input size");

        if (last.Y is not { } value) return (null, "the last RNN node's output Y is unused");
        bool lastStep = false;
        NodeProto? head = null;
        for (int guard = 0; guard < graph.Graph.Node.Count && head is null; guard++)
        {
            var next = graph.Consumers(value).Where(n => n.Input.Count > 0 && n.Input[0] == value).ToList();
            if (next.Count != 1) return (null, $"the RNN's output feeds {next.Count} operators, not one linear head");
            var node = next[0];
            if (ShapeOnly.Contains(node.OpType)) value = node.Output[0];
            else if (node.OpType == "Gather" && !lastStep && Axis(node) == 0 && node.Input.Count == 2
                     && graph.TryIntegers(node.Input[1]) is [-1])
            {
                lastStep = true;
                value = node.Output[0];
            }
            else if (node.OpType is "Gemm" or "MatMul") head = node;
            else return (null, $"the RNN's output goes to {node.OpType} node '{OnnxGraph.NameOf(node)}', not a linear head");
        }
        if (head is null) return (null, "no linear head follows the RNN");
        if (lastStep && rnn.Spec.Bidirectional)
            return (null, "a bidirectional out[-1] is not the final state of both directions that the ready classifier reads");

        var (weight, bias, output, problem) = Head(graph, head);
        if (problem is not null) return (null, problem);
        if (!graph.Graph.Output.Any(o => o.Name == output)) return (null, "the linear head's result is not a graph output");
        if (weight!.Rank != 2 || weight.Dim(1) != rnn.Spec.OutputSize || bias!.Rank != 1 || bias.Dim(0) != weight.Dim(0))
            return (null, $"the linear head's weight {weight.ShapeString} and bias {bias!.ShapeString} do not fit the RNN's output width {rnn.Spec.OutputSize}");

        var config = new ModelConfig(lastStep ? ModelKind.Classifier : ModelKind.Tagger, rnn.Spec.Cell, embedding.Dim(0), embedding.Dim(1),
            rnn.Spec.HiddenSize, weight.Dim(0), rnn.Spec.NumLayers, rnn.Spec.Bidirectional);
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            return (null, e.Message.TrimEnd('.'));
        }
        var tensors = new Dictionary<string, Tensor<float>>(StringComparer.Ordinal) { ["embedding.weight"] = embedding };
        foreach (var (name, tensor) in rnn.Tensors) tensors["rnn." + name] = tensor;
        tensors["fc.weight"] = weight;
        tensors["fc.bias"] = bias;
        return (new OnnxReadyModel(config, tensors), null);
    }

    /// <summary>The head as PyTorch's Linear: weight (out, in), bias (out), and the value it writes.</summary>
    private static (Tensor<float>? Weight, Tensor<float>? Bias, string? Output, string? Problem) Head(OnnxGraph graph, NodeProto head)
    {
        if (head.OpType == "Gemm")
        {
            foreach (var a in head.Attribute)
            {
                bool ok = a.Name switch { "alpha" or "beta" => a.F == 1f, "transA" => a.I == 0, "transB" => true, _ => false };
                if (!ok) return (null, null, null, $"Gemm node '{OnnxGraph.NameOf(head)}' has {a.Name} set; a Linear head has alpha = beta = 1, transA = 0");
            }
            bool transB = head.Attribute.Any(a => a.Name == "transB" && a.I == 1);
            if (head.Input.Count != 3 || graph.TryConstant(head.Input[1]) is not { Rank: 2 } b || graph.TryConstant(head.Input[2]) is not { Rank: 1 } c)
                return (null, null, null, $"Gemm node '{OnnxGraph.NameOf(head)}' has no constant weight and bias");
            return (transB ? b : Transpose(b), c, head.Output[0], null);
        }
        if (head.Input.Count != 2 || graph.TryConstant(head.Input[1]) is not { Rank: 2 } m)
            return (null, null, null, $"MatMul node '{OnnxGraph.NameOf(head)}' has no constant weight");
        var adds = graph.Consumers(head.Output[0]);
        if (adds.Count != 1 || adds[0].OpType != "Add" || adds[0].Input.Count != 2)
            return (null, null, null, $"MatMul node '{OnnxGraph.NameOf(head)}' is not followed by the Add of a bias");
        var add = adds[0];
        string other = add.Input[0] == head.Output[0] ? add.Input[1] : add.Input[0];
        if (graph.TryConstant(other) is not { Rank: 1 } bias)
            return (null, null, null, $"Add node '{OnnxGraph.NameOf(add)}' does not add a constant bias vector");
        return (Transpose(m), bias, add.Output[0], null);
    }

    private static long Axis(NodeProto node) => node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0;

    private static Tensor<float> Transpose(Tensor<float> m)
    {
        int rows = m.Dim(0), cols = m.Dim(1);
        var data = new float[m.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) data[j * rows + i] = m.Span[i * cols + j];
        return RnnTensors.Create(data, cols, rows);
    }
}
