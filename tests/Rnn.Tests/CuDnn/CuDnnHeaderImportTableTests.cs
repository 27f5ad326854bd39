using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using RnnNative.Interop.CuDnn;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Tests.CuDnn;

/// <summary>
/// Every native import of the cuDNN backend, checked against its prototype as the header declares it: cudnn_graph.h,
/// cudnn_ops.h and cudnn_adv.h of cuDNN 9.6.0, cuda_runtime_api.h of CUDA 12.6, cuda.h (driver API) of CUDA 12.6.
/// The prototypes below are copied from those headers with the calling-convention and export macros left out
/// (CUDNNWINAPI, CUDARTAPI, CUDAAPI, __host__, __cudart_builtin__) and the C++ default argument __dv(0) dropped. For each
/// import the entry point, the library, the return type, and each parameter's position, name and type must match; a
/// swap of two parameters of the same type is caught by the names. Every import must have a prototype and every
/// prototype an import. Nothing here needs a GPU: a wrong signature would otherwise surface only as a crash or a
/// BAD_PARAM on one.
/// </summary>
public class CuDnnHeaderImportTableTests
{
    /// <summary>The library each binding class names and the prototypes it must bind, exactly.</summary>
    private static readonly Dictionary<Type, (string Library, string[] Prototypes)> Table = new()
    {
        [typeof(CuDnnNative)] = ("libcudnn.so.9",
        [
            // cudnn_graph.h
            "size_t cudnnGetVersion(void)",
            "size_t cudnnGetCudartVersion(void)",
            "const char *cudnnGetErrorString(cudnnStatus_t status)",
            "void cudnnGetLastErrorString(char *message, size_t max_size)",
            "cudnnStatus_t cudnnCreate(cudnnHandle_t *handle)",
            "cudnnStatus_t cudnnDestroy(cudnnHandle_t handle)",
            "cudnnStatus_t cudnnSetStream(cudnnHandle_t handle, cudaStream_t streamId)",
            // cudnn_ops.h
            "cudnnStatus_t cudnnCreateTensorDescriptor(cudnnTensorDescriptor_t *tensorDesc)",
            "cudnnStatus_t cudnnDestroyTensorDescriptor(cudnnTensorDescriptor_t tensorDesc)",
            "cudnnStatus_t cudnnSetTensorNdDescriptor(cudnnTensorDescriptor_t tensorDesc, cudnnDataType_t dataType, int nbDims, const int dimA[], const int strideA[])",
            "cudnnStatus_t cudnnGetTensorNdDescriptor(const cudnnTensorDescriptor_t tensorDesc, int nbDimsRequested, cudnnDataType_t *dataType, int *nbDims, int dimA[], int strideA[])",
            "cudnnStatus_t cudnnCreateDropoutDescriptor(cudnnDropoutDescriptor_t *dropoutDesc)",
            "cudnnStatus_t cudnnDestroyDropoutDescriptor(cudnnDropoutDescriptor_t dropoutDesc)",
            "cudnnStatus_t cudnnSetDropoutDescriptor(cudnnDropoutDescriptor_t dropoutDesc, cudnnHandle_t handle, float dropout, void *states, size_t stateSizeInBytes, unsigned long long seed)",
            // cudnn_adv.h
            "cudnnStatus_t cudnnCreateRNNDescriptor(cudnnRNNDescriptor_t *rnnDesc)",
            "cudnnStatus_t cudnnDestroyRNNDescriptor(cudnnRNNDescriptor_t rnnDesc)",
            "cudnnStatus_t cudnnSetRNNDescriptor_v8(cudnnRNNDescriptor_t rnnDesc, cudnnRNNAlgo_t algo, cudnnRNNMode_t cellMode, cudnnRNNBiasMode_t biasMode, cudnnDirectionMode_t dirMode, cudnnRNNInputMode_t inputMode, cudnnDataType_t dataType, cudnnDataType_t mathPrec, cudnnMathType_t mathType, int32_t inputSize, int32_t hiddenSize, int32_t projSize, int32_t numLayers, cudnnDropoutDescriptor_t dropoutDesc, uint32_t auxFlags)",
            "cudnnStatus_t cudnnCreateRNNDataDescriptor(cudnnRNNDataDescriptor_t *rnnDataDesc)",
            "cudnnStatus_t cudnnDestroyRNNDataDescriptor(cudnnRNNDataDescriptor_t rnnDataDesc)",
            "cudnnStatus_t cudnnSetRNNDataDescriptor(cudnnRNNDataDescriptor_t rnnDataDesc, cudnnDataType_t dataType, cudnnRNNDataLayout_t layout, int maxSeqLength, int batchSize, int vectorSize, const int seqLengthArray[], void *paddingFill)",
            "cudnnStatus_t cudnnGetRNNWeightSpaceSize(cudnnHandle_t handle, cudnnRNNDescriptor_t rnnDesc, size_t *weightSpaceSize)",
            "cudnnStatus_t cudnnGetRNNWeightParams(cudnnHandle_t handle, cudnnRNNDescriptor_t rnnDesc, int32_t pseudoLayer, size_t weightSpaceSize, const void *weightSpace, int32_t linLayerID, cudnnTensorDescriptor_t mDesc, void **mAddr, cudnnTensorDescriptor_t bDesc, void **bAddr)",
            "cudnnStatus_t cudnnGetRNNTempSpaceSizes(cudnnHandle_t handle, cudnnRNNDescriptor_t rnnDesc, cudnnForwardMode_t fwdMode, cudnnRNNDataDescriptor_t xDesc, size_t *workSpaceSize, size_t *reserveSpaceSize)",
            "cudnnStatus_t cudnnRNNForward(cudnnHandle_t handle, cudnnRNNDescriptor_t rnnDesc, cudnnForwardMode_t fwdMode, const int32_t devSeqLengths[], cudnnRNNDataDescriptor_t xDesc, const void *x, cudnnRNNDataDescriptor_t yDesc, void *y, cudnnTensorDescriptor_t hDesc, const void *hx, void *hy, cudnnTensorDescriptor_t cDesc, const void *cx, void *cy, size_t weightSpaceSize, const void *weightSpace, size_t workSpaceSize, void *workSpace, size_t reserveSpaceSize, void *reserveSpace)",
            "cudnnStatus_t cudnnRNNBackwardData_v8(cudnnHandle_t handle, cudnnRNNDescriptor_t rnnDesc, const int32_t devSeqLengths[], cudnnRNNDataDescriptor_t yDesc, const void *y, const void *dy, cudnnRNNDataDescriptor_t xDesc, void *dx, cudnnTensorDescriptor_t hDesc, const void *hx, const void *dhy, void *dhx, cudnnTensorDescriptor_t cDesc, const void *cx, const void *dcy, void *dcx, size_t weightSpaceSize, const void *weightSpace, size_t workSpaceSize, void *workSpace, size_t reserveSpaceSize, void *reserveSpace)",
            "cudnnStatus_t cudnnRNNBackwardWeights_v8(cudnnHandle_t handle, cudnnRNNDescriptor_t rnnDesc, cudnnWgradMode_t addGrad, const int32_t devSeqLengths[], cudnnRNNDataDescriptor_t xDesc, const void *x, cudnnTensorDescriptor_t hDesc, const void *hx, cudnnRNNDataDescriptor_t yDesc, const void *y, size_t weightSpaceSize, void *dweightSpace, size_t workSpaceSize, void *workSpace, size_t reserveSpaceSize, void *reserveSpace)",
        ]),
        // A logical name: the resolver maps it to whichever libcudart major version is found.
        [typeof(CudaRuntimeNative)] = ("rnnnative-cudart",
        [
            "cudaError_t cudaGetDeviceCount(int *count)",
            "cudaError_t cudaSetDevice(int device)",
            "cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)",
            "cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)",
            "cudaError_t cudaDriverGetVersion(int *driverVersion)",
            "cudaError_t cudaMemGetInfo(size_t *free, size_t *total)",
            "cudaError_t cudaMalloc(void **devPtr, size_t size)",
            "cudaError_t cudaFree(void *devPtr)",
            "cudaError_t cudaMallocHost(void **ptr, size_t size)",
            "cudaError_t cudaFreeHost(void *ptr)",
            "cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind, cudaStream_t stream)",
            "cudaError_t cudaMemsetAsync(void *devPtr, int value, size_t count, cudaStream_t stream)",
            "cudaError_t cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags)",
            "cudaError_t cudaStreamDestroy(cudaStream_t stream)",
            "cudaError_t cudaStreamSynchronize(cudaStream_t stream)",
            "const char* cudaGetErrorString(cudaError_t error)",
            "const char* cudaGetErrorName(cudaError_t error)",
        ]),
        [typeof(CudaDriverNative)] = ("libcuda.so.1",
        [
            "CUresult cuInit(unsigned int Flags)",
            "CUresult cuDeviceGet(CUdevice *device, int ordinal)",
            "CUresult cuDeviceGetName(char *name, int len, CUdevice dev)",
        ]),
    };

