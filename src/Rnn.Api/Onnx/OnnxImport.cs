using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Onnx;

/// <summary>
/// What an ONNX file converted into: its RNN layers in graph order, and, when the whole graph is an
/// embedding → RNN → linear model, the ready model (<see cref="Model"/>). <see cref="OtherOperators"/> counts the
/// graph's operators that are neither recurrent nor constants, so a caller can tell what the RNN layers leave out.
/// </summary>
public sealed record OnnxImport(
    IReadOnlyList<OnnxRnnLayer> Layers,
    OnnxReadyModel? Model,
    IReadOnlyDictionary<string, int> OtherOperators,
    string? WhyNotReadyModel)
{
    /// <summary>
    /// Whether the graph computes anything besides its RNNs (an embedding lookup, a head, any operator that is not
    /// bookkeeping): then an RNN layer alone is not the model, and writing one loses the rest.
    /// </summary>
    public bool HoldsMoreThanRnns { get; init; }
}

/// <summary>A whole model converted: its configuration and its parameters under the ready model's state_dict names.</summary>
public sealed record OnnxReadyModel(ModelConfig Config, IReadOnlyDictionary<string, Tensor<float>> Tensors);
