using RnnNative.Extensibility;
namespace RnnNative.Interop.CuDnn;

/// <summary>
/// What a training forward pass leaves on the GPU for Backward: x, y, h0 and c0 (zeros when not given), the device
/// sequence lengths, cuDNN's reserve space, and the weights the pass used. Disposing frees it all.
/// </summary>
internal sealed class CuDnnTrainingContext : RnnTrainingContext
{
    public CuDnnTrainingContext(RnnExecutor owner, RnnBatchShape shape, CudaDeviceMemory memory, CuDnnWeightSpace weights,
        DeviceRegion x, DeviceRegion y, DeviceRegion hx, DeviceRegion cx, DeviceRegion lengths, DeviceRegion reserve)
        : base(owner, shape)
    {
        Memory = memory;
        Weights = weights;
        X = x;
        Y = y;
        Hx = hx;
        Cx = cx;
        Lengths = lengths;
        Reserve = reserve;
    }

    public CudaDeviceMemory Memory { get; }
    public CuDnnWeightSpace Weights { get; }
    public DeviceRegion X { get; }
    public DeviceRegion Y { get; }
    public DeviceRegion Hx { get; }
    public DeviceRegion Cx { get; }
    public DeviceRegion Lengths { get; }
    public DeviceRegion Reserve { get; }

    public IntPtr Base => Memory.Address;

    protected override void Release()
    {
        Memory.Dispose();
        Weights.Release();
    }
}
