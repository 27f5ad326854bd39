namespace RnnNative.Models;

/// <summary>Checks token ids against a vocabulary, with an error that names the bad id and where it is.</summary>
internal static class TokenIds
{
    public static void Validate(ReadOnlySpan<int> ids, int vocabularySize, string argument)
    {
        int i = FirstOutside(ids, vocabularySize);
        if (i >= 0) throw new ArgumentException($"Token id {ids[i]} at position {i} is outside the vocabulary [0, {vocabularySize}).", argument);
    }

    /// <summary>The index of the first id outside [0, vocabularySize), or −1 when all are inside.</summary>
    public static int FirstOutside(ReadOnlySpan<int> ids, int vocabularySize)
    {
        for (int i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)vocabularySize) return i;
        return -1;
    }
}
