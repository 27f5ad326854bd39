namespace RnnNative.Cli.Predict;

/// <summary>--labels FILE: one class name per line, class 0 first; trailing blank lines are ignored.</summary>
internal static class LabelNames
{
    public static IReadOnlyList<string>? Load(string? path)
    {
        if (path is null) return null;
        if (!File.Exists(path)) throw new FileNotFoundException($"--labels {path}: file not found.", path);
        var names = File.ReadAllLines(path).Select(l => l.TrimEnd('\r')).ToList();
        while (names.Count > 0 && string.IsNullOrWhiteSpace(names[^1])) names.RemoveAt(names.Count - 1);
        if (names.Count == 0) throw new CliUsageException($"--labels {path}: the file names no labels.");
        return names;
    }
}
