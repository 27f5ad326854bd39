using RnnNative.Interop;

namespace RnnNative.Tests.Cli;

/// <summary><c>rnn demo</c> prints one row per standard configuration, on the backend it names.</summary>
public class DemoCommandTests
{
    [Test]
    public void PrintsTheFourStandardConfigurations()
    {
        var run = CliRunner.Run("demo", "--seconds", "0.01");
        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(run.Out, Does.Contain($"on the {RnnBackends.Fastest().Name} backend"));
        foreach (string name in new[] { "lstm-infer", "gru-infer", "bilstm-infer", "rnn-infer" })
            Assert.That(run.Out.Split('\n').Count(l => l.StartsWith(name + " ", StringComparison.Ordinal)), Is.EqualTo(1), name);
        if (RnnBackends.Fastest().Name == "managed")
            Assert.That(run.Out, Does.Contain("divided by"), "a scaled-down run must say so");
    }
}
