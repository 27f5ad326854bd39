namespace RnnNative.Onnx;

/// <summary>
/// An RNN converted from one ONNX recurrent node, or from several chained nodes of the same kind (a stacked RNN,
/// one node per layer, as PyTorch exports it). <see cref="BatchFirst"/> is true when the nodes had <c>layout = 1</c>:
/// the model then reads and writes batch-major tensors, as PyTorch's <c>batch_first=True</c>.
/// </summary>
public sealed record OnnxRnnLayer(RnnParameters Parameters, IReadOnlyList<string> NodeNames, bool BatchFirst);
