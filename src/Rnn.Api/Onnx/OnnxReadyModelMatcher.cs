using RnnNative.Models;
using RnnNative.Onnx.Protos;
using System.Numerics.Tensors;

namespace RnnNative.Onnx;

/// <summary>
/// Recognises the graph of a ready model as <c>torch.onnx.export</c> writes it from an <c>nn.Module</c>:
/// tokens → <c>Gather</c> on an embedding table (then a <c>Transpose</c> when the module is batch_first) → one
/// (stacked) RNN starting from zeros → a linear head (<c>Gemm</c>, or <c>MatMul</c> + <c>Add</c>), optionally followed
/// by a <c>Softmax</c> over the classes, that is the graph's one output. What the head reads is traced back through the
/// exported indexing (<see cref="OnnxRecurrentView"/>): the last layer's final state (<c>h_n[-1]</c>, or
/// <c>torch.cat((h_n[-2], h_n[-1]), 1)</c> when bidirectional) or the last step's output (<c>out[:, -1]</c>,
/// <c>out[-1]</c>) makes a classifier, every step's output a tagger. Anything else is reported as the reason it is not one.
/// </summary>
internal static class OnnxReadyModelMatcher
{
    public static (OnnxReadyModel? Model, string? WhyNot) Match(OnnxGraph graph, List<List<OnnxRecurrentNode>> stacks, List<OnnxRnnLayer> layers)
    {
        if (stacks.Count != 1) return (null, $"a ready model has one RNN; the graph has {stacks.Count}");
        var stack = stacks[0];
        var first = stack[0];
        var rnn = layers[0].Parameters;
        if (!rnn.Spec.HasBias) return (null, "the RNN has no biases; a ready model's RNN has them");
        if (layers[0].BatchFirst) return (null, "the RNN node is batch-first (layout = 1), which torch.onnx.export does not write; a ready model's RNN node is time-major");

        var gather = graph.Producer(first.X);
        // A batch_first module: torch.onnx.export gathers (N, T, E) and transposes it to the node's (T, N, E).
        if (gather is { OpType: "Transpose" } transpose && OnnxRecurrentView.Permutation(transpose) is [1, 0, 2])
            gather = graph.Producer(transpose.Input[0]);
        if (gather is not { OpType: "Gather" } || gather.Input.Count != 2 || Axis(gather) != 0
            || graph.TryConstant(gather.Input[0]) is not { Rank: 2 } embedding || !graph.IsGraphInput(gather.Input[1]))
            return (null, "the RNN's input is not an embedding lookup (Gather of a constant table by a graph input)");
        if (embedding.Dim(1) != rnn.Spec.InputSize) return (null, "the embedding width differs from the RNN's input size");
        foreach (var node in stack)
        {
            if (node.Node.Input.Count > 4 && node.Node.Input[4].Length > 0)
                return (null, $"{node.Node.OpType} node '{node.Name}' reads sequence_lens; a ready model runs each record at its own length");
            for (int i = 5; i < node.Node.Input.Count; i++)
                if (node.Node.Input[i].Length > 0 && !OnnxRecurrentView.IsZeros(graph, node.Node.Input[i]))
                    return (null, $"{node.Node.OpType} node '{node.Name}' starts from a state other than zeros ('{node.Node.Input[i]}'); a ready model starts from zeros");
        }

        if (graph.Graph.Output.Count != 1)
            return (null, $"the graph has {graph.Graph.Output.Count} outputs ({string.Join(", ", graph.Graph.Output.Select(o => o.Name))}); a ready model has one, its logits or probabilities");
        string output = graph.Graph.Output[0].Name;
        var last = graph.Producer(output);
        NodeProto? softmax = null;
        if (last is { OpType: "Softmax" })
        {
            softmax = last;
            last = graph.Producer(last.Input[0]);
        }
        NodeProto? head = last switch
        {
            { OpType: "Gemm" } => last,
            { OpType: "Add", Input.Count: 2 } => graph.Producer(last.Input[0]) is { OpType: "MatMul" } m0 ? m0 : graph.Producer(last.Input[1]) is { OpType: "MatMul" } m1 ? m1 : null,
            _ => null,
        };
        if (head is null)
            return (null, $"the graph output '{output}' comes from {(last is null ? "no operator" : $"{last.OpType} node '{OnnxGraph.NameOf(last)}'")}, not from a linear head (Gemm, or MatMul + Add), with or without a Softmax");
        var (weight, bias, headOutput, problem) = Head(graph, head);
        if (problem is not null) return (null, problem);
        if (headOutput != (softmax?.Input[0] ?? output)) return (null, "the linear head's result is not the graph output");
        // What the head reads first: its reason (h_n[-1] of one direction, say) is clearer than the width it implies.
        var (kind, why) = OnnxRecurrentView.WhatTheHeadReads(graph, stack, head.Input[0]);
        if (kind is null) return (null, why);

        if (weight!.Rank != 2 || weight.Dim(1) != rnn.Spec.OutputSize || bias!.Rank != 1 || bias.Dim(0) != weight.Dim(0))
            return (null, $"the linear head's weight {weight.ShapeString} and bias {bias!.ShapeString} do not fit the RNN's output width {rnn.Spec.OutputSize}");
        if (softmax is not null)
        {
            // Opset 13 made -1 the default axis; before it, 1 (the classes of a classifier's (N, C)).
            long axis = softmax.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? (graph.Opset >= 13 ? -1 : 1);
            int rank = kind == ModelKind.Classifier ? 2 : 3;
            if (axis != -1 && axis != rank - 1) return (null, $"the Softmax node '{OnnxGraph.NameOf(softmax)}' is over axis {axis}, not over the classes");
        }

        var config = new ModelConfig(kind.Value, rnn.Spec.Cell, embedding.Dim(0), embedding.Dim(1),
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
