namespace RnnNative.Samples;

/// <summary>Tokens ↔ ids, in order of first appearance (or the order given).</summary>
public sealed class Vocabulary
{
    private readonly List<string> _tokens = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public Vocabulary(IEnumerable<string> tokens)
    {
        foreach (var t in tokens) Add(t);
    }

    public int Count => _tokens.Count;
    public IReadOnlyList<string> Tokens => _tokens;

    public int Add(string token)
    {
        if (_ids.TryGetValue(token, out int id)) return id;
        _ids[token] = _tokens.Count;
        _tokens.Add(token);
        return _tokens.Count - 1;
    }

    public int this[string token] => _ids.TryGetValue(token, out int id)
        ? id
        : throw new ArgumentException($"'{token}' is not in the vocabulary.", nameof(token));

    public bool TryGet(string token, out int id) => _ids.TryGetValue(token, out id);

    public string this[int id] => _tokens[id];

    public int[] Encode(IEnumerable<string> tokens) => tokens.Select(t => this[t]).ToArray();

    public string Decode(IEnumerable<int> ids, string separator = "") => string.Join(separator, ids.Select(i => _tokens[i]));
}
