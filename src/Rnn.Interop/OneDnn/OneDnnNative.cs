using System.Runtime.InteropServices;

namespace RnnNative.Interop.OneDnn;

/// <summary>The C API of librnnshim (native/include/rnnshim.h), as blittable source-generated imports.</summary>
internal static unsafe partial class OneDnnNative
{
    /// <summary>RNN_SHIM_ABI_VERSION this assembly was written against; a shim reporting another is refused.</summary>
    public const int AbiVersion = 5;

    private const string Library = OneDnnShimLibrary.ImportName;

    static OneDnnNative() => OneDnnShimLibrary.Ensure();

    [LibraryImport(Library, EntryPoint = "rnn_last_error")]
    private static partial byte* LastErrorPointer();

    /// <summary>The calling thread's last shim error message.</summary>
    public static string LastError() => Marshal.PtrToStringUTF8((IntPtr)LastErrorPointer()) ?? "";

    [LibraryImport(Library, EntryPoint = "rnn_version")]
    public static partial NativeStatus Version(out int abiVersion);

    [LibraryImport(Library, EntryPoint = "rnn_capabilities_query")]
    public static partial NativeStatus QueryCapabilities(out NativeCapabilities capabilities);

    [LibraryImport(Library, EntryPoint = "rnn_executor_create")]
    public static partial NativeStatus ExecutorCreate(NativeModelDesc* desc, float* parameters, long parameterCount, out OneDnnExecutorHandle executor);

    [LibraryImport(Library, EntryPoint = "rnn_executor_destroy")]
    public static partial NativeStatus ExecutorDestroy(IntPtr executor);

    [LibraryImport(Library, EntryPoint = "rnn_executor_update_weights")]
    public static partial NativeStatus ExecutorUpdateWeights(OneDnnExecutorHandle executor, float* parameters, long parameterCount);

    [LibraryImport(Library, EntryPoint = "rnn_executor_forward")]
    public static partial NativeStatus ExecutorForward(OneDnnExecutorHandle executor, NativeForwardArgs* args, int training, out OneDnnContextHandle context);

    /// <summary>rnn_executor_forward for inference (training 0, context null): no SafeHandle to allocate per call.</summary>
    [LibraryImport(Library, EntryPoint = "rnn_executor_forward")]
    public static partial NativeStatus ExecutorInfer(OneDnnExecutorHandle executor, NativeForwardArgs* args, int training, IntPtr* context);

    [LibraryImport(Library, EntryPoint = "rnn_executor_backward")]
    public static partial NativeStatus ExecutorBackward(OneDnnExecutorHandle executor, OneDnnContextHandle context, NativeBackwardArgs* args);

    [LibraryImport(Library, EntryPoint = "rnn_context_destroy")]
    public static partial NativeStatus ContextDestroy(IntPtr context);

    [LibraryImport(Library, EntryPoint = "rnn_runtime_set_primitive_cache_capacity")]
    public static partial NativeStatus RuntimeSetPrimitiveCacheCapacity(int capacity);

    [LibraryImport(Library, EntryPoint = "rnn_runtime_primitive_cache_capacity")]
    public static partial NativeStatus RuntimePrimitiveCacheCapacity(out int capacity);

    [LibraryImport(Library, EntryPoint = "rnn_runtime_release_free_memory")]
    public static partial NativeStatus RuntimeReleaseFreeMemory();
}
