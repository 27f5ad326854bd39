namespace RnnNative.Streaming;

/// <summary>A key that names no live stream, where one must exist (explicit opening is required, or an export).</summary>
public sealed class RnnStreamNotFoundException(string key)
    : KeyNotFoundException($"no live stream '{key}'; open it first (Open or ImportState).")
{
    public string Key { get; } = key;
}
