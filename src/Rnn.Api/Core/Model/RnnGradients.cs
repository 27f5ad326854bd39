using System.Numerics.Tensors;
namespace RnnNative;

/// <summary>Gradients with respect to the input (same layout as the input), h0, c0 and every parameter.</summary>
public sealed record RnnGradients(Tensor<float> Input, Tensor<float> InitialHidden, Tensor<float>? InitialCell, RnnParameters Parameters);
