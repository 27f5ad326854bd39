using RnnNative.Models;
using RnnNative.Onnx.Protos;

namespace RnnNative.Onnx;

/// <summary>
/// What a value computed from an RNN's outputs holds, traced back through the indexing <c>torch.onnx.export</c> writes
/// (Squeeze, Transpose, Reshape, Gather of a constant index, Concat): which axes it has (time T, direction D, batch N,
/// hidden H of one direction, state S of <c>h_n</c>, features F) and, for features, which layer's which directions
/// they are. A head on <c>h_n[-1]</c> and on <c>out[:, -1]</c> look alike in shapes; only this tells them apart.
/// </summary>
internal sealed record OnnxRecurrentView(string[] Axes, IReadOnlyList<(int Layer, int Direction)> Entries, bool FromState, bool LastStep)
{
    /// <summary>Values traced back further than this are not the indexing of an export.</summary>
    private const int MaxDepth = 32;

    /// <summary>
    /// What a head reading <paramref name="value"/> is: a classifier (the last layer's final state of every direction,
    /// or the last step of a one-directional output), a tagger (every step of the last layer's output), or null with
    /// the reason it is neither.
    /// </summary>
    public static (ModelKind? Kind, string? WhyNot) WhatTheHeadReads(OnnxGraph graph, List<OnnxRecurrentNode> stack, string value)
    {
        var (view, why) = Trace(graph, stack, value, 0);
        if (view is null) return (null, why);
        int lastLayer = stack.Count - 1, directions = stack[^1].Directions;
        var expected = Enumerable.Range(0, directions).Select(d => (lastLayer, d)).ToList();
        if (view.Axes[^1] != "F" || view.Axes.Contains("D") || view.Axes.Contains("S") || view.Axes.Contains("H"))
            return (null, $"the linear head reads RNN values of axes ({string.Join(", ", view.Axes)}), not features of every direction");
        if (!view.Entries.SequenceEqual(expected))
        {
            if (view.FromState && directions == 2 && view.Entries.Count == 1 && view.Entries[0] == (lastLayer, 1))
                return (null, "the head reads h_n[-1] of a bidirectional RNN, the backward direction alone; a ready classifier reads both " +
                              "directions side by side (torch.cat((h_n[-2], h_n[-1]), 1)); convert the RNN alone with --bare-layer");
            return (null, $"the head reads the {(view.FromState ? "final state" : "output")} of {Describe(view.Entries)}, not of the last layer's " +
                          $"{(directions == 2 ? "two directions (forward, then backward)" : "one direction")}");
        }
        if (view.FromState || view.LastStep)
        {
            if (view.Axes.Length != 2 || view.Axes[0] != "N") return (null, $"the head reads axes ({string.Join(", ", view.Axes)}), not (batch, features)");
            if (view.LastStep && directions == 2)
                return (null, "the head reads out[:, -1] of a bidirectional RNN, whose backward half has seen only the last step; a ready classifier reads " +
                              "both directions' final states (torch.cat((h_n[-2], h_n[-1]), 1))");
            return (ModelKind.Classifier, null);
        }
        if (view.Axes.Length != 3 || !view.Axes.Contains("T") || !view.Axes.Contains("N"))
            return (null, $"the head reads axes ({string.Join(", ", view.Axes)}), not (time, batch, features)");
        return (ModelKind.Tagger, null);
    }

    /// <summary>The perm of a Transpose, or null when it has none (a reversal of all axes).</summary>
    public static long[]? Permutation(NodeProto transpose) => transpose.Attribute.FirstOrDefault(a => a.Name == "perm")?.Ints.ToArray();

    /// <summary>Whether <paramref name="value"/> is all zeros: a zero constant, or a ConstantOfShape of zero (what the exporter writes for a default state), sliced or reshaped.</summary>
    public static bool IsZeros(OnnxGraph graph, string value)
    {
        for (int depth = 0; depth < MaxDepth; depth++)
        {
            if (graph.TryConstant(value) is { } constant) return constant.Span.IndexOfAnyExcept(0f) < 0;
            var node = graph.Producer(value);
            if (node is null) return false;
            if (node.OpType == "ConstantOfShape")
            {
                var fill = node.Attribute.FirstOrDefault(a => a.Name == "value")?.T;
                return fill is null || (OnnxTensorDecoder.IsInteger(fill)
                    ? OnnxTensorDecoder.DecodeIntegers(fill, "ConstantOfShape value", graph.File).All(v => v == 0)
                    : OnnxTensorDecoder.Decode(fill, "ConstantOfShape value", graph.File).Span.IndexOfAnyExcept(0f) < 0);
            }
            if (node.OpType is not ("Slice" or "Identity" or "Reshape" or "Squeeze" or "Unsqueeze" or "Expand" or "Transpose" or "Cast") || node.Input.Count == 0) return false;
            value = node.Input[0];
        }
        return false;
    }

