namespace RnnNative.Cli.Predict;

/// <summary>
/// The lines of a JSONL stream as raw bytes, never decoded here: a line that is not valid UTF-8 reaches the parser as
/// it is (and becomes a bad record there) instead of being silently repaired with U+FFFD, and a line longer than the
/// bound is skipped to its end without being held, reported by its length only. A line holds no "\n"; a UTF-8
/// byte-order mark at the start of the stream is dropped. Blank lines (only spaces, tabs, "\r") are passed over but
/// counted in the line numbers.
/// </summary>
internal sealed class JsonlLines(Stream stream, int maxLineBytes)
{
    /// <summary>
    /// One non-blank line: <see cref="Bytes"/> is valid only until the next line is read, and empty when the line is
    /// longer than the bound; <see cref="Length"/> is its length in bytes either way.
    /// </summary>
    public readonly record struct Line(long Number, ReadOnlyMemory<byte> Bytes, long Length)
    {
        public bool IsOverBound => Bytes.Length != Length;
    }

    public async IAsyncEnumerable<Line> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token = default)
    {
        var buffer = new byte[1 << 16];
        var line = new byte[Math.Min(maxLineBytes, 1 << 16)];
        int held = 0;
        long length = 0, number = 0;
        bool content = false, first = true;
        int read;
        while ((read = await stream.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
        {
            int start = 0;
            if (first)
            {
                first = false;
                if (read >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF) start = 3;
            }
            while (start < read)
            {
                int end = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                int stop = end < 0 ? read : end;
                var piece = buffer.AsSpan(start, stop - start);
                if (!content) content = piece.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') >= 0;
                length += piece.Length;
                if (length <= maxLineBytes)
                {
                    if (held + piece.Length > line.Length) Array.Resize(ref line, (int)Math.Min(maxLineBytes, Math.Max(2L * line.Length, held + piece.Length)));
                    piece.CopyTo(line.AsSpan(held));
                    held += piece.Length;
                }
                if (end < 0) break;
                number++;
                if (content) yield return new Line(number, length <= maxLineBytes ? line.AsMemory(0, held) : ReadOnlyMemory<byte>.Empty, length);
                held = 0;
                length = 0;
                content = false;
                start = end + 1;
            }
        }
        number++;
        if (content) yield return new Line(number, length <= maxLineBytes ? line.AsMemory(0, held) : ReadOnlyMemory<byte>.Empty, length);
    }
}
