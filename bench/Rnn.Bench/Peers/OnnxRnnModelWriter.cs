using System.Runtime.InteropServices;

namespace RnnNative.Bench.Peers;

/// <summary>
/// Writes an ONNX model (opset 14) that computes the same function as our parameters: one LSTM/GRU/RNN node per layer,
/// with W/R/B initializers converted from PyTorch's layout, and Transpose + Reshape between layers so that each layer
/// sees (T, N, D·H) as ours does. Input "x" (T, N, I); output "y" (T, N, D·H); full-length sequences, zero initial state.
/// Gate blocks are reordered from PyTorch's LSTM i,f,g,o to ONNX's i,o,f,c and GRU r,z,n to ONNX's z,r,h; GRU uses
/// linear_before_reset=1, which is PyTorch's n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
/// </summary>
public static class OnnxRnnModelWriter
{
    internal const int FloatType = 1;
    internal const int Int32Type = 6;
    internal const int Int64Type = 7;

    /// <summary>For ONNX gate block k, the PyTorch block it comes from.</summary>
    public static int[] GateOrderFromPyTorch(RnnCellKind cell) => cell switch
    {
        RnnCellKind.Lstm => [0, 3, 1, 2],
        RnnCellKind.Gru => [1, 0, 2],
        _ => [0],
    };

    public static byte[] Write(RnnParameters parameters)
    {
        var model = new ProtoWriter();
        model.Varint(1, 8); // ir_version
        model.String(2, "RnnNative.Bench");
        model.Message(7, graph => WriteGraph(graph, parameters));
        model.Message(8, opset => { opset.String(1, ""); opset.Varint(2, 14); });
        return model.ToArray();
    }

    private static void WriteGraph(ProtoWriter graph, RnnParameters parameters)
    {
        var spec = parameters.Spec;
        string layerInput = "x";
        graph.Message(5, t => WriteTensor(t, "flatten_shape", [3], Int64Type, MemoryMarshal.AsBytes<long>([0, 0, -1])));
        for (int layer = 0; layer < spec.NumLayers; layer++)
        {
            string w = $"W{layer}", r = $"R{layer}", b = $"B{layer}";
            WriteLayerInitializers(graph, parameters, layer, w, r, b);
            string y = $"y{layer}_4d", yt = $"y{layer}_tnd", yFlat = layer == spec.NumLayers - 1 ? "y" : $"y{layer}";
            graph.Message(1, node =>
            {
                node.String(1, layerInput);
                node.String(1, w);
                node.String(1, r);
                node.String(1, spec.HasBias ? b : "");
                node.String(2, y);
                node.String(3, $"layer{layer}");
                node.String(4, OpType(spec.Cell));
                node.Message(5, a => IntAttribute(a, "hidden_size", spec.HiddenSize));
                node.Message(5, a => StringAttribute(a, "direction", spec.Bidirectional ? "bidirectional" : "forward"));
                if (spec.Cell == RnnCellKind.Gru) node.Message(5, a => IntAttribute(a, "linear_before_reset", 1));
                if (spec.Cell is RnnCellKind.RnnTanh or RnnCellKind.RnnRelu)
                {
                    string activation = spec.Cell == RnnCellKind.RnnRelu ? "Relu" : "Tanh";
                    node.Message(5, a => StringsAttribute(a, "activations", Enumerable.Repeat(activation, spec.Directions)));
                }
            });
            WriteOutputInOurLayout(graph, y, yt, yFlat, layer);
            layerInput = yFlat;
        }
        graph.String(2, "rnn");
        graph.Message(11, v => ValueInfo(v, "x", spec.InputSize));
        graph.Message(12, v => ValueInfo(v, "y", spec.OutputSize));
    }

    /// <summary>
    /// ONNX's Y is (T, D, N, H); ours, and the next layer's input, is (T, N, D·H): a Transpose to <paramref name="yt"/>
    /// and a Reshape (by the graph's "flatten_shape" initializer) to <paramref name="yFlat"/>.
    /// </summary>
    internal static void WriteOutputInOurLayout(ProtoWriter graph, string y, string yt, string yFlat, int layer)
    {
        graph.Message(1, node =>
        {
            node.String(1, y);
            node.String(2, yt);
            node.String(3, $"transpose{layer}");
            node.String(4, "Transpose");
            node.Message(5, a => IntsAttribute(a, "perm", [0, 2, 1, 3]));
        });
        graph.Message(1, node =>
        {
            node.String(1, yt);
            node.String(1, "flatten_shape");
            node.String(2, yFlat);
            node.String(3, $"flatten{layer}");
            node.String(4, "Reshape");
        });
    }

