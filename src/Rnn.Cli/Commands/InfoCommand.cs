using System.CommandLine;
using RnnNative.Interop;

namespace RnnNative.Cli.Commands;

/// <summary><c>rnn info</c>: every backend, whether it can run here (and why not), its versions and facts, and the thread count.</summary>
internal static class InfoCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("info", "List the backends: available or not (and why), versions, threads.");
        command.SetAction(_ =>
        {
            var o = console.Out;
            o.WriteLine("Backends (fastest first):");
            foreach (var backend in RnnBackends.All)
            {
                var availability = backend.Availability;
                o.WriteLine($"  {backend.Name,-8} {(availability.IsAvailable ? "available" : "unavailable")}: {availability.Reason}");
                if (!availability.IsAvailable) continue;
                o.WriteLine($"           precisions: {string.Join(", ", Enum.GetValues<RnnPrecision>().Where(backend.Supports).Select(BackendOptions.PrecisionName))}");
                foreach (var (key, value) in backend.Describe())
                    o.WriteLine($"           {key}: {value}");
            }
            string fastest = RnnBackends.All.FirstOrDefault(b => b.Availability.IsAvailable && b.Supports(RnnPrecision.F32))?.Name ?? "none";
            o.WriteLine($"Default backend: {fastest}");
            o.WriteLine($"Processor threads: {Environment.ProcessorCount}");
            return ExitCodes.Success;
        });
        return command;
    }
}
