using System.Runtime.InteropServices;

namespace RnnNative.Interop.OneDnn;

/// <summary>The int8 part of librnnshim's C API (rnn_int8_executor_*), as blittable source-generated imports.</summary>
internal static unsafe partial class OneDnnInt8Native
{
    private const string Library = OneDnnShimLibrary.ImportName;

    static OneDnnInt8Native() => OneDnnShimLibrary.Ensure();

    [LibraryImport(Library, EntryPoint = "rnn_int8_executor_create")]
    public static partial NativeStatus Create(NativeModelDesc* desc, float* parameters, long parameterCount,
        float* dataScales, float* dataShifts, long layerCount, out OneDnnInt8ExecutorHandle executor);

    [LibraryImport(Library, EntryPoint = "rnn_int8_executor_destroy")]
    public static partial NativeStatus Destroy(IntPtr executor);

    [LibraryImport(Library, EntryPoint = "rnn_int8_executor_forward")]
    public static partial NativeStatus Forward(OneDnnInt8ExecutorHandle executor, NativeForwardArgs* args);

    [LibraryImport(Library, EntryPoint = "rnn_int8_executor_weight_bytes")]
    public static partial NativeStatus WeightBytes(OneDnnInt8ExecutorHandle executor, out long int8Bytes, out long f32Bytes);
}
