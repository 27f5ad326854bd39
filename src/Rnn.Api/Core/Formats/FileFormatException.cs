namespace RnnNative.Formats;

/// <summary>
/// A model or array file that cannot be read: truncated, malformed, forged or of an unsupported kind.
/// The message names the file and the problem. An <see cref="IOException"/> (InvalidDataException is sealed): the file cannot be read.
/// </summary>
public class FileFormatException : IOException
{
    public FileFormatException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
        Problem = problem;
    }

    /// <summary>The file (or stream name) that was being read.</summary>
    public string File { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
