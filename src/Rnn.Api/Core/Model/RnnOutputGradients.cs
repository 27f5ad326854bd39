using System.Numerics.Tensors;
namespace RnnNative;

/// <summary>
/// Gradients flowing into the RNN's outputs: of y (same shape and layout as the output), of h_n and of c_n.
/// Any of them may be absent, meaning zero (a many-to-one model, for example, only has a gradient for h_n).
/// </summary>
public sealed record RnnOutputGradients(Tensor<float>? Output, Tensor<float>? Hidden = null, Tensor<float>? Cell = null);
