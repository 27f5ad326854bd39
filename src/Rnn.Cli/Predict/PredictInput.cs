namespace RnnNative.Cli.Predict;

/// <summary>One input of <c>rnn predict</c>: a JSONL or Parquet file, or standard input (JSONL).</summary>
internal sealed record PredictInput(string Path, PredictInputFormat Format)
{
    public const string StandardInput = "-";

    public bool IsStandardInput => Path == StandardInput;

    /// <summary>
    /// The --input arguments as files, in the order given; a glob (<c>*</c>, <c>?</c> in the file name) expands to its
    /// matches in ordinal order, so a run reads the same files in the same order wherever it runs. A match for which
    /// <paramref name="ownFile"/> is true (a file this run writes) is not an input.
    /// </summary>
    public static IReadOnlyList<PredictInput> Expand(IReadOnlyList<string> arguments, Func<string, bool>? ownFile = null)
    {
        if (arguments.Count == 0) throw new CliUsageException("--input is required (a .jsonl or .parquet file, a glob, or - for standard input).");
        var inputs = new List<PredictInput>();
        foreach (string argument in arguments)
        {
            if (argument == StandardInput)
            {
                if (inputs.Any(i => i.IsStandardInput)) throw new CliUsageException("--input -: standard input can be read only once.");
                inputs.Add(new(StandardInput, PredictInputFormat.Jsonl));
                continue;
            }
            string name = System.IO.Path.GetFileName(argument);
            if (name.IndexOfAny(['*', '?']) < 0)
            {
                if (!File.Exists(argument)) throw new FileNotFoundException($"--input {argument}: file not found.", argument);
                inputs.Add(new(argument, FormatOf(argument)));
                continue;
            }
            string folder = System.IO.Path.GetDirectoryName(argument) is { Length: > 0 } d ? d : ".";
            if (folder.IndexOfAny(['*', '?']) >= 0) throw new CliUsageException($"--input {argument}: only the file name may hold wildcards.");
            if (!Directory.Exists(folder)) throw new CliUsageException($"--input {argument}: the folder {folder} does not exist.");
            var all = Directory.GetFiles(folder, name);
            var matches = all.Where(m => ownFile is null || !ownFile(m)).Order(StringComparer.Ordinal).ToList();
            if (matches.Count == 0)
                throw new CliUsageException($"--input {argument}: no file matches{(all.Length > 0 ? " but this run's own output files" : "")}.");
            inputs.AddRange(matches.Select(m => new PredictInput(m, FormatOf(m))));
        }
        return inputs;
    }

    /// <summary>
    /// Refuses --input - when the process was started with standard input closed: descriptor 0 is then whatever the
    /// runtime opened first (its own signal pipe, which never ends), and reading it would wait forever. An inherited
    /// standard input never has close-on-exec set; a descriptor this process opened for itself does.
    /// </summary>
    public static void CheckStandardInputIsOpen()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self/fdinfo")) return;
        const int CloseOnExec = 0x80000; // O_CLOEXEC, 02000000 octal
        string info = "/proc/self/fdinfo/0";
        string? flags = File.Exists(info) ? File.ReadLines(info).FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal)) : null;
        bool open = flags is not null && (Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & CloseOnExec) == 0;
        if (!open) throw new CliUsageException("--input -: standard input is closed; give the records on standard input, or name the input files.");
    }

    private static PredictInputFormat FormatOf(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jsonl" or ".ndjson" => PredictInputFormat.Jsonl,
        ".parquet" => PredictInputFormat.Parquet,
        var other => throw new CliUsageException($"--input {path}: unknown input format '{other}'; expected .jsonl or .parquet (or - for JSONL on standard input)."),
    };
}
