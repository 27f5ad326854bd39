using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>The state an RNN ends in or starts from: h (L·D, N, H) and, for an LSTM, c.</summary>
public sealed record RecurrentState(Tensor<float> Hidden, Tensor<float>? Cell);
