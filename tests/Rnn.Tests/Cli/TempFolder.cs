namespace RnnNative.Tests.Cli;

/// <summary>A scratch folder for one test fixture's files, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Root = Path.Combine(Path.GetTempPath(), $"rnn-cli-{Guid.NewGuid():N}"));

    public string Root { get; }

    public string this[string name] => Path.Combine(Root, name);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