    /// <summary>
    /// How each C type of those prototypes may be bound. An opaque handle passed by value is the SafeHandle that owns it,
    /// or a raw IntPtr where the handle is being released; a pointer to one (an out parameter) is out IntPtr. Enums bind
    /// to the enum pinned by <see cref="CuDnnHeaderEnumTableTests"/>; CUresult is bound as its int value. Data pointers
    /// are IntPtr (device memory) or a typed pointer (host memory); out scalars are out parameters.
    /// </summary>
    private static readonly Dictionary<string, Type[]> CTypes = new()
    {
        ["void"] = [typeof(void)],
        ["int"] = [typeof(int)],
        ["int32_t"] = [typeof(int)],
        ["CUdevice"] = [typeof(int)],
        ["unsigned int"] = [typeof(uint)],
        ["uint32_t"] = [typeof(uint), typeof(CuDnnRnnAuxFlags)],
        ["size_t"] = [typeof(nuint)],
        ["float"] = [typeof(float)],
        ["unsigned long long"] = [typeof(ulong)],
        ["int*"] = [typeof(int).MakeByRefType(), typeof(int*)],
        ["int32_t*"] = [typeof(IntPtr)], // devSeqLengths: a device array
        ["CUdevice*"] = [typeof(int).MakeByRefType()],
        ["size_t*"] = [typeof(nuint).MakeByRefType()],
        ["void*"] = [typeof(IntPtr), typeof(void*)],
        ["void**"] = [typeof(IntPtr).MakeByRefType()],
        ["char*"] = [typeof(IntPtr), typeof(byte*)],
        ["cudnnStatus_t"] = [typeof(CuDnnStatus)],
        ["cudaError_t"] = [typeof(CudaError)],
        ["CUresult"] = [typeof(int)],
        ["cudnnDataType_t"] = [typeof(CuDnnDataType)],
        ["cudnnDataType_t*"] = [typeof(CuDnnDataType).MakeByRefType()],
        ["cudnnMathType_t"] = [typeof(CuDnnMathType)],
        ["cudnnRNNAlgo_t"] = [typeof(CuDnnRnnAlgo)],
        ["cudnnRNNMode_t"] = [typeof(CuDnnRnnMode)],
        ["cudnnRNNBiasMode_t"] = [typeof(CuDnnRnnBiasMode)],
        ["cudnnDirectionMode_t"] = [typeof(CuDnnDirectionMode)],
        ["cudnnRNNInputMode_t"] = [typeof(CuDnnRnnInputMode)],
        ["cudnnRNNDataLayout_t"] = [typeof(CuDnnRnnDataLayout)],
        ["cudnnForwardMode_t"] = [typeof(CuDnnForwardMode)],
        ["cudnnWgradMode_t"] = [typeof(CuDnnWgradMode)],
        ["cudaDeviceAttr"] = [typeof(CudaDeviceAttribute)],
        ["cudaMemcpyKind"] = [typeof(CudaMemcpyKind)],
        ["cudnnHandle_t"] = [typeof(CuDnnHandle), typeof(IntPtr)],
        ["cudnnHandle_t*"] = [typeof(IntPtr).MakeByRefType()],
        ["cudaStream_t"] = [typeof(CudaStream), typeof(IntPtr)],
        ["cudaStream_t*"] = [typeof(IntPtr).MakeByRefType()],
        ["cudnnTensorDescriptor_t"] = [typeof(CuDnnTensorDescriptor), typeof(IntPtr)],
        ["cudnnTensorDescriptor_t*"] = [typeof(IntPtr).MakeByRefType()],
        ["cudnnDropoutDescriptor_t"] = [typeof(CuDnnDropoutDescriptor), typeof(IntPtr)],
        ["cudnnDropoutDescriptor_t*"] = [typeof(IntPtr).MakeByRefType()],
        ["cudnnRNNDescriptor_t"] = [typeof(CuDnnRnnDescriptor), typeof(IntPtr)],
        ["cudnnRNNDescriptor_t*"] = [typeof(IntPtr).MakeByRefType()],
        ["cudnnRNNDataDescriptor_t"] = [typeof(CuDnnRnnDataDescriptor), typeof(IntPtr)],
        ["cudnnRNNDataDescriptor_t*"] = [typeof(IntPtr).MakeByRefType()],
    };

