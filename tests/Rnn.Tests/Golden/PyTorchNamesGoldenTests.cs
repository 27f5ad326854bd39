using System.Text.Json;
using RnnNative.Formats;
using RnnNative.Inference;
using RnnNative.Managed;
using RnnNative.Models;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Golden;

/// <summary>
/// Plain state_dicts as PyTorch users name their modules (tests/golden/pytorch-names, see make.py there: <c>lstm.*</c>,
/// <c>encoder.rnn.*</c> with <c>encoder.embed</c>, <c>gru.*</c> with <c>emb</c>/<c>classifier</c>, <c>out</c>,
/// <c>linear</c> after an LSTM with projections, PyTorch's word-language-model <c>encoder</c>/<c>rnn</c>/<c>decoder</c>,
/// and a bare <c>lstm.*</c> layer) load without renaming, through <see cref="InferenceModelLoader"/> and the CLI, and
/// give PyTorch's labels exactly and its float64 probabilities within 1e-5.
/// </summary>
[TestFixture]
public sealed class PyTorchNamesGoldenTests
{
    private const double ProbabilityTolerance = 1e-5;

    private static string Root => Path.Combine(AppContext.BaseDirectory, "golden", "pytorch-names");

    private static readonly BatchPredictorOptions Batching = new() { Window = 16, MaxBatchSize = 5, MaxBatchTokens = 40, Workers = 2 };

    private static IEnumerable<TestCaseData> Models()
    {
        yield return new TestCaseData("lstm_fc", ModelKind.Classifier, null).SetName("{m}(lstm.* with embedding and fc)");
        yield return new TestCaseData("encoder_rnn_head", ModelKind.Classifier, null).SetName("{m}(encoder.rnn.* GRU with encoder.embed and head)");
        yield return new TestCaseData("gru_bi_cls", ModelKind.Classifier, null).SetName("{m}(bidirectional gru.* with emb and classifier)");
        yield return new TestCaseData("rnn_out_tagger", ModelKind.Tagger, RnnCellKind.RnnTanh).SetName("{m}(rnn.* tanh RNN with out per step)");
        yield return new TestCaseData("lstm_proj_linear", ModelKind.Classifier, null).SetName("{m}(lstm.* with proj_size and linear)");
        yield return new TestCaseData("word_lm", ModelKind.Tagger, null).SetName("{m}(word language model: encoder, rnn, decoder)");
    }

    [TestCaseSource(nameof(Models))]
    public async Task LoaderMatchesPyTorch(string name, ModelKind kind, RnnCellKind? mode)
    {
        using var model = InferenceModelLoader.Load(Path.Combine(Root, name + ".safetensors"),
            new InferenceModelOptions { Backend = ManagedBackend.Instance, Kind = kind, Mode = mode, StepProbabilities = true });
        var records = PredictGolden.Records(Path.Combine(Root, name + "_input.jsonl"));
        var expected = Expected(name, kind);
        Assert.That(records, Has.Count.EqualTo(expected.Count).And.Count.GreaterThan(10));

        var results = await PredictGolden.PredictAsync(model, records, Batching);

        double worst = 0;
        for (int i = 0; i < results.Count; i++)
        {
            Assert.That(results[i].Error, Is.Null, $"record {expected[i].Id}");
            Assert.That(results[i].Id, Is.EqualTo((RecordId?)expected[i].Id));
            var probabilities = kind == ModelKind.Tagger ? results[i].StepProbabilities! : results[i].Probabilities!;
            Assert.That(kind == ModelKind.Tagger ? results[i].Labels : [results[i].Label], Is.EqualTo(expected[i].Labels), $"labels of record {expected[i].Id}");
            worst = Math.Max(worst, PredictGolden.LargestDifference(probabilities.Select(p => (double)p), expected[i].Probabilities));
        }
        Assert.That(worst, Is.LessThanOrEqualTo(ProbabilityTolerance), "largest probability difference from PyTorch");
        TestContext.Out.WriteLine($"{name}: {model.Description}; largest probability difference {worst:E2}");
    }