    private static (OnnxRecurrentView? View, string? WhyNot) Trace(OnnxGraph graph, List<OnnxRecurrentNode> stack, string value, int depth)
    {
        var lastNode = stack[^1];
        int directions = lastNode.Directions;
        if (value == lastNode.Y) return (new OnnxRecurrentView(["T", "D", "N", "H"], Enumerable.Range(0, directions).Select(d => (stack.Count - 1, d)).ToList(), false, false), null);
        for (int layer = 0; layer < stack.Count; layer++)
        {
            var outputs = stack[layer].Node.Output;
            if (outputs.Count > 1 && outputs[1] == value)
                return (new OnnxRecurrentView(["S", "N", "H"], Enumerable.Range(0, directions).Select(d => (layer, d)).ToList(), true, false), null);
            if (outputs.Count > 2 && outputs[2] == value) return (null, "the head reads the LSTM's cell state c_n, not its output or hidden state");
            if (layer < stack.Count - 1 && outputs.Count > 0 && outputs[0] == value) return (null, $"the head reads the output of layer {layer}, not of the last layer");
        }
        if (depth >= MaxDepth) return (null, "the head's input is too far from the RNN to be an export's indexing");
        var node = graph.Producer(value);
        if (node is null) return (null, $"the head reads '{value}', which does not come from the RNN");
        string why = $"the head reads the RNN through {node.OpType} node '{OnnxGraph.NameOf(node)}', which is not the indexing of h_n or out";

        if (node.OpType == "Concat")
        {
            if (node.Input.Count == 0) return (null, why);
            var parts = new List<OnnxRecurrentView>();
            foreach (var input in node.Input)
            {
                var (part, whyNot) = Trace(graph, stack, input, depth + 1);
                if (part is null) return (null, whyNot);
                parts.Add(part);
            }
            long axis = node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0;
            var axes = parts[0].Axes;
            if (axis < 0) axis += axes.Length;
            if (axis < 0 || axis >= axes.Length || parts.Any(p => !p.Axes.SequenceEqual(axes) || p.FromState != parts[0].FromState || p.LastStep != parts[0].LastStep)
                || axes[axis] is not ("S" or "F"))
                return (null, why);
            return (parts[0] with { Entries = parts.SelectMany(p => p.Entries).ToList() }, null);
        }

        var (x, inner) = Trace(graph, stack, node.Input.Count > 0 ? node.Input[0] : "", depth + 1);
        if (x is null) return (null, inner);
        switch (node.OpType)
        {
            case "Identity":
                return (x, null);
            case "Transpose":
            {
                var perm = Permutation(node) ?? Enumerable.Range(0, x.Axes.Length).Reverse().Select(i => (long)i).ToArray();
                if (perm.Length != x.Axes.Length || perm.Distinct().Count() != perm.Length || perm.Any(p => p < 0 || p >= perm.Length)) return (null, why);
                return (x with { Axes = perm.Select(p => x.Axes[p]).ToArray() }, null);
            }
            case "Squeeze":
            {
                var axes = node.Attribute.FirstOrDefault(a => a.Name == "axes")?.Ints.ToArray() ?? (node.Input.Count > 1 ? graph.TryIntegers(node.Input[1]) : null);
                if (axes is null) return (null, why);
                var removed = axes.Select(a => a < 0 ? a + x.Axes.Length : a).ToHashSet();
                // Only the direction axis of a one-directional RNN is known to have size 1.
                if (removed.Any(a => a < 0 || a >= x.Axes.Length || x.Axes[a] != "D" || directions != 1)) return (null, why);
                return (WithFeatures(x with { Axes = x.Axes.Where((_, i) => !removed.Contains(i)).ToArray() }), null);
            }
            case "Reshape":
            {
                // (…, D, H) → (…, D·H): the directions side by side, as PyTorch's out holds them.
                int d = Array.IndexOf(x.Axes, "D");
                var shape = node.Input.Count > 1 ? graph.TryIntegers(node.Input[1]) : null;
                if (shape is null || d < 0 || d + 1 >= x.Axes.Length || x.Axes[d + 1] != "H" || shape.Length != x.Axes.Length - 1) return (null, why);
                for (int i = 0; i < shape.Length; i++)
                    if (i == d ? shape[i] != -1 && shape[i] != directions * lastNode.HiddenSize : shape[i] != 0) return (null, why);
                var merged = x.Axes.Take(d).Append("F").Concat(x.Axes.Skip(d + 2)).ToArray();
                return (x with { Axes = merged }, null);
            }
            case "Gather":
            {
                long axis = node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0;
                if (axis < 0) axis += x.Axes.Length;
                if (axis < 0 || axis >= x.Axes.Length || node.Input.Count != 2 || !IsScalar(graph, node.Input[1]) || graph.TryIntegers(node.Input[1]) is not [var index])
                    return (null, why);
                var rest = x.Axes.Where((_, i) => i != axis).ToArray();
                if (x.Axes[axis] == "T")
                    return index == -1 ? (x with { Axes = rest, LastStep = true }, null) : (null, $"the head reads step {index} of the RNN's output, not the last step (-1)");
                if (x.Axes[axis] == "S")
                {
                    if (index < 0) index += x.Entries.Count;
                    if (index < 0 || index >= x.Entries.Count) return (null, why);
                    return (WithFeatures(x with { Axes = rest, Entries = [x.Entries[(int)index]] }), null);
                }
                return (null, why);
            }
            case "Flatten":
                return x.Axes.Length == 2 && (node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 1) == 1 ? (x, null) : (null, why);
            default:
                return (null, why);
        }
    }

    /// <summary>Once the direction axis is gone, H holds the features of the entries left.</summary>
    private static OnnxRecurrentView WithFeatures(OnnxRecurrentView view) =>
        view.Axes.Contains("D") || view.Axes.Contains("S") ? view : view with { Axes = view.Axes.Select(a => a == "H" ? "F" : a).ToArray() };

    private static bool IsScalar(OnnxGraph graph, string value)
    {
        var proto = graph.Graph.Initializer.FirstOrDefault(i => i.Name == value)
            ?? (graph.Producer(value) is { OpType: "Constant" } node ? node.Attribute.FirstOrDefault(a => a.Name == "value")?.T : null);
        return proto is not null && proto.Dims.Count == 0;
    }

    private static string Describe(IReadOnlyList<(int Layer, int Direction)> entries) =>
        string.Join(" and ", entries.Select(e => $"layer {e.Layer} {(e.Direction == 0 ? "forward" : "backward")}"));
}