    internal static void WriteLayerInitializers(ProtoWriter graph, RnnParameters parameters, int layer, string w, string r, string b)
    {
        var spec = parameters.Spec;
        int gates = spec.GateCount, hidden = spec.HiddenSize, input = spec.LayerInputSize(layer), dirs = spec.Directions;
        var order = GateOrderFromPyTorch(spec.Cell);
        var wData = new float[dirs * gates * hidden * input];
        var rData = new float[dirs * gates * hidden * hidden];
        var bData = new float[dirs * 2 * gates * hidden];
        for (int d = 0; d < dirs; d++)
        {
            ReorderBlocks(parameters.Get(RnnParameterKind.WeightIh, layer, d).Span, order, hidden * input, wData.AsSpan(d * gates * hidden * input));
            ReorderBlocks(parameters.Get(RnnParameterKind.WeightHh, layer, d).Span, order, hidden * hidden, rData.AsSpan(d * gates * hidden * hidden));
            if (spec.HasBias)
            {
                var bias = bData.AsSpan(d * 2 * gates * hidden);
                ReorderBlocks(parameters.Get(RnnParameterKind.BiasIh, layer, d).Span, order, hidden, bias);
                ReorderBlocks(parameters.Get(RnnParameterKind.BiasHh, layer, d).Span, order, hidden, bias[(gates * hidden)..]);
            }
        }
        graph.Message(5, t => WriteTensor(t, w, [dirs, gates * hidden, input], FloatType, MemoryMarshal.AsBytes<float>(wData)));
        graph.Message(5, t => WriteTensor(t, r, [dirs, gates * hidden, hidden], FloatType, MemoryMarshal.AsBytes<float>(rData)));
        if (spec.HasBias) graph.Message(5, t => WriteTensor(t, b, [dirs, 2 * gates * hidden], FloatType, MemoryMarshal.AsBytes<float>(bData)));
    }

    private static void ReorderBlocks(ReadOnlySpan<float> source, int[] order, int blockSize, Span<float> destination)
    {
        for (int k = 0; k < order.Length; k++)
            source.Slice(order[k] * blockSize, blockSize).CopyTo(destination.Slice(k * blockSize, blockSize));
    }

    private static string OpType(RnnCellKind cell) => cell switch
    {
        RnnCellKind.Lstm => "LSTM",
        RnnCellKind.Gru => "GRU",
        _ => "RNN",
    };

    internal static void WriteTensor(ProtoWriter t, string name, long[] dims, int dataType, ReadOnlySpan<byte> raw)
    {
        foreach (var d in dims) t.Varint(1, d);
        t.Varint(2, dataType);
        t.String(8, name);
        t.Bytes(9, raw); // raw_data is little-endian, as is every platform this benchmark runs on
    }

    private static void ValueInfo(ProtoWriter v, string name, int features) => ValueInfo(v, name, FloatType, "T", "N", features);

    /// <summary>A graph input or output: element type and dimensions, each a size (int) or a symbolic name (string).</summary>
    internal static void ValueInfo(ProtoWriter v, string name, int elementType, params object[] dims)
    {
        v.String(1, name);
        v.Message(2, type => type.Message(1, tensor =>
        {
            tensor.Varint(1, elementType);
            tensor.Message(2, shape =>
            {
                foreach (var d in dims)
                    shape.Message(1, dim =>
                    {
                        if (d is string symbol) dim.String(2, symbol);
                        else dim.Varint(1, Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture));
                    });
            });
        }));
    }

    internal static void IntAttribute(ProtoWriter a, string name, long value)
    {
        a.String(1, name);
        a.Varint(3, value);
        a.Varint(20, 2);
    }

    internal static void IntsAttribute(ProtoWriter a, string name, long[] values)
    {
        a.String(1, name);
        foreach (var v in values) a.Varint(8, v);
        a.Varint(20, 7);
    }

    internal static void StringAttribute(ProtoWriter a, string name, string value)
    {
        a.String(1, name);
        a.String(4, value);
        a.Varint(20, 3);
    }

    internal static void StringsAttribute(ProtoWriter a, string name, IEnumerable<string> values)
    {
        a.String(1, name);
        foreach (var v in values) a.String(9, v);
        a.Varint(20, 8);
    }
}
