using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Decides, once and without ever throwing, whether cuDNN can run here: the libraries load, a CUDA device exists,
/// cuDNN speaks the 9.x API, and a cuDNN context and RNN descriptor can be created (which makes cuDNN load its
/// RNN sub-library). Also gathers the facts <see cref="CuDnnBackend.Describe"/> prints.
/// </summary>
internal static class CuDnnRuntimeProbe
{
    private static readonly Lazy<BackendAvailability> LazyAvailability = new(ProbeAvailability);
    private static readonly Lazy<IReadOnlyList<KeyValuePair<string, string>>> LazyFacts = new(GatherFacts);

    public static BackendAvailability Availability => LazyAvailability.Value;

    public static IReadOnlyList<KeyValuePair<string, string>> Facts => LazyFacts.Value;

    /// <summary>The number of CUDA devices; only meaningful when <see cref="Availability"/> says available.</summary>
    public static int DeviceCount { get; private set; }

    /// <summary>cudnnGetVersion() of the loaded cuDNN; only meaningful when <see cref="Availability"/> says available.</summary>
    public static long CuDnnVersion { get; private set; }

    private static BackendAvailability ProbeAvailability()
    {
        try
        {
            var locator = CudaLibraryLocator.Shared;
            var runtime = locator.Load(CudaLibraryRole.CudaRuntime);
            var cudnn = locator.Load(CudaLibraryRole.CuDnn);
            var missing = new[] { runtime, cudnn }.Where(r => !r.IsLoaded).Select(r => r.Failure).ToList();
            if (missing.Count > 0) return BackendAvailability.Unavailable(string.Join(" | ", missing));

            var countError = CudaRuntimeNative.cudaGetDeviceCount(out int count);
            if (countError != CudaError.Success)
                return BackendAvailability.Unavailable($"no CUDA device (cudaGetDeviceCount: {CudaStatusCheck.Describe(countError)})");
            if (count < 1) return BackendAvailability.Unavailable("no CUDA device (cudaGetDeviceCount reported 0 devices)");

            long version = (long)CuDnnNative.cudnnGetVersion();
            if (!NvidiaVersions.IsSupportedCuDnn(version))
                return BackendAvailability.Unavailable(
                    $"cuDNN {version} ({NvidiaVersions.DecodeCuDnn(version)}) loaded from {cudnn.LoadedFrom} is not supported: this binding speaks the cuDNN 9 API (90000 ≤ cudnnGetVersion() < 100000)");

            CudaStatusCheck.Check(CudaRuntimeNative.cudaSetDevice(0), "cudaSetDevice(0)");
            using (CuDnnHandle.Create())
            using (CuDnnRnnDescriptor.Create())
            {
                // Creating both proves the context, libcudnn_graph and libcudnn_adv are usable.
            }
            DeviceCount = count;
            CuDnnVersion = version;
            string cublasNote = locator.Load(CudaLibraryRole.CublasLt).IsLoaded
                ? ""
                : "; cuBLASLt was not found, so RNN calls may fail (see the warnings in the backend description)";
            return BackendAvailability.Available(
                $"cuDNN {NvidiaVersions.DecodeCuDnn(version)} from {cudnn.LoadedFrom}, {count} CUDA device{(count == 1 ? "" : "s")}{cublasNote}");
        }
        // CUDA errors never map to LibraryFailure, so this code is cuDNN's.
        catch (RnnBackendLibraryException ex) when (ex.NativeCode == (int)CuDnnStatus.SublibraryLoadingFailed)
        {
            return BackendAvailability.Unavailable(
                $"{ex.Message}. cuDNN could not load its sub-libraries (libcudnn_graph/_ops/_adv.so.9): put their folder on "
                + $"LD_LIBRARY_PATH before starting, or point ${CudaSearchLocations.CuDnnOverrideVariable} at it");
        }
        catch (Exception ex)
        {
            // DllNotFound, EntryPointNotFound, CUDA and cuDNN errors: the backend is simply unavailable, with the cause.
            return BackendAvailability.Unavailable($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static IReadOnlyList<KeyValuePair<string, string>> GatherFacts()
    {
        var facts = new List<KeyValuePair<string, string>>();
        void Add(string key, string value) => facts.Add(new(key, value));

        var availability = Availability;
        Add("status", availability.IsAvailable ? "available" : "unavailable: " + availability.Reason);
        var locator = CudaLibraryLocator.Shared;
        foreach (var role in new[] { CudaLibraryRole.CudaRuntime, CudaLibraryRole.CuDnn, CudaLibraryRole.CublasLt })
        {
            var result = locator.Load(role);
            if (result.IsLoaded) Add(role switch
            {
                CudaLibraryRole.CudaRuntime => "cudart",
                CudaLibraryRole.CuDnn => "cudnn library",
                _ => "cublasLt",
            }, result.LoadedFrom!);
            foreach (string warning in result.Warnings) Add("warning", warning);
        }
        if (!availability.IsAvailable) return facts;

        Try(facts, "cudnn", () =>
        {
            long version = (long)CuDnnNative.cudnnGetVersion();
            return $"{NvidiaVersions.DecodeCuDnn(version)} ({version}), built for CUDA {NvidiaVersions.DecodeCuda((long)CuDnnNative.cudnnGetCudartVersion())}";
        });
        Try(facts, "cuda runtime", () =>
        {
            CudaStatusCheck.Check(CudaRuntimeNative.cudaRuntimeGetVersion(out int v), "cudaRuntimeGetVersion");
            return NvidiaVersions.DecodeCuda(v).ToString();
        });
        Try(facts, "cuda driver", () =>
        {
            CudaStatusCheck.Check(CudaRuntimeNative.cudaDriverGetVersion(out int v), "cudaDriverGetVersion");
            return $"supports CUDA {NvidiaVersions.DecodeCuda(v)}";
        });
        for (int device = 0; device < DeviceCount; device++)
        {
            int d = device;
            Try(facts, $"gpu {d}", () => DescribeDevice(d));
        }
        Add("f32 math", "FMA (no TF32), matches the reference within 1e-4");
        Add("bf16", Bf16Refusal(0) ?? "supported on gpu 0 (cuDNN ≥ 9.13, compute capability ≥ 8.0)");
        return facts;
    }

    /// <summary>
    /// Null when bf16 RNNs can run on <paramref name="device"/>; otherwise why not: the backend is unavailable, there is
    /// no such device, or <see cref="CuDnnBf16Support"/> refuses this cuDNN version or this GPU.
    /// </summary>
    public static string? Bf16Refusal(int device)
    {
        var availability = Availability;
        if (!availability.IsAvailable) return availability.Reason;
        if (device < 0 || device >= DeviceCount) return $"there is no CUDA device {device} (this machine has {DeviceCount})";
        try
        {
            var (major, minor) = ComputeCapability(device);
            string? refusal = CuDnnBf16Support.Refusal(CuDnnVersion, major, minor);
            return refusal is null ? null : $"device {device}: {refusal}";
        }
        catch (RnnBackendException ex)
        {
            return $"the compute capability of device {device} could not be read: {ex.Message}";
        }
    }

    /// <summary>The device's compute capability (8.0 for A100, 9.0 for H100); throws an <see cref="RnnBackendException"/> when unreadable.</summary>
    public static (int Major, int Minor) ComputeCapability(int device)
    {
        CudaStatusCheck.Check(CudaRuntimeNative.cudaDeviceGetAttribute(out int major, CudaDeviceAttribute.ComputeCapabilityMajor, device), "cudaDeviceGetAttribute");
        CudaStatusCheck.Check(CudaRuntimeNative.cudaDeviceGetAttribute(out int minor, CudaDeviceAttribute.ComputeCapabilityMinor, device), "cudaDeviceGetAttribute");
        return (major, minor);
    }

    private static string DescribeDevice(int device)
    {
        var (major, minor) = ComputeCapability(device);
        CudaStatusCheck.Check(CudaRuntimeNative.cudaDeviceGetAttribute(out int sms, CudaDeviceAttribute.MultiProcessorCount, device), "cudaDeviceGetAttribute");
        CudaStatusCheck.Check(CudaRuntimeNative.cudaSetDevice(device), "cudaSetDevice");
        CudaStatusCheck.Check(CudaRuntimeNative.cudaMemGetInfo(out nuint free, out nuint total), "cudaMemGetInfo");
        const double GiB = 1024.0 * 1024 * 1024;
        return string.Create(CultureInfo.InvariantCulture,
            $"{DeviceName(device)}, compute capability {major}.{minor}, {sms} SMs, {free / GiB:F1} of {total / GiB:F1} GiB free");
    }

    /// <summary>The marketing name through the driver API; "unknown name" when libcuda.so.1 is not loadable.</summary>
    private static unsafe string DeviceName(int device)
    {
        if (!CudaLibraryLocator.Shared.Load(CudaLibraryRole.CudaDriver).IsLoaded) return "unknown name";
        if (CudaDriverNative.cuInit(0) != 0 || CudaDriverNative.cuDeviceGet(out int handle, device) != 0) return "unknown name";
        const int capacity = 256;
        byte* name = stackalloc byte[capacity];
        name[0] = 0;
        if (CudaDriverNative.cuDeviceGetName(name, capacity, handle) != 0) return "unknown name";
        name[capacity - 1] = 0;
        return Encoding.ASCII.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name));
    }

    private static void Try(List<KeyValuePair<string, string>> facts, string key, Func<string> read)
    {
        try
        {
            facts.Add(new(key, read()));
        }
        catch (Exception ex)
        {
            facts.Add(new(key, $"unreadable ({ex.GetType().Name}: {ex.Message})"));
        }
    }
}
