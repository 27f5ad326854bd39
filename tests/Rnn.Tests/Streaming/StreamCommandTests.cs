using System.Text.Json;
using RnnNative.Inference;
using RnnNative.Managed;
using RnnNative.Models;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Streaming;

/// <summary>
/// rnn stream end to end, in process: the JSONL contract (answers in input order, bad events to --errors, the run
/// goes on), with every answer checked against the managed reference or batch inference of the same model file.
/// </summary>
[TestFixture]
public class StreamCommandTests
{
    private const int Vocabulary = 11;

    [Test]
    public void BareLayerAnswersEachEventInOrderAndReportsBadOnes()
    {
        using var folder = new TempFolder();
        var parameters = RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Lstm, 2, 3, numLayers: 2), 3);
        RnnNative.Formats.RnnModelFile.Save(folder["l.safetensors"], parameters);
        File.WriteAllLines(folder["in.jsonl"],
        [
            "{\"stream\":\"a\",\"features\":[[0.1,0.2],[0.3,-0.4]]}",
            "{\"stream\":7,\"features\":[[1,-1]]}",
            "{\"stream\":\"a\",\"features\":[[0.5,0.6,0.7]]}",          // wrong width
            "not json",
            "{\"stream\":\"b\",\"features\":[[-0.2,0.9]],\"end\":true}",
            "{\"stream\":\"a\",\"features\":[[0.0,1.0]],\"end\":true}",
            "{\"stream\":7,\"features\":[[0.25,0.5],[0.75,1.0]]}",
            "{\"stream\":\"a\",\"features\":[[0.3,0.3]]}",               // after its end
            "{\"stream\":\"c\",\"tokens\":[1,2]}",                      // tokens to a bare layer
        ]);
        var r = CliRunner.Run("stream", "--model", folder["l.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"],
            "--errors", folder["err.jsonl"], "--backend", "managed", "--queue-delay-us", "200", "--max-batch-size", "4");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);

        var answers = File.ReadAllLines(folder["out.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.That(answers.Select(a => a.GetProperty("stream").GetRawText()), Is.EqualTo(new[] { "\"a\"", "7", "\"b\"", "\"a\"", "7" }));
        float[] Rows(JsonElement a) => a.GetProperty("output").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        var expectedA = StreamReference.Run(parameters, [0.1f, 0.2f, 0.3f, -0.4f, 0.0f, 1.0f]).Output;
        var expected7 = StreamReference.Run(parameters, [1, -1, 0.25f, 0.5f, 0.75f, 1.0f]).Output;
        var expectedB = StreamReference.Run(parameters, [-0.2f, 0.9f]).Output;
        StreamReference.AssertClose([.. Rows(answers[0]), .. Rows(answers[3])], expectedA, 1e-6, "stream a");
        StreamReference.AssertClose([.. Rows(answers[1]), .. Rows(answers[4])], expected7, 1e-6, "stream 7");
        StreamReference.AssertClose(Rows(answers[2]), expectedB, 1e-6, "stream b");

        var errors = File.ReadAllLines(folder["err.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.That(errors.Select(e => e.GetProperty("line").GetInt32()), Is.EqualTo(new[] { 3, 4, 8, 9 }));
        Assert.That(errors[0].GetProperty("error").GetString(), Does.Contain("has 3 features; the model reads 2"));
        Assert.That(errors[2].GetProperty("error").GetString(), Does.Contain("has ended"));
        Assert.That(errors[3].GetProperty("error").GetString(), Does.Contain("not \"tokens\""));
        Assert.That(r.Err, Does.Contain("4 bad events"));
    }

    [TestCase(ModelKind.Tagger)]
    [TestCase(ModelKind.Classifier)]
    public void WholeModelsAnswerWithTheirLabels(ModelKind kind)
    {
        using var folder = new TempFolder();
        var config = new ModelConfig(kind, RnnCellKind.Gru, Vocabulary, 5, 6, 4, NumLayers: 2);
        using (SequenceModel model = kind == ModelKind.Tagger ? new SequenceTagger(config, ManagedBackend.Instance, 5) : new SequenceClassifier(config, ManagedBackend.Instance, 5))
            ModelCheckpoint.Save(folder["m.safetensors"], model);
        var rng = new Random(9);
        var events = Enumerable.Range(0, 12).Select(i => (Key: $"s{i % 3}", Tokens: Enumerable.Range(0, rng.Next(1, 4)).Select(_ => rng.Next(Vocabulary)).ToArray())).ToArray();
        File.WriteAllLines(folder["in.jsonl"], events.Select(e => $"{{\"stream\":\"{e.Key}\",\"tokens\":[{string.Join(',', e.Tokens)}]}}"));
        var r = CliRunner.Run("stream", "--model", folder["m.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"], "--backend", "managed");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var answers = File.ReadAllLines(folder["out.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.That(answers, Has.Length.EqualTo(events.Length));

        // The same file through batch inference, on each stream's tokens so far.
        using var reference = InferenceModelLoader.Load(folder["m.safetensors"], new InferenceModelOptions { Backend = ManagedBackend.Instance });
        var sofar = new Dictionary<string, List<int>>();
        for (int i = 0; i < events.Length; i++)
        {
            var (key, tokens) = events[i];
            if (!sofar.TryGetValue(key, out var prefix)) sofar[key] = prefix = [];
            int start = prefix.Count;
            prefix.AddRange(tokens);
            var whole = reference.Run([PredictionRecord.FromTokens(RecordId.FromString(key), prefix.ToArray())], new PredictionStatistics())[0];
            Assert.That(answers[i].GetProperty("stream").GetString(), Is.EqualTo(key));
            if (kind == ModelKind.Tagger)
            {
                var labels = answers[i].GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray();
                Assert.That(labels, Is.EqualTo(whole.Labels![start..]), $"event {i}");
            }
            else
            {
                Assert.That(answers[i].GetProperty("label").GetInt32(), Is.EqualTo(whole.Label), $"event {i}");
                var p = answers[i].GetProperty("probabilities").EnumerateArray().Select(v => v.GetSingle()).ToArray();
                StreamReference.AssertClose(p, whole.Probabilities, 1e-5, $"event {i}");
            }
        }
    }

    [Test]
    public void BidirectionalModelsAreRefusedInOneLine()
    {
        using var folder = new TempFolder();
        RnnNative.Formats.RnnModelFile.Save(folder["l.safetensors"], RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Gru, 2, 3, bidirectional: true), 1));
        File.WriteAllText(folder["in.jsonl"], "{\"stream\":\"a\",\"features\":[[1,2]]}\n");
        var r = CliRunner.Run("stream", "--model", folder["l.safetensors"], "--input", folder["in.jsonl"], "--backend", "managed");
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.ErrLines, Has.Length.EqualTo(1));
        Assert.That(r.Err, Does.Contain("bidirectional"));
    }
}
