using System.Reflection;

namespace RnnNative.Samples;

/// <summary>The samples' bundled data (samples/data/*.txt), embedded in the assembly so a sample runs from anywhere.</summary>
internal static class SampleData
{
    /// <summary>The non-empty lines of a bundled file, without '#' comment lines.</summary>
    public static IReadOnlyList<string> Lines(string fileName)
    {
        var assembly = typeof(SampleData).Assembly;
        using var stream = assembly.GetManifestResourceStream($"RnnNative.Samples.data.{fileName}")
            ?? throw new InvalidOperationException($"The bundled sample data '{fileName}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith('#')) lines.Add(line);
        }
        return lines;
    }
}
