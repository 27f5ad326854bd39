using RnnNative.Bench.Peers;

namespace RnnNative.Bench.Streams;

/// <summary>
/// The ONNX graph a stateful ONNX Runtime user runs one step at a time: x (T, N, I) and each layer's initial h (and c)
/// as inputs, y and each layer's final h (and c) as outputs, so the caller feeds the states back on the next call.
/// Names: h0_l, c0_l in; hn_l, cn_l out.
/// </summary>
internal static class OnnxStatefulRnnWriter
{
    public static byte[] Write(RnnParameters parameters)
    {
        var spec = parameters.Spec;
        if (spec.Bidirectional || spec.HasProjection || spec.Cell is not (RnnCellKind.Lstm or RnnCellKind.Gru))
            throw new ArgumentException($"the stateful peer covers unidirectional LSTM and GRU without projection; got {spec}.", nameof(parameters));
        var model = new ProtoWriter();
        model.Varint(1, 8);
        model.String(2, "RnnNative.Bench.Streams");
        model.Message(7, graph => WriteGraph(graph, parameters));
        model.Message(8, opset => { opset.String(1, ""); opset.Varint(2, 14); });
        return model.ToArray();
    }

    private static void WriteGraph(ProtoWriter graph, RnnParameters parameters)
    {
        var spec = parameters.Spec;
        bool lstm = spec.Cell == RnnCellKind.Lstm;
        string layerInput = "x";
        graph.Message(5, t => OnnxRnnModelWriter.WriteTensor(t, "flatten_shape", [3], OnnxRnnModelWriter.Int64Type,
            System.Runtime.InteropServices.MemoryMarshal.AsBytes<long>([0, 0, -1])));
        for (int layer = 0; layer < spec.NumLayers; layer++)
        {
            string w = $"W{layer}", r = $"R{layer}", b = $"B{layer}", y = $"y{layer}_4d", yt = $"y{layer}_tnd";
            string yFlat = layer == spec.NumLayers - 1 ? "y" : $"y{layer}";
            OnnxRnnModelWriter.WriteLayerInitializers(graph, parameters, layer, w, r, b);
            int l = layer;
            graph.Message(1, node =>
            {
                node.String(1, layerInput);
                node.String(1, w);
                node.String(1, r);
                node.String(1, b);
                node.String(1, "");
                node.String(1, $"h0_{l}");
                if (lstm) node.String(1, $"c0_{l}");
                node.String(2, y);
                node.String(2, $"hn_{l}");
                if (lstm) node.String(2, $"cn_{l}");
                node.String(3, $"layer{l}");
                node.String(4, lstm ? "LSTM" : "GRU");
                node.Message(5, a => OnnxRnnModelWriter.IntAttribute(a, "hidden_size", spec.HiddenSize));
                if (!lstm) node.Message(5, a => OnnxRnnModelWriter.IntAttribute(a, "linear_before_reset", 1));
            });
            OnnxRnnModelWriter.WriteOutputInOurLayout(graph, y, yt, yFlat, l);
            layerInput = yFlat;
        }
        graph.String(2, "stateful_rnn");
        graph.Message(11, v => OnnxRnnModelWriter.ValueInfo(v, "x", OnnxRnnModelWriter.FloatType, "T", "N", spec.InputSize));
        for (int layer = 0; layer < spec.NumLayers; layer++)
        {
            int l = layer;
            graph.Message(11, v => OnnxRnnModelWriter.ValueInfo(v, $"h0_{l}", OnnxRnnModelWriter.FloatType, 1, "N", spec.HiddenSize));
            if (lstm) graph.Message(11, v => OnnxRnnModelWriter.ValueInfo(v, $"c0_{l}", OnnxRnnModelWriter.FloatType, 1, "N", spec.HiddenSize));
        }
        graph.Message(12, v => OnnxRnnModelWriter.ValueInfo(v, "y", OnnxRnnModelWriter.FloatType, "T", "N", spec.OutputSize));
        for (int layer = 0; layer < spec.NumLayers; layer++)
        {
            int l = layer;
            graph.Message(12, v => OnnxRnnModelWriter.ValueInfo(v, $"hn_{l}", OnnxRnnModelWriter.FloatType, 1, "N", spec.HiddenSize));
            if (lstm) graph.Message(12, v => OnnxRnnModelWriter.ValueInfo(v, $"cn_{l}", OnnxRnnModelWriter.FloatType, 1, "N", spec.HiddenSize));
        }
    }
}