    private sealed record CParameter(string Type, string Name);

    private sealed record CPrototype(string ReturnType, string Name, CParameter[] Parameters);

    [Test]
    public void EveryImportHasAPrototypeAndEveryPrototypeAnImport()
    {
        var imported = Table.Keys.SelectMany(c => Imports(c).Select(m => $"{c.Name}.{EntryPoint(m)}"));
        var declared = Table.SelectMany(e => e.Value.Prototypes.Select(p => $"{e.Key.Name}.{Parse(p).Name}"));
        Assert.That(imported, Is.EquivalentTo(declared));
    }

    [Test]
    public void NoOtherClassOfTheBackendImportsNativeCode()
    {
        var importers = typeof(CuDnnBackend).Assembly.GetTypes()
            .Where(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Any(IsImport))
            .Select(t => t.Name);
        Assert.That(importers, Is.EquivalentTo(Table.Keys.Select(t => t.Name)));
    }

    [TestCaseSource(nameof(AllPrototypes))]
    public void TheImportMatchesTheHeaderPrototype(Type binding, string prototype)
    {
        var c = Parse(prototype);
        var method = Imports(binding).SingleOrDefault(m => EntryPoint(m) == c.Name);
        Assert.That(method, Is.Not.Null, $"{binding.Name} does not import {c.Name}");
        Assert.Multiple(() =>
        {
            Assert.That(LibraryOf(method!), Is.EqualTo(Table[binding].Library), "library");
            Assert.That(method!.ReturnType, Is.AnyOf(Allowed(c.ReturnType)), $"return type for C {c.ReturnType}");
            var parameters = method.GetParameters();
            Assert.That(parameters.Length, Is.EqualTo(c.Parameters.Length),
                $"{c.Name} takes ({string.Join(", ", c.Parameters.Select(p => p.Name))}); bound ({string.Join(", ", parameters.Select(p => p.Name))})");
            for (int i = 0; i < Math.Min(parameters.Length, c.Parameters.Length); i++)
            {
                var (bound, header) = (parameters[i], c.Parameters[i]);
                Assert.That(Normalize(bound.Name!), Is.EqualTo(Normalize(header.Name)), $"parameter {i} of {c.Name}: header {header.Type} {header.Name}");
                Assert.That(bound.ParameterType, Is.AnyOf(Allowed(header.Type)), $"parameter {i} ({header.Name}) of {c.Name}: C {header.Type}");
                if (bound.ParameterType.IsByRef)
                    Assert.That(bound.IsOut, Is.True, $"parameter {i} ({header.Name}) of {c.Name} is written by the callee: bind it as out");
            }
        });
    }

