using System.Runtime.InteropServices;

namespace RnnNative.Interop.CuDnn.Native;

/// <summary>
/// cuDNN 9 (libcudnn.so.9, the shim that forwards to libcudnn_graph/_ops/_adv). Signatures follow cudnn_graph.h,
/// cudnn_ops.h and cudnn_adv.h of cuDNN 9.x: size_t is nuint, int32_t is int, opaque handles are SafeHandles,
/// device pointers are IntPtr. The v6/v7 RNN API is gone in cuDNN 9; only the _v8 functions are bound.
/// </summary>
internal static unsafe partial class CuDnnNative
{
    public const string LibraryName = "libcudnn.so.9";

    static CuDnnNative() =>
        InteropLibraryResolver.Register(LibraryName, () => CudaLibraryLocator.Shared.Load(CudaLibraryRole.CuDnn).Handle);

    // cudnn_graph.h

    /// <summary>MAJOR·10000 + MINOR·100 + PATCH since cuDNN 9.0.0.</summary>
    [LibraryImport(LibraryName)]
    public static partial nuint cudnnGetVersion();

    /// <summary>The CUDA runtime version cuDNN was built against (e.g. 13000).</summary>
    [LibraryImport(LibraryName)]
    public static partial nuint cudnnGetCudartVersion();

    /// <summary>Returns a static string owned by cuDNN; never free it.</summary>
    [LibraryImport(LibraryName)]
    public static partial IntPtr cudnnGetErrorString(CuDnnStatus status);

    /// <summary>The calling thread's last error message (thread-local in cuDNN 9).</summary>
    [LibraryImport(LibraryName)]
    public static partial void cudnnGetLastErrorString(byte* message, nuint maxSize);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnCreate(out IntPtr handle);

    /// <summary>Synchronises the device: create handles once, outside hot paths.</summary>
    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnDestroy(IntPtr handle);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnSetStream(CuDnnHandle handle, CudaStream streamId);

    // cudnn_ops.h: tensor and dropout descriptors

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnCreateTensorDescriptor(out IntPtr tensorDesc);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnDestroyTensorDescriptor(IntPtr tensorDesc);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnSetTensorNdDescriptor(CuDnnTensorDescriptor tensorDesc, CuDnnDataType dataType,
        int nbDims, int* dimA, int* strideA);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnGetTensorNdDescriptor(CuDnnTensorDescriptor tensorDesc, int nbDimsRequested,
        out CuDnnDataType dataType, out int nbDims, int* dimA, int* strideA);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnCreateDropoutDescriptor(out IntPtr dropoutDesc);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnDestroyDropoutDescriptor(IntPtr dropoutDesc);

    /// <summary>With dropout = 0, states may be NULL and stateSizeInBytes 0: no RNG is initialised.</summary>
    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnSetDropoutDescriptor(CuDnnDropoutDescriptor dropoutDesc, CuDnnHandle handle,
        float dropout, IntPtr states, nuint stateSizeInBytes, ulong seed);

    // cudnn_adv.h: RNN

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnCreateRNNDescriptor(out IntPtr rnnDesc);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnDestroyRNNDescriptor(IntPtr rnnDesc);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnSetRNNDescriptor_v8(CuDnnRnnDescriptor rnnDesc, CuDnnRnnAlgo algo,
        CuDnnRnnMode cellMode, CuDnnRnnBiasMode biasMode, CuDnnDirectionMode dirMode, CuDnnRnnInputMode inputMode,
        CuDnnDataType dataType, CuDnnDataType mathPrec, CuDnnMathType mathType, int inputSize, int hiddenSize,
        int projSize, int numLayers, CuDnnDropoutDescriptor dropoutDesc, CuDnnRnnAuxFlags auxFlags);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnCreateRNNDataDescriptor(out IntPtr rnnDataDesc);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnDestroyRNNDataDescriptor(IntPtr rnnDataDesc);

    /// <summary>seqLengthArray (batchSize entries) and paddingFill (one value of dataType) are host pointers, copied at Set time.</summary>
    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnSetRNNDataDescriptor(CuDnnRnnDataDescriptor rnnDataDesc, CuDnnDataType dataType,
        CuDnnRnnDataLayout layout, int maxSeqLength, int batchSize, int vectorSize, int* seqLengthArray, void* paddingFill);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnGetRNNWeightSpaceSize(CuDnnHandle handle, CuDnnRnnDescriptor rnnDesc,
        out nuint weightSpaceSize);

    /// <summary>
    /// The device addresses (inside weightSpace) and shapes of one gate matrix and its bias. pseudoLayer = layer·dirs + dir;
    /// an address comes back NULL when the model has no such parameter.
    /// </summary>
    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnGetRNNWeightParams(CuDnnHandle handle, CuDnnRnnDescriptor rnnDesc,
        int pseudoLayer, nuint weightSpaceSize, IntPtr weightSpace, int linLayerId,
        CuDnnTensorDescriptor mDesc, out IntPtr mAddr, CuDnnTensorDescriptor bDesc, out IntPtr bAddr);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnGetRNNTempSpaceSizes(CuDnnHandle handle, CuDnnRnnDescriptor rnnDesc,
        CuDnnForwardMode fwdMode, CuDnnRnnDataDescriptor xDesc, out nuint workSpaceSize, out nuint reserveSpaceSize);

    /// <summary>devSeqLengths is a device copy of the lengths; hx, cx, hy, cy may be NULL (zero initial state / not wanted).</summary>
    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnRNNForward(CuDnnHandle handle, CuDnnRnnDescriptor rnnDesc, CuDnnForwardMode fwdMode,
        IntPtr devSeqLengths, CuDnnRnnDataDescriptor xDesc, IntPtr x, CuDnnRnnDataDescriptor yDesc, IntPtr y,
        CuDnnTensorDescriptor hDesc, IntPtr hx, IntPtr hy, CuDnnTensorDescriptor cDesc, IntPtr cx, IntPtr cy,
        nuint weightSpaceSize, IntPtr weightSpace, nuint workSpaceSize, IntPtr workSpace,
        nuint reserveSpaceSize, IntPtr reserveSpace);

    /// <summary>Must run before <see cref="cudnnRNNBackwardWeights_v8"/>: it reads and updates the reserve space.</summary>
    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnRNNBackwardData_v8(CuDnnHandle handle, CuDnnRnnDescriptor rnnDesc,
        IntPtr devSeqLengths, CuDnnRnnDataDescriptor yDesc, IntPtr y, IntPtr dy, CuDnnRnnDataDescriptor xDesc, IntPtr dx,
        CuDnnTensorDescriptor hDesc, IntPtr hx, IntPtr dhy, IntPtr dhx, CuDnnTensorDescriptor cDesc, IntPtr cx,
        IntPtr dcy, IntPtr dcx, nuint weightSpaceSize, IntPtr weightSpace, nuint workSpaceSize, IntPtr workSpace,
        nuint reserveSpaceSize, IntPtr reserveSpace);

    [LibraryImport(LibraryName)]
    public static partial CuDnnStatus cudnnRNNBackwardWeights_v8(CuDnnHandle handle, CuDnnRnnDescriptor rnnDesc,
        CuDnnWgradMode addGrad, IntPtr devSeqLengths, CuDnnRnnDataDescriptor xDesc, IntPtr x,
        CuDnnTensorDescriptor hDesc, IntPtr hx, CuDnnRnnDataDescriptor yDesc, IntPtr y,
        nuint weightSpaceSize, IntPtr dweightSpace, nuint workSpaceSize, IntPtr workSpace,
        nuint reserveSpaceSize, IntPtr reserveSpace);
}
