using RnnNative.Models;

namespace RnnNative.Training;

/// <summary>
/// Cuts a long token stream for truncated backpropagation through time: the stream is split into N contiguous rows
/// (row n covers tokens [n·len, (n+1)·len)), then walked in chunks of k steps, so chunk j+1 of a row continues exactly
/// where chunk j ended and the final state of one chunk is the right initial state of the next.
/// </summary>
public static class TruncatedBptt
{
    public sealed record Chunk(TokenBatch Inputs, int[] Targets);

    public static IEnumerable<Chunk> Chunks(IReadOnlyList<int> stream, int batchSize, int chunkLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkLength, 1);
        int rowLength = stream.Count / batchSize;
        if (rowLength < 2)
            throw new ArgumentException($"A stream of {stream.Count} tokens is too short for {batchSize} rows of at least 2 tokens.", nameof(stream));
        return Walk(stream, batchSize, chunkLength, rowLength);
    }

    private static IEnumerable<Chunk> Walk(IReadOnlyList<int> stream, int batchSize, int chunkLength, int rowLength)
    {
        // Inputs are positions 0..rowLength−2 of each row; the target of position p is p+1.
        for (int start = 0; start < rowLength - 1; start += chunkLength)
        {
            int len = Math.Min(chunkLength, rowLength - 1 - start);
            var inputs = new List<IReadOnlyList<int>>();
            var targets = new int[len * batchSize];
            for (int n = 0; n < batchSize; n++)
            {
                int offset = n * rowLength + start;
                inputs.Add(Enumerable.Range(offset, len).Select(i => stream[i]).ToArray());
                for (int t = 0; t < len; t++) targets[t * batchSize + n] = stream[offset + t + 1];
            }
            yield return new Chunk(TokenBatch.FromSequences(inputs), targets);
        }
    }
}
