namespace RnnNative.Formats;

/// <summary>What both readers do before trusting any length inside a file: know the real length, and turn a short read into a format error.</summary>
internal static class UntrustedStream
{
    /// <summary>Runs <paramref name="read"/> on a seekable view of <paramref name="stream"/>; a pipe is copied first (bounded by its real content).</summary>
    public static T Read<T>(Stream stream, string file, Func<Stream, string, T> read)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        try
        {
            return read(stream, file);
        }
        catch (EndOfStreamException e)
        {
            // The file shrank while it was being read.
            throw new FileFormatException(file, "the file ended before the data its header describes", e);
        }
    }

    /// <summary>The product of a shape, or -1 once it exceeds <paramref name="limit"/>, so a forged shape can neither overflow nor allocate.</summary>
    public static long ElementCountWithin(ReadOnlySpan<int> shape, long limit)
    {
        foreach (int d in shape)
            if (d == 0) return 0;
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > limit) return -1;
        }
        return count;
    }
}
