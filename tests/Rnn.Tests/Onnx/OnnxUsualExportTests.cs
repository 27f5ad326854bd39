using RnnNative.Formats;
using RnnNative.Inference;
using RnnNative.Managed;
using RnnNative.Models;
using RnnNative.Tests.Cli;
using RnnNative.Tests.Golden;

namespace RnnNative.Tests.Onnx;

/// <summary>
/// <c>rnn convert</c> on the exports PyTorch users make (tests/golden/onnx-usual, see make.py there: torch.onnx.export
/// 1.13 of batch_first modules with dynamic axes, heads on h_n[-1], out[:, -1], cat(h_n[-2], h_n[-1]), a softmax, a
/// per-step head): each becomes a ready model whose probabilities are PyTorch's within 1e-5; an export that is not
/// one is refused (exit 2, nothing written) unless the RNN alone is asked for.
/// </summary>
[TestFixture]
public sealed class OnnxUsualExportTests
{
    private const double ProbabilityTolerance = 1e-5;

    private static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "golden", "onnx-usual", name);

    [TestCase("lstm_hn", ModelKind.Classifier)]
    [TestCase("lstm_out_last", ModelKind.Classifier)]
    [TestCase("gru_bi_hn", ModelKind.Classifier)]
    [TestCase("lstm2_softmax", ModelKind.Classifier)]
    [TestCase("gru_tagger_bf", ModelKind.Tagger)]
    public async Task ConvertedExportMatchesPyTorch(string name, ModelKind kind)
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run("convert", Path.Combine(Folder(name), "model.onnx"), "--output", folder["model.safetensors"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(result.Out, Does.Contain(kind.ToString()));

        using var model = InferenceModelLoader.Load(folder["model.safetensors"], new InferenceModelOptions { Backend = ManagedBackend.Instance, StepProbabilities = true });
        Assert.That(model.Kind, Is.EqualTo(kind));
        var tokens = NpyReader.ReadInt32(Path.Combine(Folder(name), "tokens.npy"));
        int n = tokens.Shape[0], steps = tokens.Shape[1];
        var records = Enumerable.Range(0, n).Select(b => PredictionRecord.FromTokens(RecordId.FromInteger(b), tokens.Data.AsSpan(b * steps, steps).ToArray())).ToList();
        var expected = NpyReader.ReadFloat32(Path.Combine(Folder(name), "probabilities.npy"));
        int perRecord = (int)(expected.FlattenedLength / n);

        var results = await PredictGolden.PredictAsync(model, records, new BatchPredictorOptions { MaxBatchSize = 2 });

        double worst = 0;
        for (int b = 0; b < n; b++)
        {
            Assert.That(results[b].Error, Is.Null);
            var actual = kind == ModelKind.Tagger ? results[b].StepProbabilities! : results[b].Probabilities!;
            var want = expected.Span.Slice(b * perRecord, perRecord).ToArray().Select(p => (double)p).ToArray();
            worst = Math.Max(worst, PredictGolden.LargestDifference(actual.Select(p => (double)p), want));
        }
        Assert.That(worst, Is.LessThanOrEqualTo(ProbabilityTolerance));
    }

    [TestCase("lstm_bi_out_last", "out[:, -1] of a bidirectional RNN")]
    [TestCase("gru_bi_hn_last", "h_n[-1] of a bidirectional RNN, the backward direction alone")]
    public void ABidirectionalHeadOnOneSideIsRefusedAndNothingIsWritten(string name, string reason)
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run("convert", Path.Combine(Folder(name), "model.onnx"), "--output", folder["model.safetensors"]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("not a ready model").And.Contain(reason).And.Contain("--bare-layer").And.Contain("Gemm"));
        Assert.That(result.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(File.Exists(folder["model.safetensors"]), Is.False);
    }

    [Test]
    public void BareLayerWritesTheRnnAloneWhenAskedFor()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run("convert", Path.Combine(Folder("lstm_bi_out_last"), "model.onnx"), "--output", folder["rnn.safetensors"], "--bare-layer");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(RnnModelFile.Load(folder["rnn.safetensors"]).Spec, Is.EqualTo(new RnnSpec(RnnCellKind.Lstm, 4, 5, 1, bidirectional: true)));
    }
}
