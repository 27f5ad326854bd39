using System.Globalization;

namespace RnnNative.Inference;

/// <summary>A record's identifier as the input gave it: a string or an integer (written back the same way).</summary>
public readonly record struct RecordId
{
    private RecordId(string? text, long number)
    {
        Text = text;
        Number = number;
    }

    /// <summary>The string id, or null for an integer id.</summary>
    public string? Text { get; }
    public long Number { get; }
    public bool IsText => Text is not null;

    public static RecordId FromString(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), 0);
    public static RecordId FromInteger(long number) => new(null, number);

    /// <summary>
    /// A 64-bit hash of the id (FNV-1a over its kind and value): what per-record random streams are seeded from, so a
    /// record's sampled output depends on the seed and its id only, never on where it sits in a batch.
    /// </summary>
    public ulong StableHash()
    {
        ulong h = 14695981039346656037UL;
        void Mix(byte b) => h = (h ^ b) * 1099511628211UL;
        if (Text is { } text)
        {
            Mix((byte)'s');
            foreach (char c in text)
            {
                Mix((byte)c);
                Mix((byte)(c >> 8));
            }
        }
        else
        {
            Mix((byte)'i');
            for (int i = 0; i < 8; i++) Mix((byte)(Number >> (8 * i)));
        }
        return h;
    }

    public override string ToString() => Text ?? Number.ToString(CultureInfo.InvariantCulture);
}
