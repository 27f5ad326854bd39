using System.Runtime.InteropServices;

namespace RnnNative.Bench.Limits;

/// <summary>
/// oneDNN's own GEMMs, called from the libdnnl our backend loaded (row-major C API: dnnl_sgemm, dnnl_gemm_bf16bf16f32,
/// dnnl_gemm_u8s8s32), and the OpenMP thread count they run with (omp_set_num_threads of the libgomp beside it, for
/// the calling thread, as our shim sets it before each forward pass).
/// </summary>
public sealed unsafe class OneDnnGemm
{
    private readonly delegate* unmanaged[Cdecl]<byte, byte, long, long, long, float, float*, long, float*, long, float, float*, long, int> _sgemm;
    private readonly delegate* unmanaged[Cdecl]<byte, byte, long, long, long, float, ushort*, long, ushort*, long, float, float*, long, int> _bf16;
    private readonly delegate* unmanaged[Cdecl]<byte, byte, byte, long, long, long, float, byte*, long, byte, sbyte*, long, sbyte, float, int*, long, int*, int> _u8s8;
    private readonly delegate* unmanaged[Cdecl]<int, void> _setThreads;

    private OneDnnGemm(string dnnlPath, IntPtr dnnl, IntPtr gomp)
    {
        LibraryPath = dnnlPath;
        _sgemm = (delegate* unmanaged[Cdecl]<byte, byte, long, long, long, float, float*, long, float*, long, float, float*, long, int>)
            NativeLibrary.GetExport(dnnl, GemmPrecision.F32.EntryPoint());
        _bf16 = NativeLibrary.TryGetExport(dnnl, GemmPrecision.Bf16.EntryPoint(), out var bf16)
            ? (delegate* unmanaged[Cdecl]<byte, byte, long, long, long, float, ushort*, long, ushort*, long, float, float*, long, int>)bf16
            : null;
        _u8s8 = (delegate* unmanaged[Cdecl]<byte, byte, byte, long, long, long, float, byte*, long, byte, sbyte*, long, sbyte, float, int*, long, int*, int>)
            NativeLibrary.GetExport(dnnl, GemmPrecision.Int8.EntryPoint());
        _setThreads = (delegate* unmanaged[Cdecl]<int, void>)NativeLibrary.GetExport(gomp, "omp_set_num_threads");
    }

    /// <summary>The libdnnl file the GEMMs come from.</summary>
    public string LibraryPath { get; }

    /// <summary>Whether this libdnnl exports the bf16 GEMM (oneDNN 2.x exports it without declaring it in dnnl.h).</summary>
    public bool HasBf16 => _bf16 != null;

    /// <summary>
    /// Binds to the libdnnl and libgomp our oneDNN backend loaded. Null, with the reason, when the backend is not
    /// available or its libraries cannot be found in this process.
    /// </summary>
    public static OneDnnGemm? TryOpen(out string reason)
    {
        var backend = RnnBackends.All.FirstOrDefault(b => b.Name == "onednn");
        if (backend is null || !backend.Availability.IsAvailable)
        {
            reason = backend is null ? "the oneDNN backend is not registered" : $"the oneDNN backend is not available: {backend.Availability.Reason}";
            return null;
        }
        // Loading the backend loaded librnnshim, whose RUNPATH brought in libdnnl and libgomp: use those very files.
        string? dnnl = LoadedLibrary.Find("libdnnl.so");
        string? gomp = LoadedLibrary.Find("libgomp.so");
        if (dnnl is null || gomp is null)
        {
            reason = $"the oneDNN backend is loaded, but {(dnnl is null ? "libdnnl.so" : "libgomp.so")} is not among this process's libraries";
            return null;
        }
        reason = "";
        return new OneDnnGemm(dnnl, NativeLibrary.Load(dnnl), NativeLibrary.Load(gomp));
    }

    public void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _setThreads(threads);
    }

    /// <summary>C = A·B, f32, row-major, no transposes; returns oneDNN's status (0 = success).</summary>
    public int Sgemm(long m, long n, long k, float* a, float* b, float* c) =>
        _sgemm((byte)'N', (byte)'N', m, n, k, 1f, a, k, b, n, 0f, c, n);

    /// <summary>C = A·B with bf16 A and B (raw 16-bit patterns) and f32 C; returns oneDNN's status.</summary>
    public int GemmBf16(long m, long n, long k, ushort* a, ushort* b, float* c)
    {
        if (_bf16 == null) throw new NotSupportedException($"{LibraryPath} does not export {GemmPrecision.Bf16.EntryPoint()}.");
        return _bf16((byte)'N', (byte)'N', m, n, k, 1f, a, k, b, n, 0f, c, n);
    }

    /// <summary>C = A·B with u8 A, s8 B, s32 C, zero offsets (offsetc 'F': one fixed C offset of 0); returns oneDNN's status.</summary>
    public int GemmU8S8(long m, long n, long k, byte* a, sbyte* b, int* c, int* co) =>
        _u8s8((byte)'N', (byte)'N', (byte)'F', m, n, k, 1f, a, k, 0, b, n, 0, 0f, c, n, co);
}
