using RnnNative.Formats;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.RegularExpressions;

namespace RnnNative.Inference;

/// <summary>
/// The parts of a plain PyTorch state_dict, found from names and shapes whatever the modules are called: the RNN is
/// the group of tensors <c>{prefix}weight_ih_l0</c>, <c>{prefix}weight_hh_l0</c>, ... under any prefix (<c>rnn.</c>,
/// <c>lstm.</c>, <c>gru.</c>, <c>encoder.rnn.</c>, none); the token embedding is a bias-less 2-D <c>{name}.weight</c>
/// as wide as the RNN's input; the linear head is a 2-D <c>{name}.weight</c> (with or without <c>{name}.bias</c>) that
/// reads the RNN's output width (directions × hidden, or × proj_size). Where the shapes fit more than one reading, the
/// usual module names decide (<c>embedding</c>/<c>embed</c>/<c>emb</c>/<c>encoder</c>…; <c>fc</c>/<c>head</c>/
/// <c>classifier</c>/<c>out</c>/<c>linear</c>/<c>decoder</c>…); where they do not, the error lists what was found.
/// The cell, layers, direction and projection then follow from the RNN's own shapes (<see cref="RnnModelFile"/>).
/// batch_first is not stored in a state_dict and does not matter here: records are read one sequence each. Nor is what
/// a classifier's head reads: it is taken to be the last layer's final state (<c>h_n[-1]</c>, or
/// <c>torch.cat((h_n[-2], h_n[-1]), 1)</c> when bidirectional), which <c>out[:, -1]</c> equals only for one direction;
/// a bidirectional model whose head reads <c>out[:, -1]</c> has the same shapes and other numbers.
/// </summary>
internal sealed partial class StateDictStructure
{
    private StateDictStructure(string rnnPrefix, string? embedding, string? head)
    {
        RnnPrefix = rnnPrefix;
        Embedding = embedding;
        Head = head;
    }

    /// <summary>The RNN's tensor-name prefix: <c>lstm.</c>, <c>encoder.rnn.</c>, or "" for a bare layer.</summary>
    public string RnnPrefix { get; }

    /// <summary>The embedding module (its table is <c>{Embedding}.weight</c>), or null when the tokens go in one-hot.</summary>
    public string? Embedding { get; }

    /// <summary>The linear head module (<c>{Head}.weight</c>, optional <c>{Head}.bias</c>), or null when there is none.</summary>
    public string? Head { get; }

    /// <summary>Only an RNN: a bare layer, under a prefix or not.</summary>
    public bool IsBareLayer => Embedding is null && Head is null;

    /// <summary>The prefixes of the project's own encoder-decoder checkpoint (<see cref="Models.EncoderDecoder"/>).</summary>
    public const string EncoderRnn = "encoder.rnn.", DecoderRnn = "decoder.rnn.";

    /// <summary>Whether the tensors hold exactly the two RNNs of an encoder-decoder (encoder.rnn.*, decoder.rnn.*).</summary>
    public static bool IsEncoderDecoder(IReadOnlyDictionary<string, Tensor<float>> tensors)
    {
        var groups = RnnGroups(tensors);
        return groups.Count == 2 && groups.ContainsKey(EncoderRnn) && groups.ContainsKey(DecoderRnn);
    }