    private static IEnumerable<TestCaseData> AllPrototypes() =>
        Table.SelectMany(e => e.Value.Prototypes.Select(p => new TestCaseData(e.Key, p).SetArgDisplayNames(e.Key.Name, Parse(p).Name)));

    /// <summary>[LibraryImport] partial methods and hand-written extern methods; not the stubs the generator emits.</summary>
    private static bool IsImport(MethodInfo method) =>
        !method.Name.Contains('<', StringComparison.Ordinal)
        && (method.GetCustomAttribute<LibraryImportAttribute>() is not null || method.Attributes.HasFlag(MethodAttributes.PinvokeImpl));

    private static IEnumerable<MethodInfo> Imports(Type binding) =>
        binding.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Where(IsImport);

    private static string EntryPoint(MethodInfo method) =>
        method.GetCustomAttribute<LibraryImportAttribute>()?.EntryPoint
        ?? method.GetCustomAttribute<DllImportAttribute>()?.EntryPoint
        ?? method.Name;

    private static string? LibraryOf(MethodInfo method) =>
        method.GetCustomAttribute<LibraryImportAttribute>()?.LibraryName ?? method.GetCustomAttribute<DllImportAttribute>()?.Value;

    private static object[] Allowed(string cType) =>
        CTypes.TryGetValue(cType, out var types) ? types.Cast<object>().ToArray() : throw new KeyNotFoundException($"no .NET mapping written for C type '{cType}'");

    /// <summary>Header names are C style (max_size, linLayerID); the bound ones C# style (maxSize, linLayerId).</summary>
    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>"cudnnStatus_t f(const int a[], void **b)" → (cudnnStatus_t, f, [(int*, a), (void**, b)]).</summary>
    private static CPrototype Parse(string prototype)
    {
        var match = Regex.Match(prototype, @"^(?<ret>.*?[\s\*])(?<name>\w+)\((?<params>.*)\)$");
        if (!match.Success) throw new FormatException($"not a prototype: {prototype}");
        string parameters = match.Groups["params"].Value.Trim();
        var parsed = parameters == "void"
            ? []
            : parameters.Split(',').Select(p => ParseParameter(p.Trim())).ToArray();
        return new CPrototype(CType(match.Groups["ret"].Value, 0), match.Groups["name"].Value, parsed);
    }

    private static CParameter ParseParameter(string declaration)
    {
        var match = Regex.Match(declaration, @"^(?<type>.*?[\s\*])(?<name>\w+)(?<array>\[\])?$");
        if (!match.Success) throw new FormatException($"not a parameter: {declaration}");
        return new CParameter(CType(match.Groups["type"].Value, match.Groups["array"].Success ? 1 : 0), match.Groups["name"].Value);
    }

    /// <summary>The type without const or enum keywords, with its pointer levels (an array parameter is one more) as '*'.</summary>
    private static string CType(string declared, int extraPointers)
    {
        int pointers = declared.Count(ch => ch == '*') + extraPointers;
        var words = declared.Replace("*", " ", StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("const" or "enum"));
        return string.Join(' ', words) + new string('*', pointers);
    }
}
