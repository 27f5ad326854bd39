using System.Runtime.InteropServices;
using static RnnNative.Bench.Peers.OnnxRnnModelWriter;
using System.Numerics.Tensors;

namespace RnnNative.Bench.Peers;

/// <summary>
/// Writes a whole token classifier as one ONNX graph (opset 14) from its state_dict (embedding.weight, rnn.*, fc.*),
/// the way a user would export it: Gather (embedding) → one LSTM/GRU/RNN node per layer, each given sequence_lens →
/// the last layer's Y_h (each sequence's state at its own last step) → Gemm (fc) → Softmax. Forward direction only.
/// Inputs "tokens" int64 (T, N) and "lengths" int32 (N); output "probabilities" (N, classes).
/// </summary>
public static class OnnxClassifierModelWriter
{
    public static byte[] Write(Tensor<float> embedding, RnnParameters rnn, Tensor<float> fcWeight, Tensor<float> fcBias)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(rnn);
        ArgumentNullException.ThrowIfNull(fcWeight);
        ArgumentNullException.ThrowIfNull(fcBias);
        var spec = rnn.Spec;
        if (spec.Bidirectional) throw new NotSupportedException("The classifier peer is forward-only (a bidirectional one needs both directions' final states).");
        if (embedding.Rank != 2 || embedding.Dim(1) != spec.InputSize)
            throw new ArgumentException($"embedding.weight {embedding.ShapeString} does not feed {spec}.", nameof(embedding));
        if (fcWeight.Rank != 2 || fcWeight.Dim(1) != spec.OutputSize || fcBias.Length != fcWeight.Dim(0))
            throw new ArgumentException($"fc.weight {fcWeight.ShapeString} / fc.bias {fcBias.ShapeString} do not read {spec.OutputSize} features.", nameof(fcWeight));

        var model = new ProtoWriter();
        model.Varint(1, 8); // ir_version
        model.String(2, "RnnNative.Bench");
        model.Message(7, graph => WriteGraph(graph, embedding, rnn, fcWeight, fcBias));
        model.Message(8, opset => { opset.String(1, ""); opset.Varint(2, 14); });
        return model.ToArray();
    }

    private static void WriteGraph(ProtoWriter graph, Tensor<float> embedding, RnnParameters rnn, Tensor<float> fcWeight, Tensor<float> fcBias)
    {
        var spec = rnn.Spec;
        int classes = fcWeight.Dim(0);
        graph.Message(5, t => WriteTensor(t, "embedding", [embedding.Dim(0), embedding.Dim(1)], FloatType, MemoryMarshal.AsBytes(embedding.Span)));
        graph.Message(5, t => WriteTensor(t, "fc_weight", [classes, fcWeight.Dim(1)], FloatType, MemoryMarshal.AsBytes(fcWeight.Span)));
        graph.Message(5, t => WriteTensor(t, "fc_bias", [classes], FloatType, MemoryMarshal.AsBytes(fcBias.Span)));
        graph.Message(5, t => WriteTensor(t, "axis0", [1], Int64Type, MemoryMarshal.AsBytes<long>([0])));
        graph.Message(5, t => WriteTensor(t, "axis1", [1], Int64Type, MemoryMarshal.AsBytes<long>([1])));
        Node(graph, "Gather", "embed", ["embedding", "tokens"], ["x"]);
        string layerInput = "x";
        for (int layer = 0; layer < spec.NumLayers; layer++)
        {
            string w = $"W{layer}", r = $"R{layer}", b = $"B{layer}";
            WriteLayerInitializers(graph, rnn, layer, w, r, b);
            bool last = layer == spec.NumLayers - 1;
            // Only the last layer's final state is read; the layers below hand on their (T, 1, N, H) output.
            string[] outputs = last ? ["", "h_last"] : [$"y{layer}_4d"];
            Node(graph, spec.Cell switch { RnnCellKind.Lstm => "LSTM", RnnCellKind.Gru => "GRU", _ => "RNN" }, $"layer{layer}",
                [layerInput, w, r, spec.HasBias ? b : "", "lengths"], outputs, node =>
                {
                    node.Message(5, a => IntAttribute(a, "hidden_size", spec.HiddenSize));
                    if (spec.Cell == RnnCellKind.Gru) node.Message(5, a => IntAttribute(a, "linear_before_reset", 1));
                    if (spec.Cell is RnnCellKind.RnnTanh or RnnCellKind.RnnRelu)
                        node.Message(5, a => StringsAttribute(a, "activations", [spec.Cell == RnnCellKind.RnnRelu ? "Relu" : "Tanh"]));
                });
            if (!last)
            {
                Node(graph, "Squeeze", $"squeeze{layer}", [$"y{layer}_4d", "axis1"], [$"y{layer}"]);
                layerInput = $"y{layer}";
            }
        }
        Node(graph, "Squeeze", "final_state", ["h_last", "axis0"], ["features"]);
        Node(graph, "Gemm", "fc", ["features", "fc_weight", "fc_bias"], ["logits"], node => node.Message(5, a => IntAttribute(a, "transB", 1)));
        Node(graph, "Softmax", "softmax", ["logits"], ["probabilities"]);
        graph.String(2, "classifier");
        graph.Message(11, v => ValueInfo(v, "tokens", Int64Type, "T", "N"));
        graph.Message(11, v => ValueInfo(v, "lengths", Int32Type, "N"));
        graph.Message(12, v => ValueInfo(v, "probabilities", FloatType, "N", classes));
    }

    private static void Node(ProtoWriter graph, string op, string name, string[] inputs, string[] outputs, Action<ProtoWriter>? attributes = null) =>
        graph.Message(1, node =>
        {
            foreach (var i in inputs) node.String(1, i);
            foreach (var o in outputs) node.String(2, o);
            node.String(3, name);
            node.String(4, op);
            attributes?.Invoke(node);
        });
}