    /// <summary>
    /// Finds the structure of <paramref name="tensors"/>. <paramref name="rnnName"/> names the RNN module (<c>encoder.lstm</c>)
    /// where the file holds several; null to find it. Throws <see cref="FileFormatException"/> when no reading fits and
    /// <see cref="ArgumentException"/> when several do, each message listing the tensors found.
    /// </summary>
    public static StateDictStructure Find(IReadOnlyDictionary<string, Tensor<float>> tensors, string file, string? rnnName = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(file);
        var groups = RnnGroups(tensors);
        string prefix = ChooseRnn(groups, tensors, file, rnnName);
        var rnnNames = groups[prefix];
        if (prefix.Length == 0 && rnnName is null && rnnNames.Count == tensors.Count) return new StateDictStructure("", null, null);

        int inputSize = tensors[prefix + "weight_ih_l0"].Rank == 2 ? tensors[prefix + "weight_ih_l0"].Dim(1) : -1;
        int outputSize = OutputWidth(tensors, prefix, rnnNames);
        var modules = tensors.Keys.Where(k => !rnnNames.Contains(k)).GroupBy(ModuleOf)
            .ToDictionary(g => g.Key, g => g.Select(k => k[(g.Key.Length == 0 ? 0 : g.Key.Length + 1)..]).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        var embeddings = modules.Where(m => FitsEmbedding(tensors, m.Key, m.Value, inputSize)).Select(m => m.Key).ToList();
        var heads = modules.Where(m => FitsHead(tensors, m.Key, m.Value, outputSize)).Select(m => m.Key).ToList();
        // Every reading that accounts for every tensor; then the one the module names agree with best.
        var readings = new List<(string? Embedding, string? Head)>();
        foreach (var e in embeddings.Cast<string?>().Append(null))
            foreach (var h in heads.Cast<string?>().Append(null))
                if ((e is null || e != h) && modules.Keys.All(m => m == e || m == h)) readings.Add((e, h));
        if (readings.Count == 0)
        {
            var unplaced = modules.Keys.Where(m => !embeddings.Contains(m) && !heads.Contains(m)).SelectMany(m => modules[m].Select(p => Join(m, p))).ToList();
            string what = unplaced.Count > 0
                ? $"{Describe(tensors, unplaced)} fit(s) neither an embedding (vocabulary, {inputSize}) without bias nor a linear head (classes, {outputSize})"
                : "there are more embedding- or head-shaped tensors than one embedding and one head";
            throw new FileFormatException(file,
                $"read as embedding → {Show(prefix)} → linear head, {what}; the RNN {Show(prefix)} reads {inputSize}-wide inputs and writes {outputSize}-wide outputs{HeadHint(tensors, modules, outputSize, prefix)} (found: {Describe(tensors, tensors.Keys)})");
        }
        int best = readings.Max(Score);
        var chosen = readings.Where(r => Score(r) == best).ToList();
        if (chosen.Count > 1)
            throw new ArgumentException(
                $"{file}: the shapes fit {chosen.Count} readings ({string.Join("; ", chosen.Select(r => $"embedding {r.Embedding ?? "none (one-hot)"}, head {r.Head ?? "none"}"))}) " +
                $"and the module names do not tell; name the token embedding 'embedding' and the linear head 'fc' (found: {Describe(tensors, tensors.Keys)}).", nameof(tensors));
        return new StateDictStructure(prefix, chosen[0].Embedding, chosen[0].Head);
    }

    /// <summary>The prefix of the one RNN in <paramref name="tensors"/>, or of the one named <paramref name="rnnName"/>; other tensors are not looked at.</summary>
    public static string FindRnn(IReadOnlyDictionary<string, Tensor<float>> tensors, string file, string? rnnName = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(file);
        return ChooseRnn(RnnGroups(tensors), tensors, file, rnnName);
    }

    private static string ChooseRnn(Dictionary<string, HashSet<string>> groups, IReadOnlyDictionary<string, Tensor<float>> tensors, string file, string? rnnName)
    {
        string found = $"found: {Describe(tensors, tensors.Keys)}";
        if (rnnName is not null)
        {
            string asked = rnnName.Length == 0 || rnnName.EndsWith('.') ? rnnName : rnnName + ".";
            if (groups.ContainsKey(asked)) return asked;
            throw new ArgumentException($"{file}: there is no RNN named '{rnnName}' ({asked}weight_ih_l0, {asked}weight_hh_l0); the RNNs are {Candidates(groups, tensors)}.", nameof(rnnName));
        }
        if (groups.Count == 1) return groups.Keys.Single();
        if (groups.Count == 0)
            throw new FileFormatException(file, $"no RNN found: an RNN's tensors are {{name}}.weight_ih_l0 and {{name}}.weight_hh_l0 (as nn.LSTM, nn.GRU or nn.RNN name them) ({found})");
        throw new ArgumentException($"{file}: the file holds {groups.Count} RNNs ({Candidates(groups, tensors)}); say which one (--rnn NAME) ({found}).", nameof(rnnName));
    }

    /// <summary>Tensor groups by prefix whose names are RNN parameters, keeping those with weight_ih_l0 and weight_hh_l0.</summary>
    private static Dictionary<string, HashSet<string>> RnnGroups(IReadOnlyDictionary<string, Tensor<float>> tensors)
    {
        var groups = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var name in tensors.Keys)
        {
            int dot = name.LastIndexOf('.');
            if (!RnnParameter().IsMatch(name[(dot + 1)..])) continue;
            string prefix = name[..(dot + 1)];
            if (!groups.TryGetValue(prefix, out var set)) groups[prefix] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(name);
        }
        foreach (var prefix in groups.Keys.ToList())
            if (!groups[prefix].Contains(prefix + "weight_ih_l0") || !groups[prefix].Contains(prefix + "weight_hh_l0")) groups.Remove(prefix);
        return groups;
    }

    /// <summary>Directions × the h state width (proj_size when weight_hr_l0 is there, else hidden); -1 when the shapes are malformed (the RNN's own reading reports it).</summary>
    private static int OutputWidth(IReadOnlyDictionary<string, Tensor<float>> tensors, string prefix, HashSet<string> names)
    {
        int directions = names.Any(n => n.EndsWith("_reverse", StringComparison.Ordinal)) ? 2 : 1;
        if (tensors.TryGetValue(prefix + "weight_hr_l0", out var hr)) return hr.Rank == 2 ? directions * hr.Dim(0) : -1;
        var hh = tensors[prefix + "weight_hh_l0"];
        return hh.Rank == 2 ? directions * hh.Dim(1) : -1;
    }

