namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Everything one cuDNN call hands to cuDNN, lent to one call at a time by the executor's pool: its own stream and a
/// cuDNN handle bound to it (a handle must not be used by two threads at once), its own RNN and dropout descriptors,
/// the x/y/h/c descriptors it sets for its batch, device I/O and scratch, the weight-gradient buffer and pinned host
/// staging. cuDNN documents itself thread-safe only for threads that do not share a handle and says nothing of sharing
/// descriptors, so no descriptor is shared between calls either: concurrent calls never pass cuDNN the same object.
/// Calls on different workspaces run side by side on the GPU; a call leaves its stream idle before it returns the workspace.
/// </summary>
internal sealed class CuDnnCallWorkspace : IDisposable
{
    private CuDnnCallWorkspace(int device, CudaStream stream, CuDnnHandle handle, CuDnnDropoutDescriptor dropout,
        CuDnnRnnDescriptor rnn, CuDnnRnnDataDescriptor xDesc, CuDnnRnnDataDescriptor yDesc, CuDnnTensorDescriptor stateDesc,
        CuDnnTensorDescriptor cellDesc)
    {
        Stream = stream;
        Handle = handle;
        Dropout = dropout;
        Rnn = rnn;
        XDesc = xDesc;
        YDesc = yDesc;
        StateDesc = stateDesc;
        CellDesc = cellDesc;
        Io = new GrowableDeviceBuffer(device);
        Scratch = new GrowableDeviceBuffer(device);
        WeightGradients = new GrowableDeviceBuffer(device);
        Staging = new GrowablePinnedBuffer();
    }

    public CudaStream Stream { get; }
    public CuDnnHandle Handle { get; }

    /// <summary>The p = 0 dropout descriptor <see cref="Rnn"/> was configured with, set up with this workspace's handle.</summary>
    public CuDnnDropoutDescriptor Dropout { get; }

    /// <summary>
    /// The model's RNN descriptor, configured identically in every workspace of an executor. The weight space is laid
    /// out once, from the first workspace's descriptor: the layout is a function of the configuration, which is what
    /// PyTorch relies on when it builds a fresh descriptor per call over weights laid out earlier.
    /// </summary>
    public CuDnnRnnDescriptor Rnn { get; }

    public CuDnnRnnDataDescriptor XDesc { get; }
    public CuDnnRnnDataDescriptor YDesc { get; }
    /// <summary>h states (L·D, N, P with a projection, else H).</summary>
    public CuDnnTensorDescriptor StateDesc { get; }

    /// <summary>c states (L·D, N, H): as wide as h unless the LSTM has a projection.</summary>
    public CuDnnTensorDescriptor CellDesc { get; }

    /// <summary>An inference call's x, y, initial states and lengths (a training call's live in its context).</summary>
    public GrowableDeviceBuffer Io { get; }

    /// <summary>Final states, backward's gradients and cuDNN's work space.</summary>
    public GrowableDeviceBuffer Scratch { get; }

    public GrowableDeviceBuffer WeightGradients { get; }
    public GrowablePinnedBuffer Staging { get; }

    /// <summary>
    /// A workspace for <paramref name="spec"/> in <paramref name="precision"/> on <paramref name="device"/>, which must be
    /// the calling thread's current device.
    /// </summary>
    public static CuDnnCallWorkspace Create(int device, RnnSpec spec, CuDnnPrecision precision)
    {
        var created = new List<IDisposable>();
        T Own<T>(T item) where T : IDisposable
        {
            created.Add(item);
            return item;
        }

        try
        {
            var stream = Own(CudaStream.Create());
            var handle = Own(CuDnnHandle.Create());
            handle.SetStream(stream);
            var dropout = Own(CuDnnDropoutDescriptor.CreateDisabled(handle));
            var rnn = Own(CuDnnRnnDescriptor.Create());
            rnn.Configure(spec, precision, dropout);
            return new CuDnnCallWorkspace(device, stream, handle, dropout, rnn, Own(CuDnnRnnDataDescriptor.Create()),
                Own(CuDnnRnnDataDescriptor.Create()), Own(CuDnnTensorDescriptor.Create()), Own(CuDnnTensorDescriptor.Create()));
        }
        catch
        {
            for (int i = created.Count - 1; i >= 0; i--) created[i].Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        // Best effort: releasing must not throw, and each handle frees itself even if another fails.
        Staging.Dispose();
        WeightGradients.Dispose();
        Scratch.Dispose();
        Io.Dispose();
        CellDesc.Dispose();
        StateDesc.Dispose();
        YDesc.Dispose();
        XDesc.Dispose();
        // The RNN descriptor refers to the dropout descriptor, which was set up with the handle: release in that order.
        Rnn.Dispose();
        Dropout.Dispose();
        Handle.Dispose();
        Stream.Dispose();
    }
}
