using System.Numerics.Tensors;
using RnnNative.Formats;
using RnnNative.Inference;

namespace RnnNative.Tests.Inference;

/// <summary>
/// How <see cref="StateDictStructure"/> reads a state_dict from names and shapes alone (zeros of the right shapes; the
/// numbers are checked against PyTorch in PyTorchNamesGoldenTests), and what it says where the shapes do not decide.
/// </summary>
[TestFixture]
public sealed class StateDictStructureTests
{
    /// <summary>An LSTM (or a GRU with gates 3) input 5, hidden 6 under <paramref name="prefix"/>.</summary>
    private static IEnumerable<KeyValuePair<string, Tensor<float>>> Rnn(string prefix, int gates = 4, int input = 5, int hidden = 6, bool reverse = false)
    {
        foreach (var suffix in reverse ? new[] { "", "_reverse" } : [""])
        {
            yield return new($"{prefix}weight_ih_l0{suffix}", Zeros(gates * hidden, input));
            yield return new($"{prefix}weight_hh_l0{suffix}", Zeros(gates * hidden, hidden));
            yield return new($"{prefix}bias_ih_l0{suffix}", Zeros(gates * hidden));
            yield return new($"{prefix}bias_hh_l0{suffix}", Zeros(gates * hidden));
        }
    }

    private static Tensor<float> Zeros(params int[] shape) => RnnTensors.Zeros(shape);

    private static Dictionary<string, Tensor<float>> Dict(params IEnumerable<KeyValuePair<string, Tensor<float>>>[] parts) =>
        parts.SelectMany(p => p).ToDictionary(kv => kv.Key, kv => kv.Value);

    private static KeyValuePair<string, Tensor<float>> T(string name, params int[] shape) => new(name, Zeros(shape));

    [TestCase("lstm.", "embedding", "fc")]
    [TestCase("rnn.", "embed", "head")]
    [TestCase("encoder.rnn.", "encoder.embedding", "classifier")]
    [TestCase("model.lstm.", "model.emb", "model.out")]
    [TestCase("gru_layer.", "tok", "proj")]
    public void FindsTheParts(string prefix, string embedding, string head)
    {
        var tensors = Dict(Rnn(prefix), [T(embedding + ".weight", 20, 5), T(head + ".weight", 3, 6), T(head + ".bias", 3)]);
        var found = StateDictStructure.Find(tensors, "m.safetensors");
        Assert.That((found.RnnPrefix, found.Embedding, found.Head), Is.EqualTo((prefix, embedding, head)));
    }

    [Test]
    public void BiasLessHeadAsWideAsTheEmbeddingIsToldApartByItsName()
    {
        // Embedding (20, 6) and a bias-less head (3, 6) both fit either role when input = hidden = 6; the names decide.
        var tensors = Dict(Rnn("lstm.", input: 6), [T("emb.weight", 20, 6), T("fc.weight", 3, 6)]);
        var found = StateDictStructure.Find(tensors, "m.safetensors");
        Assert.That((found.Embedding, found.Head), Is.EqualTo(("emb", "fc")));
    }

    [Test]
    public void UnknownNamesWithShapesThatFitBothWaysAreRefusedListingTheReadings()
    {
        var tensors = Dict(Rnn("lstm.", input: 6), [T("a.weight", 20, 6), T("b.weight", 3, 6)]);
        var e = Assert.Throws<ArgumentException>(() => StateDictStructure.Find(tensors, "m.safetensors"))!;
        Assert.That(e.Message, Does.Contain("embedding a, head b").And.Contain("embedding b, head a").And.Contain("a.weight (20, 6)").And.Contain("lstm.weight_hh_l0 (24, 6)"));
    }