    [TestCaseSource(nameof(Models))]
    public void PredictCommandMatchesPyTorch(string name, ModelKind kind, RnnCellKind? mode)
    {
        using var folder = new TempFolder();
        string[] extra = [.. mode is { } m ? new[] { "--mode", m.ToModeName() } : [], .. kind == ModelKind.Tagger ? new[] { "--probabilities" } : []];
        var result = CliRunner.Run(["predict", "--model", Path.Combine(Root, name + ".safetensors"), "--kind", kind.ToString().ToLowerInvariant(),
            "--input", Path.Combine(Root, name + "_input.jsonl"), "--output", folder["out.jsonl"], "--backend", "managed", "--quiet", .. extra]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var written = File.ReadLines(folder["out.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var expected = Expected(name, kind);
        Assert.That(written, Has.Count.EqualTo(expected.Count));
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.That(written[i].GetProperty("id").ToString(), Is.EqualTo(expected[i].Id.ToString()), $"record {i}");
            var labels = kind == ModelKind.Tagger
                ? written[i].GetProperty("labels").EnumerateArray().Select(l => l.GetInt32()).ToArray()
                : [written[i].GetProperty("label").GetInt32()];
            Assert.That(labels, Is.EqualTo(expected[i].Labels), $"labels of record {expected[i].Id}");
            var probabilities = written[i].GetProperty("probabilities");
            var flat = kind == ModelKind.Tagger ? probabilities.EnumerateArray().SelectMany(s => s.EnumerateArray()) : probabilities.EnumerateArray();
            worst = Math.Max(worst, PredictGolden.LargestDifference(flat.Select(p => p.GetDouble()), expected[i].Probabilities));
        }
        Assert.That(worst, Is.LessThanOrEqualTo(ProbabilityTolerance));
    }

    [Test]
    public void ForwardRunsTheLstmOfAModuleWithoutRenaming()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run(["forward", "--model", Path.Combine(Root, "lstm_layer.safetensors"), "--input", Path.Combine(Root, "lstm_layer_x.npy"),
            "--output", folder["y.npy"], "--backend", "managed"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var y = NpyReader.ReadFloat32(folder["y.npy"]);
        var expected = NpyReader.ReadFloat32(Path.Combine(Root, "lstm_layer_y.npy"));
        Assert.That(y.Lengths.ToArray(), Is.EqualTo(expected.Lengths.ToArray()));
        double worst = 0;
        for (int i = 0; i < y.Span.Length; i++) worst = Math.Max(worst, Math.Abs(y.Span[i] - expected.Span[i]));
        Assert.That(worst, Is.LessThanOrEqualTo(1e-5));
    }

    [Test]
    public void LoaderRunsABareLayerUnderAPrefix()
    {
        using var model = InferenceModelLoader.Load(Path.Combine(Root, "lstm_layer.safetensors"), new InferenceModelOptions { Backend = ManagedBackend.Instance });
        Assert.That(model.Kind, Is.Null);
        Assert.That(model.Description, Does.Contain("lstm(input=3, hidden=4, layers=1, bidirectional)"));
    }

    [Test]
    public void ForwardOfTheRnnInsideAWholeModel()
    {
        using var folder = new TempFolder();
        // The LSTM of lstm_fc reads 5-wide inputs; the embedding and fc around it are left aside.
        NpyWriter.Write(folder["x.npy"], RnnTensors.Create(new float[2 * 1 * 5], 2, 1, 5));
        var result = CliRunner.Run(["forward", "--model", Path.Combine(Root, "lstm_fc.safetensors"), "--input", folder["x.npy"], "--output", folder["y.npy"], "--backend", "managed"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(result.Out, Does.Contain("lstm(input=5, hidden=6"));
    }

    [Test]
    public void CalibrationOfARenamedLstmIsStoredUnderItsOwnNameAndRead()
    {
        using var folder = new TempFolder();
        string model = Path.Combine(Root, "lstm_fc.safetensors");
        var result = CliRunner.Run(["calibrate", "--model", model, "--input", Path.Combine(Root, "lstm_fc_input.jsonl"), "--output", folder["int8.safetensors"]]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var metadata = SafetensorsReader.Read(folder["int8.safetensors"]).Metadata;
        Assert.That(metadata.Keys.Where(k => k.Contains("int8", StringComparison.Ordinal)).Order(), Is.EqualTo(new[] { "lstm.int8.layer0.scale", "lstm.int8.layer0.shift" }));
        Assert.That(RnnModelFile.LoadRnnInt8Quantization(folder["int8.safetensors"])!.Layers, Has.Count.EqualTo(1));
        Assert.That(RnnModelFile.LoadRnnInt8Quantization(model), Is.Null);
    }

    private static List<PredictGolden.Expected> Expected(string name, ModelKind kind)
    {
        string path = Path.Combine(Root, name + "_expected.jsonl");
        return File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).Select(json =>
        {
            var id = RecordId.FromInteger(json.GetProperty("id").GetInt64());
            var probabilities = json.GetProperty("probabilities");
            return kind == ModelKind.Tagger
                ? new PredictGolden.Expected(id, json.GetProperty("labels").EnumerateArray().Select(l => l.GetInt32()).ToArray(),
                    probabilities.EnumerateArray().SelectMany(s => s.EnumerateArray()).Select(p => p.GetDouble()).ToArray())
                : new PredictGolden.Expected(id, [json.GetProperty("label").GetInt32()], probabilities.EnumerateArray().Select(p => p.GetDouble()).ToArray());
        }).ToList();
    }
}
