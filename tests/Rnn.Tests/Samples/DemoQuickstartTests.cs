using System.Text.Json;
using System.Text.RegularExpressions;
using RnnNative.Samples;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Samples;

/// <summary>
/// The demo's predict step, as <c>./build.sh demo</c> runs it: the command line is read
/// from build.sh itself, so the two cannot drift apart; only the input is cut down to a few reviews (with every
/// malformed record kept) and the files go to a temporary folder. Not a timing.
/// </summary>
public class DemoQuickstartTests
{
    /// <summary>The arguments of the demo's <c>rnn predict</c> line in build.sh (continuation lines joined, quotes removed).</summary>
    private static List<string> DemoPredictArguments()
    {
        var script = File.ReadAllText(RepositoryFiles.Path("build.sh"));
        int demo = script.IndexOf("cmd_demo() {", StringComparison.Ordinal);
        Assert.That(demo, Is.GreaterThanOrEqualTo(0), "build.sh has no cmd_demo");
        var step = new Regex(@"^\s+rnn predict ", RegexOptions.Multiline).Match(script, demo);
        Assert.That(step.Success, Is.True, "the demo has no rnn predict step");
        int start = step.Index + step.Length - "rnn predict ".Length;
        var command = new List<string>();
        foreach (var line in script[start..].Split('\n'))
        {
            command.Add(line.TrimEnd().TrimEnd('\\'));
            if (!line.TrimEnd().EndsWith('\\')) break;
        }
        return Regex.Matches(string.Join(' ', command), "\"[^\"]*\"|\\S+").Select(m => m.Value.Trim('"')).Skip(2).ToList();
    }

    [Test]
    public void ThePredictStepScoresTheReviewsAndReportsEveryMalformedRecord()
    {
        using var folder = new TempFolder();
        var train = CliRunner.Run("sample", "sentiment", "--checkpoint", folder["sentiment.safetensors"]);
        Assert.That(train.ExitCode, Is.Zero, train.Err);

        // The first reviews, and every line that is not a well-formed review (the malformed ones, kept on purpose).
        var bundled = File.ReadAllLines(RepositoryFiles.Path("samples", "data", "reviews.jsonl"));
        var malformed = bundled.Where(l => !l.StartsWith("{\"id\":\"r", StringComparison.Ordinal)).ToList();
        var tiny = bundled.Where(l => l.StartsWith("{\"id\":\"r", StringComparison.Ordinal)).Take(40).Concat(malformed).ToList();
        File.WriteAllLines(folder["reviews.jsonl"], tiny);

        var arguments = DemoPredictArguments().Select(a => a
            .Replace("$demo", folder.Root, StringComparison.Ordinal)
            .Replace("samples/data/reviews.jsonl", folder["reviews.jsonl"], StringComparison.Ordinal)
            .Replace("samples/data/", RepositoryFiles.Path("samples", "data") + "/", StringComparison.Ordinal)).ToArray();
        Assert.That(arguments, Does.Contain("--errors").And.Contain("--summary").And.Contain("--labels"));
        var result = CliRunner.Run(["predict", .. arguments]);
        Assert.That(result.ExitCode, Is.Zero, result.Err);

        Assert.That(malformed, Has.Count.EqualTo(5));
        var errors = File.ReadAllLines(folder["errors.jsonl"]);
        Assert.That(errors, Has.Length.EqualTo(malformed.Count), "every malformed record is reported");
        var predictions = File.ReadAllLines(folder["predictions.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(predictions, Has.Count.EqualTo(40));
        Assert.That(predictions.Select(p => p.GetProperty("label_name").GetString()).Distinct(), Is.SubsetOf(SentimentReviews.LabelNames));
        var summary = JsonDocument.Parse(File.ReadAllText(folder["summary.json"])).RootElement;
        Assert.That(summary.GetProperty("records").GetInt64(), Is.EqualTo(tiny.Count));
        Assert.That(summary.GetProperty("errors").GetInt64(), Is.EqualTo(malformed.Count));
        Assert.That(summary.GetProperty("labelled").GetInt64(), Is.EqualTo(40));
        TestContext.Out.WriteLine($"accuracy on the first 40 reviews: {summary.GetProperty("accuracy").GetDouble():P1}");
    }
}
