using System.Reflection;
using RnnNative.Interop.CuDnn;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Tests.CuDnn;

/// <summary>
/// Every enum and numeric constant the cuDNN/CUDA bindings pass across the native boundary, pinned to the values in
/// the headers: cudnn_graph.h and cudnn_adv.h of cuDNN 9.6.0 (the RNN enums are unchanged through 9.22), driver_types.h
/// of CUDA 12.6. A wrong value here makes cuDNN run something else or reject a call, and nothing without a GPU would
/// notice. The values are written out from the headers, never taken from the code under test. Each row names the
/// header's identifier; headers define more members than are bound (FP8 data types, most CUDA error codes), and only
/// the bound ones are listed. Both directions are checked: every bound member is in the table with the header's value,
/// and every table row exists in the binding.
/// </summary>
public class CuDnnHeaderEnumTableTests
{
    private sealed record Member(string Header, string Bound, long Value);

    private sealed record HeaderEnum(string HeaderType, Type Underlying, Member[] Members);

    private static readonly Dictionary<Type, HeaderEnum> Table = new()
    {
        // cudnn_graph.h
        [typeof(CuDnnStatus)] = new("cudnnStatus_t", typeof(int),
        [
            new("CUDNN_STATUS_SUCCESS", "Success", 0),
            new("CUDNN_STATUS_NOT_INITIALIZED", "NotInitialized", 1001),
            new("CUDNN_STATUS_SUBLIBRARY_VERSION_MISMATCH", "SublibraryVersionMismatch", 1002),
            new("CUDNN_STATUS_SERIALIZATION_VERSION_MISMATCH", "SerializationVersionMismatch", 1003),
            new("CUDNN_STATUS_DEPRECATED", "Deprecated", 1004),
            new("CUDNN_STATUS_LICENSE_ERROR", "LicenseError", 1005),
            new("CUDNN_STATUS_RUNTIME_IN_PROGRESS", "RuntimeInProgress", 1006),
            new("CUDNN_STATUS_RUNTIME_FP_OVERFLOW", "RuntimeFpOverflow", 1007),
            new("CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED", "SublibraryLoadingFailed", 1008),
            new("CUDNN_STATUS_BAD_PARAM", "BadParam", 2000),
            new("CUDNN_STATUS_INVALID_VALUE", "InvalidValue", 2001),
            new("CUDNN_STATUS_BAD_PARAM_NULL_POINTER", "BadParamNullPointer", 2002),
            new("CUDNN_STATUS_BAD_PARAM_MISALIGNED_POINTER", "BadParamMisalignedPointer", 2003),
            new("CUDNN_STATUS_BAD_PARAM_NOT_FINALIZED", "BadParamNotFinalized", 2004),
            new("CUDNN_STATUS_BAD_PARAM_OUT_OF_BOUND", "BadParamOutOfBound", 2005),
            new("CUDNN_STATUS_BAD_PARAM_SIZE_INSUFFICIENT", "BadParamSizeInsufficient", 2006),
            new("CUDNN_STATUS_BAD_PARAM_STREAM_MISMATCH", "BadParamStreamMismatch", 2007),
            new("CUDNN_STATUS_BAD_PARAM_SHAPE_MISMATCH", "BadParamShapeMismatch", 2008),
            new("CUDNN_STATUS_BAD_PARAM_DUPLICATED_ENTRIES", "BadParamDuplicatedEntries", 2009),
            new("CUDNN_STATUS_BAD_PARAM_ATTRIBUTE_TYPE", "BadParamAttributeType", 2010),
            new("CUDNN_STATUS_BAD_PARAM_CUDA_GRAPH_MISMATCH", "BadParamCudaGraphMismatch", 2011),
            new("CUDNN_STATUS_BAD_PARAM_DESCRIPTOR_TYPE", "BadParamDescriptorType", 2012),
            new("CUDNN_STATUS_NOT_SUPPORTED", "NotSupported", 3000),
            new("CUDNN_STATUS_NOT_SUPPORTED_GRAPH_PATTERN", "NotSupportedGraphPattern", 3001),
            new("CUDNN_STATUS_NOT_SUPPORTED_SHAPE", "NotSupportedShape", 3002),
            new("CUDNN_STATUS_NOT_SUPPORTED_DATA_TYPE", "NotSupportedDataType", 3003),
            new("CUDNN_STATUS_NOT_SUPPORTED_LAYOUT", "NotSupportedLayout", 3004),
            new("CUDNN_STATUS_NOT_SUPPORTED_INCOMPATIBLE_CUDA_DRIVER", "NotSupportedIncompatibleCudaDriver", 3005),
            new("CUDNN_STATUS_NOT_SUPPORTED_INCOMPATIBLE_CUDART", "NotSupportedIncompatibleCudart", 3006),
            new("CUDNN_STATUS_NOT_SUPPORTED_ARCH_MISMATCH", "NotSupportedArchMismatch", 3007),
            new("CUDNN_STATUS_NOT_SUPPORTED_RUNTIME_PREREQUISITE_MISSING", "NotSupportedRuntimePrerequisiteMissing", 3008),
            new("CUDNN_STATUS_NOT_SUPPORTED_SUBLIBRARY_UNAVAILABLE", "NotSupportedSublibraryUnavailable", 3009),
            new("CUDNN_STATUS_NOT_SUPPORTED_SHARED_MEMORY_INSUFFICIENT", "NotSupportedSharedMemoryInsufficient", 3010),
            new("CUDNN_STATUS_NOT_SUPPORTED_PADDING", "NotSupportedPadding", 3011),
            new("CUDNN_STATUS_NOT_SUPPORTED_BAD_LAUNCH_PARAM", "NotSupportedBadLaunchParam", 3012),
            new("CUDNN_STATUS_NOT_SUPPORTED_CUDA_GRAPH_NATIVE_API", "NotSupportedCudaGraphNativeApi", 3013),
            // Since cuDNN 9.18.0, so absent from the 9.6 header; 3014 is its value in the 9.18+ headers.
            new("CUDNN_STATUS_NOT_SUPPORTED_INVALID_DYNAMIC_SHAPE", "NotSupportedInvalidDynamicShape", 3014),
            new("CUDNN_STATUS_INTERNAL_ERROR", "InternalError", 4000),
            new("CUDNN_STATUS_INTERNAL_ERROR_COMPILATION_FAILED", "InternalErrorCompilationFailed", 4001),
            new("CUDNN_STATUS_INTERNAL_ERROR_UNEXPECTED_VALUE", "InternalErrorUnexpectedValue", 4002),
            new("CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED", "InternalErrorHostAllocationFailed", 4003),
            new("CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED", "InternalErrorDeviceAllocationFailed", 4004),
            new("CUDNN_STATUS_INTERNAL_ERROR_BAD_LAUNCH_PARAM", "InternalErrorBadLaunchParam", 4005),
            new("CUDNN_STATUS_INTERNAL_ERROR_TEXTURE_CREATION_FAILED", "InternalErrorTextureCreationFailed", 4006),
            new("CUDNN_STATUS_EXECUTION_FAILED", "ExecutionFailed", 5000),
            new("CUDNN_STATUS_EXECUTION_FAILED_CUDA_DRIVER", "ExecutionFailedCudaDriver", 5001),
            new("CUDNN_STATUS_EXECUTION_FAILED_CUBLAS", "ExecutionFailedCublas", 5002),
            new("CUDNN_STATUS_EXECUTION_FAILED_CUDART", "ExecutionFailedCudart", 5003),
            new("CUDNN_STATUS_EXECUTION_FAILED_CURAND", "ExecutionFailedCurand", 5004),
        ]),
        [typeof(CuDnnDataType)] = new("cudnnDataType_t", typeof(int),
        [
            new("CUDNN_DATA_FLOAT", "Float", 0),
            new("CUDNN_DATA_DOUBLE", "Double", 1),
            new("CUDNN_DATA_HALF", "Half", 2),
            new("CUDNN_DATA_INT8", "Int8", 3),
            new("CUDNN_DATA_INT32", "Int32", 4),
            new("CUDNN_DATA_INT8x4", "Int8x4", 5),
            new("CUDNN_DATA_UINT8", "Uint8", 6),
            new("CUDNN_DATA_UINT8x4", "Uint8x4", 7),
            new("CUDNN_DATA_INT8x32", "Int8x32", 8),
            new("CUDNN_DATA_BFLOAT16", "BFloat16", 9),
            new("CUDNN_DATA_INT64", "Int64", 10),
            new("CUDNN_DATA_BOOLEAN", "Boolean", 11),
        ]),
        [typeof(CuDnnMathType)] = new("cudnnMathType_t", typeof(int),
        [
            new("CUDNN_DEFAULT_MATH", "Default", 0),
            new("CUDNN_TENSOR_OP_MATH", "TensorOp", 1),
            new("CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION", "TensorOpAllowConversion", 2),
            new("CUDNN_FMA_MATH", "Fma", 3),
        ]),

        // cudnn_adv.h
        [typeof(CuDnnRnnAlgo)] = new("cudnnRNNAlgo_t", typeof(int),
        [
            new("CUDNN_RNN_ALGO_STANDARD", "Standard", 0),
            new("CUDNN_RNN_ALGO_PERSIST_STATIC", "PersistStatic", 1),
            new("CUDNN_RNN_ALGO_PERSIST_DYNAMIC", "PersistDynamic", 2),
            new("CUDNN_RNN_ALGO_PERSIST_STATIC_SMALL_H", "PersistStaticSmallH", 3),
        ]),
        [typeof(CuDnnForwardMode)] = new("cudnnForwardMode_t", typeof(int),
        [
            new("CUDNN_FWD_MODE_INFERENCE", "Inference", 0),
            new("CUDNN_FWD_MODE_TRAINING", "Training", 1),
        ]),
        [typeof(CuDnnRnnMode)] = new("cudnnRNNMode_t", typeof(int),
        [
            new("CUDNN_RNN_RELU", "RnnRelu", 0),
            new("CUDNN_RNN_TANH", "RnnTanh", 1),
            new("CUDNN_LSTM", "Lstm", 2),
            new("CUDNN_GRU", "Gru", 3),
        ]),
        [typeof(CuDnnRnnBiasMode)] = new("cudnnRNNBiasMode_t", typeof(int),
        [
            new("CUDNN_RNN_NO_BIAS", "NoBias", 0),
            new("CUDNN_RNN_SINGLE_INP_BIAS", "SingleInputBias", 1),
            new("CUDNN_RNN_DOUBLE_BIAS", "DoubleBias", 2),
            new("CUDNN_RNN_SINGLE_REC_BIAS", "SingleRecurrentBias", 3),
        ]),
        [typeof(CuDnnDirectionMode)] = new("cudnnDirectionMode_t", typeof(int),
        [
            new("CUDNN_UNIDIRECTIONAL", "Unidirectional", 0),
            new("CUDNN_BIDIRECTIONAL", "Bidirectional", 1),
        ]),
        [typeof(CuDnnRnnInputMode)] = new("cudnnRNNInputMode_t", typeof(int),
        [
            new("CUDNN_LINEAR_INPUT", "LinearInput", 0),
            new("CUDNN_SKIP_INPUT", "SkipInput", 1),
        ]),
        [typeof(CuDnnRnnDataLayout)] = new("cudnnRNNDataLayout_t", typeof(int),
        [
            new("CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED", "SeqMajorUnpacked", 0),
            new("CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_PACKED", "SeqMajorPacked", 1),
            new("CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED", "BatchMajorUnpacked", 2),
        ]),
        [typeof(CuDnnWgradMode)] = new("cudnnWgradMode_t", typeof(int),
        [
            new("CUDNN_WGRAD_MODE_ADD", "Add", 0),
            new("CUDNN_WGRAD_MODE_SET", "Set", 1),
        ]),
        // #defines for cudnnSetRNNDescriptor_v8's uint32_t auxFlags.
        [typeof(CuDnnRnnAuxFlags)] = new("uint32_t auxFlags", typeof(uint),
        [
            new("CUDNN_RNN_PADDED_IO_DISABLED", "PaddedIoDisabled", 0),
            new("CUDNN_RNN_PADDED_IO_ENABLED", "PaddedIoEnabled", 1),
        ]),

        // driver_types.h (CUDA runtime)
        [typeof(CudaError)] = new("cudaError_t", typeof(int),
        [
            new("cudaSuccess", "Success", 0),
            new("cudaErrorInvalidValue", "InvalidValue", 1),
            new("cudaErrorMemoryAllocation", "MemoryAllocation", 2),
            new("cudaErrorInitializationError", "InitializationError", 3),
            new("cudaErrorInsufficientDriver", "InsufficientDriver", 35),
            new("cudaErrorNoDevice", "NoDevice", 100),
            new("cudaErrorInvalidDevice", "InvalidDevice", 101),
        ]),
        [typeof(CudaMemcpyKind)] = new("cudaMemcpyKind", typeof(int),
        [
            new("cudaMemcpyHostToHost", "HostToHost", 0),
            new("cudaMemcpyHostToDevice", "HostToDevice", 1),
            new("cudaMemcpyDeviceToHost", "DeviceToHost", 2),
            new("cudaMemcpyDeviceToDevice", "DeviceToDevice", 3),
            new("cudaMemcpyDefault", "Default", 4),
        ]),
        [typeof(CudaDeviceAttribute)] = new("cudaDeviceAttr", typeof(int),
        [
            new("cudaDevAttrMultiProcessorCount", "MultiProcessorCount", 16),
            new("cudaDevAttrComputeCapabilityMajor", "ComputeCapabilityMajor", 75),
            new("cudaDevAttrComputeCapabilityMinor", "ComputeCapabilityMinor", 76),
        ]),
    };

