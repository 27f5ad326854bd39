using System.CommandLine;
using RnnNative.Interop;

namespace RnnNative.Cli.Commands;

/// <summary>--backend and --precision, shared by every command that runs a model, and how they pick a backend.</summary>
internal sealed class BackendOptions
{
    public Option<string?> Backend { get; } = new("--backend")
    {
        Description = $"Backend: {string.Join(", ", RnnBackends.All.Select(b => b.Name))} (default: the fastest available).",
    };

    public Option<string> Precision { get; } = new("--precision")
    {
        Description = "Arithmetic precision: f32 or bf16 (f16 where the backend has it; int8 for LSTM inference on onednn, after rnn calibrate). Results are float32 either way.",
        DefaultValueFactory = _ => "f32",
    };

    public BackendOptions()
    {
        Precision.AcceptOnlyFromAmong("f32", "bf16", "f16", "int8");
    }

    public void AddTo(Command command)
    {
        command.Add(Backend);
        command.Add(Precision);
    }

    public RnnPrecision GetPrecision(ParseResult parsed) => parsed.GetValue(Precision) switch
    {
        "bf16" => RnnPrecision.Bf16,
        "f16" => RnnPrecision.F16,
        "int8" => RnnPrecision.Int8,
        _ => RnnPrecision.F32,
    };

    /// <summary>The named backend, checked to be available and to support the precision; else the fastest that does.</summary>
    public IRnnBackend Resolve(ParseResult parsed)
    {
        var precision = GetPrecision(parsed);
        string? name = parsed.GetValue(Backend);
        if (name is null) return RnnBackends.Fastest(precision);
        var backend = RnnBackends.Get(name);
        if (!backend.Availability.IsAvailable)
            throw new RnnBackendUnavailableException(backend.Name, backend.Availability.Reason);
        if (!backend.Supports(precision))
            throw new RnnBackendUnavailableException(backend.Name, $"it does not support precision {PrecisionName(precision)}.");
        return backend;
    }

    public static string PrecisionName(RnnPrecision precision) => precision.ToString().ToLowerInvariant();
}
