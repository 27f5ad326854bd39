using System.CommandLine;
using RnnNative.Interop;
using RnnNative.Samples;

namespace RnnNative.Cli.Commands;

/// <summary>
/// <c>rnn sample &lt;name&gt;</c>: trains one of the lecture examples and prints what it learned. The RNN layers run on
/// the managed reference unless --backend names another, so a given seed reproduces the same run.
/// </summary>
internal static class SampleCommand
{
    public static Command Create(CliConsole console)
    {
        var name = new Argument<string>("name") { Description = $"The sample: {string.Join(", ", SampleCatalog.Names)}." };
        name.AcceptOnlyFromAmong([.. SampleCatalog.Names]);
        var backend = new Option<string>("--backend")
        {
            Description = $"Backend for the RNN layers: {string.Join(", ", RnnBackends.All.Select(b => b.Name))}.",
            DefaultValueFactory = _ => RnnBackends.Managed.Name,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the run.", DefaultValueFactory = _ => 1 };
        var outputDir = new Option<string?>("--output-dir") { Description = "Folder for files a sample writes (the vanishing-gradient plot). Default: the current folder." };

        var checkpoint = new Option<string?>("--checkpoint") { Description = "Save the trained model as a checkpoint that rnn predict runs (samples that train a ready model: " + string.Join(", ", SampleCatalog.All.Where(s => s.SavesCheckpoint).Select(s => s.Name)) + ")." };

        var command = new Command("sample", "Train one of the lecture examples and show what it learned.") { name, backend, seed, outputDir, checkpoint };
        command.SetAction(parsed =>
        {
            var chosen = RnnBackends.Get(parsed.GetValue(backend)!);
            if (!chosen.Availability.IsAvailable)
                throw new RnnBackendUnavailableException(chosen.Name, chosen.Availability.Reason);
            string? dir = parsed.GetValue(outputDir);
            if (dir is not null && !Directory.Exists(dir))
                throw new CliUsageException($"--output-dir {dir}: no such folder.");
            var info = SampleCatalog.Get(parsed.GetValue(name)!);
            string? checkpointPath = parsed.GetValue(checkpoint);
            if (checkpointPath is not null && !info.SavesCheckpoint)
                throw new CliUsageException($"--checkpoint: the sample '{info.Name}' does not train a ready model; these do: {string.Join(", ", SampleCatalog.All.Where(s => s.SavesCheckpoint).Select(s => s.Name))}.");
            if (checkpointPath is not null && Path.GetDirectoryName(Path.GetFullPath(checkpointPath)) is { } folder && !Directory.Exists(folder))
                throw new CliUsageException($"--checkpoint {checkpointPath}: no such folder.");
            console.Out.WriteLine($"Sample '{info.Name}': {info.Description} (backend {chosen.Name}, seed {parsed.GetValue(seed)})");
            var result = info.Run(console.Out, new SampleOptions(parsed.GetValue(seed), chosen, dir, checkpointPath));
            if (result.ImagePath is not null) console.Out.WriteLine($"Wrote {result.ImagePath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
