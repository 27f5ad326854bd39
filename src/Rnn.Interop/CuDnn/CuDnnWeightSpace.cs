namespace RnnNative.Interop.CuDnn;

/// <summary>
/// The device buffer holding a model's weights in cuDNN's layout, shared by the executor and every training context
/// made from it: a context keeps the weights its forward pass used, so UpdateParameters before Backward cannot
/// change the gradients. Freed when the last holder releases it.
/// </summary>
internal sealed class CuDnnWeightSpace
{
    private int _holders = 1;

    public CuDnnWeightSpace(CudaDeviceMemory memory) => Memory = memory;

    public CudaDeviceMemory Memory { get; }

    public IntPtr Address => Memory.Address;

    /// <summary>True while a training context still holds these weights.</summary>
    public bool IsShared => Volatile.Read(ref _holders) > 1;

    public CuDnnWeightSpace Retain()
    {
        Interlocked.Increment(ref _holders);
        return this;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0) Memory.Dispose();
    }
}
