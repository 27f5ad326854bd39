namespace RnnNative.Interop.CuDnn.Native;

/// <summary>cudnnRNNBiasMode_t. DoubleBias keeps PyTorch's separate input and recurrent biases.</summary>
internal enum CuDnnRnnBiasMode
{
    NoBias = 0,
    SingleInputBias = 1,
    DoubleBias = 2,
    SingleRecurrentBias = 3,
}