    /// <summary>Numeric constants passed as arguments: (declaring class, field) → (header identifier, value).</summary>
    private static readonly Dictionary<(Type, string), (string Header, long Value)> Constants = new()
    {
        [(typeof(CudaRuntimeNative), nameof(CudaRuntimeNative.StreamNonBlocking))] = ("cudaStreamNonBlocking", 0x01), // driver_types.h
    };

    private static readonly Assembly Binding = typeof(CuDnnBackend).Assembly;

    private static IEnumerable<Type> BoundEnums() =>
        Binding.GetTypes().Where(t => t.IsEnum && t.Namespace == typeof(CuDnnStatus).Namespace);

    [Test]
    public void EveryBoundEnumHasAHeaderTableAndEveryTableABoundEnum()
    {
        Assert.That(BoundEnums().Select(t => t.Name), Is.EquivalentTo(Table.Keys.Select(t => t.Name)));
    }

    [TestCaseSource(nameof(TableEnums))]
    public void MembersAndValuesMatchTheHeader(Type bound)
    {
        var header = Table[bound];
        Assert.That(Enum.GetUnderlyingType(bound), Is.EqualTo(header.Underlying), $"{bound.Name} must be as wide as {header.HeaderType}");
        var actual = Enum.GetNames(bound).ToDictionary(n => n, n => Convert.ToInt64(Enum.Parse(bound, n)));
        var expected = header.Members.ToDictionary(m => m.Bound, m => m.Value);
        Assert.Multiple(() =>
        {
            foreach (var member in header.Members)
            {
                Assert.That(actual.ContainsKey(member.Bound), Is.True, $"{header.HeaderType}: {member.Header} is not bound as {bound.Name}.{member.Bound}");
                if (actual.TryGetValue(member.Bound, out long value))
                    Assert.That(value, Is.EqualTo(member.Value), $"{bound.Name}.{member.Bound} must equal {member.Header} = {member.Value}");
            }
            foreach (string name in actual.Keys.Except(expected.Keys))
                Assert.Fail($"{bound.Name}.{name} = {actual[name]} is not in the {header.HeaderType} table");
        });
    }

    [Test]
    public void NumericConstantsMatchTheHeader()
    {
        var bound = Binding.GetTypes()
            .Where(t => t.Namespace == typeof(CuDnnStatus).Namespace && !t.IsEnum)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType != typeof(string))
                .Select(f => (Key: (t, f.Name), Value: Convert.ToInt64(f.GetRawConstantValue()))))
            .ToDictionary(c => c.Key, c => c.Value);
        Assert.That(bound.Keys, Is.EquivalentTo(Constants.Keys), "every numeric constant of the bindings has a header row, and every row a constant");
        foreach (var (key, (header, value)) in Constants)
            Assert.That(bound[key], Is.EqualTo(value), $"{key.Item1.Name}.{key.Item2} must equal {header} = {value}");
    }

    private static IEnumerable<Type> TableEnums() => Table.Keys;
}