    [Test]
    public void TwoRnnsAreRefusedNamingBothAndTheOptionToChoose()
    {
        var tensors = Dict(Rnn("lstm1."), Rnn("lstm2.", input: 6), [T("fc.weight", 3, 6), T("fc.bias", 3)]);
        var e = Assert.Throws<ArgumentException>(() => StateDictStructure.Find(tensors, "m.safetensors"))!;
        Assert.That(e.Message, Does.Contain("2 RNNs").And.Contain("'lstm1'").And.Contain("'lstm2'").And.Contain("--rnn"));
        Assert.That(StateDictStructure.FindRnn(tensors, "m.safetensors", "lstm2"), Is.EqualTo("lstm2."));
        var wrong = Assert.Throws<ArgumentException>(() => StateDictStructure.FindRnn(tensors, "m.safetensors", "lstm3"))!;
        Assert.That(wrong.Message, Does.Contain("no RNN named 'lstm3'"));
    }

    [Test]
    public void NoRnnIsRefusedListingTheTensors()
    {
        var tensors = Dict([T("embedding.weight", 20, 5), T("fc.weight", 3, 6)]);
        var e = Assert.Throws<FileFormatException>(() => StateDictStructure.Find(tensors, "m.safetensors"))!;
        Assert.That(e.Message, Does.Contain("no RNN found").And.Contain("embedding.weight (20, 5)").And.Contain("fc.weight (3, 6)"));
    }

    [Test]
    public void ATensorThatFitsNoPartIsNamedWithItsShape()
    {
        // A two-layer head (Sequential: Linear, ReLU, Linear) is not one linear head.
        var tensors = Dict(Rnn("lstm."), [T("embedding.weight", 20, 5), T("head.0.weight", 8, 6), T("head.0.bias", 8), T("head.2.weight", 3, 8), T("head.2.bias", 3)]);
        var e = Assert.Throws<FileFormatException>(() => StateDictStructure.Find(tensors, "m.safetensors"))!;
        Assert.That(e.Message, Does.Contain("head.2.weight (3, 8)").And.Contain("fit(s) neither"));
    }

    [Test]
    public void AHeadOnOneDirectionOfABidirectionalRnnIsExplained()
    {
        var tensors = Dict(Rnn("gru.", gates: 3, reverse: true), [T("emb.weight", 20, 5), T("fc.weight", 3, 6), T("fc.bias", 3)]);
        var e = Assert.Throws<FileFormatException>(() => StateDictStructure.Find(tensors, "m.safetensors"))!;
        Assert.That(e.Message, Does.Contain("h_n[-1]").And.Contain("12 wide"));
    }

    [Test]
    public void TiedWordLanguageModelIsRead()
    {
        // PyTorch's word-language-model example: encoder (Embedding), rnn, decoder (Linear) of the same shape as the encoder.
        var tensors = Dict(Rnn("rnn.", input: 6), [T("encoder.weight", 20, 6), T("decoder.weight", 20, 6), T("decoder.bias", 20)]);
        var found = StateDictStructure.Find(tensors, "m.safetensors");
        Assert.That((found.RnnPrefix, found.Embedding, found.Head), Is.EqualTo(("rnn.", "encoder", "decoder")));
    }

    [Test]
    public void OnlyAnRnnIsABareLayer()
    {
        Assert.That(StateDictStructure.Find(Dict(Rnn("lstm.")), "m.safetensors").IsBareLayer, Is.True);
        Assert.That(StateDictStructure.Find(Dict(Rnn("")), "m.safetensors").RnnPrefix, Is.EqualTo(""));
    }

    [Test]
    public void TheLoaderSaysWhichKindToAskForAfterFindingTheParts()
    {
        using var folder = new Cli.TempFolder();
        SafetensorsWriter.Write(folder["m.safetensors"], Dict(Rnn("lstm."), [T("embedding.weight", 20, 5), T("fc.weight", 3, 6), T("fc.bias", 3)]).ToList(), new Dictionary<string, string>());
        var e = Assert.Throws<ArgumentException>(() => InferenceModelLoader.Load(folder["m.safetensors"], new InferenceModelOptions { Backend = Managed.ManagedBackend.Instance }))!;
        Assert.That(e.Message, Does.Contain("--kind classifier|tagger|generator").And.Contain("lstm.weight_ih_l0"));
    }
}
