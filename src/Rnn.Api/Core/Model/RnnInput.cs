using System.Numerics.Tensors;
namespace RnnNative;

/// <summary>
/// One batch for an RNN: input (T, N, I), or (N, T, I) when <see cref="BatchFirst"/>; optional per-sequence lengths
/// (1 ≤ length ≤ T, any order, PyTorch packed-sequence semantics); optional initial states (L·D, N, H).
/// </summary>
public sealed record RnnInput(Tensor<float> Input, int[]? Lengths = null, Tensor<float>? InitialHidden = null, Tensor<float>? InitialCell = null, bool BatchFirst = false);
