namespace RnnNative.Interop.OneDnn;

/// <summary>
/// The oneDNN CPU backend: librnnshim.so (native/) over oneDNN's RNN primitives. Available when the shim loads, speaks
/// this assembly's ABI version and answers its capability query; otherwise <see cref="Availability"/> says why.
/// </summary>
public sealed class OneDnnBackend : IRnnBackend
{
    private readonly Lazy<(BackendAvailability Availability, NativeCapabilities Capabilities, string? Path)> _probe =
        new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    private OneDnnBackend() { }

    public static OneDnnBackend Instance { get; } = new();

    public string Name => "onednn";

    public BackendAvailability Availability => _probe.Value.Availability;

    public IReadOnlyList<KeyValuePair<string, string>> Describe()
    {
        if (!Availability.IsAvailable) return [new("status", Availability.Reason)];
        var caps = _probe.Value.Capabilities;
        return
        [
            new("engine", $"oneDNN {caps.OneDnnVersion} (OpenMP)"),
            new("isa", caps.IsaName),
            new("threads", $"{caps.MaxThreads} (default: all cores)"),
            new("bf16", caps.Bf16Native == 1 ? "native (AVX512_BF16)" : caps.Bf16 == 1 ? "emulated (AVX-512)" : "unsupported"),
            new("shim", $"{_probe.Value.Path} (ABI {caps.AbiVersion})"),
            new("concurrency", "any number of callers per executor; callers x threads <= cores"),
            new("openmp wait", OpenMpWaitPolicy.Applied
                ? "passive (set by RnnNative; OMP_WAIT_POLICY=active to spin)"
                : $"{OpenMpWaitPolicy.PolicyVariable}={Environment.GetEnvironmentVariable(OpenMpWaitPolicy.PolicyVariable) ?? "(unset)"}, " +
                  $"{OpenMpWaitPolicy.SpinCountVariable}={Environment.GetEnvironmentVariable(OpenMpWaitPolicy.SpinCountVariable) ?? "(unset)"}"),
        ];
    }

    public bool Supports(RnnPrecision precision) => Availability.IsAvailable && precision switch
    {
        RnnPrecision.F32 => true,
        RnnPrecision.Bf16 => _probe.Value.Capabilities.Bf16 == 1,
        RnnPrecision.Int8 => true, // LSTM inference only; other cells and training are refused with a message
        _ => false,
    };

    public RnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= RnnExecutorOptions.Default;
        if (!Availability.IsAvailable) throw new RnnBackendUnavailableException(Name, Availability.Reason);
        if (options.Threads < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.Threads, "Threads must be 0 (all cores) or more.");
        if (!Supports(options.Precision))
            throw new RnnBackendUnavailableException(Name, options.Precision == RnnPrecision.F16
                ? "precision F16 is not supported on CPU (oneDNN 2.6 has no f16 RNN on CPU); use F32 or Bf16."
                : $"precision {options.Precision} needs a CPU with AVX-512; this one reports {_probe.Value.Capabilities.IsaName}.");
        if (options.Precision == RnnPrecision.Int8) return new OneDnnInt8Executor(this, parameters, options);
        return new OneDnnRnnExecutor(this, parameters, options);
    }

    private static (BackendAvailability, NativeCapabilities, string?) Probe()
    {
        var load = OneDnnShimLibrary.Ensure();
        if (!load.IsLoaded) return (BackendAvailability.Unavailable(load.Error!), default, null);
        try
        {
            var status = OneDnnNative.Version(out int abi);
            if (status != NativeStatus.Ok) return (BackendAvailability.Unavailable($"{load.Path}: rnn_version failed: {OneDnnNative.LastError()}"), default, load.Path);
            if (abi != OneDnnNative.AbiVersion)
                return (BackendAvailability.Unavailable(
                    $"{load.Path} implements shim ABI {abi}, but this Rnn.Interop needs ABI {OneDnnNative.AbiVersion}; rebuild the shim (./build.sh build) from the same sources."),
                    default, load.Path);
            OneDnnStatusCheck.Ensure(OneDnnNative.QueryCapabilities(out var caps));
            return (BackendAvailability.Available($"oneDNN {caps.OneDnnVersion}, {caps.IsaName}, {caps.MaxThreads} threads"), caps, load.Path);
        }
        catch (EntryPointNotFoundException e)
        {
            return (BackendAvailability.Unavailable($"{load.Path} is not a compatible librnnshim: {e.Message}"), default, load.Path);
        }
    }
}
