using RnnNative.Interop;
using RnnNative.Samples;

namespace RnnNative.Tests.Samples;

/// <summary>
/// Each lecture sample really learns what it claims, with fixed seeds, on the managed backend and on every other backend
/// present. The thresholds are the claims of the notes or the issue, not the figures measured.
/// </summary>
[TestFixtureSource(typeof(RnnBackends), nameof(RnnBackends.All))]
public class SampleLearningTests(IRnnBackend backend)
{
    [OneTimeSetUp]
    public void RequireBackend()
    {
        if (!backend.Availability.IsAvailable) Assert.Ignore($"{backend.Name} is not available: {backend.Availability.Reason}");
    }

    private SampleResult Run(string name, out string printed, int seed = 1)
    {
        var output = new StringWriter();
        var result = SampleCatalog.Run(name, output, new SampleOptions(seed, backend, OutputDirectory: Path.Combine(TestContext.CurrentContext.WorkDirectory, "sample-output")));
        printed = output.ToString();
        TestContext.Out.WriteLine(printed);
        return result;
    }

    [Test]
    public void Dogs_PredictsTheNextLetter()
    {
        var result = Run("dogs", out var printed);
        Assert.That(result.Metrics["accuracy"], Is.EqualTo(1.0));
        Assert.That(result.Generated, Is.EqualTo(new[] { "ogs" }));
        Assert.That(printed, Does.Contain("d -> o -> g -> s"));
    }

    [Test]
    public void NextWord_ReachesTheNotesAccuracyAndGenerates()
    {
        var result = Run("next-word", out _);
        Assert.That(result.Metrics["accuracy"], Is.GreaterThanOrEqualTo(0.875));
        Assert.That(result.Generated, Is.EqualTo(new[] { "convolution neural network" }));
    }

    [Test]
    public void Names_LearnsCharactersAndInventsNewNames()
    {
        var result = Run("names", out _);
        Assert.That(result.Metrics["loss"], Is.LessThan(Math.Log(27) * 0.6), "well below uniform guessing over 27 characters");
        Assert.That(result.Metrics["loss"], Is.LessThan(result.Metrics["first_epoch_loss"] - 0.5));
        Assert.That(result.Generated, Has.Count.EqualTo(10));
        Assert.That(result.Generated, Has.All.Matches<string>(n => n!.Length is >= 2 and <= 30), "names end with the end marker");
        Assert.That(result.Metrics["novel_fraction"], Is.GreaterThanOrEqualTo(0.5), "it invents rather than recites");
    }

    [Test]
    public void Tagging_FindsTheNamesInHeldOutSentences()
    {
        var result = Run("tagging", out _);
        Assert.That(result.Metrics["train_accuracy"], Is.EqualTo(1.0));
        Assert.That(result.Metrics["test_accuracy"], Is.GreaterThanOrEqualTo(0.9));
        Assert.That(result.Metrics["test_name_recall"], Is.GreaterThanOrEqualTo(0.8));
    }

    [Test]
    public void Sentiment_ClassifiesHeldOutSentences()
    {
        var result = Run("sentiment", out _);
        Assert.That(result.Metrics["train_accuracy"], Is.GreaterThanOrEqualTo(0.95));
        Assert.That(result.Metrics["test_accuracy"], Is.GreaterThanOrEqualTo(0.75));
    }

    [Test]
    public void Vanishing_LstmRemembersRnnDoesNot_AndThePlotIsWritten()
    {
        var result = Run("vanishing", out _);
        Assert.That(result.Metrics["lstm_accuracy"], Is.GreaterThanOrEqualTo(0.9));
        Assert.That(result.Metrics["rnn_accuracy"], Is.LessThanOrEqualTo(0.65));
        Assert.That(result.Metrics["rnn_gradient_ratio"], Is.LessThan(1e-3), "the RNN's gradient at t=0 is orders of magnitude below the last step's");
        Assert.That(result.Metrics["lstm_gradient_ratio"], Is.GreaterThan(result.Metrics["rnn_gradient_ratio"] * 100));
        Assert.That(result.ImagePath, Is.Not.Null);
        var bytes = File.ReadAllBytes(result.ImagePath!);
        Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
    }
}