    private static bool FitsEmbedding(IReadOnlyDictionary<string, Tensor<float>> tensors, string module, HashSet<string> parameters, int width) =>
        module.Length > 0 && parameters.SetEquals(["weight"]) && tensors[module + ".weight"] is { Rank: 2 } w && w.Dim(1) == width && w.Dim(0) >= 1;

    private static bool FitsHead(IReadOnlyDictionary<string, Tensor<float>> tensors, string module, HashSet<string> parameters, int width)
    {
        if (module.Length == 0 || !parameters.Contains("weight") || !parameters.IsSubsetOf(["weight", "bias"])) return false;
        if (tensors[module + ".weight"] is not { Rank: 2 } w || w.Dim(1) != width || w.Dim(0) < 1) return false;
        return !parameters.Contains("bias") || tensors[module + ".bias"].HasShape(w.Dim(0));
    }

    /// <summary>Names agreeing with the role count for a reading, names contradicting it against.</summary>
    private static int Score((string? Embedding, string? Head) reading) =>
        (reading.Embedding is { } e ? (LooksLikeEmbedding(e) ? 1 : 0) - (LooksLikeHead(e) && !LooksLikeEmbedding(e) ? 1 : 0) : 0)
        + (reading.Head is { } h ? (LooksLikeHead(h) ? 1 : 0) - (LooksLikeEmbedding(h) && !LooksLikeHead(h) ? 1 : 0) : 0);

    private static bool LooksLikeEmbedding(string module)
    {
        string last = LastSegment(module);
        return last.Contains("emb", StringComparison.Ordinal) || last is "encoder" or "lookup" or "lut" or "wte" or "tokens";
    }

    private static bool LooksLikeHead(string module)
    {
        string last = LastSegment(module);
        return last is "fc" or "head" or "classifier" or "out" or "output" or "linear" or "decoder" or "proj" or "projection" or "dense" or "logits" or "cls" or "lm_head"
            || HeadStem().IsMatch(last);
    }

    private static string LastSegment(string module) => module[(module.LastIndexOf('.') + 1)..].ToLowerInvariant();

    /// <summary>Why a head-looking tensor did not fit, for the commonest case: a head on h_n[-1] of a bidirectional RNN.</summary>
    private static string HeadHint(IReadOnlyDictionary<string, Tensor<float>> tensors, Dictionary<string, HashSet<string>> modules, int outputSize, string prefix)
    {
        foreach (var (module, parameters) in modules)
        {
            if (!parameters.Contains("weight") || tensors[module + ".weight"] is not { Rank: 2 } w) continue;
            if (outputSize % 2 == 0 && w.Dim(1) * 2 == outputSize && tensors.ContainsKey(prefix + "weight_hh_l0_reverse"))
                return $"; {module}.weight {w.ShapeString} reads one direction's state (h_n[-1], the backward direction alone), " +
                       $"but the head of a bidirectional RNN reads both directions side by side (torch.cat((h_n[-2], h_n[-1]), 1), {outputSize} wide)";
        }
        return "";
    }

    private static string Candidates(Dictionary<string, HashSet<string>> groups, IReadOnlyDictionary<string, Tensor<float>> tensors) =>
        string.Join("; ", groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            $"{Show(g.Key)}: weight_ih_l0 {tensors[g.Key + "weight_ih_l0"].ShapeString}, weight_hh_l0 {tensors[g.Key + "weight_hh_l0"].ShapeString}, {g.Value.Count} tensors"));

    private static string Show(string prefix) => prefix.Length == 0 ? "(no prefix)" : $"'{prefix.TrimEnd('.')}'";

    private static string ModuleOf(string name) => name.LastIndexOf('.') is var dot and >= 0 ? name[..dot] : "";

    private static string Join(string module, string parameter) => module.Length == 0 ? parameter : $"{module}.{parameter}";

    /// <summary>Names with shapes, the first 12 (sorted), then how many in all.</summary>
    private static string Describe(IReadOnlyDictionary<string, Tensor<float>> tensors, IEnumerable<string> names)
    {
        var list = names.OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (list.Count == 0) return "no tensors";
        return string.Join(", ", list.Take(12).Select(n => $"{n} {tensors[n].ShapeString}"))
            + (list.Count > 12 ? string.Create(CultureInfo.InvariantCulture, $", … ({list.Count} in all)") : "");
    }

    [GeneratedRegex(@"^(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l\d{1,6}(_reverse)?$")]
    private static partial Regex RnnParameter();

    [GeneratedRegex(@"^(fc|linear|head|out|classif|dense|proj|logit)")]
    private static partial Regex HeadStem();
}
