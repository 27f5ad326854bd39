using System.Text.Json;
using RnnNative.Tests.Cli;
using RnnNative.Tests.OneDnn;

namespace RnnNative.Tests.Golden;

/// <summary>
/// <c>rnn predict</c> on PyTorch's own plain state_dicts (tests/golden/predict): the JSONL it writes carries PyTorch's
/// labels exactly and its probabilities within 1e-5, in input order, on managed and oneDNN with several workers.
/// </summary>
[TestFixture]
public sealed class PredictGoldenCliTests
{
    private const double ProbabilityTolerance = 1e-5;

    [TestCase("managed")]
    [TestCase("onednn")]
    public void ClassifierMatchesPyTorch(string backend)
    {
        if (backend == "onednn") OneDnnTestSupport.RequireBackend();
        var written = Predict(backend, PredictGolden.ClassifierModel, PredictGolden.ClassifierInput, "classifier");
        var expected = PredictGolden.ClassifierExpected();
        Assert.That(written, Has.Count.EqualTo(expected.Count));
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.That(written[i].GetProperty("id").ToString(), Is.EqualTo(expected[i].Id.ToString()), $"record {i}");
            Assert.That(written[i].GetProperty("label").GetInt32(), Is.EqualTo(expected[i].Labels[0]), $"label of record {expected[i].Id}");
            worst = Math.Max(worst, PredictGolden.LargestDifference(Floats(written[i].GetProperty("probabilities")), expected[i].Probabilities));
        }
        Assert.That(worst, Is.LessThanOrEqualTo(ProbabilityTolerance));
    }

    [TestCase("managed")]
    [TestCase("onednn")]
    public void TaggerMatchesPyTorchAtEveryStep(string backend)
    {
        if (backend == "onednn") OneDnnTestSupport.RequireBackend();
        var written = Predict(backend, PredictGolden.TaggerModel, PredictGolden.TaggerInput, "tagger", "--probabilities");
        var expected = PredictGolden.TaggerExpected();
        Assert.That(written, Has.Count.EqualTo(expected.Count));
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.That(written[i].GetProperty("id").ToString(), Is.EqualTo(expected[i].Id.ToString()), $"record {i}");
            Assert.That(written[i].GetProperty("labels").EnumerateArray().Select(l => l.GetInt32()), Is.EqualTo(expected[i].Labels), $"labels of record {expected[i].Id}");
            var steps = written[i].GetProperty("probabilities").EnumerateArray().SelectMany(Floats).ToArray();
            worst = Math.Max(worst, PredictGolden.LargestDifference(steps, expected[i].Probabilities));
        }
        Assert.That(worst, Is.LessThanOrEqualTo(ProbabilityTolerance));
    }

    private static List<JsonElement> Predict(string backend, string model, string input, string kind, params string[] extra)
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run(["predict", "--model", model, "--kind", kind, "--input", input, "--output", folder["out.jsonl"],
            "--backend", backend, "--workers", "3", "--max-batch-size", "7", "--quiet", .. extra]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        return File.ReadLines(folder["out.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static IEnumerable<double> Floats(JsonElement array) => array.EnumerateArray().Select(p => p.GetDouble());
}
